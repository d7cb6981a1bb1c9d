//! The straightforward per-rating updates the fast ones (`update.rs`) replaced, kept as the test
//! reference: the same arithmetic as before, with two changes that do not touch it: each user's
//! or movie's body returns its f64 result (so tests can compare before the f32 packing), and
//! `user_cov` is read and written through [`UserCovLayout`] instead of a plain packed triangle.

use moviematch::linalg::{cho_inverse, cho_solve, cholesky};
use ndarray::{Array1, Array2};
use rayon::prelude::*;

use super::fit::{kl_diag, log_det_precision};
use super::model::IrtModel;
use super::packed::{packed_len, pk, UserCovLayout};
use crate::data::csr::Csr;
use crate::data::movielens::Ratings;

fn pack(m: &Array2<f64>, out: &mut [f32]) {
    for i in 0..m.nrows() {
        for j in 0..=i {
            out[pk(i, j)] = m[[i, j]] as f32;
        }
    }
}

/// One user's q(z_u): (mean, covariance, expected SSE, KL).
pub(super) fn user(
    m: &IrtModel,
    data: &Ratings,
    by_user: &Csr,
    u: usize,
) -> (Array1<f64>, Array2<f64>, f64, f64) {
    let (k, f) = (m.k, m.f);
    let d = k + f + 1;
    let e = k + 1;
    let sigma2 = m.sigma2;
    let zero = vec![0.0; d];
    let (item_mean, item_cov, xs, prior_var, mu) =
        (&m.item_mean, &m.item_cov, &m.x, &m.user_prior_var, m.mu);
    let rows = by_user.group(u);
    let mut p = Array2::<f64>::zeros((d, d));
    let mut h = Array1::<f64>::zeros(d);
    let mut a_s = Array2::<f64>::zeros((k, k));
    let mut c_sum = vec![0f64; k];
    let mut var_b = 0.0;
    let mut xt = vec![0f64; d];
    for &r in rows {
        let i = data.item[r as usize] as usize;
        let y = &item_mean[i * e..(i + 1) * e];
        let s = &item_cov[i * packed_len(e)..(i + 1) * packed_len(e)];
        xt[..k].copy_from_slice(&y[..k]);
        for c in 0..f {
            xt[k + c] = xs[i * f + c] as f64;
        }
        xt[d - 1] = 1.0;
        let t = data.value[r as usize] as f64 - mu - y[k];
        for a in 0..d {
            h[a] += xt[a] * t;
            for b in 0..=a {
                p[[a, b]] += xt[a] * xt[b];
            }
        }
        for a in 0..k {
            h[a] -= s[pk(a, k)] as f64; // E[β(r−μ−b)] = μ_β t − Cov(β, b)
            c_sum[a] += s[pk(a, k)] as f64;
            for b in 0..=a {
                p[[a, b]] += s[pk(a, b)] as f64;
                a_s[[a, b]] += s[pk(a, b)] as f64;
            }
        }
        var_b += s[pk(k, k)] as f64;
    }
    for a in 0..d {
        for b in 0..a {
            p[[a, b]] /= sigma2;
            p[[b, a]] = p[[a, b]];
        }
        p[[a, a]] = p[[a, a]] / sigma2 + 1.0 / prior_var[a];
        h[a] /= sigma2;
    }
    for a in 0..k {
        for b in 0..a {
            a_s[[b, a]] = a_s[[a, b]];
        }
    }
    let l = cholesky(&p).expect("user precision is positive definite");
    let mean = cho_solve(&l, h.view());
    let cov = cho_inverse(&l);
    // Expected squared error of this user's ratings under q.
    let mut sse = var_b;
    for &r in rows {
        let i = data.item[r as usize] as usize;
        let y = &item_mean[i * e..(i + 1) * e];
        let mut pred = mu + y[k] + mean[d - 1];
        for c in 0..k {
            pred += mean[c] * y[c];
        }
        for c in 0..f {
            pred += mean[k + c] * xs[i * f + c] as f64;
        }
        sse += (data.value[r as usize] as f64 - pred).powi(2);
    }
    let theta = mean.slice(ndarray::s![..k]);
    sse += 2.0 * theta.iter().zip(&c_sum).map(|(a, b)| a * b).sum::<f64>();
    sse += theta.dot(&a_s.dot(&theta));
    // tr(Σ (Σ_m E[x̃x̃ᵀ])) = σ² tr(Σ (P − P₀)) = σ² (D − Σ_j Σ_jj / v_j).
    sse += sigma2 * (d as f64 - (0..d).map(|j| cov[[j, j]] / prior_var[j]).sum::<f64>());
    let kl = kl_diag(
        mean.as_slice().unwrap(),
        &cov,
        log_det_precision(&l),
        &zero,
        prior_var,
    );
    (mean, cov, sse, kl)
}

