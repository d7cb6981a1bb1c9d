//! The moviematch engine for any web page: wasm-bindgen exports built with
//! `wasm-bindgen --target web` (see `pkg/README.md` and `pkg/build.sh`). This file only converts
//! between JavaScript values and the plain Rust of [`api`], where the logic is (and is tested
//! natively); every failure is a thrown `Error` with the engine's message, never a panic.

pub mod api;

use moviematch::{Model, Profile};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use api::Options;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A movie id given to the package: a MovieLens movieId (number) or an IMDb id ("tt0133093"). */
export type MovieId = number | string;
/**
 * A movie id as the profile stores it: a MovieLens movieId (number), an IMDb id ("tt0133093"),
 * or, for an imported or shared entry no catalogue knew, its title and year.
 */
export type StoredId = number | string | { title: string; year: number | null; source: string };
/** A catalogue movie. `id` is its MovieLens movieId. */
export interface Movie {
  id: number;
  imdb: string | null;
  title: string;
  year: number | null;
  genres: string[];
  imdbRating: number | null;
  imdbVotes: number;
}
/** A recommended movie: the predicted rating and its central 80% interval, in stars (0.5–5). */
export interface Recommendation extends Movie {
  mean: number;
  low: number;
  high: number;
  sd: number;
  /** Why, in words ("because you liked Alien (4.5★)"), strongest first; may be empty. */
  reasons: string[];
}
/**
 * What a list asks for; every field is optional and defaults to the profile's settings.
 * Unknown fields are an error. Knobs are clamped to their ranges.
 */
export interface RecommendOptions {
  /** Length of the list (default 20). */
  top?: number;
  /** Thompson sampling's seed (default: the profile's number of events). */
  seed?: number;
  /** 0–3: how much the list explores (0 ranks by the predicted rating). */
  exploration?: number;
  /** −1–3: preference for movies the visitor probably knows. */
  popularity?: number;
  /** 0–3: standard deviations of the model's uncertainty about a movie subtracted. */
  caution?: number;
  /** 0–3: how strongly similar movies are spread apart. */
  diversity?: number;
  /** Only movies having every one of these genres (this list only; not stored). */
  genresAll?: string[];
  /** Only movies having at least one of these genres ([] lifts the profile's filter). */
  genresAny?: string[];
  /** No movie having any of these genres. */
  genresNone?: string[];
  yearMin?: number;
  yearMax?: number;
  /** IMDb rating at least this (movies without one are left out). */
  imdbMin?: number;
  votesMin?: number;
  /** Leave out the watchlist ("save"d movies) too. */
  excludeSaved?: boolean;
}
/** A rating in force (or a shared one): `rating` on its `scale`. */
export interface Rating {
  id: StoredId;
  rating: number;
  scale: "stars" | "ten";
}
/**
 * What an import found and did: `rows` = `matched` + `ambiguous` + `unmatched`; ambiguous and
 * unmatched rows are kept in the profile as unmatched entries (title and year).
 */
export interface ImportSummary {
  format: "imdb" | "letterboxd";
  rows: number;
  matched: number;
  ambiguous: number;
  unmatched: number;
  /** Ratings written (a movie the file rates twice counts once). */
  added: number;
  /** Rows a merge skipped because the profile already rated the movie. */
  keptYours: number;
  /** Ratings a replace withdrew first. */
  withdrawn: number;
}
export type RatingScale = "stars" | "ten";
export type CompareAnswer = "a" | "b" | "tie" | "unseen_a" | "unseen_b";
export type FeedbackAction = "like" | "dislike" | "unlike" | "hide" | "unhide" | "save" | "unsave" | "unseen";
export type ImportMode = "merge" | "replace";
"#;

/// Plain objects (not `Map`s) and `null` for a missing value.
const SERIALIZER: serde_wasm_bindgen::Serializer = serde_wasm_bindgen::Serializer::new()
    .serialize_maps_as_objects(true)
    .serialize_missing_as_null(true);

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&SERIALIZER)
        .map_err(|e| JsError::new(&e.to_string()))
}

fn fail(message: String) -> JsError {
    JsError::new(&message)
}

/// A movie id from a JavaScript number or string.
fn id_of(value: &JsValue) -> Result<moviematch::StableId, JsError> {
    if let Some(n) = value.as_f64() {
        api::parse_id_number(n).map_err(fail)
    } else if let Some(s) = value.as_string() {
        api::parse_id_text(&s).map_err(fail)
    } else {
        Err(JsError::new(
            "a movie id is a MovieLens id (a positive whole number) or an IMDb id (\"tt0133093\")",
        ))
    }
}

