//! The visitor model: given the fixed item parameters, the visitor's z = (θ₁..θ_K, w₁..w_F, b_u)
//! (latent tastes, personal weights on the item features, personal bias) has an exact Gaussian
//! posterior under the Gaussian rating likelihood r = μ + b_m + zᵀx̃_m + ε.
//!
//! With x̃ᵢ = [βᵢ; xᵢ; 1] (βᵢ the item's posterior mean), offset oᵢ = μ + bᵢ, the item's own
//! uncertainty Cov(βᵢ) = Sᵢ = sᵢ²·diag(τ²) and Var(bᵢ), and the prior N(m₀, Λ₀⁻¹):
//!
//! ```text
//! Σ = (Λ₀ + Σᵢ (x̃ᵢx̃ᵢᵀ + S̃ᵢ) / vᵢ)⁻¹     μ_z = Σ (Λ₀m₀ + Σᵢ x̃ᵢ (rᵢ − oᵢ) / vᵢ)     vᵢ = σ² + Var(bᵢ)
//! ```
//!
//! (E[x̃x̃ᵀ] = x̃x̃ᵀ + S̃ with S̃ = Sᵢ on the θ block: an uncertain item tells less about θ.)
//! Predictions: E[r] = oᵢ + x̃ᵢᵀμ_z and
//! Var[r] = σ² + x̃ᵢᵀΣx̃ᵢ + μ_θᵀSᵢμ_θ + tr(Σ_θSᵢ) + Var(bᵢ); the two Sᵢ terms are sᵢ²·c with one
//! scalar c = Σ_k τ_k²(μ_θk² + Σ_θkk) per visitor, so they cost nothing per movie.

use ndarray::{Array1, Array2, Axis};

use crate::ids::StableId;
use crate::model::Model;
use crate::noise::{Predictive, VisitorNoise};
use moviematch_math::ep::{self, ProbitSite, Site};
use moviematch_math::linalg::{cho_inverse, cho_solve, cholesky, solve_lower, NotPositiveDefinite};

/// One rating of a catalogue item, on the model's scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Observation {
    pub item: usize,
    pub rating: f32,
}

/// What a "do you prefer A or B?" answer said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preference {
    A,
    B,
    /// "Equally good": a weak tie, r_a − r_b = 0 within the two ratings' noise.
    Tie,
}

/// One answered comparison between two catalogue items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    pub a: usize,
    pub b: usize,
    pub answer: Preference,
}

/// "I liked it" / "not for me" about a catalogue item: a probit observation on the item's
/// rating minus the visitor's own mean rating μ + b_u.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Like {
    pub item: usize,
    pub liked: bool,
}

/// EP stops when no site's natural parameters move by more than this.
pub(crate) const EP_TOLERANCE: f64 = 1e-9;
/// EP sweeps at most (it converges in a handful for probit sites).
pub(crate) const EP_MAX_SWEEPS: usize = 100;

/// A profile's answers turned into observations the model can use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Evidence {
    pub observations: Vec<Observation>,
    pub comparisons: Vec<Comparison>,
    pub likes: Vec<Like>,
    /// Rated entries this bundle does not know (kept in the profile, not used).
    pub unknown: Vec<StableId>,
    /// How much each answer counts (taste drift, `crate::drift`); empty: every answer fully.
    pub weights: Weights,
}

/// Per-answer likelihood powers, parallel to [`Evidence`]'s lists (a list shorter than its
/// answers, e.g. empty, means weight 1 for the rest). A weight w divides a Gaussian answer's
/// noise variance by w, which is its likelihood raised to the power w, so the posterior stays
/// exact; the visitor's noise counts it as w of an answer. A probit answer's noise scale is
/// divided by √w in the same way (for a probit this weakens it without being a power).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Weights {
    pub observations: Vec<f32>,
    pub comparisons: Vec<f32>,
    pub likes: Vec<f32>,
}

impl Weights {
    /// Answer `i`'s weight in `list` (1 past its end, or when not finite), kept within
    /// [1e-6, 1] so that no answer's variance becomes infinite.
    pub fn of(list: &[f32], i: usize) -> f64 {
        let w = list.get(i).copied().unwrap_or(1.0) as f64;
        if w.is_finite() {
            w.clamp(1e-6, 1.0)
        } else {
            1.0
        }
    }
}

