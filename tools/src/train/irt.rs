//! The product's model, fitted by variational inference:
//!
//! ```text
//! r_um = μ + b_m + θ_u·β_m + w_u·x_m + b_u + ε,   ε ~ N(0, σ²)
//! z_u = (θ_u, w_u, b_u) ~ N(0, diag v)                    (ARD: v learned per dimension)
//! y_m = (β_m, b_m)     ~ N(G̃·[x_m; 1], diag(τ², σ_b²))    (content prior: an explicit regression)
//! ```
//!
//! q factorises over users and movies, each a full-covariance Gaussian (D = K+F+1 ≈ 56 per user,
//! K+1 per movie: cheap, and it keeps the correlations between a user's tastes, feature weights
//! and bias that a diagonal q would lose). Coordinate ascent: all users given the movies' q, then
//! all movies given the users' q, then the hyper-parameters (v, G̃, τ², σ_b², σ²) in closed form.
//! Every update is a (K+F+1)- or (K+1)-dimensional Gaussian solved by Cholesky (`irt/dense.rs`,
//! the engine's factorisation to the bit). At ml-25m's scale the two half-steps are bound by
//! memory traffic; `irt/update.rs` explains how they keep it low (and `irt/reference.rs`, test
//! only, keeps the straightforward per-rating form they are checked against).
//! Warm start from ALS; early stopping on held-out RMSE; afterwards dimensions are sorted by the
//! variance they explain and each sign is fixed, so dimension 1 means the same across runs.

// Index loops mirror the update formulas (several arrays indexed together).
#![allow(clippy::needless_range_loop)]

use moviematch::linalg::{cho_inverse, cho_solve, cholesky};
use ndarray::{Array1, Array2};
use rayon::prelude::*;

use crate::data::csr::Csr;
use crate::data::movielens::Ratings;
use crate::train::als::{self, AlsParams};

mod dense;
#[cfg(test)]
mod reference;
mod update;

use update::{update_items, update_users};

/// Training settings.
#[derive(Debug, Clone, PartialEq)]
pub struct IrtParams {
    pub k: usize,
    pub epochs: usize,
    pub seed: u64,
    /// Stop when held-out RMSE has not improved by 1e-4 for this many epochs.
    pub patience: usize,
    /// ALS epochs for the warm start.
    pub warm_epochs: usize,
    /// Ridge penalty of the content-prior regression G̃.
    pub g_ridge: f64,
    /// Multiplier on σ_b², the prior variance of each movie's bias around its content
    /// (IMDb-based) prediction: < 1 anchors movie quality harder on the IMDb consensus.
    /// 1 is the empirical-Bayes estimate; `tools tune` chooses it on fold-in tuning users.
    pub anchoring: f64,
    /// Multiplier on the visitor prior's covariance of the feature weights w, applied when the
    /// bundle is assembled (training itself uses the learned ARD variances). Chosen by
    /// `tools tune` on fold-in tuning users.
    pub feature_prior: f64,
    pub clip: (f32, f32),
}

impl Default for IrtParams {
    fn default() -> Self {
        IrtParams {
            k: 32,
            epochs: 30,
            seed: 42,
            patience: 2,
            warm_epochs: 4,
            g_ridge: 1.0,
            anchoring: 1.0,
            feature_prior: 2.0,
            clip: (0.5, 5.0),
        }
    }
}

/// One epoch's figures.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct IrtEpoch {
    pub epoch: usize,
    pub elbo: f64,
    pub sigma: f64,
    pub train_rmse: f64,
    pub heldout_rmse: Option<f64>,
}

/// A fitted model over the dense indices of its training [`Ratings`].
#[derive(Debug, Clone)]
pub struct IrtModel {
    pub k: usize,
    pub f: usize,
    pub mu: f64,
    pub sigma2: f64,
    /// Item features, n_items × F (engine's `FeatureSpec`, so identical to the browser's).
    pub x: Vec<f32>,
    /// q(z_u) means, n_users × D.
    pub user_mean: Vec<f64>,
    /// q(z_u) covariances, n_users × D(D+1)/2 (f32 keeps ml-25m in RAM), each row in the block
    /// order of [`UserCovLayout`] (θθ, then Cov([w; b_u], θ), then [w; b_u]); read them with
    /// [`IrtModel::user_cov_of`].
    pub user_cov: Vec<f32>,
    /// q(y_m) means (β, b), n_items × (K+1).
    pub item_mean: Vec<f64>,
    /// q(y_m) covariances, packed, n_items × (K+1)(K+2)/2.
    pub item_cov: Vec<f32>,
    /// Prior variances of z (length D).
    pub user_prior_var: Vec<f64>,
    /// G̃: (K+1) × (F+1), row j predicts y_j from [x; 1].
    pub g: Array2<f64>,
    /// Prior variances of y around G̃[x; 1]: τ² (K values) then σ_b².
    pub item_prior_var: Vec<f64>,
    pub item_count: Vec<u32>,
    pub history: Vec<IrtEpoch>,
    pub clip: (f32, f32),
}

