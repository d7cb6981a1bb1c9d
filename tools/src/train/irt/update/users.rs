//! The users' half-step: q(z_u) for every user given the movies' q, and the cross term
//! Σ_u Cov(θ_u, [w_u; b_u]) [x_m; 1] the movies' half-step needs.

use rayon::prelude::*;

use super::scratch::{have_avx2, Scratch};
use crate::data::csr::Csr;
use crate::data::movielens::Ratings;
use crate::train::irt::dense::{add_row, add_rows4, dot};
use crate::train::irt::model::IrtModel;
use crate::train::irt::packed::{packed_len, pk, UserCovLayout};

/// What a user's solve reads.
pub(in crate::train::irt) struct UserCtx<'a> {
    pub k: usize,
    pub f: usize,
    pub sigma2: f64,
    pub mu: f64,
    pub item_mean: &'a [f64],
    pub item_cov: &'a [f32],
    pub x: &'a [f32],
    pub prior_var: &'a [f64],
    pub data: &'a Ratings,
    pub by_user: &'a Csr,
    pub avx2: bool,
}

impl UserCtx<'_> {
    /// q(z_u) into `s.mean`, `s.cov` (full D × D); returns (expected SSE of u's ratings, KL).
    #[cfg(test)]
    pub fn solve(&self, u: usize, s: &mut Scratch) -> (f64, f64) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: `avx2` is only set when the CPU has AVX2 (`have_avx2`).
            return unsafe { self.solve_avx2(u, s) };
        }
        self.solve_impl(u, s)
    }

    #[cfg(all(test, target_arch = "x86_64"))]
    #[target_feature(enable = "avx2")]
    unsafe fn solve_avx2(&self, u: usize, s: &mut Scratch) -> (f64, f64) {
        self.solve_impl(u, s)
    }

    /// Computes q(z_u), writes it (`cov_out` in [`UserCovLayout`], f32) and adds
    /// Cov(θ_u, [w_u; b_u]) [x_m; 1] (from the stored f32 covariance, as the movies' update would
    /// read it) to `cross[m]` (K values per movie) for each movie m that u rated. Returns (expected
    /// SSE of u's ratings, KL(q(z_u) ‖ p(z))).
    pub fn run(
        &self,
        u: usize,
        s: &mut Scratch,
        mean_out: &mut [f64],
        cov_out: &mut [f32],
        cross: &mut [f64],
    ) -> (f64, f64) {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: `avx2` is only set when the CPU has AVX2 (`have_avx2`).
            return unsafe { self.run_avx2(u, s, mean_out, cov_out, cross) };
        }
        self.run_impl(u, s, mean_out, cov_out, cross)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn run_avx2(
        &self,
        u: usize,
        s: &mut Scratch,
        mean_out: &mut [f64],
        cov_out: &mut [f32],
        cross: &mut [f64],
    ) -> (f64, f64) {
        self.run_impl(u, s, mean_out, cov_out, cross)
    }

    #[inline(always)]
    fn run_impl(
        &self,
        u: usize,
        s: &mut Scratch,
        mean_out: &mut [f64],
        cov_out: &mut [f32],
        cross: &mut [f64],
    ) -> (f64, f64) {
        let r = self.solve_impl(u, s);
        let (k, f) = (self.k, self.f);
        let d = k + f + 1;
        let lay = UserCovLayout { k, d };
        mean_out.copy_from_slice(&s.mean);
        lay.pack(&s.cov, cov_out);
        // C[c][a] = Cov(z_{K+c}, θ_a) as stored, then per rating Σ_c C[c] x̃_c in c order.
        let cs = lay.cross_start();
        let c_rows = &mut s.w[..(f + 1) * k];
        for (o, &v) in c_rows.iter_mut().zip(&cov_out[cs..cs + (f + 1) * k]) {
            *o = v as f64;
        }
        let c_rows = &s.w[..(f + 1) * k];
        let rows = self.by_user.group(u);
        let items = &self.data.item;
        for (j, &r) in rows.iter().enumerate() {
            let i = items[r as usize] as usize;
            mat_t_vec_add(
                c_rows,
                k,
                &s.rows[j * d + k..(j + 1) * d],
                &mut cross[i * k..(i + 1) * k],
            );
        }
        r
    }

    #[inline(always)]
    fn solve_impl(&self, u: usize, s: &mut Scratch) -> (f64, f64) {
        let (k, f) = (self.k, self.f);
        let (d, e) = (k + f + 1, k + 1);
        let pe = packed_len(e);
        let (items, values) = (&self.data.item, &self.data.value);
        let rows = self.by_user.group(u);
        let n = rows.len();
        s.reset(n, d, pe);
        // Per rating: gather x̃ = [μ_β; x; 1] and t = r − μ − μ_b, and add the movie's packed
        // covariance S_m (θθ block = E[ββᵀ] − μμᵀ, Cov(β, b), Var(b)) to Σ_m S_m, four ratings at
        // a time.
        let mut j0 = 0;
        while j0 < n {
            let j1 = (j0 + 4).min(n);
            let mut blocks: [&[f32]; 4] = [&[]; 4];
            for j in j0..j1 {
                let i = items[rows[j] as usize] as usize;
                let y = &self.item_mean[i * e..(i + 1) * e];
                let row = &mut s.rows[j * d..(j + 1) * d];
                for (o, &v) in row[..k].iter_mut().zip(&y[..k]) {
                    *o = v;
                }
                for (o, &v) in row[k..k + f].iter_mut().zip(&self.x[i * f..(i + 1) * f]) {
                    *o = v as f64;
                }
                row[d - 1] = 1.0;
                s.t[j] = values[rows[j] as usize] as f64 - self.mu - y[k];
                blocks[j - j0] = &self.item_cov[i * pe..(i + 1) * pe];
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
        s.gram(d);
        // P = (Σ E[x̃x̃ᵀ]) / σ² + diag(1/v), h = Σ E[x̃ (r − μ − b)] / σ².
        let sigma2 = self.sigma2;
        for a in 0..d {
            for b in 0..=a {
                let mut v = s.p[a * d + b];
                if a < k {
                    v += s.acc[pk(a, b)];
                }
                s.p[a * d + b] = v / sigma2;
            }
            s.p[a * d + a] += 1.0 / self.prior_var[a];
            let c = if a < k { s.acc[pk(a, k)] } else { 0.0 }; // E[β(r−μ−b)] = μ_β t − Cov(β, b)
            s.h[a] = (s.h[a] - c) / sigma2;
        }
        let kl = s.solve(d, None, self.prior_var, "user");
        // Expected squared error of u's ratings under q.
        let mut sse = s.acc[pk(k, k)];
        for j in 0..n {
            let res = s.t[j] - dot(&s.rows[j * d..(j + 1) * d], &s.mean);
            sse += res * res;
        }
        let theta = &s.mean[..k];
        let mut cross = 0.0;
        let mut quad = 0.0;
        for a in 0..k {
            cross += theta[a] * s.acc[pk(a, k)];
            let mut row = 0.0;
            for b in 0..k {
                row += s.acc[pk(a, b)] * theta[b];
            }
            quad += theta[a] * row;
        }
        sse += 2.0 * cross + quad;
        // tr(Σ (Σ_m E[x̃x̃ᵀ])) = σ² tr(Σ (P − P₀)) = σ² (D − Σ_j Σ_jj / v_j).
        let tr: f64 = (0..d).map(|j| s.cov[j * d + j] / self.prior_var[j]).sum();
        sse += sigma2 * (d as f64 - tr);
        (sse, kl)
    }
}

/// out += Σ_c x_c · C[c] (C is x.len() rows of `k`), each entry summed over c in order from 0
/// before it is added: eight entries at a time in registers.
#[inline(always)]
fn mat_t_vec_add(c: &[f64], k: usize, x: &[f64], out: &mut [f64]) {
    let mut a0 = 0;
    while a0 + 8 <= k {
        let mut acc = [0f64; 8];
        for (cr, &xc) in c.chunks_exact(k).zip(x) {
            let v: &[f64; 8] = cr[a0..a0 + 8].try_into().unwrap();
            for l in 0..8 {
                acc[l] += v[l] * xc;
            }
        }
        for (o, &v) in out[a0..a0 + 8].iter_mut().zip(&acc) {
            *o += v;
        }
        a0 += 8;
    }
    for a in a0..k {
        let mut acc = 0.0;
        for (cr, &xc) in c.chunks_exact(k).zip(x) {
            acc += cr[a] * xc;
        }
        out[a] += acc;
    }
}

/// What the user half-step hands on: the expected SSE and Σ KL(q(z_u) ‖ p(z)) for the ELBO,
/// and the cross term the movies' half-step needs (n_items × K).
pub(in crate::train::irt) struct UserPass {
    pub sse: f64,
    pub kl: f64,
    pub cross: Vec<f64>,
}

/// Users in fixed contiguous ranges of about equal work, each with its own cross-term
/// accumulator (summed in range order afterwards): as many ranges as fit in ~64 MB of
/// accumulators (2 to 16; 4 at ml-25m's size), a function of the data's shape only, never of
/// the thread count, so the sums do not depend on the schedule.
fn user_ranges(by_user: &Csr, n_items: usize, k: usize) -> Vec<std::ops::Range<usize>> {
    let n = by_user.len();
    let per_acc = (n_items * k * 8).max(1);
    let parts = (64usize << 20) / per_acc;
    let parts = parts.clamp(2, 16).min(n.max(1));
    // Work ≈ ratings + a user's own solve (≈ 64 ratings' worth).
    let work = |u: usize| by_user.group(u).len() + 64;
    let total: usize = (0..n).map(work).sum();
    let mut ranges = Vec::with_capacity(parts);
    let (mut start, mut acc) = (0, 0);
    for u in 0..n {
        acc += work(u);
        if acc * parts >= total * (ranges.len() + 1) && ranges.len() + 1 < parts {
            ranges.push(start..u + 1);
            start = u + 1;
        }
    }
    ranges.push(start..n);
    ranges
}

/// q(z_u) for every user given the movies' q.
pub(in crate::train::irt) fn update_users(
    m: &mut IrtModel,
    data: &Ratings,
    by_user: &Csr,
) -> UserPass {
    update_users_with(m, data, by_user, have_avx2())
}

pub(in crate::train::irt) fn update_users_with(
    m: &mut IrtModel,
    data: &Ratings,
    by_user: &Csr,
    avx2: bool,
) -> UserPass {
    let (k, d) = (m.k, m.d());
    let pd = packed_len(d);
    let ni = data.n_items();
    let ctx = UserCtx {
        k,
        f: m.f,
        sigma2: m.sigma2,
        mu: m.mu,
        item_mean: &m.item_mean,
        item_cov: &m.item_cov,
        x: &m.x,
        prior_var: &m.user_prior_var,
        data,
        by_user,
        avx2,
    };
    let ranges = user_ranges(by_user, ni, k);
    let mut jobs = Vec::with_capacity(ranges.len());
    let (mut means, mut covs) = (&mut m.user_mean[..], &mut m.user_cov[..]);
    for r in &ranges {
        let (a, rest) = std::mem::take(&mut means).split_at_mut(r.len() * d);
        let (b, rest_c) = std::mem::take(&mut covs).split_at_mut(r.len() * pd);
        (means, covs) = (rest, rest_c);
        jobs.push((r.clone(), a, b));
    }
    // Per range: each user's (SSE, KL), and the range's cross-term accumulator.
    type RangeOut = (Vec<(f64, f64)>, Vec<f64>);
    let parts: Vec<RangeOut> = jobs
        .into_par_iter()
        .map(|(range, means, covs)| {
            let mut s = Scratch::default();
            let mut cross = vec![0f64; ni * k];
            let stats = range
                .clone()
                .zip(means.chunks_mut(d).zip(covs.chunks_mut(pd)))
                .map(|(u, (mean_out, cov_out))| ctx.run(u, &mut s, mean_out, cov_out, &mut cross))
                .collect();
            (stats, cross)
        })
        .collect();
    let mut out = UserPass {
        sse: 0.0,
        kl: 0.0,
        cross: vec![0f64; ni * k],
    };
    for (stats, cross) in &parts {
        for &(sse, kl) in stats {
            out.sse += sse;
            out.kl += kl;
        }
        for (o, &v) in out.cross.iter_mut().zip(cross) {
            *o += v;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ranges_cover_every_user_once_in_order() {
        let keys: Vec<u32> = (0..1000u32).map(|r| (r * r) % 97).collect();
        let by_user = Csr::build(&keys, 97);
        for (n_items, k) in [(10, 2), (1 << 20, 8), (1 << 30, 32)] {
            let ranges = user_ranges(&by_user, n_items, k);
            assert!((1..=16).contains(&ranges.len()));
            assert_eq!(ranges[0].start, 0);
            assert_eq!(ranges.last().unwrap().end, 97);
            assert!(ranges.windows(2).all(|w| w[0].end == w[1].start));
        }
        assert_eq!(user_ranges(&by_user, 10, 2).len(), 16);
        assert_eq!(user_ranges(&by_user, 1 << 30, 32).len(), 2);
    }
}
