//! Choosing the model's two trust settings on the fold-in *tuning* users (never the reported
//! ones), by what a visitor feels (per-user Spearman of predicted vs held-out ratings, NDCG@10
//! of their liked movies over the whole catalogue) as well as RMSE:
//!
//! - **anchoring**: a multiplier on σ_b², the prior variance of each movie's quality around
//!   its IMDb-based prediction g(x_m). Below 1 pulls movie biases harder toward the IMDb
//!   consensus; above 1 lets the 610 MovieLens users move them more. Needs a retrain per value.
//! - **feature-weight prior**: a multiplier on the visitor prior's covariance of w (the
//!   personal weights on IMDb rating, votes, year, genres). Above 1 lets a few answers move
//!   those weights further. Engine-side only, so every value reuses one trained bundle.
//!
//! The grid is absolute: models are trained with both at 1, and the values chosen become
//! `IrtParams::default()` (measured on ml-latest-small, seed 42, 57 tuning users: anchoring 1,
//! feature prior 2; `tools tune` prints the grid).

use moviematch::Model;
use serde::Serialize;

use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::Ratings;
use crate::eval::fit::train_irt;
use crate::eval::foldin::{self, score_users, FoldUser};
use crate::eval::metrics::combine;
use crate::train::irt::IrtParams;
use crate::train::visitor::scale_feature_block;

/// One grid point's scores on the tuning users.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TunePoint {
    pub anchoring: f64,
    pub feature_prior: f64,
    pub rmse: Option<f64>,
    #[serde(rename = "ndcg@10")]
    pub ndcg_10: Option<f64>,
    pub spearman_user: Option<f64>,
    pub users: usize,
}

/// [`scale_feature_block`] on an engine's visitor prior.
pub fn scale_feature_prior(model: &mut Model, scale: f64) {
    let (k, f) = (model.k(), model.n_features());
    scale_feature_block(&mut model.header.prior_precision, k, f, scale);
}

/// Grid over the feature-prior scales for one trained engine.
pub fn feature_prior_grid(
    engine: &mut Model,
    anchoring: f64,
    scales: &[f64],
    users: &[&FoldUser],
    row: &(dyn Fn(u32) -> usize + Sync),
) -> Vec<TunePoint> {
    let original = engine.header.prior_precision.clone();
    let points = scales
        .iter()
        .map(|&s| {
            engine.header.prior_precision.clone_from(&original);
            scale_feature_prior(engine, s);
            let scores = score_users(engine, users, row);
            let m = combine("irt-int8", &scores, true);
            TunePoint {
                anchoring,
                feature_prior: s,
                rmse: m.rmse,
                ndcg_10: m.ndcg_10,
                spearman_user: m.spearman_user,
                users: users.len(),
            }
        })
        .collect();
    engine.header.prior_precision = original;
    points
}

/// The point a visitor would prefer: the best mean per-user Spearman, unless another point is
/// within 0.002 of it and has a lower RMSE (RMSE breaks near-ties, it does not decide).
pub fn choose(points: &[TunePoint]) -> Option<&TunePoint> {
    let best = points
        .iter()
        .filter_map(|p| p.spearman_user)
        .fold(f64::NEG_INFINITY, f64::max);
    points
        .iter()
        .filter(|p| p.spearman_user.is_some_and(|s| s >= best - 0.002))
        .min_by(|a, b| {
            a.rmse
                .unwrap_or(f64::INFINITY)
                .total_cmp(&b.rmse.unwrap_or(f64::INFINITY))
        })
}

