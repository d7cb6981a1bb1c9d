//! Rating scales and the linear map between them. The model predicts on its own scale
//! (MovieLens half stars); visitors rate on half stars or IMDb's 1–10.

use serde::{Deserialize, Serialize};

/// A closed rating interval with its step, e.g. 0.5–5 in steps of 0.5.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RatingScale {
    pub min: f32,
    pub max: f32,
    pub step: f32,
}

impl RatingScale {
    /// MovieLens and Letterboxd: half stars 0.5–5.
    pub const STARS: RatingScale = RatingScale {
        min: 0.5,
        max: 5.0,
        step: 0.5,
    };
    /// IMDb: whole numbers 1–10.
    pub const TEN: RatingScale = RatingScale {
        min: 1.0,
        max: 10.0,
        step: 1.0,
    };

    pub fn is_valid(&self) -> bool {
        self.min.is_finite()
            && self.max.is_finite()
            && self.step.is_finite()
            && self.min < self.max
            && self.step >= 0.0
    }

    /// Maps `value` on this scale to `to` linearly (endpoints to endpoints): IMDb 10 → 5 stars, 1 → 0.5.
    pub fn convert(&self, value: f32, to: &RatingScale) -> f32 {
        let t = (value - self.min) / (self.max - self.min);
        to.min + t * (to.max - to.min)
    }

    /// Converts a spread (a standard deviation) between scales: only the width ratio matters.
    pub fn convert_spread(&self, sd: f32, to: &RatingScale) -> f32 {
        sd * (to.max - to.min) / (self.max - self.min)
    }

    pub fn clamp(&self, value: f32) -> f32 {
        value.clamp(self.min, self.max)
    }

    /// Whether `value` is a rating someone could give on this scale (within range, on a step).
    pub fn accepts(&self, value: f32) -> bool {
        if !(value.is_finite() && value >= self.min - 1e-4 && value <= self.max + 1e-4) {
            return false;
        }
        self.step == 0.0 || {
            let steps = (value - self.min) / self.step;
            (steps - steps.round()).abs() < 1e-3
        }
    }
}

/// The scale a rating was given on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Half stars 0.5–5 (the app, MovieLens, Letterboxd).
    Stars,
    /// Whole numbers 1–10 (IMDb).
    Ten,
}

impl Scale {
    pub fn range(self) -> RatingScale {
        match self {
            Scale::Stars => RatingScale::STARS,
            Scale::Ten => RatingScale::TEN,
        }
    }
}

/// Rounds a value to the nearest half star from 0.5 to 5: a rating given on another scale as
/// the stars widget shows it, or a derived rating as the profile stores it.
pub fn to_half_star(v: f32) -> f32 {
    ((v * 2.0).round() / 2.0).clamp(0.5, 5.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_stars_round_and_clamp() {
        assert_eq!(to_half_star(3.3), 3.5);
        assert_eq!(to_half_star(0.0), 0.5);
    }
    use approx::assert_abs_diff_eq;

    #[test]
    fn imdb_to_stars_maps_endpoints_and_midpoint() {
        let t = RatingScale::TEN;
        let s = RatingScale::STARS;
        assert_abs_diff_eq!(t.convert(10.0, &s), 5.0);
        assert_abs_diff_eq!(t.convert(1.0, &s), 0.5);
        assert_abs_diff_eq!(t.convert(5.5, &s), 2.75);
        assert_abs_diff_eq!(s.convert(t.convert(7.0, &s), &t), 7.0, epsilon = 1e-5);
        assert_abs_diff_eq!(t.convert_spread(1.8, &s), 0.9, epsilon = 1e-6);
        assert!(
            s.accepts(3.5)
                && !s.accepts(3.3)
                && !s.accepts(0.0)
                && t.accepts(7.0)
                && !t.accepts(7.5)
        );
    }
}
