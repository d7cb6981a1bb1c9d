//! Per-visitor rating noise: some people rate consistently, others do not, and one σ for
//! everyone makes the intervals of both wrong (measured: a single σ puts 54% of held-out
//! ratings inside the 50% intervals and 91% inside the 90% ones, i.e. the errors are
//! heavier-tailed than a Gaussian).
//!
//! The visitor's noise variance gets a conjugate Normal-Inverse-Gamma prior:
//!
//! ```text
//! σ_u² ~ InvGamma(a₀, b₀)         z | σ_u² ~ N(m₀, (σ_u²/σ̄²) Λ₀⁻¹)         r | z, σ_u² ~ N(oᵢ + x̃ᵢᵀz, (σ_u²/σ̄²) vᵢ)
//! ```
//!
//! where σ̄² is the model's population noise and vᵢ = σ̄² + Var(bᵢ) the per-rating variance the
//! Gaussian posterior already uses (so with σ_u² = σ̄² everything is as before). Everything is
//! scaled by the same σ_u², so the posterior stays exact: the mean of z does not depend on σ_u²
//! at all, and
//!
//! ```text
//! a_n = a₀ + n/2        b_n = b₀ + ½ [ Σᵢ σ̄²(rᵢ − r̂ᵢ)²/vᵢ + σ̄² (μ_z − m₀)ᵀΛ₀(μ_z − m₀) ]
//! ```
//!
//! Integrating σ_u² out turns every Gaussian predictive N(r̂, s²) into a Student-t with 2a_n
//! degrees of freedom, location r̂ and scale² λ·s², λ = (b_n/a_n)/σ̄². A new visitor gets the
//! population's heavy tails; each rating moves λ towards their own consistency, and ν grows,
//! so the t tends to the Gaussian with the visitor's own σ.
//!
//! The prior (a₀, b₀) is fitted by `tools` (marginal likelihood over the training users) and
//! stored in the bundle.

use serde::{Deserialize, Serialize};

/// σ_u² ~ InvGamma(shape, rate).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NoisePrior {
    pub shape: f32,
    pub rate: f32,
}

impl NoisePrior {
    /// A prior so concentrated on σ̄² that σ is in effect fixed (for bundles that predate the
    /// per-visitor noise): the predictive is Gaussian to four decimals.
    pub fn fixed(sigma2: f32) -> NoisePrior {
        let shape = 1e6;
        NoisePrior {
            shape,
            rate: shape * sigma2,
        }
    }

    pub fn is_valid(&self) -> bool {
        self.shape.is_finite() && self.rate.is_finite() && self.shape > 0.5 && self.rate > 0.0
    }
}

/// The visitor's q(σ_u²) = InvGamma(shape, rate), with the model's σ̄² it is measured against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VisitorNoise {
    pub shape: f64,
    pub rate: f64,
    pub sigma2: f64,
}

impl VisitorNoise {
    /// The prior, before any rating.
    pub fn prior(prior: NoisePrior, sigma2: f64) -> VisitorNoise {
        VisitorNoise {
            shape: prior.shape as f64,
            rate: prior.rate as f64,
            sigma2,
        }
    }

    /// The exact update from `n` Gaussian observations whose weighted squared residuals plus
    /// prior term (the bracket in the module docs, already multiplied by σ̄²) sum to `ss`. `n`
    /// is a count, fractional when answers are weighted (`crate::drift`: an answer counting w
    /// adds w/2 to the shape, its likelihood being raised to the power w).
    pub fn updated(prior: NoisePrior, sigma2: f64, n: f64, ss: f64) -> VisitorNoise {
        VisitorNoise {
            shape: prior.shape as f64 + 0.5 * n,
            rate: prior.rate as f64 + 0.5 * ss.max(0.0),
            sigma2,
        }
    }

    /// Degrees of freedom of the Student-t predictive, 2a_n.
    pub fn dof(&self) -> f64 {
        2.0 * self.shape
    }

    /// λ = (b_n/a_n)/σ̄²: multiplies the Gaussian predictive variance to give the t's scale².
    pub fn scale_multiplier(&self) -> f64 {
        self.rate / self.shape / self.sigma2
    }

    /// E[σ_u²] = b_n/(a_n − 1) (for a_n > 1): the visitor's expected noise variance.
    pub fn expected_var(&self) -> f64 {
        if self.shape > 1.0 {
            self.rate / (self.shape - 1.0)
        } else {
            f64::INFINITY
        }
    }

    /// The predictive distribution of a rating whose Gaussian predictive (at σ_u² = σ̄²) is
    /// N(mean, var).
    pub fn predictive(&self, mean: f64, var: f64) -> Predictive {
        Predictive {
            mean,
            scale: (self.scale_multiplier() * var.max(0.0)).sqrt(),
            dof: self.dof(),
        }
    }
}

