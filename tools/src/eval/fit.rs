//! The IRT model as every protocol (and `tools report`) trains it: epochs chosen by early
//! stopping on a held-out part of the training ratings, refitted on all of them, then encoded
//! to the int8 bundle and decoded back through the engine.

use moviematch::Model;

use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::Ratings;
use crate::data::movietweetings::ExtraRating;
use crate::data::split::random_split;
use crate::train::assemble::{assemble, BundleInputs, ImplicitFit};
use crate::train::ials::IalsParams;
use crate::train::irt::{self, IrtEpoch, IrtModel, IrtParams};

/// Which of the two trainings in [`train_irt`] an epoch belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// On 90% of the training part, held-out RMSE on the other 10% picks the epoch count.
    Probe,
    /// On the whole training part for the probe's number of epochs.
    Final,
}

/// A model trained by [`train_irt`], with its training record.
pub struct IrtFit {
    /// The probe's epochs (their `heldout_rmse` is on the probe's stopping part).
    pub probe: Vec<IrtEpoch>,
    /// Ratings the probe trained on.
    pub probe_n: usize,
    /// The final model; `model.history` is its own epochs.
    pub model: IrtModel,
    /// Ratings the final model trained on.
    pub train_n: usize,
    /// The final model after the int8 bundle round trip.
    pub engine: Model,
}

/// The IRT model as every protocol trains it: epochs chosen by early stopping on a held-out
/// part of `train`, refitted on all of `train`, then through the int8 bundle into the engine.
/// Prints the probe's held-out RMSE per epoch.
pub fn train_irt(train: &Ratings, cat: &CatalogueInfo, seed: u64, params: &IrtParams) -> IrtFit {
    let implicit = IalsParams::default();
    train_irt_with(
        train,
        cat,
        seed,
        params,
        Some(&implicit),
        &[],
        |stage, e| {
            if stage == Stage::Probe {
                eprintln!(
                    "seed {seed} probe epoch {} held-out RMSE {:.4}",
                    e.epoch,
                    e.heldout_rmse.unwrap_or(f64::NAN)
                )
            }
        },
    )
}

/// [`train_irt`] with the implicit model's settings given (`None`: no implicit model) and its
/// extra users (see [`Ratings::with_extra_users`]), reporting every epoch of both trainings to `on_epoch` instead of printing.
pub fn train_irt_with(
    train: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    params: &IrtParams,
    implicit: Option<&IalsParams>,
    extra_watched: &[ExtraRating],
    mut on_epoch: impl FnMut(Stage, &IrtEpoch),
) -> IrtFit {
    let x = cat.item_features(train);
    let f = cat.spec.len();
    let (fit, stop) = random_split(train, 0.1, seed ^ 0xa15);
    let probe = irt::train(
        &fit,
        Some(&stop),
        &x,
        f,
        &IrtParams {
            seed,
            ..params.clone()
        },
        |e| on_epoch(Stage::Probe, e),
    );
    let irt_params = IrtParams {
        seed,
        epochs: probe.history.len(),
        ..params.clone()
    };
    let model = irt::train(train, None, &x, f, &irt_params, |e| {
        on_epoch(Stage::Final, e)
    });
    // The implicit model on the same ratings and the extra users: the engine's list ranks
    // with it.
    let watched = train.with_extra_users(extra_watched);
    let implicit = implicit.map(|p| {
        let x = cat.item_features(&watched);
        crate::train::ials::train(&watched, &x, f, &IalsParams { seed, ..p.clone() }, |_| {})
    });
    let bundle = assemble(
        &model,
        &irt_params,
        cat,
        &BundleInputs {
            train,
            dataset: "eval".into(),
            created_unix: 0,
            holdout_fraction: 0.0,
            holdout_rmse: f32::NAN,
            holdout_rmse_bias_only: f32::NAN,
            implicit: implicit.as_ref().map(|model| ImplicitFit {
                model,
                item_ids: &watched.item_ids,
            }),
        },
    )
    .expect("the trained model makes a valid bundle");
    let engine = Model::from_bytes(&bundle.encode()).expect("the bundle decodes");
    IrtFit {
        probe: probe.history,
        probe_n: fit.len(),
        model,
        train_n: train.len(),
        engine,
    }
}
