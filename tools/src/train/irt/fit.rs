//! Fitting the model: the ALS warm start, coordinate ascent epoch by epoch with early stopping,
//! the closed-form hyper-parameter updates (ARD variances, the content prior G̃, τ², σ_b², σ²),
//! and the final ordering of the latent dimensions.

use moviematch::linalg::{cho_solve, cholesky};
use ndarray::Array2;
use rayon::prelude::*;

use crate::data::csr::Csr;
use crate::data::movielens::Ratings;
use crate::train::als::{self, AlsParams};
use crate::train::irt::model::{IrtEpoch, IrtModel, IrtParams};
use crate::train::irt::packed::{packed_len, pk};
use crate::train::irt::update::items::update_items;
use crate::train::irt::update::scratch::Grouped;
use crate::train::irt::update::users::update_users;

/// −log|Σ| from the Cholesky factor of the precision: log|P| = 2 Σ log Lᵢᵢ.
pub(in crate::train::irt) fn log_det_precision(l: &Array2<f64>) -> f64 {
    (0..l.nrows()).map(|i| 2.0 * l[[i, i]].ln()).sum()
}

/// KL(N(μ, Σ) ‖ N(m, diag v)) given Σ, log|P| (P = Σ⁻¹).
pub(in crate::train::irt) fn kl_diag(
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
    let by_item = Grouped::build(&data.item, &data.user, &data.value, ni);
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