impl Evidence {
    /// Number of answers the posterior will use.
    pub fn len(&self) -> usize {
        self.observations.len() + self.comparisons.len() + self.likes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Gaussian posterior over the visitor's z = (θ, w, b_u).
#[derive(Debug, Clone)]
pub struct Posterior {
    mean: Array1<f64>,
    cov: Array2<f64>,
    /// L⁻¹ for the Cholesky factor L of the precision (Σ⁻¹ = LLᵀ, so xᵀΣx = ‖L⁻¹x‖²),
    /// lower-triangular, packed by columns (column b holds rows b..D): y = L⁻¹x is then a sum
    /// of contiguous axpys, which the compiler vectorises (a dot-product form would not be,
    /// as float sums may not be reordered). f32: the result is a sum of squares, never < 0.
    linv_cols: Vec<f32>,
    /// c = Σ_k τ_k²(μ_θk² + Σ_θkk): the item-uncertainty terms of every prediction are s_m²·c.
    item_term: f64,
    n_obs: usize,
    /// q(σ_u²): the visitor's own noise (see [`crate::noise`]).
    noise: VisitorNoise,
    /// The probit answers' EP sites where the fit stopped (leave-one-out holds them fixed).
    sites: Vec<Site>,
    /// How a shown prediction leans on the visitor's own IMDb line ([`crate::stack`]); none
    /// until the session sets it.
    stack: ImdbStack,
}

/// The visitor's predicted rating as shown: the model's E[r] stacked with their own
/// least-squares line of rating on IMDb average, (1 − weight)·E[r] + weight·(intercept +
/// slope·IMDb), for films with an IMDb average. [`crate::stack`] fits it; the default (weight
/// 0) shows E[r] itself. The ranking's blend reads E[r] unstacked: it was fitted on it.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ImdbStack {
    pub weight: f32,
    pub intercept: f32,
    pub slope: f32,
}

impl ImdbStack {
    /// The shown mean for a film of E[r] `mean` and IMDb average `imdb`.
    pub fn shown(&self, mean: f32, imdb: Option<f32>) -> f32 {
        match imdb {
            Some(x) if self.weight != 0.0 => {
                self.mix(mean as f64, (self.intercept + self.slope * x) as f64) as f32
            }
            _ => mean,
        }
    }

    /// The mix itself, of E[r] `mean` and the line's value `line` (a held-out film's line is
    /// the one through the visitor's other films: `crate::session`'s calibration).
    pub fn mix(&self, mean: f64, line: f64) -> f64 {
        let w = self.weight as f64;
        (1.0 - w) * mean + w * line
    }
}

impl Posterior {
    /// The visitor prior N(m₀, Λ₀⁻¹) stored in the bundle.
    pub fn prior(model: &Model) -> Result<Posterior, NotPositiveDefinite> {
        Posterior::fit(model, &[])
    }

    /// The exact posterior given ratings (see the module docs for the formulas).
    pub fn fit(model: &Model, obs: &[Observation]) -> Result<Posterior, NotPositiveDefinite> {
        Posterior::fit_answers(model, obs, &[], &[])
    }

    /// The posterior given everything a profile says (the visitor session, `crate::session`, reads it from a profile).
    pub fn fit_evidence(model: &Model, ev: &Evidence) -> Result<Posterior, NotPositiveDefinite> {
        Posterior::fit_weighted(
            model,
            Answers::new(
                model,
                &ev.observations,
                &ev.comparisons,
                &ev.likes,
                &ev.weights,
            ),
        )
    }

    /// The posterior given ratings, comparisons and likes. Ratings and ties are Gaussian and
    /// exact; preferences and likes are probit factors folded in by EP, iterated to its fixed
    /// point, so the result does not depend on the order of the answers (see [`moviematch_math::ep`]).
    pub fn fit_answers(
        model: &Model,
        obs: &[Observation],
        comparisons: &[Comparison],
        likes: &[Like],
    ) -> Result<Posterior, NotPositiveDefinite> {
        let answers = Answers::new(model, obs, comparisons, likes, &Weights::default());
        Posterior::fit_weighted(model, answers)
    }

    fn fit_weighted(model: &Model, answers: Answers) -> Result<Posterior, NotPositiveDefinite> {
        // q(σ_u²) is the conjugate update from the Gaussian answers (ratings and ties) alone:
        // σ̄²-weighted squared residuals plus the prior term, both at the mean those answers
        // give (module docs of `crate::noise`). Preferences and likes say little about how
        // noisy the visitor's star ratings are, and the mean they move would inflate the prior
        // term with no rating to count against it.
        let gauss_mean = if answers.sites.is_empty() {
            None
        } else {
            Some(cho_solve(
                &cholesky(&answers.precision)?,
                answers.rhs.view(),
            ))
        };
        let fit = ep::fit(
            &answers.precision,
            &answers.rhs,
            &answers.sites,
            EP_MAX_SWEEPS,
            EP_TOLERANCE,
        )?;
        let noise = answers.noise_at(model, gauss_mean.as_ref().unwrap_or(&fit.mean));
        Ok(Posterior::finish(
            model,
            fit.mean,
            &fit.chol,
            noise,
            answers.ratings.len() + answers.ties.len() + answers.sites.len(),
            fit.sites,
        ))
    }

    /// The posterior of mean `mean` and precision `chol`·`chol`ᵀ, with its noise.
    pub(crate) fn finish(
        model: &Model,
        mean: Array1<f64>,
        chol: &Array2<f64>,
        noise: VisitorNoise,
        n_obs: usize,
        sites: Vec<Site>,
    ) -> Posterior {
        let tau2 = model.factor_prior_var();
        let cov = cho_inverse(chol);
        let item_term = (0..model.k())
            .map(|j| tau2[j] as f64 * (mean[j].powi(2) + cov[[j, j]]))
            .sum();
        Posterior {
            mean,
            cov,
            linv_cols: inverse_factor_by_columns(chol),
            item_term,
            n_obs,
            noise,
            sites,
            stack: ImdbStack::default(),
        }
    }

    /// This posterior showing its predictions through `stack`.
    pub fn with_stack(mut self, stack: ImdbStack) -> Posterior {
        self.stack = stack;
        self
    }

