//! The metrics of every evaluation, as plain functions of predictions and held-out ratings:
//! RMSE and MAE of clipped predictions, Recall@20 and NDCG@10 of the held-out liked movies
//! (rated ≥ 4) in a ranked list (and Recall@50, hit@10, precision@10; for fold-in also how
//! personal the lists are: coverage@20 and overlap@20), the per-user Spearman correlation of predicted and held-out
//! ratings, and the coverage of predictive intervals. A user's figures are a [`UserScore`];
//! [`combine`] averages them into a model's [`ModelScore`], [`mean_over_seeds`] averages those.

use std::collections::HashSet;

use rand::{rngs::StdRng, RngExt, SeedableRng};
use serde::Serialize;

/// Held-out ratings at or above this are the movies a ranking should find.
pub const RELEVANT: f32 = 4.0;
/// The rating scale predictions are clipped to before RMSE, MAE and Spearman.
pub const SCALE: (f32, f32) = (0.5, 5.0);
/// Length of the ranked list Recall is measured on.
pub const RECALL_AT: usize = 20;
/// Length of the ranked list NDCG is measured on.
pub const NDCG_AT: usize = 10;
/// The wider recall cut-off, and the cut-offs of hit rate and precision (seed 002's metrics).
pub const RECALL_WIDE_AT: usize = 50;
pub const HIT_AT: usize = 10;
pub const PRECISION_AT: usize = 10;
/// Length of the lists whose union (coverage) and pairwise overlap are measured.
pub const SET_AT: usize = 20;
/// Overlap compares every pair of users: at most this many users (the first ones) take part,
/// so that a 30,000-user fold-in costs seconds, not hours.
pub const OVERLAP_USERS: usize = 2_000;
/// Fewest rated targets a user needs for a Spearman correlation.
pub const SPEARMAN_MIN: usize = 5;

/// One model's scores (means over the users, then over the seeds). `None` where a metric does
/// not apply.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ModelScore {
    pub name: String,
    pub rmse: Option<f64>,
    pub rmse_sd: Option<f64>,
    pub mae: Option<f64>,
    #[serde(rename = "recall@20")]
    pub recall_20: Option<f64>,
    #[serde(rename = "ndcg@10")]
    pub ndcg_10: Option<f64>,
    pub interval_cov50: Option<f64>,
    pub interval_cov90: Option<f64>,
    pub spearman_user: Option<f64>,
    #[serde(rename = "recall@50", skip_serializing_if = "Option::is_none")]
    pub recall_50: Option<f64>,
    #[serde(rename = "hit@10", skip_serializing_if = "Option::is_none")]
    pub hit_10: Option<f64>,
    #[serde(rename = "precision@10", skip_serializing_if = "Option::is_none")]
    pub precision_10: Option<f64>,
    /// Share of the candidates that are in at least one user's top 20 (fold-in only).
    #[serde(rename = "coverage@20", skip_serializing_if = "Option::is_none")]
    pub coverage_20: Option<f64>,
    /// Mean Jaccard overlap |A∩B|/|A∪B| of two users' top 20s over all pairs (fold-in only).
    #[serde(rename = "overlap@20", skip_serializing_if = "Option::is_none")]
    pub overlap_20: Option<f64>,
}

/// One user's figures, before averaging.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct UserScore {
    /// Sum of squared errors of the clipped predictions of the targets.
    pub se: f64,
    /// Sum of absolute errors of the clipped predictions of the targets.
    pub ae: f64,
    /// Targets the errors are summed over (0 when the model does not predict ratings).
    pub n: usize,
    /// (Recall@20, NDCG@10), when the user has relevant targets.
    pub topn: Option<(f64, f64)>,
    /// Spearman correlation of predictions and targets, with at least [`SPEARMAN_MIN`] targets.
    pub spearman: Option<f64>,
    /// (Recall@50, hit@10, precision@10), when the user has relevant targets.
    pub wide: Option<(f64, f64, f64)>,
    /// The first [`SET_AT`] of the user's ranking (for coverage and overlap).
    pub top: Vec<usize>,
}

impl UserScore {
    /// NDCG@10, when the user has relevant targets.
    pub fn ndcg(&self) -> Option<f64> {
        self.topn.map(|t| t.1)
    }
}

/// The `n` best candidates by `scores`, best first (ties: lower index first). Candidates in
/// `exclude` score −∞, so they come last and only fill the list when too few others are left.
pub fn top_n(scores: &[f32], exclude: &[usize], n: usize) -> Vec<usize> {
    let mut scores = scores.to_vec();
    for &i in exclude {
        scores[i] = f32::NEG_INFINITY;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    let cut = n.min(order.len());
    if cut == 0 {
        return Vec::new();
    }
    let by_score = |a: &usize, b: &usize| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b));
    order.select_nth_unstable_by(cut - 1, by_score);
    order.truncate(cut);
    order.sort_by(by_score);
    order
}

