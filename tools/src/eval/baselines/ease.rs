//! "ease": EASE (Steck, "Embarrassingly Shallow Autoencoders for Sparse Data", WWW 2019), a
//! linear item-item model on the binary "has rated" matrix X, solved in closed form:
//! B = argmin ‖X − XB‖² + λ‖B‖² subject to diag(B) = 0, which is
//! P = (XᵀX + λI)⁻¹, B_ij = −P_ij / P_jj (i ≠ j), B_jj = 0.
//! score(user, i) = Σ_{j ∈ history} B_ji. A ranking model: the score is not a rating.
//!
//! Only items with ≥ `min_count` training ratings are modelled (at most `max_items`, the most
//! rated), since the dense n×n inverse is the cost (n ≈ 2,300 on ml-latest-small: well under a
//! second with faer; memory 8n² bytes per matrix). Other items score [`EXCLUDED`].

use faer::linalg::solvers::DenseSolveCore;
use faer::{Mat, Side};

use super::util::Grouped;
use super::{Recommender, TrainData, UserQuery};

/// Score of an item outside the modelled set: below every real score.
pub const EXCLUDED: f32 = f32::NEG_INFINITY;

#[derive(Debug, Clone, PartialEq)]
pub struct EaseParams {
    /// λ, the L2 penalty. Steck reports 200–1000 as best on ML-20M-sized data; 500 here,
    /// untuned.
    pub lambda: f64,
    /// Minimum training ratings for an item to be modelled.
    pub min_count: u32,
    /// Cap on modelled items (most rated first), to bound the n² memory on large releases.
    pub max_items: usize,
}

