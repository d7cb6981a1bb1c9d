//! Probit observations of the visitor's z — "I prefer A to B", "I liked it" — folded into the
//! Gaussian posterior by expectation propagation (EP).
//!
//! Each observation says something about one linear function t = hᵀz + c of the visitor:
//! P(y | z) = Φ(y·t / s), y = ±1 (for a comparison, t is the difference of the two predicted
//! ratings and s its noise; for a like, t is the movie's rating minus the visitor's mean). The
//! posterior is no longer Gaussian, so each factor is replaced by a Gaussian *site* in t,
//! exp(ν t − λ t²/2), chosen so that the posterior with the site has the same mean and
//! variance of t as the posterior with the true factor (moment matching on the "tilted"
//! distribution). One pass in arrival order is assumed-density filtering (ADF), what the app
//! does the instant an answer arrives; ADF depends on the order, so the posterior is also
//! recomputed by iterating all sites to a fixed point (EP), which does not.
//!
//! Probit factors are log-concave, so every site precision λ is ≥ 0 and the posterior stays
//! positive definite. z has ~60 dimensions, so each sweep simply refactorises the precision.

use ndarray::{Array1, Array2};

use crate::linalg::{cho_solve, cholesky, solve_lower, NotPositiveDefinite};

/// P(y | z) = Φ(y·(hᵀz + c) / s).
#[derive(Debug, Clone, PartialEq)]
pub struct ProbitSite {
    pub h: Array1<f64>,
    pub c: f64,
    /// Noise scale of the observation (> 0).
    pub s: f64,
    /// +1 or −1.
    pub y: f64,
}

/// A fitted site: the Gaussian exp(ν t − λ t²/2) in its site's t = hᵀz + c.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Site {
    pub nu: f64,
    pub lambda: f64,
}

/// A Gaussian posterior in natural form plus its factorisation.
#[derive(Debug, Clone)]
pub struct GaussianFit {
    pub mean: Array1<f64>,
    /// Cholesky factor of the precision.
    pub chol: Array2<f64>,
    /// EP sweeps run (1 for ADF).
    pub sweeps: usize,
    /// Each probit site's Gaussian where the fit stopped, in the order given.
    pub sites: Vec<Site>,
}

/// Adds fitted `sites` (of `probits`, in order) to a Gaussian's precision `p` and linear term
/// `b`: what [`fit`] ends with, from the sites it returned, without running EP again.
pub fn add_sites(p: &mut Array2<f64>, b: &mut Array1<f64>, probits: &[ProbitSite], sites: &[Site]) {
    assert_eq!(
        probits.len(),
        sites.len(),
        "one fitted site per probit site"
    );
    for (site, fitted) in probits.iter().zip(sites) {
        add_site(p, b, site, fitted.lambda, fitted.nu);
    }
}

/// A site's λ and ν on t = hᵀz + c as terms of z: λ(hᵀz)²/2 and (ν − λc)(hᵀz).
fn add_site(p: &mut Array2<f64>, b: &mut Array1<f64>, site: &ProbitSite, lambda: f64, nu: f64) {
    let d = b.len();
    for a in 0..d {
        b[a] += (nu - lambda * site.c) * site.h[a];
        for bb in 0..d {
            p[[a, bb]] += lambda * site.h[a] * site.h[bb];
        }
    }
}

