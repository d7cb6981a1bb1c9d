//! Measuring models (uses [`crate::data`] and [`crate::train`]).
//!
//! - [`metrics`]: RMSE, MAE, Recall@k, NDCG@k, Spearman, interval coverage; per user and averaged.
//! - [`baselines`]: the comparison's baselines behind one [`baselines::Recommender`] trait.
//! - [`adapters`]: the baselines fitted in report order, the IRT model in f32 and after the int8
//!   bundle round trip behind the same trait, predictive intervals.
//! - [`fit`]: the IRT model as every protocol trains it (early stopping, refit, bundle).
//! - [`score`]: one fitted model scored on a held-out part.
//! - [`foldin`]: the fold-in split (pool and targets of unseen users) and the engine's scores on it.
//! - [`protocols`]: `tools eval`'s protocols (random, time, cold-items, fold-in).
//! - [`tune`]: the trust settings chosen on the fold-in tuning users.
//! - [`blend`]: the ranking's blend, a logistic regression fitted on the fold-in tuning users.
//! - [`gbdt`]: gradient-boosted trees (pointwise and LambdaMART) on the blend's samples, to
//!   compare with the logistic blend offline (`examples/blend_compare.rs`).
//! - [`simulate`]: fold-in users answering the engine's questions.
//! - [`people`]: real people's IMDb and Letterboxd exports as a dev set (`--people`).

pub mod adapters;
pub mod baselines;
pub mod blend;
pub mod drift;
pub mod fit;
pub mod foldin;
pub mod gbdt;
pub mod metrics;
pub mod people;
pub mod protocols;
pub mod score;
pub mod simulate;
pub mod tune;