    /// How its shown predictions lean on the visitor's IMDb line.
    pub fn stack(&self) -> ImdbStack {
        self.stack
    }

    /// Each probit answer's fitted EP site, in the order [`Answers`] lists them.
    pub(crate) fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// Posterior mean of z = (θ, w, b_u).
    pub fn mean(&self) -> &Array1<f64> {
        &self.mean
    }

    /// Posterior covariance Σ of z.
    pub fn cov(&self) -> &Array2<f64> {
        &self.cov
    }

    /// q(σ_u²), the visitor's own rating noise.
    pub fn noise(&self) -> &VisitorNoise {
        &self.noise
    }

    /// Number of answers (ratings, comparisons, likes) this posterior was fitted on.
    pub fn n_observations(&self) -> usize {
        self.n_obs
    }

    /// The part of item `i`'s epistemic variance that needs no quadratic form:
    /// Var(b_m) + s_m²·c. A lower bound of [`Prediction::epistemic_var`], for ranking.
    pub fn epistemic_floor(&self, model: &Model, i: usize) -> f32 {
        (model.bias_variances()[i] as f64 + model.factor_var_scales()[i] as f64 * self.item_term)
            as f32
    }

    /// The exact mean of one item's prediction (f64 sums): E[r] = o + x̃ᵀμ_z, the model's own
    /// (what the ranking scores; [`Posterior::predict`] shows it stacked).
    pub fn predict_mean(&self, model: &Model, i: usize) -> f32 {
        predict_at(model, i, &self.mean)
    }

    /// The mean a list row shows for item `i`: E[r] through the visitor's [`ImdbStack`] (the
    /// mean of [`Posterior::predict`], without its variance).
    pub fn shown_mean(&self, model: &Model, i: usize) -> f32 {
        self.stack
            .shown(self.predict_mean(model, i), model.movie(i).imdb_rating)
    }

    /// One draw of the visitor's z from this posterior, z̃ = μ + L⁻ᵀε with ε ~ N(0, I) from a
    /// seeded generator (Thompson sampling: the same seed gives the same draw).
    pub fn sample(&self, seed: u64) -> Array1<f64> {
        use rand::SeedableRng;
        use rand_distr::{Distribution, StandardNormal};
        let d = self.mean.len();
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let eps: Vec<f64> = (0..d).map(|_| StandardNormal.sample(&mut rng)).collect();
        // (L⁻ᵀε)_b = Σ_{a ≥ b} (L⁻¹)_{ab} ε_a: column b of L⁻¹ holds rows b..D.
        let mut z = self.mean.clone();
        let mut offset = 0;
        for b in 0..d {
            let col = &self.linv_cols[offset..offset + d - b];
            offset += d - b;
            z[b] += col
                .iter()
                .zip(&eps[b..])
                .map(|(&c, &e)| c as f64 * e)
                .sum::<f64>();
        }
        z
    }

    /// c = Σ_k τ_k²(μ_θk² + Σ_θkk): item m's factor-uncertainty terms are s_m²·c.
    pub fn item_term(&self) -> f64 {
        self.item_term
    }

    /// The exact prediction for one item: what [`Posterior::predict_all`] gives for it, in
    /// f64 and with the quadratic form through the Cholesky factor (~D²/2 operations).
    pub fn predict(&self, model: &Model, i: usize) -> Prediction {
        let x = model.design().row(i);
        let d = x.len();
        // y = L⁻¹x = Σ_b x_b · (column b of L⁻¹); xᵀΣx = ‖y‖².
        let mut y = vec![0f32; d];
        let mut offset = 0;
        for b in 0..d {
            let col = &self.linv_cols[offset..offset + d - b];
            offset += d - b;
            let xb = x[b];
            for (ya, &c) in y[b..].iter_mut().zip(col) {
                *ya += xb * c;
            }
        }
        let quad: f32 = y.iter().map(|v| v * v).sum();
        Prediction {
            mean: self.shown_mean(model, i),
            epistemic_var: quad + self.epistemic_floor(model, i),
            noise_var: model.header.sigma * model.header.sigma,
            scale_mult: self.noise.scale_multiplier() as f32,
            dof: self.noise.dof() as f32,
        }
    }