/// Share of the `relevant` candidates among the first `k` of `ranked`; `None` without any.
pub fn recall_at(ranked: &[usize], relevant: &HashSet<usize>, k: usize) -> Option<f64> {
    (!relevant.is_empty()).then(|| {
        let hits = ranked
            .iter()
            .take(k)
            .filter(|i| relevant.contains(i))
            .count();
        hits as f64 / relevant.len() as f64
    })
}

/// Normalised discounted cumulative gain of the first `k` of `ranked` with binary gains (1 for a
/// `relevant` candidate at position p, discounted by log₂(p + 2)); `None` without relevant ones.
pub fn ndcg_at(ranked: &[usize], relevant: &HashSet<usize>, k: usize) -> Option<f64> {
    (!relevant.is_empty()).then(|| {
        let dcg: f64 = ranked
            .iter()
            .take(k)
            .enumerate()
            .filter(|(_, i)| relevant.contains(i))
            .map(|(p, _)| 1.0 / (p as f64 + 2.0).log2())
            .sum();
        let idcg: f64 = (0..relevant.len().min(k))
            .map(|p| 1.0 / (p as f64 + 2.0).log2())
            .sum();
        dcg / idcg
    })
}

/// Spearman rank correlation (average ranks for ties); None when either side is constant: the
/// engine's, on the pairs' two sides.
pub fn spearman(pairs: &[(f64, f64)]) -> Option<f64> {
    let (a, b): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    moviematch::session::spearman(&a, &b)
}

/// Scores predictions `pred` (indexed by candidate) for one user: `targets` as (candidate,
/// rating), `exclude` the candidates the user already gave (never ranked). With `ratings`
/// false (a model that only ranks) only the ranking metrics are computed.
pub fn score_user(
    pred: &[f32],
    targets: &[(usize, f32)],
    exclude: &[usize],
    ratings: bool,
) -> UserScore {
    let (lo, hi) = SCALE;
    let (mut se, mut ae) = (0.0, 0.0);
    let mut pairs = Vec::new();
    if ratings {
        for &(i, r) in targets {
            let p = pred[i].clamp(lo, hi);
            se += ((p - r) as f64).powi(2);
            ae += ((p - r) as f64).abs();
            pairs.push((p as f64, r as f64));
        }
    }
    let rel: HashSet<usize> = targets
        .iter()
        .filter(|t| t.1 >= RELEVANT)
        .map(|t| t.0)
        .collect();
    let ranked = top_n(pred, exclude, RECALL_WIDE_AT.max(RECALL_AT).max(SET_AT));
    let topn = (!rel.is_empty()).then(|| {
        (
            recall_at(&ranked, &rel, RECALL_AT).unwrap_or(0.0),
            ndcg_at(&ranked, &rel, NDCG_AT).unwrap_or(0.0),
        )
    });
    let wide = (!rel.is_empty()).then(|| {
        let hits = |k: usize| ranked.iter().take(k).filter(|i| rel.contains(i)).count();
        (
            recall_at(&ranked, &rel, RECALL_WIDE_AT).unwrap_or(0.0),
            if hits(HIT_AT) > 0 { 1.0 } else { 0.0 },
            hits(PRECISION_AT) as f64 / PRECISION_AT as f64,
        )
    });
    let spearman = (ratings && pairs.len() >= SPEARMAN_MIN)
        .then(|| spearman(&pairs))
        .flatten();
    UserScore {
        se,
        ae,
        n: if ratings { targets.len() } else { 0 },
        topn,
        spearman,
        wide,
        top: ranked.into_iter().take(SET_AT).collect(),
    }
}

/// A model's scores from its users': RMSE and MAE over all their targets, the ranking metrics
/// and Spearman averaged over the users that have them.
pub fn combine(name: &str, users: &[UserScore], ratings: bool) -> ModelScore {
    let n: usize = users.iter().map(|p| p.n).sum();
    let (se, ae) = users
        .iter()
        .fold((0.0, 0.0), |a, p| (a.0 + p.se, a.1 + p.ae));
    let avg = |v: Vec<f64>| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    ModelScore {
        name: name.to_string(),
        rmse: (ratings && n > 0).then(|| (se / n as f64).sqrt()),
        mae: (ratings && n > 0).then(|| ae / n as f64),
        recall_20: avg(users.iter().filter_map(|p| p.topn.map(|t| t.0)).collect()),
        ndcg_10: avg(users.iter().filter_map(|p| p.topn.map(|t| t.1)).collect()),
        spearman_user: avg(users.iter().filter_map(|p| p.spearman).collect()),
        recall_50: avg(users.iter().filter_map(|p| p.wide.map(|w| w.0)).collect()),
        hit_10: avg(users.iter().filter_map(|p| p.wide.map(|w| w.1)).collect()),
        precision_10: avg(users.iter().filter_map(|p| p.wide.map(|w| w.2)).collect()),
        ..ModelScore::default()
    }
}

