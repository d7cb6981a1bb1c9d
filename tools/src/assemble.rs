//! Turning a fitted model and the catalogue sources into a [`Bundle`]: the catalogue union
//! (training release ∪ `--catalogue`, keyed by movieId, de-duplicated by IMDb id), IMDb
//! consensus, int8 factors and the visitor prior.

use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::{bail, Result};
use moviematch::bundle::{quantize_row, Catalogue, Header, ItemParams, TrainingParams};
use moviematch::title::parse_title;
use moviematch::{Bundle, RatingScale};

use crate::als::{AlsModel, AlsParams};
use crate::movielens::{ImdbRating, MovieRow, Ratings};

/// Everything besides the model that goes into a bundle.
pub struct BundleInputs<'a> {
    pub train: &'a Ratings,
    /// movies.csv (+links) of the training release.
    pub movies: &'a [MovieRow],
    /// An extra catalogue (e.g. ml-25m's movies.csv + links.csv), possibly empty.
    pub catalogue: &'a [MovieRow],
    pub imdb: &'a HashMap<u32, ImdbRating>,
    pub dataset: String,
    pub created_unix: i64,
    pub sigma: f64,
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

pub fn assemble(model: &AlsModel, params: &AlsParams, inp: &BundleInputs) -> Result<Bundle> {
    let movies = catalogue_union(inp.movies, inp.catalogue);
    let genre_names: Vec<String> = movies
        .iter()
        .flat_map(|m| m.genres.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if genre_names.len() > 32 {
        bail!("{} genres: the bundle holds at most 32", genre_names.len());
    }
    let genre_bit: HashMap<&str, u32> = genre_names
        .iter()
        .enumerate()
        .map(|(i, g)| (g.as_str(), 1u32 << i))
        .collect();
    let dense: HashMap<u32, usize> = inp
        .train
        .item_ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let inv_prec = model.item_bias_inv_precision(inp.train, params);
    // Movies without ratings get the prior: b_m = 0 with the spread of the learned biases.
    let rated_bias_var = {
        let n = model.item_b.len().max(1) as f64;
        model
            .item_b
            .iter()
            .map(|&b| (b as f64).powi(2))
            .sum::<f64>()
            / n
    };
    let k = model.k;
    let mut c = Catalogue::default();
    let mut items = ItemParams::default();
    let mut n_rated = 0u32;
    for m in &movies {
        let imdb = m.imdb_id.and_then(|i| inp.imdb.get(&i));
        c.movie_id.push(m.movie_id);
        c.imdb_id.push(m.imdb_id.unwrap_or(0));
        c.year.push(parse_title(&m.title).year.unwrap_or(0));
        c.title.push(m.title.clone());
        c.genres.push(
            m.genres
                .iter()
                .filter_map(|g| genre_bit.get(g.as_str()))
                .fold(0, |a, b| a | b),
        );
        c.imdb_rating_x10.push(
            imdb.map(|r| (r.average * 10.0).round().clamp(1.0, 100.0) as u8)
                .unwrap_or(0),
        );
        c.imdb_votes.push(imdb.map(|r| r.votes).unwrap_or(0));
        match dense.get(&m.movie_id) {
            Some(&i) if model.item_count[i] > 0 => {
                n_rated += 1;
                c.ml_count.push(model.item_count[i]);
                let (q, s) = quantize_row(&model.item_factors(i)[..k]);
                items.factors_q.extend(q);
                items.factor_scale.push(s);
                items.bias.push(model.item_b[i]);
                items.bias_sd.push((inp.sigma * inv_prec[i].sqrt()) as f32);
            }
            _ => {
                c.ml_count.push(0);
                items.factors_q.extend(std::iter::repeat_n(0i8, k));
                items.factor_scale.push(0.0);
                items.bias.push(0.0);
                items.bias_sd.push(rated_bias_var.sqrt() as f32);
            }
        }
    }
    let (m0, lambda0) = model.visitor_prior(inp.train, params, inp.sigma);
    let mut hasher = crc32fast::Hasher::new();
    for v in &model.item_f {
        hasher.update(&v.to_le_bytes());
    }
    let header = Header {
        model_id: format!("als-k{k}-{:08x}", hasher.finalize()),
        k: k as u32,
        scale: RatingScale::STARS,
        global_mean: model.mu,
        sigma: inp.sigma as f32,
        prior_mean: m0.iter().map(|&v| v as f32).collect(),
        prior_precision: lambda0.iter().map(|&v| v as f32).collect(),
        dataset: inp.dataset.clone(),
        n_ratings: inp.train.len() as u64,
        n_users: inp.train.n_users() as u32,
        n_rated_items: n_rated,
        training: TrainingParams {
            algorithm: "als-map".into(),
            epochs: model.epochs_run as u32,
            reg_factors: params.reg_factors as f32,
            reg_bias: params.reg_bias as f32,
            seed: params.seed,
            holdout_fraction: inp.holdout_fraction,
            holdout_rmse: inp.holdout_rmse,
            holdout_rmse_bias_only: inp.holdout_rmse_bias_only,
        },
        created_unix: inp.created_unix,
        genre_names,
    };
    let bundle = Bundle {
        header,
        catalogue: c,
        items,
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
