//! What a list row shows about one movie: the prediction and its 80% interval, also for movies
//! shown outside the ranked list (the watchlist, a prediction asked for directly).

use crate::model::Model;
use crate::posterior::Posterior;

/// What a list row shows about one movie: the prediction and its 80% interval as
/// [`Recommendation`] carries them, for movies shown outside the ranked list (the watchlist).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowPrediction {
    /// Predicted rating on the model's scale, clipped to the scale.
    pub mean: f32,
    /// Predictive standard deviation of the rating.
    pub sd: f32,
    /// The central 80% predictive interval, clipped to the scale.
    pub interval80: (f32, f32),
    /// The predicted rating before clipping (orders movies the clipping would tie).
    pub unclipped: f32,
}

/// The 80% quantile multiplier of the visitor's Student-t predictive: one for a whole list,
/// since every movie shares the visitor's ν.
pub(super) fn q80(post: &Posterior) -> f32 {
    crate::noise::t_quantile(post.noise().dof(), 0.9) as f32
}

pub(super) fn row_with(model: &Model, post: &Posterior, item: usize, q80: f32) -> RowPrediction {
    let scale = model.header.scale;
    let p = post.predict(model, item);
    let h = q80 * p.predictive().scale as f32;
    let (lo, hi) = (p.mean - h, p.mean + h);
    RowPrediction {
        mean: scale.clamp(p.mean),
        sd: p.sd(),
        interval80: (scale.clamp(lo), scale.clamp(hi)),
        unclipped: p.mean,
    }
}

/// The prediction of each of `items`, exactly as a recommendation row gives it (mean, sd and
/// 80% interval, clipped to the scale), in the order given.
pub fn row_predictions(model: &Model, post: &Posterior, items: &[usize]) -> Vec<RowPrediction> {
    let q = q80(post);
    items.iter().map(|&i| row_with(model, post, i, q)).collect()
}
