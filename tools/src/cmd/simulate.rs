//! `tools simulate`: how fast the engine learns a visitor, measured on the fold-in users of
//! `tools eval` (see `crate::simulate`). Trains on the fold-in training part, picks the ranking's
//! popularity weight and caution on the tuning users (at 0 answers and with the full pool), then
//! reports NDCG@10 and Recall@20 curves on the other users. `--json` prints only
//! `{"users":N,"curves":[..]}` on stdout; `--plot` draws the curves.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Result;
use moviematch::rank::RankOptions;
use moviematch::Model;
use moviematch::Posterior;
use serde::Serialize;

use crate::cmd::eval::{train_irt, UserScore};
use crate::cmd::DataArgs;
use crate::foldin::FoldUser;
use crate::irt::IrtParams;
use crate::simulate::{
    full_posterior, run_user, score_posterior, simulate, Curve, Policy, SimUser, Variant,
    CHECKPOINTS,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Seed of the fold-in split (the same split `tools eval` reports on).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    /// Popularity weights tried on the tuning users.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "0,0.25,0.5,1,1.5,2,3,4,6"
    )]
    pub popularity: Vec<f32>,
    /// Caution values tried on the tuning users (ties keep the first).
    #[arg(long, value_delimiter = ',', default_value = "1,0")]
    pub caution: Vec<f32>,
    /// Report on at most this many users (all by default).
    #[arg(long)]
    pub max_users: Option<usize>,
    /// Print only JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Also draw the curves to this SVG file.
    #[arg(long)]
    pub plot: Option<PathBuf>,
}

#[derive(Debug, Serialize)]
struct Output {
    users: usize,
    curves: Vec<Curve>,
}

fn sim_users(users: &[&FoldUser], row: &dyn Fn(u32) -> usize) -> Vec<SimUser> {
    users
        .iter()
        .map(|u| SimUser {
            pool: u
                .pool
                .iter()
                .map(|&(i, r)| (row(i), r))
                .collect::<HashMap<_, _>>(),
            targets: u.targets.iter().map(|&(i, r)| (row(i), r)).collect(),
        })
        .collect()
}

/// The ranking settings for the product, chosen on the tuning users: the **smallest**
/// popularity weight (then the first caution) whose 0-answer list is at least as good as the
/// popularity ranking (the floor) and whose full-pool NDCG@10 is within 3% of the
/// grid's best. Why the smallest: on MovieLens the held-out liked movies are mostly popular
/// ones, so NDCG keeps creeping up with more popularity long after the list has stopped
/// following the visitor (at weight 6 a movie predicted 3.5★ enters a sci-fi fan's top 10
/// because everyone has seen it); the smallest weight that meets both bars keeps the list
/// personal.
fn tune_ranking(model: &Model, users: &[SimUser], a: &Args, popular: &[usize]) -> RankOptions {
    use rayon::prelude::*;
    let pop_floor = {
        let s: Vec<UserScore> = users
            .par_iter()
            .map(|u| {
                run_user(
                    model,
                    u,
                    Policy::Popularity,
                    Variant::Known,
                    &RankOptions::default(),
                    popular,
                    0,
                )[0]
            })
            .collect();
        crate::cmd::eval::combine("", &s, false)
            .ndcg_10
            .unwrap_or(0.0)
    };
    eprintln!(
        "ranking on {} tuning users (popularity ranking: NDCG@10 {pop_floor:.4}): popularity caution  NDCG@10 (0 answers, full pool)",
        users.len()
    );
    let prior = Posterior::prior(model).expect("prior is positive definite");
    // The posteriors do not depend on the ranking settings: fitted once, ranked per grid point.
    let full: Vec<Posterior> = users.par_iter().map(|u| full_posterior(model, u)).collect();
    let ndcg = |s: UserScore| s.3.map(|t| t.1);
    let mut points: Vec<(RankOptions, f64, f64)> = Vec::new();
    for &caution in &a.caution {
        for &popularity in &a.popularity {
            let rank = RankOptions {
                caution,
                popularity,
                ..RankOptions::default()
            };
            let per_user: Vec<(Option<f64>, Option<f64>)> = users
                .par_iter()
                .zip(&full)
                .map(|(u, post)| {
                    let cold = score_posterior(model, &prior, u, &rank);
                    let full = score_posterior(model, post, u, &rank);
                    (ndcg(cold), ndcg(full))
                })
                .collect();
            let mean = |f: &dyn Fn(&(Option<f64>, Option<f64>)) -> Option<f64>| {
                let v: Vec<f64> = per_user.iter().filter_map(f).collect();
                v.iter().sum::<f64>() / v.len().max(1) as f64
            };
            eprintln!(
                "  {popularity:>10} {caution:>7}  {:.4}  {:.4}",
                mean(&|p| p.0),
                mean(&|p| p.1)
            );
            points.push((rank, mean(&|p| p.0), mean(&|p| p.1)));
        }
    }
    let best_full = points.iter().map(|p| p.2).fold(f64::NEG_INFINITY, f64::max);
    let chosen = points
        .iter()
        .filter(|p| p.1 >= pop_floor && p.2 >= 0.97 * best_full)
        .min_by(|x, y| x.0.popularity.total_cmp(&y.0.popularity))
        .or_else(|| {
            points
                .iter()
                .max_by(|x, y| (x.1 + x.2).total_cmp(&(y.1 + y.2)))
        })
        .expect("a non-empty grid");
    let rank = chosen.0.clone();
    eprintln!(
        "chosen: popularity {} caution {} (NDCG@10 {:.4} at 0 answers, {:.4} full; best full {:.4})",
        rank.popularity, rank.caution, chosen.1, chosen.2, best_full
    );
    rank
}

