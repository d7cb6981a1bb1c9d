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
use crate::eval::baselines::ials::Ials;
use crate::eval::baselines::imdb_average::ImdbAverage;
use crate::eval::baselines::knn_item::ItemKnn;
use crate::eval::baselines::knn_user::UserKnn;
use crate::eval::baselines::mf::Mf;
use crate::eval::baselines::popularity::Popularity;
use crate::eval::baselines::{Recommender, SideInfo, TrainData, UserQuery};
use crate::train::ials::IalsParams;
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
    s.features = cat.item_features(r);
    s.n_features = cat.spec.len();
    s
}

/// Every baseline of the comparison, fitted on `data`, in report order; `ials` with `implicit`.
pub fn fit_baselines<'a>(
    data: &'a TrainData<'a>,
    implicit: &IalsParams,
) -> Vec<Box<dyn Recommender + 'a>> {
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
        Box::new(Ials::fit_with(data, implicit)),
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
        .map(|(n, ss)| VisitorNoise::updated(engine.visitor().noise, m.sigma2, n as f64, ss))
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

/// The baselines' names in report order (tests).
#[cfg(test)]
pub(crate) const BASELINES: [&str; 10] = [
    "global-mean",
    "popularity",
    "imdb-average",
    "bias",
    "user-knn-pearson",
    "item-knn",
    "genre-content",
    "mf",
    "ease",
    "ials",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::testdata::{small, synthetic_inputs};
    use crate::eval::fit::train_irt_with;
    use crate::train::irt::IrtParams;

    #[test]
    fn baselines_come_in_report_order() {
        let (ratings, cat) = synthetic_inputs(&small());
        let side = side_info(&ratings, &cat);
        let data = TrainData {
            ratings: &ratings,
            side: &side,
        };
        let names = |v: Vec<Box<dyn Recommender + '_>>| -> Vec<&'static str> {
            v.iter().map(|m| m.name()).collect()
        };
        assert_eq!(
            names(fit_baselines(&data, &IalsParams::default())),
            BASELINES
        );
        assert_eq!(
            names(fit_content_baselines(&data)),
            ["global-mean", "imdb-average", "bias", "genre-content"]
        );
    }

    #[test]
    fn side_info_follows_the_dense_items() {
        let (ratings, cat) = synthetic_inputs(&small());
        let side = side_info(&ratings, &cat);
        assert_eq!(side.genres.len(), ratings.n_items());
        for (i, id) in ratings.item_ids.iter().enumerate() {
            let row = cat.movies.iter().position(|m| m.movie_id == *id).unwrap();
            assert_eq!(side.genres[i], cat.raw[row].genres);
            assert_eq!(side.imdb_average[i], cat.raw[row].imdb_rating);
            assert_eq!(side.imdb_votes[i], cat.raw[row].imdb_votes);
        }
        // The synthetic IMDb file leaves out every tenth movie.
        assert!(side.imdb_average.iter().any(Option::is_none));
        assert!(side.imdb_average.iter().filter(|a| a.is_some()).count() > ratings.n_items() / 2);
    }

    /// The int8 bundle changes predictions and intervals only by its rounding.
    #[test]
    fn the_int8_round_trip_stays_close_to_the_f32_model() {
        let (ratings, cat) = synthetic_inputs(&small());
        let params = IrtParams {
            k: 2,
            epochs: 4,
            ..IrtParams::default()
        };
        let fit = train_irt_with(&ratings, &cat, 3, &params, None, &[], |_, _| {});
        let f32m = IrtF32::new(&fit.model);
        let int8 = IrtInt8::new(&fit.model, &fit.engine, &ratings);
        let items: Vec<u32> = (0..ratings.n_items() as u32).collect();
        let (mut a, mut b) = (vec![0f32; items.len()], vec![0f32; items.len()]);
        let (mut worst, mut var_ratio) = (0f32, Vec::new());
        for u in 0..20u32 {
            let q = UserQuery {
                trained: Some(u),
                history: &[],
            };
            f32m.predict(q, &items, &mut a);
            int8.predict(q, &items, &mut b);
            for (i, (x, y)) in a.iter().zip(&b).enumerate() {
                worst = worst.max((x - y).abs());
                let (vf, vi) = (
                    f32m.gaussian_var(u as usize, i),
                    int8.gaussian_var(u as usize, i),
                );
                assert!(vf > 0.0 && vi > 0.0, "user {u} item {i}: {vf} {vi}");
                var_ratio.push(vi / vf);
            }
        }
        assert!(worst < 0.02, "largest difference {worst}");
        let mean_ratio = var_ratio.iter().sum::<f64>() / var_ratio.len() as f64;
        assert!((0.9..1.1).contains(&mean_ratio), "{mean_ratio}");
        // Both carry at least the rating noise.
        let sigma2 = fit.model.sigma2;
        assert!((0..ratings.n_items()).all(|i| f32m.gaussian_var(0, i) > 0.5 * sigma2));
    }
}
