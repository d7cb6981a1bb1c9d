//! The app's whole state, the actions that change it and the pure reducer.
//!
//! Nothing here does I/O: fetching, storage and clocks live in `hooks/` and `services/`, and
//! actions carry whatever they need (timestamps included), so `reduce` is deterministic.

use std::rc::Rc;

use moviematch::profile::{Action as Feedback, CompareAnswer, Settings};
use moviematch::share::SharedRating;
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
    /// A share link could not be read (tampered, cut short, foreign).
    ShareLink,
    /// What "Merge into mine" / "Replace mine" did.
    Shared,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

/// What the left column shows. The recommendations stay on the right whatever is chosen, so
/// every answer visibly changes the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    /// The three ways in (rate known movies, answer questions, import), with search below.
    Start,
    /// Search and "My ratings".
    Search,
    /// A grid of the movies most people have seen, each with the star widget.
    Popular,
    /// Adaptive questions: "rate this" or "A or B?".
    Questions,
    /// Rating one catalogue movie by comparing it with the visitor's own rated movies.
    Compare(usize),
}

/// Someone else's ratings, opened from a share link: shown read-only, never saved.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedView {
    /// A temporary profile holding just the shared ratings (the same pipeline as the visitor's).
    pub profile: Rc<Profile>,
    /// Bumped for every link opened, so the view (and its memoised fit) starts afresh.
    pub id: u32,
    /// "Replace mine" was pressed once: the page asks for confirmation.
    pub confirm_replace: bool,
}

/// The profile the shared ratings make, every rating stamped `at`.
pub fn shared_profile(ratings: &[SharedRating], at: i64) -> Profile {
    let mut p = Profile::default();
    for r in ratings {
        p.rate(r.item.clone(), r.value, r.scale, at);
    }
    p
}

/// The shared ratings "Merge into mine" would add: those for movies the visitor has not rated
/// (compared by stored id and, when the model is known, by catalogue movie, so a rating stored
/// under an IMDb id and one under a MovieLens id of the same movie count as the same).
pub fn merge_candidates(
    mine: &Profile,
    shared: &Profile,
    model: Option<&Model>,
) -> Vec<moviematch::profile::CurrentRating> {
    let own = mine.ratings();
    let own_items: std::collections::HashSet<usize> = model
        .map(|m| own.iter().filter_map(|r| m.resolve(&r.item)).collect())
        .unwrap_or_default();
    let mut taken = own_items;
    let mut out = Vec::new();
    for r in shared.ratings() {
        if own.iter().any(|o| o.item == r.item) {
            continue;
        }
        if let Some(i) = model.and_then(|m| m.resolve(&r.item)) {
            if !taken.insert(i) {
                continue;
            }
        }
        out.push(r);
    }
    out
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
    /// Bumped whenever the profile's events change (not its settings): the key of the memoised
    /// posterior, so moving a slider re-ranks without refitting, and a cheap identity for hooks.
    pub rev: u32,
    /// `None` until the model is ready; then the start screen for an empty profile, search
    /// otherwise (decided once, so rating from the start screen does not yank the layout).
    pub screen: Option<Screen>,
    /// Where "Done" on the comparison screen goes back to.
    pub back: Screen,
    /// The question screen asks only "A or B?" (the visitor's choice for this visit; by default
    /// the engine picks whichever kind should teach it most, which is mostly "rate this").
    pub pairs_only: bool,
    pub query: String,
    pub notices: Vec<Notice>,
    /// A shared profile being looked at (from a `#share=` link), if any.
    pub shared: Option<SharedView>,
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
            rev: 0,
            screen: None,
            back: Screen::Search,
            pairs_only: false,
            query: String::new(),
            notices: Vec::new(),
            shared: None,
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
    /// An answer to "A or B?" (ids as the catalogue gives them).
    Compare {
        a: StableId,
        b: StableId,
        answer: CompareAnswer,
        at: i64,
    },
    /// Like, dislike, hide, save, "haven't seen" and their undos.
    Feedback {
        id: StableId,
        action: Feedback,
        at: i64,
    },
    /// New list settings and filters (stored in the profile, saved like an edit).
    SetSettings(Settings),
    Show(Screen),
    SetPairsOnly(bool),
    SetQuery(String),
    Dismiss(NoticeKind),
    /// A share link was decoded: show its profile read-only.
    OpenShared {
        ratings: Vec<SharedRating>,
        at: i64,
    },
    /// A share link could not be read: the error's message.
    ShareLinkBad(String),
    /// "Replace mine" pressed (true) or its confirmation cancelled (false).
    AskReplace(bool),
    /// Add the shared ratings the visitor has not rated, and leave the shared view.
    MergeShared {
        at: i64,
    },
    /// Replace the visitor's answers by the shared ratings (settings kept), and leave.
    ReplaceShared {
        at: i64,
    },
    /// Back to the visitor's own profile, nothing changed.
    LeaveShared,
}

