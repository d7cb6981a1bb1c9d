//! Test data for every layer: a small synthetic release with planted factors, written to disk
//! and read back the way the evaluating commands read their inputs (half-star ratings, titles,
//! genres, IMDb averages that follow the planted movie bias).

use crate::data::catalogue::CatalogueInfo;
use crate::data::inputs::load_inputs;
use crate::data::movielens::Ratings;
use crate::data::synth::{synthesize, write_dataset, SynthParams};

/// 120 users, 60 movies, 3000 ratings, two planted factors.
pub fn small() -> SynthParams {
    SynthParams {
        users: 120,
        movies: 60,
        ratings: 3000,
        k: 2,
        noise: 0.3,
        seed: 21,
        factor_sd: 0.7,
    }
}

/// The ratings and catalogue of a synthetic release made with `p`.
pub fn synthetic_inputs(p: &SynthParams) -> (Ratings, CatalogueInfo) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (ml, imdb) = (dir.path().join("ml"), dir.path().join("imdb"));
    write_dataset(&synthesize(p), &ml, Some(&imdb), p.seed).expect("the data set is written");
    load_inputs(&ml, Some(&imdb), None).expect("the data set reads back")
}
