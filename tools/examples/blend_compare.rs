//! Issue 14: the shipped logistic blend against gradient-boosted rankers (pointwise log-loss
//! and LambdaMART, `moviematch_tools::eval::gbdt`) on the same columns and the same fold-in
//! tuning users' samples (seed 42, as `tools train` fits the blend). The trees' settings are
//! chosen by 3-fold cross-validation over the *tuning* users (NDCG@10 ranking the whole
//! catalogue); the reported users are scored once, at the end: NDCG@10, recall@20 and
//! overlap@20 of each ranker's order of every catalogue film but the user's pool. With
//! `--people DIR`, the dev set too (recall@100, ips-recall@100, overlap@20; per-person figures
//! are never written). `list` rows are the engine's own list with the shipped blend (the dev
//! set's adjustments baked in) and with the raw logistic fit.
//!
//! cargo run --release -p moviematch-tools --example blend_compare -- \
//!     --movielens ../shared/data/ml-latest-small [--people ../shared/realpeople] \
//!     [--plot /tmp/gbdt_importances.svg]

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use moviematch::{Model, Visitor};
use rayon::prelude::*;

use moviematch_tools::data::inputs::load_inputs;
use moviematch_tools::eval::blend::{self, fit_logistic, Logistic, COLUMNS, L2, NEGATIVES, P};
use moviematch_tools::eval::foldin::{self, rated_profile, FoldUser};
use moviematch_tools::eval::gbdt::{catalogue_rows, Gbdt, Grouped, Objective, Params};
use moviematch_tools::eval::metrics::{combine_with_sets, score_user, UserScore};
use moviematch_tools::eval::people::{self, metrics as pm, models, read};
use moviematch_tools::train::ials::IalsParams;
use moviematch_tools::train::irt::IrtParams;

/// Trees the cross-validation reads the ensembles at (one fit per setting: staged scores).
const STAGES: [usize; 5] = [25, 50, 100, 200, 300];
/// (depth, learning rate) of the cross-validated settings.
const GRID: [(usize, f64); 3] = [(3, 0.1), (5, 0.1), (7, 0.05)];
const FOLDS: usize = 3;

/// One visitor as a ranker sees them: every film's row, the targets, what is never listed.
struct View {
    rows: Vec<[f64; P]>,
    targets: Vec<(usize, f32)>,
    exclude: Vec<usize>,
}

fn view(engine: &Model, u: &FoldUser, row: &(dyn Fn(u32) -> usize + Sync)) -> Option<View> {
    let pool: Vec<(usize, f32)> = u.pool.iter().map(|&(i, r)| (row(i), r)).collect();
    let profile = rated_profile(engine, &pool);
    let visitor = Visitor::new(engine, &profile);
    let taste = visitor.taste().ok()?;
    Some(View {
        rows: catalogue_rows(engine, &taste),
        targets: u.targets.iter().map(|&(i, r)| (row(i), r)).collect(),
        exclude: visitor.exclusions(&profile.settings).into_iter().collect(),
    })
}

fn linear(l: &Logistic, x: &[f64; P]) -> f64 {
    l.intercept + x.iter().zip(&l.weights).map(|(a, b)| a * b).sum::<f64>()
}

fn scores(rows: &[[f64; P]], f: &(dyn Fn(&[f64; P]) -> f64 + Sync)) -> Vec<f32> {
    rows.par_iter().map(|x| f(x) as f32).collect()
}

fn user_score(v: &View, s: &[f32]) -> UserScore {
    score_user(s, &v.targets, &v.exclude, false)
}

struct Args {
    movielens: PathBuf,
    people: Option<PathBuf>,
    plot: PathBuf,
    seed: u64,
}

fn args() -> Result<Args> {
    let mut a = Args {
        movielens: PathBuf::new(),
        people: None,
        plot: PathBuf::from("/tmp/gbdt_importances.svg"),
        seed: 42,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().with_context(|| format!("{k} needs a value"))?;
        match k.as_str() {
            "--movielens" => a.movielens = v.into(),
            "--people" => a.people = Some(v.into()),
            "--plot" => a.plot = v.into(),
            "--seed" => a.seed = v.parse()?,
            _ => anyhow::bail!("unknown argument {k}"),
        }
    }
    anyhow::ensure!(!a.movielens.as_os_str().is_empty(), "--movielens DIR");
    Ok(a)
}