    /// Mean and variance of the prediction for every catalogue item, on the model's scale
    /// (not clipped).
    pub fn predict_all(&self, model: &Model) -> Predictions {
        let x = model.design();
        let mu = self.mean.mapv(|v| v as f32);
        let mut mean = x.dot(&mu) + model.offsets();
        if self.stack.weight != 0.0 {
            for (i, m) in mean.iter_mut().enumerate() {
                *m = self.stack.shown(*m, model.movie(i).imdb_rating);
            }
        }
        let cov = self.cov.mapv(|v| v as f32);
        // xᵢᵀΣxᵢ for all rows at once: rowwise sum of (XΣ) ⊙ X.
        let xs = x.dot(&cov);
        let mut quad = (&xs * x).sum_axis(Axis(1));
        quad.mapv_inplace(|q| q.max(0.0));
        // μ_θᵀSμ_θ + tr(Σ_θS) with S = s²·diag(τ²): s² times one scalar per visitor.
        let epistemic =
            quad + model.bias_variances() + &(model.factor_var_scales() * self.item_term as f32);
        let sigma2 = model.header.sigma * model.header.sigma;
        Predictions {
            mean,
            epistemic_var: epistemic,
            noise_var: sigma2,
            scale_mult: self.noise.scale_multiplier() as f32,
            dof: self.noise.dof() as f32,
        }
    }
}

/// One Gaussian answer y = hᵀz + noise(v): a rating, or a tie.
#[derive(Debug, Clone)]
pub(crate) struct GaussianAnswer {
    pub h: Array1<f64>,
    pub y: f64,
    pub v: f64,
    /// A rating's film's own factor uncertainty in the precision, a·diag(τ²) on θ (a = s²/v);
    /// 0 for a tie.
    pub a: f64,
}

/// The answers as the posterior takes them in: the Gaussian part (the prior, ratings and
/// ties) in natural form, each Gaussian answer on its own, and the probit sites (preferences,
/// likes) for EP. The fit and leave-one-out (`crate::loo`) both start here.
#[derive(Debug, Clone)]
pub(crate) struct Answers {
    pub lambda0: Array2<f64>,
    pub m0: Array1<f64>,
    /// Λ₀ + Σ (hhᵀ + a·T)/v over the Gaussian answers.
    pub precision: Array2<f64>,
    /// Λ₀m₀ + Σ h·y/v.
    pub rhs: Array1<f64>,
    /// The ratings, in the order given.
    pub ratings: Vec<GaussianAnswer>,
    pub ties: Vec<GaussianAnswer>,
    pub sites: Vec<ProbitSite>,
    pub sigma2: f64,
    /// Each rating's weight ([`Weights`]), in the order of `ratings`.
    pub rating_weights: Vec<f64>,
    /// How many Gaussian answers the visitor's noise counts: the sum of their weights.
    pub count: f64,
}

impl Answers {
    pub fn new(
        model: &Model,
        obs: &[Observation],
        comparisons: &[Comparison],
        likes: &[Like],
        weights: &Weights,
    ) -> Answers {
        let d = model.visitor_dim();
        let k = model.k();
        let h = &model.header;
        let lambda0 = Array2::from_shape_fn((d, d), |(i, j)| h.prior_precision[i * d + j] as f64);
        let mut precision = lambda0.clone();
        let m0 = Array1::from_iter(h.prior_mean.iter().map(|&v| v as f64));
        let mut rhs = precision.dot(&m0);
        let sigma2 = (h.sigma as f64).powi(2);
        let x = model.design();
        let tau2 = model.factor_prior_var();
        let row = |i: usize| x.row(i).mapv(|v| v as f64);
        let offset = |i: usize| model.offsets()[i] as f64;
        let bias_var = |i: usize| model.bias_variances()[i] as f64;
        // A Gaussian observation y = hᵀz + noise(v).
        fn gaussian(p: &mut Array2<f64>, rhs: &mut Array1<f64>, hv: &Array1<f64>, y: f64, v: f64) {
            for a in 0..hv.len() {
                rhs[a] += hv[a] * y / v;
                for b in 0..hv.len() {
                    p[[a, b]] += hv[a] * hv[b] / v;
                }
            }
        }
        let mut ratings = Vec::with_capacity(obs.len());
        let mut rating_weights = Vec::with_capacity(obs.len());
        let mut count = 0.0;
        for (j, o) in obs.iter().enumerate() {
            let w = Weights::of(&weights.observations, j);
            rating_weights.push(w);
            count += w;
            let v = (sigma2 + bias_var(o.item)) / w;
            let y = (o.rating - model.offsets()[o.item]) as f64;
            let hv = row(o.item);
            gaussian(&mut precision, &mut rhs, &hv, y, v);
            let s2 = model.factor_var_scales()[o.item] as f64;
            for c in 0..k {
                precision[[c, c]] += s2 * tau2[c] as f64 / v;
            }
            ratings.push(GaussianAnswer {
                h: hv,
                y,
                v,
                a: s2 / v,
            });
        }
        let mut ties = Vec::new();
        let mut sites = Vec::new();
        for (j, c) in comparisons.iter().enumerate() {
            // t = r_a − r_b = (x̃_a − x̃_b)ᵀz + (o_a − o_b), noise of two ratings.
            let hv = row(c.a) - row(c.b);
            let shift = offset(c.a) - offset(c.b);
            let w = Weights::of(&weights.comparisons, j);
            let v = (2.0 * sigma2 + bias_var(c.a) + bias_var(c.b)) / w;
            match c.answer {
                Preference::Tie => {
                    count += w;
                    gaussian(&mut precision, &mut rhs, &hv, -shift, v);
                    ties.push(GaussianAnswer {
                        h: hv,
                        y: -shift,
                        v,
                        a: 0.0,
                    });
                }
                answer => sites.push(ProbitSite {
                    h: hv,
                    c: shift,
                    s: v.sqrt(),
                    y: if answer == Preference::A { 1.0 } else { -1.0 },
                }),
            }
        }
        for (j, l) in likes.iter().enumerate() {
            // t = r_m − (μ + b_u) = (x̃_m − e_bu)ᵀz + (o_m − μ).
            let mut hv = row(l.item);
            hv[d - 1] -= 1.0;
            let w = Weights::of(&weights.likes, j);
            sites.push(ProbitSite {
                h: hv,
                c: offset(l.item) - h.global_mean as f64,
                s: ((sigma2 + bias_var(l.item)) / w).sqrt(),
                y: if l.liked { 1.0 } else { -1.0 },
            });
        }
        Answers {
            lambda0,
            m0,
            precision,
            rhs,
            ratings,
            ties,
            sites,
            sigma2,
            rating_weights,
            count,
        }
    }

