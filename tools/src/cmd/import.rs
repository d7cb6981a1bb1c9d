//! `tools import FILE [--bundle B] [--profile P] [--replace] [--json]`: reads a ratings export
//! (IMDb CSV, Letterboxd CSV or Letterboxd's export zip) with the engine's importer
//! (`moviematch::import_plan::plan_import`), says how many rows the catalogue matched, and writes them
//! to the profile with the same rule the app uses (`ImportPlan::apply`: merge keeps the
//! profile's own ratings; `--replace` withdraws them first). IMDb rows match by id; Letterboxd
//! rows by normalised title and year ±1: a single best candidate is taken, several are
//! "ambiguous" and listed (kept in the profile as unmatched, never guessed). Rows nothing matches
//! are kept as unmatched entries: a later bundle may know them.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use moviematch::import_plan::{plan_import, ImportMode, ImportPlan, RowMatch};
use moviematch::Model;

use super::{load_model, load_profile, now_ms, save_profile};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The export: IMDb "Your Ratings" CSV, Letterboxd ratings.csv or the Letterboxd export zip.
    pub file: PathBuf,
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// The profile to add the rows to (created if missing; written back).
    #[arg(long)]
    pub profile: Option<PathBuf>,
    /// Withdraw the profile's ratings first instead of merging (a merge keeps every rating the
    /// profile already has).
    #[arg(long)]
    pub replace: bool,
    /// Print only the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Reads and matches an IMDb or Letterboxd export with the engine's importer; with `verbose`,
/// ambiguous rows and their candidates are listed on stdout. Shared with `tools recommend`.
pub fn read_export(model: &Model, bytes: &[u8], path: &Path, verbose: bool) -> Result<ImportPlan> {
    let plan = plan_import(model, bytes).with_context(|| format!("{}", path.display()))?;
    if verbose {
        for row in &plan.rows {
            if let RowMatch::Ambiguous { candidates, .. } = &row.status {
                let names: Vec<String> = candidates
                    .iter()
                    .take(5)
                    .map(|&i| {
                        let mv = model.movie(i);
                        let year = mv.year.map_or("?".into(), |y| y.to_string());
                        format!("{} ({year})", mv.title)
                    })
                    .collect();
                println!(
                    "ambiguous: {} ({}) could be {}",
                    row.title,
                    row.year.map_or("?".into(), |y| y.to_string()),
                    names.join(" / ")
                );
            }
        }
    }
    Ok(plan)
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.bundle)?;
    let bytes =
        std::fs::read(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    let plan = read_export(&model, &bytes, &a.file, !a.json)?;
    let summary = plan.counts();
    if let Some(p) = &a.profile {
        let mut profile = load_profile(p)?;
        let mode = if a.replace {
            ImportMode::Replace
        } else {
            ImportMode::Merge
        };
        let done = plan.apply(&model, &mut profile, mode, now_ms());
        save_profile(p, &profile)?;
        eprintln!(
            "profile {}: {} ratings added ({} not in this catalogue, kept), {} already rated kept, \
             {} withdrawn; it now holds {} ratings",
            p.display(),
            done.added,
            done.unmatched,
            done.kept_yours,
            done.withdrawn,
            profile.ratings().len()
        );
    }
    if a.json {
        println!("{}", serde_json::to_string(&summary)?);
    } else {
        println!(
            "{} {} rows: {} matched, {} ambiguous, {} not in this catalogue (all kept in the profile)",
            summary.rows, summary.format, summary.matched, summary.ambiguous, summary.unmatched
        );
    }
    Ok(())
}
