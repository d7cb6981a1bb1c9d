//! `tools tune`: the anchoring strength and the feature-weight prior, chosen on the fold-in
//! tuning users (see `crate::eval::tune`). Prints the grid and the chosen point; the chosen
//! values are what `IrtParams::default()` uses (update them there when this says otherwise).

use anyhow::Result;
use serde::Serialize;

use super::DataArgs;
use crate::eval::tune::{choose, grid, TunePoint};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Seed of the fold-in split (the same split `tools eval` reports on).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Multipliers on σ_b² (one training each).
    #[arg(long, value_delimiter = ',', default_value = "0.25,0.5,1,2")]
    pub anchoring: Vec<f64>,
    /// Multipliers on the visitor prior covariance of the feature weights.
    #[arg(long, value_delimiter = ',', default_value = "0.25,0.5,1,2,4")]
    pub feature_prior: Vec<f64>,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
    /// Print only JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Serialize)]
struct Output {
    seed: u64,
    tuning_users: usize,
    grid: Vec<TunePoint>,
    chosen: Option<TunePoint>,
}

pub fn run(a: &Args) -> Result<()> {
    let (ratings, cat) = a.data.load()?;
    let (tuning_users, grid) = grid(
        &ratings,
        &cat,
        a.seed,
        a.epochs,
        &a.anchoring,
        &a.feature_prior,
    );
    let out = Output {
        seed: a.seed,
        tuning_users,
        chosen: choose(&grid).cloned(),
        grid,
    };
    if a.json {
        println!("{}", serde_json::to_string(&out)?);
    } else {
        println!(
            "{:>9} | {:>13} | {:>7} | {:>7} | {:>8}",
            "anchoring", "feature prior", "RMSE", "NDCG@10", "Spearman"
        );
        for p in &out.grid {
            println!(
                "{:>9} | {:>13} | {:>7.4} | {:>7.4} | {:>8.4}",
                p.anchoring,
                p.feature_prior,
                p.rmse.unwrap_or(f64::NAN),
                p.ndcg_10.unwrap_or(f64::NAN),
                p.spearman_user.unwrap_or(f64::NAN)
            );
        }
        if let Some(c) = &out.chosen {
            println!(
                "chosen on {} tuning users: anchoring × {}, feature prior × {}",
                out.tuning_users, c.anchoring, c.feature_prior
            );
        }
    }
    Ok(())
}
