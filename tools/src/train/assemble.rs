//! Turning a fitted model and the catalogue (see [`CatalogueInfo`]) into a [`Bundle`]: IMDb
//! consensus, item features, int8 residual factors, the visitor prior and, when one was fitted,
//! the implicit model ([`implicit_params`]).

use std::collections::HashMap;

use anyhow::Result;
use moviematch::bundle::{quantize_row, Catalogue, Header, ItemParams, TrainingParams};
use moviematch::{Bundle, RatingScale};
use ndarray::Array2;

use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::Ratings;
use crate::train::ials::{implicit_params, IalsModel};
use crate::train::irt::{IrtModel, IrtParams};

/// Everything besides the model and the catalogue that goes into a bundle.
pub struct BundleInputs<'a> {
    pub train: &'a Ratings,
    pub dataset: String,
    pub created_unix: i64,
    pub holdout_fraction: f32,
    pub holdout_rmse: f32,
    pub holdout_rmse_bias_only: f32,
    /// The implicit model, if any.
    pub implicit: Option<ImplicitFit<'a>>,
}

/// An implicit model and the movieIds of its dense films: `train`'s films, then those only its
/// extra users watched (see `Ratings::with_extra_users`).
#[derive(Clone, Copy)]
pub struct ImplicitFit<'a> {
    pub model: &'a IalsModel,
    pub item_ids: &'a [u32],
}

