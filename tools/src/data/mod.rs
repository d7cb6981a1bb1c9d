//! The bottom layer: reading and generating data, and splitting it. Nothing here knows about
//! models.
//!
//! - [`movielens`]: MovieLens and IMDb files into dense [`movielens::Ratings`].
//! - [`movietweetings`]: MovieTweetings' IMDb users as extra watchers for the implicit model.
//! - [`csr`]: rows grouped by user or movie.
//! - [`synth`]: synthetic MovieLens-format data with planted factors (tests, `tools synth`).
//! - [`split`]: seeded random and per-user time splits.
//! - [`catalogue`]: the union catalogue with IMDb data and item features.
//! - [`inputs`]: the ratings and catalogue every evaluating command reads.

pub mod catalogue;
pub mod csr;
pub mod inputs;
pub mod movielens;
pub mod movietweetings;
pub mod split;
pub mod synth;
#[cfg(test)]
pub(crate) mod testdata;
