//! Every conversion between JavaScript values and the engine's Rust values, in one place.
//!
//! - [`ids`]: movie ids given as numbers or strings, and stored ids as JavaScript sees them (the
//!   engine's own `StableId` serialisation, untagged).
//! - [`words`]: the words JavaScript passes (`"stars"`, `"tie"`, `"like"`, `"merge"`), read with
//!   the engine types' own serde names.
//! - [`options`]: the options object (camelCase keys, genre names) ↔ the engine's
//!   `ListOptions` (genre bitmasks) and the stored `Settings`.
//! - [`out`]: the plain objects handed to JavaScript (movies, recommendations, ratings, import
//!   summaries).
//! - [`js`]: `JsValue` in and out (serde-wasm-bindgen, typed arrays); only these touch JS.
//!
//! Everything but [`js`] is plain Rust, tested natively.

pub mod ids;
pub mod js;
pub mod options;
pub mod out;
pub mod words;

pub use ids::{js_id, parse_id_number, parse_id_text};
pub use options::{check_option_keys, genre_list, genre_mask, Options, OPTION_FIELDS};
pub use out::{
    AccuracyOut, CalibrationOut, HeldOutOut, ImportOut, JointOut, MemberOut, ModelAccuracyOut,
    MovieOut, PredictionOut, RatingOut, RecommendationOut, SimilarOut,
};
pub use words::{parse_action, parse_answer, parse_mode, parse_scale};
