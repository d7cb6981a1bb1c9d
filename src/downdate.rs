//! A Gaussian over z with one of its observations taken back out, each in O(D²): what
//! leave-one-out over a visitor's ratings needs (the engine's `loo` module). In the engine, not in
//! `moviematch-math`: it is not a hot path (a whole leave-one-out takes milliseconds), and at the
//! math crate's opt-level 3 it cost the page's wasm several kilobytes more.
//!
//! The Gaussian N(μ, Σ), Σ = P⁻¹, μ = Σb, took in each observation y = hᵀz + noise(v) as
//! hhᵀ/v + a·T in its precision and h·y/v in its linear term, where T = diag(t) is one fixed
//! diagonal on the leading K coordinates (for a rating, a·T is the rated film's own factor
//! uncertainty, a = s²/v). Taking one out,
//!
//! ```text
//! P' = P − a·T − hhᵀ/v          b' = b − h·y/v
//! ```
//!
//! is a change of rank K + 1, done in two steps. With E = T^½ and C = EᵀΣE = YΓYᵀ (eigenvectors
//! once, for every observation), Woodbury gives (P − aT)⁻¹ = Σ + R·diag(a/(1 − aγ))·Rᵀ with
//! R = ΣEY, for any a; Sherman–Morrison then removes the rank one hhᵀ/v:
//! Σ' = Q⁻¹ + zzᵀ/(v − q), z = Q⁻¹h, q = hᵀz. What a prediction of the observation needs (hᵀμ',
//! hᵀΣ'h and the T-weighted moments of z') costs Σh and Rᵀh, then O(K).

use ndarray::{Array1, Array2, ArrayView1};

use moviematch_math::linalg::{cho_inverse, cho_solve, symmetric_eigen, NotPositiveDefinite};

/// N(μ, Σ) prepared for taking observations out of it.
#[derive(Debug, Clone)]
pub struct Downdate {
    sigma: Array2<f64>,
    mean: Array1<f64>,
    t: Array1<f64>,
    /// Eigenvalues of C = EᵀΣ_KK E.
    gamma: Array1<f64>,
    /// R = Σ·E·Y, D × K.
    r: Array2<f64>,
    /// Rᵀb = Yᵀ·E·μ_K.
    r_b: Array1<f64>,
    /// The diagonal of RᵀTR.
    rho: Array1<f64>,
    /// tr(TΣ).
    tr_t_sigma: f64,
}

/// The Gaussian without one observation, as far as predicting that observation needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Without {
    /// μ' − μ.
    pub shift: Array1<f64>,
    /// hᵀμ'.
    pub h_mean: f64,
    /// hᵀΣ'h.
    pub h_var: f64,
    /// Σ_k t_k (μ'_k² + Σ'_kk).
    pub t_moment: f64,
    /// (μ' − μ)ᵀP(μ' − μ), P the precision before: Σγ_i w_i² + 2c·wᵀRᵀh + c²hᵀΣh with
    /// μ' − μ = R·w + c·Σh (RᵀPR = Γ), so O(K).
    pub shift_norm: f64,
}

impl Downdate {
    /// The Gaussian with precision LLᵀ (`chol` = L) and linear term `b`; `t` is T's diagonal on
    /// the leading t.len() coordinates (≥ 0).
    pub fn new(chol: &Array2<f64>, b: ArrayView1<f64>, t: &[f64]) -> Downdate {
        let sigma = cho_inverse(chol);
        let mean = cho_solve(chol, b);
        let (d, k) = (mean.len(), t.len());
        assert!(k <= d, "T lies on the leading coordinates");
        let e: Vec<f64> = t.iter().map(|&x| x.max(0.0).sqrt()).collect();
        let c = Array2::from_shape_fn((k, k), |(i, j)| e[i] * sigma[[i, j]] * e[j]);
        let (gamma, y) = symmetric_eigen(&c);
        let r = Array2::from_shape_fn((d, k), |(i, j)| sigma[[i, j]] * e[j]).dot(&y);
        let e_mean: Array1<f64> = (0..k).map(|i| e[i] * mean[i]).collect();
        let r_b = y.t().dot(&e_mean);
        let rho = Array1::from_shape_fn(k, |i| (0..k).map(|j| t[j] * r[[j, i]].powi(2)).sum());
        let tr_t_sigma = (0..k).map(|i| t[i] * sigma[[i, i]]).sum();
        Downdate {
            sigma,
            mean,
            t: Array1::from(t.to_vec()),
            gamma,
            r,
            r_b,
            rho,
            tr_t_sigma,
        }
    }

    /// μ.
    pub fn mean(&self) -> &Array1<f64> {
        &self.mean
    }

    /// Σ.
    pub fn cov(&self) -> &Array2<f64> {
        &self.sigma
    }

    /// The Gaussian without the observation y = hᵀz + noise(v) and its a·T; an error when
    /// what is left is not positive definite (the observation was never in it).
    pub fn remove(
        &self,
        h: ArrayView1<f64>,
        v: f64,
        y: f64,
        a: f64,
    ) -> Result<Without, NotPositiveDefinite> {
        Ok(self.removal(h, v, y, a)?.without)
    }

    /// [`Downdate::remove`] as a whole Gaussian: μ' and Σ' (O(D²K)).
    pub fn remove_all(
        &self,
        h: ArrayView1<f64>,
        v: f64,
        y: f64,
        a: f64,
    ) -> Result<(Array1<f64>, Array2<f64>), NotPositiveDefinite> {
        let Removal { without, d, z, den } = self.removal(h, v, y, a)?;
        // Σ' = Σ + R·diag(d)·Rᵀ + zzᵀ/(v − q).
        let rd = Array2::from_shape_fn(self.r.dim(), |(i, j)| self.r[[i, j]] * d[j]);
        let mut cov = &self.sigma + &rd.dot(&self.r.t());
        for i in 0..z.len() {
            for j in 0..z.len() {
                cov[[i, j]] += z[i] * z[j] / den;
            }
        }
        Ok((&self.mean + &without.shift, cov))
    }

