//! The native side of the recommender: reading MovieLens and IMDb files, training, evaluating,
//! and writing bundles. Every model-facing step goes through the `moviematch` engine, so the
//! CLI and the browser share one bundle format and one set of formulas.

pub mod als;
pub mod assemble;
pub mod baselines;
pub mod cmd;
pub mod csr;
pub mod foldin;
pub mod irt;
pub mod movielens;
pub mod report;
pub mod simulate;
pub mod split;
pub mod synth;
pub mod tune;
pub mod visitor;
