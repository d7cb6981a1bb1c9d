//! `tools similar "Title" [--year Y] [--profile P] [--json]`: "more like this" — the film's
//! nearest films by both models, re-ranked for the profile (an empty profile without
//! `--profile`), as the app's movie view and pkg's `engine.similar` show them (the engine's
//! `Visitor::similar`). An unknown title exits with status 2.

use std::path::PathBuf;

use anyhow::Result;
use moviematch::{ListOptions, Profile};

use super::recommend::ListEntryOut;
use super::{find_title, load_model, load_profile, DriftArg, FilmArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub film: FilmArgs,
    /// The profile (the browser's format) to re-rank for; without it, a new visitor's.
    #[arg(long)]
    pub profile: Option<PathBuf>,
    /// Print one JSON object: the film (`movieId`, `title`, `year`), `fromContentPrior` and
    /// `similar`, `recommend --json`'s entries.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub drift: DriftArg,
}

/// `--json`'s object.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct SimilarOut {
    movie_id: u32,
    title: String,
    year: Option<u16>,
    /// The film has no ratings in the training data: neighbours from its content prior.
    from_content_prior: bool,
    similar: Vec<ListEntryOut>,
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.film.bundle)?;
    let profile = match &a.profile {
        Some(p) => load_profile(p)?,
        None => Profile::default(),
    };
    let item = find_title(&model, &a.film.title, a.film.year)?;
    let visitor = a.drift.visitor(&model, &profile);
    let request = ListOptions::default().request(&profile.settings);
    let similar = visitor.similar(&model, item, &request)?;
    let m = model.movie(item);
    let out = SimilarOut {
        movie_id: m.movie_id,
        title: m.title.clone(),
        year: m.year,
        from_content_prior: similar.from_content_prior,
        similar: similar
            .entries
            .iter()
            .map(|e| ListEntryOut::new(&model, e, model.header.scale))
            .collect(),
    };
    if a.json {
        println!("{}", serde_json::to_string(&out)?);
        return Ok(());
    }
    let year = |y: Option<u16>| y.map_or(String::new(), |y| format!(" ({y})"));
    println!("More like {}{}:", out.title, year(out.year));
    if out.from_content_prior {
        println!(
            "  (no ratings in the training data: neighbours by its genres, year and IMDb figures)"
        );
    }
    for (rank, e) in out.similar.iter().enumerate() {
        println!(
            "{:>3}. {}{}: {:.1}★ ({:.1}–{:.1}){}",
            rank + 1,
            e.title,
            year(e.year),
            e.mean,
            e.low,
            e.high,
            e.reasons
                .first()
                .map_or(String::new(), |r| format!(" — {r}"))
        );
    }
    Ok(())
}
