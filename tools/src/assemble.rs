//! Turning a fitted model and the catalogue sources into a [`Bundle`]: the catalogue union
//! (training release ∪ `--catalogue`, keyed by movieId, de-duplicated by IMDb id), IMDb
//! consensus, item features, int8 residual factors and the visitor prior.

use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::{bail, Result};
use moviematch::bundle::{quantize_row, Catalogue, Header, ItemParams, TrainingParams};
use moviematch::features::{FeatureSpec, RawFeatures};
use moviematch::title::parse_title;
use moviematch::{Bundle, RatingScale};

use crate::irt::{IrtModel, IrtParams};
use crate::movielens::{ImdbRating, MovieRow, Ratings};

/// The bundle's catalogue before any model: movies, their raw features and the feature spec.
pub struct CatalogueInfo {
    pub movies: Vec<MovieRow>,
    pub raw: Vec<RawFeatures>,
    pub imdb: Vec<Option<ImdbRating>>,
    pub genre_names: Vec<String>,
    pub spec: FeatureSpec,
    by_movie_id: HashMap<u32, usize>,
}

impl CatalogueInfo {
    /// The union catalogue with IMDb data attached; features are centred and scaled over it.
    pub fn build(
        primary: &[MovieRow],
        extra: &[MovieRow],
        imdb: &HashMap<u32, ImdbRating>,
    ) -> Result<CatalogueInfo> {
        let movies = catalogue_union(primary, extra);
        let genre_names: Vec<String> = movies
            .iter()
            .flat_map(|m| m.genres.iter().cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if genre_names.len() > 32 {
            bail!("{} genres: the bundle holds at most 32", genre_names.len());
        }
        let bit: HashMap<&str, u32> = genre_names
            .iter()
            .enumerate()
            .map(|(i, g)| (g.as_str(), 1u32 << i))
            .collect();
        let imdb: Vec<Option<ImdbRating>> = movies
            .iter()
            .map(|m| m.imdb_id.and_then(|i| imdb.get(&i).copied()))
            .collect();
        let raw: Vec<RawFeatures> = movies
            .iter()
            .zip(&imdb)
            .map(|(m, r)| RawFeatures {
                imdb_rating: r.map(|r| (r.average * 10.0).round().clamp(1.0, 100.0) / 10.0),
                imdb_votes: r.map_or(0, |r| r.votes),
                year: parse_title(&m.title).year,
                genres: m
                    .genres
                    .iter()
                    .filter_map(|g| bit.get(g.as_str()))
                    .fold(0, |a, b| a | b),
            })
            .collect();
        let spec = FeatureSpec::fit(&raw, genre_names.len());
        let by_movie_id = movies
            .iter()
            .enumerate()
            .map(|(i, m)| (m.movie_id, i))
            .collect();
        Ok(CatalogueInfo {
            movies,
            raw,
            imdb,
            genre_names,
            spec,
            by_movie_id,
        })
    }

    /// Features of every dense item of `train` (n_items × F); a rated movie missing from
    /// movies.csv gets the features of an unknown movie.
    pub fn item_features(&self, train: &Ratings) -> Vec<f32> {
        let f = self.spec.len();
        let unknown = RawFeatures {
            imdb_rating: None,
            imdb_votes: 0,
            year: None,
            genres: 0,
        };
        let mut x = vec![0f32; train.n_items() * f];
        for (i, id) in train.item_ids.iter().enumerate() {
            let raw = self.by_movie_id.get(id).map_or(unknown, |&c| self.raw[c]);
            self.spec.compute(&raw, &mut x[i * f..(i + 1) * f]);
        }
        x
    }
}

/// Everything besides the model and the catalogue that goes into a bundle.
pub struct BundleInputs<'a> {
    pub train: &'a Ratings,
    pub dataset: String,
    pub created_unix: i64,
    pub holdout_fraction: f32,
    pub holdout_rmse: f32,
    pub holdout_rmse_bias_only: f32,
}

/// Movies in the union of `primary` and `extra`: by movieId, skipping an extra movie whose IMDb
/// id is already present under another movieId. Sorted by movieId.
pub fn catalogue_union(primary: &[MovieRow], extra: &[MovieRow]) -> Vec<MovieRow> {
    let mut by_id: HashMap<u32, MovieRow> = HashMap::new();
    let mut imdb_seen: HashSet<u32> = HashSet::new();
    for m in primary.iter().chain(extra) {
        if by_id.contains_key(&m.movie_id) || m.imdb_id.is_some_and(|i| imdb_seen.contains(&i)) {
            continue;
        }
        if let Some(i) = m.imdb_id {
            imdb_seen.insert(i);
        }
        by_id.insert(m.movie_id, m.clone());
    }
    let mut out: Vec<MovieRow> = by_id.into_values().collect();
    out.sort_by_key(|m| m.movie_id);
    out
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
            crate::tune::scale_feature_block(&mut p, k, f, params.feature_prior);
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
    let visitor = crate::visitor::fit_visitor_model(
        model,
        inp.train,
        &crate::visitor::SeenInputs {
            dense_of_row: &dense_of_row,
            imdb_votes: &c.imdb_votes,
            year: &year,
        },
        params.seed,
    );
    let bundle = Bundle {
        header,
        catalogue: c,
        items,
        visitor,
    };
    bundle.validate()?;
    Ok(bundle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(id: u32, imdb: Option<u32>) -> MovieRow {
        MovieRow {
            movie_id: id,
            title: format!("M{id} (2000)"),
            genres: vec![],
            imdb_id: imdb,
        }
    }

    #[test]
    fn union_keys_by_movie_id_and_dedups_by_imdb() {
        let small = [row(1, Some(10)), row(150548, Some(99))];
        let big = [
            row(1, Some(10)),
            row(2, Some(20)),
            row(205303, Some(99)),
            row(3, None),
        ];
        let ids: Vec<u32> = catalogue_union(&small, &big)
            .iter()
            .map(|m| m.movie_id)
            .collect();
        assert_eq!(ids, vec![1, 2, 3, 150548]);
    }
}
