//! `tools predict "Title" [--year Y] --profile P [--json]`: "would I like this one?" — any
//! catalogue film as the list would show it (prediction, 80% interval, reasons), wherever it
//! ranks; for a film the profile rated, predicted without that rating, beside it. The same
//! answer as the app's search results and pkg's `engine.predict` (the engine's
//! `Visitor::film`). An unknown title exits with status 2.

use std::path::PathBuf;

use anyhow::Result;
use moviematch::ListOptions;

use super::recommend::ListEntryOut;
use super::{find_title, load_model, load_profile, DriftArg, FilmArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub film: FilmArgs,
    /// The profile (the browser's format) to predict for.
    #[arg(long)]
    pub profile: PathBuf,
    /// Print one JSON object: `recommend --json`'s entry keys plus `yourRating` (stars, null if
    /// the profile has not rated the film).
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub drift: DriftArg,
}

/// `--json`'s object.
#[derive(serde::Serialize)]
struct PredictOut {
    #[serde(flatten)]
    entry: ListEntryOut,
    /// The profile's rating of the film in stars (as the stars widget shows it), if any; the
    /// prediction is then the one made without it.
    #[serde(rename = "yourRating")]
    your_rating: Option<f32>,
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.film.bundle)?;
    let profile = load_profile(&a.profile)?;
    let item = find_title(&model, &a.film.title, a.film.year)?;
    let visitor = a.drift.visitor(&model, &profile);
    let request = ListOptions::default().request(&profile.settings);
    let film = visitor.film(&model, item, &request)?;
    let entry = ListEntryOut::new(&model, &film.entry, model.header.scale);
    let your_rating = film.your_rating.as_ref().map(|r| r.stars());
    if a.json {
        let out = PredictOut { entry, your_rating };
        println!("{}", serde_json::to_string(&out)?);
        return Ok(());
    }
    let year = entry.year.map_or(String::new(), |y| format!(" ({y})"));
    println!(
        "{}{year}: {:.1}★ (80%: {:.1}–{:.1}){}",
        entry.title,
        entry.mean,
        entry.low,
        entry.high,
        match your_rating {
            Some(stars) => format!(" without your rating; you rated it {stars:.1}★"),
            None => String::new(),
        }
    );
    for reason in &entry.reasons {
        println!("  {reason}");
    }
    Ok(())
}
