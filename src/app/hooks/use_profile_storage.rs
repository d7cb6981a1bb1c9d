//! Keeps the profile in localStorage: load once on mount, save after every visitor edit (each
//! save also refreshes the last-good copy; see `services/storage.rs`).

use yew::prelude::*;

use crate::services::storage::{self, Loaded};
use crate::state::{Action, State};

#[hook]
pub fn use_profile_storage(state: &UseReducerHandle<State>) {
    let path = use_memo((), |_| storage::current_path());

    {
        let dispatch = state.dispatcher();
        let path = path.clone();
        use_effect_with((), move |_| match storage::load(&path) {
            Loaded::Profile(p) => dispatch.dispatch(Action::ProfileLoaded(p)),
            Loaded::Restored { profile, damaged } => {
                dispatch.dispatch(Action::ProfileRestored { profile, damaged })
            }
            Loaded::Unreadable(held) => dispatch.dispatch(Action::ProfileUnreadable(held)),
            Loaded::Unavailable(why) => dispatch.dispatch(Action::SaveFailed(why)),
        });
    }

    // Runs after every edit (never for loading as such, so unreadable text survives; a restored
    // last-good copy counts as an edit, and the damaged text is backed up before it is written).
    let dispatch = state.dispatcher();
    let profile = state.profile.clone();
    let held = state.held.clone();
    use_effect_with(state.edits, move |&edits| {
        if edits == 0 {
            return;
        }
        if let Some(held) = held {
            let base = storage::backup_key(&path);
            match storage::back_up(&base, &held.raw, js_sys::Date::now() as i64) {
                Ok(key) => dispatch.dispatch(Action::HeldBackedUp { key }),
                Err(e) => {
                    // Without a backup, writing would destroy the old text: keep it and say so.
                    dispatch.dispatch(Action::SaveFailed(e));
                    return;
                }
            }
        }
        match storage::save_profile(&path, &profile.to_json()) {
            Ok(()) => dispatch.dispatch(Action::Saved),
            Err(e) => dispatch.dispatch(Action::SaveFailed(e)),
        }
    });
}
