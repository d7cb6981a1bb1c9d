//! The native side of the recommender: reading MovieLens and IMDb files, training, evaluating,
//! and writing bundles. Every model-facing step goes through the `moviematch` engine, so the
//! CLI and the browser share one bundle format and one set of formulas.
//!
//! Layers, lowest first; a module imports only from its own layer or lower ones, never in a
//! circle: [`data`] (files, synthetic data, splits, the catalogue) → [`train`] (ALS, IRT,
//! visitor model, bundle assembly) → [`eval`] (metrics, protocols, baselines, tuning,
//! simulation) → [`report`] (`tools report`'s numbers, pictures and page) → [`cmd`] (one module
//! per subcommand: flags and printing) → `main.rs`.

pub mod cmd;
pub mod data;
pub mod eval;
pub mod report;
pub mod train;
