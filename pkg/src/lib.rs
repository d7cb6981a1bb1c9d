//! The moviematch engine for any web page: wasm-bindgen exports built with
//! `wasm-bindgen --target web` (see `pkg/README.md` and `pkg/build.sh`).
//!
//! Thin bindings over the engine's visitor session (`moviematch::session::Visitor`):
//!
//! - [`engine`] and [`profile`]: the exported `Engine`, `Profile` and share-link functions;
//!   they convert arguments, call [`api`] and convert the result back.
//! - [`api`]: the calls in plain Rust, natively tested; [`api::recommend`] is what
//!   `engine.recommend` returns, callable without a browser (the golden tests use it).
//! - [`cache`]: the profile revision and the visitor fitted per revision.
//! - [`interop`]: every JS ↔ Rust value conversion (ids, words, options, output objects).
//! - [`error`]: [`PkgError`], thrown as an `Error` named "MovieMatchError" with a `code`.
//! - [`typescript`]: the declarations of the objects passed in and out.
//!
//! Every failure is a thrown `MovieMatchError`, never a panic.

pub mod api;
pub mod cache;
pub mod engine;
pub mod error;
pub mod interop;
pub mod profile;
pub mod typescript;

pub use engine::Engine;
pub use error::PkgError;
pub use interop::{Options, RecommendationOut};
pub use profile::JsProfile;