/// How personal a model's lists are: coverage@20, the share of the `candidates` in at least
/// one user's top 20, and overlap@20, the mean Jaccard overlap of two users' top 20s over every
/// pair of users (of the first [`OVERLAP_USERS`]). `None` for fewer than two users.
pub fn list_sets(users: &[UserScore], candidates: usize) -> (Option<f64>, Option<f64>) {
    let tops: Vec<HashSet<usize>> = users
        .iter()
        .take(OVERLAP_USERS)
        .map(|u| u.top.iter().copied().collect())
        .collect();
    let union: HashSet<usize> = users.iter().flat_map(|u| u.top.iter().copied()).collect();
    let coverage =
        (candidates > 0 && !users.is_empty()).then(|| union.len() as f64 / candidates as f64);
    let mut sum = 0.0;
    let mut pairs = 0usize;
    for (a, ta) in tops.iter().enumerate() {
        for tb in &tops[a + 1..] {
            let inter = ta.intersection(tb).count();
            let uni = ta.len() + tb.len() - inter;
            if uni > 0 {
                sum += inter as f64 / uni as f64;
                pairs += 1;
            }
        }
    }
    (coverage, (pairs > 0).then(|| sum / pairs as f64))
}

/// [`combine`] plus coverage@20 and overlap@20 over `candidates` movies.
pub fn combine_with_sets(
    name: &str,
    users: &[UserScore],
    ratings: bool,
    candidates: usize,
) -> ModelScore {
    let (coverage_20, overlap_20) = list_sets(users, candidates);
    ModelScore {
        coverage_20,
        overlap_20,
        ..combine(name, users, ratings)
    }
}

/// One model's scores over several seeds: each metric's mean over the seeds where it applies,
/// and the sample standard deviation of RMSE (with at least two seeds).
pub fn mean_over_seeds(runs: &[&ModelScore]) -> ModelScore {
    let mean = |f: &dyn Fn(&ModelScore) -> Option<f64>| {
        let v: Vec<f64> = runs.iter().filter_map(|s| f(s)).collect();
        (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
    };
    let rmse_sd = {
        let v: Vec<f64> = runs.iter().filter_map(|s| s.rmse).collect();
        (v.len() > 1).then(|| {
            let m = v.iter().sum::<f64>() / v.len() as f64;
            (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
        })
    };
    ModelScore {
        name: runs[0].name.clone(),
        rmse: mean(&|s| s.rmse),
        rmse_sd,
        mae: mean(&|s| s.mae),
        recall_20: mean(&|s| s.recall_20),
        ndcg_10: mean(&|s| s.ndcg_10),
        interval_cov50: mean(&|s| s.interval_cov50),
        interval_cov90: mean(&|s| s.interval_cov90),
        spearman_user: mean(&|s| s.spearman_user),
        recall_50: mean(&|s| s.recall_50),
        hit_10: mean(&|s| s.hit_10),
        precision_10: mean(&|s| s.precision_10),
        coverage_20: mean(&|s| s.coverage_20),
        overlap_20: mean(&|s| s.overlap_20),
    }
}

/// Counts of held-out ratings inside the central 50% and 90% predictive intervals.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Coverage {
    in50: usize,
    in90: usize,
    n: usize,
}

impl Coverage {
    /// One rating at `deviation` = |rating − predictive mean| from the centre of intervals of
    /// half-widths `half50` and `half90` (a deviation equal to the half-width is inside).
    pub fn add(&mut self, deviation: f64, half50: f64, half90: f64) {
        self.in50 += (deviation <= half50) as usize;
        self.in90 += (deviation <= half90) as usize;
        self.n += 1;
    }

    /// The shares inside (50%, 90%); (0, 0) without ratings.
    pub fn shares(&self) -> (f64, f64) {
        let n = self.n.max(1) as f64;
        (self.in50 as f64 / n, self.in90 as f64 / n)
    }
}

/// Jitter in [−0.25, 0.25] added to each held-out rating, in order, before its interval is
/// checked (undoes half-star rounding): seeded, so coverage is reproducible.
pub fn jitter(seed: u64) -> impl FnMut() -> f64 {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x717);
    move || rng.random::<f64>() * 0.5 - 0.25
}

#[cfg(test)]
mod tests;
