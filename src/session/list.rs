//! What one list asks for: the settings in force and per-list options over the stored ones.

use crate::profile::Settings;
use crate::rank::LIST_LENGTH;

/// What one list asks for: the settings in force (the stored ones, or ones being tried), the
/// length, the seed and a per-list "every one of these genres".
#[derive(Debug, Clone, PartialEq)]
pub struct ListRequest {
    pub settings: Settings,
    pub top: usize,
    /// Thompson sampling's seed; `None`: the visitor's seed rule ([`Visitor::seed`]).
    pub seed: Option<u64>,
    /// Only movies having every genre in this mask (0: any).
    pub genres_all: u32,
}

impl ListRequest {
    /// The list these settings give, at the standard length and the visitor's seed.
    pub fn new(settings: &Settings) -> ListRequest {
        ListRequest {
            settings: settings.clone(),
            top: LIST_LENGTH,
            seed: None,
            genres_all: 0,
        }
    }
}

/// Options for one list, each overriding the stored settings' field when given (pkg's options
/// object, `tools recommend`'s flags). Genres are bitmasks over the bundle's genre names.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListOptions {
    pub top: Option<usize>,
    pub seed: Option<u64>,
    pub exploration: Option<f32>,
    pub popularity: Option<f32>,
    pub caution: Option<f32>,
    pub diversity: Option<f32>,
    pub genre_distance: Option<f32>,
    /// Taste drift: it changes the fit, so whoever fits the visitor reads it from the
    /// request's settings (pkg keys its cached visitor on it, `tools` sets it on the profile).
    pub drift: Option<bool>,
    pub genres_all: Option<u32>,
    pub genres_any: Option<u32>,
    pub genres_none: Option<u32>,
    pub year_min: Option<u16>,
    pub year_max: Option<u16>,
    pub imdb_min: Option<f32>,
    pub votes_min: Option<u32>,
    pub exclude_saved: Option<bool>,
}

impl ListOptions {
    /// `stored` with every field these options give replaced (field by field).
    pub fn settings_over(&self, stored: &Settings) -> Settings {
        let mut s = stored.clone();
        let knobs = [
            (self.exploration, &mut s.exploration),
            (self.popularity, &mut s.popularity),
            (self.caution, &mut s.caution),
            (self.diversity, &mut s.diversity),
            (self.genre_distance, &mut s.genre_distance),
        ];
        for (given, knob) in knobs {
            if let Some(v) = given {
                *knob = v;
            }
        }
        let f = &mut s.filter;
        f.genres_any = self.genres_any.unwrap_or(f.genres_any);
        f.genres_none = self.genres_none.unwrap_or(f.genres_none);
        f.year_min = self.year_min.or(f.year_min);
        f.year_max = self.year_max.or(f.year_max);
        f.imdb_min = self.imdb_min.or(f.imdb_min);
        f.votes_min = self.votes_min.or(f.votes_min);
        s.exclude_saved = self.exclude_saved.unwrap_or(s.exclude_saved);
        s.drift = self.drift.unwrap_or(s.drift);
        s
    }

    /// The list these options ask for over the stored settings.
    pub fn request(&self, stored: &Settings) -> ListRequest {
        ListRequest {
            settings: self.settings_over(stored),
            top: self.top.unwrap_or(LIST_LENGTH),
            seed: self.seed,
            genres_all: self.genres_all.unwrap_or(0),
        }
    }
}
