//! The two losses a boosted ensemble is fitted to, as per-row gradients and hessians of the
//! loss in the current scores (what [`super::tree::grow`] takes).
//!
//! - Pointwise: the weighted log-loss of "liked", the same objective as the shipped logistic
//!   blend, so the comparison isolates the model class (trees and interactions vs linear).
//! - LambdaMART: RankNet's pairwise logistic loss on every (liked, not liked) pair of one
//!   visitor, each pair weighted by |ΔNDCG|, the change in the visitor's NDCG if the two
//!   swapped places (Burges 2010): the loss of the list the visitor sees, not of each film.

use std::ops::Range;

use rayon::prelude::*;

/// Pointwise logistic loss: g = w(p − y), h = w·p(1 − p), p = σ(score).
pub fn logistic(score: &[f64], liked: &[bool], weight: &[f64], g: &mut [f64], h: &mut [f64]) {
    g.par_iter_mut()
        .zip(h.par_iter_mut())
        .enumerate()
        .for_each(|(i, (g, h))| {
            let p = 1.0 / (1.0 + (-score[i]).exp());
            *g = weight[i] * (p - liked[i] as u8 as f64);
            *h = weight[i] * p * (1.0 - p);
        });
}

/// 1 / log₂(1 + rank), rank from 1.
fn discount(rank: f64) -> f64 {
    1.0 / (1.0 + rank).log2()
}

/// LambdaMART's gradients for the rows of each group (one visitor each).
///
/// The rows are a sample of the catalogue (a sampled film of weight w stands for w films), so
/// a row's rank is estimated as 1 + the weight of the rows scored above it, and a pair
/// (liked i, not liked j) counts w_i·w_j times. NDCG uses binary gains over the whole list
/// (untruncated: a truncated NDCG@10 gives no gradient to the many liked films ranked far
/// down, which is where the sampled catalogue puts most of them early on).
pub fn lambdas(
    score: &[f64],
    liked: &[bool],
    weight: &[f64],
    groups: &[Range<usize>],
    g: &mut [f64],
    h: &mut [f64],
) {
    let parts: Vec<(Vec<f64>, Vec<f64>)> = groups
        .par_iter()
        .map(|r| group(&score[r.clone()], &liked[r.clone()], &weight[r.clone()]))
        .collect();
    for (r, (gs, hs)) in groups.iter().zip(parts) {
        g[r.clone()].copy_from_slice(&gs);
        h[r.clone()].copy_from_slice(&hs);
    }
}

/// One group's (gradients, hessians).
fn group(score: &[f64], liked: &[bool], weight: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let n = score.len();
    let (mut g, mut h) = (vec![0.0; n], vec![0.0; n]);
    let positives: Vec<usize> = (0..n).filter(|&i| liked[i]).collect();
    let negatives: Vec<usize> = (0..n).filter(|&i| !liked[i]).collect();
    if positives.is_empty() || negatives.is_empty() {
        return (g, h);
    }
    // Ranks by score (ties: the earlier row first), each row's estimated catalogue rank.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| score[b].total_cmp(&score[a]).then(a.cmp(&b)));
    let mut disc = vec![0.0; n];
    let mut above = 0.0;
    for &i in &order {
        disc[i] = discount(1.0 + above);
        above += weight[i];
    }
    let ideal: f64 = (1..=positives.len()).map(|p| discount(p as f64)).sum();
    for &i in &positives {
        for &j in &negatives {
            let dz = (disc[i] - disc[j]).abs() / ideal;
            let rho = 1.0 / (1.0 + (score[i] - score[j]).exp());
            let w = weight[i] * weight[j] * dz;
            let lambda = w * rho;
            g[i] -= lambda;
            g[j] += lambda;
            let c = w * rho * (1.0 - rho);
            h[i] += c;
            h[j] += c;
        }
    }
    (g, h)
}
