//! The model's settings, the fitted model over the dense indices of its training ratings, and
//! what it predicts: ratings, covariances, RMSE and the visitor prior it hands the bundle.

use moviematch::linalg::{cho_inverse, cholesky};
use ndarray::{Array1, Array2};
use rayon::prelude::*;

use crate::data::movielens::Ratings;
use crate::train::irt::packed::{packed_len, pk, UserCovLayout};

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
