//! One module per subcommand; `main.rs` only parses flags and dispatches.

pub mod eval;
pub mod inspect;
pub mod recommend;
pub mod report;
pub mod synth;
pub mod train;
pub mod tune;

use std::path::Path;

use anyhow::{Context, Result};
use moviematch::Model;

/// Reads and decodes a bundle, naming the file in any error.
pub fn load_model(path: &Path) -> Result<Model> {
    let bytes =
        std::fs::read(path).with_context(|| format!("cannot read bundle {}", path.display()))?;
    Model::from_bytes(&bytes).with_context(|| format!("{} is not a usable bundle", path.display()))
}
