//! `tools import FILE [--bundle B] [--profile P] [--json]`: reads a ratings export with the
//! engine's importer, says how many rows the catalogue matched, and adds every row to the
//! profile (unmatched rows are kept as such: a later bundle may know them). IMDb rows match by
//! IMDb id; Letterboxd rows (no ids) by normalised title and year ±1 (`moviematch::title_match`):
//! a single best candidate is taken, several are "ambiguous" and listed for the visitor to
//! choose (kept in the profile as unmatched until then, never guessed).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use moviematch::import::{
    detect_format, parse_imdb_ratings, parse_letterboxd_ratings, ExportFormat,
};
use moviematch::title_match::{TitleIndex, TitleMatch};
use moviematch::{Model, Scale, StableId};
use serde::Serialize;

use super::{load_model, load_profile, now_ms, save_profile};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The export: IMDb "Your Ratings" CSV or Letterboxd ratings.csv.
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

/// Every row of an IMDb or Letterboxd export as (id, value, scale), with the summary; with
/// `verbose`, ambiguous Letterboxd rows are listed on stdout. Shared with `tools recommend`.
pub fn read_export(
    model: &Model,
    bytes: &[u8],
    path: &Path,
    verbose: bool,
) -> Result<(Summary, Vec<(StableId, f32, Scale)>)> {
    let mut rows: Vec<(StableId, f32, Scale)> = Vec::new();
    let (format, mut matched, mut ambiguous) = match detect_format(&bytes) {
        Some(ExportFormat::Letterboxd) => {
            let index = TitleIndex::build(&model);
            let (mut m, mut amb) = (0, 0);
            for r in
                parse_letterboxd_ratings(&bytes).with_context(|| format!("{}", path.display()))?
            {
                let id = match index.find(&model, &r.name, r.year) {
                    TitleMatch::Unique { item, .. } => {
                        m += 1;
                        model.stable_id(item)
                    }
                    found => {
                        if let TitleMatch::Ambiguous(c) = &found {
                            amb += 1;
                            if verbose {
                                let names: Vec<String> = c
                                    .iter()
                                    .take(5)
                                    .map(|&i| {
                                        let mv = model.movie(i);
                                        format!(
                                            "{} ({})",
                                            mv.title,
                                            mv.year.map_or("?".into(), |y| y.to_string())
                                        )
                                    })
                                    .collect();
                                println!(
                                    "ambiguous: {} ({:?}) could be {}",
                                    r.name,
                                    r.year,
                                    names.join(" / ")
                                );
                            }
                        }
                        StableId::Unmatched {
                            title: r.name.clone(),
                            year: r.year,
                            source: "letterboxd".into(),
                        }
                    }
                };
                rows.push((id, r.stars, Scale::Stars));
            }
            ("letterboxd", m, amb)
        }
        _ => {
            let parsed =
                parse_imdb_ratings(&bytes).with_context(|| format!("{}", path.display()))?;
            let m = parsed
                .iter()
                .filter(|r| model.resolve(&r.item).is_some())
                .count();
            rows.extend(parsed.into_iter().map(|r| (r.item, r.value, r.scale)));
            ("imdb", m, 0)
        }
    };
    matched = matched.min(rows.len());
    ambiguous = ambiguous.min(rows.len() - matched);
    let summary = Summary {
        format,
        rows: rows.len(),
        matched,
        ambiguous,
        unmatched: rows.len() - matched - ambiguous,
    };
    Ok((summary, rows))
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.bundle)?;
    let bytes =
        std::fs::read(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    let (summary, rows) = read_export(&model, &bytes, &a.file, !a.json)?;
    if let Some(p) = &a.profile {
        let mut profile = load_profile(p)?;
        let now = now_ms();
        for (id, value, scale) in rows {
            profile.rate(id, value, scale, now);
        }
        save_profile(p, &profile)?;
        eprintln!(
            "profile {} now holds {} ratings",
            p.display(),
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