/// A Student-t predictive distribution of one rating (location, scale, degrees of freedom).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Predictive {
    pub mean: f64,
    pub scale: f64,
    pub dof: f64,
}

impl Predictive {
    /// Standard deviation, scale·√(ν/(ν−2)); infinite for ν ≤ 2.
    pub fn sd(&self) -> f64 {
        if self.dof > 2.0 {
            self.scale * (self.dof / (self.dof - 2.0)).sqrt()
        } else {
            f64::INFINITY
        }
    }

    /// Half-width of the central interval holding probability `p` (0 < p < 1).
    pub fn half_width(&self, p: f64) -> f64 {
        self.scale * t_quantile(self.dof, 0.5 + 0.5 * p)
    }

    /// The central interval holding probability `p`.
    pub fn interval(&self, p: f64) -> (f64, f64) {
        let h = self.half_width(p);
        (self.mean - h, self.mean + h)
    }
}

/// The `q` quantile of the standard Student-t with `dof` degrees of freedom (a standard normal
/// quantile above 1e5 degrees, where the two agree to 1e-5).
pub fn t_quantile(dof: f64, q: f64) -> f64 {
    let dof = if dof.is_finite() { dof.min(1e5) } else { 1e5 };
    crate::student_t::quantile(dof, q)
}

/// z such that P(|N(0,1)| ≤ z) = 0.8: a Gaussian 80% interval is mean ± Z80·sd.
pub const Z80: f32 = 1.281_551_6;

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn quantiles_match_tables() {
        // Standard t tables: t_{0.975}(1) = 12.706, t_{0.95}(5) = 2.015, t_{0.75}(10) = 0.700.
        assert_abs_diff_eq!(t_quantile(1.0, 0.975), 12.706, epsilon = 1e-3);
        assert_abs_diff_eq!(t_quantile(5.0, 0.95), 2.015, epsilon = 1e-3);
        assert_abs_diff_eq!(t_quantile(10.0, 0.75), 0.700, epsilon = 1e-3);
        // Large ν: the normal quantiles.
        assert_abs_diff_eq!(t_quantile(1e9, 0.95), 1.644_85, epsilon = 1e-4);
        assert_abs_diff_eq!(t_quantile(f64::INFINITY, 0.75), 0.674_49, epsilon = 1e-4);
    }

    /// The conjugate update equals the posterior of σ² computed by brute force: the
    /// InvGamma(a₀,b₀) density times the Gaussian likelihood of known residuals, normalised
    /// on a grid, has the closed form's mean.
    #[test]
    fn update_matches_numerical_posterior() {
        let prior = NoisePrior {
            shape: 3.0,
            rate: 1.6,
        };
        let residuals = [0.3, -1.1, 0.7, 0.2, -0.4, 1.5, -0.9];
        let ss: f64 = residuals.iter().map(|r| r * r).sum();
        let q = VisitorNoise::updated(prior, 0.8, residuals.len() as f64, ss);
        let (mut z, mut m1) = (0.0, 0.0);
        let h = 1e-4;
        for j in 1..200_000 {
            let s2 = j as f64 * h;
            let log_prior = -(prior.shape as f64 + 1.0) * s2.ln() - prior.rate as f64 / s2;
            let log_lik = -0.5 * residuals.len() as f64 * s2.ln() - ss / (2.0 * s2);
            let w = (log_prior + log_lik).exp();
            z += w;
            m1 += w * s2;
        }
        assert_abs_diff_eq!(m1 / z, q.expected_var(), epsilon = 1e-6);
    }

    #[test]
    fn fixed_prior_is_gaussian() {
        let n = VisitorNoise::prior(NoisePrior::fixed(0.64), 0.64);
        let p = n.predictive(3.0, 0.64 + 0.1);
        assert_abs_diff_eq!(p.sd(), (0.74f64).sqrt(), epsilon = 1e-5);
        assert_abs_diff_eq!(
            p.half_width(0.5),
            0.674_49 * (0.74f64).sqrt(),
            epsilon = 1e-4
        );
    }

    /// A t interval is narrower in the middle and wider in the tails than the Gaussian of the
    /// same variance: what heavier-tailed errors need.
    #[test]
    fn t_is_heavier_tailed_than_the_gaussian_of_equal_variance() {
        let p = Predictive {
            mean: 0.0,
            scale: 1.0,
            dof: 5.0,
        };
        let sd = p.sd();
        assert!(p.half_width(0.5) < 0.674_49 * sd);
        assert!(p.half_width(0.99) > 2.575_83 * sd);
    }
}
