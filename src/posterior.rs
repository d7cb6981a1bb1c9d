//! The visitor model: given the fixed item parameters, the visitor's z = (θ₁..θ_K, b_u) has an
//! exact Gaussian posterior under the Gaussian rating likelihood.
//!
//! With xᵢ = [βᵢ; 1], offset oᵢ = μ + bᵢ, noise vᵢ = σ² + Var(bᵢ) (the item bias is itself
//! uncertain, so a rating of a rarely rated movie tells less) and the prior N(m₀, Λ₀⁻¹):
//!
//! ```text
//! Σ = (Λ₀ + Σᵢ xᵢxᵢᵀ / vᵢ)⁻¹        μ_z = Σ (Λ₀m₀ + Σᵢ xᵢ (rᵢ − oᵢ) / vᵢ)
//! ```
//!
//! Predictions: E[r] = oᵢ + xᵢᵀμ_z, Var[r] = σ² + xᵢᵀΣxᵢ + Var(bᵢ).

use ndarray::{Array1, Array2, Axis};

use crate::linalg::{cho_inverse, cho_solve, cholesky, NotPositiveDefinite};
use crate::model::Model;
use crate::profile::{Profile, StableId};

/// One rating of a catalogue item, on the model's scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    pub item: usize,
    pub rating: f32,
}

/// A profile's ratings turned into observations the model can use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    pub observations: Vec<Observation>,
    /// Rated entries this bundle does not know (kept in the profile, not used).
    pub unknown: Vec<StableId>,
}

impl Evidence {
    /// Resolves every rating in force against the catalogue and maps it to the model's scale.
    pub fn from_profile(model: &Model, profile: &Profile) -> Evidence {
        let mut ev = Evidence::default();
        let mut seen = std::collections::HashSet::new();
        // `ratings()` is most recent first: if one movie was rated under two ids (an IMDb id
        // and its MovieLens id), only the latest rating counts.
        for r in profile.ratings() {
            match model.resolve(&r.item) {
                Some(item) if !seen.insert(item) => {}
                Some(item) => {
                    let rating = r.scale.range().convert(r.value, &model.header.scale);
                    ev.observations.push(Observation { item, rating });
                }
                None => ev.unknown.push(r.item),
            }
        }
        ev
    }
}

/// Gaussian posterior over the visitor's z = (θ, b_u).
#[derive(Debug, Clone)]
pub struct Posterior {
    mean: Array1<f64>,
    cov: Array2<f64>,
    n_obs: usize,
}

impl Posterior {
    /// The visitor prior N(m₀, Λ₀⁻¹) stored in the bundle.
    pub fn prior(model: &Model) -> Result<Posterior, NotPositiveDefinite> {
        Posterior::fit(model, &[])
    }

    /// The exact posterior given ratings (see the module docs for the formulas).
    pub fn fit(model: &Model, obs: &[Observation]) -> Result<Posterior, NotPositiveDefinite> {
        let d = model.k() + 1;
        let h = &model.header;
        let mut precision =
            Array2::from_shape_fn((d, d), |(i, j)| h.prior_precision[i * d + j] as f64);
        let m0 = Array1::from_iter(h.prior_mean.iter().map(|&v| v as f64));
        let mut rhs = precision.dot(&m0);
        let sigma2 = (h.sigma as f64).powi(2);
        let x = model.design();
        for o in obs {
            let xi = x.row(o.item).mapv(|v| v as f64);
            let v = sigma2 + model.bias_variances()[o.item] as f64;
            let resid = (o.rating - model.offsets()[o.item]) as f64;
            for a in 0..d {
                rhs[a] += xi[a] * resid / v;
                for b in 0..d {
                    precision[[a, b]] += xi[a] * xi[b] / v;
                }
            }
        }
        let l = cholesky(&precision)?;
        let mean = cho_solve(&l, rhs.view());
        let cov = cho_inverse(&l);
        Ok(Posterior {
            mean,
            cov,
            n_obs: obs.len(),
        })
    }

    /// Posterior mean of z = (θ, b_u).
    pub fn mean(&self) -> &Array1<f64> {
        &self.mean
    }

    /// Posterior covariance Σ of z.
    pub fn cov(&self) -> &Array2<f64> {
        &self.cov
    }

    /// Number of ratings this posterior was fitted on.
    pub fn n_observations(&self) -> usize {
        self.n_obs
    }

    /// Mean and variance of the prediction for every catalogue item, on the model's scale
    /// (not clipped).
    pub fn predict_all(&self, model: &Model) -> Predictions {
        let x = model.design();
        let mu = self.mean.mapv(|v| v as f32);
        let mean = x.dot(&mu) + model.offsets();
        let cov = self.cov.mapv(|v| v as f32);
        // xᵢᵀΣxᵢ for all rows at once: rowwise sum of (XΣ) ⊙ X.
        let xs = x.dot(&cov);
        let mut quad = (&xs * x).sum_axis(Axis(1));
        quad.mapv_inplace(|q| q.max(0.0));
        let epistemic = quad + model.bias_variances();
        let sigma2 = model.header.sigma * model.header.sigma;
        Predictions {
            mean,
            epistemic_var: epistemic,
            noise_var: sigma2,
        }
    }
}

/// Predictions for every catalogue item.
#[derive(Debug, Clone)]
pub struct Predictions {
    /// E[r] per item, unclipped.
    pub mean: Array1<f32>,
    /// xᵀΣx + Var(b_m): what more answers could reduce.
    pub epistemic_var: Array1<f32>,
    /// σ²: rating noise that no answer reduces.
    pub noise_var: f32,
}

