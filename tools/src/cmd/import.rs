//! `tools import FILE [--bundle B] [--profile P] [--json]`: reads a ratings export with the
//! engine's importer, says how many rows the catalogue matched, and adds every row to the
//! profile (unmatched rows are kept as such: a later bundle may know them). Letterboxd is not
//! read yet; a Letterboxd file gets the importer's "not an IMDb export" message.

use std::path::PathBuf;

use anyhow::{Context, Result};
use moviematch::import::parse_imdb_ratings;
use serde::Serialize;

use super::{load_model, load_profile, now_ms, save_profile};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The export (IMDb "Your Ratings" CSV).
    pub file: PathBuf,
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// The profile to add the rows to (created if missing; written back).
    #[arg(long)]
    pub profile: Option<PathBuf>,
    /// Print only the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// The summary; `rows` = `matched` + `ambiguous` + `unmatched`.
#[derive(Debug, Serialize, PartialEq)]
pub struct Summary {
    pub format: &'static str,
    pub rows: usize,
    pub matched: usize,
    pub ambiguous: usize,
    pub unmatched: usize,
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.bundle)?;
    let bytes = std::fs::read(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    let rows = parse_imdb_ratings(&bytes).with_context(|| format!("{}", a.file.display()))?;
    let matched = rows.iter().filter(|r| model.resolve(&r.item).is_some()).count();
    let summary = Summary {
        format: "imdb",
        rows: rows.len(),
        matched,
        ambiguous: 0,
        unmatched: rows.len() - matched,
    };
    if let Some(p) = &a.profile {
        let mut profile = load_profile(p)?;
        let now = now_ms();
        for r in rows {
            profile.rate(r.item, r.value, r.scale, now);
        }
        save_profile(p, &profile)?;
        eprintln!("profile {} now holds {} ratings", p.display(), profile.ratings().len());
    }
    if a.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        println!(
            "{} rows: {} matched, {} not in this catalogue (kept in the profile)",
            summary.rows, summary.matched, summary.unmatched
        );
    }
    Ok(())
}
