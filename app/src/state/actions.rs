//! What changes the state: the messages the reducer takes (`Msg`), and the `Intent`s components
//! send up (a visitor's request without its timestamp, which the root adds).

use moviematch::import_plan::ImportMode;
use moviematch::profile::{Action, Answer, CompareAnswer, Settings};
use moviematch::share::SharedRating;
use moviematch::{Profile, StableId};

use super::Incoming;
use super::{Held, ModelRef, NoticeKind, Screen};
use crate::by_address::ByAddress;

/// A message to the reducer (the Elm/Yew name for what updates the state): from the root's
/// callbacks (an [`Intent`] with its time), the loading and storage hooks, and share links.
/// Not to be confused with the engine's `moviematch::profile::Action`, a visitor's feedback
/// on a movie (like, hide, save…), which `Msg::Feedback` carries.
#[derive(Clone, Debug, PartialEq)]
pub enum Msg {
    Progress {
        received: u64,
        total: Option<u64>,
    },
    Decoding,
    /// The whole model is ready: in one file, or the head and tail joined.
    Loaded(ModelRef),
    /// The head is ready (the first list can be shown); the catalogue has `total` films.
    HeadLoaded {
        model: ModelRef,
        total: usize,
    },
    /// The tail could not be loaded: why. The head stays in use.
    TailFailed(String),
    /// The visitor pressed the tail's "Retry".
    RetryTail,
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
    /// The fragment names a movie: open its view (`in_app`: the page was already open).
    OpenMovie {
        movie_id: u32,
        in_app: bool,
    },
    /// The fragment no longer names a movie, or the view was closed.
    CloseMovie,
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
        action: Action,
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
    /// A file's bytes: understood against the whole catalogue now, or once the tail arrives.
    ImportRead {
        file: String,
        bytes: ByAddress<Vec<u8>>,
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
    /// A friend's share link pasted for watching together, read at `at`: their ratings, or
    /// why the link could not be read.
    AddFriend {
        ratings: Result<Vec<SharedRating>, String>,
        at: i64,
    },
    /// An answer undone (its withdrawal appended), at `at`.
    Withdraw {
        answer: Answer,
        at: i64,
    },
    /// Friend `n` (0-based) leaves the group.
    RemoveFriend(usize),
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
    Feedback(StableId, Action),
    Settings(Settings),
    Show(Screen),
    PairsOnly(bool),
    ImportRead(String, ByAddress<Vec<u8>>),
    ImportFailed(String, String),
    ImportChoose(usize, Option<usize>),
    ImportAskReplace(bool),
    ImportApply(ImportMode),
    ImportCancel,
    DataDeleted,
    DataNotDeleted(String),
    AddFriend(Result<Vec<SharedRating>, String>),
    RemoveFriend(usize),
    /// Undo an answer from "My answers" (appends its withdrawal).
    Withdraw(Answer),
}

impl Intent {
    /// The reducer message, stamped with `at` (ms since the epoch).
    pub fn at(self, at: i64) -> Msg {
        match self {
            Intent::Rate(id, value) => Msg::Rate { id, value, at },
            Intent::Unrate(id) => Msg::Unrate { id, at },
            Intent::Compare(a, b, answer) => Msg::Compare { a, b, answer, at },
            Intent::Feedback(id, action) => Msg::Feedback { id, action, at },
            Intent::Settings(s) => Msg::SetSettings(s),
            Intent::Show(screen) => Msg::Show(screen),
            Intent::PairsOnly(on) => Msg::SetPairsOnly(on),
            Intent::ImportRead(file, bytes) => Msg::ImportRead { file, bytes },
            Intent::ImportFailed(file, why) => Msg::ImportFailed { file, why },
            Intent::ImportChoose(row, item) => Msg::ImportChoose { row, item },
            Intent::ImportAskReplace(on) => Msg::ImportAskReplace(on),
            Intent::ImportApply(mode) => Msg::ImportApply { mode, at },
            Intent::ImportCancel => Msg::ImportCancel,
            Intent::DataDeleted => Msg::DataDeleted,
            Intent::DataNotDeleted(why) => Msg::DataNotDeleted(why),
            Intent::AddFriend(ratings) => Msg::AddFriend { ratings, at },
            Intent::RemoveFriend(n) => Msg::RemoveFriend(n),
            Intent::Withdraw(answer) => Msg::Withdraw { answer, at },
        }
    }
}
