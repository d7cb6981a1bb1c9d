//! `tools eval`: every model of the comparison under every protocol (see
//! `crate::eval::protocols`), as a table or as JSON.

use anyhow::Result;

use super::DataArgs;
use crate::eval::metrics::ModelScore;
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
}

pub fn run(a: &Args) -> Result<()> {
    let (ratings, cat) = a.data.load()?;
    let params = IrtParams {
        k: a.k,
        epochs: a.epochs,
        ..IrtParams::default()
    };
    let report = evaluate(&ratings, &cat, &a.seeds, &params);
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
