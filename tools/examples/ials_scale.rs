//! The implicit model's trainer at ml-25m's shape (162,541 users × 59,047 films × 25,000,095
//! ratings, synthetic, long-tailed) with the default settings and 24 features: the time of each
//! epoch. Run under `/usr/bin/time -v` for the peak memory:
//!
//! cargo run --release -p moviematch-tools --example ials_scale [-- EPOCHS]

use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use moviematch_tools::data::synth::{synthesize, SynthParams};
use moviematch_tools::train::ials::{train_watched, IalsParams, Watched};
use rand::{rngs::StdRng, RngExt, SeedableRng};

fn main() {
    let mut p = IalsParams::default();
    if let Some(e) = std::env::args().nth(1) {
        p.epochs = e.parse().expect("a number of epochs");
    }
    let start = Instant::now();
    let data = synthesize(&SynthParams {
        users: 162_541,
        movies: 59_047,
        ratings: 25_000_095,
        k: 8,
        noise: 0.5,
        seed: 25,
        factor_sd: 0.5,
    })
    .ratings;
    eprintln!(
        "{} ratings of {} users on {} films synthesized in {:.1}s",
        data.len(),
        data.n_users(),
        data.n_items(),
        start.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let w = Watched::new(&data);
    drop(data);
    eprintln!(
        "binary matrix: {} pairs, {} users, {} films with ratings ({:.1}s)",
        w.len(),
        w.active_users(),
        w.trained_items(),
        t.elapsed().as_secs_f64()
    );
    let f = 24;
    let mut rng = StdRng::seed_from_u64(7);
    let x: Vec<f32> = (0..w.n_items() * f)
        .map(|_| rng.random::<f32>() - 0.5)
        .collect();
    let pb = ProgressBar::new(p.epochs as u64);
    pb.set_style(
        ProgressStyle::with_template("implicit [{bar:30}] {pos}/{len} epochs {elapsed} ({eta})")
            .unwrap()
            .progress_chars("=> "),
    );
    let t = Instant::now();
    let m = train_watched(&w, &x, f, &p, |e| {
        pb.inc(1);
        pb.suspend(|| {
            eprintln!(
                "epoch {:>2}  loss {:>16.3}  {:.1}s",
                e.epoch, e.loss, e.seconds
            )
        });
    });
    pb.finish_and_clear();
    eprintln!(
        "{p:?}: {} epochs in {:.1}s ({:.1}s in all)",
        m.history.len(),
        t.elapsed().as_secs_f64(),
        start.elapsed().as_secs_f64()
    );
}
