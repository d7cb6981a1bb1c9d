//! Who a movie is, across catalogues and time: the ids a profile stores, IMDb's tconst, and the
//! one question the formats above need answered about them ("are these two ids one film?"),
//! asked through [`Resolve`] so that profile merging and share links never depend on the model.

use serde::{Deserialize, Serialize};

/// What a rating or feedback is about. Unmatched entries keep whatever the visitor gave
/// (title, year, where it came from) so that nothing is ever dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StableId {
    /// MovieLens movieId.
    Movielens(u32),
    /// IMDb tconst, "tt0133093".
    Imdb(String),
    Unmatched {
        title: String,
        year: Option<u16>,
        source: String,
    },
}

/// "tt" + at least seven digits, as in IMDb exports.
pub fn format_tconst(id: u32) -> String {
    format!("tt{id:07}")
}

/// "tt0133093" → 133093.
pub fn parse_tconst(s: &str) -> Option<u32> {
    s.trim().strip_prefix("tt")?.parse().ok()
}

/// Finds the catalogue entry (an index) a stored id refers to. The model implements it; the
/// formats take it where they must know that two ids are one film (a rating stored under its
/// IMDb id and under its MovieLens id).
pub trait Resolve {
    fn resolve(&self, id: &StableId) -> Option<usize>;
}

/// Resolves nothing: every id is only itself (merging without a catalogue).
pub struct NoCatalogue;

impl Resolve for NoCatalogue {
    fn resolve(&self, _: &StableId) -> Option<usize> {
        None
    }
}
