//! `tools train`: MovieLens (+ IMDb, + an extra catalogue) → a bundle.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use super::ImplicitArgs;
use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::{read_imdb_ratings, read_movies, read_ratings};
use crate::data::movietweetings::read_movietweetings;
use crate::train::irt::IrtParams;
use crate::train::pipeline::{self, BuildParams, Progress};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// A MovieLens release folder (ratings.csv, movies.csv, links.csv).
    #[arg(long)]
    pub movielens: PathBuf,
    /// Folder with IMDb's title.ratings.tsv.
    #[arg(long)]
    pub imdb: Option<PathBuf>,
    /// Extra catalogue folder (movies.csv, links.csv), e.g. ml-25m: its movies join the bundle.
    #[arg(long)]
    pub catalogue: Option<PathBuf>,
    #[arg(long, default_value = "web/model.bin")]
    pub out: PathBuf,
    /// Latent dimension K.
    #[arg(long, default_value_t = 32)]
    pub k: usize,
    /// Maximum VI epochs (early stopping on the held-out part may stop sooner).
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    /// ALS epochs of the warm start.
    #[arg(long, default_value_t = 4)]
    pub warm_epochs: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Share of ratings held out to monitor RMSE and stop early (0 disables).
    #[arg(long, default_value_t = 0.1)]
    pub holdout: f64,
    /// Keep the model fitted without the held-out part instead of refitting on everything.
    #[arg(long)]
    pub no_refit: bool,
    /// Creation date for the header: unix seconds or YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else now).
    #[arg(long)]
    pub created: Option<String>,
    /// Dataset name for the header (default: the --movielens folder name).
    #[arg(long)]
    pub dataset: Option<String>,
    #[command(flatten)]
    pub implicit: ImplicitArgs,
    /// Multiplier on σ_b², the spread of each movie's quality around its IMDb-based
    /// prediction (below 1: anchored harder on IMDb); see `tools tune`.
    #[arg(long, default_value_t = IrtParams::default().anchoring)]
    pub anchoring: f64,
    /// Multiplier on the visitor prior's covariance of the personal feature weights.
    #[arg(long, default_value_t = IrtParams::default().feature_prior)]
    pub feature_prior: f64,
    /// Also draw the blend's feature importances to this SVG file.
    #[arg(long)]
    pub blend_plot: Option<PathBuf>,
    /// Ship the legacy ranking (E[r] + popularity · logit P(seen)) instead of fitting the
    /// blend on fold-in tuning users.
    #[arg(long)]
    pub no_blend: bool,
    /// Films in the head written beside `--out` (`<stem>-head.bin`, `<stem>-tail.bin`,
    /// `<stem>-split.json`: the site loads the head first); 0 writes no split.
    #[arg(long, default_value_t = super::head::HEAD_FILMS)]
    pub head_films: usize,
}

