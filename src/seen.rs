//! P(seen): how likely the visitor is to have seen a movie, so that questions go to movies they
//! can answer. A question about a film they have not seen costs an answer and teaches nothing
//! about taste (only about what they watch), and on our prototypes ignoring this wasted most
//! questions.
//!
//! A logistic on the movie's popularity, fitted by `tools` on the training users (did the user
//! rate it?):
//!
//! ```text
//! logit P(seen m) = cᵀ f_m + δ        f_m = [1, ln(1 + 1000·n_m/N), ln(1 + IMDb votes), (year − 2000)/20, year unknown]
//! ```
//!
//! n_m/N is the share of the training users who rated m (per thousand, so the feature means the
//! same for any training set size). δ is the visitor's own offset: some people have seen far more
//! films than the average MovieLens user rated. It has a N(0, s²) prior and is fitted (Laplace,
//! one dimension) from what the visitor has said they have and have not seen; P(seen) then
//! averages over its uncertainty with the probit approximation E[σ(η + δ)] ≈ σ(η' / √(1 + πv/8)).

use crate::model::Model;

pub use crate::features::{seen_features, LEGACY_COEF, SEEN_FEATURES};

/// Whether the visitor said they have seen an item (any answer about it) or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeenOutcome {
    pub item: usize,
    pub seen: bool,
}

/// The visitor's offset δ ~ N(mean, var) after their answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeenOffset {
    pub mean: f64,
    pub var: f64,
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

impl SeenOffset {
    /// The prior N(0, s²).
    pub fn prior(model: &Model) -> SeenOffset {
        SeenOffset {
            mean: 0.0,
            var: (model.visitor().seen_offset_sd as f64).powi(2).max(1e-9),
        }
    }

    /// Laplace fit of δ: Newton on the log posterior (concave, so it converges from 0), then
    /// the curvature at the mode as the precision.
    pub fn fit(model: &Model, outcomes: &[SeenOutcome]) -> SeenOffset {
        let prior = SeenOffset::prior(model);
        if outcomes.is_empty() {
            return prior;
        }
        let eta: Vec<(f64, f64)> = outcomes
            .iter()
            .map(|o| {
                (
                    model.seen_logit(o.item) as f64,
                    if o.seen { 1.0 } else { 0.0 },
                )
            })
            .collect();
        let mut d = 0.0;
        let mut curvature = 1.0 / prior.var;
        for _ in 0..50 {
            let mut grad = -d / prior.var;
            curvature = 1.0 / prior.var;
            for &(e, y) in &eta {
                let p = sigmoid(e + d);
                grad += y - p;
                curvature += p * (1.0 - p);
            }
            let step = grad / curvature;
            d += step.clamp(-5.0, 5.0);
            if step.abs() < 1e-10 {
                break;
            }
        }
        SeenOffset {
            mean: d,
            var: 1.0 / curvature,
        }
    }

    /// P(the visitor has seen item `i`), averaged over δ.
    pub fn p_seen(&self, model: &Model, i: usize) -> f64 {
        let eta = model.seen_logit(i) as f64 + self.mean;
        sigmoid(eta / (1.0 + std::f64::consts::PI * self.var / 8.0).sqrt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::random_bundle;
    use approx::assert_abs_diff_eq;

    fn model() -> Model {
        Model::from_bundle(random_bundle(3, 400, 4, 200))
    }

    /// The Laplace mode is where the log posterior's derivative vanishes: checked against a
    /// fine grid search of the log posterior.
    #[test]
    fn offset_is_the_posterior_mode() {
        let m = model();
        let outcomes: Vec<SeenOutcome> = (0..40)
            .map(|i| SeenOutcome {
                item: i * 7,
                seen: i % 3 != 0,
            })
            .collect();
        let fit = SeenOffset::fit(&m, &outcomes);
        let prior_var = SeenOffset::prior(&m).var;
        let log_post = |d: f64| {
            -d * d / (2.0 * prior_var)
                + outcomes
                    .iter()
                    .map(|o| {
                        let p = sigmoid(m.seen_logit(o.item) as f64 + d);
                        if o.seen {
                            p.ln()
                        } else {
                            (1.0 - p).ln()
                        }
                    })
                    .sum::<f64>()
        };
        let best = (-8000..8000)
            .map(|j| j as f64 * 1e-3)
            .max_by(|a, b| log_post(*a).total_cmp(&log_post(*b)))
            .unwrap();
        assert_abs_diff_eq!(fit.mean, best, epsilon = 2e-3);
        // Curvature: a numerical second derivative of the log posterior at the mode.
        let h = 1e-3;
        let second =
            (log_post(fit.mean + h) - 2.0 * log_post(fit.mean) + log_post(fit.mean - h)) / (h * h);
        assert_abs_diff_eq!(fit.var, -1.0 / second, epsilon = 1e-4);
    }

    /// "Haven't seen" answers lower P(seen) for every movie; "seen" answers raise it.
    #[test]
    fn answers_move_p_seen_the_right_way() {
        let m = model();
        let prior = SeenOffset::prior(&m);
        let unseen: Vec<SeenOutcome> = (0..10)
            .map(|i| SeenOutcome {
                item: i,
                seen: false,
            })
            .collect();
        let seen: Vec<SeenOutcome> = (0..10)
            .map(|i| SeenOutcome {
                item: i,
                seen: true,
            })
            .collect();
        let (lo, hi) = (SeenOffset::fit(&m, &unseen), SeenOffset::fit(&m, &seen));
        for i in [0, 50, 300] {
            assert!(lo.p_seen(&m, i) < prior.p_seen(&m, i));
            assert!(hi.p_seen(&m, i) > prior.p_seen(&m, i));
        }
    }

    #[test]
    fn popular_recent_movies_are_more_likely_seen() {
        let a = seen_features(300, 610, 1_000_000, Some(1999));
        let b = seen_features(2, 610, 300, Some(1999));
        let c: f32 = LEGACY_COEF.iter().zip(&a).map(|(c, f)| c * f).sum();
        let d: f32 = LEGACY_COEF.iter().zip(&b).map(|(c, f)| c * f).sum();
        assert!(c > d);
        assert_eq!(seen_features(0, 0, 0, None)[4], 1.0);
    }
}