/// The best (NDCG@10, trees) of each grid setting by cross-validation over the tuning users.
fn cross_validate(
    objective: Objective,
    grouped: &Grouped,
    tuning: &[&FoldUser],
    views: &[Option<View>],
) -> Params {
    let mut best = (f64::MIN, Params::default());
    for &(depth, learning_rate) in &GRID {
        let t = Instant::now();
        let mut per_stage: Vec<Vec<UserScore>> = vec![Vec::new(); STAGES.len()];
        let params = Params {
            trees: *STAGES.last().unwrap(),
            depth,
            learning_rate,
            ..Params::default()
        };
        for k in 0..FOLDS {
            let held: HashSet<u32> = (0..tuning.len())
                .filter(|i| i % FOLDS == k)
                .map(|i| tuning[i].user)
                .collect();
            let m = Gbdt::fit(&grouped.select(|g| !held.contains(&g)), objective, &params);
            for (u, v) in tuning.iter().zip(views) {
                let Some(v) = v.as_ref().filter(|_| held.contains(&u.user)) else {
                    continue;
                };
                let staged: Vec<Vec<f64>> =
                    v.rows.par_iter().map(|x| m.staged(x, &STAGES)).collect();
                for (s, out) in per_stage.iter_mut().enumerate() {
                    let sc: Vec<f32> = staged.iter().map(|r| r[s] as f32).collect();
                    out.push(user_score(v, &sc));
                }
            }
        }
        for (s, users) in per_stage.iter().enumerate() {
            let ndcg = combine_with_sets("", users, false, 1)
                .ndcg_10
                .unwrap_or(0.0);
            println!(
                "cv {objective:?} depth {depth} lr {learning_rate} trees {:>3}: NDCG@10 {ndcg:.4}",
                STAGES[s]
            );
            if ndcg > best.0 {
                best = (
                    ndcg,
                    Params {
                        trees: STAGES[s],
                        ..params
                    },
                );
            }
        }
        eprintln!("  ({:.0}s for 3 fits)", t.elapsed().as_secs_f64());
    }
    println!(
        "cv {objective:?}: chosen {:?} (NDCG@10 {:.4})",
        best.1, best.0
    );
    best.1
}

fn main() -> Result<()> {
    let a = args()?;
    let start = Instant::now();
    let root = a
        .movielens
        .parent()
        .context("a MovieLens folder")?
        .to_path_buf();
    let (ratings, cat) = load_inputs(
        &a.movielens,
        Some(&root.join("imdb")),
        Some(&root.join("ml-25m")),
    )?;
    let fold = foldin::split(&ratings, a.seed);
    let fit = moviematch_tools::eval::fit::train_irt_with(
        &fold.train,
        &cat,
        a.seed,
        &IrtParams::default(),
        Some(&IalsParams::default()),
        &[],
        |_, _| {},
    );
    let mut engine = fit.engine;
    eprintln!("engine trained ({:.0}s)", start.elapsed().as_secs_f64());
    let rows = foldin::catalogue_rows(&engine, &fold.train);
    let row = |i: u32| rows[i as usize];
    let tuning: Vec<&FoldUser> = fold.users.iter().filter(|u| u.tuning).collect();
    let report: Vec<&FoldUser> = fold.users.iter().filter(|u| !u.tuning).collect();
    let grouped = Grouped::of_users(&engine, &tuning, &row, NEGATIVES, a.seed);
    println!(
        "{} tuning users ({} samples), {} reported users, {} films",
        tuning.len(),
        grouped.group.len(),
        report.len(),
        engine.len()
    );

    let t = Instant::now();
    let logistic = fit_logistic(&grouped.samples, L2);
    let logistic_secs = t.elapsed().as_secs_f64();
    let views: Vec<Option<View>> = tuning.iter().map(|u| view(&engine, u, &row)).collect();
    let chosen = [Objective::Pointwise, Objective::LambdaMart]
        .map(|o| cross_validate(o, &grouped, &tuning, &views));
    drop(views);
    let mut fits = Vec::new();
    for (o, p) in [Objective::Pointwise, Objective::LambdaMart]
        .iter()
        .zip(chosen)
    {
        let t = Instant::now();
        let m = Gbdt::fit(&grouped, *o, &p);
        fits.push((m, t.elapsed().as_secs_f64()));
    }
    println!(
        "fit time: logistic {logistic_secs:.2}s, pointwise {:.1}s, lambdamart {:.1}s",
        fits[0].1, fits[1].1
    );
    let (pw, lm) = (&fits[0].0, &fits[1].0);
    let rankers: [Ranker<'_>; 3] = [
        ("logistic", &|x| linear(&logistic, x)),
        ("gbdt-pointwise", &|x| pw.predict(x)),
        ("gbdt-lambdamart", &|x| lm.predict(x)),
    ];

    // The reported users.
    let mut per: Vec<Vec<UserScore>> = vec![Vec::new(); rankers.len()];
    let mut secs = vec![0.0; rankers.len()];
    for u in &report {
        let Some(v) = view(&engine, u, &row) else {
            continue;
        };
        for (m, (_, f)) in rankers.iter().enumerate() {
            let t = Instant::now();
            let s = scores(&v.rows, *f);
            secs[m] += t.elapsed().as_secs_f64();
            per[m].push(user_score(&v, &s));
        }
    }
    println!("\nfold-in reported users (seed {}):", a.seed);
    println!(
        "{:<22} {:>8} {:>9} {:>10} {:>14}",
        "ranker", "NDCG@10", "recall@20", "overlap@20", "score s/user"
    );
    let films = engine.len();
    let line = |name: &str, users: &[UserScore], secs: f64| {
        let m = combine_with_sets(name, users, false, films);
        println!(
            "{name:<22} {:>8.4} {:>9.4} {:>10.4} {:>14.4}",
            m.ndcg_10.unwrap_or(f64::NAN),
            m.recall_20.unwrap_or(f64::NAN),
            m.overlap_20.unwrap_or(f64::NAN),
            secs / users.len().max(1) as f64
        );
    };
    for (m, (name, _)) in rankers.iter().enumerate() {
        line(name, &per[m], secs[m]);
    }
    let blends = [
        ("list (shipped blend)", blend::shipped(&logistic)),
        ("list (raw fit)", logistic.blend()),
    ];
    for (name, b) in &blends {
        engine.set_blend(b);
        line(name, &foldin::score_lists(&engine, &report, &row), f64::NAN);
    }

    if let Some(dir) = &a.people {
        dev_set(&mut engine, dir, &rankers, &blends)?;
    }

    println!("\nimportances (logistic: |standardised weight| / sum; trees: split gain / sum):");
    let norm = |v: &[f64; P]| {
        let s: f64 = v.iter().sum();
        v.map(|x| x / s)
    };
    let (li, pi, lmi) = (norm(&logistic.importance), pw.importance(), lm.importance());
    println!(
        "{:<26} {:>9} {:>9} {:>10}",
        "column", "logistic", "pointwise", "lambdamart"
    );
    for j in 0..P {
        println!(
            "{:<26} {:>9.4} {:>9.4} {:>10.4}",
            COLUMNS[j], li[j], pi[j], lmi[j]
        );
    }
    moviematch_tools::report::plots::importances(&a.plot, &COLUMNS, &pi)?;
    let lm_plot = a.plot.with_file_name(format!(
        "{}_lambdamart.svg",
        a.plot.file_stem().unwrap_or_default().to_string_lossy()
    ));
    moviematch_tools::report::plots::importances(&lm_plot, &COLUMNS, &lmi)?;
    eprintln!("wrote {} and {}", a.plot.display(), lm_plot.display());
    eprintln!("total {:.0}s", start.elapsed().as_secs_f64());
    Ok(())
}

