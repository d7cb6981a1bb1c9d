//! `tools recommend`: recommendations for an IMDb "Your Ratings" export and/or a profile (the
//! same JSON the browser keeps), printed as the seeds' table or as JSON.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use moviematch::import::ExportFormat;
use moviematch::import_plan::ImportMode;
use moviematch::rank::LIST_LENGTH;
use moviematch::{ListEntry, ListOptions, Model, Profile, RatingScale, Scale, Visitor};

use super::{load_model, load_profile, save_profile, DriftArg};

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).multiple(true).args(["ratings", "profile"])))]
pub struct Args {
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// A ratings export: IMDb "Your Ratings" (1–10) or Letterboxd ratings.csv (half stars).
    #[arg(long)]
    pub ratings: Option<PathBuf>,
    /// A profile (the browser's format). Read if it exists; with --ratings, the export's
    /// ratings are added to it and it is written back.
    #[arg(long)]
    pub profile: Option<PathBuf>,
    #[arg(long, default_value_t = LIST_LENGTH)]
    pub top: usize,
    /// Only movies of this genre (repeat for several; all must match).
    #[arg(long)]
    pub genre: Vec<String>,
    /// Only movies of at least one of these genres (repeatable; replaces the profile's own
    /// "any of these genres" filter, as every option replaces its stored setting).
    #[arg(long)]
    pub any_genre: Vec<String>,
    /// Leave out movies of this genre (repeatable).
    #[arg(long)]
    pub exclude_genre: Vec<String>,
    #[arg(long)]
    pub year_min: Option<u16>,
    #[arg(long)]
    pub year_max: Option<u16>,
    /// IMDb rating at least this (0–10).
    #[arg(long)]
    pub imdb_min: Option<f32>,
    /// IMDb votes at least this.
    #[arg(long)]
    pub votes_min: Option<u32>,
    /// Settings (default: the profile's, else the tuned defaults).
    #[arg(long)]
    pub exploration: Option<f32>,
    #[arg(long)]
    pub popularity: Option<f32>,
    #[arg(long)]
    pub caution: Option<f32>,
    #[arg(long)]
    pub diversity: Option<f32>,
    /// −1 (stay close to the genres of the films you liked) … 0 (off) … 1 (surprise me).
    #[arg(long, allow_negative_numbers = true)]
    pub genre_distance: Option<f32>,
    /// Predict every catalogue movie (no filters, rated ones included); needs --json.
    #[arg(long, requires = "json")]
    pub all: bool,
    /// Print the list as one JSON array on stdout instead of the table (movieId, imdb, title,
    /// year, mean, low, high, reasons, exploring; with --with also members).
    #[arg(long)]
    pub json: bool,
    /// Watch together: a friend's profile file or share link (repeatable). The list is the
    /// group's: the films on any member's own list, each scored by the lowest of the members'
    /// predictions; every member's rated, disliked and hidden films left out, this profile's
    /// filters applied, no exploration. Friends' profiles are read, never written.
    #[arg(long = "with", value_name = "FILE_OR_LINK")]
    pub with: Vec<String>,
    #[command(flatten)]
    pub drift: DriftArg,
}

/// One member's prediction in a `--with` entry.
#[derive(serde::Serialize)]
pub struct MemberOut {
    pub mean: f32,
    pub low: f32,
    pub high: f32,
}

/// One entry of `--with --json`: the list entry (its mean, low and high the group's: the
/// least happy member's: the lowest prediction) plus each member's prediction, the owner first.
#[derive(serde::Serialize)]
struct JointOut {
    #[serde(flatten)]
    entry: ListEntryOut,
    members: Vec<MemberOut>,
}