/// What a visitor asks for, before the root adds the time: components emit these through one
/// callback, so adding a kind of answer does not mean threading a new callback through every
/// layer.
#[derive(Clone, Debug, PartialEq)]
pub enum Intent {
    Rate(StableId, f32),
    Unrate(StableId),
    Compare(StableId, StableId, CompareAnswer),
    Feedback(StableId, Feedback),
    Settings(Settings),
    Show(Screen),
    PairsOnly(bool),
}

impl Intent {
    /// The reducer action, stamped with `at` (ms since the epoch).
    pub fn at(self, at: i64) -> Action {
        match self {
            Intent::Rate(id, value) => Action::Rate { id, value, at },
            Intent::Unrate(id) => Action::Unrate { id, at },
            Intent::Compare(a, b, answer) => Action::Compare { a, b, answer, at },
            Intent::Feedback(id, action) => Action::Feedback { id, action, at },
            Intent::Settings(s) => Action::SetSettings(s),
            Intent::Show(screen) => Action::Show(screen),
            Intent::PairsOnly(on) => Action::SetPairsOnly(on),
        }
    }
}

impl State {
    fn notify(&mut self, kind: NoticeKind, text: String) {
        self.notices.retain(|n| n.kind != kind);
        self.notices.push(Notice { kind, text });
    }

    /// After taking shared ratings: the visitor's list with "My ratings" in view.
    fn show_mine(&mut self) {
        if matches!(self.load, Load::Ready(_)) && !self.profile.ratings().is_empty() {
            self.screen = Some(Screen::Search);
        }
    }

    /// An edit of the event log: saved, and the posterior is refitted.
    fn edit_profile(&mut self, f: impl FnOnce(&mut Profile)) {
        f(Rc::make_mut(&mut self.profile));
        self.edits += 1;
        self.rev += 1;
    }
}

