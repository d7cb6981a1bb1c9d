//! `tools synth`: writes a synthetic MovieLens-format dataset with planted factors.

use std::path::PathBuf;

use anyhow::Result;

use crate::data::synth::{synthesize, write_dataset, SynthParams};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output folder (ratings.csv, movies.csv, links.csv).
    #[arg(long)]
    pub out: PathBuf,
    /// Also write IMDb's title.ratings.tsv into this folder.
    #[arg(long)]
    pub imdb_out: Option<PathBuf>,
    #[arg(long, default_value_t = 610)]
    pub users: usize,
    #[arg(long, default_value_t = 9742)]
    pub movies: usize,
    #[arg(long, default_value_t = 100_836)]
    pub ratings: usize,
    /// Planted latent dimension.
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// Planted noise σ.
    #[arg(long, default_value_t = 0.5)]
    pub noise: f64,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
}

pub fn run(a: &Args) -> Result<()> {
    let p = SynthParams {
        users: a.users,
        movies: a.movies,
        ratings: a.ratings,
        k: a.k,
        noise: a.noise,
        seed: a.seed,
        factor_sd: 0.5,
    };
    let s = synthesize(&p);
    write_dataset(&s, &a.out, a.imdb_out.as_deref(), a.seed)?;
    eprintln!(
        "wrote {} ratings of {} users on {} movies to {}",
        s.ratings.len(),
        a.users,
        a.movies,
        a.out.display()
    );
    Ok(())
}
