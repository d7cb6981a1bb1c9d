//! Gradient-boosted trees on the blend's samples, to measure what the shipped *logistic* blend
//! ([`crate::eval::blend`]) leaves on the table (issue 14): the same columns, the same
//! fold-in tuning users, the same labels, but a ranker that can bend and combine the terms.
//! An offline comparison only: the engine's exact top N needs a score linear in the
//! visitor's tastes, which a tree ensemble is not.
//!
//! A small own implementation (no well-kept crate does LambdaMART on weighted, sampled
//! groups): Newton-boosted regression trees ([`tree`]) fitted to a pointwise log-loss or to
//! LambdaMART's pairwise lambdas ([`loss`]). Deterministic: no row or column sampling, sums
//! in a fixed order.

pub mod loss;
pub mod tree;

use std::ops::Range;

use moviematch::rank::{terms, Taste};
use moviematch::Model;
use rayon::prelude::*;

use crate::eval::blend::{self, Samples, P};
use crate::eval::foldin::FoldUser;
use tree::{Bins, Grow, Tree};

/// What the trees are fitted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Log-loss of "liked" per sample (weights as the logistic blend's).
    Pointwise,
    /// Pairwise lambdas weighted by |ΔNDCG| within each visitor.
    LambdaMart,
}

/// The ensemble's settings. The two penalties are shares of each tree's hessian sum, so
/// they mean the same for both objectives, whose hessians differ in scale by orders.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub trees: usize,
    pub depth: usize,
    pub learning_rate: f64,
    /// The least share of the tree's hessian sum in a leaf.
    pub min_leaf: f64,
    /// λ on leaf values, as a share of the tree's hessian sum.
    pub l2: f64,
    /// Quantile bins per column (≤ 256).
    pub bins: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            trees: 200,
            depth: 4,
            learning_rate: 0.1,
            min_leaf: 1e-3,
            l2: 1e-3,
            bins: 128,
        }
    }
}

/// The blend's samples with each row's visitor, so rows can be grouped into queries.
#[derive(Debug, Clone, Default)]
pub struct Grouped {
    pub samples: Samples,
    /// The visitor of each row; a visitor's rows are contiguous.
    pub group: Vec<u32>,
}

impl Grouped {
    /// [`blend::samples`] user by user (the rows are the same: each user's draw is seeded by
    /// `seed` and their id alone), each row tagged with its user.
    pub fn of_users(
        model: &Model,
        users: &[&FoldUser],
        row_of: &(dyn Fn(u32) -> usize + Sync),
        negatives: usize,
        seed: u64,
    ) -> Grouped {
        let parts: Vec<(u32, Samples)> = users
            .par_iter()
            .map(|u| {
                (
                    u.user,
                    blend::samples(model, &[*u], row_of, negatives, seed),
                )
            })
            .collect();
        let mut out = Grouped::default();
        for (user, s) in parts {
            out.group.extend(std::iter::repeat_n(user, s.x.len()));
            out.samples.x.extend(s.x);
            out.samples.liked.extend(s.liked);
            out.samples.weight.extend(s.weight);
        }
        out
    }

    /// The rows of the groups `keep` says yes to.
    pub fn select(&self, keep: impl Fn(u32) -> bool) -> Grouped {
        let mut out = Grouped::default();
        for (i, &g) in self.group.iter().enumerate() {
            if keep(g) {
                out.group.push(g);
                out.samples.x.push(self.samples.x[i]);
                out.samples.liked.push(self.samples.liked[i]);
                out.samples.weight.push(self.samples.weight[i]);
            }
        }
        out
    }

    /// The row ranges of the groups (runs of one id).
    pub fn ranges(&self) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        for (i, g) in self.group.iter().enumerate() {
            match out.last_mut() {
                Some(r) if self.group[r.start] == *g => r.end = i + 1,
                _ => out.push(i..i + 1),
            }
        }
        out
    }
}

