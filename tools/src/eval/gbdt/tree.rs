//! One regression tree of a boosted ensemble, grown on binned columns by second-order (Newton)
//! gain, as XGBoost and LightGBM grow theirs: each row brings a gradient g and a hessian h of
//! the loss in its current score, a leaf's value is −ΣG/(ΣH + λ), and a split is worth
//! ½[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)]. Columns are cut at quantiles once, so finding a
//! node's best split is one pass over its rows into per-bin sums and one scan of the bins,
//! whatever the number of distinct values.

use rayon::prelude::*;

use crate::eval::blend::P;

/// Quantile cut points of each column: a value v falls in bin b = #{cuts < v}, so bin ≤ b is
/// exactly v ≤ cuts[b] and a split on a bin is a split on a raw threshold.
#[derive(Debug, Clone, PartialEq)]
pub struct Bins {
    pub cuts: Vec<Vec<f64>>,
}

/// Rows the quantiles are read from at most (every k-th row beyond that: deterministic).
const QUANTILE_ROWS: usize = 200_000;

impl Bins {
    /// At most `max_bins` (≤ 256) bins per column. A column with no more distinct values than
    /// that gets one bin per value, so every split between two values can be found.
    pub fn fit(x: &[[f64; P]], max_bins: usize) -> Bins {
        assert!((2..=256).contains(&max_bins), "bins must fit a byte");
        let stride = x.len().div_ceil(QUANTILE_ROWS).max(1);
        let cuts = (0..P)
            .map(|j| {
                let mut v: Vec<f64> = x.iter().step_by(stride).map(|r| r[j]).collect();
                v.retain(|a| !a.is_nan());
                v.sort_by(f64::total_cmp);
                let mut distinct = v.clone();
                distinct.dedup();
                let mut cuts: Vec<f64> = if distinct.len() <= max_bins {
                    distinct
                } else {
                    (1..max_bins).map(|q| v[q * v.len() / max_bins]).collect()
                };
                cuts.dedup();
                // Above the largest cut is the last bin; the largest value needs no cut.
                if cuts.last() == v.last() {
                    cuts.pop();
                }
                cuts
            })
            .collect();
        Bins { cuts }
    }

    /// The bin of value `v` in column `j` (NaN: bin 0, as [`Tree::predict`] sends it left).
    pub fn bin(&self, j: usize, v: f64) -> u8 {
        self.cuts[j].partition_point(|&c| c < v) as u8
    }

    /// Every row binned.
    pub fn encode(&self, x: &[[f64; P]]) -> Vec<[u8; P]> {
        x.par_iter()
            .map(|r| std::array::from_fn(|j| self.bin(j, r[j])))
            .collect()
    }
}

/// A node: a leaf's value (shrinkage included) or a split "x[col] ≤ cut goes left".
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Leaf(f64),
    Split {
        col: usize,
        cut: f64,
        left: usize,
        right: usize,
    },
}

/// A tree; the root is node 0.
#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Tree {
    pub fn predict(&self, x: &[f64; P]) -> f64 {
        let mut at = 0;
        loop {
            match &self.nodes[at] {
                Node::Leaf(v) => return *v,
                // NaN goes left, as it bins to 0.
                Node::Split {
                    col,
                    cut,
                    left,
                    right,
                } => {
                    let v = x[*col];
                    at = if v <= *cut || v.is_nan() {
                        *left
                    } else {
                        *right
                    }
                }
            }
        }
    }
}

/// How a tree grows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grow {
    /// Splits from the root to a leaf at most.
    pub depth: usize,
    /// Least hessian sum in a child (XGBoost's min_child_weight).
    pub min_hess: f64,
    /// λ, the L2 penalty on leaf values.
    pub l2: f64,
    /// Leaf values are multiplied by this (the learning rate).
    pub shrink: f64,
}

/// The best split of a node: (gain, column, bin).
type Best = Option<(f64, usize, usize)>;

/// ½ G²/(H + λ): a leaf's loss reduction at its Newton value.
fn score(g: f64, h: f64, l2: f64) -> f64 {
    0.5 * g * g / (h + l2)
}

/// The best split of one column from its per-bin (G, H) sums; ties keep the lower bin.
fn best_in_column(hist: &[(f64, f64)], total: (f64, f64), p: &Grow) -> Option<(f64, usize)> {
    let parent = score(total.0, total.1, p.l2);
    let (mut gl, mut hl) = (0.0, 0.0);
    let mut best: Option<(f64, usize)> = None;
    for (b, &(g, h)) in hist.iter().enumerate().take(hist.len().saturating_sub(1)) {
        gl += g;
        hl += h;
        let (gr, hr) = (total.0 - gl, total.1 - hl);
        if hl < p.min_hess || hr < p.min_hess {
            continue;
        }
        let gain = score(gl, hl, p.l2) + score(gr, hr, p.l2) - parent;
        if gain > 1e-12 && best.is_none_or(|b| gain > b.0) {
            best = Some((gain, b));
        }
    }
    best
}

/// Grows one tree on binned rows `x` with gradients `g` and hessians `h`, adding each split's
/// gain to its column in `gains`.
pub fn grow(
    x: &[[u8; P]],
    bins: &Bins,
    g: &[f64],
    h: &[f64],
    p: &Grow,
    gains: &mut [f64; P],
) -> Tree {
    let mut tree = Tree { nodes: Vec::new() };
    let rows: Vec<u32> = (0..x.len() as u32).collect();
    node(&mut tree, x, bins, g, h, p, gains, rows, 0);
    tree
}

#[allow(clippy::too_many_arguments)]
fn node(
    tree: &mut Tree,
    x: &[[u8; P]],
    bins: &Bins,
    g: &[f64],
    h: &[f64],
    p: &Grow,
    gains: &mut [f64; P],
    rows: Vec<u32>,
    depth: usize,
) -> usize {
    let at = tree.nodes.len();
    let total = rows.iter().fold((0.0, 0.0), |a, &r| {
        (a.0 + g[r as usize], a.1 + h[r as usize])
    });
    tree.nodes
        .push(Node::Leaf(-total.0 / (total.1 + p.l2) * p.shrink));
    if depth >= p.depth || total.1 < 2.0 * p.min_hess {
        return at;
    }
    // One histogram per column, in parallel; each is summed in row order (deterministic).
    let per_column: Vec<Option<(f64, usize)>> = (0..P)
        .into_par_iter()
        .map(|j| {
            let mut hist = vec![(0.0, 0.0); bins.cuts[j].len() + 1];
            for &r in &rows {
                let b = &mut hist[x[r as usize][j] as usize];
                b.0 += g[r as usize];
                b.1 += h[r as usize];
            }
            best_in_column(&hist, total, p)
        })
        .collect();
    let mut best: Best = None;
    for (j, c) in per_column.into_iter().enumerate() {
        if let Some((gain, b)) = c {
            if best.is_none_or(|x| gain > x.0) {
                best = Some((gain, j, b));
            }
        }
    }
    let Some((gain, col, bin)) = best else {
        return at;
    };
    gains[col] += gain;
    let (l, r): (Vec<u32>, Vec<u32>) = rows
        .into_iter()
        .partition(|&i| x[i as usize][col] as usize <= bin);
    let left = node(tree, x, bins, g, h, p, gains, l, depth + 1);
    let right = node(tree, x, bins, g, h, p, gains, r, depth + 1);
    tree.nodes[at] = Node::Split {
        col,
        cut: bins.cuts[col][bin],
        left,
        right,
    };
    at
}
