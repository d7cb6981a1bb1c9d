//! The slice's latent-factor model r̂ = μ + b_u + b_m + θ_u·β_m, fitted by alternating ridge
//! regressions (ALS / MAP). Each half-epoch solves one small (K+1)² system per user, then per
//! item, with the engine's Cholesky, so trainer and browser share the same numerics.
//! K = 0 gives the bias-only baseline with the same code.

use moviematch::linalg::{cho_inverse, cho_solve, cholesky};
use ndarray::{Array1, Array2};
use rand::{rngs::StdRng, RngExt, SeedableRng};
use rayon::prelude::*;

use crate::data::csr::Csr;
use crate::data::movielens::Ratings;

/// Training settings.
#[derive(Debug, Clone, PartialEq)]
pub struct AlsParams {
    pub k: usize,
    pub epochs: usize,
    /// Ridge penalty on factors (σ² / prior variance of a factor).
    pub reg_factors: f64,
    /// Ridge penalty on biases.
    pub reg_bias: f64,
    pub seed: u64,
    /// Stop when held-out RMSE has not improved for this many epochs.
    pub patience: usize,
    /// Rating scale bounds, to clip predictions the way the app does.
    pub clip: (f32, f32),
}

impl Default for AlsParams {
    fn default() -> Self {
        AlsParams {
            k: 32,
            epochs: 20,
            reg_factors: 15.0,
            reg_bias: 2.0,
            seed: 42,
            patience: 2,
            clip: (0.5, 5.0),
        }
    }
}

/// A fitted model over the dense user and item indices of the training [`Ratings`].
#[derive(Debug, Clone)]
pub struct AlsModel {
    pub k: usize,
    pub mu: f32,
    pub user_f: Vec<f32>,
    pub user_b: Vec<f32>,
    pub item_f: Vec<f32>,
    pub item_b: Vec<f32>,
    /// Number of training ratings per item.
    pub item_count: Vec<u32>,
    pub epochs_run: usize,
    pub clip: (f32, f32),
}

/// Per-epoch figures, reported as training goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochReport {
    pub epoch: usize,
    pub train_rmse: f64,
    pub heldout_rmse: Option<f64>,
}

impl AlsModel {
    /// Unclipped prediction for a dense (user, item) pair.
    pub fn raw(&self, u: usize, i: usize) -> f32 {
        let k = self.k;
        let dot: f32 = self.user_f[u * k..(u + 1) * k]
            .iter()
            .zip(&self.item_f[i * k..(i + 1) * k])
            .map(|(a, b)| a * b)
            .sum();
        self.mu + self.user_b[u] + self.item_b[i] + dot
    }

    /// Prediction clipped to the rating scale.
    pub fn predict(&self, u: usize, i: usize) -> f32 {
        self.raw(u, i).clamp(self.clip.0, self.clip.1)
    }

    /// RMSE over a rating set that shares this model's indices.
    pub fn rmse(&self, r: &Ratings) -> f64 {
        r.rmse(|u, i| self.predict(u, i))
    }

    /// Item `i`'s factor row.
    pub fn item_factors(&self, i: usize) -> &[f32] {
        &self.item_f[i * self.k..(i + 1) * self.k]
    }

    /// Posterior inverse-precision of each item's bias, [A_m⁻¹]_bb (multiply by σ² for Var(b_m)).
    pub fn item_bias_inv_precision(&self, train: &Ratings, params: &AlsParams) -> Vec<f64> {
        let by_item = Csr::build(&train.item, train.n_items());
        (0..train.n_items())
            .into_par_iter()
            .map(|i| {
                let a = self.normal_matrix(by_item.group(i), &train.user, &self.user_f, params);
                let l = cholesky(&a).expect("ridge matrix is positive definite");
                cho_inverse(&l)[[self.k, self.k]]
            })
            .collect()
    }