pub fn run(a: &Args) -> Result<()> {
    let start = Instant::now();
    if a.k > 256 {
        bail!("--k {} is too large (at most 256)", a.k);
    }
    if !(0.0..0.9).contains(&a.holdout) {
        bail!("--holdout must be in [0, 0.9)");
    }
    let implicit = a.implicit.params(a.seed)?;
    let created_unix = created(a.created.as_deref())?;
    eprintln!("reading {}", a.movielens.display());
    let ratings = read_ratings(&a.movielens)?;
    let movies = read_movies(&a.movielens)?;
    let imdb = match &a.imdb {
        Some(d) => read_imdb_ratings(d)?,
        None => HashMap::new(),
    };
    let catalogue = match &a.catalogue {
        Some(d) => read_movies(d)?,
        None => Vec::new(),
    };
    eprintln!(
        "{} ratings, {} users, {} rated movies; {} catalogue rows; {} IMDb ratings ({:.1}s)",
        ratings.len(),
        ratings.n_users(),
        ratings.n_items(),
        movies.len() + catalogue.len(),
        imdb.len(),
        start.elapsed().as_secs_f64()
    );
    let cat = CatalogueInfo::build(&movies, &catalogue, &imdb)?;
    let extra_watched = match &a.implicit.movietweetings {
        Some(dir) => {
            let (rows, stats) = read_movietweetings(
                dir,
                &cat.movie_of_imdb(),
                a.implicit.movietweetings_min_films,
            )?;
            eprintln!("MovieTweetings: {stats:?}");
            rows
        }
        None => Vec::new(),
    };
    let build = BuildParams {
        params: IrtParams {
            k: a.k,
            epochs: a.epochs,
            warm_epochs: a.warm_epochs,
            seed: a.seed,
            anchoring: a.anchoring,
            feature_prior: a.feature_prior,
            ..IrtParams::default()
        },
        implicit,
        extra_watched,
        holdout: a.holdout,
        no_refit: a.no_refit,
        dataset: a
            .dataset
            .clone()
            .unwrap_or_else(|| folder_name(&a.movielens)),
        created_unix,
    };
    // The ranking's blend is fitted on fold-in tuning users of a model trained without them,
    // before the product's training takes the ratings.
    let blend = match a.no_blend {
        true => None,
        false => Some(fit_blend(&ratings, &cat, &build, a.blend_plot.as_deref())?),
    };
    let mut pb: Option<ProgressBar> = None;
    let mut bundle = pipeline::build(ratings, &cat, &build, |p| {
        match p {
        Progress::Start { epochs } => pb = Some(epoch_bar(epochs)),
        Progress::Epoch(r) => {
            let Some(pb) = &pb else { return };
            pb.inc(1);
            // Through `suspend` so the lines also reach a log when stderr is not a terminal.
            pb.suspend(|| {
                eprintln!(
                    "epoch {:>2}  ELBO {:>14.1}  σ {:.4}  train RMSE {:.4}  held-out RMSE {}",
                    r.epoch,
                    r.elbo,
                    r.sigma,
                    r.train_rmse,
                    r.heldout_rmse.map_or("–".into(), |h| format!("{h:.4}"))
                )
            });
        }
        Progress::Done => {
            if let Some(pb) = pb.take() {
                pb.finish_and_clear();
            }
        }
        Progress::HeldOut {
            rmse,
            epochs,
            bias_only,
            global_mean,
        } => eprintln!(
            "held-out RMSE {rmse:.4} after {epochs} epochs (bias-only {bias_only:.4}, global mean {global_mean:.4})"
        ),
        Progress::Refit { epochs } => eprintln!("refitting on all ratings for {epochs} epochs"),
        Progress::ImplicitStart { epochs } => {
            let bar = epoch_bar(epochs);
            bar.set_prefix("implicit");
            pb = Some(bar);
        }
        Progress::ImplicitEpoch(e) => {
            let Some(pb) = &pb else { return };
            pb.inc(1);
            pb.suspend(|| {
                eprintln!(
                    "implicit epoch {:>2}  loss {:>14.3}  {:.1}s",
                    e.epoch, e.loss, e.seconds
                )
            });
        }
        Progress::ImplicitDone => {
            if let Some(pb) = pb.take() {
                pb.finish_and_clear();
            }
        }
    }
    })?;
    if let Some(blend) = blend {
        bundle.blend = Some(blend);
        bundle.validate()?;
    }
    let bytes = bundle.encode();
    if let Some(parent) = a.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(&a.out, &bytes).with_context(|| format!("cannot write {}", a.out.display()))?;
    eprintln!(
        "wrote {} ({} movies, {:.2} MB, payload crc32 {:08x}) in {:.1}s",
        a.out.display(),
        bundle.len(),
        bytes.len() as f64 / 1e6,
        moviematch::Bundle::payload_checksum(&bytes).unwrap_or(0),
        start.elapsed().as_secs_f64()
    );
    if a.head_films > 0 {
        for path in super::head::write_split(&bundle, &a.out, a.head_films)? {
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(())
}

/// The blend (see [`crate::eval::blend`]): the fold-in split of `ratings` at the build's seed,
/// the engine trained on the other users as the build trains (explicit and implicit), and a
/// logistic regression on the tuning half's held-out films. Prints the weights and how much
/// each term moves the score.
fn fit_blend(
    ratings: &crate::data::movielens::Ratings,
    cat: &CatalogueInfo,
    build: &BuildParams,
    plot: Option<&Path>,
) -> Result<moviematch::bundle::Blend> {
    use crate::eval::blend::{fit_on_tuning_users, COLUMNS};
    let seed = build.params.seed;
    eprintln!("fitting the ranking's blend on fold-in tuning users (seed {seed})");
    let fold = crate::eval::foldin::split(ratings, seed);
    let fit = crate::eval::fit::train_irt_with(
        &fold.train,
        cat,
        seed,
        &build.params,
        build.implicit.as_ref(),
        &build.extra_watched,
        |_, _| {},
    );
    let logistic = fit_on_tuning_users(&fit.engine, &fold, seed);
    for ((name, w), imp) in COLUMNS
        .iter()
        .zip(&logistic.weights)
        .zip(&logistic.importance)
    {
        eprintln!("blend {name:<24} weight {w:>9.4}  importance {imp:.3}");
    }
    if let Some(path) = plot {
        crate::report::plots::importances(path, &COLUMNS, &logistic.importance)?;
        eprintln!("wrote {}", path.display());
    }
    let blend = crate::eval::blend::shipped(&logistic);
    eprintln!(
        "blend: the dev set's adjustments {:?} baked in",
        crate::eval::blend::DEV_SET
    );
    Ok(blend)
}

fn epoch_bar(n: usize) -> ProgressBar {
    let pb = ProgressBar::new(n as u64);
    pb.set_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} epochs {msg}")
            .unwrap()
            .progress_chars("=> "),
    );
    pb.set_prefix("training");
    pb
}

fn folder_name(p: &Path) -> String {
    p.canonicalize()
        .ok()
        .and_then(|c| c.file_name().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| p.display().to_string())
}

/// `--created` as unix seconds or YYYY-MM-DD; else SOURCE_DATE_EPOCH; else now.
pub fn created(arg: Option<&str>) -> Result<i64> {
    let from_env = std::env::var("SOURCE_DATE_EPOCH").ok();
    match arg.or(from_env.as_deref()) {
        Some(s) => parse_date(s)
            .with_context(|| format!("cannot read the date {s:?} (unix seconds or YYYY-MM-DD)")),
        None => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs() as i64),
    }
}

fn parse_date(s: &str) -> Result<i64> {
    let s = s.trim();
    if let Ok(secs) = s.parse::<i64>() {
        return Ok(secs);
    }
    let parts: Vec<&str> = s.split('-').collect();
    if let [y, m, d] = parts[..] {
        let (y, m, d): (i64, i64, i64) = (y.parse()?, m.parse()?, d.parse()?);
        if (1..=12).contains(&m) && (1..=31).contains(&d) {
            return Ok(days_from_civil(y, m, d) * 86_400);
        }
    }
    bail!("unrecognised date")
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse_date("1970-01-01").unwrap(), 0);
        assert_eq!(parse_date("2026-11-22").unwrap(), 1_795_305_600);
        assert_eq!(parse_date("1700000000").unwrap(), 1_700_000_000);
        assert!(parse_date("yesterday").is_err());
    }
}
