//! The app's whole state, the actions that change it and the pure reducer.
//!
//! Nothing here does I/O: fetching, storage and clocks live in `hooks/` and `services/`, and
//! actions carry whatever they need (timestamps included), so `reduce` is deterministic.

use std::rc::Rc;

use moviematch::ids::NoCatalogue;
use moviematch::import_plan::ImportMode;
use moviematch::profile::{Action as Feedback, CompareAnswer, MergeSummary, Settings};
use moviematch::share::SharedRating;
use moviematch::{Model, Profile, StableId};
use yew::Reducible;

use crate::by_address::ByAddress;
use crate::import::{applied_notice, merged_notice, Incoming, NOTHING_TO_IMPORT};

/// The decoded model, held once and shared read-only (compared by address).
pub type ModelRef = ByAddress<Model>;

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
    /// The profile in use is the last-good copy (not a fresh one): once the text is backed
    /// up, the notice says where, rather than "started a fresh profile".
    pub restored: bool,
}

/// Which notice a message is, so that a newer one replaces an older one of the same kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    /// The stored profile was unreadable; it offers "Start fresh".
    Unreadable,
    /// The unreadable profile was backed up and a fresh one started.
    BackedUp,
    /// localStorage refused to store (full, disabled, private mode); offers "Save again".
    SaveFailed,
    /// The stored profile was damaged and its last-good copy restored.
    Restored,
    /// What an import did, or why a file could not be imported.
    Import,
    /// "Delete all my data" happened (or could not).
    Data,
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
    /// The movies saved from the recommendations, with their predicted ratings.
    Watchlist,
    /// Rating one catalogue movie by comparing it with the visitor's own rated movies.
    Compare(usize),
    /// Import a file (drop zone and picker, then its preview) and the visitor's data panel.
    Import,
}

