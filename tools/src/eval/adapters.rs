//! The models of the comparison behind one interface ([`Recommender`]): the baselines fitted
//! in report order, and the IRT model twice, in f32 as trained ([`IrtF32`]) and after the int8
//! bundle round trip through the engine ([`IrtInt8`], the numbers users get). Both IRT adapters
//! also give predictive intervals ([`Intervals`]).

use std::collections::HashMap;

use moviematch::noise::{Predictive, VisitorNoise};
use moviematch::Model;

use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::Ratings;
use crate::eval::baselines::bias::BiasModel;
use crate::eval::baselines::ease::Ease;
use crate::eval::baselines::genre_content::GenreContent;
use crate::eval::baselines::global_mean::GlobalMean;
use crate::eval::baselines::imdb_average::ImdbAverage;
use crate::eval::baselines::knn_item::ItemKnn;
use crate::eval::baselines::knn_user::UserKnn;
use crate::eval::baselines::mf::Mf;
use crate::eval::baselines::popularity::Popularity;
use crate::eval::baselines::{Recommender, SideInfo, TrainData, UserQuery};
use crate::train::irt::IrtModel;

/// Item side information for the dense items of `r`.
pub fn side_info(r: &Ratings, cat: &CatalogueInfo) -> SideInfo {
    let by_id: HashMap<u32, usize> = cat
        .movies
        .iter()
        .enumerate()
        .map(|(i, m)| (m.movie_id, i))
        .collect();
    let mut s = SideInfo::default();
    for id in &r.item_ids {
        let row = by_id.get(id).copied();
        s.genres.push(row.map_or(0, |c| cat.raw[c].genres));
        s.imdb_average
            .push(row.and_then(|c| cat.raw[c].imdb_rating));
        s.imdb_votes.push(row.map_or(0, |c| cat.raw[c].imdb_votes));
    }
    s
}

/// Every baseline of the comparison, fitted on `data`, in report order.
pub fn fit_baselines<'a>(data: &'a TrainData<'a>) -> Vec<Box<dyn Recommender + 'a>> {
    vec![
        Box::new(GlobalMean::fit(data)),
        Box::new(Popularity::fit(data)),
        Box::new(ImdbAverage::fit(data)),
        Box::new(BiasModel::fit(data)),
        Box::new(UserKnn::fit(data)),
        Box::new(ItemKnn::fit(data)),
        Box::new(GenreContent::fit(data)),
        Box::new(Mf::fit(data)),
        Box::new(Ease::fit(data)),
    ]
}

/// The baselines that can predict a movie nobody rated (from the means, its IMDb average or its
/// genres), fitted on `data`, in report order: the `cold-items` comparison.
pub fn fit_content_baselines<'a>(data: &'a TrainData<'a>) -> Vec<Box<dyn Recommender + 'a>> {
    vec![
        Box::new(GlobalMean::fit(data)),
        Box::new(ImdbAverage::fit(data)),
        Box::new(BiasModel::fit(data)),
        Box::new(GenreContent::fit(data)),
    ]
}

/// Predictive intervals, for the models that have them.
pub trait Intervals {
    /// Gaussian predictive variance for (trained user, item) at the population noise σ̄²; the
    /// user's own noise (see [`user_noise`]) turns it into a Student-t.
    fn gaussian_var(&self, user: usize, item: usize) -> f64;
}

/// Every training user's q(σ_u²) under the bundle's noise prior, from their training ratings:
/// the engine's formula for a visitor (see `moviematch::noise`).
pub fn user_noise(m: &IrtModel, engine: &Model, train: &Ratings) -> Vec<VisitorNoise> {
    crate::train::visitor::user_noise_stats(m, train)
        .into_iter()
        .map(|(n, ss)| VisitorNoise::updated(engine.visitor().noise, m.sigma2, n, ss))
        .collect()
}

/// Trained user `u`'s predictive distribution for dense item `i` under their own noise: the
/// model's mean (as it predicts it) and the Student-t around it.
pub fn predictive<M: Recommender + Intervals>(
    model: &M,
    noise: &VisitorNoise,
    u: usize,
    i: u32,
) -> (f32, Predictive) {
    let mut mean = [0f32];
    model.predict(
        UserQuery {
            trained: Some(u as u32),
            history: &[],
        },
        &[i],
        &mut mean,
    );
    let p = noise.predictive(mean[0] as f64, model.gaussian_var(u, i as usize));
    (mean[0], p)
}

