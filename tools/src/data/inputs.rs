//! The inputs every evaluating command (eval, report, tune, simulate) reads: a MovieLens folder
//! and the catalogue, with IMDb and an extra catalogue found next to it by default.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::{read_imdb_ratings, read_movies, read_ratings, Ratings};

fn sibling(movielens: &Path, name: &str) -> Option<PathBuf> {
    let p = movielens.parent()?.join(name);
    p.is_dir().then_some(p)
}

/// Reads the MovieLens folder and builds the catalogue, with `imdb` and `catalogue` defaulting
/// to the sibling folders `imdb/` and `ml-25m/` when they exist (every evaluating command).
pub fn load_inputs(
    movielens: &Path,
    imdb: Option<&Path>,
    catalogue: Option<&Path>,
) -> Result<(Ratings, CatalogueInfo)> {
    let ratings = read_ratings(movielens)?;
    let movies = read_movies(movielens)?;
    let imdb_dir = imdb
        .map(Path::to_path_buf)
        .or_else(|| sibling(movielens, "imdb"));
    let cat_dir = catalogue
        .map(Path::to_path_buf)
        .or_else(|| sibling(movielens, "ml-25m"));
    let imdb = match &imdb_dir {
        Some(d) => read_imdb_ratings(d)?,
        None => HashMap::new(),
    };
    let extra = match &cat_dir {
        Some(d) => read_movies(d)?,
        None => Vec::new(),
    };
    eprintln!(
        "{} ratings; IMDb: {}; extra catalogue: {}",
        ratings.len(),
        imdb_dir
            .as_ref()
            .map_or("none".into(), |d| d.display().to_string()),
        cat_dir
            .as_ref()
            .map_or("none".into(), |d| d.display().to_string())
    );
    let cat = CatalogueInfo::build(&movies, &extra, &imdb)?;
    Ok((ratings, cat))
}
