//! `tools report`'s pieces. The numbers (calibration bins, popularity deciles, label placement,
//! summaries) are plain functions with unit tests; [`plots`] only draws them and [`page`] only
//! writes them down, so what a picture claims is tested without looking at it.
//!
//! - [`fit`]: the split-trained model and its held-out scores (eval's `irt-int8`).
//! - [`calibration`]: binned calibration, coverage and RMSE by popularity decile.
//! - [`catalogue`]: visitors' predictions over the whole catalogue through the engine.
//! - [`labels`]: where the latent map's titles go.
//! - [`plots`]: the SVGs; [`pictures`]: which data goes into which picture.
//! - [`page`]: the Markdown page.

pub mod calibration;
pub mod catalogue;
pub mod fit;
pub mod labels;
pub mod page;
pub mod pictures;
pub mod plots;

pub use page::{Findings, Intro};

pub const TRAINING_SVG: &str = "training.svg";
pub const HISTOGRAM_SVG: &str = "predictions_histogram.svg";
pub const CALIBRATION_SVG: &str = "calibration.svg";
pub const COVERAGE_SVG: &str = "coverage_by_popularity.svg";
pub const RMSE_SVG: &str = "rmse_by_popularity.svg";
pub const VOTES_SVG: &str = "prediction_vs_votes.svg";
pub const NORMS_SVG: &str = "factor_norm_vs_votes.svg";
pub const MAP_SVG: &str = "latent_map.svg";

/// Every picture the report writes, in page order.
pub const PICTURES: [&str; 8] = [
    TRAINING_SVG,
    HISTOGRAM_SVG,
    CALIBRATION_SVG,
    COVERAGE_SVG,
    RMSE_SVG,
    VOTES_SVG,
    NORMS_SVG,
    MAP_SVG,
];
