//! `tools report`: pictures of what the model does, with a Markdown page that states what each
//! shows. They exist to rule out the seeds' failure modes at a glance: predictions out of range,
//! obscure movies dominating the lists, exploding factors.
//!
//! The held-out pictures (training curves, calibration, coverage and RMSE by popularity) need a
//! model that has not seen the held-out ratings: it is trained on the random 90/10 split of
//! `--seed` exactly as `tools eval` trains it, and scored as eval's `irt-int8`. The pictures over
//! the whole catalogue use `--bundle` through the engine, as the browser does (default: the
//! split-trained model, assembled into a bundle).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use moviematch::Model;

use super::load_model;
use super::DataArgs;
use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::Ratings;
use crate::data::split::random_split;
use crate::eval::fit::{train_irt_with, IrtFit, Stage};
use crate::report::calibration::{calibration_bins, decile_stats, summarize};
use crate::report::fit::score_heldout;
use crate::report::page::Findings;
use crate::report::{catalogue, intro, pictures};
use crate::train::irt::IrtParams;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Bundle for the pictures over the whole catalogue; default: the model trained on the split.
    #[arg(long)]
    pub bundle: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataArgs,
    /// Folder for the SVG pictures and README.md (created if missing).
    #[arg(long)]
    pub out: PathBuf,
    /// Seed of the random 90/10 split and of training.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    #[arg(long, default_value_t = 32)]
    pub k: usize,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
}

pub fn run(a: &Args) -> Result<()> {
    let start = Instant::now();
    if a.k == 0 || a.k > 256 {
        bail!("--k must be in 1..=256");
    }
    // Same inputs and defaults as `tools eval` (sibling `imdb/` and `ml-25m/` folders).
    let (ratings, cat) = a.data.load()?;
    let (train, test) = random_split(&ratings, 0.1, a.seed);
    let name = a
        .data
        .movielens
        .file_name()
        .map_or("ratings".into(), |s| s.to_string_lossy().into_owned());
    eprintln!(
        "report on {name}: {} training and {} held-out ratings (seed {})",
        train.len(),
        test.len(),
        a.seed
    );
    let params = IrtParams {
        k: a.k,
        epochs: a.epochs,
        ..IrtParams::default()
    };
    let fit = train_with_progress(&train, &cat, a.seed, &params);
    let held = score_heldout(&fit, &train, &test, a.seed);
    let clip = (params.clip.0 as f64, params.clip.1 as f64);
    let heldout = summarize(&held, clip).context("the split held out no ratings")?;
    eprintln!(
        "held-out RMSE {:.4}, coverage 50% {:.3} / 90% {:.3} ({:.1}s)",
        heldout.rmse,
        heldout.cov50,
        heldout.cov90,
        start.elapsed().as_secs_f64()
    );

    // The catalogue pictures: the given bundle with every rating as profiles, or the split's
    // model with the training part (so nothing held out leaks into them either).
    let loaded: Model;
    let (engine, profiles, source): (&Model, &Ratings, String) = match &a.bundle {
        Some(b) => {
            loaded = load_model(b)?;
            let s = intro::given_bundle(&b.display().to_string(), &loaded);
            (&loaded, &ratings, s)
        }
        None => (&fit.engine, &train, intro::split_bundle(&fit.engine)),
    };
    let visitors = catalogue::visitors(engine, profiles);
    let split = intro::Split {
        name: &name,
        ratings: &ratings,
        cat: &cat,
        seed: a.seed,
        train_n: train.len(),
        test_n: test.len(),
        k: a.k,
        epochs: fit.model.history.len(),
    };
    let findings = Findings {
        intro: intro::intro(&split, source),
        heldout,
        bins: calibration_bins(&held, 0.25),
        deciles: decile_stats(&held, clip),
        ..Findings::default()
    };
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("cannot create {}", a.out.display()))?;
    let page = pictures::draw_all(&a.out, &fit, engine, &visitors, findings)?;
    let md = a.out.join("README.md");
    std::fs::write(&md, page).with_context(|| format!("cannot write {}", md.display()))?;
    eprintln!(
        "wrote the pictures and {} in {:.1}s",
        md.display(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// [`train_irt_with`] with the epoch bar and per-epoch lines `tools train` prints.
fn train_with_progress(
    train: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    params: &IrtParams,
) -> IrtFit {
    let pb = ProgressBar::new(params.epochs as u64);
    pb.set_style(
        ProgressStyle::with_template("{prefix:>8} [{bar:30}] {pos}/{len} epochs")
            .unwrap()
            .progress_chars("=> "),
    );
    pb.set_prefix("probe");
    let mut stage = Stage::Probe;
    let mut probe_epochs = 0u64;
    let fit = train_irt_with(
        train,
        cat,
        seed,
        params,
        Some(&Default::default()),
        &[],
        |s, e| {
            if s != stage {
                stage = s;
                pb.set_prefix("final");
                pb.set_length(probe_epochs);
                pb.set_position(0);
            }
            if s == Stage::Probe {
                probe_epochs += 1;
            }
            pb.inc(1);
            // Through `suspend` so the lines also reach a log when stderr is not a terminal.
            pb.suspend(|| {
                eprintln!(
                    "{:<5} epoch {:>2}  ELBO {:>14.1}  σ {:.4}  train RMSE {:.4}  held-out RMSE {}",
                    if s == Stage::Probe { "probe" } else { "final" },
                    e.epoch,
                    e.elbo,
                    e.sigma,
                    e.train_rmse,
                    e.heldout_rmse.map_or("–".into(), |h| format!("{h:.4}"))
                )
            });
        },
    );
    pb.finish_and_clear();
    fit
}
