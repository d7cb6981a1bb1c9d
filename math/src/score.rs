//! Predicted means for the whole catalogue in one pass of the int8 [`kernel`], with a bound on
//! their error, so that ranking can be exact while the exact (f64) work is done only for the
//! few movies that can reach the top.
//!
//! The mean of movie m for a visitor z = (θ, w, b_u) is
//!
//! ```text
//! E[r_m] = o_m + θ·β_m + w·x_m + b_u,   β_m = G·[x_m; 1] + ρ_m
//!        = o_m + x_m·(w + G_xᵀθ) + (b_u + g₀·θ) + ρ_m·θ
//! ```
//!
//! (G_x: G's feature columns, g₀ its constant column, ρ_m the residual factors, stored only for
//! movies that had ratings). So one pass over the features of every movie (F ≈ 24 numbers)
//! plus one over the residual rows (K numbers, only ~10k movies in the default bundle) scores
//! the catalogue: about half the work of the full design row, and the residuals are scored
//! straight from the bundle's own int8 codes. The features are quantised per column
//! (centre ± 127 steps); the query is quantised to i16 per call.
//!
//! [`kernel`]: crate::kernel

use ndarray::ArrayView2;

use crate::kernel::{self, padded};

/// The catalogue in the kernel's int8 layout. Built once per model.
#[derive(Debug, Clone)]
pub struct Scorer {
    n: usize,
    k: usize,
    f: usize,
    /// n × feat_stride: round((x − centre) / step), zero-padded.
    feat_q: Vec<i8>,
    feat_stride: usize,
    feat_centre: Vec<f32>,
    feat_step: Vec<f32>,
    /// Largest |x − (centre + code·step)| per column: ≤ step/2, and 0 for two-valued columns
    /// (genre indicators), so the error bound is as tight as the data allows.
    feat_err: Vec<f32>,
    /// G, K × (F+1), row-major: row d predicts β_d from [x; 1].
    g: Vec<f32>,
    /// r × res_stride residual codes (value = code · scale / 127), zero-padded.
    res_q: Vec<i8>,
    res_stride: usize,
    res_scale: Vec<f32>,
    /// Catalogue index of each residual row.
    res_item: Vec<u32>,
    /// Zeros, one per residual row: the kernel's base for the residual pass.
    res_zeros: Vec<f32>,
}

/// Means for every movie with one bound on all their errors.
#[derive(Debug, Clone)]
pub struct ApproxMeans {
    /// Approximate E[r] per movie (unclipped).
    pub mean: Vec<f32>,
    /// |approximate − exact| ≤ `error` for every movie (quantisation of the features and the
    /// query, plus a margin for floating-point rounding).
    pub error: f32,
}

/// The residual part of a bundle: rows of int8 codes with one scale each.
#[derive(Debug, Clone, Copy)]
pub struct Residuals<'a> {
    pub items: &'a [u32],
    /// items.len() × K codes.
    pub codes: &'a [i8],
    pub scales: &'a [f32],
}

