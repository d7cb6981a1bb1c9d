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
//! destroyed; an unreadable last-good copy is backed up too before it is written over).
//! Nothing here deletes a key to make room: when storage is full the save fails, what was
//! saved before stays as it was, and the visitor is told.
//!
//! Several tabs of the site share these keys: [`ProfileWatch`] tells a tab when another one
//! wrote or removed the profile, so that it takes that profile (or the deletion) instead of
//! writing its own older copy over it at its next save.

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

/// Where an unreadable last-good copy is kept once it is replaced.
pub fn last_good_backup_key(path: &str) -> String {
    format!("{}.corrupt", last_good_key(path))
}

/// Whether `key` belongs to the copy of the site at `path` (profile, last-good copy, backups):
/// what "Delete all my data" removes. That is the profile key itself, or the profile key and a
/// suffix starting with "." (which never holds a "/"). Another directory's keys belong to
/// another site, even one whose directory starts with this one's namespace: the key of the
/// site at `/a/:x/` (`moviematch:/a/:x/:profile`) starts with `moviematch:/a/:`, and that of
/// `/a/:profile.x/` with `moviematch:/a/:profile.`, but both hold a "/" after it.
pub fn is_own_key(key: &str, path: &str) -> bool {
    match key.strip_prefix(&profile_key(path)) {
        Some("") => true,
        Some(rest) => rest.starts_with('.') && !rest.contains('/'),
        None => false,
    }
}

/// What reading the stored profile found, and the last-good copy's text when that copy is
/// there but unreadable: every save writes the copy, so that text must be backed up (to
/// [`last_good_backup_key`]) before the first save.
#[derive(Debug, PartialEq)]
pub struct Found {
    pub loaded: Loaded,
    pub damaged_copy: Option<String>,
}

/// What to load, given the stored texts of the main key and of the last-good copy (pure, so
/// the decision is tested natively): [`decide_main`], and the last-good text to back up when
/// it does not read.
pub fn decide(main: Option<String>, last_good: Option<String>) -> Found {
    let damaged_copy = last_good
        .as_ref()
        .filter(|t| Profile::from_json(t).is_err())
        .cloned();
    Found {
        loaded: decide_main(main, last_good),
        damaged_copy,
    }
}