/// A file read for import, shown as a preview until the visitor merges, replaces or cancels.
#[derive(Clone, Debug, PartialEq)]
pub struct PendingImport {
    /// Bumped for every file read, so the preview starts afresh.
    pub id: u32,
    /// The file's name, as the visitor chose it.
    pub file: String,
    pub incoming: Incoming,
    /// Ambiguous rows the visitor answered "none of these" for (kept unmatched).
    pub declined: Vec<usize>,
    /// "Replace my ratings" was pressed once: the page asks for confirmation.
    pub confirm_replace: bool,
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

/// What "Merge into mine" would do with a shared profile: the one merge rule
/// ([`Profile::merge_from`]), tried on a copy. Movies are compared by stored id and, when the
/// model is known, by catalogue movie.
pub fn merge_preview(mine: &Profile, shared: &Profile, model: Option<&Model>) -> MergeSummary {
    let mut copy = mine.clone();
    match model {
        Some(m) => copy.merge_from(shared, m, 0),
        None => copy.merge_from(shared, &NoCatalogue, 0),
    }
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
    /// The last-good copy's text when it was there but unreadable on load: the save hook backs
    /// it up before the first save writes the copy again.
    pub damaged_copy: Option<String>,
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
    /// A file read for import, waiting for the visitor's decision.
    pub import: Option<PendingImport>,
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
            damaged_copy: None,
            rev: 0,
            screen: None,
            back: Screen::Search,
            pairs_only: false,
            query: String::new(),
            notices: Vec::new(),
            shared: None,
            import: None,
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
    /// The main copy was damaged (`damaged`, to back up before the next write) or missing;
    /// the last-good copy `profile` is used and saved again at once.
    ProfileRestored {
        profile: Profile,
        damaged: Option<Held>,
    },
    /// The last-good copy was there but unreadable: its text, to back up before the next save.
    CopyDamaged(String),
    /// The save hook backed the damaged last-good copy up.
    CopyBackedUp,
    /// Another tab saved this profile: use it (not an edit, nothing is written back).
    ProfileChanged(Profile),
    /// Another tab deleted all the data: start afresh like "Delete all my data", writing nothing.
    DeletedElsewhere,
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
    /// "Save again" after a failed save (the visitor freed some space).
    SaveAgain,
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
    /// A file was read and understood: show its preview.
    ImportReady {
        file: String,
        incoming: Incoming,
    },
    /// A file could not be imported: the reason, for a notice. Nothing changes.
    ImportFailed {
        file: String,
        why: String,
    },
    /// The visitor's pick for an ambiguous row (`None`: none of these, keep it unmatched).
    ImportChoose {
        row: usize,
        item: Option<usize>,
    },
    /// "Replace my ratings" pressed (true) or its confirmation cancelled (false).
    ImportAskReplace(bool),
    /// Write the pending import (an edit, saved like any other), stamped `at`.
    ImportApply {
        mode: ImportMode,
        at: i64,
    },
    ImportCancel,
    /// Every stored key of the site was removed: back to the start with an empty profile.
    /// Not an edit (saving the empty profile would write a key again).
    DataDeleted,
    /// Deleting failed (storage disabled): the reason.
    DataNotDeleted(String),
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
    ImportReady(String, Incoming),
    ImportFailed(String, String),
    ImportChoose(usize, Option<usize>),
    ImportAskReplace(bool),
    ImportApply(ImportMode),
    ImportCancel,
    DataDeleted,
    DataNotDeleted(String),
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
            Intent::ImportReady(file, incoming) => Action::ImportReady { file, incoming },
            Intent::ImportFailed(file, why) => Action::ImportFailed { file, why },
            Intent::ImportChoose(row, item) => Action::ImportChoose { row, item },
            Intent::ImportAskReplace(on) => Action::ImportAskReplace(on),
            Intent::ImportApply(mode) => Action::ImportApply { mode, at },
            Intent::ImportCancel => Action::ImportCancel,
            Intent::DataDeleted => Action::DataDeleted,
            Intent::DataNotDeleted(why) => Action::DataNotDeleted(why),
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

    /// Every stored key is gone: back to the start with an empty profile and nothing held,
    /// saying `text`. Not an edit (saving the empty profile would write a key again).
    fn reset(self, text: &str) -> State {
        let ready = self.model().is_some();
        let mut s = State {
            load: self.load,
            attempt: self.attempt,
            // Unchanged: the save hook must not write the empty profile back.
            edits: self.edits,
            rev: self.rev + 1,
            screen: ready.then_some(Screen::Start),
            ..State::default()
        };
        s.notify(NoticeKind::Data, text.into());
        s
    }

    /// The model, once it is ready.
    fn model(&self) -> Option<ModelRef> {
        match &self.load {
            Load::Ready(m) => Some(m.clone()),
            _ => None,
        }
    }

    /// Writes the pending import into the profile (only when that changes something, so an
    /// import that adds nothing is not an edit) and says what happened.
    fn apply_import(&mut self, pending: PendingImport, mode: ImportMode, at: i64) {
        let Some(model) = self.model() else {
            self.import = Some(pending);
            return;
        };
        // The preview offers neither for such a file; replacing would withdraw every rating.
        if pending.incoming.is_empty() {
            self.notify(NoticeKind::Import, NOTHING_TO_IMPORT.into());
            return;
        }
        let mut p = (*self.profile).clone();
        let text = match &pending.incoming {
            Incoming::Ratings(plan) => applied_notice(plan.apply(&model, &mut p, mode, at), mode),
            Incoming::Profile(other) => match mode {
                ImportMode::Merge => merged_notice(p.merge_from(other, &*model, at)),
                ImportMode::Replace => {
                    p = (**other).clone();
                    let n = p.ratings().len();
                    format!(
                        "Your profile was replaced by the one in the file ({n} {}).",
                        plural(n, "rating", "ratings")
                    )
                }
            },
        };
        if p != *self.profile {
            self.edit_profile(|q| *q = p);
        }
        self.notify(NoticeKind::Import, text);
        self.show_mine();
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
        Action::ProfileRestored { profile, damaged } => {
            let n = profile.ratings().len();
            s.profile = Rc::new(profile);
            s.rev += 1;
            let what = if damaged.is_some() {
                "damaged"
            } else {
                "missing"
            };
            s.notify(
                NoticeKind::Restored,
                format!(
                    "Your saved profile was {what}; the last good copy ({n} {}) was restored.",
                    plural(n, "rating", "ratings")
                ),
            );
            // Saved again at once (the damaged text is backed up first, by the save hook), so
            // the main copy is whole again.
            s.held = damaged;
            s.edits += 1;
        }
        Action::ProfileUnreadable(held) => {
            let why = match &held.reason {
                HeldReason::Corrupt(e) => format!("Your saved ratings could not be read ({e})."),
                HeldReason::FutureVersion { found, .. } => format!(
                    "Your saved ratings were written by a newer version of this site (profile format {found})."
                ),
            };
            // On load the profile in use is empty; when another tab wrote the text, this tab
            // still has its own profile, which its next save writes.
            let then = if s.profile.events.is_empty() {
                "Rating a movie or choosing “Start fresh” keeps a backup copy and starts a new profile."
            } else {
                "Your next answer in this tab keeps a backup copy of them and saves this tab’s profile."
            };
            s.notify(
                NoticeKind::Unreadable,
                format!("{why} They are left untouched in this browser. {then}"),
            );
            s.held = Some(held);
        }
        Action::CopyDamaged(text) => s.damaged_copy = Some(text),
        Action::CopyBackedUp => s.damaged_copy = None,
        Action::ProfileChanged(p) => {
            // What is stored is now readable, and it is what this tab shows: nothing is held and
            // nothing waits to be saved here.
            s.held = None;
            s.notices
                .retain(|n| !matches!(n.kind, NoticeKind::Unreadable | NoticeKind::SaveFailed));
            if *s.profile != p {
                s.profile = Rc::new(p);
                s.rev += 1;
            }
        }
        Action::DeletedElsewhere => {
            s = s.reset(
                "All your data was deleted from this browser in another tab of this site: this \
                 tab starts afresh too.",
            )
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
            let restored = s.held.take().is_some_and(|h| h.restored);
            s.notices.retain(|n| n.kind != NoticeKind::Unreadable);
            let kept = format!("kept in this browser’s storage under “{key}”");
            match s.notices.iter_mut().find(|n| n.kind == NoticeKind::Restored) {
                Some(n) if restored => n.text.push_str(&format!(" The damaged text is {kept}.")),
                _ if restored => {}
                _ => s.notify(
                    NoticeKind::BackedUp,
                    format!("Started a fresh profile. The old, unreadable one is {kept}."),
                ),
            }
        }
        Action::Saved => s.notices.retain(|n| n.kind != NoticeKind::SaveFailed),
        Action::SaveFailed(why) => s.notify(
            NoticeKind::SaveFailed,
            format!(
                "Could not save your latest answers: {why}. What was saved before is intact, and \
                 nothing was removed to make room. The new answers are kept in this tab until space \
                 is freed (then press “Save again”); closing or reloading the tab before that loses them."
            ),
        ),
        Action::SaveAgain => s.edits += 1,
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
                let done = merge_preview(&s.profile, &view.profile, model.as_deref());
                if done.ratings > 0 {
                    s.edit_profile(|p| {
                        match model.as_deref() {
                            Some(m) => p.merge_from(&view.profile, m, at),
                            None => p.merge_from(&view.profile, &NoCatalogue, at),
                        };
                    });
                }
                let text = match (done.ratings, done.kept_yours) {
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
        Action::ImportReady { file, incoming } => {
            let id = s.import.as_ref().map_or(0, |p| p.id + 1);
            s.notices.retain(|n| n.kind != NoticeKind::Import);
            s.import = Some(PendingImport {
                id,
                file,
                incoming,
                declined: Vec::new(),
                confirm_replace: false,
            });
            s.screen = Some(Screen::Import);
        }
        Action::ImportFailed { file, why } => s.notify(
            NoticeKind::Import,
            format!("Could not import “{file}”: {why}. Nothing was changed."),
        ),
        Action::ImportChoose { row, item } => {
            if let Some(p) = s.import.as_mut() {
                if let Incoming::Ratings(plan) = &mut p.incoming {
                    if Rc::make_mut(plan).choose(row, item) {
                        p.declined.retain(|&r| r != row);
                        if item.is_none() {
                            p.declined.push(row);
                        }
                    }
                }
            }
        }
        Action::ImportAskReplace(on) => {
            if let Some(p) = s.import.as_mut() {
                p.confirm_replace = on;
            }
        }
        Action::ImportApply { mode, at } => {
            if let Some(pending) = s.import.take() {
                s.apply_import(pending, mode, at);
            }
        }
        Action::ImportCancel => s.import = None,
        Action::DataDeleted => {
            s = s.reset(
                "All your data was deleted from this browser: ratings, answers, settings and \
                 backups. You are starting afresh.",
            )
        }
        Action::DataNotDeleted(why) => s.notify(
            NoticeKind::Data,
            format!("Could not delete your data: {why}. Nothing was changed."),
        ),
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
        use crate::by_address::ByAddress;
        let model = ByAddress(Rc::new(Model::from_bundle(
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
            restored: false,
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

    fn ready() -> State {
        let model = crate::by_address::ByAddress(Rc::new(Model::from_bundle(
            moviematch::fixture::random_bundle(1, 20, 2, 10),
        )));
        reduce(State::default(), Action::Loaded(model))
    }

    fn read(s: &State, name: &str, bytes: &[u8]) -> Action {
        let model = s.model().expect("ready");
        match crate::import::read_file(&model, name, bytes) {
            Ok(incoming) => Intent::ImportReady(name.into(), incoming).at(0),
            Err(why) => Intent::ImportFailed(name.into(), why).at(0),
        }
    }

    const IMDB: &[u8] = b"Const,Your Rating,Title,Year\ntt1000000,9,First,2001\ntt1000001,4,Second,2001\ntt9999999,8,A Series,2019\n";

    #[test]
    fn an_import_is_previewed_then_merged_as_one_edit() {
        let s = reduce(
            ready(),
            Action::Rate {
                id: StableId::Movielens(1),
                value: 2.0,
                at: 1,
            },
        );
        let s = reduce(s.clone(), read(&s, "ratings.csv", IMDB));
        assert_eq!(s.screen, Some(Screen::Import));
        assert_eq!(s.edits, 1, "a preview is not an edit");
        assert_eq!(s.import.as_ref().unwrap().file, "ratings.csv");
        let s = reduce(s, Intent::ImportApply(ImportMode::Merge).at(5));
        assert!(s.import.is_none());
        assert_eq!((s.edits, s.rev), (2, 2));
        assert_eq!(s.profile.ratings().len(), 3, "mine kept, two added");
        assert_eq!(
            s.profile.rating_of(&StableId::Movielens(1)).unwrap().value,
            2.0
        );
        let n = s
            .notices
            .iter()
            .find(|n| n.kind == NoticeKind::Import)
            .unwrap();
        assert_eq!(
            n.text,
            "Imported 2 ratings (1 not in this catalogue, kept for later); 1 you had already rated kept your own rating."
        );
        assert_eq!(s.screen, Some(Screen::Search), "My ratings in view");
    }

    #[test]
    fn a_bad_file_changes_nothing_and_replace_asks_first() {
        let s = ready();
        let bad = reduce(s.clone(), read(&s, "photo.csv", b"\x89PNG\r\n\x1a\n\0\0"));
        assert_eq!((bad.edits, bad.rev), (s.edits, s.rev));
        assert!(bad.import.is_none());
        assert!(bad.notices[0]
            .text
            .starts_with("Could not import “photo.csv”: this is a binary file"));
        assert!(bad.notices[0].text.ends_with("Nothing was changed."));

        let s = reduce(s.clone(), read(&s, "ratings.csv", IMDB));
        let s = reduce(s, Intent::ImportAskReplace(true).at(1));
        assert!(s.import.as_ref().unwrap().confirm_replace);
        let cancelled = reduce(s.clone(), Intent::ImportCancel.at(2));
        assert!(cancelled.import.is_none());
        assert_eq!(cancelled.edits, 0);
        let r = reduce(s, Intent::ImportApply(ImportMode::Replace).at(3));
        assert_eq!(r.profile.ratings().len(), 3);
        assert_eq!(r.edits, 1);
    }

    #[test]
    fn a_profile_file_merges_or_replaces_everything() {
        let mut theirs = Profile::default();
        theirs.rate(StableId::Movielens(3), 4.0, moviematch::Scale::Stars, 1);
        theirs.feedback(StableId::Movielens(4), Feedback::Like, 2);
        theirs.settings.caution = 0.0;
        let s = reduce(
            ready(),
            Action::Rate {
                id: StableId::Movielens(1),
                value: 2.0,
                at: 1,
            },
        );
        let s = reduce(s.clone(), read(&s, "p.json", theirs.to_json().as_bytes()));
        let merged = reduce(s.clone(), Intent::ImportApply(ImportMode::Merge).at(9));
        assert_eq!(merged.profile.ratings().len(), 2);
        assert_eq!(merged.profile.likes().len(), 1);
        assert_ne!(merged.profile.settings.caution, 0.0, "my settings stay");
        let replaced = reduce(s, Intent::ImportApply(ImportMode::Replace).at(9));
        assert_eq!(
            *replaced.profile, theirs,
            "the whole profile, settings included"
        );
        assert!(replaced.notices[0].text.contains("(1 rating)"));
        // The same file merged twice adds nothing the second time and is no edit.
        let again = reduce(
            merged.clone(),
            read(&merged, "p.json", theirs.to_json().as_bytes()),
        );
        let again = reduce(again, Intent::ImportApply(ImportMode::Merge).at(10));
        assert_eq!(again.edits, merged.edits);
        assert!(again
            .notices
            .iter()
            .any(|n| n.text.starts_with("Nothing was added")));
        // A future version is a notice and nothing else.
        let future = reduce(
            merged.clone(),
            read(&merged, "f.json", br#"{"version":99,"events":[]}"#),
        );
        assert!(future.import.is_none());
        assert_eq!(future.profile, merged.profile);
        assert!(future
            .notices
            .iter()
            .any(|n| n.text.contains("newer version")));
    }

    #[test]
    fn choosing_for_an_ambiguous_row_is_recorded_and_declines_count_as_kept() {
        use moviematch::import::ExportFormat;
        use moviematch::import_plan::{ImportPlan, PlannedRow, RowMatch};
        let plan = ImportPlan {
            format: ExportFormat::Letterboxd,
            rows: vec![PlannedRow {
                title: "Some Movie".into(),
                year: None,
                value: 4.0,
                scale: moviematch::Scale::Stars,
                rated_at: None,
                source_id: None,
                status: RowMatch::Ambiguous {
                    candidates: vec![2, 5],
                    chosen: None,
                },
            }],
        };
        let s = reduce(
            ready(),
            Intent::ImportReady("r.csv".into(), Incoming::Ratings(Rc::new(plan))).at(0),
        );
        let s = reduce(s, Intent::ImportChoose(0, None).at(1));
        assert_eq!(s.import.as_ref().unwrap().declined, vec![0]);
        let s = reduce(s, Intent::ImportChoose(0, Some(7)).at(2));
        assert_eq!(
            s.import.as_ref().unwrap().declined,
            vec![0],
            "7 is no candidate"
        );
        let s = reduce(s, Intent::ImportChoose(0, Some(5)).at(3));
        assert!(s.import.as_ref().unwrap().declined.is_empty());
        let s = reduce(s, Intent::ImportApply(ImportMode::Merge).at(4));
        let model = s.model().unwrap();
        assert_eq!(model.resolve(&s.profile.ratings()[0].item), Some(5));
    }

    #[test]
    fn deleting_resets_to_the_start_without_saving() {
        let s = reduce(
            ready(),
            Action::Rate {
                id: StableId::Movielens(1),
                value: 2.0,
                at: 1,
            },
        );
        let s = reduce(s, Action::Show(Screen::Search));
        let d = reduce(s.clone(), Intent::DataDeleted.at(2));
        assert!(d.profile.events.is_empty());
        assert_eq!(d.edits, s.edits, "no save of the empty profile");
        assert_ne!(d.rev, s.rev, "the posterior is refitted");
        assert_eq!(d.screen, Some(Screen::Start));
        assert!(matches!(d.load, Load::Ready(_)));
        assert_eq!(d.notices.len(), 1);
        let failed = reduce(s.clone(), Intent::DataNotDeleted("disabled".into()).at(3));
        assert_eq!(failed.profile, s.profile);
    }

    #[test]
    fn another_tab_s_save_is_taken_without_saving_it_back() {
        let mine = reduce(
            ready(),
            Action::Rate {
                id: StableId::Movielens(1),
                value: 2.0,
                at: 1,
            },
        );
        let mine = reduce(mine, Action::SaveFailed("full".into()));
        let mut theirs = (*mine.profile).clone();
        theirs.rate(StableId::Movielens(2), 4.0, moviematch::Scale::Stars, 2);
        let s = reduce(mine.clone(), Action::ProfileChanged(theirs.clone()));
        assert_eq!(*s.profile, theirs);
        assert_eq!(s.edits, mine.edits, "not an edit: nothing is written back");
        assert_eq!(s.rev, mine.rev + 1, "refitted");
        assert!(
            s.notices.is_empty(),
            "what this tab shows is what is stored"
        );
        // The same profile again (this tab's own write, read back) changes nothing.
        let again = reduce(s.clone(), Action::ProfileChanged(theirs));
        assert_eq!((again.rev, again.edits), (s.rev, s.edits));

        // Held text another tab has written over is no longer held here.
        let held = Held {
            raw: "{oops".into(),
            reason: HeldReason::Corrupt("bad".into()),
            restored: false,
        };
        let h = reduce(ready(), Action::ProfileUnreadable(held.clone()));
        assert!(h.notices[0]
            .text
            .ends_with("keeps a backup copy and starts a new profile."));
        let h = reduce(h, Action::ProfileChanged(Profile::default()));
        assert!(h.held.is_none());
        assert!(h.notices.is_empty());
        assert_eq!(h.edits, 0);
        // Unreadable text written by another tab (a newer version of the site) is held, and
        // this tab's profile stays, to be saved (after the backup) at its next answer.
        let u = reduce(mine.clone(), Action::ProfileUnreadable(held.clone()));
        assert_eq!(u.profile, mine.profile);
        assert_eq!(u.held, Some(held));
        assert_eq!(u.edits, mine.edits);
        assert!(u
            .notices
            .iter()
            .any(|n| n.text.ends_with("saves this tab’s profile.")));
    }

    #[test]
    fn a_deletion_in_another_tab_resets_this_one_without_writing() {
        let s = reduce(
            ready(),
            Action::Rate {
                id: StableId::Movielens(1),
                value: 2.0,
                at: 1,
            },
        );
        let s = reduce(s, Action::Show(Screen::Search));
        let s = reduce(s, Action::CopyDamaged("{x".into()));
        let d = reduce(s.clone(), Action::DeletedElsewhere);
        assert!(d.profile.events.is_empty());
        assert_eq!(d.edits, s.edits, "the empty profile is not saved");
        assert_ne!(d.rev, s.rev);
        assert_eq!(d.screen, Some(Screen::Start));
        assert!(d.held.is_none());
        assert!(d.damaged_copy.is_none(), "no backup key is written again");
        assert!(d.notices[0].text.contains("in another tab"));
        // The next answer here saves only itself.
        let r = reduce(
            d,
            Action::Rate {
                id: StableId::Movielens(3),
                value: 4.0,
                at: 3,
            },
        );
        assert_eq!(r.profile.ratings().len(), 1);
        assert_eq!(r.edits, s.edits + 1);
    }

    #[test]
    fn a_damaged_last_good_copy_waits_for_its_backup_without_being_an_edit() {
        let s = reduce(State::default(), Action::CopyDamaged("{x".into()));
        assert_eq!(s.damaged_copy.as_deref(), Some("{x"));
        assert_eq!(s.edits, 0, "loading must not trigger a save");
        let s = reduce(s, Action::ProfileLoaded(Profile::default()));
        assert!(s.damaged_copy.is_some());
        let s = reduce(s, Action::CopyBackedUp);
        assert!(s.damaged_copy.is_none());
        assert_eq!(s.edits, 0);
    }

    #[test]
    fn a_file_without_ratings_withdraws_nothing() {
        let s = reduce(
            ready(),
            Action::Rate {
                id: StableId::Movielens(1),
                value: 2.0,
                at: 1,
            },
        );
        let header = b"Const,Your Rating,Date Rated,Title,Year\n";
        let p = reduce(s.clone(), read(&s, "ratings.csv", header));
        assert!(p.import.as_ref().unwrap().incoming.is_empty());
        for mode in [ImportMode::Replace, ImportMode::Merge] {
            let r = reduce(p.clone(), Intent::ImportApply(mode).at(5));
            assert_eq!(r.profile, s.profile, "{mode:?}");
            assert_eq!((r.edits, r.rev), (s.edits, s.rev));
            assert!(r
                .notices
                .iter()
                .any(|n| n.text.starts_with("This file has no ratings")));
        }
    }

    #[test]
    fn a_restored_profile_is_saved_at_once_and_the_damage_backed_up() {
        let mut p = Profile::default();
        p.rate(StableId::Movielens(1), 4.0, moviematch::Scale::Stars, 1);
        let damaged = Held {
            raw: "{broken".into(),
            reason: HeldReason::Corrupt("bad".into()),
            restored: true,
        };
        let s = reduce(
            State::default(),
            Action::ProfileRestored {
                profile: p.clone(),
                damaged: Some(damaged),
            },
        );
        assert_eq!(*s.profile, p);
        assert_eq!(s.edits, 1, "saved again at once");
        assert!(s.held.is_some(), "backed up before that write");
        assert_eq!(
            s.notices[0].text,
            "Your saved profile was damaged; the last good copy (1 rating) was restored."
        );
        let s = reduce(s, Action::HeldBackedUp { key: "k".into() });
        assert!(s.held.is_none());
        assert_eq!(s.notices.len(), 1, "no “started a fresh profile”");
        assert!(s.notices[0]
            .text
            .ends_with("The damaged text is kept in this browser’s storage under “k”."));
    }

    #[test]
    fn a_failed_save_says_what_is_safe_and_can_be_retried() {
        let s = reduce(
            State::default(),
            Action::SaveFailed("this browser’s storage for the site is full".into()),
        );
        let t = &s.notices[0].text;
        assert!(t.contains("storage for the site is full"));
        assert!(t.contains("What was saved before is intact"));
        assert!(t.contains("kept in this tab until space is freed"));
        let s = reduce(s, Action::SaveAgain);
        assert_eq!(s.edits, 1);
    }
}
