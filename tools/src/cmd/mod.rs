//! One module per subcommand; `main.rs` only parses flags and dispatches.

pub mod calibrate;
pub mod eval;
pub mod import;
pub mod inspect;
pub mod rate;
pub mod recommend;
pub mod report;
pub mod simulate;
pub mod synth;
pub mod train;
pub mod tune;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use moviematch::{Model, Profile};

use crate::data::catalogue::CatalogueInfo;
use crate::data::inputs::load_inputs;
use crate::data::movielens::Ratings;

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
    /// The ratings and the catalogue (see [`load_inputs`]).
    pub fn load(&self) -> Result<(Ratings, CatalogueInfo)> {
        load_inputs(
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

/// Reads a profile (the browser's format) if the file exists, else an empty one. A profile that
/// cannot be read is an error and the file is left untouched.
pub fn load_profile(path: &Path) -> Result<Profile> {
    if !path.exists() {
        return Ok(Profile::default());
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Profile::from_json(&text).with_context(|| {
        format!(
            "{} is not a usable profile (left untouched)",
            path.display()
        )
    })
}

/// Writes a profile through a sibling file and a rename: a crash never leaves half a profile.
pub fn save_profile(path: &Path, profile: &Profile) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, profile.to_json())
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Milliseconds since the unix epoch, for profile events.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
