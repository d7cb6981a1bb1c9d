//! The movie recommender's engine: pure Rust, no UI, no I/O, no web dependency. It decodes the
//! model bundle, searches titles, keeps the visitor's profile, fits the visitor's posterior and
//! ranks the catalogue. The browser app (crate `moviematch-app` in `app/`), the `tools` CLI and
//! the JS package (`pkg/`) all call it, so they can never disagree about the format or the math.

pub mod blend;
pub mod bundle;
pub mod certainty;
pub mod deflate;
pub mod downdate;
pub mod drift;
pub mod elicit;
pub mod explain;
pub mod export;
pub mod features;
pub mod fixture;
pub mod fold;
pub mod ids;
pub mod implicit;
pub mod import;
pub mod import_plan;
pub mod loo;
pub mod model;
pub mod movie;
pub mod noise;
pub mod posterior;
pub mod profile;
pub mod rank;
pub mod rate_by_comparison;
pub mod scale;
pub mod search;
pub mod seen;
pub mod session;
pub mod share;
pub mod similar;
pub mod stack;
pub mod stats;
pub mod student_t;
pub mod title;
pub mod title_match;
pub mod together;
pub mod watchlist;

// The hot numeric kernels live in their own crate so the release profile can build them at
// opt-level 3 and the rest for size (see math/src/lib.rs); their old paths stay.
pub use moviematch_math::{ep, kernel, linalg, score, top};

pub use bundle::{Bundle, BundleError, Header};
pub use model::{Model, ModelBuild};
pub use movie::Movie;
pub use posterior::{
    Comparison, Evidence, Like, Observation, Posterior, Prediction, Predictions, Preference,
};
pub use profile::{Profile, ProfileError, Scale, StableId};
pub use rank::{recommend, RankOptions, Recommendation, RowPrediction};
pub use scale::RatingScale;
pub use session::{
    Calibration, FilmPrediction, HeldOut, ListEntry, ListOptions, ListRequest, Visitor,
};