impl Scorer {
    /// `features` holds every movie's F features (n × F); `g` is the content regression of the
    /// K factors on [x; 1], K × (F+1) (the explicit model's prior mean G, or the implicit
    /// model's A: both score through this type).
    pub fn new(features: ArrayView2<'_, f32>, k: usize, g: &[f32], res: Residuals<'_>) -> Scorer {
        let n = features.nrows();
        let f = features.ncols();
        assert_eq!(g.len(), k * (f + 1), "G is K × (F+1)");
        let feat_stride = padded(f);
        // Each column's range, in one pass over the rows (the features are a column slice of
        // the model's row-major design matrix: a pass per column would read it f times).
        let mut lo = vec![f32::INFINITY; f];
        let mut hi = vec![f32::NEG_INFINITY; f];
        for_each_row(features, |_, row| {
            for ((l, h), &v) in lo.iter_mut().zip(hi.iter_mut()).zip(row) {
                *l = l.min(v);
                *h = h.max(v);
            }
        });
        let mut feat_centre = vec![0f32; f];
        let mut feat_step = vec![1f32; f];
        for c in 0..f {
            if lo[c].is_finite() && hi[c].is_finite() {
                feat_centre[c] = (lo[c] + hi[c]) / 2.0;
                if hi[c] > lo[c] {
                    feat_step[c] = (hi[c] - lo[c]) / 254.0;
                }
            }
        }
        let mut feat_q = vec![0i8; n * feat_stride];
        let mut feat_err = vec![0f32; f];
        for_each_row(features, |i, row| {
            let out = &mut feat_q[i * feat_stride..(i + 1) * feat_stride];
            for (c, &v) in row.iter().enumerate() {
                let q = round_half_away((v - feat_centre[c]) / feat_step[c]).clamp(-127.0, 127.0);
                out[c] = q as i8;
                let back = feat_centre[c] as f64 + q as f64 * feat_step[c] as f64;
                feat_err[c] = feat_err[c].max((v as f64 - back).abs() as f32);
            }
        });
        let res_stride = padded(k);
        let mut res_q = vec![0i8; res.items.len() * res_stride];
        for (r, codes) in res
            .codes
            .chunks_exact(k.max(1))
            .enumerate()
            .take(res.items.len())
        {
            for (d, &c) in codes.iter().enumerate() {
                // -128 would break the kernel's no-overflow bound; the bundle's quantiser
                // never writes it, and ±1/127 of a scale is far below the model's precision.
                res_q[r * res_stride + d] = c.max(-127);
            }
        }
        Scorer {
            n,
            k,
            f,
            feat_q,
            feat_stride,
            feat_centre,
            feat_step,
            feat_err,
            g: g.to_vec(),
            res_q,
            res_stride,
            res_scale: res.scales.to_vec(),
            res_item: res.items.to_vec(),
            res_zeros: vec![0.0; res.items.len()],
        }
    }

    /// Approximate E[r] of every movie for the visitor vector `z` = (θ, w, b_u), given each
    /// movie's visitor-independent offset μ + b_m.
    pub fn means(&self, offsets: &[f32], z: &[f64]) -> ApproxMeans {
        let (k, f) = (self.k, self.f);
        assert_eq!(z.len(), k + f + 1, "z has K+F+1 entries");
        assert_eq!(offsets.len(), self.n, "one offset per movie");
        let theta = &z[..k];
        // v = w + G_xᵀθ (weights on the raw features), and the constant b_u + g₀·θ.
        let mut v: Vec<f64> = z[k..k + f].to_vec();
        let mut constant = z[k + f];
        for (d, &t) in theta.iter().enumerate() {
            let gd = &self.g[d * (f + 1)..(d + 1) * (f + 1)];
            for (vc, &gc) in v.iter_mut().zip(&gd[..f]) {
                *vc += t * gc as f64;
            }
            constant += t * gd[f] as f64;
        }
        let mut mean = vec![0f32; self.n];
        let mut error = 0f64;
        if f > 0 {
            // x = centre + q·step  ⇒  x·v = Σ centre_c v_c + Σ q_c (step_c v_c).
            let u: Vec<f64> = (0..f).map(|c| self.feat_step[c] as f64 * v[c]).collect();
            constant += (0..f)
                .map(|c| self.feat_centre[c] as f64 * v[c])
                .sum::<f64>();
            let (uq, qs, rounding) = quantize_query(&u, self.feat_stride);
            kernel::affine_dot_rows(
                &self.feat_q,
                self.feat_stride,
                &uq,
                (1.0 / qs) as f32,
                constant as f32,
                offsets,
                &mut mean,
            );
            // Each feature is within feat_err of its code; each code is at most 127.
            error += (0..f)
                .map(|c| v[c].abs() * self.feat_err[c] as f64)
                .sum::<f64>()
                + 127.0 * rounding;
        } else {
            for (m, &o) in mean.iter_mut().zip(offsets) {
                *m = (o as f64 + constant) as f32;
            }
        }
        if k > 0 && !self.res_item.is_empty() {
            let rows = self.res_item.len();
            let (tq, qs, rounding) = quantize_query(theta, self.res_stride);
            let mut dots = vec![0f32; rows];
            kernel::affine_dot_rows(
                &self.res_q,
                self.res_stride,
                &tq,
                (1.0 / qs) as f32,
                0.0,
                &self.res_zeros,
                &mut dots,
            );
            let mut max_scale = 0f32;
            for ((&item, &dot), &scale) in self.res_item.iter().zip(&dots).zip(&self.res_scale) {
                mean[item as usize] += dot * (scale / 127.0);
                max_scale = max_scale.max(scale);
            }
            // |code|/127 ≤ 1, so each row's error is at most scale · Σ|θ_d − θ̂_d|.
            error += max_scale as f64 * rounding;
        }
        // f32 rounding of the sums (both here and in the exact path) is far below this margin.
        let magnitude = mean.iter().fold(0f32, |a, &m| a.max(m.abs())) as f64;
        error += 1e-4 + 1e-5 * magnitude;
        ApproxMeans {
            mean,
            error: error as f32,
        }
    }
}