/// The main copy when it reads. A future version's text is held untouched, whatever the copy
/// says (loading an older copy would let the next save write over it). Damaged or missing main
/// text with a readable last-good copy restores the copy. Otherwise the damaged text is held
/// and the visitor is told.
fn decide_main(main: Option<String>, last_good: Option<String>) -> Loaded {
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
pub fn load(path: &str) -> Found {
    let unavailable = |why| Found {
        loaded: Loaded::Unavailable(why),
        damaged_copy: None,
    };
    let storage = match local_storage() {
        Ok(s) => s,
        Err(e) => return unavailable(e),
    };
    let main = match storage.get_item(&profile_key(path)) {
        Ok(main) => main,
        Err(e) => return unavailable(js_message(&e, "local storage is disabled")),
    };
    let last_good = storage.get_item(&last_good_key(path)).ok().flatten();
    decide(main, last_good)
}

/// What another tab did to the stored profile, as this tab must take it.
#[derive(Debug, PartialEq)]
pub enum Changed {
    /// It saved a profile: use it (not an edit: nothing is written back).
    Profile(Profile),
    /// It wrote text this tab cannot read (a newer version of the site, say): hold it, as on
    /// load, so that it is backed up before this tab writes over it.
    Unreadable(Held),
    /// The profile is gone ("Delete all my data" in the other tab): start afresh, writing
    /// nothing.
    Deleted,
}

/// What the main key's text, as it is now after another tab changed it, means for this tab
/// (pure, so it is tested natively).
pub fn decide_changed(main: Option<String>) -> Changed {
    let Some(raw) = main else {
        return Changed::Deleted;
    };
    match Profile::from_json(&raw) {
        Ok(p) => Changed::Profile(p),
        Err(e) => Changed::Unreadable(Held {
            reason: match e {
                ProfileError::FutureVersion { found, supported } => {
                    HeldReason::FutureVersion { found, supported }
                }
                e => HeldReason::Corrupt(e.to_string()),
            },
            raw,
            restored: false,
        }),
    }
}

/// Calls `f` whenever another tab (or window) of this origin changes the profile of the site
/// at `path`: the browser fires `storage` on every other document of the origin when
/// localStorage changes (never on the one that changed it). The main key's current text is
/// read again rather than taken from the event, so that changes coming in quick succession
/// end on what is stored. `localStorage.clear()` (a null key) counts as a change. The
/// listener lives as long as the returned guard.
pub struct ProfileWatch {
    _listener: gloo::events::EventListener,
}

impl ProfileWatch {
    pub fn new(path: &str, mut f: impl FnMut(Changed) + 'static) -> Option<ProfileWatch> {
        use wasm_bindgen::JsCast;
        let key = profile_key(path);
        let window = web_sys::window()?;
        let listener = gloo::events::EventListener::new(&window, "storage", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            if e.key().is_some_and(|k| k != key) {
                return;
            }
            let Ok(storage) = local_storage() else {
                return;
            };
            if let Ok(main) = storage.get_item(&key) {
                f(decide_changed(main));
            }
        });
        Some(ProfileWatch {
            _listener: listener,
        })
    }
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
            last_good_backup_key(here),
            format!("{}.1732280000000", backup_key(here)),
            format!("{}.1732280000000", last_good_backup_key(here)),
        ] {
            assert!(is_own_key(&k, here), "{k}");
        }
        for k in [
            profile_key("/sub/"),
            profile_key("/sub/path/deeper/"),
            profile_key("/sub/path-beta/"),
            "moviematch".to_string(),
            "moviematch:/sub/path/:".to_string(),
            "moviematch:/sub/path/:profiles".to_string(),
            "other:/sub/path/:profile".to_string(),
        ] {
            assert!(!is_own_key(&k, here), "{k}");
        }
    }

    #[test]
    fn delete_all_of_a_site_leaves_the_sites_below_it_alone() {
        // Sites at /a/, /a/b/, /a/:x/ and /a/:profile.x/ (":" and "." are allowed in a path):
        // the keys of each are its own and no other's.
        let sites = ["/a/", "/a/b/", "/a/:x/", "/a/:profile.x/"];
        for site in sites {
            let keys = [
                profile_key(site),
                last_good_key(site),
                backup_key(site),
                last_good_backup_key(site),
                format!("{}.1732280000000", backup_key(site)),
            ];
            for other in sites {
                for k in &keys {
                    assert_eq!(
                        is_own_key(k, other),
                        site == other,
                        "{k} of {site} at {other}"
                    );
                }
            }
        }
        assert_eq!(profile_key("/a/:x/"), "moviematch:/a/:x/:profile");
        assert!(!is_own_key("moviematch:/a/:x/:profile", "/a/index.html"));
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

    /// The decision about the main key (the last-good copy's own damage aside).
    fn main_of(main: Option<String>, last_good: Option<String>) -> Loaded {
        decide(main, last_good).loaded
    }

    #[test]
    fn the_main_copy_wins_when_it_reads() {
        assert_eq!(main_of(None, None), Loaded::Profile(Profile::default()));
        let Loaded::Profile(p) = main_of(Some(json(2)), Some(json(1))) else {
            panic!("the main copy reads");
        };
        assert_eq!(p.ratings().len(), 2);
    }

    #[test]
    fn damaged_main_text_restores_the_last_good_copy_and_keeps_the_damage() {
        let Found {
            loaded: Loaded::Restored { profile, damaged },
            damaged_copy: None,
        } = decide(Some("{broken".into()), Some(json(3)))
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
            main_of(Some("[1]".into()), Some(json(1))),
            Loaded::Restored {
                damaged: Some(_),
                ..
            }
        ));
        assert!(matches!(
            main_of(None, Some(json(1))),
            Loaded::Restored { damaged: None, .. }
        ));
    }

    #[test]
    fn both_copies_damaged_hold_the_main_text_and_back_up_the_copy() {
        for good in [None, Some("{also broken".to_string())] {
            let found = decide(Some("{broken".into()), good.clone());
            let Loaded::Unreadable(held) = found.loaded else {
                panic!("held");
            };
            assert_eq!(held.raw, "{broken");
            assert!(!held.restored);
            assert_eq!(
                found.damaged_copy, good,
                "the damaged copy is backed up too"
            );
        }
        // No main text and a damaged copy: a fresh profile, and the copy's text is kept.
        assert_eq!(
            decide(None, Some("{x".into())),
            Found {
                loaded: Loaded::Profile(Profile::default()),
                damaged_copy: Some("{x".into()),
            }
        );
        // A readable main copy: a damaged copy is still backed up before the save writes it.
        let found = decide(Some(json(1)), Some("[]".into()));
        assert!(matches!(found.loaded, Loaded::Profile(_)));
        assert_eq!(found.damaged_copy.as_deref(), Some("[]"));
        // A future version's copy cannot be read here either.
        let future = r#"{"version":99,"events":[]}"#.to_string();
        assert_eq!(
            decide(Some(future.clone()), Some(future.clone())).damaged_copy,
            Some(future)
        );
        // A readable copy (or none) needs no backup.
        for good in [None, Some(json(2))] {
            for main in [None, Some(json(1)), Some("{broken".into())] {
                assert_eq!(decide(main, good.clone()).damaged_copy, None);
            }
        }
        assert_eq!(
            last_good_backup_key("/a/"),
            "moviematch:/a/:profile.last-good.corrupt"
        );
    }

    #[test]
    fn a_future_version_is_held_even_with_a_good_copy() {
        let future = r#"{"version":99,"events":[]}"#.to_string();
        let Loaded::Unreadable(held) = main_of(Some(future.clone()), Some(json(2))) else {
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

    #[test]
    fn another_tab_s_change_is_taken_as_it_is_stored() {
        let Changed::Profile(p) = decide_changed(Some(json(3))) else {
            panic!("a profile");
        };
        assert_eq!(p.ratings().len(), 3);
        assert_eq!(decide_changed(None), Changed::Deleted);
        let future = r#"{"version":99,"events":[]}"#.to_string();
        let Changed::Unreadable(held) = decide_changed(Some(future.clone())) else {
            panic!("held");
        };
        assert_eq!(held.raw, future);
        assert!(!held.restored);
        assert!(matches!(
            held.reason,
            HeldReason::FutureVersion { found: 99, .. }
        ));
        assert!(matches!(
            decide_changed(Some("{broken".into())),
            Changed::Unreadable(Held {
                reason: HeldReason::Corrupt(_),
                ..
            })
        ));
    }
}