fn packed_len(d: usize) -> usize {
    d * (d + 1) / 2
}

/// Index of (i, j) in a packed lower triangle.
fn pk(i: usize, j: usize) -> usize {
    let (a, b) = if i >= j { (i, j) } else { (j, i) };
    a * (a + 1) / 2 + b
}

/// −log|Σ| from the Cholesky factor of the precision: log|P| = 2 Σ log Lᵢᵢ.
fn log_det_precision(l: &Array2<f64>) -> f64 {
    (0..l.nrows()).map(|i| 2.0 * l[[i, i]].ln()).sum()
}

/// KL(N(μ, Σ) ‖ N(m, diag v)) given Σ, log|P| (P = Σ⁻¹).
fn kl_diag(
    mean: &[f64],
    cov: &Array2<f64>,
    log_det_p: f64,
    prior_mean: &[f64],
    prior_var: &[f64],
) -> f64 {
    let d = mean.len();
    let mut s = 0.0;
    for j in 0..d {
        s += (cov[[j, j]] + (mean[j] - prior_mean[j]).powi(2)) / prior_var[j] + prior_var[j].ln();
    }
    0.5 * (s - d as f64 + log_det_p)
}

/// Where Cov(z_a, z_b) sits in a user's row of [`IrtModel::user_cov`]: three blocks, each
/// contiguous, so that a movie's update reads the first two as one run of memory.
///
/// ```text
/// [0, K(K+1)/2)                 θθ, packed lower triangle: (a, b), b ≤ a < K at a(a+1)/2 + b
/// [K(K+1)/2, +(F+1)K)           Cov(z_{K+c}, θ_a) at K(K+1)/2 + cK + a   (c < F+1: w, then b_u)
/// [K(K+1)/2 + (F+1)K, D(D+1)/2) the [w; b_u] block, packed lower triangle
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserCovLayout {
    pub k: usize,
    pub d: usize,
}

impl UserCovLayout {
    /// Start of the Cov([w; b_u], θ) block.
    pub fn cross_start(&self) -> usize {
        packed_len(self.k)
    }

    /// Index of (a, b) (either order).
    pub fn idx(&self, a: usize, b: usize) -> usize {
        let (a, b) = if a >= b { (a, b) } else { (b, a) };
        let k = self.k;
        if a < k {
            a * (a + 1) / 2 + b
        } else if b < k {
            packed_len(k) + (a - k) * k + b
        } else {
            packed_len(k) + (self.d - k) * k + pk(a - k, b - k)
        }
    }

    /// Writes a full row-major D × D covariance (lower triangle read) into `out`.
    pub fn pack(&self, cov: &[f64], out: &mut [f32]) {
        let (k, d) = (self.k, self.d);
        let mut o = 0;
        for a in 0..k {
            for b in 0..=a {
                out[o] = cov[a * d + b] as f32;
                o += 1;
            }
        }
        for a in k..d {
            for b in 0..k {
                out[o] = cov[a * d + b] as f32;
                o += 1;
            }
        }
        for a in k..d {
            for b in k..=a {
                out[o] = cov[a * d + b] as f32;
                o += 1;
            }
        }
        debug_assert_eq!(o, packed_len(d));
    }
}

impl IrtModel {
    pub fn d(&self) -> usize {
        self.k + self.f + 1
    }

    /// Unclipped posterior-mean prediction for a dense (user, item) pair.
    pub fn raw(&self, u: usize, i: usize) -> f64 {
        let (k, f, d) = (self.k, self.f, self.d());
        let z = &self.user_mean[u * d..(u + 1) * d];
        let y = &self.item_mean[i * (k + 1)..(i + 1) * (k + 1)];
        let x = &self.x[i * f..(i + 1) * f];
        let mut s = self.mu + y[k] + z[d - 1];
        for c in 0..k {
            s += z[c] * y[c];
        }
        for c in 0..f {
            s += z[k + c] * x[c] as f64;
        }
        s
    }

    pub fn predict(&self, u: usize, i: usize) -> f32 {
        (self.raw(u, i) as f32).clamp(self.clip.0, self.clip.1)
    }

    /// G̃·[x_m; 1] for a feature row.
    pub fn prior_mean_of(&self, x: &[f32]) -> Vec<f64> {
        let f = self.f;
        (0..=self.k)
            .map(|j| (0..f).map(|c| self.g[[j, c]] * x[c] as f64).sum::<f64>() + self.g[[j, f]])
            .collect()
    }