    /// Visitor prior from the training users: m₀ = mean of z_u = (θ_u, b_u) and
    /// C = empirical covariance + mean posterior covariance σ²A_u⁻¹ (the point estimates alone
    /// are shrunk and would make the prior too tight). Returns (m₀, Λ₀ = C⁻¹).
    pub fn visitor_prior(
        &self,
        train: &Ratings,
        params: &AlsParams,
        sigma: f64,
    ) -> (Array1<f64>, Array2<f64>) {
        let d = self.k + 1;
        let n = train.n_users();
        let by_user = Csr::build(&train.user, n);
        let z = |u: usize| -> Array1<f64> {
            let mut v = Array1::zeros(d);
            for c in 0..self.k {
                v[c] = self.user_f[u * self.k + c] as f64;
            }
            v[self.k] = self.user_b[u] as f64;
            v
        };
        let mean = (0..n).map(z).fold(Array1::zeros(d), |a, b| a + b) / n as f64;
        // Summed in fixed chunks, in order: bounded memory (not one (K+1)² matrix per user) and
        // the same floating-point sums whatever the thread count.
        let users: Vec<usize> = (0..n).collect();
        let partial: Vec<Array2<f64>> = users
            .par_chunks(1024)
            .map(|chunk| {
                let mut acc = Array2::<f64>::zeros((d, d));
                for &u in chunk {
                    let a = self.normal_matrix(by_user.group(u), &train.item, &self.item_f, params);
                    let p = cho_inverse(&cholesky(&a).expect("ridge matrix is positive definite"));
                    let dz = z(u) - &mean;
                    for i in 0..d {
                        for j in 0..d {
                            acc[[i, j]] += dz[i] * dz[j] + sigma * sigma * p[[i, j]];
                        }
                    }
                }
                acc
            })
            .collect();
        let mut cov = partial
            .into_iter()
            .fold(Array2::<f64>::zeros((d, d)), |a, b| a + b);
        cov /= n as f64;
        for a in 0..d {
            cov[[a, a]] += 1e-6;
        }
        let precision = cho_inverse(&cholesky(&cov).expect("covariance is positive definite"));
        (mean, precision)
    }

    /// A = diag(λ_f.., λ_b) + Σ x xᵀ with x = [other's factors; 1], over one group's rows.
    fn normal_matrix(
        &self,
        rows: &[u32],
        other_idx: &[u32],
        other_f: &[f32],
        p: &AlsParams,
    ) -> Array2<f64> {
        let k = self.k;
        let d = k + 1;
        let mut a = Array2::<f64>::zeros((d, d));
        let mut x = vec![0f64; d];
        for &r in rows {
            let o = other_idx[r as usize] as usize;
            for c in 0..k {
                x[c] = other_f[o * k + c] as f64;
            }
            x[k] = 1.0;
            for i in 0..d {
                for j in 0..=i {
                    a[[i, j]] += x[i] * x[j];
                }
            }
        }
        for i in 0..d {
            for j in 0..i {
                a[[j, i]] = a[[i, j]];
            }
            a[[i, i]] += if i == k { p.reg_bias } else { p.reg_factors };
        }
        a
    }
}

/// One ridge solve for a group: returns (factors, bias).
#[allow(clippy::too_many_arguments)]
fn solve_group(
    model: &AlsModel,
    rows: &[u32],
    other_idx: &[u32],
    other_f: &[f32],
    other_b: &[f32],
    values: &[f32],
    p: &AlsParams,
) -> (Vec<f32>, f32) {
    let k = model.k;
    if rows.is_empty() {
        return (vec![0.0; k], 0.0);
    }
    let a = model.normal_matrix(rows, other_idx, other_f, p);
    let mut rhs = Array1::<f64>::zeros(k + 1);
    for &r in rows {
        let o = other_idx[r as usize] as usize;
        let t = (values[r as usize] - model.mu - other_b[o]) as f64;
        for c in 0..k {
            rhs[c] += other_f[o * k + c] as f64 * t;
        }
        rhs[k] += t;
    }
    let l = cholesky(&a).expect("ridge matrix is positive definite");
    let sol = cho_solve(&l, rhs.view());
    (
        sol.iter().take(k).map(|&v| v as f32).collect(),
        sol[k] as f32,
    )
}

