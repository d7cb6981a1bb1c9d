//! "imdb-average": the crowd's verdict, mapped onto the MovieLens scale. r̂ = a + b·imdb(m),
//! with (a, b) the least-squares fit of every training rating on its item's IMDb average
//! (so popular items weigh as much as they are rated). Items without an IMDb rating get the
//! global mean.

use super::util::{global_mean, rating_range};
use super::{Recommender, TrainData, UserQuery};

#[derive(Debug, Clone)]
pub struct ImdbAverage {
    /// Intercept of the fit.
    pub a: f64,
    /// Slope of the fit.
    pub b: f64,
    pub mean: f32,
    /// IMDb average per dense item, copied from the side information.
    imdb: Vec<Option<f32>>,
    clip: (f32, f32),
}

impl ImdbAverage {
    pub fn fit(data: &TrainData) -> Self {
        let r = data.ratings;
        let imdb = data.side.imdb_average.clone();
        let mean = global_mean(r);
        // Centred sums in f64: b = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)², a = ȳ − b·x̄.
        let pairs = || {
            (0..r.len()).filter_map(|j| {
                let x = imdb.get(r.item[j] as usize).copied().flatten()?;
                Some((x as f64, r.value[j] as f64))
            })
        };
        let (mut n, mut sx, mut sy) = (0.0, 0.0, 0.0);
        for (x, y) in pairs() {
            n += 1.0;
            sx += x;
            sy += y;
        }
        let (a, b) = if n > 0.0 {
            let (mx, my) = (sx / n, sy / n);
            let (mut sxy, mut sxx) = (0.0, 0.0);
            for (x, y) in pairs() {
                sxy += (x - mx) * (y - my);
                sxx += (x - mx) * (x - mx);
            }
            let b = if sxx > 0.0 { sxy / sxx } else { 0.0 };
            (my - b * mx, b)
        } else {
            (mean, 0.0)
        };
        ImdbAverage {
            a,
            b,
            mean: mean as f32,
            imdb,
            clip: rating_range(r),
        }
    }
}

impl Recommender for ImdbAverage {
    fn name(&self) -> &'static str {
        "imdb-average"
    }
    fn predict(&self, _user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        for (o, &i) in out.iter_mut().zip(items) {
            *o = match self.imdb.get(i as usize).copied().flatten() {
                Some(x) => ((self.a + self.b * x as f64) as f32).clamp(self.clip.0, self.clip.1),
                None => self.mean,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::baselines::util::ratings_from;
    use crate::eval::baselines::SideInfo;
    use approx::assert_abs_diff_eq;

    #[test]
    fn fit_is_the_closed_form_least_squares() {
        // Item 2 has no IMDb rating: it is left out of the fit and predicted at the mean.
        let r = ratings_from(&[
            (0, 0, 4.0),
            (1, 0, 5.0),
            (0, 1, 2.0),
            (1, 1, 3.0),
            (2, 1, 1.0),
            (2, 2, 0.5),
        ]);
        let side = SideInfo {
            imdb_average: vec![Some(8.0), Some(5.0), None],
            ..SideInfo::default()
        };
        let m = ImdbAverage::fit(&TrainData {
            ratings: &r,
            side: &side,
        });
        // Normal equations by hand over the five (x, y) pairs:
        // x = [8,8,5,5,5], y = [4,5,2,3,1]; x̄ = 6.2, ȳ = 3;
        // Sxy = 1.8·1 + 1.8·2 + (−1.2)(−1) + (−1.2)·0 + (−1.2)(−2) = 9.0, Sxx = 2·3.24 + 3·1.44 = 10.8.
        let b = 9.0 / 10.8;
        let a = 3.0 - b * 6.2;
        assert_abs_diff_eq!(m.b, b, epsilon = 1e-9);
        assert_abs_diff_eq!(m.a, a, epsilon = 1e-9);
        let mut out = [0.0; 3];
        let q = UserQuery {
            trained: None,
            history: &[],
        };
        m.predict(q, &[0, 1, 2], &mut out);
        assert_abs_diff_eq!(out[0], (a + b * 8.0) as f32, epsilon = 1e-5);
        assert_abs_diff_eq!(out[1], (a + b * 5.0) as f32, epsilon = 1e-5);
        assert_abs_diff_eq!(out[2], 15.5 / 6.0, epsilon = 1e-5);
    }
}