    /// The Gaussian answers in order: the ratings, then the ties.
    pub fn gaussian(&self) -> impl Iterator<Item = &GaussianAnswer> {
        self.ratings.iter().chain(&self.ties)
    }

    /// σ̄²·[Σ (y − hᵀz)²/v over the Gaussian answers + (z − m₀)ᵀΛ₀(z − m₀)]: the bracket of
    /// the noise update at z (module docs of `crate::noise`).
    pub fn squares_at(&self, z: &Array1<f64>) -> f64 {
        let mut ss = 0.0;
        for g in self.gaussian() {
            let r = g.y - g.h.dot(z);
            ss += self.sigma2 * r * r / g.v;
        }
        let dm = z - &self.m0;
        ss + self.sigma2 * dm.dot(&self.lambda0.dot(&dm))
    }

    /// q(σ_u²) given the Gaussian answers' mean `at`.
    pub fn noise_at(&self, model: &Model, at: &Array1<f64>) -> VisitorNoise {
        self.noise_from(model, self.count, self.squares_at(at))
    }

    /// q(σ_u²) from `n` Gaussian answers (weighted: [`Weights`]) whose bracket
    /// ([`Answers::squares_at`]) is `ss`.
    pub fn noise_from(&self, model: &Model, n: f64, ss: f64) -> VisitorNoise {
        VisitorNoise::updated(model.visitor().noise, self.sigma2, n, ss)
    }
}

/// E[r] of item `i` for a given visitor vector z: o_i + x̃ᵢᵀz, summed in f64.
pub fn predict_at(model: &Model, i: usize, z: &Array1<f64>) -> f32 {
    let x = model.design().row(i);
    let dot: f64 = x.iter().zip(z).map(|(&a, &b)| a as f64 * b).sum();
    (model.offsets()[i] as f64 + dot) as f32
}

/// L⁻¹ of a lower-triangular L, packed by columns (see `Posterior::linv_cols`).
fn inverse_factor_by_columns(l: &Array2<f64>) -> Vec<f32> {
    let d = l.nrows();
    let mut out = Vec::with_capacity(d * (d + 1) / 2);
    let mut e = Array1::<f64>::zeros(d);
    for b in 0..d {
        e.fill(0.0);
        e[b] = 1.0;
        let col = solve_lower(l, e.view());
        out.extend(col.iter().skip(b).map(|&v| v as f32));
    }
    out
}

/// The prediction for one item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prediction {
    /// The mean shown, unclipped: E[r] through the posterior's [`ImdbStack`].
    pub mean: f32,
    /// The model's uncertainty about this movie for this visitor (see [`Predictions`]).
    pub epistemic_var: f32,
    /// σ̄², the population's noise (the visitor's own is σ̄²·`scale_mult` in expectation).
    pub noise_var: f32,
    /// λ: the Student-t predictive's scale² is λ(epistemic + σ̄²) (see [`crate::noise`]).
    pub scale_mult: f32,
    /// Degrees of freedom of the Student-t predictive.
    pub dof: f32,
}

impl Prediction {
    /// The predictive distribution of the visitor's rating: a Student-t.
    pub fn predictive(&self) -> Predictive {
        Predictive {
            mean: self.mean as f64,
            scale: (self.scale_mult as f64 * (self.epistemic_var + self.noise_var) as f64).sqrt(),
            dof: self.dof as f64,
        }
    }

    /// Predictive standard deviation of a rating.
    pub fn sd(&self) -> f32 {
        self.predictive().sd() as f32
    }

    /// The central interval that holds the visitor's rating with probability `p`.
    pub fn interval(&self, p: f64) -> (f32, f32) {
        let (lo, hi) = self.predictive().interval(p);
        (lo as f32, hi as f32)
    }
}

/// Predictions for every catalogue item.
#[derive(Debug, Clone)]
pub struct Predictions {
    /// The mean shown per item, unclipped (E[r] through the posterior's [`ImdbStack`]).
    pub mean: Array1<f32>,
    /// x̃ᵀΣx̃ + μ_θᵀSμ_θ + tr(Σ_θS) + Var(b_m): the model's uncertainty about this movie.
    pub epistemic_var: Array1<f32>,
    /// σ̄²: rating noise that no answer reduces.
    pub noise_var: f32,
    /// λ and ν of the Student-t predictive (see [`Prediction`]).
    pub scale_mult: f32,
    pub dof: f32,
}

impl Predictions {
    /// The prediction for item `i`.
    pub fn get(&self, i: usize) -> Prediction {
        Prediction {
            mean: self.mean[i],
            epistemic_var: self.epistemic_var[i],
            noise_var: self.noise_var,
            scale_mult: self.scale_mult,
            dof: self.dof,
        }
    }

