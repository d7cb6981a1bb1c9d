//! The bundle's visitor model (format v3): what the engine needs to know about visitors that
//! the item parameters do not say. Both parts are fitted on the training users only.
//!
//! - **Noise prior** σ_u² ~ InvGamma(a₀, b₀) (see `moviematch::noise`): each training user's
//!   σ̄²-weighted squared residuals plus prior term, ss_u over n_u ratings, is exactly what the
//!   engine computes for a visitor; (a₀, b₀) maximise the marginal likelihood
//!   Σ_u [a ln b − lnΓ(a) + lnΓ(a + n_u/2) − (a + n_u/2) ln(b + ss_u/2)].
//! - **P(seen)** (see `moviematch::seen`): a binomial logistic regression, by IRLS, of how many
//!   of one half of the training users rated each movie on the features computed from the other
//!   half's counts, so a movie's own count never predicts itself.
//!
//! Also the visitor prior's feature-weight block scaling ([`scale_feature_block`]), which
//! assembling a bundle and `tools tune` both apply.

use moviematch::bundle::VisitorModel;
use moviematch::noise::NoisePrior;
use moviematch::seen::{seen_features, SEEN_FEATURES};
use ndarray::{Array1, Array2};
use rand::{rngs::StdRng, RngExt, SeedableRng};
use statrs::function::gamma::ln_gamma;

use crate::data::movielens::Ratings;
use crate::train::irt::IrtModel;
use moviematch::linalg::{cho_solve, cholesky};

/// Prior sd of a visitor's P(seen) offset: e^1.5 ≈ 4.5× more or fewer films seen than the
/// training users' average is one sd.
pub const SEEN_OFFSET_SD: f32 = 1.5;

/// One user's (n_u, ss_u) under the trained model, as the engine would compute them.
pub fn user_noise_stats(m: &IrtModel, train: &Ratings) -> Vec<(usize, f64)> {
    let (k, d) = (m.k, m.d());
    let e = k + 1;
    let sigma2 = m.sigma2;
    let (m0, lambda0) = m.visitor_prior();
    let mut stats = vec![(0usize, 0.0f64); train.n_users()];
    for j in 0..train.len() {
        let (u, i) = (train.user[j] as usize, train.item[j] as usize);
        let var_b = m.item_cov[i * e * (e + 1) / 2 + e * (e + 1) / 2 - 1] as f64;
        let r = train.value[j] as f64 - m.raw(u, i);
        stats[u].0 += 1;
        stats[u].1 += sigma2 * r * r / (sigma2 + var_b);
    }
    for (u, s) in stats.iter_mut().enumerate() {
        let z = &m.user_mean[u * d..(u + 1) * d];
        let dm: Array1<f64> = (0..d).map(|a| z[a] - m0[a]).collect();
        s.1 += sigma2 * dm.dot(&lambda0.dot(&dm));
    }
    stats
}

/// Maximum-likelihood (a₀, b₀) for users' (n_u, ss_u): for each a the best b solves a 1-D
/// monotone equation (bisection); a itself by golden-section search on ln a.
pub fn fit_noise_prior(stats: &[(usize, f64)]) -> NoisePrior {
    let stats: Vec<(f64, f64)> = stats
        .iter()
        .filter(|s| s.0 > 0)
        .map(|&(n, ss)| (n as f64 / 2.0, ss.max(1e-9) / 2.0))
        .collect();
    let loglik = |a: f64, b: f64| -> f64 {
        stats
            .iter()
            .map(|&(h, s)| a * b.ln() - ln_gamma(a) + ln_gamma(a + h) - (a + h) * (b + s).ln())
            .sum()
    };
    // ∂/∂b = Σ a/b − (a+h)/(b+s): positive for small b, negative for large b.
    let best_b = |a: f64| -> f64 {
        let grad = |b: f64| {
            stats
                .iter()
                .map(|&(h, s)| a / b - (a + h) / (b + s))
                .sum::<f64>()
        };
        let (mut lo, mut hi) = (1e-9f64, 1e9f64);
        for _ in 0..200 {
            let mid = (lo * hi).sqrt();
            if grad(mid) > 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        (lo * hi).sqrt()
    };
    let profile = |la: f64| {
        let a = la.exp();
        loglik(a, best_b(a))
    };
    let (mut lo, mut hi) = ((0.6f64).ln(), (1e5f64).ln());
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..100 {
        let (x1, x2) = (hi - g * (hi - lo), lo + g * (hi - lo));
        if profile(x1) > profile(x2) {
            hi = x2;
        } else {
            lo = x1;
        }
    }
    let a = ((lo + hi) / 2.0).exp();
    NoisePrior {
        shape: a as f32,
        rate: best_b(a) as f32,
    }
}

/// Per-movie data for the P(seen) fit: count in the training data, IMDb votes, year.
pub struct SeenInputs<'a> {
    /// Catalogue rows → dense training item (None for movies without training ratings).
    pub dense_of_row: &'a [Option<usize>],
    pub imdb_votes: &'a [u32],
    pub year: &'a [Option<u16>],
}