/// Options from a JavaScript object; `undefined` or `null`: none.
fn options_of(value: JsValue) -> Result<Options, JsError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    let invalid = |e: String| fail(format!("invalid options: {e}"));
    let Some(object) = value.dyn_ref::<js_sys::Object>() else {
        return Err(invalid("not an object".into()));
    };
    let keys: Vec<String> = js_sys::Object::keys(object)
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    api::check_option_keys(&keys).map_err(invalid)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| invalid(e.to_string()))
}

/// A file's bytes from a Uint8Array, an ArrayBuffer or a string (UTF-8).
fn bytes_of(value: &JsValue) -> Result<Vec<u8>, JsError> {
    if let Some(s) = value.as_string() {
        Ok(s.into_bytes())
    } else if let Some(a) = value.dyn_ref::<js_sys::Uint8Array>() {
        Ok(a.to_vec())
    } else if let Some(b) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        Ok(js_sys::Uint8Array::new(b).to_vec())
    } else {
        Err(JsError::new(
            "the file must be a Uint8Array, an ArrayBuffer or a string",
        ))
    }
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// A loaded model bundle: search, recommendations and imports against its catalogue.
#[wasm_bindgen]
pub struct Engine {
    model: Model,
}

#[wasm_bindgen]
impl Engine {
    /// Decodes a model bundle (the bytes of `model.bin`). A corrupt or foreign file throws an
    /// Error saying what is wrong with it.
    pub fn load(bytes: &[u8]) -> Result<Engine, JsError> {
        Model::from_bytes(bytes)
            .map(|model| Engine { model })
            .map_err(|e| fail(format!("cannot read the model bundle: {e}")))
    }

    /// Number of movies in the catalogue.
    #[wasm_bindgen(getter)]
    pub fn size(&self) -> usize {
        self.model.len()
    }

    /// The bundle's genre names (what the genre options accept).
    pub fn genres(&self) -> Vec<String> {
        self.model.genre_names().to_vec()
    }

    /// Title search (display and alternate titles, accents and articles ignored; a trailing
    /// year filters: "heat 1995"), best matches first; `limit` defaults to 10.
    #[wasm_bindgen(unchecked_return_type = "Movie[]")]
    pub fn search(&self, query: &str, limit: Option<u32>) -> Result<JsValue, JsError> {
        to_js(&api::search(
            &self.model,
            query,
            limit.map_or(10, |l| l as usize),
        ))
    }

    /// The catalogue movie with this id, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Movie | undefined")]
    pub fn movie(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
    ) -> Result<JsValue, JsError> {
        match self.model.resolve(&id_of(&id)?) {
            Some(i) => to_js(&api::movie_out(&self.model, i)),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// The visitor's recommendations: rated, compared, disliked and hidden movies are left out.
    #[wasm_bindgen(unchecked_return_type = "Recommendation[]")]
    pub fn recommend(
        &self,
        profile: &JsProfile,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: JsValue,
    ) -> Result<JsValue, JsError> {
        let o = options_of(options)?;
        to_js(&api::recommend(&self.model, &profile.inner, &o).map_err(fail)?)
    }

    /// The profile's stored list settings, as options.
    #[wasm_bindgen(unchecked_return_type = "RecommendOptions")]
    pub fn settings(&self, profile: &JsProfile) -> Result<JsValue, JsError> {
        to_js(&api::options_of(&self.model, &profile.inner.settings))
    }

    /// Imports a ratings export into the profile: an IMDb "Your Ratings" CSV, a Letterboxd
    /// ratings.csv or Letterboxd's export zip, as bytes or (a CSV) as text. IMDb rows match by
    /// id, Letterboxd rows by title and year; rows the catalogue does not know, or that fit
    /// several movies equally, are kept as unmatched entries. "merge" (default) keeps the
    /// visitor's own rating of a movie; "replace" withdraws every rating in force first. A file
    /// that is not an export throws and changes nothing.
    #[wasm_bindgen(js_name = importCsv, unchecked_return_type = "ImportSummary")]
    pub fn import_csv(
        &self,
        profile: &mut JsProfile,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ImportMode")] mode: Option<String>,
    ) -> Result<JsValue, JsError> {
        let bytes = bytes_of(&data)?;
        let mode = api::parse_mode(mode.as_deref()).map_err(fail)?;
        to_js(
            &api::import_csv(&self.model, &mut profile.inner, &bytes, mode, now_ms())
                .map_err(fail)?,
        )
    }

    /// Stores list settings in the profile (saved with `toJson`); fields not given are kept.
    #[wasm_bindgen(js_name = setSettings)]
    pub fn set_settings(
        &self,
        profile: &mut JsProfile,
        #[wasm_bindgen(unchecked_param_type = "RecommendOptions")] options: JsValue,
    ) -> Result<(), JsError> {
        let o = options_of(options)?;
        api::set_settings(&self.model, &mut profile.inner, &o).map_err(fail)
    }
}

/// The visitor's profile: the append-only log of ratings, comparisons and reactions, in the
/// app's stored JSON format.
#[wasm_bindgen(js_name = Profile)]
pub struct JsProfile {
    inner: Profile,
}

impl Default for JsProfile {
    fn default() -> Self {
        JsProfile::new()
    }
}

#[wasm_bindgen(js_class = Profile)]
impl JsProfile {
    /// An empty profile with the default settings.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsProfile {
        JsProfile {
            inner: Profile::default(),
        }
    }

    /// Reads a stored profile (what `toJson` wrote, or the app's localStorage value).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<JsProfile, JsError> {
        Profile::from_json(text)
            .map(|inner| JsProfile { inner })
            .map_err(|e| fail(format!("cannot read the profile: {e}")))
    }