    /// Covariance of q(y_i), unpacked.
    pub fn item_cov_of(&self, i: usize) -> Array2<f64> {
        let e = self.k + 1;
        let p = &self.item_cov[i * packed_len(e)..(i + 1) * packed_len(e)];
        Array2::from_shape_fn((e, e), |(a, b)| p[pk(a, b)] as f64)
    }

    /// Layout of each user's row of `user_cov`.
    pub fn user_cov_layout(&self) -> UserCovLayout {
        UserCovLayout {
            k: self.k,
            d: self.d(),
        }
    }

    /// Covariance of q(z_u), unpacked.
    pub fn user_cov_of(&self, u: usize) -> Array2<f64> {
        let d = self.d();
        let lay = self.user_cov_layout();
        let p = &self.user_cov[u * packed_len(d)..(u + 1) * packed_len(d)];
        Array2::from_shape_fn((d, d), |(a, b)| p[lay.idx(a, b)] as f64)
    }

    /// RMSE of the clipped predictions over `r`, like [`Ratings::rmse`] but on all cores: fixed
    /// chunks summed in order, so the figure does not depend on the thread schedule.
    pub fn rmse(&self, r: &Ratings) -> f64 {
        const CHUNK: usize = 1 << 16;
        let partial: Vec<f64> = (0..r.len().div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                (c * CHUNK..((c + 1) * CHUNK).min(r.len()))
                    .map(|j| {
                        ((self.predict(r.user[j] as usize, r.item[j] as usize) - r.value[j]) as f64)
                            .powi(2)
                    })
                    .sum::<f64>()
            })
            .collect();
        (partial.iter().sum::<f64>() / r.len().max(1) as f64).sqrt()
    }

    /// Visitor prior for the bundle: m₀ = mean of the users' q means and
    /// C = their spread + mean posterior covariance (moment matching of the population).
    pub fn visitor_prior(&self) -> (Array1<f64>, Array2<f64>) {
        let d = self.d();
        let n = self.user_mean.len() / d;
        let mut mean = Array1::<f64>::zeros(d);
        for u in 0..n {
            for j in 0..d {
                mean[j] += self.user_mean[u * d + j] / n as f64;
            }
        }
        let users: Vec<usize> = (0..n).collect();
        let lay = self.user_cov_layout();
        let at: Vec<usize> = (0..d * d).map(|j| lay.idx(j / d, j % d)).collect();
        let partial: Vec<Array2<f64>> = users
            .par_chunks(1024)
            .map(|chunk| {
                let mut acc = Array2::<f64>::zeros((d, d));
                for &u in chunk {
                    let z = &self.user_mean[u * d..(u + 1) * d];
                    let p = &self.user_cov[u * packed_len(d)..(u + 1) * packed_len(d)];
                    for a in 0..d {
                        for b in 0..d {
                            acc[[a, b]] +=
                                (z[a] - mean[a]) * (z[b] - mean[b]) + p[at[a * d + b]] as f64;
                        }
                    }
                }
                acc
            })
            .collect();
        let mut cov = partial
            .into_iter()
            .fold(Array2::<f64>::zeros((d, d)), |a, b| a + b)
            / n as f64;
        for a in 0..d {
            cov[[a, a]] += 1e-6;
        }
        let precision =
            cho_inverse(&cholesky(&cov).expect("population covariance is positive definite"));
        (mean, precision)
    }
}

