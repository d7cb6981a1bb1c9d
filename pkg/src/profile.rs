//! The JavaScript `Profile` (the visitor's answers, in the app's stored JSON format) and the
//! share-link functions. Every method that changes the events goes through
//! [`TrackedProfile::edit`], which moves the revision on, so the engine refits exactly when
//! the answers change.

use moviematch::Profile;
use wasm_bindgen::prelude::*;

use crate::api;
use crate::cache::TrackedProfile;
use crate::error::PkgError;
use crate::interop::js::{id_from_js, now_ms, to_js};
use crate::interop::{parse_action, parse_scale};

/// The visitor's profile: the append-only log of ratings, comparisons and reactions, in the
/// app's stored JSON format.
#[wasm_bindgen(js_name = Profile)]
pub struct JsProfile {
    pub(crate) tracked: TrackedProfile,
}

impl Default for JsProfile {
    fn default() -> Self {
        JsProfile::new()
    }
}

impl JsProfile {
    fn wrap(profile: Profile) -> JsProfile {
        JsProfile {
            tracked: TrackedProfile::new(profile),
        }
    }

    pub(crate) fn inner(&self) -> &Profile {
        self.tracked.profile()
    }
}

#[wasm_bindgen(js_class = Profile)]
impl JsProfile {
    /// An empty profile with the default settings.
    #[wasm_bindgen(constructor)]
    pub fn new() -> JsProfile {
        JsProfile::wrap(Profile::default())
    }

    /// Reads a stored profile (what `toJson` wrote, or the app's localStorage value). Throws
    /// `bad_profile` for text that is not a profile, `future_profile` for one a newer version
    /// wrote.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<JsProfile, PkgError> {
        Ok(JsProfile::wrap(Profile::from_json(text)?))
    }

    /// A new profile holding a share link's ratings (the text after `#share=`, or the URL).
    #[wasm_bindgen(js_name = fromShare)]
    pub fn from_share(link: &str) -> Result<JsProfile, PkgError> {
        Ok(JsProfile::wrap(api::profile_from_share(link, now_ms())?))
    }

    /// The profile as JSON, to store.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.inner().to_json()
    }

    /// Rates a movie: `value` in stars (0.5–5, half stars) or, with scale "ten", 1–10.
    /// The latest rating of a movie wins.
    pub fn rate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
        value: f32,
        #[wasm_bindgen(unchecked_optional_param_type = "RatingScale")] scale: Option<String>,
    ) -> Result<(), PkgError> {
        let id = id_from_js(&id)?;
        let scale = parse_scale(scale.as_deref())?;
        self.tracked
            .edit(|p| api::rate(p, id, value, scale, now_ms()))
    }

    /// Withdraws a movie's rating.
    pub fn unrate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
    ) -> Result<(), PkgError> {
        let id = id_from_js(&id)?;
        self.tracked.edit(|p| {
            p.unrate(id, now_ms());
            Ok(())
        })
    }

    /// Records the answer to "which do you prefer, A or B?".
    pub fn compare(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] a: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] b: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CompareAnswer")] answer: String,
    ) -> Result<(), PkgError> {
        let (a, b) = (id_from_js(&a)?, id_from_js(&b)?);
        self.tracked
            .edit(|p| api::compare(p, a, b, &answer, now_ms()))
    }

    /// Withdraws every answer given to the pair `a`, `b` (in either order): a preference, a
    /// tie, "haven't seen" or a skip.
    pub fn uncompare(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] a: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] b: JsValue,
    ) -> Result<(), PkgError> {
        let (a, b) = (id_from_js(&a)?, id_from_js(&b)?);
        self.tracked.edit(|p| {
            p.uncompare(a, b, now_ms());
            Ok(())
        })
    }

    /// Records a reaction to a movie (like, dislike, hide, save, …).
    pub fn feedback(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "MovieId")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FeedbackAction")] action: String,
    ) -> Result<(), PkgError> {
        let id = id_from_js(&id)?;
        let action = parse_action(&action)?;
        self.tracked.edit(|p| {
            p.feedback(id, action, now_ms());
            Ok(())
        })
    }

    /// The ratings in force, most recent first.
    #[wasm_bindgen(unchecked_return_type = "Rating[]")]
    pub fn ratings(&self) -> JsValue {
        to_js(&api::ratings(self.inner()))
    }
}

/// The profile's ratings as a share link's data (put it after `#share=`).
#[wasm_bindgen(js_name = encodeShare)]
pub fn encode_share(profile: &JsProfile) -> String {
    moviematch::share::encode_profile(profile.inner())
}

/// The ratings in a share link (the text after `#share=`, or the whole URL). A damaged or
/// foreign link throws `bad_share_link` saying why (e.g. "checksum mismatch").
#[wasm_bindgen(js_name = decodeShare, unchecked_return_type = "Rating[]")]
pub fn decode_share(link: &str) -> Result<JsValue, PkgError> {
    Ok(to_js(&api::decode_share(link)?))
}