pub fn run(a: &Args) -> Result<()> {
    let (ratings, cat) = a.data.load()?;
    let fold = crate::foldin::split(&ratings, a.seed);
    let params = IrtParams {
        epochs: a.epochs,
        ..IrtParams::default()
    };
    eprintln!("training on {} ratings", fold.train.len());
    let engine = train_irt(&fold.train, &cat, a.seed, &params).engine;
    let train = &fold.train;
    let row = |i: u32| {
        engine
            .by_movielens_id(train.item_ids[i as usize])
            .expect("every rated movie is in the catalogue")
    };
    // MovieLens popularity: training rating counts, most rated first.
    let mut count = vec![0u32; train.n_items()];
    for &i in &train.item {
        count[i as usize] += 1;
    }
    let mut popular: Vec<u32> = (0..train.n_items() as u32)
        .filter(|&i| count[i as usize] > 0)
        .collect();
    popular.sort_by_key(|&i| (std::cmp::Reverse(count[i as usize]), i));
    let popular: Vec<usize> = popular.into_iter().map(row).collect();

    let tuning: Vec<&FoldUser> = fold.users.iter().filter(|u| u.tuning).collect();
    let mut report: Vec<&FoldUser> = fold.users.iter().filter(|u| !u.tuning).collect();
    if let Some(n) = a.max_users {
        report.truncate(n);
    }
    let rank = tune_ranking(&engine, &sim_users(&tuning, &row), a, &popular);
    let users = sim_users(&report, &row);
    let curves = simulate(
        &engine,
        &users,
        &Policy::all(),
        &rank,
        &popular,
        a.seed,
        |what| eprintln!("simulating {what} on {} users", users.len()),
    );
    let full = |v: Variant| {
        curves
            .iter()
            .find(|c| c.strategy == "full-profile" && c.variant == v)
            .map(|c| c.ndcg_10[0])
            .unwrap_or(f64::NAN)
    };
    if let Some(path) = &a.plot {
        crate::report::plots::elicitation(path, &curves)?;
        eprintln!("wrote {}", path.display());
    }
    if a.json {
        println!(
            "{}",
            serde_json::to_string(&Output {
                users: users.len(),
                curves,
            })?
        );
        return Ok(());
    }
    println!(
        "{} users; NDCG@10 after {:?} answers (share of full-profile at 10)",
        users.len(),
        CHECKPOINTS
    );
    for c in &curves {
        let at10 = c.ndcg_10[CHECKPOINTS.iter().position(|&x| x == 10).unwrap_or(0)];
        println!(
            "{:<18} {:<6} {}  ({:.0}%)",
            c.strategy,
            format!("{:?}", c.variant).to_lowercase(),
            c.ndcg_10
                .iter()
                .map(|v| format!("{v:.3}"))
                .collect::<Vec<_>>()
                .join(" "),
            100.0 * at10 / full(c.variant)
        );
    }
    Ok(())
}