/// Fits the model. `x` holds the F features of each dense item (row-major).
pub fn train(
    data: &Ratings,
    heldout: Option<&Ratings>,
    x: &[f32],
    f: usize,
    params: &IrtParams,
    mut on_epoch: impl FnMut(&IrtEpoch),
) -> IrtModel {
    let (nu, ni, k) = (data.n_users(), data.n_items(), params.k);
    assert_eq!(x.len(), ni * f, "one feature row per item");
    let d = k + f + 1;
    let e = k + 1;
    let warm = als::train(
        data,
        None,
        &AlsParams {
            k,
            epochs: params.warm_epochs,
            seed: params.seed,
            clip: params.clip,
            reg_factors: 6.0,
            ..AlsParams::default()
        },
        |_| {},
    );
    let mut item_count = vec![0u32; ni];
    for &i in &data.item {
        item_count[i as usize] += 1;
    }
    let var_of = |v: &mut dyn Iterator<Item = f64>| {
        let (mut s, mut s2, mut n) = (0.0, 0.0, 0.0);
        for x in v {
            s += x;
            s2 += x * x;
            n += 1.0;
        }
        (s2 / n - (s / n).powi(2)).max(1e-4)
    };
    let mut m = IrtModel {
        k,
        f,
        mu: warm.mu as f64,
        sigma2: (warm.rmse(data).powi(2)).max(0.05),
        x: x.to_vec(),
        user_mean: vec![0.0; nu * d],
        user_cov: vec![0.0; nu * packed_len(d)],
        item_mean: vec![0.0; ni * e],
        item_cov: vec![0.0; ni * packed_len(e)],
        user_prior_var: vec![0.01; d],
        g: Array2::zeros((e, f + 1)),
        item_prior_var: vec![0.0; e],
        item_count,
        history: Vec::new(),
        clip: params.clip,
    };
    for u in 0..nu {
        for c in 0..k {
            m.user_mean[u * d + c] = warm.user_f[u * k + c] as f64;
        }
        m.user_mean[u * d + d - 1] = warm.user_b[u] as f64;
    }
    for i in 0..ni {
        for c in 0..k {
            m.item_mean[i * e + c] = warm.item_f[i * k + c] as f64;
        }
        m.item_mean[i * e + k] = warm.item_b[i] as f64;
    }
    for c in 0..k {
        m.user_prior_var[c] = var_of(&mut (0..nu).map(|u| warm.user_f[u * k + c] as f64));
        m.item_prior_var[c] = var_of(&mut (0..ni).map(|i| warm.item_f[i * k + c] as f64));
    }
    m.user_prior_var[d - 1] = var_of(&mut warm.user_b.iter().map(|&b| b as f64));
    m.item_prior_var[k] = var_of(&mut warm.item_b.iter().map(|&b| b as f64));
    fit_item_prior(&mut m, params.g_ridge, params.anchoring);

    let by_user = Csr::build(&data.user, nu);
    let by_item = update::Grouped::build(&data.item, &data.user, &data.value, ni);
    let mut best = f64::INFINITY;
    let mut since_best = 0;
    // The warm start has point-mass movies (no covariance, so no finite ELBO): one item pass
    // gives every movie a proper q before the first epoch. The users are point masses too, so
    // the cross term Σ_u Cov(θ_u, [w_u; b_u]) [x; 1] is zero.
    update_items(&mut m, &by_item, &vec![0.0; ni * k]);
    for epoch in 1..=params.epochs {
        // Coordinate ascent, with the ELBO taken at one consistent q: new users, the movies
        // and hyper-parameters of the previous step. Each later step maximises it over its own
        // block (σ² given the expected SSE it was computed with), so it rises epoch by epoch.
        let kl_items = kl_items(&m);
        let users = update_users(&mut m, data, &by_user);
        let (sse, kl_users) = (users.sse, users.kl);
        let n = data.len() as f64;
        let elbo = -0.5 * n * (2.0 * std::f64::consts::PI * m.sigma2).ln()
            - sse / (2.0 * m.sigma2)
            - kl_users
            - kl_items;
        m.sigma2 = (sse / n).max(1e-4);
        update_items(&mut m, &by_item, &users.cross);
        drop(users);
        update_user_prior(&mut m);
        fit_item_prior(&mut m, params.g_ridge, params.anchoring);
        let report = IrtEpoch {
            epoch,
            elbo,
            sigma: m.sigma2.sqrt(),
            train_rmse: m.rmse(data),
            heldout_rmse: heldout.map(|h| m.rmse(h)),
        };
        m.history.push(report);
        on_epoch(&report);
        if let Some(h) = report.heldout_rmse {
            if h < best - 1e-4 {
                best = h;
                since_best = 0;
            } else {
                since_best += 1;
                if since_best >= params.patience {
                    break;
                }
            }
        }
    }
    order_dimensions(&mut m);
    m
}

/// ARD: each dimension's prior variance is the population's second moment under q.
fn update_user_prior(m: &mut IrtModel) {
    let d = m.d();
    let n = m.user_mean.len() / d;
    let pd = packed_len(d);
    let lay = m.user_cov_layout();
    let diag: Vec<usize> = (0..d).map(|j| lay.idx(j, j)).collect();
    // One pass over the users (each dimension still summed in user order).
    let mut s = vec![0f64; d];
    for u in 0..n {
        let (z, p) = (
            &m.user_mean[u * d..(u + 1) * d],
            &m.user_cov[u * pd..(u + 1) * pd],
        );
        for j in 0..d {
            s[j] += z[j].powi(2) + p[diag[j]] as f64;
        }
    }
    for j in 0..d {
        m.user_prior_var[j] = (s[j] / n as f64).max(1e-6);
    }
}

