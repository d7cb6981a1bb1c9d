//! `tools`: train, evaluate, inspect and query recommender bundles. Kept thin: parse flags,
//! dispatch to a `cmd` module, print errors.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use moviematch_tools::cmd;

#[derive(Parser)]
#[command(
    name = "tools",
    version,
    about = "Train, evaluate and inspect movie-recommender bundles"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Train a model on a MovieLens release and write a bundle.
    Train(cmd::train::Args),
    /// Compare the model with baselines on a seeded 90/10 split.
    Eval(cmd::eval::Args),
    /// Measure taste drift's half-life on a per-person time split (real people, MovieLens).
    Drift(cmd::drift::Args),
    /// Show what a bundle holds.
    Inspect(cmd::inspect::Args),
    /// Cut the head of a bundle (the films a new visitor most likely knows) and measure it.
    Head(cmd::head::Args),
    /// Recommend movies for an IMDb ratings export.
    Recommend(cmd::recommend::Args),
    /// Write SVG pictures and a Markdown page that show what the model does.
    Report(cmd::report::Args),
    /// Write a synthetic MovieLens-format dataset with planted factors.
    Synth(cmd::synth::Args),
    /// Choose the anchoring strength and feature-weight prior on fold-in tuning users.
    Tune(cmd::tune::Args),
    /// Measure how fast question strategies learn fold-in users (NDCG@10 by answers).
    Simulate(cmd::simulate::Args),
    /// Answer the engine's questions in the terminal; the profile grows with each answer.
    Calibrate(cmd::calibrate::Args),
    /// "Would I like this one?": one film's prediction, interval and reasons for a profile.
    Predict(cmd::predict::Args),
    /// "More like this": a film's nearest films, re-ranked for a profile.
    Similar(cmd::similar::Args),
    /// Rate a title by comparing it with movies you rated.
    Rate(cmd::rate::Args),
    /// Read a ratings export into a profile and say how much of it matched.
    Import(cmd::import::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Train(a) => cmd::train::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::Drift(a) => cmd::drift::run(a),
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Head(a) => cmd::head::run(a),
        Command::Recommend(a) => cmd::recommend::run(a),
        Command::Report(a) => cmd::report::run(a),
        Command::Synth(a) => cmd::synth::run(a),
        Command::Tune(a) => cmd::tune::run(a),
        Command::Simulate(a) => cmd::simulate::run(a),
        Command::Calibrate(a) => cmd::calibrate::run(a),
        Command::Predict(a) => cmd::predict::run(a),
        Command::Similar(a) => cmd::similar::run(a),
        Command::Rate(a) => cmd::rate::run(a),
        Command::Import(a) => cmd::import::run(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            // An unknown title is the caller's input, not a failure of the tool.
            if e.downcast_ref::<cmd::UnknownMovie>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
