//! Turning predictions into a top-N list: filters, exclusions and the ranking score.
//!
//! score = E[r] − caution · sd_epistemic + popularity · (standardised log IMDb votes).
//! The uncertainty term keeps a movie the model knows little about from outranking films it
//! knows well; the popularity term prefers movies a visitor is likely to know, because ranking
//! by predicted rating alone fills the list with obscure titles (issue 6 tunes both weights on
//! held-out users). With no answers at all this gives well-liked, well-known movies.

use std::collections::HashSet;

use crate::model::Model;
use crate::posterior::Predictions;

/// What list to make.
#[derive(Debug, Clone, PartialEq)]
pub struct RankOptions {
    pub top: usize,
    /// Only movies having every genre in this mask (0: any genre).
    pub genres: u32,
    /// How many epistemic standard deviations (the model's own uncertainty about the movie, not
    /// rating noise) to subtract from the mean.
    pub caution: f32,
    /// Weight on the movie's standardised log IMDb votes: how likely a visitor is to know it.
    /// Ranking by predicted rating alone fills the list with obscure titles; issue 6 tunes this
    /// on held-out users.
    pub popularity: f32,
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions {
            top: 20,
            genres: 0,
            caution: 1.0,
            popularity: 0.3,
        }
    }
}

/// One entry of a recommendation list.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub item: usize,
    /// Predicted rating on the model's scale, clipped to the scale.
    pub mean: f32,
    /// Predictive standard deviation of the rating.
    pub sd: f32,
    pub score: f32,
}

/// The best `opts.top` items not in `exclude` that pass the filters.
pub fn recommend(
    model: &Model,
    preds: &Predictions,
    exclude: &HashSet<usize>,
    opts: &RankOptions,
) -> Vec<Recommendation> {
    let x = model.design();
    let pop_col = model.k() + crate::features::LOG_VOTES;
    let mut scored: Vec<(f32, usize)> = (0..model.len())
        .filter(|i| !exclude.contains(i))
        .filter(|&i| opts.genres == 0 || model.movie(i).genres & opts.genres == opts.genres)
        .map(|i| {
            let known = opts.popularity * x[[i, pop_col]];
            (
                preds.mean[i] - opts.caution * preds.epistemic_var[i].sqrt() + known,
                i,
            )
        })
        .filter(|(s, _)| s.is_finite())
        .collect();
    let top = opts.top.min(scored.len());
    if top == 0 {
        return Vec::new();
    }
    let by_score = |a: &(f32, usize), b: &(f32, usize)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    scored.select_nth_unstable_by(top - 1, by_score);
    scored.truncate(top);
    scored.sort_unstable_by(by_score);
    let scale = model.header.scale;
    scored
        .into_iter()
        .map(|(score, item)| Recommendation {
            item,
            mean: scale.clamp(preds.mean[item]),
            sd: preds.sd(item),
            score,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::tests::tiny_bundle;
    use crate::posterior::{Observation, Posterior};

    #[test]
    fn excludes_filters_and_orders() {
        let model = Model::from_bundle(tiny_bundle());
        let post = Posterior::fit(
            &model,
            &[Observation {
                item: 0,
                rating: 5.0,
            }],
        )
        .unwrap();
        let preds = post.predict_all(&model);
        let exclude: HashSet<usize> = [0].into();
        let all = recommend(
            &model,
            &preds,
            &exclude,
            &RankOptions {
                top: 10,
                ..RankOptions::default()
            },
        );
        assert_eq!(all.len(), model.len() - 1);
        assert!(all.iter().all(|r| r.item != 0));
        assert!(all.windows(2).all(|w| w[0].score >= w[1].score));
        // Brute force: the first entry has the highest score among candidates.
        let best = (1..model.len())
            .max_by(|&a, &b| {
                let s = |i: usize| {
                    let pop = model.design()[[i, model.k() + crate::features::LOG_VOTES]];
                    preds.mean[i] - preds.epistemic_var[i].sqrt() + 0.3 * pop
                };
                s(a).total_cmp(&s(b))
            })
            .unwrap();
        assert_eq!(all[0].item, best);
        let drama = model.genre_mask("drama").unwrap();
        let dramas = recommend(
            &model,
            &preds,
            &exclude,
            &RankOptions {
                top: 10,
                genres: drama,
                ..RankOptions::default()
            },
        );
        assert_eq!(
            dramas.iter().map(|r| r.item).collect::<HashSet<_>>(),
            [1, 2, 3].into()
        );
        let scale = model.header.scale;
        assert!(all
            .iter()
            .all(|r| r.mean >= scale.min && r.mean <= scale.max));
    }
}