/// The content prior as a ridge regression of the movies' q means on [x; 1], then the spread
/// around it (τ², σ_b²) including each movie's own posterior variance.
fn fit_item_prior(m: &mut IrtModel, ridge: f64, anchoring: f64) {
    let (k, f) = (m.k, m.f);
    let e = k + 1;
    let n = m.item_mean.len() / e;
    let fx = f + 1;
    let mut xtx = Array2::<f64>::zeros((fx, fx));
    let mut xty = Array2::<f64>::zeros((fx, e));
    let mut xt = vec![0f64; fx];
    for i in 0..n {
        for c in 0..f {
            xt[c] = m.x[i * f + c] as f64;
        }
        xt[f] = 1.0;
        for a in 0..fx {
            for b in 0..fx {
                xtx[[a, b]] += xt[a] * xt[b];
            }
            for j in 0..e {
                xty[[a, j]] += xt[a] * m.item_mean[i * e + j];
            }
        }
    }
    for a in 0..f {
        xtx[[a, a]] += ridge; // the intercept is not penalised
    }
    let l = cholesky(&xtx).expect("feature Gram matrix is positive definite");
    for j in 0..e {
        let col = cho_solve(&l, xty.column(j));
        for a in 0..fx {
            m.g[[j, a]] = col[a];
        }
    }
    let pe = packed_len(e);
    let mut spread = vec![0f64; e];
    for i in 0..n {
        let pm = m.prior_mean_of(&m.x[i * f..(i + 1) * f]);
        for j in 0..e {
            spread[j] +=
                (m.item_mean[i * e + j] - pm[j]).powi(2) + m.item_cov[i * pe + pk(j, j)] as f64;
        }
    }
    for j in 0..e {
        m.item_prior_var[j] = (spread[j] / n as f64).max(1e-6);
    }
    m.item_prior_var[m.k] *= anchoring;
}

/// Σ_m KL(q(y_m) ‖ p(y_m)) for the movies' current q under the current item prior.
fn kl_items(m: &IrtModel) -> f64 {
    let (k, f) = (m.k, m.f);
    let e = k + 1;
    let pe = packed_len(e);
    let kls: Vec<f64> = (0..m.item_count.len())
        .into_par_iter()
        .map(|i| {
            let mut cov = Array2::<f64>::zeros((e, e));
            let packed = &m.item_cov[i * pe..(i + 1) * pe];
            for a in 0..e {
                for b in 0..=a {
                    cov[[a, b]] = packed[pk(a, b)] as f64;
                    cov[[b, a]] = cov[[a, b]];
                }
            }
            // log|P| = −log|Σ| = −2 Σ log Lᵢᵢ for Σ = LLᵀ.
            let log_det_p = match cholesky(&cov) {
                Ok(l) => -log_det_precision(&l),
                Err(_) => return f64::INFINITY,
            };
            let m0 = m.prior_mean_of(&m.x[i * f..(i + 1) * f]);
            kl_diag(
                &m.item_mean[i * e..(i + 1) * e],
                &cov,
                log_det_p,
                &m0,
                &m.item_prior_var,
            )
        })
        .collect();
    kls.iter().sum()
}

