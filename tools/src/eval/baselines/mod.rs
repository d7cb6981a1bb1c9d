//! The baselines the seeds describe, behind one interface so that every evaluation protocol
//! (random split, time split, fold-in) scores every model the same way.
//!
//! A user is described by a [`UserQuery`]: their dense index when the model was trained on them,
//! and always their known ratings (the training part, or the fold-in pool). Models that fold a
//! new user in (bias, mf, ials, the IRT model) use the history when the index is absent.

use crate::data::movielens::Ratings;

pub mod bias;
pub mod ease;
pub mod genre_content;
pub mod global_mean;
pub mod ials;
pub mod imdb_average;
pub mod knn_item;
pub mod knn_user;
pub mod mf;
pub mod popularity;
mod util;

/// Item side information aligned with the training [`Ratings`]' dense item indices.
#[derive(Debug, Clone, Default)]
pub struct SideInfo {
    /// Genre bitmask per dense item.
    pub genres: Vec<u32>,
    /// IMDb average rating (1–10) per dense item, if known.
    pub imdb_average: Vec<Option<f32>>,
    /// IMDb vote count per dense item (0 if unknown).
    pub imdb_votes: Vec<u32>,
    /// The bundle's item features per dense item, `n_features` each (empty when unknown).
    pub features: Vec<f32>,
    pub n_features: usize,
}

/// Who we predict for.
#[derive(Debug, Clone, Copy)]
pub struct UserQuery<'a> {
    /// Dense user index if this user's ratings were part of training.
    pub trained: Option<u32>,
    /// The user's known ratings: (dense item, rating).
    pub history: &'a [(u32, f32)],
}

/// A fitted model that predicts ratings (or, for top-N-only models, scores).
pub trait Recommender: Sync {
    /// The name used in `tools eval` output ("global-mean", "user-knn-pearson", ...).
    fn name(&self) -> &'static str;
    /// Whether `predict` returns ratings on the data's scale (false: only a ranking score,
    /// RMSE/MAE do not apply, e.g. `ease`, `popularity`).
    fn predicts_ratings(&self) -> bool {
        true
    }
    /// Writes a prediction (or score) for each of `items` into `out` (same length).
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]);
}

/// Everything a baseline may be fitted from.
pub struct TrainData<'a> {
    pub ratings: &'a Ratings,
    pub side: &'a SideInfo,
}
