//! One catalogue entry as the UI and CLI show it.

use crate::ids::format_tconst;

/// One catalogue entry as the UI and CLI show it.
#[derive(Debug, Clone, PartialEq)]
pub struct Movie {
    pub movie_id: u32,
    /// Numeric part of the IMDb id, if known.
    pub imdb_id: Option<u32>,
    /// Display title ("The Matrix").
    pub title: String,
    /// Other names the movie goes by.
    pub alternates: Vec<String>,
    pub year: Option<u16>,
    pub genres: u32,
    pub ml_count: u32,
    /// IMDb average rating (1–10), if IMDb has one.
    pub imdb_rating: Option<f32>,
    pub imdb_votes: u32,
}

impl Movie {
    /// IMDb id as IMDb writes it ("tt0133093").
    pub fn tconst(&self) -> Option<String> {
        self.imdb_id.map(format_tconst)
    }
}
