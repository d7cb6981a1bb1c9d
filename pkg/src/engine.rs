//! The JavaScript `Engine`: a decoded model bundle and the visitor last fitted, reused while the
//! profile's events do not change (see [`crate::cache`]).

use std::cell::RefCell;

use moviematch::Model;
use wasm_bindgen::prelude::*;

use crate::api;
use crate::cache::VisitorCache;
use crate::error::PkgError;
use crate::interop::js::{bytes_from_js, id_from_js, now_ms, options_from_js, to_js};
use crate::interop::parse_mode;
use crate::profile::JsProfile;

/// A loaded model bundle: search, recommendations and imports against its catalogue.
#[wasm_bindgen]
pub struct Engine {
    model: Model,
    visitors: RefCell<VisitorCache>,
}

#[wasm_bindgen]
impl Engine {
    /// Decodes a model bundle (the bytes of `model.bin`). A corrupt or foreign file throws
    /// `bad_bundle` saying what is wrong with it.
    pub fn load(bytes: &[u8]) -> Result<Engine, PkgError> {
        Ok(Engine {
            model: Model::from_bytes(bytes)?,
            visitors: RefCell::default(),
        })
    }

    /// Decodes a split bundle (`model-head.bin` and `model-tail.bin`, as `tools head --split`
    /// writes them and the site ships them) into the whole model. A tail of another bundle, or
    /// either file corrupt, throws `bad_bundle`. (A page that wants a first list from the head
    /// alone calls `Engine.load(head)` first.)
    #[wasm_bindgen(js_name = loadParts)]
    pub fn load_parts(head: &[u8], tail: &[u8]) -> Result<Engine, PkgError> {
        let whole = moviematch::Bundle::decode(head)?.join(&moviematch::Bundle::decode(tail)?)?;
        Ok(Engine {
            model: Model::from_bundle(whole),
            visitors: RefCell::default(),
        })
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
    pub fn search(&self, query: &str, limit: Option<u32>) -> JsValue {
        let limit = limit.map_or(10, |l| l as usize);
        to_js(&api::search(&self.model, query, limit))
    }

    /// The catalogue movie with this id, or `undefined`.
    #[wasm_bindgen(unchecked_return_type = "Movie | undefined")]
    pub fn movie(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
    ) -> Result<JsValue, PkgError> {
        let id = id_from_js(&id)?;
        Ok(api::movie(&self.model, &id).map_or(JsValue::UNDEFINED, |m| to_js(&m)))
    }

    /// The visitor's recommendations: rated, compared, disliked and hidden movies are left out.
    /// The visitor is fitted once per change of the profile's answers; other settings reuse it.
    #[wasm_bindgen(unchecked_return_type = "Recommendation[]")]
    pub fn recommend(
        &self,
        profile: &JsProfile,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: JsValue,
    ) -> Result<JsValue, PkgError> {
        let o = options_from_js(options)?;
        let request = api::request(&self.model, &profile.inner().settings, &o)?;
        let mut visitors = self.visitors.borrow_mut();
        let visitor = visitors.visitor(&self.model, &profile.tracked, &request.settings);
        Ok(to_js(&api::list(&self.model, visitor, &request)?))
    }

    /// "Would I like this one?": movie `id` as the visitor's list would show it (prediction,
    /// 80% interval, reasons), wherever it ranks, plus `yourRating` (stars, or `null`). For a
    /// movie the visitor rated, the prediction is made without that rating. Throws
    /// `unknown_movie` for an id the catalogue does not know.
    #[wasm_bindgen(unchecked_return_type = "Prediction")]
    pub fn predict(
        &self,
        profile: &JsProfile,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: JsValue,
    ) -> Result<JsValue, PkgError> {
        let id = id_from_js(&id)?;
        let o = options_from_js(options)?;
        let request = api::request(&self.model, &profile.inner().settings, &o)?;
        let mut visitors = self.visitors.borrow_mut();
        let visitor = visitors.visitor(&self.model, &profile.tracked, &request.settings);
        Ok(to_js(&api::predict(&self.model, visitor, &id, &request)?))
    }

    /// "How well do you know me?": every film the profile rated, predicted without its rating
    /// (`mean`, 80% interval `low`–`high`, stars) beside `yourRating` and `imdb` (the IMDb
    /// average mapped to the profile's ratings by the best line through its other films); the
    /// model's `mae`, `spearman`, `coverage80` and the IMDb mapping's `mae`, `spearman` over
    /// the `n` films with an IMDb prediction (`null` where undefined).
    #[wasm_bindgen(unchecked_return_type = "Calibration")]
    pub fn calibration(&self, profile: &JsProfile) -> Result<JsValue, PkgError> {
        let mut visitors = self.visitors.borrow_mut();
        let settings = profile.inner().settings.clone();
        let visitor = visitors.visitor(&self.model, &profile.tracked, &settings);
        Ok(to_js(&api::calibration(&self.model, visitor)?))
    }

    /// "More like this": the movie's nearest films (by both models), re-ranked for the
    /// profile's visitor (a new visitor without one), the list's exclusions and filters
    /// applied; `fromContentPrior` when the movie has no ratings in the training data. Throws
    /// `unknown_movie` for an id the catalogue does not know.
    #[wasm_bindgen(unchecked_return_type = "Similar")]
    pub fn similar(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
        // Optional: wasm-bindgen takes an `Option<JsProfile>` by value, which would detach
        // the caller's profile; the profile is read through its own `toJson` instead.
        #[wasm_bindgen(unchecked_optional_param_type = "Profile")] profile: JsValue,
    ) -> Result<JsValue, PkgError> {
        let id = id_from_js(&id)?;
        let profile = if profile.is_undefined() || profile.is_null() {
            moviematch::Profile::default()
        } else {
            profile_of_js(&profile)?
        };
        let visitor = moviematch::Visitor::new(&self.model, &profile);
        let request = moviematch::ListRequest::new(&profile.settings);
        Ok(to_js(&api::similar(&self.model, &visitor, &id, &request)?))
    }

    /// "Watch together": one list for a group, `profiles[0]` the owner (whose settings and
    /// filters apply; `options` as for `recommend`, exploration off). Each film's `mean`, `low`
    /// and `high` are the least happy member's (the lowest prediction), `members` every member's
    /// prediction in order; a film any member rated, compared, disliked or hid is left out.
    /// The profiles are only read.
    #[wasm_bindgen(js_name = recommendFor, unchecked_return_type = "GroupRecommendation[]")]
    pub fn recommend_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Profile[]")] profiles: Vec<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "RecommendOptions")] options: JsValue,
    ) -> Result<JsValue, PkgError> {
        let profiles: Vec<moviematch::Profile> = profiles
            .iter()
            .map(profile_of_js)
            .collect::<Result<_, _>>()?;
        let o = options_from_js(options)?;
        Ok(to_js(&api::recommend_for(&self.model, &profiles, &o)?))
    }

