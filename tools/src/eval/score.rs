//! Scoring one fitted model on a held-out part whose users it was trained on: every metric of
//! [`crate::eval::metrics`] per user, and the coverage of its predictive intervals.

use moviematch::noise::VisitorNoise;
use rayon::prelude::*;

use crate::data::movielens::Ratings;
use crate::eval::adapters::{predictive, Intervals};
use crate::eval::baselines::{Recommender, UserQuery};
use crate::eval::metrics::{combine, jitter, score_user, Coverage, ModelScore, UserScore};

/// Scores one model on the held-out part `test`: each user's held-out ratings are the targets,
/// and every movie they did not rate in `train` is a candidate of the ranking.
pub fn score(model: &dyn Recommender, train: &Ratings, test: &Ratings) -> ModelScore {
    let nu = train.n_users();
    let mut hist: Vec<Vec<(u32, f32)>> = vec![Vec::new(); nu];
    for j in 0..train.len() {
        hist[train.user[j] as usize].push((train.item[j], train.value[j]));
    }
    let mut held: Vec<Vec<(usize, f32)>> = vec![Vec::new(); nu];
    for j in 0..test.len() {
        held[test.user[j] as usize].push((test.item[j] as usize, test.value[j]));
    }
    let all_items: Vec<u32> = (0..train.n_items() as u32).collect();
    // Candidates for the top-N: everything the user has not rated in training.
    let per_user: Vec<UserScore> = (0..nu)
        .into_par_iter()
        .filter(|&u| !held[u].is_empty())
        .map(|u| {
            let mut pred = vec![0f32; all_items.len()];
            model.predict(
                UserQuery {
                    trained: Some(u as u32),
                    history: &hist[u],
                },
                &all_items,
                &mut pred,
            );
            let exclude: Vec<usize> = hist[u].iter().map(|h| h.0 as usize).collect();
            score_user(&pred, &held[u], &exclude, model.predicts_ratings())
        })
        .collect();
    combine(model.name(), &per_user, model.predicts_ratings())
}

/// Share of held-out ratings (jittered ±0.25, see [`jitter`]) inside the 50% and 90%
/// predictive intervals, computed before clipping to the scale.
pub fn coverage<M: Recommender + Intervals>(
    model: &M,
    noise: &[VisitorNoise],
    test: &Ratings,
    seed: u64,
) -> (f64, f64) {
    let mut jit = jitter(seed);
    let mut cov = Coverage::default();
    for j in 0..test.len() {
        let u = test.user[j] as usize;
        let (mean, p) = predictive(model, &noise[u], u, test.item[j]);
        let dev = (test.value[j] as f64 + jit() - mean as f64).abs();
        cov.add(dev, p.half_width(0.5), p.half_width(0.9));
    }
    cov.shares()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use approx::assert_relative_eq;

    use super::*;

    fn ratings(rows: &[(u32, u32, f32)]) -> Ratings {
        Ratings {
            user: rows.iter().map(|r| r.0).collect(),
            item: rows.iter().map(|r| r.1).collect(),
            value: rows.iter().map(|r| r.2).collect(),
            time: vec![0; rows.len()],
            user_ids: vec![1, 2],
            item_ids: (1..=7).collect(),
        }
    }

    fn split() -> (Ratings, Ratings) {
        let train = ratings(&[(0, 0, 3.0), (0, 1, 2.0), (1, 0, 4.0)]);
        let test = ratings(&[
            (0, 2, 5.0),
            (0, 3, 1.0),
            (0, 4, 4.5),
            (0, 5, 2.0),
            (0, 6, 3.0),
            (1, 1, 4.0),
        ]);
        (train, test)
    }

    /// Knows every held-out rating; scores what the user rated in training far above anything.
    struct Oracle(HashMap<(u32, u32), f32>);

    impl Recommender for Oracle {
        fn name(&self) -> &'static str {
            "oracle"
        }
        fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
            let u = user.trained.unwrap();
            for (o, &i) in out.iter_mut().zip(items) {
                *o = if user.history.iter().any(|h| h.0 == i) {
                    100.0
                } else {
                    self.0.get(&(u, i)).copied().unwrap_or(0.0)
                };
            }
        }
    }

    struct Constant;

    impl Recommender for Constant {
        fn name(&self) -> &'static str {
            "constant"
        }
        fn predict(&self, _: UserQuery<'_>, _: &[u32], out: &mut [f32]) {
            out.fill(3.0);
        }
    }

    #[test]
    fn an_oracle_scores_perfectly_and_training_movies_are_never_ranked() {
        let (train, test) = split();
        let truth = (0..test.len())
            .map(|j| ((test.user[j], test.item[j]), test.value[j]))
            .collect();
        let s = score(&Oracle(truth), &train, &test);
        assert_eq!(s.name, "oracle");
        assert_eq!((s.rmse, s.mae), (Some(0.0), Some(0.0)));
        assert_eq!((s.recall_20, s.ndcg_10), (Some(1.0), Some(1.0)));
        // Only user 0 has five held-out ratings.
        assert_relative_eq!(s.spearman_user.unwrap(), 1.0);
    }

    #[test]
    fn a_constant_scores_its_closed_form() {
        let (train, test) = split();
        let s = score(&Constant, &train, &test);
        // Errors 2, 2, 1.5, 1, 0 (user 0) and 1 (user 1).
        assert_relative_eq!(s.rmse.unwrap(), (12.25f64 / 6.0).sqrt());
        assert_relative_eq!(s.mae.unwrap(), 7.5 / 6.0);
        // Ties rank by index: user 0's liked 2 and 4 come 1st and 3rd of the unrated movies,
        // user 1's liked 1 comes first.
        let user0 = (1.0 + 1.0 / 4f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert_relative_eq!(s.ndcg_10.unwrap(), (user0 + 1.0) / 2.0);
        assert_eq!(s.recall_20, Some(1.0));
        assert_eq!(s.spearman_user, None, "constant predictions have no ranks");
    }
}