    /// Predictive standard deviation of a rating of item `i`.
    pub fn sd(&self, i: usize) -> f32 {
        self.get(i).sd()
    }
}

#[cfg(test)]
#[allow(clippy::needless_range_loop)] // index loops mirror the textbook formulas
mod tests {
    use super::*;
    use crate::bundle::tests::tiny_bundle;
    use crate::profile::Profile;
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
        // A dense prior with a non-zero mean makes the test meaningful: Λ₀ = MᵀM + I.
        let d = bundle.header.prior_mean.len();
        let m: Vec<f64> = (0..d * d)
            .map(|i| ((i * 7919 % 23) as f64 - 11.0) / 20.0)
            .collect();
        let prec: Vec<f64> = (0..d * d)
            .map(|ij| {
                let (i, j) = (ij / d, ij % d);
                (0..d).map(|t| m[t * d + i] * m[t * d + j]).sum::<f64>()
                    + if i == j { 1.0 } else { 0.0 }
            })
            .collect();
        bundle.header.prior_precision = prec.iter().map(|&v| v as f32).collect();
        bundle.header.prior_mean = (0..d).map(|i| 0.1 * i as f32 - 0.3).collect();
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

        // Brute force from the formulas, with the design rows as the model decoded them.
        let h = &bundle.header;
        let k = h.k as usize;
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
            let x: Vec<f64> = model
                .design()
                .row(o.item)
                .iter()
                .map(|&v| v as f64)
                .collect();
            let v = (h.sigma as f64).powi(2) + (bundle.items.bias_sd[o.item] as f64).powi(2);
            let r = o.rating as f64 - h.global_mean as f64 - bundle.items.bias[o.item] as f64;
            let s2 = (bundle.items.factor_sd_scale[o.item] as f64).powi(2);
            for i in 0..d {
                b[i] += x[i] * r / v;
                for j in 0..d {
                    a[i][j] += x[i] * x[j] / v;
                }
                if i < k {
                    a[i][i] += s2 * h.factor_prior_var[i] as f64 / v;
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
                let e: f64 = (0..d).map(|t| a[i][t] * post.cov()[[t, j]]).sum();
                assert_abs_diff_eq!(e, if i == j { 1.0 } else { 0.0 }, epsilon = 1e-6);
            }
        }
        // Predictions follow E[r] = o + x̃ᵀμ and
        // Var = σ² + x̃ᵀΣx̃ + μ_θᵀSμ_θ + tr(Σ_θS) + Var(b), written out term by term.
        let p = post.predict_all(&model);
        for item in [2, 4] {
            let x = model.design().row(item).mapv(|v| v as f64);
            let mean = model.offsets()[item] as f64 + x.dot(post.mean());
            assert_abs_diff_eq!(p.mean[item] as f64, mean, epsilon = 1e-4);
            let s2 = (bundle.items.factor_sd_scale[item] as f64).powi(2);
            let quad = x.dot(&post.cov().dot(&x));
            let s_terms: f64 = (0..k)
                .map(|j| {
                    s2 * h.factor_prior_var[j] as f64
                        * (post.mean()[j].powi(2) + post.cov()[[j, j]])
                })
                .sum();
            let var_b = (bundle.items.bias_sd[item] as f64).powi(2);
            assert_abs_diff_eq!(
                p.epistemic_var[item] as f64,
                quad + s_terms + var_b,
                epsilon = 1e-4
            );
        }
        // The one-item path (Cholesky solve instead of Σ) agrees on every item.
        for item in 0..model.len() {
            let one = post.predict(&model, item);
            assert_abs_diff_eq!(one.mean, p.mean[item], epsilon = 1e-4);
            assert_eq!(one.mean, post.predict_mean(&model, item));
            assert_abs_diff_eq!(one.epistemic_var, p.epistemic_var[item], epsilon = 1e-4);
            assert_abs_diff_eq!(one.sd(), p.sd(item), epsilon = 1e-4);
            assert!(post.epistemic_floor(&model, item) <= one.epistemic_var);
        }
    }

    #[test]
    fn a_movie_rated_under_two_ids_counts_once() {
        use crate::profile::{Scale, StableId};
        let model = Model::from_bundle(tiny_bundle());
        let mut p = Profile::default();
        p.rate(StableId::Imdb("tt0133093".into()), 2.0, Scale::Ten, 1);
        p.rate(StableId::Movielens(2571), 4.5, Scale::Stars, 2);
        p.rate(StableId::Imdb("tt9999999".into()), 8.0, Scale::Ten, 3);
        let ev = crate::session::Visitor::new(&model, &p).evidence().clone();
        assert_eq!(
            ev.observations,
            vec![Observation {
                item: 0,
                rating: 4.5
            }]
        );
        assert_eq!(ev.unknown, vec![StableId::Imdb("tt9999999".into())]);
    }

    /// A weight is a likelihood power: one rating at weight ½ given twice is that rating once
    /// (mean, covariance and the visitor's noise), a tie included; unit weights are no weights,
    /// to the bit; and a weight below 1 moves the prediction less.
    #[test]
    fn two_half_weighted_copies_of_a_rating_are_the_rating_once() {
        let model = Model::from_bundle(crate::fixture::random_bundle(7, 40, 4, 30));
        let obs: Vec<Observation> = [(0, 4.5), (3, 2.0), (7, 3.5), (11, 5.0)]
            .iter()
            .map(|&(item, rating)| Observation { item, rating })
            .collect();
        let tie = vec![Comparison {
            a: 20,
            b: 21,
            answer: Preference::Tie,
        }];
        let once = Evidence {
            observations: obs.clone(),
            comparisons: tie.clone(),
            ..Evidence::default()
        };
        let mut doubled = once.clone();
        doubled.observations.push(obs[2]);
        doubled.observations.push(Observation {
            item: 20,
            rating: 1.0,
        });
        doubled.comparisons.push(tie[0]);
        doubled.weights = Weights {
            observations: vec![1.0, 1.0, 0.5, 1.0, 0.5, 1e-12],
            comparisons: vec![0.5, 0.5],
            likes: vec![],
        };
        let a = Posterior::fit_evidence(&model, &once).unwrap();
        let b = Posterior::fit_evidence(&model, &doubled).unwrap();
        let gap = |x: &Array2<f64>, y: &Array2<f64>| {
            x.iter().zip(y).fold(0f64, |m, (p, q)| m.max((p - q).abs()))
        };
        // The last rating's weight is clamped to 1e-6: it still counts, a millionth.
        assert!((a.mean() - b.mean()).iter().all(|d| d.abs() < 1e-5));
        assert!(gap(a.cov(), b.cov()) < 1e-6);
        assert!((a.noise().shape + 0.5e-6 - b.noise().shape).abs() < 1e-12);
        assert!((a.noise().rate - b.noise().rate).abs() < 1e-5);
        let mut unit = once.clone();
        unit.weights.observations = vec![1.0; obs.len()];
        unit.weights.comparisons = vec![1.0];
        let u = Posterior::fit_evidence(&model, &unit).unwrap();
        assert_eq!(
            (u.mean(), u.cov(), u.noise()),
            (a.mean(), a.cov(), a.noise())
        );
        // Half a 5★ rating pulls its film's prediction up less than a whole one.
        let mut half = once.clone();
        half.weights.observations = vec![1.0, 1.0, 1.0, 0.5];
        let h = Posterior::fit_evidence(&model, &half).unwrap();
        let prior = Posterior::fit_evidence(
            &model,
            &Evidence {
                observations: obs[..3].to_vec(),
                comparisons: tie,
                ..Evidence::default()
            },
        )
        .unwrap();
        let at11 = |p: &Posterior| p.predict_mean(&model, 11);
        assert!(at11(&prior) < at11(&h) && at11(&h) < at11(&a));
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

    #[test]
    fn comparisons_and_likes_move_predictions_the_way_the_answer_says() {
        let model = Model::from_bundle(crate::fixture::random_bundle(5, 40, 4, 30));
        let ratings = [
            Observation {
                item: 3,
                rating: 4.5,
            },
            Observation {
                item: 9,
                rating: 2.0,
            },
        ];
        let base = Posterior::fit(&model, &ratings).unwrap();
        let diff = |p: &Posterior, a: usize, b: usize| {
            p.predict_mean(&model, a) - p.predict_mean(&model, b)
        };
        let (a, b) = (5, 17);
        let with = |answer| {
            Posterior::fit_answers(&model, &ratings, &[Comparison { a, b, answer }], &[]).unwrap()
        };
        let d0 = diff(&base, a, b);
        assert!(diff(&with(Preference::A), a, b) > d0 + 1e-3);
        assert!(diff(&with(Preference::B), a, b) < d0 - 1e-3);
        assert!(diff(&with(Preference::Tie), a, b).abs() < d0.abs());
        for liked in [true, false] {
            let p =
                Posterior::fit_answers(&model, &ratings, &[], &[Like { item: a, liked }]).unwrap();
            let moved = p.predict_mean(&model, a) - base.predict_mean(&model, a);
            assert!(
                if liked { moved > 0.0 } else { moved < 0.0 },
                "{liked}: {moved}"
            );
            assert!(p.predict(&model, a).epistemic_var < base.predict(&model, a).epistemic_var);
        }
    }

    #[test]
    fn the_posterior_does_not_depend_on_the_order_of_answers() {
        let model = Model::from_bundle(crate::fixture::random_bundle(6, 40, 4, 30));
        let ratings = [Observation {
            item: 1,
            rating: 4.0,
        }];
        let mut comps: Vec<Comparison> = (0..8)
            .map(|j| Comparison {
                a: j,
                b: 39 - j,
                answer: [Preference::A, Preference::B, Preference::Tie][j % 3],
            })
            .collect();
        let likes = [
            Like {
                item: 20,
                liked: true,
            },
            Like {
                item: 21,
                liked: false,
            },
        ];
        let first = Posterior::fit_answers(&model, &ratings, &comps, &likes).unwrap();
        comps.reverse();
        let mut likes_rev = likes;
        likes_rev.reverse();
        let second = Posterior::fit_answers(&model, &ratings, &comps, &likes_rev).unwrap();
        for i in 0..model.visitor_dim() {
            assert_abs_diff_eq!(first.mean()[i], second.mean()[i], epsilon = 1e-7);
            assert_abs_diff_eq!(first.cov()[[i, i]], second.cov()[[i, i]], epsilon = 1e-7);
        }
        assert_eq!(first.n_observations(), 11);
    }

    #[test]
    fn draws_have_the_posterior_mean_and_covariance() {
        let model = Model::from_bundle(crate::fixture::random_bundle(8, 30, 2, 20));
        let post = Posterior::fit(
            &model,
            &[Observation {
                item: 2,
                rating: 4.0,
            }],
        )
        .unwrap();
        let d = model.visitor_dim();
        let n = 20_000;
        let draws: Vec<Array1<f64>> = (0..n).map(|s| post.sample(s as u64)).collect();
        assert_eq!(post.sample(7), post.sample(7), "seeded");
        let mean: Array1<f64> = draws.iter().fold(Array1::zeros(d), |a, z| a + z) / n as f64;
        for a in [0, 1, d - 2, d - 1] {
            let sd = post.cov()[[a, a]].sqrt();
            assert!((mean[a] - post.mean()[a]).abs() < 4.0 * sd / (n as f64).sqrt());
            for b in [0, d - 1] {
                let c: f64 = draws
                    .iter()
                    .map(|z| (z[a] - mean[a]) * (z[b] - mean[b]))
                    .sum::<f64>()
                    / n as f64;
                let want = post.cov()[[a, b]];
                let tol = 0.05 * (post.cov()[[a, a]] * post.cov()[[b, b]]).sqrt();
                assert!((c - want).abs() < tol, "cov[{a},{b}] {c} vs {want}");
            }
        }
    }

    #[test]
    fn a_profile_s_comparisons_and_likes_reach_the_posterior() {
        use crate::profile::{Action, CompareAnswer};
        let model = Model::from_bundle(tiny_bundle());
        let mut p = Profile::default();
        let id = |i: usize| model.stable_id(i);
        p.rate(id(0), 4.0, crate::profile::Scale::Stars, 1);
        p.compare(id(1), id(2), CompareAnswer::B, 2);
        p.compare(id(1), id(3), CompareAnswer::UnseenA, 3);
        p.compare(
            id(1),
            StableId::Imdb("tt9999999".into()),
            CompareAnswer::A,
            4,
        );
        p.feedback(id(3), Action::Like, 5);
        let ev = crate::session::Visitor::new(&model, &p).evidence().clone();
        assert_eq!(
            ev.comparisons,
            vec![Comparison {
                a: 1,
                b: 2,
                answer: Preference::B
            }]
        );
        assert_eq!(
            ev.likes,
            vec![Like {
                item: 3,
                liked: true
            }]
        );
        assert_eq!(ev.len(), 3);
        let post = Posterior::fit_evidence(&model, &ev).unwrap();
        let only_rating = Posterior::fit(&model, &ev.observations).unwrap();
        let gap = |q: &Posterior| q.predict_mean(&model, 2) - q.predict_mean(&model, 1);
        assert!(gap(&post) > gap(&only_rating), "B was preferred to A");
    }

    /// The visitor's noise follows their ratings only: preferences and likes move the mean of
    /// z but leave q(σ_u²) exactly as the ratings alone make it, and with no rating at all it is
    /// the prior. Ratings far from the model's predictions widen the visitor's intervals.
    #[test]
    fn noise_follows_ratings_not_preferences() {
        let mut b = tiny_bundle();
        b.visitor.noise = crate::noise::NoisePrior {
            shape: 4.0,
            rate: 3.0 * 0.64,
        };
        let model = Model::from_bundle(b);
        let prefs = [
            Comparison {
                a: 1,
                b: 2,
                answer: Preference::A,
            },
            Comparison {
                a: 0,
                b: 3,
                answer: Preference::B,
            },
        ];
        let likes = [Like {
            item: 2,
            liked: false,
        }];
        let prior = Posterior::prior(&model).unwrap();
        let only_prefs = Posterior::fit_answers(&model, &[], &prefs, &likes).unwrap();
        assert_ne!(only_prefs.mean(), prior.mean());
        assert_eq!(only_prefs.noise(), prior.noise());
        let obs = [
            Observation {
                item: 0,
                rating: 4.5,
            },
            Observation {
                item: 3,
                rating: 2.0,
            },
        ];
        let with = Posterior::fit_answers(&model, &obs, &prefs, &likes).unwrap();
        assert_eq!(with.noise(), Posterior::fit(&model, &obs).unwrap().noise());
        assert_eq!(with.noise().shape, 4.0 + 1.0);
        // Predictable ratings vs erratic ones: the erratic visitor gets wider intervals.
        let calm: Vec<Observation> = (0..4)
            .map(|i| Observation {
                item: i,
                rating: Posterior::prior(&model).unwrap().predict_mean(&model, i),
            })
            .collect();
        let wild: Vec<Observation> = (0..4)
            .map(|i| Observation {
                item: i,
                rating: if i % 2 == 0 { 5.0 } else { 0.5 },
            })
            .collect();
        let sd = |o: &[Observation]| Posterior::fit(&model, o).unwrap().predict(&model, 2).sd();
        assert!(
            sd(&wild) > sd(&calm) * 1.2,
            "{} vs {}",
            sd(&wild),
            sd(&calm)
        );
    }
}
