//! Keeps the profile in localStorage: load once on mount, save after every visitor edit (each
//! save also refreshes the last-good copy; see `services/storage.rs`), and take what another
//! tab of the site saves or deletes, so that two open tabs never write over each other's work.

use yew::prelude::*;

use crate::services::storage::{self, Changed, Found, Loaded};
use crate::state::{Msg, State};

#[hook]
pub fn use_profile_storage(state: &UseReducerHandle<State>) {
    let path = use_memo((), |_| storage::current_path());

    {
        let dispatch = state.dispatcher();
        let path = path.clone();
        use_effect_with((), move |_| {
            let Found {
                loaded,
                damaged_copy,
            } = storage::load(&path);
            // First, so that a save the load itself asks for (a restored copy) backs it up.
            if let Some(text) = damaged_copy {
                dispatch.dispatch(Msg::CopyDamaged(text));
            }
            match loaded {
                Loaded::Profile(p) => dispatch.dispatch(Msg::ProfileLoaded(p)),
                Loaded::Restored { profile, damaged } => {
                    dispatch.dispatch(Msg::ProfileRestored { profile, damaged })
                }
                Loaded::Unreadable(held) => dispatch.dispatch(Msg::ProfileUnreadable(held)),
                Loaded::Unavailable(why) => dispatch.dispatch(Msg::SaveFailed(why)),
            }
            // Another tab's save or "Delete all my data" (the browser tells every other tab of
            // the origin): taken like a load, never an edit, so nothing is written back.
            let watch = storage::ProfileWatch::new(&path, move |changed| {
                dispatch.dispatch(match changed {
                    Changed::Profile(p) => Msg::ProfileChanged(p),
                    Changed::Unreadable(held) => Msg::ProfileUnreadable(held),
                    Changed::Deleted => Msg::DeletedElsewhere,
                })
            });
            move || drop(watch)
        });
    }

    // Runs after every edit (never for loading as such, so unreadable text survives; a restored
    // last-good copy counts as an edit, and the damaged text is backed up before it is written).
    let dispatch = state.dispatcher();
    let profile = state.profile.clone();
    let held = state.held.clone();
    let damaged_copy = state.damaged_copy.clone();
    use_effect_with(state.edits, move |&edits| {
        if edits == 0 {
            return;
        }
        let now = js_sys::Date::now() as i64;
        if let Some(held) = held {
            let base = storage::backup_key(&path);
            match storage::back_up(&base, &held.raw, now) {
                Ok(key) => dispatch.dispatch(Msg::HeldBackedUp { key }),
                Err(e) => {
                    // Without a backup, writing would destroy the old text: keep it and say so.
                    dispatch.dispatch(Msg::SaveFailed(e));
                    return;
                }
            }
        }
        // The save writes the last-good copy too: an unreadable one is kept first.
        if let Some(text) = damaged_copy {
            match storage::back_up(&storage::last_good_backup_key(&path), &text, now) {
                Ok(_) => dispatch.dispatch(Msg::CopyBackedUp),
                Err(e) => {
                    dispatch.dispatch(Msg::SaveFailed(e));
                    return;
                }
            }
        }
        match storage::save_profile(&path, &profile.to_json()) {
            Ok(()) => dispatch.dispatch(Msg::Saved),
            Err(e) => dispatch.dispatch(Msg::SaveFailed(e)),
        }
    });
}
