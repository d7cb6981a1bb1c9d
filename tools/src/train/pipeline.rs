//! `tools train`'s build of the product bundle: train on all but a held-out share to measure
//! held-out RMSE (and stop early on it), the bias-only and global-mean RMSE on the same share
//! for comparison, refit on every rating for the chosen number of epochs, fit the implicit model
//! (iALS) on the same ratings, then assemble.

use anyhow::Result;
use moviematch::Bundle;

use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::Ratings;
use crate::data::movietweetings::ExtraRating;
use crate::data::split::random_split;
use crate::train::als::{self, AlsParams};
use crate::train::assemble::{assemble, BundleInputs, ImplicitFit};
use crate::train::ials::{self, IalsEpoch, IalsParams};
use crate::train::irt::{self, IrtEpoch, IrtModel, IrtParams};

/// What the build does besides training (`params`).
#[derive(Debug, Clone)]
pub struct BuildParams {
    pub params: IrtParams,
    /// The implicit model's settings (`None`: the bundle has no implicit model).
    pub implicit: Option<IalsParams>,
    /// More users' films for the implicit model only (MovieTweetings): who watched what, from
    /// IMDb's users, beside the MovieLens users.
    pub extra_watched: Vec<ExtraRating>,
    /// Share of ratings held out to monitor RMSE and stop early (0: none).
    pub holdout: f64,
    /// Keep the model fitted without the held-out share instead of refitting on everything.
    pub no_refit: bool,
    /// The header's dataset name and creation date.
    pub dataset: String,
    pub created_unix: i64,
}