/// A friend's profile from a file (the browser's format) or a share link.
fn friend_profile(arg: &str) -> Result<Profile> {
    let path = std::path::Path::new(arg);
    if path.is_file() {
        return load_profile(path);
    }
    let ratings = moviematch::share::decode(arg)
        .with_context(|| format!("--with {arg:?} is neither a profile file nor a share link"))?;
    Ok(moviematch::share::profile_of(&ratings, 0))
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

/// One entry of `--json`: the list as the table shows it (the prediction and its 80% interval
/// on the input's scale, one decimal), with the reasons and the `exploring` flag.
#[derive(serde::Serialize)]
pub struct ListEntryOut {
    #[serde(rename = "movieId")]
    pub movie_id: u32,
    pub imdb: Option<String>,
    pub title: String,
    pub year: Option<u16>,
    pub mean: f32,
    pub low: f32,
    pub high: f32,
    pub reasons: Vec<String>,
    pub exploring: bool,
}

impl ListEntryOut {
    /// `e` as `--json` prints it, on the scale `to` (one decimal).
    pub fn new(model: &Model, e: &ListEntry, to: RatingScale) -> ListEntryOut {
        let ms = model.header.scale;
        let one_decimal = |v: f32| (ms.convert(v, &to) * 10.0).round() / 10.0;
        let m = model.movie(e.rec.item);
        ListEntryOut {
            movie_id: m.movie_id,
            imdb: m.tconst(),
            title: m.title.clone(),
            year: m.year,
            mean: one_decimal(e.rec.mean),
            low: one_decimal(e.rec.interval80.0),
            high: one_decimal(e.rec.interval80.1),
            reasons: e.reasons.iter().map(|r| r.describe(model)).collect(),
            exploring: e.rec.exploring,
        }
    }
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.bundle)?;
    let mut profile = match &a.profile {
        Some(p) => load_profile(p)?,
        None => Profile::default(),
    };
    // Predictions are shown on the scale the export used (IMDb 1–10, Letterboxd stars).
    let mut imdb_scale = false;
    if let Some(path) = &a.ratings {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let plan = super::import::read_export(&model, &bytes, path, false)?;
        imdb_scale = plan.format == ExportFormat::Imdb;
        plan.apply(&model, &mut profile, ImportMode::Merge, super::now_ms());
        if let Some(p) = &a.profile {
            save_profile(p, &profile)?;
            eprintln!(
                "profile {} now holds {} ratings",
                p.display(),
                profile.ratings().len()
            );
        }
    }
    let mask = |names: &[String]| -> Result<Option<u32>> {
        if names.is_empty() {
            return Ok(None);
        }
        let mut mask = 0;
        for g in names {
            match model.genre_mask(g) {
                Some(m) => mask |= m,
                None => bail!(
                    "unknown genre {g:?}; genres: {}",
                    model.genre_names().join(", ")
                ),
            }
        }
        Ok(Some(mask))
    };
    // Each flag given overrides the profile's stored setting field by field (as pkg's options).
    let options = ListOptions {
        top: Some(a.top),
        seed: None,
        exploration: a.exploration,
        popularity: a.popularity,
        caution: a.caution,
        diversity: a.diversity,
        genre_distance: a.genre_distance,
        drift: a.drift.option(),
        genres_all: mask(&a.genre)?,
        genres_any: mask(&a.any_genre)?,
        genres_none: mask(&a.exclude_genre)?,
        year_min: a.year_min,
        year_max: a.year_max,
        imdb_min: a.imdb_min,
        votes_min: a.votes_min,
        exclude_saved: None,
    };
    let visitor =
        Visitor::with_settings(&model, &profile, &options.settings_over(&profile.settings));
    // Predictions on the input's scale: IMDb's 1–10 for an export, the model's stars otherwise.
    let ms = model.header.scale;
    let ten = if imdb_scale { Scale::Ten.range() } else { ms };
    if !a.with.is_empty() {
        return together(a, &model, &profile, &visitor, &options, ten);
    }
    let ev = visitor.evidence();
    eprintln!(
        "{} ratings used, {} not in this bundle",
        ev.observations.len(),
        ev.unknown.len()
    );
    let post = visitor.posterior()?;
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
    let list = visitor.recommend(&model, &options.request(&profile.settings))?;
    if a.json {
        let out: Vec<ListEntryOut> = list
            .iter()
            .map(|e| ListEntryOut::new(&model, e, ten))
            .collect();
        println!("{}", serde_json::to_string(&out)?);
        return Ok(());
    }
    println!(
        "{:>4} | {:<42} | {:>16} | {:>4} | {:>4} | {:<28} | Reasons",
        "Rank", "Title", "Predicted (80%)", "IMDb", "Year", "Genres"
    );
    println!(
        "{:-<5}+{:-<44}+{:-<18}+{:-<6}+{:-<6}+{:-<30}+{:-<30}",
        "", "", "", "", "", "", ""
    );
    for (rank, e) in list.iter().enumerate() {
        let r = &e.rec;
        let m = model.movie(r.item);
        let title: String = m.title.chars().take(42).collect();
        let why: Vec<String> = e.reasons.iter().map(|r| r.describe(&model)).collect();
        println!(
            "{:>4} | {:<42} | {:>4.1} ({:>4.1}–{:<4.1}) | {:>4} | {:>4} | {:<28} | {}",
            rank + 1,
            title,
            ms.convert(r.mean, &ten),
            ms.convert(r.interval80.0, &ten),
            ms.convert(r.interval80.1, &ten),
            m.imdb_rating.map_or("–".into(), |v| format!("{v:.1}")),
            m.year.map_or("–".into(), |y| y.to_string()),
            model
                .genre_label(r.item)
                .chars()
                .take(28)
                .collect::<String>(),
            why.join("; ")
        );
    }
    Ok(())
}

/// `--with`: the group's list (see [`moviematch::together`]).
fn together(
    a: &Args,
    model: &Model,
    profile: &Profile,
    visitor: &Visitor,
    options: &ListOptions,
    scale: RatingScale,
) -> Result<()> {
    let request = options.request(&profile.settings);
    let friends: Vec<Profile> = a
        .with
        .iter()
        .map(|arg| friend_profile(arg))
        .collect::<Result<_>>()?;
    let friends = moviematch::together::visitors(model, &friends, &request.settings);
    let members: Vec<&Visitor> = std::iter::once(visitor).chain(&friends).collect();
    let list = moviematch::together::group_list(model, &members, &request)?;
    let ms = model.header.scale;
    let one_decimal = |v: f32| (ms.convert(v, &scale) * 10.0).round() / 10.0;
    let out: Vec<JointOut> = list
        .iter()
        .map(|g| JointOut {
            entry: ListEntryOut::new(model, &g.entry, scale),
            members: g
                .joint
                .members
                .iter()
                .map(|p| MemberOut {
                    mean: one_decimal(p.mean),
                    low: one_decimal(p.interval80.0),
                    high: one_decimal(p.interval80.1),
                })
                .collect(),
        })
        .collect();
    if a.json {
        println!("{}", serde_json::to_string(&out)?);
        return Ok(());
    }
    let names: Vec<String> = std::iter::once("You".to_string())
        .chain((1..=friends.len()).map(|f| format!("Friend {f}")))
        .collect();
    println!(
        "{:>4} | {:<42} | {:>5} | {}",
        "Rank",
        "Title",
        "Group",
        names.join(" | ")
    );
    for (rank, j) in out.iter().enumerate() {
        let title: String = j.entry.title.chars().take(42).collect();
        let each: Vec<String> = j.members.iter().map(|m| format!("{:.1}", m.mean)).collect();
        println!(
            "{:>4} | {:<42} | {:>5.1} | {}",
            rank + 1,
            title,
            j.entry.mean,
            each.join(" | ")
        );
    }
    Ok(())
}
