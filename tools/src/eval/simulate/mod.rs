//! `tools simulate`'s library: how fast the engine learns a visitor, measured on the fold-in
//! users of `tools eval`.
//!
//! - [`replay`]: users answer the engine's questions from their pool; the lists are scored.
//! - [`ranking`]: the ranking's popularity weight and caution, chosen on the tuning users.
//! - [`protocol`]: the whole run (training, choosing the ranking, the curves).

pub mod protocol;
pub mod ranking;
pub mod replay;