/// What the build reports as it goes, in order.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A training of at most `epochs` epochs starts.
    Start {
        epochs: usize,
    },
    Epoch(&'a IrtEpoch),
    /// That training is over.
    Done,
    /// The held-out share's RMSE of the model (after `epochs` epochs), of bias-only ALS and of
    /// the global mean.
    HeldOut {
        rmse: f64,
        epochs: usize,
        bias_only: f64,
        global_mean: f64,
    },
    /// Refitting on every rating for `epochs` epochs (a `Start` follows).
    Refit {
        epochs: usize,
    },
    /// The implicit model's training of `epochs` epochs starts.
    ImplicitStart {
        epochs: usize,
    },
    ImplicitEpoch(&'a IalsEpoch),
    /// That training is over.
    ImplicitDone,
}

/// RMSE of predicting `train`'s mean rating for every rating of `test`.
pub fn global_mean_rmse(train: &Ratings, test: &Ratings) -> f64 {
    let mu = train.value.iter().map(|&v| v as f64).sum::<f64>() / train.len().max(1) as f64;
    (test
        .value
        .iter()
        .map(|&v| (v as f64 - mu).powi(2))
        .sum::<f64>()
        / test.len().max(1) as f64)
        .sqrt()
}

/// One training, between `Start` and `Done`.
fn fit(
    data: &Ratings,
    heldout: Option<&Ratings>,
    x: &[f32],
    f: usize,
    params: &IrtParams,
    progress: &mut impl FnMut(Progress<'_>),
) -> IrtModel {
    progress(Progress::Start {
        epochs: params.epochs,
    });
    let m = irt::train(data, heldout, x, f, params, |e| {
        progress(Progress::Epoch(e))
    });
    progress(Progress::Done);
    m
}

/// Builds the bundle from every rating of `ratings` over the catalogue `cat` (see the module
/// doc), telling `progress` what happens.
pub fn build(
    ratings: Ratings,
    cat: &CatalogueInfo,
    b: &BuildParams,
    mut progress: impl FnMut(Progress<'_>),
) -> Result<Bundle> {
    let x = cat.item_features(&ratings);
    let f = cat.spec.len();
    let mut params = b.params.clone();
    let (mut model, holdout_rmse, bias_rmse) = if b.holdout > 0.0 {
        let (tr, te) = random_split(&ratings, b.holdout, params.seed);
        // The split keeps the full id maps, so the feature rows line up with `tr`'s items.
        let m = fit(&tr, Some(&te), &x, f, &params, &mut progress);
        let rmse = m.rmse(&te);
        let bias = als::train(
            &tr,
            Some(&te),
            &AlsParams {
                k: 0,
                seed: params.seed,
                ..AlsParams::default()
            },
            |_| {},
        );
        let bias_rmse = bias.rmse(&te);
        progress(Progress::HeldOut {
            rmse,
            epochs: m.history.len(),
            bias_only: bias_rmse,
            global_mean: global_mean_rmse(&tr, &te),
        });
        (m, rmse as f32, bias_rmse as f32)
    } else {
        (
            fit(&ratings, None, &x, f, &params, &mut progress),
            f32::NAN,
            f32::NAN,
        )
    };
    if b.holdout > 0.0 && !b.no_refit {
        params.epochs = model.history.len();
        progress(Progress::Refit {
            epochs: params.epochs,
        });
        model = fit(&ratings, None, &x, f, &params, &mut progress);
    }
    let train_set = if b.holdout > 0.0 && b.no_refit {
        random_split(&ratings, b.holdout, params.seed).0
    } else {
        ratings
    };
    let implicit = b.implicit.as_ref().map(|p| {
        let watched = train_set.with_extra_users(&b.extra_watched);
        let x = cat.item_features(&watched);
        progress(Progress::ImplicitStart { epochs: p.epochs });
        let m = ials::train(&watched, &x, f, p, |e| progress(Progress::ImplicitEpoch(e)));
        progress(Progress::ImplicitDone);
        (m, watched.item_ids)
    });
    assemble(
        &model,
        &params,
        cat,
        &BundleInputs {
            train: &train_set,
            dataset: b.dataset.clone(),
            created_unix: b.created_unix,
            holdout_fraction: b.holdout as f32,
            holdout_rmse,
            holdout_rmse_bias_only: bias_rmse,
            implicit: implicit
                .as_ref()
                .map(|(model, item_ids)| ImplicitFit { model, item_ids }),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::testdata::{small, synthetic_inputs};

    fn params(holdout: f64, no_refit: bool) -> BuildParams {
        BuildParams {
            params: IrtParams {
                k: 2,
                epochs: 4,
                ..IrtParams::default()
            },
            implicit: Some(IalsParams {
                k: 2,
                epochs: 3,
                ..IalsParams::default()
            }),
            extra_watched: Vec::new(),
            holdout,
            no_refit,
            dataset: "synthetic".into(),
            created_unix: 11,
        }
    }

    /// Held-out check, then a refit on everything for as many epochs as the check ran, then the
    /// implicit model on the same ratings.
    #[test]
    fn holds_out_measures_then_refits_on_every_rating() {
        let (ratings, cat) = synthetic_inputs(&small());
        let n = ratings.len();
        let mut events = Vec::new();
        let b = build(ratings, &cat, &params(0.2, false), |p| {
            events.push(match p {
                Progress::Start { epochs } => format!("start {epochs}"),
                Progress::Epoch(e) => format!("epoch {}", e.epoch),
                Progress::Done => "done".into(),
                Progress::HeldOut {
                    rmse,
                    epochs,
                    bias_only,
                    global_mean,
                } => {
                    assert!(
                        rmse < bias_only && bias_only < global_mean,
                        "{rmse} {bias_only}"
                    );
                    format!("held-out {epochs}")
                }
                Progress::Refit { epochs } => format!("refit {epochs}"),
                Progress::ImplicitStart { epochs } => format!("implicit start {epochs}"),
                Progress::ImplicitEpoch(e) => format!("implicit epoch {}", e.epoch),
                Progress::ImplicitDone => "implicit done".into(),
            })
        })
        .unwrap();
        let probe = events
            .iter()
            .position(|e| e.starts_with("held-out"))
            .unwrap();
        let epochs = probe - 2;
        let mut want = vec!["start 4".to_string()];
        want.extend((1..=epochs).map(|e| format!("epoch {e}")));
        want.push("done".into());
        want.push(format!("held-out {epochs}"));
        want.push(format!("refit {epochs}"));
        want.push(format!("start {epochs}"));
        want.extend((1..=epochs).map(|e| format!("epoch {e}")));
        want.push("done".into());
        want.push("implicit start 3".into());
        want.extend((1..=3).map(|e| format!("implicit epoch {e}")));
        want.push("implicit done".into());
        assert_eq!(events, want);
        let implicit = b.implicit.as_ref().expect("an implicit model");
        assert_eq!(implicit.n_items, b.header.n_rated_items);
        assert_eq!(b.header.n_ratings, n as u64);
        assert_eq!(b.header.training.holdout_fraction, 0.2);
        assert!(b.header.training.holdout_rmse < b.header.training.holdout_rmse_bias_only);
        assert_eq!(
            (b.header.dataset.as_str(), b.header.created_unix),
            ("synthetic", 11)
        );
    }

    #[test]
    fn without_refit_the_bundle_counts_the_training_share_and_without_holdout_all() {
        let (ratings, cat) = synthetic_inputs(&small());
        let n = ratings.len();
        let kept = build(ratings.clone(), &cat, &params(0.2, true), |_| {}).unwrap();
        assert_eq!(
            kept.header.n_ratings,
            random_split(&ratings, 0.2, 42).0.len() as u64
        );
        let all = build(ratings, &cat, &params(0.0, false), |_| {}).unwrap();
        assert_eq!(all.header.n_ratings, n as u64);
        assert!(all.header.training.holdout_rmse.is_nan());
    }
}
