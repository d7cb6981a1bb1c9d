//! The visitor's profile in localStorage.
//!
//! Keys are namespaced by the site's directory so two copies of the site on one origin
//! (say `/moviematch/` and `/moviematch-beta/`) never share or clobber a profile. Storage access
//! goes through `web_sys` directly rather than `gloo::storage`, because gloo panics when
//! localStorage is disabled and we want a notice instead.
//!
//! Every successful save also writes a last-good copy, so damaged text under the main key
//! (a broken extension, a hand edit, a half-written value) never costs the visitor their
//! profile: [`decide`] falls back to the copy, and the damaged text is kept (backed up, never
//! destroyed). Nothing here deletes a key to make room: when storage is full the save fails,
//! what was saved before stays as it was, and the visitor is told.

use moviematch::{Profile, ProfileError};
use web_sys::Storage;

use crate::state::{Held, HeldReason};

/// What reading the stored profile found.
#[derive(Debug, PartialEq)]
pub enum Loaded {
    /// A profile (a fresh one if nothing was stored).
    Profile(Profile),
    /// The main copy was unreadable (or gone) but the last-good copy reads: use the copy. The
    /// unreadable text, if any, must be backed up before the main key is written again.
    Restored {
        profile: Profile,
        damaged: Option<Held>,
    },
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

/// The start of every key this copy of the site writes: `moviematch:<dir>:`.
pub fn namespace(path: &str) -> String {
    format!("moviematch:{}:", dir_of(path))
}

/// The key the profile lives under for the page at `path`.
pub fn profile_key(path: &str) -> String {
    format!("{}profile", namespace(path))
}

/// The profile as it was at the last successful save.
pub fn last_good_key(path: &str) -> String {
    format!("{}.last-good", profile_key(path))
}

/// Where an unreadable profile is kept once it is replaced.
pub fn backup_key(path: &str) -> String {
    format!("{}.corrupt", profile_key(path))
}

/// Whether `key` belongs to the copy of the site at `path` (profile, last-good copy, backups):
/// what "Delete all my data" removes. Another directory's keys belong to another site.
pub fn is_own_key(key: &str, path: &str) -> bool {
    key.starts_with(&namespace(path))
}

/// What to load, given the stored texts of the main key and of the last-good copy (pure, so
/// the decision is tested natively). The main copy when it reads. A future version's text is
/// held untouched, whatever the copy says (loading an older copy would let the next save write
/// over it). Damaged or missing main text with a readable last-good copy restores the copy.
/// Otherwise the damaged text is held and the visitor is told.
pub fn decide(main: Option<String>, last_good: Option<String>) -> Loaded {
    let good = || {
        last_good
            .as_deref()
            .and_then(|t| Profile::from_json(t).ok())
    };
    let Some(raw) = main else {
        return match good() {
            Some(profile) => Loaded::Restored {
                profile,
                damaged: None,
            },
            None => Loaded::Profile(Profile::default()),
        };
    };
    let reason = match Profile::from_json(&raw) {
        Ok(p) => return Loaded::Profile(p),
        Err(ProfileError::FutureVersion { found, supported }) => {
            return Loaded::Unreadable(Held {
                raw,
                reason: HeldReason::FutureVersion { found, supported },
                restored: false,
            })
        }
        Err(e) => HeldReason::Corrupt(e.to_string()),
    };
    match good() {
        Some(profile) => Loaded::Restored {
            profile,
            damaged: Some(Held {
                raw,
                reason,
                restored: true,
            }),
        },
        None => Loaded::Unreadable(Held {
            raw,
            reason,
            restored: false,
        }),
    }
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

/// Reads the stored profile of the site at `path` (see [`decide`]).
pub fn load(path: &str) -> Loaded {
    let storage = match local_storage() {
        Ok(s) => s,
        Err(e) => return Loaded::Unavailable(e),
    };
    let main = match storage.get_item(&profile_key(path)) {
        Ok(main) => main,
        Err(e) => return Loaded::Unavailable(js_message(&e, "local storage is disabled")),
    };
    let last_good = storage.get_item(&last_good_key(path)).ok().flatten();
    decide(main, last_good)
}

/// Saves the profile text of the site at `path`, then the last-good copy. Fails, leaving the
/// stored profile as it was, when storage is full or disabled. The copy is a bonus: if only it
/// does not fit, the save still counts (and the older copy stays).
pub fn save_profile(path: &str, text: &str) -> Result<(), String> {
    let storage = local_storage()?;
    storage
        .set_item(&profile_key(path), text)
        .map_err(|e| js_message(&e, "storage is full or blocked"))?;
    let _ = storage.set_item(&last_good_key(path), text);
    Ok(())
}

/// Removes every key of the site at `path` ([`is_own_key`]): the profile, its last-good copy
/// and any backups. Returns how many keys were removed.
pub fn clear_all(path: &str) -> Result<usize, String> {
    let storage = local_storage()?;
    let n = storage
        .length()
        .map_err(|e| js_message(&e, "local storage is disabled"))?;
    // Collected first: removing while indexing would shift the keys.
    let own: Vec<String> = (0..n)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter(|k| is_own_key(k, path))
        .collect();
    for k in &own {
        storage
            .remove_item(k)
            .map_err(|e| js_message(&e, "local storage is disabled"))?;
    }
    Ok(own.len())
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
        assert_eq!(
            last_good_key("/sub/path/"),
            "moviematch:/sub/path/:profile.last-good"
        );
    }

    #[test]
    fn own_keys_are_this_directory_s_and_no_other() {
        let here = "/sub/path/index.html";
        for k in [
            profile_key(here),
            last_good_key(here),
            backup_key(here),
            format!("{}.1732280000000", backup_key(here)),
        ] {
            assert!(is_own_key(&k, here), "{k}");
        }
        for k in [
            profile_key("/sub/"),
            profile_key("/sub/path/deeper/"),
            profile_key("/sub/path-beta/"),
            "moviematch".to_string(),
            "other:/sub/path/:profile".to_string(),
        ] {
            assert!(!is_own_key(&k, here), "{k}");
        }
    }

    fn json(ratings: u32) -> String {
        let mut p = Profile::default();
        for m in 1..=ratings {
            p.rate(
                moviematch::StableId::Movielens(m),
                4.0,
                moviematch::Scale::Stars,
                1,
            );
        }
        p.to_json()
    }

    #[test]
    fn the_main_copy_wins_when_it_reads() {
        assert_eq!(decide(None, None), Loaded::Profile(Profile::default()));
        let Loaded::Profile(p) = decide(Some(json(2)), Some(json(1))) else {
            panic!("the main copy reads");
        };
        assert_eq!(p.ratings().len(), 2);
    }

    #[test]
    fn damaged_main_text_restores_the_last_good_copy_and_keeps_the_damage() {
        let Loaded::Restored { profile, damaged } = decide(Some("{broken".into()), Some(json(3)))
        else {
            panic!("restored");
        };
        assert_eq!(profile.ratings().len(), 3);
        let held = damaged.expect("the damaged text is kept");
        assert_eq!(held.raw, "{broken");
        assert!(held.restored);
        assert!(matches!(held.reason, HeldReason::Corrupt(_)));
        // A wrong shape is damage too; a missing main key with a good copy restores the copy.
        assert!(matches!(
            decide(Some("[1]".into()), Some(json(1))),
            Loaded::Restored {
                damaged: Some(_),
                ..
            }
        ));
        assert!(matches!(
            decide(None, Some(json(1))),
            Loaded::Restored { damaged: None, .. }
        ));
    }

    #[test]
    fn both_copies_damaged_hold_the_main_text() {
        for good in [None, Some("{also broken".to_string())] {
            let Loaded::Unreadable(held) = decide(Some("{broken".into()), good) else {
                panic!("held");
            };
            assert_eq!(held.raw, "{broken");
            assert!(!held.restored);
        }
        // No main text and a damaged copy: a fresh profile (there is nothing to lose).
        assert_eq!(
            decide(None, Some("{x".into())),
            Loaded::Profile(Profile::default())
        );
    }

    #[test]
    fn a_future_version_is_held_even_with_a_good_copy() {
        let future = r#"{"version":99,"events":[]}"#.to_string();
        let Loaded::Unreadable(held) = decide(Some(future.clone()), Some(json(2))) else {
            panic!("held");
        };
        assert_eq!(held.raw, future);
        assert_eq!(
            held.reason,
            HeldReason::FutureVersion {
                found: 99,
                supported: moviematch::profile::PROFILE_VERSION
            }
        );
    }
}
