//! `tools eval`: every model of the comparison under every protocol (see
//! `crate::eval::protocols`), as a table or as JSON; with `--people DIR` only the real-people
//! protocol (`crate::eval::people`).

use std::path::PathBuf;

use anyhow::{Context, Result};

use super::{load_model, DataArgs, ImplicitArgs};
use crate::data::movielens::read_ratings;
use crate::eval::metrics::ModelScore;
use crate::eval::people::genre_curve::{genre_curve, GenreCurve};
use crate::eval::people::{self, PeopleReport};
use crate::eval::protocols::{evaluate, Report};
use crate::train::irt::IrtParams;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Print only JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Seeds of the random splits.
    #[arg(long, value_delimiter = ',', default_value = "42,43,44")]
    pub seeds: Vec<u64>,
    #[arg(long, default_value_t = 32)]
    pub k: usize,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    /// Evaluate on the IMDb / Letterboxd exports (*.csv, *.zip) below this folder instead: one
    /// film in five held out per person (only this protocol runs).
    #[arg(long)]
    pub people: Option<PathBuf>,
    /// With --people: also choose the blend's adjustments by 5-fold cross-validation over
    /// people and report the out-of-fold list as `list-cv`.
    #[arg(long)]
    pub tune: bool,
    /// With --people: only the app's list along the genre-distance knob (−1, −0.5, 0, 0.5,
    /// 1): recall@100, overlap@20 and genre_tv@20 per point.
    #[arg(long, requires = "people", conflicts_with = "tune")]
    pub genre_curve: bool,
    /// The bundle the people protocol ranks with.
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// The `ials` rows' settings (`--implicit-k 0` is not allowed here).
    #[command(flatten)]
    pub implicit: ImplicitArgs,
}

pub fn run(a: &Args) -> Result<()> {
    let implicit = a
        .implicit
        .params(42)?
        .context("the ials rows need --implicit-k above 0")?;
    if let (Some(dir), true) = (&a.people, a.genre_curve) {
        let curve = genre_curve(&load_model(&a.bundle)?, dir)?;
        if a.json {
            println!("{}", serde_json::to_string(&curve)?);
        } else {
            print_curve(&curve);
        }
        return Ok(());
    }
    if let Some(dir) = &a.people {
        let mut model = load_model(&a.bundle)?;
        let ratings = read_ratings(&a.data.movielens)?;
        let report = people::evaluate(&mut model, &ratings, dir, &implicit, a.tune)?;
        if a.json {
            println!("{}", serde_json::to_string(&report)?);
        } else {
            print_people(&report);
        }
        return Ok(());
    }
    let (ratings, cat) = a.data.load()?;
    let params = IrtParams {
        k: a.k,
        epochs: a.epochs,
        ..IrtParams::default()
    };
    let report = evaluate(&ratings, &cat, &a.seeds, &params, &implicit);
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_table(&report, ratings.len());
    }
    Ok(())
}

fn print_table(report: &Report, n: usize) {
    println!(
        "protocol {} (seeds {:?}), {n} ratings",
        report.protocol, report.seeds
    );
    print_models(&report.models);
    for (name, p) in &report.protocols {
        println!("\nprotocol {name} (seeds {:?})", p.seeds);
        print_models(&p.models);
    }
}

fn print_models(models: &[ModelScore]) {
    let f = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.4}"));
    println!(
        "{:<17} {:>7} {:>7} {:>7} {:>9} {:>8} {:>7} {:>7} {:>8}",
        "model", "RMSE", "±sd", "MAE", "Recall@20", "NDCG@10", "cov50", "cov90", "Spearman"
    );
    for m in models {
        println!(
            "{:<17} {:>7} {:>7} {:>7} {:>9} {:>8} {:>7} {:>7} {:>8}",
            m.name,
            f(m.rmse),
            f(m.rmse_sd),
            f(m.mae),
            f(m.recall_20),
            f(m.ndcg_10),
            f(m.interval_cov50),
            f(m.interval_cov90),
            f(m.spearman_user)
        );
    }
}

fn print_people(r: &PeopleReport) {
    let f = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.4}"));
    println!("people {} evaluated, {} skipped", r.people, r.skipped);
    println!(
        "{:<11} {:>10} {:>14} {:>9} {:>7} {:>11} {:>8} {:>12}",
        "model",
        "recall@100",
        "ips_recall@100",
        "ndcg@100",
        "hit@20",
        "overlap@20",
        "Spearman",
        "genre_tv@20"
    );
    for m in &r.models {
        println!(
            "{:<11} {:>10} {:>14} {:>9} {:>7} {:>11} {:>8} {:>12}",
            m.name,
            f(m.recall),
            f(m.ips_recall),
            f(m.ndcg),
            f(m.hit),
            f(m.overlap),
            f(m.spearman_user),
            f(m.genre_tv)
        );
    }
    println!(
        "IMDb average vs the person's ratings (Spearman): {}",
        f(r.imdb_spearman_user)
    );
    for i in &r.bootstrap {
        println!(
            "{} {}: {:+.4} [{:+.4}, {:+.4}] (paired bootstrap, 95%)",
            i.name, i.metric, i.mean, i.lo, i.hi
        );
    }
    if let Some(cv) = &r.cv {
        println!("blend adjustments per fold: {:?}", cv.chosen_per_fold);
        println!("blend adjustment on everyone: {:?}", cv.chosen_all);
    }
    if let Some(cv) = &r.stack_cv {
        println!("IMDb stack prior per fold: {:?}", cv.chosen_per_fold);
        println!("IMDb stack prior on everyone: {:?}", cv.chosen_all);
    }
}

fn print_curve(c: &GenreCurve) {
    let f = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.4}"));
    println!("people {} evaluated, {} skipped", c.people, c.skipped);
    println!(
        "{:>14} {:>10} {:>14} {:>9} {:>7} {:>11} {:>12}",
        "genre_distance",
        "recall@100",
        "ips_recall@100",
        "ndcg@100",
        "hit@20",
        "overlap@20",
        "genre_tv@20"
    );
    for p in &c.points {
        println!(
            "{:>14} {:>10} {:>14} {:>9} {:>7} {:>11} {:>12}",
            format!("{:+.1}", p.genre_distance),
            f(p.recall),
            f(p.ips_recall),
            f(p.ndcg),
            f(p.hit),
            f(p.overlap),
            f(p.genre_tv)
        );
    }
}