/// Quantises `u` to i16 codes ≈ u · qs (padded with zeros to `stride`). Returns the codes,
/// qs, and Σ|u_c − code_c/qs| (the rounding error the caller bounds with).
fn quantize_query(u: &[f64], stride: usize) -> (Vec<i16>, f64, f64) {
    let max = u.iter().fold(0f64, |a, &b| a.max(b.abs()));
    let mut codes = vec![0i16; stride];
    if !(max > 0.0 && max.is_finite()) {
        // All zero (or not finite, which the posterior never produces): no signal to score.
        return (codes, 1.0, u.iter().map(|x| x.abs()).sum());
    }
    let qs = 32767.0 / max;
    let mut rounding = 0.0;
    for (c, &x) in codes.iter_mut().zip(u) {
        let q = (x * qs).round().clamp(-32767.0, 32767.0);
        *c = q as i16;
        rounding += (x - q / qs).abs();
    }
    (codes, qs, rounding)
}

/// `v.round()` (halves away from zero) from `trunc`, which is one wasm instruction where
/// `round` is a call into the software `roundf`: a million calls when a model is built. Equal
/// for every f32: below 2²³ the fraction v − trunc(v) is exact, above it v is an integer.
/// `each(i, row i)` over the rows of `m` as slices: a column range of a row-major matrix (the
/// features inside the model's design matrix) has contiguous rows, read in place; any other
/// layout is copied row by row.
fn for_each_row(m: ArrayView2<'_, f32>, mut each: impl FnMut(usize, &[f32])) {
    let mut copy = vec![0f32; m.ncols()];
    for (i, row) in m.rows().into_iter().enumerate() {
        match row.to_slice() {
            Some(slice) => each(i, slice),
            None => {
                copy.iter_mut().zip(row.iter()).for_each(|(c, &v)| *c = v);
                each(i, &copy);
            }
        }
    }
}