pub fn assemble(
    model: &IrtModel,
    params: &IrtParams,
    cat: &CatalogueInfo,
    inp: &BundleInputs,
) -> Result<Bundle> {
    let (k, f) = (model.k, model.f);
    let e = k + 1;
    let dense: HashMap<u32, usize> = inp
        .train
        .item_ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let tau2 = &model.item_prior_var[..k];
    let mut c = Catalogue::default();
    let mut items = ItemParams::default();
    let mut n_rated = 0u32;
    let mut x = vec![0f32; f];
    let mut features = Array2::<f32>::zeros((cat.movies.len(), f));
    for (row, m) in cat.movies.iter().enumerate() {
        let imdb = cat.imdb[row];
        c.movie_id.push(m.movie_id);
        c.imdb_id.push(m.imdb_id.unwrap_or(0));
        c.year.push(cat.raw[row].year.unwrap_or(0));
        c.title.push(m.title.clone());
        c.genres.push(cat.raw[row].genres);
        c.imdb_rating_x10.push(
            imdb.map(|r| (r.average * 10.0).round().clamp(1.0, 100.0) as u8)
                .unwrap_or(0),
        );
        c.imdb_votes.push(imdb.map(|r| r.votes).unwrap_or(0));
        cat.spec.compute(&cat.raw[row], &mut x);
        features
            .row_mut(row)
            .assign(&ndarray::ArrayView1::from(&x[..]));
        let prior = model.prior_mean_of(&x);
        match dense.get(&m.movie_id) {
            Some(&i) if model.item_count[i] > 0 => {
                n_rated += 1;
                c.ml_count.push(model.item_count[i]);
                let y = &model.item_mean[i * e..(i + 1) * e];
                let resid: Vec<f32> = (0..k).map(|j| (y[j] - prior[j]) as f32).collect();
                let (q, s) = quantize_row(&resid);
                items.residual_rows.push(row as u32);
                items.residual_q.extend(q);
                items.residual_scale.push(s);
                let cov = model.item_cov_of(i);
                items.bias.push(y[k] as f32);
                items.bias_sd.push(cov[[k, k]].max(0.0).sqrt() as f32);
                // S_m ≈ s_m² diag(τ²): s_m² the mean ratio of posterior to prior variance.
                let ratio = (0..k).map(|j| cov[[j, j]] / tau2[j]).sum::<f64>() / k as f64;
                items.factor_sd_scale.push(ratio.max(0.0).sqrt() as f32);
            }
            _ => {
                c.ml_count.push(0);
                items.bias.push(prior[k] as f32);
                items.bias_sd.push(model.item_prior_var[k].sqrt() as f32);
                items.factor_sd_scale.push(1.0);
            }
        }
    }
    let (m0, lambda0) = model.visitor_prior();
    let mut hasher = crc32fast::Hasher::new();
    for v in &model.item_mean {
        hasher.update(&v.to_le_bytes());
    }
    let last = model.history.last();
    let header = Header {
        model_id: format!("irt-vi-k{k}-{:08x}", hasher.finalize()),
        k: k as u32,
        scale: RatingScale::STARS,
        global_mean: model.mu as f32,
        sigma: model.sigma2.sqrt() as f32,
        prior_mean: m0.iter().map(|&v| v as f32).collect(),
        prior_precision: {
            let mut p: Vec<f32> = lambda0.iter().map(|&v| v as f32).collect();
            crate::train::visitor::scale_feature_block(&mut p, k, f, params.feature_prior);
            p
        },
        features: cat.spec.clone(),
        factor_prior_mean: (0..k)
            .flat_map(|j| (0..=f).map(move |a| (j, a)))
            .map(|(j, a)| model.g[[j, a]] as f32)
            .collect(),
        factor_prior_var: tau2.iter().map(|&v| v as f32).collect(),
        bias_prior_var: model.item_prior_var[k] as f32,
        dataset: inp.dataset.clone(),
        n_ratings: inp.train.len() as u64,
        n_users: inp.train.n_users() as u32,
        n_rated_items: n_rated,
        training: TrainingParams {
            algorithm: "irt-vi".into(),
            epochs: last.map_or(0, |h| h.epoch as u32),
            reg_factors: 0.0,
            reg_bias: 0.0,
            seed: params.seed,
            holdout_fraction: inp.holdout_fraction,
            holdout_rmse: inp.holdout_rmse,
            holdout_rmse_bias_only: inp.holdout_rmse_bias_only,
        },
        created_unix: inp.created_unix,
        genre_names: cat.genre_names.clone(),
    };
    let dense_of_row: Vec<Option<usize>> = cat
        .movies
        .iter()
        .map(|m| {
            dense
                .get(&m.movie_id)
                .copied()
                .filter(|&i| model.item_count[i] > 0)
        })
        .collect();
    let year: Vec<Option<u16>> = cat.raw.iter().map(|r| r.year).collect();
    let visitor = crate::train::visitor::fit_visitor_model(
        model,
        inp.train,
        &crate::train::visitor::SeenInputs {
            dense_of_row: &dense_of_row,
            imdb_votes: &c.imdb_votes,
            year: &year,
        },
        params.seed,
    );
    let implicit = inp.implicit.map(|fit| {
        let dense: HashMap<u32, usize> = fit
            .item_ids
            .iter()
            .enumerate()
            .map(|(i, &id)| (id, i))
            .collect();
        let dense_rows: Vec<Option<usize>> = cat
            .movies
            .iter()
            .map(|mv| dense.get(&mv.movie_id).copied())
            .collect();
        implicit_params(fit.model, features.view(), &dense_rows)
    });
    let bundle = Bundle {
        header,
        catalogue: c,
        items,
        visitor,
        implicit,
        blend: None,
    };
    bundle.validate()?;
    Ok(bundle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::testdata::{small, synthetic_inputs};
    use crate::train::irt;

    /// Every catalogue movie is in the bundle; those without training ratings carry the content
    /// prior, the rated ones their fitted bias and count; the feature prior scales only the w
    /// block of the visitor prior.
    #[test]
    fn the_bundle_holds_the_whole_catalogue_and_the_rated_movies_fits() {
        let (ratings, cat) = synthetic_inputs(&small());
        // Every seventh movie gets no training ratings.
        let rows: Vec<usize> = (0..ratings.len())
            .filter(|&j| ratings.item[j] % 7 != 0)
            .collect();
        let train = ratings.select(&rows);
        let x = cat.item_features(&train);
        let f = cat.spec.len();
        let params = IrtParams {
            k: 2,
            epochs: 3,
            feature_prior: 1.0,
            ..IrtParams::default()
        };
        let model = irt::train(&train, None, &x, f, &params, |_| {});
        let inputs = BundleInputs {
            train: &train,
            dataset: "synthetic".into(),
            created_unix: 7,
            holdout_fraction: 0.0,
            holdout_rmse: f32::NAN,
            holdout_rmse_bias_only: f32::NAN,
            implicit: None,
        };
        let b = assemble(&model, &params, &cat, &inputs).unwrap();
        assert!(b.implicit.is_none());
        assert_eq!(b.len(), cat.movies.len());
        assert_eq!(b.header.n_ratings, train.len() as u64);
        assert_eq!(b.header.n_users, train.n_users() as u32);
        let (k, e) = (model.k, model.k + 1);
        let mut rated = 0;
        for (row, m) in cat.movies.iter().enumerate() {
            assert_eq!(b.catalogue.movie_id[row], m.movie_id);
            let dense = train.item_ids.iter().position(|&id| id == m.movie_id);
            let count = dense.map_or(0, |i| model.item_count[i]);
            assert_eq!(b.catalogue.ml_count[row], count, "movie {}", m.movie_id);
            if count > 0 {
                rated += 1;
                let i = dense.unwrap();
                assert_eq!(b.items.bias[row], model.item_mean[i * e + k] as f32);
            } else {
                let mut xr = vec![0f32; f];
                cat.spec.compute(&cat.raw[row], &mut xr);
                assert_eq!(b.items.bias[row], model.prior_mean_of(&xr)[k] as f32);
                assert_eq!(b.items.factor_sd_scale[row], 1.0);
            }
        }
        assert!(rated > 0 && rated < cat.movies.len());
        assert_eq!(b.header.n_rated_items, rated as u32);
        assert_eq!(b.items.residual_rows.len(), rated);
        assert!(moviematch::Model::from_bytes(&b.encode()).is_ok());

        let scaled = IrtParams {
            feature_prior: 4.0,
            ..params.clone()
        };
        let b4 = assemble(&model, &scaled, &cat, &inputs).unwrap();
        let d = model.d();
        let in_w = |j: usize| (k..k + f).contains(&j);
        for i in 0..d {
            for j in 0..d {
                let div = match (in_w(i), in_w(j)) {
                    (true, true) => 4.0,
                    (true, false) | (false, true) => 2.0,
                    _ => 1.0,
                };
                let (one, four) = (
                    b.header.prior_precision[i * d + j] as f64,
                    b4.header.prior_precision[i * d + j] as f64,
                );
                assert!(
                    (four - one / div).abs() <= 1e-6 * one.abs().max(1e-3),
                    "({i}, {j}): {one} → {four}"
                );
            }
        }
    }

    /// With an implicit model the bundle carries it: residuals for exactly the rated films, and
    /// the engine decodes it.
    #[test]
    fn the_implicit_model_goes_into_the_bundle() {
        let (ratings, cat) = synthetic_inputs(&small());
        let rows: Vec<usize> = (0..ratings.len())
            .filter(|&j| ratings.item[j] % 4 != 0)
            .collect();
        let train = ratings.select(&rows);
        let x = cat.item_features(&train);
        let f = cat.spec.len();
        let params = IrtParams {
            k: 2,
            epochs: 2,
            ..IrtParams::default()
        };
        let model = irt::train(&train, None, &x, f, &params, |_| {});
        let ip = crate::train::ials::IalsParams {
            k: 3,
            epochs: 2,
            ..Default::default()
        };
        let implicit = crate::train::ials::train(&train, &x, f, &ip, |_| {});
        let inputs = BundleInputs {
            train: &train,
            dataset: "synthetic".into(),
            created_unix: 7,
            holdout_fraction: 0.0,
            holdout_rmse: f32::NAN,
            holdout_rmse_bias_only: f32::NAN,
            implicit: Some(ImplicitFit {
                model: &implicit,
                item_ids: &train.item_ids,
            }),
        };
        let b = assemble(&model, &params, &cat, &inputs).unwrap();
        let p = b.implicit.as_ref().expect("an implicit model");
        assert_eq!(p.k, 3);
        assert_eq!(p.residual_rows, b.items.residual_rows);
        assert_eq!(p.n_items, b.header.n_rated_items);
        let engine = moviematch::Model::from_bytes(&b.encode()).unwrap();
        let items = engine.implicit().expect("decoded");
        assert_eq!(items.k(), 3);
    }
}
