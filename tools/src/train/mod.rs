//! Fitting the product's model and turning it into a bundle (uses only [`crate::data`]).
//!
//! - [`als`]: biased ALS matrix factorisation (the IRT model's warm start, the bias-only RMSE).
//! - [`irt`]: the IRT model fitted by variational inference.
//! - [`ials`]: the implicit model (iALS on who rated what) and its bundle parameters.
//! - [`visitor`]: the bundle's visitor model (noise prior, P(seen)) and feature-prior scaling.
//! - [`assemble`]: a fitted model and the catalogue into a [`moviematch::Bundle`].
//! - [`pipeline`]: `tools train`'s build (held-out check, refit, assembly).

pub mod als;
pub mod assemble;
pub mod ials;
pub mod irt;
pub mod pipeline;
pub mod visitor;