fn round_half_away(v: f32) -> f32 {
    let t = v.trunc();
    if (v - t).abs() >= 0.5 {
        t + v.signum()
    } else {
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{s, Array2};
    use rand::{RngExt, SeedableRng};

    /// Design, G, residual rows, their codes and scales.
    type Setup = (Array2<f32>, Vec<f32>, Vec<u32>, Vec<i8>, Vec<f32>);

    /// A random model in the bundle's shape: features with binary and continuous columns,
    /// residuals for every third movie, their codes as the bundle stores them.
    fn random_setup(seed: u64, n: usize, k: usize, f: usize) -> Setup {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let g: Vec<f32> = (0..k * (f + 1))
            .map(|_| rng.random_range(-0.5..0.5))
            .collect();
        let items: Vec<u32> = (0..n as u32).filter(|i| i % 3 == 0).collect();
        let codes: Vec<i8> = (0..items.len() * k)
            .map(|_| rng.random_range(-127..=127))
            .collect();
        let scales: Vec<f32> = items.iter().map(|_| rng.random_range(0.1..2.0)).collect();
        let mut x = Array2::<f32>::zeros((n, k + f + 1));
        for i in 0..n {
            for c in 0..f {
                x[[i, k + c]] = if c % 2 == 0 {
                    rng.random_range(-3.0..3.0)
                } else {
                    [-0.4f32, 2.5][rng.random_range(0..2)]
                };
            }
            x[[i, k + f]] = 1.0;
            for d in 0..k {
                let gd = &g[d * (f + 1)..(d + 1) * (f + 1)];
                x[[i, d]] = (0..f).map(|c| gd[c] * x[[i, k + c]]).sum::<f32>() + gd[f];
            }
        }
        for (r, &i) in items.iter().enumerate() {
            for d in 0..k {
                x[[i as usize, d]] += codes[r * k + d] as f32 * scales[r] / 127.0;
            }
        }
        (x, g, items, codes, scales)
    }

    /// The features may come in any layout: rows read in place (a column range of a row-major
    /// matrix, as the model passes them) and rows copied (here column-major) give the same
    /// scorer.
    #[test]
    fn the_features_layout_does_not_change_the_means() {
        let (n, k, f) = (50, 4, 6);
        let (x, g, items, codes, scales) = random_setup(9, n, k, f);
        let column_major = x.slice(s![.., k..k + f]).t().to_owned();
        let res = || Residuals {
            items: &items,
            codes: &codes,
            scales: &scales,
        };
        let in_place = Scorer::new(x.slice(s![.., k..k + f]), k, &g, res());
        let copied = Scorer::new(column_major.t(), k, &g, res());
        let offsets = vec![3.0f32; n];
        let z: Vec<f64> = (0..k + f + 1).map(|i| i as f64 / 10.0 - 0.3).collect();
        let (a, b) = (in_place.means(&offsets, &z), copied.means(&offsets, &z));
        assert_eq!(a.mean, b.mean);
        assert_eq!(a.error, b.error);
    }

    #[test]
    fn approximate_means_are_within_their_bound_of_the_exact_dot_products() {
        for (seed, k, f) in [(1, 8, 6), (2, 32, 24), (3, 1, 0), (4, 0, 5), (5, 17, 3)] {
            let n = 200;
            let (x, g, items, codes, scales) = random_setup(seed, n, k, f);
            let scorer = Scorer::new(
                x.slice(s![.., k..k + f]),
                k,
                &g,
                Residuals {
                    items: &items,
                    codes: &codes,
                    scales: &scales,
                },
            );
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed + 100);
            let offsets: Vec<f32> = (0..n).map(|_| rng.random_range(2.5..4.0)).collect();
            let z: Vec<f64> = (0..k + f + 1)
                .map(|_| rng.random_range(-1.0..1.0))
                .collect();
            let approx = scorer.means(&offsets, &z);
            let mut worst = 0f64;
            for i in 0..n {
                let exact = offsets[i] as f64
                    + (0..k + f + 1).map(|j| x[[i, j]] as f64 * z[j]).sum::<f64>();
                let err = (approx.mean[i] as f64 - exact).abs();
                assert!(
                    err <= approx.error as f64,
                    "seed {seed} item {i}: error {err} above bound {}",
                    approx.error
                );
                worst = worst.max(err);
            }
            // The bound is useful, not vacuous (this z is far larger than real visitors').
            assert!(approx.error < 0.3, "bound {} too loose", approx.error);
            if f > 0 || k > 0 {
                assert!(worst > 0.0);
            }
        }
    }

    #[test]
    fn zero_visitor_scores_the_offsets() {
        let (x, g, items, codes, scales) = random_setup(9, 50, 4, 3);
        let res = Residuals {
            items: &items,
            codes: &codes,
            scales: &scales,
        };
        let scorer = Scorer::new(x.slice(s![.., 4..7]), 4, &g, res);
        let offsets: Vec<f32> = (0..50).map(|i| i as f32 / 10.0).collect();
        let approx = scorer.means(&offsets, &[0.0; 8]);
        for (a, o) in approx.mean.iter().zip(&offsets) {
            assert!((a - o).abs() < 1e-5);
        }
    }

    #[test]
    fn round_half_away_is_round() {
        for v in [
            0.0f32,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            0.49999997,
            -0.49999997,
            126.5,
            -127.5,
            8388607.5,
            16777217.0,
            1e30,
            -1e30,
            f32::INFINITY,
            f32::NEG_INFINITY,
        ] {
            assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "{v}");
        }
        let mut x = 0x1234_5678u32;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let v = f32::from_bits(x);
            if v.is_finite() {
                assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "{v}");
            }
        }
    }
}