type Ranker<'a> = (&'a str, &'a (dyn Fn(&[f64; P]) -> f64 + Sync));

/// The dev set's figures for each ranker and the engine's lists (macro means only).
fn dev_set(
    engine: &mut Model,
    dir: &std::path::Path,
    rankers: &[Ranker<'_>],
    blends: &[(&str, moviematch::bundle::Blend)],
) -> Result<()> {
    let mut people = Vec::new();
    for path in read::export_files(dir)? {
        let name = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        if let Ok(p) = read::read_person(engine, &name, &std::fs::read(&path)?) {
            if p.skip().is_none() {
                people.push(p);
            }
        }
    }
    let n = rankers.len() + blends.len();
    let mut got: Vec<Vec<pm::PersonScore>> = vec![Vec::new(); n];
    let mut lists: Vec<Vec<Vec<usize>>> = vec![Vec::new(); n];
    for p in &people {
        let model: &Model = engine;
        let profile = models::profile_of(model, p);
        let visitor = Visitor::new(model, &profile);
        let Ok(taste) = visitor.taste() else { continue };
        let rows = catalogue_rows(model, &taste);
        let exclude: Vec<usize> = visitor.exclusions(&profile.settings).into_iter().collect();
        for (m, (_, f)) in rankers.iter().enumerate() {
            let list =
                moviematch_tools::eval::metrics::top_n(&scores(&rows, *f), &exclude, pm::TOP);
            let r = models::Ranked {
                list,
                predicted: None,
            };
            got[m].push(people::score(model, p, &r));
            lists[m].push(r.list.iter().take(pm::HIT_AT).copied().collect());
        }
    }
    for (b, (_, blend)) in blends.iter().enumerate() {
        engine.set_blend(blend);
        for p in &people {
            let r = models::list(engine, p, pm::TOP, &[]);
            got[rankers.len() + b].push(people::score(engine, p, &r));
            lists[rankers.len() + b].push(r.list.iter().take(pm::HIT_AT).copied().collect());
        }
    }
    println!("\ndev set: {} people", people.len());
    println!(
        "{:<22} {:>10} {:>14} {:>10} {:>8}",
        "ranker", "recall@100", "ips_recall@100", "overlap@20", "hit@20"
    );
    let names = rankers
        .iter()
        .map(|r| r.0)
        .chain(blends.iter().map(|b| b.0));
    for (m, name) in names.enumerate() {
        let r = pm::combine(name, &got[m], &lists[m]);
        let f = |v: Option<f64>| v.unwrap_or(f64::NAN);
        println!(
            "{name:<22} {:>10.4} {:>14.4} {:>10.4} {:>8.4}",
            f(r.recall),
            f(r.ips_recall),
            f(r.overlap),
            f(r.hit)
        );
    }
    Ok(())
}
