//! The catalogue a bundle is built over, before any model: the union of the training release and
//! `--catalogue` (keyed by movieId, de-duplicated by IMDb id), IMDb consensus attached, raw item
//! features and the feature spec centred and scaled over it.

use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::{bail, Result};
use moviematch::features::{FeatureSpec, RawFeatures};
use moviematch::title::parse_title;

use crate::data::movielens::{ImdbRating, MovieRow, Ratings};

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

    /// IMDb id → movieId of every catalogue film that has one.
    pub fn movie_of_imdb(&self) -> HashMap<u32, u32> {
        self.movies
            .iter()
            .filter_map(|m| Some((m.imdb_id?, m.movie_id)))
            .collect()
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