/// Standard normal density.
fn pdf(u: f64) -> f64 {
    (-0.5 * u * u).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// φ(u)/Φ(u), stable far into the lower tail (where both underflow).
pub fn inverse_mills(u: f64) -> f64 {
    if u < -30.0 {
        // Asymptotic expansion: φ/Φ ≈ −u − 1/u + 2/u³.
        return -u - 1.0 / u + 2.0 / (u * u * u);
    }
    let cdf = 0.5 * libm::erfc(-u / std::f64::consts::SQRT_2);
    pdf(u) / cdf
}

/// Mean and variance of N(t; m, v)·Φ(y·t/s) normalised (the tilted distribution).
pub fn tilted_moments(m: f64, v: f64, s: f64, y: f64) -> (f64, f64) {
    let sd = (s * s + v).sqrt();
    let u = y * m / sd;
    let r = inverse_mills(u);
    let mean = m + y * v * r / sd;
    let var = v - v * v * r * (u + r) / (s * s + v);
    (mean, var.max(1e-12 * v))
}

/// The posterior N(Λ⁻¹b, Λ⁻¹) of the Gaussian part (prior and ratings), times the probit
/// `sites`: `sweeps = 1` is ADF in the given order, more sweeps run EP until no site moves by
/// more than `tol` (natural parameters) or `max_sweeps` is reached.
pub fn fit(
    precision: &Array2<f64>,
    rhs: &Array1<f64>,
    sites: &[ProbitSite],
    max_sweeps: usize,
    tol: f64,
) -> Result<GaussianFit, NotPositiveDefinite> {
    // Site parameters (ν, λ) in t = hᵀz; the offset c is folded in below: a site on t is a
    // site on hᵀz with ν' = ν − λc.
    let mut nu = vec![0f64; sites.len()];
    let mut lambda = vec![0f64; sites.len()];
    let mut p = precision.clone();
    let mut b = rhs.clone();
    let mut l = cholesky(&p)?;
    let mut sweeps = 0;
    while sweeps < max_sweeps.max(1) {
        sweeps += 1;
        let mut moved = 0f64;
        for (i, site) in sites.iter().enumerate() {
            // Current marginal of t = hᵀz + c.
            let mean = cho_solve(&l, b.view());
            let w = solve_lower(&l, site.h.view());
            let v = w.dot(&w);
            let m = site.h.dot(&mean) + site.c;
            let old = Site {
                nu: nu[i],
                lambda: lambda[i],
            };
            let Some(Site {
                nu: new_nu,
                lambda: new_lambda,
            }) = site_update(site, old, m, v)
            else {
                continue;
            };
            let (dl, dn) = (new_lambda - lambda[i], new_nu - nu[i]);
            moved = moved.max(dl.abs()).max(dn.abs());
            add_site(&mut p, &mut b, site, dl, dn);
            lambda[i] = new_lambda;
            nu[i] = new_nu;
            l = cholesky(&p)?;
        }
        if moved < tol {
            break;
        }
    }
    let mean = cho_solve(&l, b.view());
    Ok(GaussianFit {
        mean,
        chol: l,
        sweeps,
        sites: nu
            .into_iter()
            .zip(lambda)
            .map(|(nu, lambda)| Site { nu, lambda })
            .collect(),
    })
}

/// EP's update of one site given the current marginal N(m, v) of its t: the site that makes
/// the posterior match the tilted distribution's moments (`None`: an empty cavity, which
/// cannot happen for log-concave sites; the old site is kept).
fn site_update(site: &ProbitSite, old: Site, m: f64, v: f64) -> Option<Site> {
    // Cavity: remove this site.
    let v_cav = 1.0 / (1.0 / v - old.lambda);
    let m_cav = v_cav * (m / v - old.nu);
    if !(v_cav > 0.0 && v_cav.is_finite()) {
        return None;
    }
    let (mh, vh) = tilted_moments(m_cav, v_cav, site.s, site.y);
    Some(Site {
        lambda: (1.0 / vh - 1.0 / v_cav).max(0.0),
        nu: mh / vh - m_cav / v_cav,
    })
}

/// EP in covariance form, started from `fitted`, sites already in N(`mean`, `cov`): each
/// sweep updates every site as [`fit`] does, as a rank-one change of the covariance and the
/// mean (O(D²) a site, no factorisation), until no site moves by more than `tol` or
/// `max_sweeps` ran. What leave-one-out needs: a posterior with one answer taken out, whose
/// sites are then a little off their fixed point. Returns the sweeps run.
pub fn refine(
    cov: &mut Array2<f64>,
    mean: &mut Array1<f64>,
    probits: &[ProbitSite],
    fitted: &mut [Site],
    max_sweeps: usize,
    tol: f64,
) -> usize {
    assert_eq!(
        probits.len(),
        fitted.len(),
        "one fitted site per probit site"
    );
    let mut sweeps = 0;
    while sweeps < max_sweeps && !probits.is_empty() {
        sweeps += 1;
        let mut moved = 0f64;
        for (site, old) in probits.iter().zip(fitted.iter_mut()) {
            let sh = cov.dot(&site.h);
            let v = site.h.dot(&sh);
            let hm = site.h.dot(&*mean);
            let Some(new) = site_update(site, *old, hm + site.c, v) else {
                continue;
            };
            let (dl, dn) = (new.lambda - old.lambda, new.nu - old.nu);
            moved = moved.max(dl.abs()).max(dn.abs());
            // Precision + dl·hhᵀ, linear term + (dn − dl·c)·h, by Sherman–Morrison.
            let k = 1.0 + dl * v;
            mean.scaled_add((dn - dl * site.c - dl * hm) / k, &sh);
            for a in 0..sh.len() {
                let f = dl * sh[a] / k;
                for b in 0..sh.len() {
                    cov[[a, b]] -= f * sh[b];
                }
            }
            *old = new;
        }
        if moved < tol {
            break;
        }
    }
    sweeps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::cho_inverse;
    use approx::assert_abs_diff_eq;

    fn prior(d: usize) -> (Array2<f64>, Array1<f64>) {
        // A correlated prior: Λ = I + 0.3·(1 1ᵀ), mean via b.
        let p = Array2::from_shape_fn((d, d), |(i, j)| if i == j { 1.3 } else { 0.3 });
        let b = Array1::from_shape_fn(d, |i| 0.2 * i as f64 - 0.1);
        (p, b)
    }

    #[test]
    fn the_normal_tail_ratio_is_right_on_both_sides() {
        // φ(0)/Φ(0) = 2φ(0); far below, φ/Φ → −u.
        assert_abs_diff_eq!(inverse_mills(0.0), 2.0 * pdf(0.0), epsilon = 1e-12);
        assert!((inverse_mills(-40.0) - 40.025).abs() < 0.01);
        assert!(inverse_mills(8.0) < 1e-13);
        let (a, b) = (inverse_mills(-29.999), inverse_mills(-30.001));
        assert!((a - b).abs() < 1e-2);
    }

    /// One probit site: EP is exact moment matching, so the posterior mean and covariance of
    /// z equal the true (non-Gaussian) posterior's, computed here by quadrature over t.
    #[test]
    fn one_site_matches_the_exact_posterior_moments() {
        let d = 3;
        let (p, b) = prior(d);
        let site = ProbitSite {
            h: Array1::from(vec![1.0, -0.5, 0.8]),
            c: 0.3,
            s: 0.7,
            y: -1.0,
        };
        let fit = fit(&p, &b, std::slice::from_ref(&site), 20, 1e-12).unwrap();
        // Brute force. z | t is Gaussian and linear in t, so E[z] = μ + Σh·(E[t] − m)/v and
        // Cov[z] = Σ − ΣhhᵀΣ/v + ΣhhᵀΣ·Var[t]/v², with E[t], Var[t] by quadrature of
        // N(t; m, v)·Φ(y t / s).
        let l = cholesky(&p).unwrap();
        let sigma = cho_inverse(&l);
        let mu = cho_solve(&l, b.view());
        let sh = sigma.dot(&site.h);
        let v = site.h.dot(&sh);
        let m = site.h.dot(&mu) + site.c;
        let (mut z0, mut z1, mut z2) = (0.0, 0.0, 0.0);
        let n = 200_000;
        let (lo, hi) = (m - 12.0 * v.sqrt(), m + 12.0 * v.sqrt());
        let dt = (hi - lo) / n as f64;
        for i in 0..n {
            let t = lo + (i as f64 + 0.5) * dt;
            let w = pdf((t - m) / v.sqrt()) * 0.5 * libm::erfc(-site.y * t / site.s / 2f64.sqrt());
            z0 += w;
            z1 += w * t;
            z2 += w * t * t;
        }
        let et = z1 / z0;
        let vt = z2 / z0 - et * et;
        let cov = cho_inverse(&fit.chol);
        for a in 0..d {
            assert_abs_diff_eq!(fit.mean[a], mu[a] + sh[a] * (et - m) / v, epsilon = 1e-7);
            for c in 0..d {
                let want = sigma[[a, c]] - sh[a] * sh[c] / v + sh[a] * sh[c] * vt / (v * v);
                assert_abs_diff_eq!(cov[[a, c]], want, epsilon = 1e-7);
            }
        }
    }

    fn sites() -> Vec<ProbitSite> {
        (0..6)
            .map(|i| ProbitSite {
                h: Array1::from_shape_fn(4, |a| ((i * 7 + a * 3) % 5) as f64 / 2.0 - 1.0),
                c: 0.1 * i as f64,
                s: 0.5 + 0.1 * i as f64,
                y: if i % 3 == 0 { -1.0 } else { 1.0 },
            })
            .collect()
    }

    #[test]
    fn ep_does_not_depend_on_the_order_of_answers_but_adf_does() {
        let (p, b) = prior(4);
        let s = sites();
        let mut reversed = s.clone();
        reversed.reverse();
        let mut rotated = s.clone();
        rotated.rotate_left(2);
        let ep = |v: &[ProbitSite]| fit(&p, &b, v, 200, 1e-12).unwrap();
        let (a, r, o) = (ep(&s), ep(&reversed), ep(&rotated));
        assert!(
            a.sweeps > 1 && a.sweeps < 200,
            "converged in {} sweeps",
            a.sweeps
        );
        for i in 0..4 {
            assert_abs_diff_eq!(a.mean[i], r.mean[i], epsilon = 1e-9);
            assert_abs_diff_eq!(a.mean[i], o.mean[i], epsilon = 1e-9);
        }
        let adf = |v: &[ProbitSite]| fit(&p, &b, v, 1, 0.0).unwrap();
        let (x, y) = (adf(&s), adf(&reversed));
        let gap = (0..4)
            .map(|i| (x.mean[i] - y.mean[i]).abs())
            .fold(0.0, f64::max);
        assert!(gap > 1e-4, "ADF should depend on order here (gap {gap})");
    }

    /// The sites a fit returns, added to the Gaussian part, give back its posterior.
    #[test]
    fn the_returned_sites_rebuild_the_fit() {
        let (p, b) = prior(4);
        let s = sites();
        let f = fit(&p, &b, &s, 200, 1e-12).unwrap();
        let (mut p2, mut b2) = (p.clone(), b.clone());
        add_sites(&mut p2, &mut b2, &s, &f.sites);
        let mean = cho_solve(&cholesky(&p2).unwrap(), b2.view());
        let want = f.chol.dot(&f.chol.t());
        for i in 0..4 {
            assert_abs_diff_eq!(mean[i], f.mean[i], epsilon = 1e-12);
            for j in 0..4 {
                assert_abs_diff_eq!(p2[[i, j]], want[[i, j]], epsilon = 1e-12);
            }
        }
    }

    /// Started from sites off their fixed point (a cold start: every site zero), the
    /// covariance-form sweeps reach the fit's posterior.
    #[test]
    fn refining_from_any_sites_reaches_the_fit() {
        let (p, b) = prior(4);
        let s = sites();
        let f = fit(&p, &b, &s, 200, 1e-12).unwrap();
        let l = cholesky(&p).unwrap();
        let (mut cov, mut mean) = (cho_inverse(&l), cho_solve(&l, b.view()));
        let mut fitted = vec![Site::default(); s.len()];
        let sweeps = refine(&mut cov, &mut mean, &s, &mut fitted, 200, 1e-12);
        assert!(sweeps < 200);
        let want = cho_inverse(&f.chol);
        for i in 0..4 {
            assert_abs_diff_eq!(mean[i], f.mean[i], epsilon = 1e-9);
            for j in 0..4 {
                assert_abs_diff_eq!(cov[[i, j]], want[[i, j]], epsilon = 1e-9);
            }
        }
        for (a, b) in fitted.iter().zip(&f.sites) {
            assert_abs_diff_eq!(a.nu, b.nu, epsilon = 1e-9);
            assert_abs_diff_eq!(a.lambda, b.lambda, epsilon = 1e-9);
        }
    }

    #[test]
    fn an_answer_moves_the_posterior_toward_it_and_shrinks_its_uncertainty() {
        let (p, b) = prior(3);
        let h = Array1::from(vec![1.0, 0.0, -1.0]);
        let base = fit(&p, &b, &[], 1, 0.0).unwrap();
        for y in [1.0, -1.0] {
            let site = ProbitSite {
                h: h.clone(),
                c: 0.0,
                s: 0.5,
                y,
            };
            let post = fit(&p, &b, &[site], 50, 1e-12).unwrap();
            let moved = h.dot(&post.mean) - h.dot(&base.mean);
            assert!(moved * y > 0.0, "y = {y}: moved {moved}");
            let var = |f: &GaussianFit| {
                let w = solve_lower(&f.chol, h.view());
                w.dot(&w)
            };
            assert!(var(&post) < var(&base));
        }
    }
}