/// A fitted ensemble: score = base + Σ trees.
#[derive(Debug, Clone, PartialEq)]
pub struct Gbdt {
    pub objective: Objective,
    pub base: f64,
    pub trees: Vec<Tree>,
    /// Summed split gain per column.
    pub gains: [f64; P],
}

impl Gbdt {
    /// Boosts `p.trees` trees on `s` for `objective`.
    pub fn fit(s: &Grouped, objective: Objective, p: &Params) -> Gbdt {
        let x = &s.samples.x;
        let n = x.len();
        let bins = Bins::fit(x, p.bins);
        let binned = bins.encode(x);
        let liked = &s.samples.liked;
        let (weight, base) = match objective {
            // Weights to mean 1, as the logistic fit's; the base is the weighted base rate.
            Objective::Pointwise => {
                let sum: f64 = s.samples.weight.iter().sum::<f64>().max(1e-12);
                let w: Vec<f64> = s
                    .samples
                    .weight
                    .iter()
                    .map(|w| w * n as f64 / sum)
                    .collect();
                let pos: f64 = w.iter().zip(liked).filter(|x| *x.1).map(|x| x.0).sum();
                let rate = (pos / n as f64).clamp(1e-9, 1.0 - 1e-9);
                (w, (rate / (1.0 - rate)).ln())
            }
            Objective::LambdaMart => (s.samples.weight.clone(), 0.0),
        };
        let groups = s.ranges();
        let mut score = vec![base; n];
        let (mut g, mut h) = (vec![0.0; n], vec![0.0; n]);
        let mut gains = [0.0; P];
        let mut trees = Vec::with_capacity(p.trees);
        for _ in 0..p.trees {
            match objective {
                Objective::Pointwise => loss::logistic(&score, liked, &weight, &mut g, &mut h),
                Objective::LambdaMart => {
                    loss::lambdas(&score, liked, &weight, &groups, &mut g, &mut h)
                }
            }
            let total: f64 = h.iter().sum();
            if total <= 0.0 {
                break;
            }
            let grow = Grow {
                depth: p.depth,
                min_hess: p.min_leaf * total,
                l2: p.l2 * total,
                shrink: p.learning_rate,
            };
            let t = tree::grow(&binned, &bins, &g, &h, &grow, &mut gains);
            score
                .par_iter_mut()
                .zip(x.par_iter())
                .for_each(|(s, x)| *s += t.predict(x));
            trees.push(t);
        }
        Gbdt {
            objective,
            base,
            trees,
            gains,
        }
    }

    pub fn predict(&self, x: &[f64; P]) -> f64 {
        self.base + self.trees.iter().map(|t| t.predict(x)).sum::<f64>()
    }

    /// The score after each of the first `at` (ascending) trees.
    pub fn staged(&self, x: &[f64; P], at: &[usize]) -> Vec<f64> {
        let mut out = Vec::with_capacity(at.len());
        let mut s = self.base;
        let mut done = 0;
        for &k in at {
            let k = k.min(self.trees.len());
            for t in &self.trees[done.min(k)..k] {
                s += t.predict(x);
            }
            done = done.max(k);
            out.push(s);
        }
        out
    }

    /// Split-gain importances, summing to 1 (all 0 without a split).
    pub fn importance(&self) -> [f64; P] {
        let sum: f64 = self.gains.iter().sum();
        self.gains.map(|v| if sum > 0.0 { v / sum } else { 0.0 })
    }
}

/// Every catalogue film's row for one visitor (the blend's columns, as [`blend::samples`]
/// builds them): what an offline ranker scores to rank the whole catalogue.
pub fn catalogue_rows(model: &Model, taste: &Taste<'_>) -> Vec<[f64; P]> {
    let ids: Vec<usize> = (0..model.len()).collect();
    ids.par_chunks(4096)
        .flat_map_iter(|c| {
            terms(model, taste, c)
                .into_iter()
                .zip(c)
                .map(|(t, &i)| blend::row(model, &t, i, taste.answers))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests;
