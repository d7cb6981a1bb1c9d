//! "How sure the model now is", as one honest number for the question screen.
//!
//! What answers can reduce is the model's uncertainty about the visitor's taste: for movie m,
//! the variance x̃ₘᵀΣx̃ₘ of its predicted mean that comes from not knowing z (the movie's own
//! uncertainty and the rating noise stay whatever the visitor says). The number shown is
//!
//! ```text
//! certainty = 1 − mean_m √(x̃ₘᵀΣx̃ₘ) / mean_m √(x̃ₘᵀΣ₀x̃ₘ)       over the movies now listed
//! ```
//!
//! with Σ₀ the prior's covariance: 0% before any answer, 100% only if the model knew the
//! visitor's taste exactly. It is measured on the movies at the top of the list because that
//! is what the questions are chosen to sharpen (the A-optimal criterion of
//! `moviematch::elicit`) and what the visitor sees.

use crate::model::Model;
use crate::posterior::Posterior;

/// √(x̃ᵀΣx̃) for movie `i`: the predicted mean's sd due to the visitor's unknown taste.
fn taste_sd(model: &Model, post: &Posterior, i: usize) -> f64 {
    let quad = post.predict(model, i).epistemic_var - post.epistemic_floor(model, i);
    (quad.max(0.0) as f64).sqrt()
}

/// The certainty in [0, 1] about `items` (see the module docs), `None` for an empty list.
pub fn certainty(
    model: &Model,
    post: &Posterior,
    prior: &Posterior,
    items: &[usize],
) -> Option<f64> {
    if items.is_empty() {
        return None;
    }
    let now: f64 = items.iter().map(|&i| taste_sd(model, post, i)).sum();
    let before: f64 = items.iter().map(|&i| taste_sd(model, prior, i)).sum();
    if before <= 0.0 || !now.is_finite() {
        return None;
    }
    Some((1.0 - now / before).clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::random_bundle;
    use crate::posterior::Observation;

    #[test]
    fn zero_before_answers_and_rising_with_them() {
        let model = Model::from_bundle(random_bundle(3, 200, 4, 150));
        let prior = Posterior::prior(&model).unwrap();
        let items: Vec<usize> = (100..120).collect();
        assert_eq!(certainty(&model, &prior, &prior, &items), Some(0.0));
        assert_eq!(certainty(&model, &prior, &prior, &[]), None);
        let mut last = 0.0;
        for n in [2, 8, 30] {
            let obs: Vec<Observation> = (0..n)
                .map(|j| Observation {
                    item: j * 3,
                    rating: 1.0 + (j % 8) as f32 / 2.0,
                })
                .collect();
            let post = Posterior::fit(&model, &obs).unwrap();
            let c = certainty(&model, &post, &prior, &items).unwrap();
            assert!(c > last && c < 1.0, "{n} ratings: {c} after {last}");
            last = c;
        }
    }
}
