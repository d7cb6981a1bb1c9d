//! The app's whole state, the actions that change it and the pure reducer.
//!
//! Nothing here does I/O: fetching, storage and clocks live in `hooks/` and `services/`, and
//! actions carry whatever they need (timestamps included), so `reduce` is deterministic.

use std::rc::Rc;

use moviematch::{Model, Profile, StableId};
use yew::Reducible;

use crate::shared::Shared;

/// The decoded model, held once and shared read-only (compared by address).
pub type ModelRef = Shared<Model>;

/// Where the model download stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    /// `total` is `None` when the server did not say (or compressed the body).
    Fetching {
        received: u64,
        total: Option<u64>,
    },
    Decoding,
    Ready(ModelRef),
    Failed(String),
}

/// Why the stored profile text could not be used.
#[derive(Clone, Debug, PartialEq)]
pub enum HeldReason {
    Corrupt(String),
    FutureVersion { found: u32, supported: u32 },
}

/// Stored profile text we could not read. It is never overwritten until the visitor acts;
/// then the save hook copies it to a backup key before writing the fresh profile.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub raw: String,
    pub reason: HeldReason,
}

/// Which notice a message is, so that a newer one replaces an older one of the same kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// The stored profile was unreadable; it offers "Start fresh".
    Unreadable,
    /// The unreadable profile was backed up and a fresh one started.
    BackedUp,
    /// localStorage refused to store (full, disabled, private mode).
    SaveFailed,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub load: Load,
    /// Bumped by "Try again" so the fetch hook runs once more.
    pub attempt: u32,
    pub profile: Rc<Profile>,
    /// Visitor edits so far; the save hook runs whenever it changes (never for 0).
    pub edits: u32,
    pub held: Option<Held>,
    /// Genre bitmask for the recommendation filter (0: all genres).
    pub genre: u32,
    pub query: String,
    pub notices: Vec<Notice>,
}

impl Default for State {
    fn default() -> Self {
        State {
            load: Load::Fetching {
                received: 0,
                total: None,
            },
            attempt: 0,
            profile: Rc::new(Profile::default()),
            edits: 0,
            held: None,
            genre: 0,
            query: String::new(),
            notices: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Progress {
        received: u64,
        total: Option<u64>,
    },
    Decoding,
    Loaded(ModelRef),
    LoadFailed(String),
    Retry,
    /// The stored profile (or a fresh one when nothing was stored).
    ProfileLoaded(Profile),
    ProfileUnreadable(Held),
    Rate {
        id: StableId,
        value: f32,
        at: i64,
    },
    Unrate {
        id: StableId,
        at: i64,
    },
    /// The visitor chose to set the unreadable profile aside now.
    StartFresh,
    /// The save hook copied the held text to `key`.
    HeldBackedUp {
        key: String,
    },
    Saved,
    SaveFailed(String),
    SetQuery(String),
    SetGenre(u32),
    Dismiss(NoticeKind),
}

impl State {
    fn notify(&mut self, kind: NoticeKind, text: String) {
        self.notices.retain(|n| n.kind != kind);
        self.notices.push(Notice { kind, text });
    }

    fn edit_profile(&mut self, f: impl FnOnce(&mut Profile)) {
        f(Rc::make_mut(&mut self.profile));
        self.edits += 1;
    }
}

/// The reducer: a pure function of the old state and the action.
pub fn reduce(mut s: State, action: Action) -> State {
    match action {
        Action::Progress { received, total } => {
            s.load = Load::Fetching { received, total };
        }
        Action::Decoding => s.load = Load::Decoding,
        Action::Loaded(model) => s.load = Load::Ready(model),
        Action::LoadFailed(msg) => s.load = Load::Failed(msg),
        Action::Retry => {
            s.attempt += 1;
            s.load = Load::Fetching {
                received: 0,
                total: None,
            };
        }
        Action::ProfileLoaded(p) => s.profile = Rc::new(p),
        Action::ProfileUnreadable(held) => {
            let why = match &held.reason {
                HeldReason::Corrupt(e) => format!("Your saved ratings could not be read ({e})."),
                HeldReason::FutureVersion { found, .. } => format!(
                    "Your saved ratings were written by a newer version of this site (profile format {found})."
                ),
            };
            s.notify(
                NoticeKind::Unreadable,
                format!(
                    "{why} They are left untouched in this browser. Rating a movie or choosing \
                     “Start fresh” keeps a backup copy and starts a new profile."
                ),
            );
            s.held = Some(held);
        }
        Action::Rate { id, value, at } => {
            s.edit_profile(|p| p.rate(id, value, moviematch::Scale::Stars, at));
        }
        Action::Unrate { id, at } => s.edit_profile(|p| p.unrate(id, at)),
        Action::StartFresh => s.edits += 1,
        Action::HeldBackedUp { key } => {
            s.held = None;
            s.notices.retain(|n| n.kind != NoticeKind::Unreadable);
            s.notify(
                NoticeKind::BackedUp,
                format!("Started a fresh profile. The old, unreadable one is kept in this browser’s storage under “{key}”."),
            );
        }
        Action::Saved => s.notices.retain(|n| n.kind != NoticeKind::SaveFailed),
        Action::SaveFailed(why) => s.notify(
            NoticeKind::SaveFailed,
            format!(
                "Could not save your ratings in this browser: {why}. They still count for this visit, \
                 but will be gone after a reload."
            ),
        ),
        Action::SetQuery(q) => s.query = q,
        Action::SetGenre(g) => s.genre = g,
        Action::Dismiss(kind) => s.notices.retain(|n| n.kind != kind),
    }
    s
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(reduce(Rc::unwrap_or_clone(self), action))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rating_edits_the_profile_and_counts_edits() {
        let id = StableId::Movielens(1);
        let s = reduce(
            State::default(),
            Action::Rate {
                id: id.clone(),
                value: 4.5,
                at: 1,
            },
        );
        assert_eq!(s.edits, 1);
        assert_eq!(s.profile.rating_of(&id).unwrap().value, 4.5);
        let s = reduce(
            s,
            Action::Unrate {
                id: id.clone(),
                at: 2,
            },
        );
        assert_eq!(s.edits, 2);
        assert!(s.profile.ratings().is_empty());
    }

    #[test]
    fn unreadable_profile_is_held_until_backed_up() {
        let held = Held {
            raw: "{oops".into(),
            reason: HeldReason::Corrupt("bad".into()),
        };
        let s = reduce(State::default(), Action::ProfileUnreadable(held.clone()));
        assert_eq!(s.held, Some(held));
        assert_eq!(s.edits, 0, "loading must not trigger a save");
        assert_eq!(s.notices.len(), 1);
        let s = reduce(s, Action::StartFresh);
        assert_eq!(s.edits, 1);
        let s = reduce(s, Action::HeldBackedUp { key: "k".into() });
        assert!(s.held.is_none());
        assert_eq!(s.notices.len(), 1);
        assert_eq!(s.notices[0].kind, NoticeKind::BackedUp);
    }

    #[test]
    fn save_failure_notice_is_replaced_not_repeated_and_cleared_on_success() {
        let s = reduce(State::default(), Action::SaveFailed("full".into()));
        let s = reduce(s, Action::SaveFailed("full".into()));
        assert_eq!(s.notices.len(), 1);
        let s = reduce(s, Action::Saved);
        assert!(s.notices.is_empty());
    }
}
