//! `tools train`: MovieLens (+ IMDb, + an extra catalogue) → a bundle.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use crate::als::{self, AlsParams};
use crate::assemble::{assemble, BundleInputs};
use crate::movielens::{read_imdb_ratings, read_movies, read_ratings};
use crate::split::random_split;

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
    /// Maximum epochs (early stopping on the held-out part may stop sooner).
    #[arg(long, default_value_t = 20)]
    pub epochs: usize,
    #[arg(long, default_value_t = 15.0)]
    pub reg_factors: f64,
    #[arg(long, default_value_t = 2.0)]
    pub reg_bias: f64,
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
}

pub fn run(a: &Args) -> Result<()> {
    let start = Instant::now();
    if a.k > 256 {
        bail!("--k {} is too large (at most 256)", a.k);
    }
    if !(0.0..0.9).contains(&a.holdout) {
        bail!("--holdout must be in [0, 0.9)");
    }
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
    let mut params = AlsParams {
        k: a.k,
        epochs: a.epochs,
        reg_factors: a.reg_factors,
        reg_bias: a.reg_bias,
        seed: a.seed,
        ..AlsParams::default()
    };

    let (mut model, sigma, holdout_rmse, bias_rmse) = if a.holdout > 0.0 {
        let (tr, te) = random_split(&ratings, a.holdout, a.seed);
        let pb = epoch_bar(a.epochs);
        let m = als::train(&tr, Some(&te), &params, |r| {
            pb.inc(1);
            // Through `suspend` so the lines also reach a log when stderr is not a terminal.
            pb.suspend(|| {
                eprintln!(
                    "epoch {:>2}  train RMSE {:.4}  held-out RMSE {:.4}",
                    r.epoch,
                    r.train_rmse,
                    r.heldout_rmse.unwrap_or(f64::NAN)
                )
            });
        });
        pb.finish_and_clear();
        let rmse = m.rmse(&te);
        let bias = als::train(
            &tr,
            Some(&te),
            &AlsParams {
                k: 0,
                ..params.clone()
            },
            |_| {},
        );
        let bias_rmse = bias.rmse(&te);
        eprintln!(
            "held-out RMSE {rmse:.4} after {} epochs (bias-only {bias_rmse:.4}, global mean {:.4})",
            m.epochs_run,
            global_mean_rmse(&tr, &te)
        );
        (m, rmse, rmse as f32, bias_rmse as f32)
    } else {
        (
            als::train(&ratings, None, &params, |_| {}),
            f64::NAN,
            f32::NAN,
            f32::NAN,
        )
    };
    if a.holdout == 0.0 || !a.no_refit {
        if a.holdout > 0.0 {
            params.epochs = model.epochs_run;
            eprintln!("refitting on all ratings for {} epochs", params.epochs);
        }
        let pb = epoch_bar(params.epochs);
        model = als::train(&ratings, None, &params, |r| {
            pb.inc(1);
            pb.set_message(format!("train RMSE {:.4}", r.train_rmse));
        });
        pb.finish_and_clear();
    }
    // σ: held-out error is the honest noise level; without a hold-out, inflate the training error.
    let sigma = if sigma.is_finite() {
        sigma
    } else {
        model.rmse(&ratings) * 1.1
    };
    let train_set = if a.holdout > 0.0 && a.no_refit {
        random_split(&ratings, a.holdout, a.seed).0
    } else {
        ratings
    };
    let dataset = a
        .dataset
        .clone()
        .unwrap_or_else(|| folder_name(&a.movielens));
    let bundle = assemble(
        &model,
        &params,
        &BundleInputs {
            train: &train_set,
            movies: &movies,
            catalogue: &catalogue,
            imdb: &imdb,
            dataset,
            created_unix,
            sigma,
            holdout_fraction: a.holdout as f32,
            holdout_rmse,
            holdout_rmse_bias_only: bias_rmse,
        },
    )?;
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
    Ok(())
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

fn global_mean_rmse(train: &crate::movielens::Ratings, test: &crate::movielens::Ratings) -> f64 {
    let mu = train.value.iter().map(|&v| v as f64).sum::<f64>() / train.len().max(1) as f64;
    (test
        .value
        .iter()
        .map(|&v| (v as f64 - mu).powi(2))
        .sum::<f64>()
        / test.len().max(1) as f64)
        .sqrt()
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
