//! Why a movie is recommended, computed from the model rather than guessed.
//!
//! The visitor's posterior mean is linear in what they said: μ_z = Σ(Λ₀m₀ + Σᵢ x̃ᵢ r̃ᵢ/vᵢ + the
//! EP sites' terms), with r̃ᵢ = rᵢ − oᵢ. So the predicted rating of movie m splits exactly into
//!
//! ```text
//! E[r_m] = o_m + x̃_mᵀΣΛ₀m₀ + Σᵢ x̃_mᵀΣx̃ᵢ r̃ᵢ/vᵢ + (comparisons and likes)
//! ```
//!
//! "Because you liked X" names the rated movies with the largest positive terms x̃_mᵀΣx̃ᵢr̃ᵢ/vᵢ:
//! true statements about this prediction, not similarity guesses. "Matches your taste for
//! <genre>" comes from the visitor's personal weight on that genre feature times the movie's
//! value of it; "widely loved" from the movie's own quality o_m − μ (anchored on IMDb).

use ndarray::Array1;

use crate::features::BASE_FEATURES;
use crate::model::Model;
use crate::posterior::{Observation, Posterior};

/// One reason, with the stars it adds to the prediction.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// A rated movie (catalogue index) whose rating raises this prediction.
    BecauseYouRated {
        item: usize,
        rating: f32,
        stars: f32,
    },
    /// A genre (index into the bundle's genre names) the visitor's weights favour.
    Taste { genre: usize, stars: f32 },
    /// The movie's own quality, whoever watches: well above the average movie.
    WidelyLoved { stars: f32 },
}

impl Reason {
    /// The reason as a visitor reads it, e.g. "because you liked Heat (5★)".
    pub fn describe(&self, model: &Model) -> String {
        match self {
            Reason::BecauseYouRated { item, rating, .. } => {
                let stars = model
                    .header
                    .scale
                    .convert(*rating, &crate::RatingScale::STARS);
                // A low rating can raise a prediction too (tastes the visitor is not): say so.
                let verb = if stars >= 3.5 { "liked" } else { "disliked" };
                format!("because you {verb} {} ({stars}★)", model.movie(*item).title)
            }
            Reason::Taste { genre, .. } => {
                format!("matches your taste for {}", model.genre_names()[*genre])
            }
            Reason::WidelyLoved { .. } => "widely loved".to_string(),
        }
    }
}

/// Each rating's exact share of movie `m`'s predicted rating: x̃_mᵀΣx̃ᵢ r̃ᵢ/vᵢ, in the order of
/// `ratings` (the observations the posterior was fitted on).
pub fn rating_contributions(
    model: &Model,
    post: &Posterior,
    ratings: &[Observation],
    m: usize,
) -> Vec<f32> {
    let sx = sigma_x(model, post, m);
    let sigma2 = (model.header.sigma as f64).powi(2);
    ratings
        .iter()
        .map(|o| {
            let xi = model.design().row(o.item);
            let v = sigma2 + model.bias_variances()[o.item] as f64;
            let r = (o.rating - model.offsets()[o.item]) as f64;
            let dot: f64 = xi.iter().zip(&sx).map(|(&a, &b)| a as f64 * b).sum();
            (dot * r / v) as f32
        })
        .collect()
}

/// The prior's share of movie `m`'s prediction beyond its offset: x̃_mᵀΣΛ₀m₀.
pub fn prior_contribution<'a>(model: &'a Model, post: &'a Posterior) -> impl Fn(usize) -> f32 + 'a {
    let d = model.visitor_dim();
    let h = &model.header;
    let b0: Array1<f64> = (0..d)
        .map(|i| {
            (0..d)
                .map(|j| h.prior_precision[i * d + j] as f64 * h.prior_mean[j] as f64)
                .sum()
        })
        .collect();
    move |m| {
        let sx = sigma_x(model, post, m);
        sx.dot(&b0) as f32
    }
}