/// The whole grid on the fold-in split of `seed`: one training per `anchoring` value, each
/// scored at every `feature_prior` scale on the tuning users. Returns the number of tuning
/// users and the grid, anchoring-major; prints each point as it is scored.
pub fn grid(
    ratings: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    epochs: usize,
    anchoring: &[f64],
    feature_prior: &[f64],
) -> (usize, Vec<TunePoint>) {
    let fold = foldin::split(ratings, seed);
    let tuning: Vec<&FoldUser> = fold.users.iter().filter(|u| u.tuning).collect();
    let mut grid = Vec::new();
    for &anchoring in anchoring {
        let params = IrtParams {
            epochs,
            anchoring,
            // The grid multiplies the trained prior: train it unscaled.
            feature_prior: 1.0,
            ..IrtParams::default()
        };
        eprintln!(
            "anchoring × {anchoring}: training on {} ratings",
            fold.train.len()
        );
        let mut engine = train_irt(&fold.train, cat, seed, &params).engine;
        let train = &fold.train;
        let ids = foldin::catalogue_rows(&engine, train);
        let row = move |i: u32| ids[i as usize];
        let points = feature_prior_grid(&mut engine, anchoring, feature_prior, &tuning, &row);
        for p in &points {
            eprintln!(
                "anchoring × {:<5} feature prior × {:<5} RMSE {:.4}  NDCG@10 {:.4}  Spearman {:.4}",
                p.anchoring,
                p.feature_prior,
                p.rmse.unwrap_or(f64::NAN),
                p.ndcg_10.unwrap_or(f64::NAN),
                p.spearman_user.unwrap_or(f64::NAN)
            );
        }
        grid.extend(points);
    }
    (tuning.len(), grid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::fixture;
    use ndarray::Array2;

    #[test]
    fn scaling_the_feature_prior_scales_exactly_that_block_of_the_covariance() {
        let mut b = fixture::random_bundle(3, 50, 3, 20);
        // A dense, non-diagonal prior precision: Λ = AᵀA + I.
        let d = b.header.prior_mean.len();
        let a: Vec<f64> = (0..d * d)
            .map(|i| ((i * 37 % 11) as f64 - 5.0) / 9.0)
            .collect();
        for i in 0..d {
            for j in 0..d {
                let v: f64 = (0..d).map(|t| a[t * d + i] * a[t * d + j]).sum::<f64>()
                    + if i == j { 1.0 } else { 0.0 };
                b.header.prior_precision[i * d + j] = v as f32;
            }
        }
        let mut model = Model::from_bundle(b);
        let cov = |m: &Model| {
            let p =
                Array2::from_shape_fn((d, d), |(i, j)| m.header.prior_precision[i * d + j] as f64);
            let l = moviematch::linalg::cholesky(&p).unwrap();
            moviematch::linalg::cho_inverse(&l)
        };
        let before = cov(&model);
        scale_feature_prior(&mut model, 4.0);
        let after = cov(&model);
        let (k, f) = (model.k(), model.n_features());
        let in_w = |j: usize| (k..k + f).contains(&j);
        for i in 0..d {
            for j in 0..d {
                let factor = match (in_w(i), in_w(j)) {
                    (true, true) => 4.0,
                    (true, false) | (false, true) => 2.0,
                    _ => 1.0,
                };
                approx::assert_relative_eq!(
                    after[[i, j]],
                    factor * before[[i, j]],
                    max_relative = 1e-4,
                    epsilon = 1e-6
                );
            }
        }
    }

    #[test]
    fn choice_prefers_spearman_and_breaks_near_ties_by_rmse() {
        let p = |a: f64, s: f64, r: f64| TunePoint {
            anchoring: a,
            feature_prior: 1.0,
            rmse: Some(r),
            ndcg_10: None,
            spearman_user: Some(s),
            users: 10,
        };
        let points = [p(1.0, 0.40, 0.80), p(2.0, 0.45, 0.90), p(3.0, 0.449, 0.85)];
        assert_eq!(choose(&points).unwrap().anchoring, 3.0);
        let points = [p(1.0, 0.40, 0.80), p(2.0, 0.45, 0.90)];
        assert_eq!(choose(&points).unwrap().anchoring, 2.0);
        assert!(choose(&[]).is_none());
    }
}
