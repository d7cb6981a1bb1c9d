//! `tools simulate`: how fast the engine learns a visitor, measured on the fold-in users of
//! `tools eval` (see `crate::simulate`). Trains on the fold-in training part, picks the ranking's
//! popularity weight and caution on the tuning users (at 0 answers and with the full pool), then
//! reports NDCG@10 and Recall@20 curves on the other users. `--json` prints only
//! `{"users":N,"curves":[..]}` on stdout; `--plot` draws the curves.

use std::collections::HashMap;
use std::path::PathBuf;

use anyhow::Result;
use moviematch::rank::RankOptions;
use moviematch::Posterior;
use moviematch::Model;
use serde::Serialize;

use crate::cmd::eval::{combine, train_irt};
use crate::cmd::DataArgs;
use crate::foldin::FoldUser;
use crate::irt::IrtParams;
use crate::simulate::{
    run_user, score_posterior, simulate, Curve, Policy, SimUser, Variant, CHECKPOINTS,
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
    #[arg(long, value_delimiter = ',', default_value = "0,0.25,0.5,1,1.5,2,3")]
    pub popularity: Vec<f32>,
    /// Caution values tried on the tuning users.
    #[arg(long, value_delimiter = ',', default_value = "0,1")]
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
            pool: u.pool.iter().map(|&(i, r)| (row(i), r)).collect::<HashMap<_, _>>(),
            targets: u.targets.iter().map(|&(i, r)| (row(i), r)).collect(),
        })
        .collect()
}

/// The ranking settings with the best mean of NDCG@10 at 0 answers and with the full pool.
fn tune_ranking(model: &Model, users: &[SimUser], a: &Args, popular: &[usize]) -> RankOptions {
    use rayon::prelude::*;
    let mut best: Option<(f64, RankOptions)> = None;
    eprintln!("ranking on {} tuning users: popularity caution  NDCG@10 (0 answers, full pool)", users.len());
    for &caution in &a.caution {
        for &popularity in &a.popularity {
            let rank = RankOptions {
                caution,
                popularity,
                ..RankOptions::default()
            };
            let at = |policy: Policy| {
                let s: Vec<_> = users
                    .par_iter()
                    .map(|u| run_user(model, u, policy, Variant::Known, &rank, popular, 0)[0])
                    .collect();
                combine("", &s, false).ndcg_10.unwrap_or(0.0)
            };
            // The prior is what every question strategy starts from: its 0-answer list.
            let prior = Posterior::prior(model).expect("prior is positive definite");
            let s: Vec<_> = users
                .par_iter()
                .map(|u| score_posterior(model, &prior, u, &rank))
                .collect();
            let cold = combine("", &s, false).ndcg_10.unwrap_or(0.0);
            let full = at(Policy::FullProfile);
            eprintln!("  {popularity:>10} {caution:>7}  {cold:.4}  {full:.4}");
            let v = (cold + full) / 2.0;
            if best.as_ref().is_none_or(|b| v > b.0) {
                best = Some((v, rank));
            }
        }
    }
    let rank = best.map(|b| b.1).unwrap_or_default();
    eprintln!(
        "chosen: popularity {} caution {}",
        rank.popularity, rank.caution
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
    let mut popular: Vec<u32> = (0..train.n_items() as u32).filter(|&i| count[i as usize] > 0).collect();
    popular.sort_by_key(|&i| (std::cmp::Reverse(count[i as usize]), i));
    let popular: Vec<usize> = popular.into_iter().map(row).collect();

    let tuning: Vec<&FoldUser> = fold.users.iter().filter(|u| u.tuning).collect();
    let mut report: Vec<&FoldUser> = fold.users.iter().filter(|u| !u.tuning).collect();
    if let Some(n) = a.max_users {
        report.truncate(n);
    }
    let rank = tune_ranking(&engine, &sim_users(&tuning, &row), a, &popular);
    let users = sim_users(&report, &row);
    let curves = simulate(&engine, &users, &Policy::all(), &rank, &popular, a.seed, |what| {
        eprintln!("simulating {what} on {} users", users.len())
    });
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
    println!("{} users; NDCG@10 after {:?} answers (share of full-profile at 10)", users.len(), CHECKPOINTS);
    for c in &curves {
        let at10 = c.ndcg_10[CHECKPOINTS.iter().position(|&x| x == 10).unwrap_or(0)];
        println!(
            "{:<18} {:<6} {}  ({:.0}%)",
            c.strategy,
            format!("{:?}", c.variant).to_lowercase(),
            c.ndcg_10.iter().map(|v| format!("{v:.3}")).collect::<Vec<_>>().join(" "),
            100.0 * at10 / full(c.variant)
        );
    }
    Ok(())
}
