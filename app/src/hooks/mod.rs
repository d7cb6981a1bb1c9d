//! Custom hooks: where effects (fetch, storage) and heavy memoised computation live, so
//! components only render and the reducer stays pure.

mod use_model_loader;
mod use_next_question;
pub mod use_personal;
mod use_profile_storage;

pub use use_model_loader::use_model_loader;
pub use use_next_question::{use_next_question, Asked};
pub use use_personal::{fit_failed, use_personal, use_recommendations, Personal, RatedEntry, Recs};
pub use use_profile_storage::use_profile_storage;
