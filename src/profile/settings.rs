//! The visitor's list settings and filters as the profile stores them: plain data with their
//! ranges and tuned defaults. The ranking (`crate::rank`) turns them into its options.

use serde::{Deserialize, Serialize};

/// The defaults: caution 1 and popularity 2 were chosen by `tools simulate` on held-out
/// MovieLens users when it still measured unshippable weights (4, 6); measuring only what the
/// app can ship, it now picks popularity 1.5 on seed 42 (within noise of 2). The list issue
/// retunes the ranking on real people, so the shipped default stays 2 here.
pub const DEFAULT_EXPLORATION: f32 = 0.0;
pub const DEFAULT_POPULARITY: f32 = 2.0;
pub const DEFAULT_CAUTION: f32 = 1.0;
pub const DEFAULT_DIVERSITY: f32 = 0.0;
/// Taste drift on by default: on real people's latest films it made predicted ratings more
/// accurate and left the list as good (`crate::drift::HALF_LIFE_DAYS`). Answers given in one
/// sitting weigh alike either way; it matters for imported histories.
pub const DEFAULT_DRIFT: bool = true;
/// Genre distance off by default: the list is the blend's ranking (see
/// `crate::rank::RankOptions::genre_distance`).
pub const DEFAULT_GENRE_DISTANCE: f32 = 0.0;

/// How the visitor wants their list made: the ranking knobs and the filters. Values outside
/// their ranges (a hand-edited or tampered profile) are clamped when used, never trusted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Thompson sampling's exploration, 0–3 (see `crate::rank::RankOptions::exploration`).
    pub exploration: f32,
    /// Weight on how likely the visitor is to know a movie, −1–3.
    pub popularity: f32,
    /// Epistemic standard deviations subtracted from the mean, 0–3.
    pub caution: f32,
    /// Maximal-marginal-relevance diversity, 0–3.
    pub diversity: f32,
    pub filter: Filter,
    /// Leave out movies on the watchlist (rated and hidden ones are always left out).
    pub exclude_saved: bool,
    /// Taste drift: recent answers weigh more (`crate::drift`). Unlike the knobs above it
    /// changes the fit, so a `Visitor` reads it from the profile it is made from. Written only
    /// when not the default, so profiles that never touched it are stored byte for byte as
    /// before.
    #[serde(skip_serializing_if = "is_default_drift")]
    pub drift: bool,
    /// How far from the visitor's usual genres the list may go, −1–1: −1 stays close to the
    /// genres of the films they liked, 0 leaves the ranking alone, 1 surprises them with
    /// others (see `crate::rank::RankOptions::genre_distance`). Written only when not the
    /// default, as `drift`.
    #[serde(skip_serializing_if = "is_default_genre_distance")]
    pub genre_distance: f32,
}

fn is_default_drift(drift: &bool) -> bool {
    *drift == DEFAULT_DRIFT
}

fn is_default_genre_distance(genre_distance: &f32) -> bool {
    *genre_distance == DEFAULT_GENRE_DISTANCE
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            exploration: DEFAULT_EXPLORATION,
            popularity: DEFAULT_POPULARITY,
            caution: DEFAULT_CAUTION,
            diversity: DEFAULT_DIVERSITY,
            filter: Filter::default(),
            exclude_saved: false,
            drift: DEFAULT_DRIFT,
            genre_distance: DEFAULT_GENRE_DISTANCE,
        }
    }
}

impl Settings {
    /// These settings with every knob in its range (a non-finite value takes its default).
    pub fn clamped(&self) -> Settings {
        let clamp = |v: f32, lo: f32, hi: f32, default: f32| {
            if v.is_finite() {
                v.clamp(lo, hi)
            } else {
                default
            }
        };
        Settings {
            caution: clamp(self.caution, 0.0, 3.0, DEFAULT_CAUTION),
            popularity: clamp(self.popularity, -1.0, 3.0, DEFAULT_POPULARITY),
            exploration: clamp(self.exploration, 0.0, 3.0, DEFAULT_EXPLORATION),
            diversity: clamp(self.diversity, 0.0, 3.0, DEFAULT_DIVERSITY),
            filter: self.filter.clone(),
            exclude_saved: self.exclude_saved,
            drift: self.drift,
            genre_distance: clamp(self.genre_distance, -1.0, 1.0, DEFAULT_GENRE_DISTANCE),
        }
    }
}

/// Restrictions on what a list may contain; the default lets everything through.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Filter {
    /// At least one of these genres (bitmask over the bundle's genre names; 0: any).
    pub genres_any: u32,
    /// None of these genres.
    pub genres_none: u32,
    pub year_min: Option<u16>,
    pub year_max: Option<u16>,
    /// IMDb rating ≥ this (movies without an IMDb rating are left out when set).
    pub imdb_min: Option<f32>,
    /// IMDb votes ≥ this.
    pub votes_min: Option<u32>,
}

impl Filter {
    /// Whether it lets everything through (then it costs nothing per movie).
    pub fn is_open(&self) -> bool {
        *self == Filter::default()
    }
}
