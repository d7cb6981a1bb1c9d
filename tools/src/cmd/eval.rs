//! `tools eval`: a seeded random 90/10 split; RMSE and MAE of the global mean, bias-only, and the
//! latent-factor model both in f32 and through the bundle's int8 quantization (what users get).

use std::path::PathBuf;

use anyhow::Result;
use moviematch::bundle::{dequantize_row, quantize_row};
use serde::Serialize;

use crate::als::{self, AlsModel, AlsParams};
use crate::movielens::{read_ratings, Ratings};
use crate::split::random_split;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    pub movielens: PathBuf,
    /// Print only JSON on stdout.
    #[arg(long)]
    pub json: bool,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = 32)]
    pub k: usize,
    #[arg(long, default_value_t = 20)]
    pub epochs: usize,
}

#[derive(Debug, Serialize, PartialEq)]
pub struct ModelScore {
    pub name: String,
    pub rmse: f64,
    pub mae: f64,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub protocol: &'static str,
    pub seeds: Vec<u64>,
    pub models: Vec<ModelScore>,
}

pub fn run(a: &Args) -> Result<()> {
    let ratings = read_ratings(&a.movielens)?;
    let report = evaluate(
        &ratings,
        a.seed,
        &AlsParams {
            k: a.k,
            epochs: a.epochs,
            seed: a.seed,
            ..AlsParams::default()
        },
    );
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        println!(
            "protocol {} (seed {}), {} ratings",
            report.protocol,
            a.seed,
            ratings.len()
        );
        println!("{:<14} {:>8} {:>8}", "model", "RMSE", "MAE");
        for m in &report.models {
            println!("{:<14} {:>8.4} {:>8.4}", m.name, m.rmse, m.mae);
        }
    }
    Ok(())
}

/// Trains every model on 90% and scores the held-out 10%.
pub fn evaluate(ratings: &Ratings, seed: u64, params: &AlsParams) -> Report {
    let (train, test) = random_split(ratings, 0.1, seed);
    // Early stopping needs its own held-out part, carved from the training 90% only.
    let (fit, stop) = random_split(&train, 0.1, seed ^ 0xa15);
    let mu = train.value.iter().map(|&v| v as f64).sum::<f64>() / train.len() as f64;
    let score = |name: &str, f: &dyn Fn(usize) -> f32| {
        let (mut se, mut ae) = (0.0, 0.0);
        for j in 0..test.len() {
            let e = (f(j) - test.value[j]) as f64;
            se += e * e;
            ae += e.abs();
        }
        let n = test.len().max(1) as f64;
        ModelScore {
            name: name.into(),
            rmse: (se / n).sqrt(),
            mae: ae / n,
        }
    };
    let bias = refit(
        &train,
        &fit,
        &stop,
        &AlsParams {
            k: 0,
            ..params.clone()
        },
    );
    let mf = refit(&train, &fit, &stop, params);
    let q = quantized(&mf);
    let pred = |m: &AlsModel, j: usize| m.predict(test.user[j] as usize, test.item[j] as usize);
    let clip = |v: f64| v.clamp(0.5, 5.0) as f32;
    let models = vec![
        score("global-mean", &|_| clip(mu)),
        score("bias", &|j| pred(&bias, j)),
        score("als-f32", &|j| pred(&mf, j)),
        score("als-int8", &|j| pred(&q, j)),
    ];
    Report {
        protocol: "random-90-10",
        seeds: vec![seed],
        models,
    }
}

/// Picks the epoch count by early stopping on `stop`, then refits on the whole training part.
fn refit(train: &Ratings, fit: &Ratings, stop: &Ratings, p: &AlsParams) -> AlsModel {
    let probe = als::train(fit, Some(stop), p, |_| {});
    als::train(
        train,
        None,
        &AlsParams {
            epochs: probe.epochs_run,
            ..p.clone()
        },
        |_| {},
    )
}

/// The model with its item factors passed through the bundle's int8 quantization.
fn quantized(m: &AlsModel) -> AlsModel {
    let mut q = m.clone();
    let k = m.k;
    if k == 0 {
        return q;
    }
    for row in q.item_f.chunks_mut(k) {
        let (bytes, scale) = quantize_row(row);
        dequantize_row(&bytes, scale, row);
    }
    q
}