/// The IRT model as trained (f32 item means, full item covariances).
pub struct IrtF32<'a> {
    m: &'a IrtModel,
}

impl<'a> IrtF32<'a> {
    pub fn new(m: &'a IrtModel) -> Self {
        IrtF32 { m }
    }
}

impl Recommender for IrtF32<'_> {
    fn name(&self) -> &'static str {
        "irt-f32"
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let u = user.trained.expect("random-split users are trained") as usize;
        for (o, &i) in out.iter_mut().zip(items) {
            *o = self.m.raw(u, i as usize) as f32;
        }
    }
}

impl Intervals for IrtF32<'_> {
    fn gaussian_var(&self, u: usize, i: usize) -> f64 {
        let m = self.m;
        let (k, f, d) = (m.k, m.f, m.d());
        let e = k + 1;
        let z = &m.user_mean[u * d..(u + 1) * d];
        let sz = m.user_cov_of(u);
        let sy = m.item_cov_of(i);
        let y = &m.item_mean[i * e..(i + 1) * e];
        let mut xt = vec![0f64; d];
        xt[..k].copy_from_slice(&y[..k]);
        for c in 0..f {
            xt[k + c] = m.x[i * f + c] as f64;
        }
        xt[d - 1] = 1.0;
        let mut var = m.sigma2 + sy[[k, k]];
        for a in 0..d {
            for b in 0..d {
                var += xt[a] * sz[[a, b]] * xt[b];
            }
        }
        for a in 0..k {
            var += 2.0 * z[a] * sy[[a, k]];
            for b in 0..k {
                var += sy[[a, b]] * (z[a] * z[b] + sz[[a, b]]);
            }
        }
        var.max(0.0)
    }
}

/// The IRT model after the int8 bundle round trip: item side from the engine's decoded model,
/// user side from training.
pub struct IrtInt8<'a> {
    m: &'a IrtModel,
    engine: &'a Model,
    /// Dense item → catalogue index in the bundle.
    row: Vec<usize>,
}

impl<'a> IrtInt8<'a> {
    pub fn new(m: &'a IrtModel, engine: &'a Model, train: &Ratings) -> Self {
        let row = train
            .item_ids
            .iter()
            .map(|&id| {
                engine
                    .by_movielens_id(id)
                    .expect("trained movies are in the bundle")
            })
            .collect();
        IrtInt8 { m, engine, row }
    }
}

impl Recommender for IrtInt8<'_> {
    fn name(&self) -> &'static str {
        "irt-int8"
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let u = user.trained.expect("random-split users are trained") as usize;
        let d = self.m.d();
        let z = &self.m.user_mean[u * d..(u + 1) * d];
        let x = self.engine.design();
        for (o, &i) in out.iter_mut().zip(items) {
            let r = self.row[i as usize];
            let dot: f64 = x.row(r).iter().zip(z).map(|(a, b)| *a as f64 * b).sum();
            *o = (self.engine.offsets()[r] as f64 + dot) as f32;
        }
    }
}

impl Intervals for IrtInt8<'_> {
    fn gaussian_var(&self, u: usize, i: usize) -> f64 {
        let (m, eng) = (self.m, self.engine);
        let (k, d) = (m.k, m.d());
        let r = self.row[i];
        let z = &m.user_mean[u * d..(u + 1) * d];
        let sz = m.user_cov_of(u);
        let x = eng.design().row(r);
        let mut var = (eng.header.sigma as f64).powi(2) + eng.bias_variances()[r] as f64;
        for a in 0..d {
            for b in 0..d {
                var += x[a] as f64 * sz[[a, b]] * x[b] as f64;
            }
        }
        let tau2 = eng.factor_prior_var();
        let c: f64 = (0..k)
            .map(|j| tau2[j] as f64 * (z[j].powi(2) + sz[[j, j]]))
            .sum();
        var += eng.factor_var_scales()[r] as f64 * c;
        var.max(0.0)
    }
}