impl Predictions {
    /// Predictive standard deviation of a rating of item `i`.
    pub fn sd(&self, i: usize) -> f32 {
        (self.epistemic_var[i] + self.noise_var).sqrt()
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // index loops mirror the textbook formulas
mod tests {
    use super::*;
    use crate::bundle::tests::tiny_bundle;
    use approx::assert_abs_diff_eq;

    /// Gauss–Jordan with partial pivoting: an independent solver for the normal equations.
    fn gauss_jordan(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Vec<f64> {
        let n = b.len();
        for c in 0..n {
            let p = (c..n)
                .max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs()))
                .unwrap();
            a.swap(c, p);
            b.swap(c, p);
            for r in 0..n {
                if r != c {
                    let f = a[r][c] / a[c][c];
                    for k in 0..n {
                        a[r][k] -= f * a[c][k];
                    }
                    b[r] -= f * b[c];
                }
            }
        }
        (0..n).map(|i| b[i] / a[i][i]).collect()
    }

    #[test]
    fn posterior_equals_brute_force_normal_equations() {
        let mut bundle = tiny_bundle();
        // A non-diagonal prior and non-zero prior mean make the test meaningful.
        bundle.header.prior_mean = vec![0.2, -0.1, 0.3];
        bundle.header.prior_precision = vec![3.0, 0.5, 0.1, 0.5, 2.0, -0.2, 0.1, -0.2, 5.0];
        let model = Model::from_bundle(bundle.clone());
        let obs = [
            Observation {
                item: 0,
                rating: 5.0,
            },
            Observation {
                item: 1,
                rating: 2.0,
            },
            Observation {
                item: 2,
                rating: 4.5,
            },
            Observation {
                item: 3,
                rating: 1.0,
            },
        ];
        let post = Posterior::fit(&model, &obs).unwrap();

        // Brute force, straight from the bundle's numbers.
        let h = &bundle.header;
        let d = 3;
        let mut a: Vec<Vec<f64>> = (0..d)
            .map(|i| {
                (0..d)
                    .map(|j| h.prior_precision[i * d + j] as f64)
                    .collect()
            })
            .collect();
        let mut b: Vec<f64> = (0..d)
            .map(|i| {
                (0..d)
                    .map(|j| h.prior_precision[i * d + j] as f64 * h.prior_mean[j] as f64)
                    .sum()
            })
            .collect();
        for o in &obs {
            let s = bundle.items.factor_scale[o.item] as f64;
            let q = &bundle.items.factors_q[o.item * 2..o.item * 2 + 2];
            let x = [q[0] as f64 * s / 127.0, q[1] as f64 * s / 127.0, 1.0];
            let v = (h.sigma as f64).powi(2) + (bundle.items.bias_sd[o.item] as f64).powi(2);
            let r = o.rating as f64 - h.global_mean as f64 - bundle.items.bias[o.item] as f64;
            for i in 0..d {
                b[i] += x[i] * r / v;
                for j in 0..d {
                    a[i][j] += x[i] * x[j] / v;
                }
            }
        }
        let expected = gauss_jordan(a.clone(), b);
        for i in 0..d {
            assert_abs_diff_eq!(post.mean()[i], expected[i], epsilon = 1e-6);
        }
        // Σ really is the inverse of the precision.
        for i in 0..d {
            for j in 0..d {
                let e: f64 = (0..d).map(|k| a[i][k] * post.cov()[[k, j]]).sum();
                assert_abs_diff_eq!(e, if i == j { 1.0 } else { 0.0 }, epsilon = 1e-6);
            }
        }
        // Predictions follow E[r] = o + xᵀμ and Var = σ² + xᵀΣx + Var(b).
        let p = post.predict_all(&model);
        let x = model.design().row(2).mapv(|v| v as f64);
        let m = model.offsets()[2] as f64 + x.dot(post.mean());
        assert_abs_diff_eq!(p.mean[2] as f64, m, epsilon = 1e-5);
        let quad = x.dot(&post.cov().dot(&x));
        assert_abs_diff_eq!(
            p.epistemic_var[2] as f64,
            quad + (bundle.items.bias_sd[2] as f64).powi(2),
            epsilon = 1e-5
        );
    }

    #[test]
    fn a_movie_rated_under_two_ids_counts_once() {
        use crate::profile::{Scale, StableId};
        let model = Model::from_bundle(tiny_bundle());
        let mut p = Profile::default();
        p.rate(StableId::Imdb("tt0133093".into()), 2.0, Scale::Ten, 1);
        p.rate(StableId::Movielens(2571), 4.5, Scale::Stars, 2);
        p.rate(StableId::Imdb("tt9999999".into()), 8.0, Scale::Ten, 3);
        let ev = Evidence::from_profile(&model, &p);
        assert_eq!(
            ev.observations,
            vec![Observation {
                item: 0,
                rating: 4.5
            }]
        );
        assert_eq!(ev.unknown, vec![StableId::Imdb("tt9999999".into())]);
    }

    #[test]
    fn more_ratings_shrink_uncertainty() {
        let model = Model::from_bundle(tiny_bundle());
        let prior = Posterior::prior(&model).unwrap().predict_all(&model);
        let obs: Vec<_> = (0..4)
            .map(|item| Observation { item, rating: 4.0 })
            .collect();
        let post = Posterior::fit(&model, &obs).unwrap().predict_all(&model);
        for i in 0..model.len() {
            assert!(post.epistemic_var[i] < prior.epistemic_var[i], "item {i}");
        }
    }
}