    /// A new profile holding a share link's ratings (the text after `#share=`, or the URL).
    #[wasm_bindgen(js_name = fromShare)]
    pub fn from_share(link: &str) -> Result<JsProfile, JsError> {
        api::profile_from_share(link, now_ms())
            .map(|inner| JsProfile { inner })
            .map_err(fail)
    }

    /// The profile as JSON, to store.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// Rates a movie: `value` in stars (0.5–5, half stars) or, with scale "ten", 1–10.
    /// The latest rating of a movie wins.
    pub fn rate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
        value: f32,
        #[wasm_bindgen(unchecked_optional_param_type = "RatingScale")] scale: Option<String>,
    ) -> Result<(), JsError> {
        let id = id_of(&id)?;
        let scale = api::parse_scale(scale.as_deref()).map_err(fail)?;
        api::check_rating(value, scale).map_err(fail)?;
        self.inner.rate(id, value, scale, now_ms());
        Ok(())
    }

    /// Withdraws a movie's rating.
    pub fn unrate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
    ) -> Result<(), JsError> {
        let id = id_of(&id)?;
        self.inner.unrate(id, now_ms());
        Ok(())
    }

    /// Records the answer to "which do you prefer, A or B?".
    pub fn compare(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] a: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] b: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CompareAnswer")] answer: String,
    ) -> Result<(), JsError> {
        let (a, b) = (id_of(&a)?, id_of(&b)?);
        api::compare(&mut self.inner, a, b, &answer, now_ms()).map_err(fail)
    }

    /// Records a reaction to a movie (like, dislike, hide, save, …).
    pub fn feedback(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FeedbackAction")] action: String,
    ) -> Result<(), JsError> {
        let id = id_of(&id)?;
        let action = api::parse_action(&action).map_err(fail)?;
        self.inner.feedback(id, action, now_ms());
        Ok(())
    }

    /// The ratings in force, most recent first.
    #[wasm_bindgen(unchecked_return_type = "Rating[]")]
    pub fn ratings(&self) -> Result<JsValue, JsError> {
        to_js(&api::ratings(&self.inner))
    }
}

/// The profile's ratings as a share link's data (put it after `#share=`).
#[wasm_bindgen(js_name = encodeShare)]
pub fn encode_share(profile: &JsProfile) -> String {
    moviematch::share::encode_profile(&profile.inner)
}

/// The ratings in a share link (the text after `#share=`, or the whole URL). A damaged or
/// foreign link throws an Error saying why (e.g. "checksum mismatch").
#[wasm_bindgen(js_name = decodeShare, unchecked_return_type = "Rating[]")]
pub fn decode_share(link: &str) -> Result<JsValue, JsError> {
    to_js(&api::shared_out(&api::decode_share(link).map_err(fail)?))
}
