//! `tools recommend`: recommendations for an IMDb "Your Ratings" export and/or a profile (the
//! same JSON the browser keeps), printed as the seeds' table or as JSON.

use std::collections::HashSet;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use moviematch::import::parse_imdb_ratings;
use moviematch::{recommend, Evidence, Posterior, Profile, RankOptions, Scale};

use super::load_model;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).multiple(true).args(["ratings", "profile"])))]
pub struct Args {
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// IMDb ratings export (CSV with `Const` and `Your Rating`, 1–10).
    #[arg(long)]
    pub ratings: Option<PathBuf>,
    /// A profile (the browser's format). Read if it exists; with --ratings, the export's
    /// ratings are added to it and it is written back.
    #[arg(long)]
    pub profile: Option<PathBuf>,
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Only movies of this genre (repeat for several; all must match).
    #[arg(long)]
    pub genre: Vec<String>,
    /// Predict every catalogue movie (no filters, rated ones included); needs --json.
    #[arg(long, requires = "json")]
    pub all: bool,
    /// Print JSON on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// One line of `--all --json`: a prediction on the input file's scale (IMDb: 1–10).
#[derive(serde::Serialize)]
struct Prediction {
    #[serde(rename = "movieId")]
    movie_id: u32,
    imdb: Option<String>,
    title: String,
    mean: f32,
    sd: f32,
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.bundle)?;
    let mut profile = match &a.profile {
        Some(p) if p.exists() => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read {}", p.display()))?;
            Profile::from_json(&text).with_context(|| {
                format!("{} is not a usable profile (left untouched)", p.display())
            })?
        }
        _ => Profile::default(),
    };
    if let Some(path) = &a.ratings {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let rows = parse_imdb_ratings(&bytes).with_context(|| format!("{}", path.display()))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_millis() as i64;
        for r in rows {
            profile.rate(r.item, r.value, r.scale, now);
        }
        if let Some(p) = &a.profile {
            // Write a sibling file, then rename: a crash never leaves half a profile.
            let tmp = p.with_extension("json.tmp");
            std::fs::write(&tmp, profile.to_json())
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, p).with_context(|| format!("cannot write {}", p.display()))?;
            eprintln!(
                "profile {} now holds {} ratings",
                p.display(),
                profile.ratings().len()
            );
        }
    }
    let mut genres = 0;
    for g in &a.genre {
        match model.genre_mask(g) {
            Some(m) => genres |= m,
            None => bail!(
                "unknown genre {g:?}; genres: {}",
                model.genre_names().join(", ")
            ),
        }
    }
    let ev = Evidence::from_profile(&model, &profile);
    eprintln!(
        "{} ratings used, {} not in this bundle",
        ev.observations.len(),
        ev.unknown.len()
    );
    let post = Posterior::fit_evidence(&model, &ev)?;
    // Predictions on the input's scale: IMDb's 1–10 for an export, the model's stars otherwise.
    let ms = model.header.scale;
    let ten = if a.ratings.is_some() {
        Scale::Ten.range()
    } else {
        ms
    };
    if a.all {
        let preds = post.predict_all(&model);
        let all: Vec<Prediction> = (0..model.len())
            .map(|i| {
                let m = model.movie(i);
                Prediction {
                    movie_id: m.movie_id,
                    imdb: m.tconst(),
                    title: m.title.clone(),
                    mean: ms.convert(ms.clamp(preds.mean[i]), &ten),
                    sd: ms.convert_spread(preds.sd(i), &ten),
                }
            })
            .collect();
        println!("{}", serde_json::to_string(&all)?);
        return Ok(());
    }
    let exclude: HashSet<usize> = ev.observations.iter().map(|o| o.item).collect();
    let recs = recommend(
        &model,
        &post,
        &exclude,
        &RankOptions {
            top: a.top,
            genres,
            ..RankOptions::default()
        },
    );
    println!(
        "{:>4} | {:<42} | {:>16} | {:>4} | {:>4} | Genres",
        "Rank", "Title", "Predicted (80%)", "IMDb", "Year"
    );
    println!(
        "{:-<5}+{:-<44}+{:-<18}+{:-<6}+{:-<6}+{:-<20}",
        "", "", "", "", "", ""
    );
    for (rank, r) in recs.iter().enumerate() {
        let m = model.movie(r.item);
        let title: String = m.title.chars().take(42).collect();
        println!(
            "{:>4} | {:<42} | {:>4.1} ({:>4.1}–{:<4.1}) | {:>4} | {:>4} | {}",
            rank + 1,
            title,
            ms.convert(r.mean, &ten),
            ms.convert(r.interval80.0, &ten),
            ms.convert(r.interval80.1, &ten),
            m.imdb_rating.map_or("–".into(), |v| format!("{v:.1}")),
            m.year.map_or("–".into(), |y| y.to_string()),
            model.genre_label(r.item)
        );
    }
    Ok(())
}