impl Default for EaseParams {
    fn default() -> Self {
        EaseParams {
            lambda: 500.0,
            min_count: 10,
            max_items: 6000,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Ease {
    /// Dense item → column in B, `u32::MAX` if not modelled.
    col_of: Vec<u32>,
    /// Modelled items, column order.
    pub items: Vec<u32>,
    /// B row-major, n × n over the modelled items.
    b: Vec<f32>,
    /// diag(P), P = (XᵀX + λI)⁻¹: what [`Ease::fold_in_scores`] needs beyond B.
    p_diag: Vec<f64>,
}

impl Ease {
    pub fn fit(data: &TrainData) -> Self {
        Self::fit_with(data, &EaseParams::default())
    }

    pub fn fit_with(data: &TrainData, p: &EaseParams) -> Self {
        let r = data.ratings;
        let mut count = vec![0u32; r.n_items()];
        for &i in &r.item {
            count[i as usize] += 1;
        }
        let mut items: Vec<u32> = (0..r.n_items() as u32)
            .filter(|&i| count[i as usize] >= p.min_count.max(1))
            .collect();
        items.sort_by(|a, b| count[*b as usize].cmp(&count[*a as usize]).then(a.cmp(b)));
        items.truncate(p.max_items);
        items.sort_unstable();
        let n = items.len();
        let mut col_of = vec![u32::MAX; r.n_items()];
        for (c, &i) in items.iter().enumerate() {
            col_of[i as usize] = c as u32;
        }
        // G = XᵀX + λI over the modelled items, from each user's item list (binary X; a
        // repeated (user, item) row still counts once).
        let by_user = Grouped::by_user(r);
        let mut g = Mat::<f64>::zeros(n, n);
        let mut cols: Vec<usize> = Vec::new();
        for u in 0..by_user.n_groups() {
            cols.clear();
            cols.extend(
                by_user
                    .group(u)
                    .0
                    .iter()
                    .map(|&i| col_of[i as usize])
                    .filter(|&c| c != u32::MAX)
                    .map(|c| c as usize),
            );
            cols.sort_unstable();
            cols.dedup();
            for &a in &cols {
                for &b in &cols {
                    g[(a, b)] += 1.0;
                }
            }
        }
        for j in 0..n {
            g[(j, j)] += p.lambda;
        }
        let pm = g
            .llt(Side::Lower)
            .expect("XᵀX + λI is positive definite for λ > 0")
            .inverse();
        drop(g);
        let mut b = vec![0f32; n * n];
        for i in 0..n {
            for j in 0..n {
                if i != j {
                    b[i * n + j] = (-pm[(i, j)] / pm[(j, j)]) as f32;
                }
            }
        }
        let p_diag = (0..n).map(|j| pm[(j, j)]).collect();
        Ease {
            col_of,
            items,
            b,
            p_diag,
        }
    }

    /// Scores x·B′ per modelled column (column order, as [`Ease::items`]) of the model refitted
    /// with one more user whose binary row is `history` (dense items; unmodelled ones and
    /// repeats ignored), without refitting: the extra row is a rank-one update of XᵀX + λI, so
    /// by Sherman–Morrison, with u = Px = diag(P)∘(x − xB) and c = xᵀu,
    /// P′x = u/(1 + c), P′_jj = P_jj − u_j²/(1 + c) and (xB′)_j = x_j − (P′x)_j / P′_jj.
    /// The modelled item set stays the one fitted.
    pub fn fold_in_scores(&self, history: &[u32]) -> Vec<f32> {
        let n = self.items.len();
        let mut cols: Vec<usize> = history.iter().filter_map(|&i| self.col(i)).collect();
        cols.sort_unstable();
        cols.dedup();
        let mut xb = vec![0f64; n];
        for &j in &cols {
            for (s, w) in xb.iter_mut().zip(&self.b[j * n..(j + 1) * n]) {
                *s += *w as f64;
            }
        }
        let mut x = vec![0f64; n];
        for &j in &cols {
            x[j] = 1.0;
        }
        let u: Vec<f64> = (0..n).map(|j| self.p_diag[j] * (x[j] - xb[j])).collect();
        let c: f64 = cols.iter().map(|&j| u[j]).sum();
        (0..n)
            .map(|j| {
                let pjj = self.p_diag[j] - u[j] * u[j] / (1.0 + c);
                (x[j] - u[j] / (1.0 + c) / pjj) as f32
            })
            .collect()
    }

    /// The column of dense item `i`, if it is modelled.
    pub fn column(&self, i: u32) -> Option<usize> {
        self.col(i)
    }

    /// B_ij between two dense items (0 if either is not modelled).
    pub fn weight(&self, i: u32, j: u32) -> f32 {
        let n = self.items.len();
        match (self.col(i), self.col(j)) {
            (Some(a), Some(c)) => self.b[a * n + c],
            _ => 0.0,
        }
    }

    fn col(&self, i: u32) -> Option<usize> {
        match self.col_of.get(i as usize) {
            Some(&c) if c != u32::MAX => Some(c as usize),
            _ => None,
        }
    }
}

impl Recommender for Ease {
    fn name(&self) -> &'static str {
        "ease"
    }
    fn predicts_ratings(&self) -> bool {
        false
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let n = self.items.len();
        // Σ of the history's rows of B, once per call.
        let mut score = vec![0f32; n];
        let mut seen: Vec<usize> = user.history.iter().filter_map(|h| self.col(h.0)).collect();
        seen.sort_unstable();
        seen.dedup();
        for j in seen {
            for (s, w) in score.iter_mut().zip(&self.b[j * n..(j + 1) * n]) {
                *s += w;
            }
        }
        for (o, &i) in out.iter_mut().zip(items) {
            *o = self.col(i).map_or(EXCLUDED, |c| score[c]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::baselines::util::ratings_from;
    use crate::eval::baselines::SideInfo;
    use approx::assert_abs_diff_eq;
    use moviematch::linalg::{cho_solve, cholesky};
    use ndarray::{Array1, Array2};

    fn toy() -> crate::data::movielens::Ratings {
        let rows: &[&[u32]] = &[
            &[0, 1, 2],
            &[0, 1],
            &[1, 2, 3],
            &[3, 4],
            &[0, 2, 4],
            &[1, 3],
            &[0, 1, 4],
        ];
        let mut t = Vec::new();
        for (u, row) in rows.iter().enumerate() {
            for &i in row.iter() {
                t.push((u as u32, i, 4.0));
            }
        }
        t.push((6, 5, 3.0)); // item 5: one rating, below min_count = 2
        ratings_from(&t)
    }

    /// The constrained problem separates by column: column j of B is the ridge regression of
    /// X_j on the other columns, with B_jj = 0.
    #[test]
    fn matches_columnwise_ridge_regressions() {
        let r = toy();
        let lambda = 2.0;
        let m = Ease::fit_with(
            &TrainData {
                ratings: &r,
                side: &SideInfo::default(),
            },
            &EaseParams {
                lambda,
                min_count: 2,
                max_items: 100,
            },
        );
        assert_eq!(m.items, vec![0, 1, 2, 3, 4]);
        let (nu, n) = (r.n_users(), 5);
        let mut x = Array2::<f64>::zeros((nu, n));
        for j in 0..r.len() {
            if r.item[j] < 5 {
                x[[r.user[j] as usize, r.item[j] as usize]] = 1.0;
            }
        }
        for j in 0..n {
            let others: Vec<usize> = (0..n).filter(|&c| c != j).collect();
            let xo = x.select(ndarray::Axis(1), &others);
            let mut a = xo.t().dot(&xo);
            for d in 0..n - 1 {
                a[[d, d]] += lambda;
            }
            let rhs: Array1<f64> = xo.t().dot(&x.column(j));
            let w = cho_solve(&cholesky(&a).unwrap(), rhs.view());
            for (k, &i) in others.iter().enumerate() {
                assert_abs_diff_eq!(m.weight(i as u32, j as u32) as f64, w[k], epsilon = 1e-6);
            }
            assert_eq!(m.weight(j as u32, j as u32), 0.0);
        }
        // Scores sum the history's rows; unmodelled items are excluded.
        let h = [(0u32, 5.0f32), (3, 1.0), (5, 2.0)];
        let mut out = [0f32; 3];
        m.predict(
            UserQuery {
                trained: None,
                history: &h,
            },
            &[1, 4, 5],
            &mut out,
        );
        assert_abs_diff_eq!(out[0], m.weight(0, 1) + m.weight(3, 1), epsilon = 1e-6);
        assert_abs_diff_eq!(out[1], m.weight(0, 4) + m.weight(3, 4), epsilon = 1e-6);
        assert_eq!(out[2], EXCLUDED);
    }

    /// Folding a user in by Sherman–Morrison scores exactly as refitting with their row does.
    #[test]
    fn fold_in_equals_a_refit() {
        let r = toy();
        // Items 0–4 have ≥ 3 ratings, item 5 one (two with the new user): the set stays.
        let p = EaseParams {
            lambda: 2.0,
            min_count: 3,
            max_items: 100,
        };
        let side = SideInfo::default();
        let base = Ease::fit_with(
            &TrainData {
                ratings: &r,
                side: &side,
            },
            &p,
        );
        let history = [0u32, 3, 3, 5];
        let mut t: Vec<(u32, u32, f32)> = (0..r.len())
            .map(|j| (r.user[j], r.item[j], r.value[j]))
            .collect();
        t.extend(history.iter().map(|&i| (7, i, 4.0)));
        let with = ratings_from(&t);
        let refit = Ease::fit_with(
            &TrainData {
                ratings: &with,
                side: &side,
            },
            &p,
        );
        assert_eq!(refit.items, base.items);
        let folded = base.fold_in_scores(&history);
        let mut out = vec![0f32; 5];
        let h: Vec<(u32, f32)> = history.iter().map(|&i| (i, 4.0)).collect();
        refit.predict(
            UserQuery {
                trained: None,
                history: &h,
            },
            &[0, 1, 2, 3, 4],
            &mut out,
        );
        for j in 0..5 {
            assert_abs_diff_eq!(folded[j], out[j], epsilon = 1e-5);
        }
        // A user with no modelled films changes nothing and scores 0 everywhere.
        assert!(base.fold_in_scores(&[5]).iter().all(|&s| s == 0.0));
    }
}