    fn removal(
        &self,
        h: ArrayView1<f64>,
        v: f64,
        y: f64,
        a: f64,
    ) -> Result<Removal, NotPositiveDefinite> {
        let k = self.t.len();
        let mut d = Array1::<f64>::zeros(k);
        for i in 0..k {
            let den = 1.0 - a * self.gamma[i];
            if !(den > 0.0 && den.is_finite()) {
                return Err(NotPositiveDefinite {
                    pivot: i,
                    value: den,
                });
            }
            d[i] = a / den;
        }
        let sh = self.sigma.dot(&h);
        let rh = self.r.t().dot(&h);
        let dr = &d * &rh;
        let q = h.dot(&sh) + dr.dot(&rh);
        let den = v - q;
        if !(den > 0.0 && den.is_finite()) {
            return Err(NotPositiveDefinite {
                pivot: k,
                value: den,
            });
        }
        // hᵀ(P − aT)⁻¹b' and the Sherman–Morrison coefficient κ − y/v of z in μ' − μ.
        let hqb = h.dot(&self.mean) + dr.dot(&self.r_b) - q * y / v;
        let c1 = hqb / den - y / v;
        let w = &d * &(&self.r_b + &(&rh * c1));
        let shift = self.r.dot(&w) + &sh * c1;
        // z = Q⁻¹h = Σh + R·(d ∘ Rᵀh).
        let z = &sh + &self.r.dot(&dr);
        let t_moment = (0..k)
            .map(|i| {
                let m = self.mean[i] + shift[i];
                self.t[i] * (m * m + z[i] * z[i] / den)
            })
            .sum::<f64>()
            + self.tr_t_sigma
            + d.dot(&self.rho);
        let shift_norm = (&self.gamma * &w).dot(&w) + 2.0 * c1 * w.dot(&rh) + c1 * c1 * h.dot(&sh);
        Ok(Removal {
            without: Without {
                shift,
                h_mean: hqb * v / den,
                h_var: q * v / den,
                t_moment,
                shift_norm,
            },
            d,
            z,
            den,
        })
    }
}

/// What [`Downdate::remove_all`] needs beyond [`Without`].
struct Removal {
    without: Without,
    /// a/(1 − aγ).
    d: Array1<f64>,
    /// z = (P − aT)⁻¹h.
    z: Array1<f64>,
    /// v − hᵀz.
    den: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::cholesky;
    use approx::assert_abs_diff_eq;

    /// Every quantity equals the one computed from P' = P − aT − hhᵀ/v inverted directly.
    #[test]
    fn removing_an_observation_equals_inverting_what_is_left() {
        let (d, k) = (7, 3);
        let m = Array2::from_shape_fn((d, d), |(i, j)| ((i * 13 + j * 7) % 9) as f64 / 4.0 - 1.0);
        let t = [0.04, 0.3, 0.0];
        let h = Array1::from_shape_fn(d, |i| 0.3 * i as f64 - 0.7);
        let (v, y, a) = (0.8, 1.3, 0.6);
        // P = MᵀM + I plus the observation itself, so that taking it out leaves MᵀM + I.
        let mut p = m.t().dot(&m) + Array2::<f64>::eye(d);
        let left = p.clone();
        for i in 0..d {
            for j in 0..d {
                p[[i, j]] += h[i] * h[j] / v;
            }
        }
        for i in 0..k {
            p[[i, i]] += a * t[i];
        }
        let b = Array1::from_shape_fn(d, |i| 0.5 - 0.2 * i as f64);
        let dd = Downdate::new(&cholesky(&p).unwrap(), b.view(), &t);
        let out = dd.remove(h.view(), v, y, a).unwrap();
        let l = cholesky(&left).unwrap();
        let sigma = cho_inverse(&l);
        let mean = cho_solve(&l, (&b - &(&h * (y / v))).view());
        for i in 0..d {
            assert_abs_diff_eq!(dd.mean()[i] + out.shift[i], mean[i], epsilon = 1e-11);
        }
        assert_abs_diff_eq!(out.h_mean, h.dot(&mean), epsilon = 1e-11);
        assert_abs_diff_eq!(out.h_var, h.dot(&sigma.dot(&h)), epsilon = 1e-11);
        let want: f64 = (0..k)
            .map(|i| t[i] * (mean[i] * mean[i] + sigma[[i, i]]))
            .sum();
        assert_abs_diff_eq!(out.t_moment, want, epsilon = 1e-11);
        let norm = out.shift.dot(&p.dot(&out.shift));
        assert_abs_diff_eq!(out.shift_norm, norm, epsilon = 1e-11);
        let (mean2, cov2) = dd.remove_all(h.view(), v, y, a).unwrap();
        for i in 0..d {
            assert_abs_diff_eq!(mean2[i], mean[i], epsilon = 1e-11);
            for j in 0..d {
                assert_abs_diff_eq!(cov2[[i, j]], sigma[[i, j]], epsilon = 1e-11);
            }
        }
        // Taking out more than went in leaves a matrix that is no precision.
        assert!(dd.remove((&h * 10.0).view(), v, y, a).is_err());
        assert!(dd.remove(h.view(), v, y, 1e6).is_err());
    }
}