/// Σx̃_m.
fn sigma_x(model: &Model, post: &Posterior, m: usize) -> Array1<f64> {
    let x = model.design().row(m).mapv(|v| v as f64);
    post.cov().dot(&x)
}

/// Up to `max` reasons for recommending movie `m`, strongest first; only reasons that raise the
/// prediction by at least `min_stars`.
pub fn reasons(
    model: &Model,
    post: &Posterior,
    ratings: &[Observation],
    m: usize,
    max: usize,
    min_stars: f32,
) -> Vec<Reason> {
    let mut out: Vec<Reason> = Vec::new();
    for (o, stars) in ratings
        .iter()
        .zip(rating_contributions(model, post, ratings, m))
    {
        if stars >= min_stars {
            out.push(Reason::BecauseYouRated {
                item: o.item,
                rating: o.rating,
                stars,
            });
        }
    }
    // Genre features follow the base features in x; the visitor's weights sit at K + F in z.
    let k = model.k();
    let genres = model.movie(m).genres;
    for g in 0..model.genre_names().len() {
        if genres & (1 << g) == 0 {
            continue;
        }
        let col = k + BASE_FEATURES + g;
        let stars = (post.mean()[col] * model.design()[[m, col]] as f64) as f32;
        if stars >= min_stars {
            out.push(Reason::Taste { genre: g, stars });
        }
    }
    let quality = model.offsets()[m] - model.header.global_mean;
    if quality >= min_stars.max(0.3) {
        out.push(Reason::WidelyLoved { stars: quality });
    }
    let strength = |r: &Reason| match r {
        Reason::BecauseYouRated { stars, .. }
        | Reason::Taste { stars, .. }
        | Reason::WidelyLoved { stars } => *stars,
    };
    out.sort_by(|a, b| strength(b).total_cmp(&strength(a)));
    out.truncate(max);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn contributions_add_up_to_the_prediction_exactly() {
        let model = Model::from_bundle(fixture::random_bundle(4, 200, 5, 120));
        let ratings: Vec<Observation> = (0..12)
            .map(|j| Observation {
                item: j * 9,
                rating: 0.5 + (j % 10) as f32 / 2.0,
            })
            .collect();
        let post = Posterior::fit(&model, &ratings).unwrap();
        let prior = prior_contribution(&model, &post);
        for m in [1, 50, 150, 199] {
            let parts: f32 = rating_contributions(&model, &post, &ratings, m)
                .iter()
                .sum();
            let total = model.offsets()[m] + prior(m) + parts;
            let want = post.predict_mean(&model, m);
            assert!((total - want).abs() < 1e-4, "movie {m}: {total} vs {want}");
        }
    }

    #[test]
    fn a_loved_movie_is_named_as_the_reason_for_its_neighbour() {
        let model = Model::from_bundle(fixture::random_bundle(5, 300, 4, 200));
        // The movie most similar (in x̃) to item 10 should credit item 10's 5 stars.
        let ratings = [
            Observation {
                item: 10,
                rating: 5.0,
            },
            Observation {
                item: 20,
                rating: 3.0,
            },
        ];
        let post = Posterior::fit(&model, &ratings).unwrap();
        let c = rating_contributions(&model, &post, &ratings, 10);
        assert!(c[0] > 0.0, "a 5-star rating raises its own movie: {c:?}");
        let r = reasons(&model, &post, &ratings, 10, 3, 0.01);
        assert!(
            matches!(r.first(), Some(Reason::BecauseYouRated { item: 10, .. })),
            "{r:?}"
        );
        assert!(r.len() <= 3);
        let strengths: Vec<f32> = r
            .iter()
            .map(|x| match x {
                Reason::BecauseYouRated { stars, .. }
                | Reason::Taste { stars, .. }
                | Reason::WidelyLoved { stars } => *stars,
            })
            .collect();
        assert!(strengths.windows(2).all(|w| w[0] >= w[1]));
    }
}
