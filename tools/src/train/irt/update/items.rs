//! The movies' half-step: q(y_m) for every movie given the users' q and the cross term from
//! the users' half-step.

use rayon::prelude::*;

use super::scratch::{have_avx2, Grouped, Scratch};
use crate::train::irt::dense::{add_row, add_rows4, dot};
use crate::train::irt::model::IrtModel;
use crate::train::irt::packed::{packed_len, pk, UserCovLayout};

/// What a movie's solve reads.
pub(in crate::train::irt) struct ItemCtx<'a> {
    pub k: usize,
    pub f: usize,
    pub sigma2: f64,
    pub mu: f64,
    pub user_mean: &'a [f64],
    pub user_cov: &'a [f32],
    pub x: &'a [f32],
    /// G̃·[x_m; 1] per movie, n_items × (K+1).
    pub prior_mean: &'a [f64],
    pub prior_var: &'a [f64],
    /// Σ over each movie's raters of Cov(θ_u, [w_u; b_u]) [x_m; 1], n_items × K (user pass).
    pub cross: &'a [f64],
    pub by_item: &'a Grouped,
    pub avx2: bool,
}

impl ItemCtx<'_> {
    /// q(y_i) into `s.mean`, `s.cov` (full (K+1)²); returns KL(q(y_i) ‖ p(y_i)).
    pub fn solve(&self, i: usize, s: &mut Scratch) -> f64 {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: `avx2` is only set when the CPU has AVX2 (`have_avx2`).
            return unsafe { self.solve_avx2(i, s) };
        }
        self.solve_impl(i, s)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn solve_avx2(&self, i: usize, s: &mut Scratch) -> f64 {
        self.solve_impl(i, s)
    }

    #[inline(always)]
    fn solve_impl(&self, i: usize, s: &mut Scratch) -> f64 {
        let (k, f) = (self.k, self.f);
        let (d, e) = (k + f + 1, k + 1);
        let lay = UserCovLayout { k, d };
        let pd = packed_len(d);
        // The θθ block, at the start of each user's row.
        let na = lay.cross_start();
        let x = &self.x[i * f..(i + 1) * f];
        let (users, values) = self.by_item.group(i);
        let n = users.len();
        s.reset(n, e, na);
        // Per rating: gather ũ = [μ_θ; 1] and t = r − μ − μ_w·x − μ_b, and add the user's θθ
        // covariance block, four ratings at a time.
        let mut j0 = 0;
        while j0 < n {
            let j1 = (j0 + 4).min(n);
            let mut blocks: [&[f32]; 4] = [&[]; 4];
            for j in j0..j1 {
                let u = users[j] as usize;
                let z = &self.user_mean[u * d..(u + 1) * d];
                let row = &mut s.rows[j * e..(j + 1) * e];
                for (o, &v) in row[..k].iter_mut().zip(&z[..k]) {
                    *o = v;
                }
                row[k] = 1.0;
                let wx = dot(&z[k..k + f], x);
                s.t[j] = values[j] as f64 - self.mu - wx - z[d - 1];
                blocks[j - j0] = &self.user_cov[u * pd..u * pd + na];
            }
            if j1 - j0 == 4 {
                add_rows4(&mut s.acc, blocks);
            } else {
                for b in &blocks[..j1 - j0] {
                    add_row(&mut s.acc, b);
                }
            }
            j0 = j1;
        }
        s.gram(e);
        let sigma2 = self.sigma2;
        let m0 = &self.prior_mean[i * e..(i + 1) * e];
        let cross = &self.cross[i * k..(i + 1) * k];
        for a in 0..e {
            for b in 0..=a {
                let mut v = s.p[a * e + b];
                if a < k {
                    v += s.acc[pk(a, b)];
                }
                s.p[a * e + b] = v / sigma2;
            }
            s.p[a * e + a] += 1.0 / self.prior_var[a];
            // E[θ(w·x + b_u)] − μ_θ(μ_w·x + μ_b) = Σ_u Cov(θ, [w; b_u]) [x; 1].
            let c = if a < k { cross[a] } else { 0.0 };
            s.h[a] = (s.h[a] - c) / sigma2 + m0[a] / self.prior_var[a];
        }
        s.solve(e, Some(m0), self.prior_var, "item")
    }
}

/// q(y_m) for every movie given the users' q. Returns Σ KL(q(y_m) ‖ p(y_m)).
/// `cross` is [`super::users::UserPass::cross`] from the users' half-step just before.
pub(in crate::train::irt) fn update_items(
    m: &mut IrtModel,
    by_item: &Grouped,
    cross: &[f64],
) -> f64 {
    update_items_with(m, by_item, cross, have_avx2())
}

pub(in crate::train::irt) fn update_items_with(
    m: &mut IrtModel,
    by_item: &Grouped,
    cross: &[f64],
    avx2: bool,
) -> f64 {
    let (k, f) = (m.k, m.f);
    let e = k + 1;
    let prior_mean: Vec<f64> = (0..by_item.len())
        .into_par_iter()
        .flat_map_iter(|i| m.prior_mean_of(&m.x[i * f..(i + 1) * f]))
        .collect();
    let ctx = ItemCtx {
        k,
        f,
        sigma2: m.sigma2,
        mu: m.mu,
        user_mean: &m.user_mean,
        user_cov: &m.user_cov,
        x: &m.x,
        prior_mean: &prior_mean,
        prior_var: &m.item_prior_var,
        cross,
        by_item,
        avx2,
    };
    let kls: Vec<f64> = m
        .item_mean
        .par_chunks_mut(e)
        .zip(m.item_cov.par_chunks_mut(packed_len(e)))
        .enumerate()
        .map_init(Scratch::default, |s, (i, (mean_out, cov_out))| {
            let kl = ctx.solve(i, s);
            mean_out.copy_from_slice(&s.mean);
            for a in 0..e {
                for b in 0..=a {
                    cov_out[pk(a, b)] = s.cov[a * e + b] as f32;
                }
            }
            kl
        })
        .collect();
    kls.iter().sum()
}