    /// The profile's stored list settings, as options.
    #[wasm_bindgen(unchecked_return_type = "RecommendOptions")]
    pub fn settings(&self, profile: &JsProfile) -> JsValue {
        to_js(&api::settings(&self.model, &profile.inner().settings))
    }

    /// Imports a ratings export into the profile: an IMDb "Your Ratings" CSV, a Letterboxd
    /// ratings.csv or Letterboxd's export zip, as bytes or (a CSV) as text. IMDb rows match by
    /// id, Letterboxd rows by title and year; rows the catalogue does not know, or that fit
    /// several movies equally, are kept as unmatched entries. "merge" (default) keeps the
    /// visitor's own rating of a movie; "replace" withdraws every rating in force first. A file
    /// that is not an export throws `bad_import` and changes nothing.
    #[wasm_bindgen(js_name = importCsv, unchecked_return_type = "ImportSummary")]
    pub fn import_csv(
        &self,
        profile: &mut JsProfile,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] data: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ImportMode")] mode: Option<String>,
    ) -> Result<JsValue, PkgError> {
        let bytes = bytes_from_js(&data)?;
        let mode = parse_mode(mode.as_deref())?;
        let summary = profile
            .tracked
            .edit(|p| api::import_csv(&self.model, p, &bytes, mode, now_ms()))?;
        Ok(to_js(&summary))
    }

    /// Stores list settings in the profile (saved with `toJson`); fields not given are kept.
    /// Settings are not answers: the next list reuses the fitted visitor.
    #[wasm_bindgen(js_name = setSettings)]
    pub fn set_settings(
        &self,
        profile: &mut JsProfile,
        #[wasm_bindgen(unchecked_param_type = "RecommendOptions")] options: JsValue,
    ) -> Result<(), PkgError> {
        let o = options_from_js(options)?;
        api::set_settings(&self.model, profile.tracked.settings_mut(), &o)
    }
}

/// A `Profile` handed in as a plain JavaScript value, read through its `toJson()`.
fn profile_of_js(value: &JsValue) -> Result<moviematch::Profile, PkgError> {
    let not_a_profile = || PkgError::BadOption("profile: not a Profile".into());
    let to_json: js_sys::Function = js_sys::Reflect::get(value, &"toJson".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(not_a_profile)?;
    let json = to_json
        .call0(value)
        .ok()
        .and_then(|j| j.as_string())
        .ok_or_else(not_a_profile)?;
    moviematch::Profile::from_json(&json).map_err(|_| not_a_profile())
}
