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