/// Fits the P(seen) coefficients (see the module docs). `seed` picks the user halves.
pub fn fit_seen(train: &Ratings, inp: &SeenInputs<'_>, seed: u64) -> Vec<f32> {
    let nu = train.n_users();
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5ee7);
    let half: Vec<bool> = (0..nu).map(|_| rng.random::<bool>()).collect();
    let n_a = half.iter().filter(|&&h| h).count() as u32;
    let n_b = (nu as u32 - n_a) as f64;
    let mut count = vec![[0u32; 2]; train.n_items()];
    for j in 0..train.len() {
        count[train.item[j] as usize][half[train.user[j] as usize] as usize] += 1;
    }
    let rows: Vec<([f32; SEEN_FEATURES], f64)> = inp
        .dense_of_row
        .iter()
        .enumerate()
        .map(|(r, d)| {
            let c = d.map_or([0, 0], |i| count[i]);
            (
                seen_features(c[1], n_a, inp.imdb_votes[r], inp.year[r]),
                c[0] as f64,
            )
        })
        .collect();
    irls(&rows, n_b)
}

/// Binomial logistic regression (successes y of `trials` per row) by Newton's method with
/// step halving (plain Newton can overshoot from a far start), with a tiny ridge so that a
/// feature that never varies cannot make the system singular.
fn irls(rows: &[([f32; SEEN_FEATURES], f64)], trials: f64) -> Vec<f32> {
    const RIDGE: f64 = 1e-6;
    let p = SEEN_FEATURES;
    let eta = |f: &[f32; SEEN_FEATURES], c: &Array1<f64>| -> f64 {
        f.iter().zip(c).map(|(a, b)| *a as f64 * b).sum()
    };
    // log(1 + e^x) without overflow.
    let softplus = |x: f64| if x > 30.0 { x } else { x.exp().ln_1p() };
    let loglik = |c: &Array1<f64>| -> f64 {
        rows.iter()
            .map(|(f, y)| {
                let e = eta(f, c);
                y * e - trials * softplus(e)
            })
            .sum::<f64>()
            - 0.5 * RIDGE * c.dot(c)
    };
    let mut c = Array1::<f64>::zeros(p);
    // Start at the base rate, so the first Newton step is small.
    let rate = (rows.iter().map(|r| r.1).sum::<f64>() / (rows.len() as f64 * trials).max(1.0))
        .clamp(1e-6, 0.5);
    c[0] = (rate / (1.0 - rate)).ln();
    let mut ll = loglik(&c);
    for _ in 0..100 {
        let mut h = Array2::<f64>::eye(p) * RIDGE;
        let mut g = &c * -RIDGE;
        for (f, y) in rows {
            let mu = 1.0 / (1.0 + (-eta(f, &c)).exp());
            let w = trials * mu * (1.0 - mu);
            for a in 0..p {
                g[a] += f[a] as f64 * (y - trials * mu);
                for b in 0..p {
                    h[[a, b]] += w * f[a] as f64 * f[b] as f64;
                }
            }
        }
        let Ok(l) = cholesky(&h) else { break };
        let step = cho_solve(&l, g.view());
        let mut t = 1.0;
        let mut next = &c + &step;
        let mut next_ll = loglik(&next);
        while next_ll < ll && t > 1e-6 {
            t *= 0.5;
            next = &c + &(&step * t);
            next_ll = loglik(&next);
        }
        if next_ll < ll {
            break;
        }
        let moved = (&next - &c).iter().map(|s| s.abs()).fold(0.0, f64::max);
        c = next;
        ll = next_ll;
        if moved < 1e-9 {
            break;
        }
    }
    c.iter().map(|&v| v as f32).collect()
}

/// Both parts, for [`crate::train::assemble::assemble`].
pub fn fit_visitor_model(
    m: &IrtModel,
    train: &Ratings,
    inp: &SeenInputs<'_>,
    seed: u64,
) -> VisitorModel {
    VisitorModel {
        noise: fit_noise_prior(&user_noise_stats(m, train)),
        seen_coef: fit_seen(train, inp, seed),
        seen_offset_sd: SEEN_OFFSET_SD,
    }
}

