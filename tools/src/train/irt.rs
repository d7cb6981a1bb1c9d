//! The product's model, fitted by variational inference:
//!
//! ```text
//! r_um = μ + b_m + θ_u·β_m + w_u·x_m + b_u + ε,   ε ~ N(0, σ²)
//! z_u = (θ_u, w_u, b_u) ~ N(0, diag v)                    (ARD: v learned per dimension)
//! y_m = (β_m, b_m)     ~ N(G̃·[x_m; 1], diag(τ², σ_b²))    (content prior: an explicit regression)
//! ```
//!
//! q factorises over users and movies, each a full-covariance Gaussian (D = K+F+1 ≈ 56 per user,
//! K+1 per movie: cheap, and it keeps the correlations between a user's tastes, feature weights
//! and bias that a diagonal q would lose). Coordinate ascent: all users given the movies' q, then
//! all movies given the users' q, then the hyper-parameters (v, G̃, τ², σ_b², σ²) in closed form.
//! Every update is a (K+F+1)- or (K+1)-dimensional Gaussian solved by Cholesky (`irt/dense.rs`,
//! the engine's factorisation to the bit). At ml-25m's scale the two half-steps are bound by
//! memory traffic; `irt/update/` explains how they keep it low (and `irt/reference.rs`, test
//! only, keeps the straightforward per-rating form they are checked against).
//! Warm start from ALS; early stopping on held-out RMSE; afterwards dimensions are sorted by the
//! variance they explain and each sign is fixed, so dimension 1 means the same across runs.
//!
//! - [`model`]: the settings, the fitted model and what it predicts.
//! - [`packed`]: the packed covariance layouts.
//! - [`fit`]: the training loop and the closed-form hyper-parameter updates.
//! - `update/`: the two half-steps; `dense.rs`: their small dense algebra.

// Index loops mirror the update formulas (several arrays indexed together).
#![allow(clippy::needless_range_loop)]

mod dense;
mod fit;
mod model;
mod packed;
#[cfg(test)]
mod reference;
#[cfg(test)]
mod tests;
mod update;

pub use fit::train;
pub use model::{IrtEpoch, IrtModel, IrtParams};
pub use packed::UserCovLayout;
