//! The visitor's profile in localStorage.
//!
//! Keys are namespaced by the site's directory so two copies of the site on one origin
//! (say `/moviematch/` and `/moviematch-beta/`) never share or clobber a profile. Storage access
//! goes through `web_sys` directly rather than `gloo::storage`, because gloo panics when
//! localStorage is disabled and we want a notice instead.

use moviematch::{Profile, ProfileError};
use web_sys::Storage;

use crate::state::{Held, HeldReason};

/// What reading the stored profile found.
pub enum Loaded {
    /// A profile (a fresh one if nothing was stored).
    Profile(Profile),
    /// Text we cannot read; it must stay untouched until the visitor acts.
    Unreadable(Held),
    /// The browser refuses storage altogether.
    Unavailable(String),
}

/// The directory part of a path: "/a/b/index.html" → "/a/b/", "/a/b/" → "/a/b/", "" → "/".
pub fn dir_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..=i],
        None => "/",
    }
}

/// The key the profile lives under for the page at `path`.
pub fn profile_key(path: &str) -> String {
    format!("moviematch:{}:profile", dir_of(path))
}

/// Where an unreadable profile is kept once the visitor starts fresh.
pub fn backup_key(path: &str) -> String {
    format!("{}.corrupt", profile_key(path))
}

/// The current page's path, or "/" if there is no window (never the case in a browser).
pub fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".into())
}

fn local_storage() -> Result<Storage, String> {
    let window = web_sys::window().ok_or("no window")?;
    match window.local_storage() {
        Ok(Some(s)) => Ok(s),
        Ok(None) => Err("this browser has no local storage".into()),
        Err(e) => Err(js_message(&e, "local storage is disabled")),
    }
}

/// Reads and parses the stored profile.
pub fn load(key: &str) -> Loaded {
    let storage = match local_storage() {
        Ok(s) => s,
        Err(e) => return Loaded::Unavailable(e),
    };
    let raw = match storage.get_item(key) {
        Ok(Some(raw)) => raw,
        Ok(None) => return Loaded::Profile(Profile::default()),
        Err(e) => return Loaded::Unavailable(js_message(&e, "local storage is disabled")),
    };
    match Profile::from_json(&raw) {
        Ok(p) => Loaded::Profile(p),
        Err(ProfileError::FutureVersion { found, supported }) => Loaded::Unreadable(Held {
            raw,
            reason: HeldReason::FutureVersion { found, supported },
        }),
        Err(e) => Loaded::Unreadable(Held {
            raw,
            reason: HeldReason::Corrupt(e.to_string()),
        }),
    }
}

/// Writes `text` under `key`. Fails when storage is full or disabled.
pub fn save(key: &str, text: &str) -> Result<(), String> {
    local_storage()?
        .set_item(key, text)
        .map_err(|e| js_message(&e, "storage is full or blocked"))
}

/// Copies unreadable text to the backup key without ever destroying an earlier backup:
/// if `base` already holds different text, a timestamped key is used. Returns the key used.
pub fn back_up(base: &str, text: &str, now_ms: i64) -> Result<String, String> {
    let storage = local_storage()?;
    let existing = storage.get_item(base).ok().flatten();
    let key = match existing {
        None => base.to_string(),
        Some(t) if t == text => return Ok(base.to_string()),
        Some(_) => format!("{base}.{now_ms}"),
    };
    storage
        .set_item(&key, text)
        .map_err(|e| js_message(&e, "storage is full or blocked"))?;
    Ok(key)
}

/// A short, human message from a thrown JS value: quota errors get plain words, anything else
/// its DOMException `message` (without a final period), or `fallback`.
fn js_message(e: &wasm_bindgen::JsValue, fallback: &str) -> String {
    let prop = |name: &str| {
        js_sys::Reflect::get(e, &name.into())
            .ok()
            .and_then(|m| m.as_string())
            .filter(|m| !m.is_empty())
    };
    if prop("name").as_deref() == Some("QuotaExceededError") {
        return "this browser’s storage for the site is full".into();
    }
    prop("message")
        .map(|m| m.trim_end_matches('.').to_string())
        .unwrap_or_else(|| fallback.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_follow_the_directory() {
        assert_eq!(dir_of("/a/b/index.html"), "/a/b/");
        assert_eq!(dir_of("/a/b/"), "/a/b/");
        assert_eq!(dir_of("/"), "/");
        assert_eq!(dir_of(""), "/");
        assert_eq!(profile_key("/mm/index.html"), "moviematch:/mm/:profile");
        assert_eq!(backup_key("/"), "moviematch:/:profile.corrupt");
    }
}
