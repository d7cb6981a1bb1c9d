//! `tools drift --people DIR --movielens DIR [--json] [--plot FILE.svg]`: how much taste drift
//! helps, by half-life, on a per-person time split of real people's exports (the half-life
//! chosen by cross-validation over people) and of MovieLens fold-in users (see
//! `crate::eval::drift`). What it finds is what `moviematch::drift::HALF_LIFE_DAYS` and the
//! setting's default say.

use std::path::PathBuf;

use anyhow::Result;
use moviematch::Model;

use super::{load_model, DataArgs};
use crate::eval::drift::{
    evaluate_population, folds_of, movielens_people, read_people, CurvePoint, DriftReport,
    Population,
};
use crate::eval::fit::train_irt;
use crate::eval::foldin;
use crate::train::irt::IrtParams;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder of IMDb / Letterboxd exports (*.csv, *.zip, searched recursively).
    #[arg(long)]
    pub people: PathBuf,
    #[command(flatten)]
    pub data: DataArgs,
    /// The bundle the people are fitted with.
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// Leave out the MovieLens curve (it trains a model without the fold-in users: minutes).
    #[arg(long)]
    pub people_only: bool,
    /// Print only JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Draw both curves into this SVG.
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.bundle)?;
    let (people, skipped) = read_people(&model, &a.people)?;
    eprintln!("{} people split by time, {skipped} skipped", people.len());
    let folds = folds_of(&people);
    let people = evaluate_population(&model, &people, skipped, Some(&folds));
    let movielens = if a.people_only {
        None
    } else {
        Some(movielens_curve(a)?)
    };
    let report = DriftReport { people, movielens };
    if let Some(path) = &a.plot {
        let mut curves: Vec<(&str, &[CurvePoint])> = vec![("real people", &report.people.curve)];
        if let Some(ml) = &report.movielens {
            curves.push(("MovieLens fold-in", &ml.curve));
        }
        crate::report::plots::drift_curves(path, &curves)?;
        eprintln!("wrote {}", path.display());
    }
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_population("real people (time split)", &report.people);
        if let Some(ml) = &report.movielens {
            print_population("MovieLens fold-in users (time split)", ml);
        }
    }
    Ok(())
}

/// The MovieLens curve: a model trained without the fold-in users (seed 42, as `tools eval`'s
/// fold-in protocol trains it, its blend fitted on the tuning half), then every reporting user
/// split by time.
fn movielens_curve(a: &Args) -> Result<Population> {
    let (ratings, cat) = a.data.load()?;
    let seed = 42;
    let fold = foldin::split(&ratings, seed);
    let mut engine: Model = train_irt(&fold.train, &cat, seed, &IrtParams::default()).engine;
    let fitted = crate::eval::blend::fit_on_tuning_users(&engine, &fold, seed);
    engine.set_blend(&crate::eval::blend::shipped(&fitted));
    let by_ml_id = |i: u32| -> usize {
        engine
            .by_movielens_id(ratings.item_ids[i as usize])
            .unwrap_or(usize::MAX)
    };
    let users: Vec<u32> = fold
        .users
        .iter()
        .filter(|u| !u.tuning)
        .map(|u| u.user)
        .collect();
    let (mut people, skipped) = movielens_people(&ratings, &users, &by_ml_id);
    // A film the training data never saw is still in the catalogue (its content prior).
    for p in &mut people {
        p.train.retain(|f| f.0 != usize::MAX);
        p.test.retain(|f| f.0 != usize::MAX);
    }
    Ok(evaluate_population(&engine, &people, skipped, None))
}

fn print_population(title: &str, p: &Population) {
    let f = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.4}"));
    let h = |v: Option<f64>| v.map_or("off".to_string(), |d| format!("{d:.0} d"));
    println!(
        "\n{title}: {} evaluated, {} skipped, median span of training films {:.0} days",
        p.evaluated, p.skipped, p.median_span_days
    );
    println!(
        "{:>10} {:>9} {:>7} {:>11}",
        "half-life", "Spearman", "MAE", "recall@100"
    );
    for c in &p.curve {
        println!(
            "{:>10} {:>9} {:>7.4} {:>11}",
            h(c.half_life_days),
            f(c.spearman),
            c.mae,
            f(c.recall)
        );
    }
    if let Some(cv) = &p.cv {
        let chosen: Vec<String> = cv.chosen_per_fold.iter().map(|&c| h(c)).collect();
        println!(
            "cross-validated over people: chosen per fold [{}], on everyone {}",
            chosen.join(", "),
            h(cv.chosen_all)
        );
        println!(
            "out of fold: Spearman {} MAE {:.4} recall@100 {}; drift off: Spearman {} MAE {:.4} recall@100 {}",
            f(cv.out_of_fold.spearman),
            cv.out_of_fold.mae,
            f(cv.out_of_fold.recall),
            f(cv.off.spearman),
            cv.off.mae,
            f(cv.off.recall)
        );
        let ci = |d: &[f64; 3]| format!("{:+.4} [{:+.4}, {:+.4}]", d[0], d[1], d[2]);
        println!(
            "out of fold − off (95% paired bootstrap): MAE {}, Spearman {}, recall@100 {}",
            ci(&cv.mae_minus_off),
            ci(&cv.spearman_minus_off),
            ci(&cv.recall_minus_off)
        );
    }
}