/// Fits the model; `heldout` (same indices) drives early stopping; `on_epoch` sees each epoch.
pub fn train(
    data: &Ratings,
    heldout: Option<&Ratings>,
    params: &AlsParams,
    mut on_epoch: impl FnMut(EpochReport),
) -> AlsModel {
    let (nu, ni, k) = (data.n_users(), data.n_items(), params.k);
    let mu = (data.value.iter().map(|&v| v as f64).sum::<f64>() / data.len().max(1) as f64) as f32;
    let mut rng = StdRng::seed_from_u64(params.seed);
    let mut init =
        |n: usize| -> Vec<f32> { (0..n).map(|_| (rng.random::<f32>() - 0.5) * 0.2).collect() };
    let mut item_count = vec![0u32; ni];
    for &i in &data.item {
        item_count[i as usize] += 1;
    }
    let mut m = AlsModel {
        k,
        mu,
        user_f: init(nu * k),
        user_b: vec![0.0; nu],
        item_f: init(ni * k),
        item_b: vec![0.0; ni],
        item_count,
        epochs_run: 0,
        clip: params.clip,
    };
    let by_user = Csr::build(&data.user, nu);
    let by_item = Csr::build(&data.item, ni);
    let mut best: Option<(f64, AlsModel)> = None;
    let mut since_best = 0;
    for epoch in 1..=params.epochs {
        let users: Vec<(Vec<f32>, f32)> = (0..nu)
            .into_par_iter()
            .map(|u| {
                solve_group(
                    &m,
                    by_user.group(u),
                    &data.item,
                    &m.item_f,
                    &m.item_b,
                    &data.value,
                    params,
                )
            })
            .collect();
        for (u, (f, b)) in users.into_iter().enumerate() {
            m.user_f[u * k..(u + 1) * k].copy_from_slice(&f);
            m.user_b[u] = b;
        }
        let items: Vec<(Vec<f32>, f32)> = (0..ni)
            .into_par_iter()
            .map(|i| {
                solve_group(
                    &m,
                    by_item.group(i),
                    &data.user,
                    &m.user_f,
                    &m.user_b,
                    &data.value,
                    params,
                )
            })
            .collect();
        for (i, (f, b)) in items.into_iter().enumerate() {
            m.item_f[i * k..(i + 1) * k].copy_from_slice(&f);
            m.item_b[i] = b;
        }
        m.epochs_run = epoch;
        let report = EpochReport {
            epoch,
            train_rmse: m.rmse(data),
            heldout_rmse: heldout.map(|h| m.rmse(h)),
        };
        on_epoch(report);
        if let Some(h) = report.heldout_rmse {
            // An improvement below 1e-4 RMSE is noise, not progress.
            if best.as_ref().is_none_or(|(b, _)| h < *b - 1e-4) {
                best = Some((h, m.clone()));
                since_best = 0;
            } else {
                since_best += 1;
                if since_best >= params.patience {
                    break;
                }
            }
        }
    }
    best.map(|(_, b)| b).unwrap_or(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::split::random_split;
    use crate::data::synth::{synthesize, SynthParams};

    /// Planted structure: ratings = μ + b_u + b_m + θ·β + N(0, σ²). ALS must get held-out RMSE
    /// within 10% of σ, and bias-only must be far worse.
    #[test]
    fn recovers_planted_factors() {
        let sp = SynthParams {
            users: 600,
            movies: 400,
            ratings: 60_000,
            k: 3,
            noise: 0.3,
            seed: 7,
            factor_sd: 0.7,
        };
        let data = synthesize(&sp).ratings;
        let (train_set, test_set) = random_split(&data, 0.1, 1);
        let p = AlsParams {
            k: 3,
            epochs: 30,
            reg_factors: 2.0,
            reg_bias: 2.0,
            clip: (-100.0, 100.0),
            ..AlsParams::default()
        };
        let m = train(&train_set, Some(&test_set), &p, |_| {});
        let rmse = m.rmse(&test_set);
        assert!(
            rmse < 0.3 * 1.10,
            "held-out RMSE {rmse} not within 10% of σ = 0.3"
        );
        let bias = train(
            &train_set,
            Some(&test_set),
            &AlsParams { k: 0, ..p.clone() },
            |_| {},
        );
        let bias_rmse = bias.rmse(&test_set);
        assert!(
            bias_rmse > 2.0 * 0.3,
            "bias-only RMSE {bias_rmse} should be far worse than σ"
        );
    }

    #[test]
    fn deterministic_for_a_seed() {
        let sp = SynthParams {
            users: 50,
            movies: 40,
            ratings: 1500,
            k: 2,
            noise: 0.5,
            seed: 3,
            factor_sd: 0.5,
        };
        let data = synthesize(&sp).ratings;
        let p = AlsParams {
            k: 4,
            epochs: 3,
            ..AlsParams::default()
        };
        let a = train(&data, None, &p, |_| {});
        let b = train(&data, None, &p, |_| {});
        assert_eq!(a.item_f, b.item_f);
        assert_eq!(a.user_b, b.user_b);
    }
}
