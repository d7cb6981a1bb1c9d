//! `JsValue` in and out: the only conversions that need a JavaScript engine (they compile
//! natively but run in the browser test, `pkg/test/browser.mjs`).

use moviematch::StableId;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use super::ids::{parse_id_number, parse_id_text};
use super::options::{check_option_keys, Options};
use crate::error::PkgError;

/// Plain objects (not `Map`s) and `null` for a missing value.
const SERIALIZER: serde_wasm_bindgen::Serializer = serde_wasm_bindgen::Serializer::new()
    .serialize_maps_as_objects(true)
    .serialize_missing_as_null(true);

/// A value handed to JavaScript. The package's objects are plain structs of numbers (below
/// 2⁵³), strings, booleans, options and vectors, which always serialise.
pub fn to_js<T: Serialize>(value: &T) -> JsValue {
    value.serialize(&SERIALIZER).unwrap_or(JsValue::NULL)
}

/// A movie id from a JavaScript number or string.
pub fn id_from_js(value: &JsValue) -> Result<StableId, PkgError> {
    if let Some(n) = value.as_f64() {
        parse_id_number(n)
    } else if let Some(s) = value.as_string() {
        parse_id_text(&s)
    } else {
        Err(PkgError::UnknownMovie(
            "a movie id is a MovieLens id (a positive whole number) or an IMDb id (\"tt0133093\")"
                .into(),
        ))
    }
}

/// Options from a JavaScript object; `undefined` or `null`: none.
pub fn options_from_js(value: JsValue) -> Result<Options, PkgError> {
    if value.is_undefined() || value.is_null() {
        return Ok(Options::default());
    }
    let invalid = |e: String| PkgError::BadOption(format!("invalid options: {e}"));
    let Some(object) = value.dyn_ref::<js_sys::Object>() else {
        return Err(invalid("not an object".into()));
    };
    let keys: Vec<String> = js_sys::Object::keys(object)
        .iter()
        .filter_map(|k| k.as_string())
        .collect();
    check_option_keys(&keys)?;
    serde_wasm_bindgen::from_value(value).map_err(|e| invalid(e.to_string()))
}

/// A file's bytes from a Uint8Array, an ArrayBuffer or a string (UTF-8).
pub fn bytes_from_js(value: &JsValue) -> Result<Vec<u8>, PkgError> {
    if let Some(s) = value.as_string() {
        Ok(s.into_bytes())
    } else if let Some(a) = value.dyn_ref::<js_sys::Uint8Array>() {
        Ok(a.to_vec())
    } else if let Some(b) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        Ok(js_sys::Uint8Array::new(b).to_vec())
    } else {
        Err(PkgError::BadImport(
            "the file must be a Uint8Array, an ArrayBuffer or a string".into(),
        ))
    }
}

/// Milliseconds since the epoch, to stamp events.
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
