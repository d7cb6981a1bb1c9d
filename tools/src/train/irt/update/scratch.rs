//! Ratings grouped by one side, and the per-thread buffers and Gaussian solve both half-steps
//! share.

use crate::data::csr::Csr;
use crate::train::irt::dense::{cho_inverse, cho_solve, cholesky_in_place, syrk1, syrk4};

/// Ratings grouped by one side (user or movie), with the other side's index and the value
/// copied in group order, so that a pass over a group reads them sequentially instead of
/// two random cache lines per rating.
pub(in crate::train::irt) struct Grouped {
    offsets: Vec<usize>,
    other: Vec<u32>,
    value: Vec<f32>,
}

impl Grouped {
    /// Groups by `keys` (values in `0..n`), keeping data order within a group, like [`Csr`].
    pub fn build(keys: &[u32], other: &[u32], value: &[f32], n: usize) -> Grouped {
        let csr = Csr::build(keys, n);
        let (offsets, rows) = csr.parts();
        Grouped {
            offsets: offsets.to_vec(),
            other: rows.iter().map(|&r| other[r as usize]).collect(),
            value: rows.iter().map(|&r| value[r as usize]).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The other side's indices and the values of group `g`.
    pub fn group(&self, g: usize) -> (&[u32], &[f32]) {
        let r = self.offsets[g]..self.offsets[g + 1];
        (&self.other[r.clone()], &self.value[r])
    }
}

/// Whether the AVX2 copies of the solves can run (same results, twice the vector width).
pub(in crate::train::irt) fn have_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Per-thread buffers, reused from one user (or movie) to the next.
#[derive(Default)]
pub(in crate::train::irt) struct Scratch {
    /// Gathered rows, n × dim.
    pub(super) rows: Vec<f64>,
    /// Targets t per row.
    pub(super) t: Vec<f64>,
    /// Σ of the other side's covariance blocks (f64).
    pub(super) acc: Vec<f64>,
    /// Gram matrix, then precision, then its Cholesky factor (dim × dim).
    pub(super) p: Vec<f64>,
    pub(super) h: Vec<f64>,
    pub(super) col: Vec<f64>,
    pub(super) y: Vec<f64>,
    pub(super) w: Vec<f64>,
    /// Results: the posterior mean and full covariance (dim × dim).
    pub mean: Vec<f64>,
    pub cov: Vec<f64>,
}

impl Scratch {
    pub(super) fn reset(&mut self, n: usize, dim: usize, acc: usize) {
        self.rows.resize(n * dim, 0.0);
        self.t.resize(n, 0.0);
        self.acc.clear();
        self.acc.resize(acc, 0.0);
        self.p.clear();
        self.p.resize(dim * dim, 0.0);
        self.h.clear();
        self.h.resize(dim, 0.0);
        for v in [&mut self.col, &mut self.y, &mut self.mean] {
            v.resize(dim, 0.0);
        }
        self.w.resize(dim * dim, 0.0);
        self.cov.resize(dim * dim, 0.0);
    }

    /// Σ_rows x xᵀ (lower triangle of `p`) and Σ_rows t x (`h`), rows in order.
    #[inline(always)]
    pub(super) fn gram(&mut self, dim: usize) {
        let n = self.t.len();
        let blocks = n / 4;
        for b in 0..blocks {
            syrk4(
                &mut self.p,
                &mut self.h,
                dim,
                &self.rows[4 * b * dim..(4 * b + 4) * dim],
                &self.t[4 * b..4 * b + 4],
            );
        }
        for r in 4 * blocks..n {
            syrk1(
                &mut self.p,
                &mut self.h,
                dim,
                &self.rows[r * dim..(r + 1) * dim],
                self.t[r],
            );
        }
    }

    /// Cholesky of `p`, the mean P⁻¹h, the covariance P⁻¹ and KL(q ‖ N(prior_mean, diag v)).
    #[inline(always)]
    pub(super) fn solve(
        &mut self,
        dim: usize,
        prior_mean: Option<&[f64]>,
        prior_var: &[f64],
        what: &str,
    ) -> f64 {
        if let Err((pivot, value)) = cholesky_in_place(&mut self.p, dim, &mut self.col) {
            panic!("{what} precision is not positive definite (pivot {pivot} = {value})");
        }
        cho_solve(&self.p, dim, &self.h, &mut self.y, &mut self.mean);
        cho_inverse(&self.p, dim, &mut self.w, &mut self.cov);
        // KL(N(μ, Σ) ‖ N(m, diag v)) = ½ (Σ_j (Σ_jj + (μ_j − m_j)²)/v_j + ln v_j − D + log|P|).
        let mut s = 0.0;
        for j in 0..dim {
            let m = prior_mean.map_or(0.0, |m| m[j]);
            s += (self.cov[j * dim + j] + (self.mean[j] - m).powi(2)) / prior_var[j]
                + prior_var[j].ln();
        }
        let log_det_p: f64 = (0..dim).map(|i| 2.0 * self.p[i * dim + i].ln()).sum();
        0.5 * (s - dim as f64 + log_det_p)
    }
}