/// The reducer: a pure function of the old state and the action.
pub fn reduce(mut s: State, action: Action) -> State {
    match action {
        Action::Progress { received, total } => {
            s.load = Load::Fetching { received, total };
        }
        Action::Decoding => s.load = Load::Decoding,
        Action::Loaded(model) => {
            s.load = Load::Ready(model);
            if s.screen.is_none() {
                s.screen = Some(if s.profile.events.is_empty() {
                    Screen::Start
                } else {
                    Screen::Search
                });
            }
        }
        Action::LoadFailed(msg) => s.load = Load::Failed(msg),
        Action::Retry => {
            s.attempt += 1;
            s.load = Load::Fetching {
                received: 0,
                total: None,
            };
        }
        Action::ProfileLoaded(p) => {
            s.profile = Rc::new(p);
            s.rev += 1;
        }
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
        Action::Compare { a, b, answer, at } => s.edit_profile(|p| p.compare(a, b, answer, at)),
        Action::Feedback { id, action, at } => s.edit_profile(|p| p.feedback(id, action, at)),
        Action::SetSettings(settings) => {
            if s.profile.settings != settings {
                Rc::make_mut(&mut s.profile).settings = settings;
                s.edits += 1;
            }
        }
        Action::Show(screen) => {
            let current = s.screen.unwrap_or(Screen::Search);
            if !matches!(current, Screen::Compare(_)) {
                s.back = current;
            }
            s.screen = Some(screen);
        }
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
        Action::SetPairsOnly(on) => s.pairs_only = on,
        Action::SetQuery(q) => s.query = q,
        Action::Dismiss(kind) => s.notices.retain(|n| n.kind != kind),
        Action::OpenShared { ratings, at } => {
            let id = s.shared.as_ref().map_or(0, |v| v.id + 1);
            s.notices
                .retain(|n| !matches!(n.kind, NoticeKind::ShareLink | NoticeKind::Shared));
            s.shared = Some(SharedView {
                profile: Rc::new(shared_profile(&ratings, at)),
                id,
                confirm_replace: false,
            });
        }
        Action::ShareLinkBad(why) => s.notify(
            NoticeKind::ShareLink,
            format!("This share link could not be opened: {why}. Nothing was changed."),
        ),
        Action::AskReplace(on) => {
            if let Some(v) = s.shared.as_mut() {
                v.confirm_replace = on;
            }
        }
        Action::MergeShared { at } => {
            if let Some(view) = s.shared.take() {
                let model = match &s.load {
                    Load::Ready(m) => Some(m.clone()),
                    _ => None,
                };
                let add = merge_candidates(&s.profile, &view.profile, model.as_deref());
                let total = view.profile.ratings().len();
                if !add.is_empty() {
                    s.edit_profile(|p| {
                        for r in &add {
                            p.rate(r.item.clone(), r.value, r.scale, at);
                        }
                    });
                }
                let kept = total - add.len();
                let text = match (add.len(), kept) {
                    (0, _) => "You had already rated every movie in the shared profile: nothing was added.".to_string(),
                    (n, 0) => format!("Added {n} shared {} to yours.", plural(n, "rating", "ratings")),
                    (n, k) => format!(
                        "Added {n} shared {} to yours; {k} {} you had rated yourself kept your own {}.",
                        plural(n, "rating", "ratings"),
                        plural(k, "movie", "movies"),
                        plural(k, "rating", "ratings")
                    ),
                };
                s.notify(NoticeKind::Shared, text);
                s.show_mine();
            }
        }
        Action::ReplaceShared { at } => {
            if let Some(view) = s.shared.take() {
                let shared = shared_profile_again(&view.profile, at);
                let n = shared.ratings().len();
                s.edit_profile(|p| {
                    let settings = std::mem::take(&mut p.settings);
                    *p = shared;
                    p.settings = settings;
                });
                s.notify(
                    NoticeKind::Shared,
                    format!(
                        "Your profile was replaced by the shared one ({n} {}).",
                        plural(n, "rating", "ratings")
                    ),
                );
                s.show_mine();
            }
        }
        Action::LeaveShared => s.shared = None,
    }
    s
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// The shared profile's ratings as new events stamped `at` (the time the visitor took them).
fn shared_profile_again(shared: &Profile, at: i64) -> Profile {
    let mut p = Profile::default();
    for r in shared.ratings() {
        p.rate(r.item, r.value, r.scale, at);
    }
    p
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
    fn answers_and_feedback_are_edits_settings_are_saved_without_refit() {
        let (a, b) = (StableId::Movielens(1), StableId::Movielens(2));
        let s = reduce(
            State::default(),
            Intent::Compare(a.clone(), b.clone(), CompareAnswer::UnseenB).at(5),
        );
        assert_eq!((s.edits, s.rev), (1, 1));
        assert_eq!(s.profile.unseen(), vec![b.clone()]);
        let s = reduce(s, Intent::Feedback(a.clone(), Feedback::Hide).at(6));
        assert_eq!(s.profile.hidden(), vec![a]);
        let mut settings = s.profile.settings.clone();
        settings.filter.year_min = Some(1990);
        let s = reduce(s, Intent::Settings(settings.clone()).at(7));
        assert_eq!(
            (s.edits, s.rev),
            (3, 2),
            "settings are saved but do not refit"
        );
        let s = reduce(s, Intent::Settings(settings).at(8));
        assert_eq!(s.edits, 3, "unchanged settings are not an edit");
    }

    #[test]
    fn first_screen_depends_on_the_profile_and_compare_returns_where_it_came_from() {
        use crate::shared::Shared;
        let model = Shared(Rc::new(Model::from_bundle(
            moviematch::fixture::random_bundle(1, 20, 2, 10),
        )));
        let s = reduce(State::default(), Action::Loaded(model.clone()));
        assert_eq!(s.screen, Some(Screen::Start));
        let s = reduce(s, Action::Show(Screen::Popular));
        let s = reduce(s, Action::Show(Screen::Compare(3)));
        assert_eq!(s.back, Screen::Popular);
        let mut p = Profile::default();
        p.rate(StableId::Movielens(1), 4.0, moviematch::Scale::Stars, 1);
        let s = reduce(State::default(), Action::ProfileLoaded(p));
        let s = reduce(s, Action::Loaded(model));
        assert_eq!(s.screen, Some(Screen::Search));
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

    fn shared(ratings: &[(u32, f32)]) -> Vec<SharedRating> {
        ratings
            .iter()
            .map(|&(m, v)| SharedRating {
                item: StableId::Movielens(m),
                value: v,
                scale: moviematch::Scale::Stars,
            })
            .collect()
    }

    #[test]
    fn a_shared_profile_is_shown_without_touching_mine_and_merge_adds_only_new_movies() {
        let mine = reduce(
            State::default(),
            Action::Rate {
                id: StableId::Movielens(1),
                value: 2.0,
                at: 1,
            },
        );
        let s = reduce(
            mine.clone(),
            Action::OpenShared {
                ratings: shared(&[(1, 5.0), (2, 4.5), (3, 1.0)]),
                at: 2,
            },
        );
        assert_eq!(
            (s.edits, s.rev),
            (mine.edits, mine.rev),
            "viewing is not an edit"
        );
        assert_eq!(s.profile, mine.profile);
        assert_eq!(s.shared.as_ref().unwrap().profile.ratings().len(), 3);
        let s = reduce(s, Action::AskReplace(true));
        assert!(s.shared.as_ref().unwrap().confirm_replace);
        let s = reduce(s, Action::MergeShared { at: 3 });
        assert!(s.shared.is_none());
        assert_eq!(s.edits, mine.edits + 1);
        let r = s.profile.ratings();
        assert_eq!(r.len(), 3);
        assert_eq!(
            s.profile.rating_of(&StableId::Movielens(1)).unwrap().value,
            2.0,
            "mine wins"
        );
        assert_eq!(
            s.profile.rating_of(&StableId::Movielens(2)).unwrap().value,
            4.5
        );
        assert!(s.notices.iter().any(|n| n.kind == NoticeKind::Shared));
    }

    #[test]
    fn replace_keeps_settings_back_changes_nothing_bad_links_are_a_notice() {
        let mut s = reduce(
            State::default(),
            Action::Rate {
                id: StableId::Movielens(7),
                value: 3.0,
                at: 1,
            },
        );
        let mut settings = s.profile.settings.clone();
        settings.filter.year_min = Some(2000);
        s = reduce(s, Action::SetSettings(settings.clone()));
        let open = Action::OpenShared {
            ratings: shared(&[(2, 4.5)]),
            at: 2,
        };
        let back = reduce(reduce(s.clone(), open.clone()), Action::LeaveShared);
        assert_eq!(back.profile, s.profile);
        assert_eq!(back.edits, s.edits);
        assert!(back.shared.is_none());
        let r = reduce(reduce(s.clone(), open), Action::ReplaceShared { at: 3 });
        assert_eq!(r.profile.ratings().len(), 1);
        assert!(r.profile.rating_of(&StableId::Movielens(7)).is_none());
        assert_eq!(r.profile.settings, settings);
        assert_eq!(r.edits, s.edits + 1);
        let bad = reduce(s.clone(), Action::ShareLinkBad("cut short".into()));
        assert_eq!(bad.profile, s.profile);
        assert!(bad.shared.is_none());
        assert!(bad.notices[0].text.contains("cut short"));
        // Merging or replacing with no shared view open does nothing.
        let none = reduce(s.clone(), Action::MergeShared { at: 4 });
        assert_eq!(none.edits, s.edits);
    }
}