/// q(z_u) for every user given the movies' q. Returns (expected SSE, Σ KL(q(z_u) ‖ p(z))).
pub(super) fn update_users(m: &mut IrtModel, data: &Ratings, by_user: &Csr) -> (f64, f64) {
    let d = m.d();
    let lay = UserCovLayout { k: m.k, d };
    let results: Vec<_> = (0..data.n_users())
        .into_par_iter()
        .map(|u| user(m, data, by_user, u))
        .collect();
    let mut stats = (0.0, 0.0);
    for (u, (mean, cov, sse, kl)) in results.into_iter().enumerate() {
        m.user_mean[u * d..(u + 1) * d].copy_from_slice(mean.as_slice().unwrap());
        lay.pack(
            cov.as_slice().unwrap(),
            &mut m.user_cov[u * packed_len(d)..(u + 1) * packed_len(d)],
        );
        stats = (stats.0 + sse, stats.1 + kl);
    }
    stats
}

/// One movie's q(y_m): (mean, covariance, KL).
pub(super) fn item(
    m: &IrtModel,
    data: &Ratings,
    by_item: &Csr,
    i: usize,
) -> (Array1<f64>, Array2<f64>, f64) {
    let (k, f) = (m.k, m.f);
    let d = k + f + 1;
    let e = k + 1;
    let pd = packed_len(d);
    let lay = UserCovLayout { k, d };
    let sigma2 = m.sigma2;
    let m0 = &m.prior_mean_of(&m.x[i * f..(i + 1) * f]);
    let (user_mean, user_cov, xs, prior_var, mu) =
        (&m.user_mean, &m.user_cov, &m.x, &m.item_prior_var, m.mu);
    let x = &xs[i * f..(i + 1) * f];
    let mut p = Array2::<f64>::zeros((e, e));
    let mut h = Array1::<f64>::zeros(e);
    let mut ut = vec![0f64; e];
    for &r in by_item.group(i) {
        let u = data.user[r as usize] as usize;
        let z = &user_mean[u * d..(u + 1) * d];
        let s = &user_cov[u * pd..(u + 1) * pd];
        ut[..k].copy_from_slice(&z[..k]);
        ut[k] = 1.0;
        let wx: f64 = (0..f).map(|c| z[k + c] * x[c] as f64).sum();
        let t = data.value[r as usize] as f64 - mu - wx - z[d - 1];
        for a in 0..e {
            h[a] += ut[a] * t;
            for b in 0..=a {
                p[[a, b]] += ut[a] * ut[b];
            }
        }
        for a in 0..k {
            // E[θ(w·x + b_u)] − μ_θ(μ_w·x + μ_b) = Cov(θ, w)x + Cov(θ, b_u).
            let cross: f64 = (0..f)
                .map(|c| s[lay.idx(a, k + c)] as f64 * x[c] as f64)
                .sum::<f64>()
                + s[lay.idx(a, d - 1)] as f64;
            h[a] -= cross;
            for b in 0..=a {
                p[[a, b]] += s[lay.idx(a, b)] as f64;
            }
        }
    }
    for a in 0..e {
        for b in 0..a {
            p[[a, b]] /= sigma2;
            p[[b, a]] = p[[a, b]];
        }
        p[[a, a]] = p[[a, a]] / sigma2 + 1.0 / prior_var[a];
        h[a] = h[a] / sigma2 + m0[a] / prior_var[a];
    }
    let l = cholesky(&p).expect("item precision is positive definite");
    let mean = cho_solve(&l, h.view());
    let cov = cho_inverse(&l);
    let kl = kl_diag(
        mean.as_slice().unwrap(),
        &cov,
        log_det_precision(&l),
        m0,
        prior_var,
    );
    (mean, cov, kl)
}

/// q(y_m) for every movie given the users' q. Returns Σ KL(q(y_m) ‖ p(y_m)).
pub(super) fn update_items(m: &mut IrtModel, data: &Ratings, by_item: &Csr) -> f64 {
    let e = m.k + 1;
    let results: Vec<_> = (0..data.n_items())
        .into_par_iter()
        .map(|i| item(m, data, by_item, i))
        .collect();
    let mut kls = 0.0;
    for (i, (mean, cov, kl)) in results.into_iter().enumerate() {
        m.item_mean[i * e..(i + 1) * e].copy_from_slice(mean.as_slice().unwrap());
        pack(
            &cov,
            &mut m.item_cov[i * packed_len(e)..(i + 1) * packed_len(e)],
        );
        kls += kl;
    }
    kls
}
