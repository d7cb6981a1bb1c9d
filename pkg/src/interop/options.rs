//! The options object (`RecommendOptions`): camelCase keys and genre names, converted to the
//! engine's [`ListOptions`] (genre bitmasks), which overrides the stored settings field by field
//! (`ListOptions::request`, `ListOptions::settings_over`). The stored settings come back as the
//! same object ([`Options::from_settings`]).

use moviematch::profile::Settings;
use moviematch::{ListOptions, ListRequest, Model};
use serde::{Deserialize, Serialize};

use crate::error::PkgError;

/// Largest seed a JavaScript number holds exactly (2⁵³).
const MAX_SEED: f64 = 9_007_199_254_740_992.0;

/// What a list asks for. Every field is optional: a missing one takes the profile's settings
/// (the tuned defaults in a new profile). Unknown fields are refused, so a typo is an error
/// rather than silently ignored.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exploration: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub popularity: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caution: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diversity: Option<f32>,
    /// −1 (stay close to the visitor's usual genres) … 0 (off) … 1 (surprise me).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genre_distance: Option<f32>,
    /// Taste drift: recent answers weigh more (the visitor is refitted when it changes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift: Option<bool>,
    /// Every one of these genres (per list only: not part of the stored settings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genres_all: Option<Vec<String>>,
    /// Replaces the stored "any of these genres" filter (`[]` lifts it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genres_any: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genres_none: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year_min: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year_max: Option<u16>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub imdb_min: Option<f32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub votes_min: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclude_saved: Option<bool>,
}

/// The fields [`Options`] has, as JavaScript spells them. serde-wasm-bindgen only looks up the
/// fields a struct declares, so `deny_unknown_fields` alone would not catch a typo there:
/// [`check_option_keys`] does.
pub const OPTION_FIELDS: [&str; 16] = [
    "top",
    "seed",
    "exploration",
    "popularity",
    "caution",
    "diversity",
    "genreDistance",
    "drift",
    "genresAll",
    "genresAny",
    "genresNone",
    "yearMin",
    "yearMax",
    "imdbMin",
    "votesMin",
    "excludeSaved",
];

/// Refuses an options object with a field [`Options`] does not have (a typo would otherwise be
/// silently ignored).
pub fn check_option_keys<S: AsRef<str>>(keys: &[S]) -> Result<(), PkgError> {
    match keys
        .iter()
        .map(AsRef::as_ref)
        .find(|k| !OPTION_FIELDS.contains(k))
    {
        Some(k) => Err(PkgError::BadOption(format!(
            "invalid options: unknown field `{k}`, expected one of {}",
            OPTION_FIELDS
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        None => Ok(()),
    }
}

/// The bitmask of genres named (case-insensitive); an unknown name is an error listing the
/// bundle's genres.
pub fn genre_mask(model: &Model, names: &[String]) -> Result<u32, PkgError> {
    names
        .iter()
        .try_fold(0, |mask, g| match model.genre_mask(g) {
            Some(m) => Ok(mask | m),
            None => Err(PkgError::BadOption(format!(
                "unknown genre {g:?}; genres: {}",
                model.genre_names().join(", ")
            ))),
        })
}

/// The names of the genres in `mask`, in the bundle's order.
pub fn genre_list(model: &Model, mask: u32) -> Vec<String> {
    model
        .genre_names()
        .iter()
        .enumerate()
        .filter(|(b, _)| *b < 32 && mask & (1 << b) != 0)
        .map(|(_, n)| n.clone())
        .collect()
}

/// A number option that must be finite (out-of-range values are clamped when the list is made,
/// as for a stored profile; NaN or infinity is a mistake).
fn finite(name: &str, v: Option<f32>) -> Result<Option<f32>, PkgError> {
    match v {
        Some(x) if !x.is_finite() => Err(PkgError::BadOption(format!(
            "{name} must be a finite number, not {x}"
        ))),
        _ => Ok(v),
    }
}

impl Options {
    /// The engine's options for one list: checked, genre names made masks, `top` at most the
    /// catalogue.
    pub fn list_options(&self, model: &Model) -> Result<ListOptions, PkgError> {
        let seed = match self.seed {
            None => None,
            Some(s) if s.is_finite() && s >= 0.0 && s.fract() == 0.0 && s <= MAX_SEED => {
                Some(s as u64)
            }
            Some(s) => {
                return Err(PkgError::BadOption(format!(
                    "seed must be a whole number from 0 to 2^53, not {s}"
                )))
            }
        };
        let masks = |names: &Option<Vec<String>>| {
            names.as_deref().map(|g| genre_mask(model, g)).transpose()
        };
        Ok(ListOptions {
            top: self.top.map(|t| (t as usize).min(model.len())),
            seed,
            exploration: finite("exploration", self.exploration)?,
            popularity: finite("popularity", self.popularity)?,
            caution: finite("caution", self.caution)?,
            diversity: finite("diversity", self.diversity)?,
            genre_distance: finite("genreDistance", self.genre_distance)?,
            drift: self.drift,
            genres_all: masks(&self.genres_all)?,
            genres_any: masks(&self.genres_any)?,
            genres_none: masks(&self.genres_none)?,
            year_min: self.year_min,
            year_max: self.year_max,
            imdb_min: finite("imdbMin", self.imdb_min)?,
            votes_min: self.votes_min,
            exclude_saved: self.exclude_saved,
        })
    }

    /// Options for the stored settings only (`top`, `seed` and `genresAll` belong to one list
    /// and are refused, so nobody believes they were kept).
    pub fn settings_options(&self, model: &Model) -> Result<ListOptions, PkgError> {
        if self.top.is_some() || self.seed.is_some() || self.genres_all.is_some() {
            return Err(PkgError::BadOption(
                "top, seed and genresAll belong to one list, not to the stored settings".into(),
            ));
        }
        self.list_options(model)
    }

    /// The list these options ask for over the stored settings ([`ListOptions::request`]).
    pub fn request(&self, model: &Model, stored: &Settings) -> Result<ListRequest, PkgError> {
        Ok(self.list_options(model)?.request(stored))
    }

    /// The stored settings with the ones these options give replaced
    /// ([`ListOptions::settings_over`]; `top`, `seed` and `genresAll` are refused).
    pub fn settings_over(&self, model: &Model, stored: &Settings) -> Result<Settings, PkgError> {
        Ok(self.settings_options(model)?.settings_over(stored))
    }

    /// The stored settings as options (what [`Options::settings_over`] gives back).
    pub fn from_settings(model: &Model, s: &Settings) -> Options {
        Options {
            exploration: Some(s.exploration),
            popularity: Some(s.popularity),
            caution: Some(s.caution),
            diversity: Some(s.diversity),
            genre_distance: Some(s.genre_distance),
            drift: Some(s.drift),
            genres_any: Some(genre_list(model, s.filter.genres_any)),
            genres_none: Some(genre_list(model, s.filter.genres_none)),
            year_min: s.filter.year_min,
            year_max: s.filter.year_max,
            imdb_min: s.filter.imdb_min,
            votes_min: s.filter.votes_min,
            exclude_saved: Some(s.exclude_saved),
            ..Options::default()
        }
    }
}

#[cfg(test)]
#[path = "options_tests.rs"]
mod tests;
