//! `tools simulate`: how fast the engine learns a visitor, measured on the fold-in users of
//! `tools eval` (see `crate::eval::simulate`). Trains on the fold-in training part, picks the ranking's
//! popularity weight and caution on the tuning users (at 0 answers and with the full pool), then
//! reports NDCG@10 and Recall@20 curves on the other users. `--json` prints only
//! `{"users":N,"curves":[..]}` on stdout; `--plot` draws the curves.

use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use super::DataArgs;
use crate::eval::simulate::protocol::{run as simulate, SimulateParams, Simulation};
use crate::eval::simulate::replay::{Curve, Variant, CHECKPOINTS};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Seed of the fold-in split (the same split `tools eval` reports on).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    /// Popularity weights tried on the tuning users (the lists are the app's, so weights are
    /// clamped to the settings' range, −1 to 3).
    #[arg(long, value_delimiter = ',', default_value = "0,0.25,0.5,1,1.5,2,3")]
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

pub fn run(a: &Args) -> Result<()> {
    let (ratings, cat) = a.data.load()?;
    let Simulation { users, curves } = simulate(
        &ratings,
        &cat,
        &SimulateParams {
            seed: a.seed,
            epochs: a.epochs,
            popularity: a.popularity.clone(),
            caution: a.caution.clone(),
            max_users: a.max_users,
        },
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
        println!("{}", serde_json::to_string(&Output { users, curves })?);
        return Ok(());
    }
    println!(
        "{} users; NDCG@10 after {:?} answers (share of full-profile at 10)",
        users, CHECKPOINTS
    );
    for c in &curves {
        let at10 = c.ndcg_10[CHECKPOINTS.iter().position(|&x| x == 10).unwrap_or(0)];
        let row = |v: &[f64], digits: usize| {
            v.iter()
                .map(|x| format!("{x:.digits$}"))
                .collect::<Vec<_>>()
                .join(" ")
        };
        println!(
            "{:<18} {:<6} {}  ({:.0}%)  list change@20 {}",
            c.strategy,
            format!("{:?}", c.variant).to_lowercase(),
            row(&c.ndcg_10, 3),
            100.0 * at10 / full(c.variant),
            row(&c.list_change_20, 1)
        );
    }
    Ok(())
}