/// Multiplies the visitor prior's covariance of the feature weights w (indices K..K+F of z)
/// by `scale`: Σ₀' = DΣ₀D with D = diag(1, √scale on w, 1), so Λ₀' = D⁻¹Λ₀D⁻¹ (`precision`
/// is Λ₀, row-major D×D). The prior mean is unchanged.
pub fn scale_feature_block(precision: &mut [f32], k: usize, f: usize, scale: f64) {
    let d = (precision.len() as f64).sqrt() as usize;
    assert_eq!(d * d, precision.len(), "a square matrix");
    let dj = |j: usize| {
        if (k..k + f).contains(&j) {
            scale.sqrt()
        } else {
            1.0
        }
    };
    for i in 0..d {
        for j in 0..d {
            precision[i * d + j] = (precision[i * d + j] as f64 / (dj(i) * dj(j))) as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use rand_distr::{Distribution, Gamma, StandardNormal};

    /// Users whose noise variances are drawn from a known inverse gamma: the fit recovers it.
    #[test]
    fn noise_prior_recovers_planted_inverse_gamma() {
        let (a, b) = (6.0f64, 3.0f64);
        let mut rng = StdRng::seed_from_u64(1);
        let stats: Vec<(usize, f64)> = (0..4000)
            .map(|_| {
                // σ² = 1/G with G ~ Gamma(a, rate b), i.e. scale 1/b.
                let prec: f64 = Gamma::new(a, 1.0 / b).unwrap().sample(&mut rng);
                let n = rng.random_range(5..60);
                let ss = (0..n)
                    .map(|_| {
                        let e: f64 = StandardNormal.sample(&mut rng);
                        e * e / prec
                    })
                    .sum();
                (n, ss)
            })
            .collect();
        let p = fit_noise_prior(&stats);
        assert_relative_eq!(p.shape as f64, a, max_relative = 0.15);
        assert_relative_eq!(
            p.rate as f64 / (p.shape as f64 - 1.0),
            b / (a - 1.0),
            max_relative = 0.05
        );
    }

    /// Movies rated by a planted logistic in the popularity features: IRLS recovers the
    /// coefficients (checked against the planted ones, on the same features).
    #[test]
    fn irls_recovers_planted_logistic() {
        let truth = [-3.0, 0.9, 0.2, -0.5, -0.4];
        let mut rng = StdRng::seed_from_u64(2);
        let trials = 300.0;
        let rows: Vec<([f32; SEEN_FEATURES], f64)> = (0..5000)
            .map(|_| {
                let f = seen_features(
                    rng.random_range(0..200),
                    300,
                    10f32.powf(rng.random_range(1.0..6.0)) as u32,
                    rng.random_bool(0.9).then(|| rng.random_range(1930..2019)),
                );
                let eta: f64 = f.iter().zip(&truth).map(|(a, b)| *a as f64 * b).sum();
                let p = 1.0 / (1.0 + (-eta).exp());
                let y = (0..trials as usize)
                    .filter(|_| rng.random::<f64>() < p)
                    .count();
                (f, y as f64)
            })
            .collect();
        let c = irls(&rows, trials);
        for (got, want) in c.iter().zip(&truth) {
            assert!((*got as f64 - want).abs() < 0.06, "{c:?} vs {truth:?}");
        }
    }

    /// Λ' = D⁻¹ΛD⁻¹ with D = diag(1, √s on w, 1): each entry divided by √s once per index in w.
    #[test]
    fn feature_block_scaling_divides_precision_entries_by_the_scales() {
        // K = 1, F = 2, D = 4: index 0 is θ, 1..3 are w, 3 is b_u.
        let d = 4;
        let before: Vec<f32> = (0..d * d).map(|j| 1.0 + j as f32).collect();
        let mut p = before.clone();
        scale_feature_block(&mut p, 1, 2, 4.0);
        for i in 0..d {
            for j in 0..d {
                let in_w = |x: usize| (1..3).contains(&x);
                let div = match (in_w(i), in_w(j)) {
                    (true, true) => 4.0,
                    (true, false) | (false, true) => 2.0,
                    _ => 1.0,
                };
                assert_eq!(p[i * d + j], before[i * d + j] / div, "({i}, {j})");
            }
        }
        let mut same = before.clone();
        scale_feature_block(&mut same, 1, 2, 1.0);
        assert_eq!(same, before);
    }
}