/// Sorts latent dimensions by explained variance (v_θk · mean E[β_k²]) and fixes each sign so
/// that the 100 most-rated movies load positively on average.
fn order_dimensions(m: &mut IrtModel) {
    let (k, f) = (m.k, m.f);
    let (d, e) = (k + f + 1, k + 1);
    let ni = m.item_mean.len() / e;
    let nu = m.user_mean.len() / d;
    let (pd, pe) = (packed_len(d), packed_len(e));
    let importance: Vec<f64> = (0..k)
        .map(|c| {
            let b2: f64 = (0..ni)
                .map(|i| m.item_mean[i * e + c].powi(2) + m.item_cov[i * pe + pk(c, c)] as f64)
                .sum();
            m.user_prior_var[c] * b2 / ni as f64
        })
        .collect();
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| importance[b].total_cmp(&importance[a]).then(a.cmp(&b)));
    let mut top: Vec<usize> = (0..ni).collect();
    top.sort_by_key(|&i| std::cmp::Reverse(m.item_count[i]));
    top.truncate(100);
    let sign: Vec<f64> = (0..k)
        .map(|c| {
            if top.iter().map(|&i| m.item_mean[i * e + c]).sum::<f64>() < 0.0 {
                -1.0
            } else {
                1.0
            }
        })
        .collect();
    // new index a takes old index src(a), multiplied by its sign; non-θ dims stay in place.
    let src_d = |a: usize| if a < k { order[a] } else { a };
    let sg = |old: usize| if old < k { sign[old] } else { 1.0 };
    let user_lay = m.user_cov_layout();
    let user_idx = |a: usize, b: usize| user_lay.idx(a, b);
    let permute = |mean: &mut [f64],
                   cov: &mut [f32],
                   dim: usize,
                   plen: usize,
                   count: usize,
                   idx: &dyn Fn(usize, usize) -> usize| {
        let mut mbuf = vec![0f64; dim];
        let mut cbuf = vec![0f32; plen];
        for r in 0..count {
            let mrow = &mut mean[r * dim..(r + 1) * dim];
            let crow = &mut cov[r * plen..(r + 1) * plen];
            for a in 0..dim {
                mbuf[a] = mrow[src_d(a)] * sg(src_d(a));
                for b in 0..=a {
                    cbuf[idx(a, b)] =
                        crow[idx(src_d(a), src_d(b))] * (sg(src_d(a)) * sg(src_d(b))) as f32;
                }
            }
            mrow.copy_from_slice(&mbuf);
            crow.copy_from_slice(&cbuf);
        }
    };
    permute(&mut m.user_mean, &mut m.user_cov, d, pd, nu, &user_idx);
    permute(&mut m.item_mean, &mut m.item_cov, e, pe, ni, &pk);
    let g = m.g.clone();
    let upv = m.user_prior_var.clone();
    let ipv = m.item_prior_var.clone();
    for a in 0..k {
        let o = order[a];
        for c in 0..=f {
            m.g[[a, c]] = g[[o, c]] * sign[o];
        }
        m.user_prior_var[a] = upv[o];
        m.item_prior_var[a] = ipv[o];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synth::{synthesize, SynthParams};
    use rand::{rngs::StdRng, RngExt, SeedableRng};

    fn split(data: &Ratings) -> (Ratings, Ratings) {
        let mut rng = StdRng::seed_from_u64(1);
        let (mut tr, mut te) = (Vec::new(), Vec::new());
        for j in 0..data.len() {
            if rng.random::<f64>() < 0.1 {
                te.push(j)
            } else {
                tr.push(j)
            }
        }
        (data.select(&tr), data.select(&te))
    }

    /// Planted factors, no informative features: VI recovers the structure (held-out RMSE near
    /// σ), learns σ, the ELBO rises, and dimensions come out ordered by importance.
    #[test]
    fn recovers_planted_structure_and_orders_dimensions() {
        let sp = SynthParams {
            users: 500,
            movies: 300,
            ratings: 40_000,
            k: 3,
            noise: 0.3,
            seed: 11,
            factor_sd: 0.7,
        };
        let data = synthesize(&sp).ratings;
        let (train_set, test_set) = split(&data);
        let f = 2;
        let x: Vec<f32> = (0..train_set.n_items() * f)
            .map(|j| ((j * 37 % 11) as f32 - 5.0) / 5.0)
            .collect();
        let p = IrtParams {
            k: 5,
            epochs: 25,
            clip: (-100.0, 100.0),
            ..IrtParams::default()
        };
        let m = train(&train_set, Some(&test_set), &x, f, &p, |_| {});
        let rmse = m.rmse(&test_set);
        assert!(
            rmse < 0.3 * 1.10,
            "held-out RMSE {rmse} not within 10% of σ = 0.3"
        );
        assert!(
            (m.sigma2.sqrt() - 0.3).abs() < 0.05,
            "σ learned as {}",
            m.sigma2.sqrt()
        );
        // Coordinate ascent: the ELBO rises every epoch (up to the ridge penalty on G̃, which
        // is not part of the ELBO: a relative slack of 1e-5).
        let h = &m.history;
        assert!(h.len() >= 3, "{h:?}");
        for w in h.windows(2) {
            assert!(
                w[1].elbo >= w[0].elbo - 1e-5 * w[0].elbo.abs(),
                "ELBO fell from epoch {} to {}: {h:?}",
                w[0].epoch,
                w[1].epoch
            );
        }
        // Dimensions are sorted by the variance they explain, and the planted K = 3 carry most.
        let e = m.k + 1;
        let ni = m.item_mean.len() / e;
        let imp: Vec<f64> = (0..m.k)
            .map(|c| {
                let b2: f64 = (0..ni)
                    .map(|i| m.item_mean[i * e + c].powi(2) + m.item_cov_of(i)[[c, c]])
                    .sum();
                m.user_prior_var[c] * b2 / ni as f64
            })
            .collect();
        assert!(imp.windows(2).all(|w| w[0] >= w[1]), "not sorted: {imp:?}");
        let share = imp[..3].iter().sum::<f64>() / imp.iter().sum::<f64>();
        assert!(
            share > 0.8,
            "planted dimensions explain only {share:.2}: {imp:?}"
        );
    }

    /// The content prior: when item biases are a linear function of a feature, G̃ learns it.
    #[test]
    fn content_prior_learns_the_feature_effect() {
        let sp = SynthParams {
            users: 300,
            movies: 200,
            ratings: 20_000,
            k: 2,
            noise: 0.3,
            seed: 5,
            factor_sd: 0.3,
        };
        let syn = synthesize(&sp);
        let data = syn.ratings;
        // Feature 0 = the planted item bias (standardised); so b_m ≈ 0.5 · x_m0.
        let f = 1;
        let x: Vec<f32> = data
            .item_ids
            .iter()
            .map(|&id| (syn.item_bias[id as usize - 1] / 0.5) as f32)
            .collect();
        let p = IrtParams {
            k: 2,
            epochs: 15,
            clip: (-100.0, 100.0),
            ..IrtParams::default()
        };
        let m = train(&data, None, &x, f, &p, |_| {});
        let slope = m.g[[2, 0]];
        assert!(
            (slope - 0.5).abs() < 0.1,
            "bias slope on the feature {slope}, planted 0.5"
        );
        assert!(
            m.item_prior_var[2] < 0.05,
            "σ_b² {} should be small once the feature explains b",
            m.item_prior_var[2]
        );
    }

    /// A small random problem in a realistic state (a few epochs in), with ragged rating counts.
    fn small_problem() -> (IrtModel, Ratings) {
        let sp = SynthParams {
            users: 90,
            movies: 70,
            ratings: 4000,
            k: 3,
            noise: 0.4,
            seed: 17,
            factor_sd: 0.6,
        };
        let data = synthesize(&sp).ratings;
        let f = 3;
        let mut rng = StdRng::seed_from_u64(5);
        let x: Vec<f32> = (0..data.n_items() * f)
            .map(|_| rng.random::<f32>() * 2.0 - 1.0)
            .collect();
        let p = IrtParams {
            k: 5,
            epochs: 2,
            warm_epochs: 1,
            clip: (-100.0, 100.0),
            ..IrtParams::default()
        };
        (train(&data, None, &x, f, &p, |_| {}), data)
    }

    fn close(got: f64, want: f64, scale: f64, what: &str) {
        let tol = 1e-9 * want.abs().max(scale);
        assert!(
            (got - want).abs() <= tol,
            "{what}: {got} vs reference {want} (tolerance {tol:e})"
        );
    }

    /// The fast updates agree with the straightforward per-rating ones to 1e-9 (they only
    /// reassociate sums), user by user and movie by movie in f64, and for whole half-steps.
    #[test]
    fn update_matches_the_reference() {
        let (m, data) = small_problem();
        let (k, f, d) = (m.k, m.f, m.d());
        let e = k + 1;
        let by_user = Csr::build(&data.user, data.n_users());
        let by_item = Csr::build(&data.item, data.n_items());
        let grouped = update::Grouped::build(&data.item, &data.user, &data.value, data.n_items());
        let ctx = update::UserCtx {
            k,
            f,
            sigma2: m.sigma2,
            mu: m.mu,
            item_mean: &m.item_mean,
            item_cov: &m.item_cov,
            x: &m.x,
            prior_var: &m.user_prior_var,
            data: &data,
            by_user: &by_user,
            avx2: update::have_avx2(),
        };
        let mut s = update::Scratch::default();
        for u in 0..data.n_users() {
            let (sse, kl) = ctx.solve(u, &mut s);
            let (mean, cov, want_sse, want_kl) = reference::user(&m, &data, &by_user, u);
            close(sse, want_sse, 0.0, "user SSE");
            close(kl, want_kl, 0.0, "user KL");
            let scale = mean.iter().fold(0f64, |a, v| a.max(v.abs()));
            for j in 0..d {
                close(s.mean[j], mean[j], scale, "user mean");
                for i in 0..d {
                    let sc = (cov[[i, i]] * cov[[j, j]]).sqrt();
                    close(s.cov[i * d + j], cov[[i, j]], sc, "user covariance");
                }
            }
        }
        // The whole user half-step.
        let (mut fast, mut slow) = (m.clone(), m);
        let pass = update_users(&mut fast, &data, &by_user);
        let (want_sse, want_kl) = reference::update_users(&mut slow, &data, &by_user);
        close(pass.sse, want_sse, 0.0, "Σ SSE");
        close(pass.kl, want_kl, 0.0, "Σ KL users");
        for (a, b) in fast.user_mean.iter().zip(&slow.user_mean) {
            close(*a, *b, 1.0, "user means");
        }
        for (a, b) in fast.user_cov.iter().zip(&slow.user_cov) {
            // Stored as f32: the f64 values agree to 1e-9, so at most the last bit differs.
            assert!((a - b).abs() <= 2.0 * f32::EPSILON * b.abs(), "{a} vs {b}");
        }
        // The movie half-step, from the same users on both sides.
        slow.user_mean.clone_from(&fast.user_mean);
        slow.user_cov.clone_from(&fast.user_cov);
        let m = &fast;
        let prior_mean: Vec<f64> = (0..data.n_items())
            .flat_map(|i| m.prior_mean_of(&m.x[i * f..(i + 1) * f]))
            .collect();
        let ctx = update::ItemCtx {
            k,
            f,
            sigma2: m.sigma2,
            mu: m.mu,
            user_mean: &m.user_mean,
            user_cov: &m.user_cov,
            x: &m.x,
            prior_mean: &prior_mean,
            prior_var: &m.item_prior_var,
            cross: &pass.cross,
            by_item: &grouped,
            avx2: update::have_avx2(),
        };
        for i in 0..data.n_items() {
            let kl = ctx.solve(i, &mut s);
            let (mean, cov, want_kl) = reference::item(m, &data, &by_item, i);
            close(kl, want_kl, 0.0, "item KL");
            let scale = mean.iter().fold(0f64, |a, v| a.max(v.abs()));
            for j in 0..e {
                close(s.mean[j], mean[j], scale, "item mean");
                for a in 0..e {
                    let sc = (cov[[a, a]] * cov[[j, j]]).sqrt();
                    close(s.cov[a * e + j], cov[[a, j]], sc, "item covariance");
                }
            }
        }
        let kl = update_items(&mut fast, &grouped, &pass.cross);
        let want_kl = reference::update_items(&mut slow, &data, &by_item);
        close(kl, want_kl, 0.0, "Σ KL items");
        for (a, b) in fast.item_mean.iter().zip(&slow.item_mean) {
            close(*a, *b, 1.0, "item means");
        }
        for (a, b) in fast.item_cov.iter().zip(&slow.item_cov) {
            assert!((a - b).abs() <= 2.0 * f32::EPSILON * b.abs(), "{a} vs {b}");
        }
    }

    /// The AVX2 and the portable code paths give the same bits (no reassociation, no FMA).
    #[test]
    fn simd_paths_agree_bit_for_bit() {
        if !update::have_avx2() {
            return;
        }
        let (m, data) = small_problem();
        let by_user = Csr::build(&data.user, data.n_users());
        let by_item = update::Grouped::build(&data.item, &data.user, &data.value, data.n_items());
        let (mut a, mut b) = (m.clone(), m);
        let pa = update::update_users_with(&mut a, &data, &by_user, true);
        let pb = update::update_users_with(&mut b, &data, &by_user, false);
        assert_eq!((pa.sse, pa.kl, &pa.cross), (pb.sse, pb.kl, &pb.cross));
        assert_eq!(
            update::update_items_with(&mut a, &by_item, &pa.cross, true),
            update::update_items_with(&mut b, &by_item, &pb.cross, false)
        );
        assert_eq!((&a.user_mean, &a.user_cov), (&b.user_mean, &b.user_cov));
        assert_eq!((&a.item_mean, &a.item_cov), (&b.item_mean, &b.item_cov));
    }

    #[test]
    fn user_cov_layout_round_trips() {
        let lay = UserCovLayout { k: 3, d: 6 };
        let mut seen = vec![false; packed_len(6)];
        for a in 0..6 {
            for b in 0..=a {
                assert_eq!(lay.idx(a, b), lay.idx(b, a));
                assert!(!std::mem::replace(&mut seen[lay.idx(a, b)], true));
            }
        }
        let cov: Vec<f64> = (0..36)
            .map(|j| ((j / 6).max(j % 6) * 10 + (j / 6).min(j % 6)) as f64)
            .collect();
        let mut out = vec![0f32; packed_len(6)];
        lay.pack(&cov, &mut out);
        for a in 0..6 {
            for b in 0..6 {
                assert_eq!(out[lay.idx(a, b)] as f64, cov[a * 6 + b]);
            }
        }
    }

    #[test]
    fn deterministic_for_a_seed() {
        let sp = SynthParams {
            users: 60,
            movies: 50,
            ratings: 2000,
            k: 2,
            noise: 0.5,
            seed: 3,
            factor_sd: 0.5,
        };
        let data = synthesize(&sp).ratings;
        let x = vec![0.5f32; data.n_items()];
        let p = IrtParams {
            k: 3,
            epochs: 3,
            ..IrtParams::default()
        };
        let a = train(&data, None, &x, 1, &p, |_| {});
        let b = train(&data, None, &x, 1, &p, |_| {});
        assert_eq!(a.item_mean, b.item_mean);
        assert_eq!(a.user_cov, b.user_cov);
    }
}
