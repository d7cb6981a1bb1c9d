//! The report's file names: one SVG per picture, in page order.

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
