//! One module per subcommand; `main.rs` only parses flags and dispatches.

pub mod eval;
pub mod inspect;
pub mod recommend;
pub mod report;
pub mod simulate;
pub mod synth;
pub mod train;
pub mod tune;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use moviematch::Model;

use crate::assemble::CatalogueInfo;
use crate::movielens::Ratings;

/// The data every evaluating command (eval, report, tune) reads. `tools train` names its
/// inputs explicitly instead: a product build should not change with what lies next to it.
#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// A MovieLens release folder (ratings.csv, movies.csv, links.csv).
    #[arg(long)]
    pub movielens: PathBuf,
    /// IMDb folder (title.ratings.tsv); default: the sibling folder `imdb/` when it exists.
    #[arg(long)]
    pub imdb: Option<PathBuf>,
    /// Extra catalogue folder; default: the sibling folder `ml-25m/` when it exists.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
}

impl DataArgs {
    /// The ratings and the catalogue (see [`eval::load_inputs`]).
    pub fn load(&self) -> Result<(Ratings, CatalogueInfo)> {
        eval::load_inputs(
            &self.movielens,
            self.imdb.as_deref(),
            self.catalogue.as_deref(),
        )
    }
}

/// Reads and decodes a bundle, naming the file in any error.
pub fn load_model(path: &Path) -> Result<Model> {
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read bundle {}", path.display()))?;
    Model::from_bytes(&bytes).with_context(|| format!("{} is not a usable bundle", path.display()))
}
