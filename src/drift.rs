//! Taste drift: recent answers weigh more. Each answer's likelihood is raised to the power
//! w = 2^(−age / half-life), so an answer a half-life old counts as half an answer (for a
//! Gaussian rating that is its noise variance divided by w; see `crate::posterior::Weights`).
//!
//! An answer's age is measured from the profile's newest event, never from the clock: the same
//! profile always gives the same list, and a visitor who comes back after a year finds their
//! answers weighted as they left them. Imports store each row's own date (the export's "Date
//! Rated" / "Date") from this version on; profiles imported earlier carry the import's time on
//! every row, so their imported ratings are all equally old and drift changes nothing among
//! them.

/// The half-life in days, chosen by `tools drift` on a per-person time split of the real
/// people's exports (cross-validated over people; see the command's docs for the curve).
pub const HALF_LIFE_DAYS: f64 = 365.0;

const DAY_MS: f64 = 86_400_000.0;

/// The weights of one profile's answers: their ages from its newest event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drift {
    /// The newest event's time (ms since the epoch).
    pub newest: i64,
    pub half_life_days: f64,
}

impl Drift {
    /// Drift at the shipped half-life, measured from `newest`.
    pub fn from_newest(newest: i64) -> Drift {
        Drift {
            newest,
            half_life_days: HALF_LIFE_DAYS,
        }
    }

    /// The weight of an answer given at `at`: 1 for the newest, ½ one half-life before it. An
    /// answer stamped after the newest (impossible in a profile; a caller's mistake) gets 1, and
    /// a non-positive or non-finite half-life means no drift.
    pub fn weight(&self, at: i64) -> f32 {
        if !(self.half_life_days.is_finite() && self.half_life_days > 0.0) {
            return 1.0;
        }
        let age_days = (self.newest.saturating_sub(at)).max(0) as f64 / DAY_MS;
        (-age_days / self.half_life_days).exp2() as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn an_answer_one_half_life_old_counts_half() {
        let d = Drift {
            newest: 1_000 * DAY_MS as i64,
            half_life_days: 100.0,
        };
        assert_eq!(d.weight(d.newest), 1.0);
        assert_relative_eq!(d.weight(900 * DAY_MS as i64), 0.5, max_relative = 1e-6);
        assert_relative_eq!(d.weight(800 * DAY_MS as i64), 0.25, max_relative = 1e-6);
        // Stamped after the newest event: never more than a whole answer.
        assert_eq!(d.weight(d.newest + 5), 1.0);
        // No half-life, no drift.
        let off = Drift {
            half_life_days: 0.0,
            ..d
        };
        assert_eq!(off.weight(0), 1.0);
    }
}
