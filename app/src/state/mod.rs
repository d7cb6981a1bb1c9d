//! The app's whole state and its small types; the messages that change it (`actions`: `Msg`,
//! and the `Intent`s components send), the pure reducer (`reducer`), every notice's wording
//! (`notices`) and the share-link helpers (`share`).
//!
//! Nothing here does I/O: fetching, storage and clocks live in `hooks/` and `services/`, and
//! messages carry whatever they need (timestamps included), so `reduce` is deterministic.

mod actions;
pub mod notices;
mod reducer;
mod share;
#[cfg(test)]
mod tests;

use std::rc::Rc;

use moviematch::{Model, Profile};

use crate::by_address::ByAddress;
use moviematch::import_plan::ImportPlan;

pub use actions::{Intent, Msg};
pub use reducer::reduce;
pub use share::{merge_preview, shared_profile};

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

/// How much of the catalogue the model in use holds. The site ships the model as a head (the
/// best-known films, enough for a first list) and a tail (the rest), joined once it arrives.
#[derive(Clone, Debug, PartialEq)]
pub enum Tail {
    /// The model is the whole catalogue (or the build ships it in one file).
    Complete,
    /// The head is in use and the rest is downloading; `total` films in the whole catalogue.
    Loading { total: usize },
    /// The rest could not be loaded (the message says why); the head keeps working.
    Failed { total: usize, message: String },
}

impl Tail {
    /// Films in the whole catalogue, while only the head is loaded.
    pub fn partial_total(&self) -> Option<usize> {
        match self {
            Tail::Complete => None,
            Tail::Loading { total } | Tail::Failed { total, .. } => Some(*total),
        }
    }
}

/// A file chosen while only the head is loaded: it is read against the whole catalogue once
/// the tail arrives (matched against the head alone, most of an export would look unknown).
#[derive(Clone, Debug, PartialEq)]
pub struct WaitingImport {
    pub file: String,
    pub bytes: ByAddress<Vec<u8>>,
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

impl NoticeKind {
    /// The kind's name in the page (`data-kind`), as tests and styles read it.
    pub fn name(self) -> &'static str {
        match self {
            NoticeKind::Unreadable => "unreadable",
            NoticeKind::BackedUp => "backedup",
            NoticeKind::SaveFailed => "savefailed",
            NoticeKind::Restored => "restored",
            NoticeKind::Import => "import",
            NoticeKind::Data => "data",
            NoticeKind::ShareLink => "sharelink",
            NoticeKind::Shared => "shared",
        }
    }
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
    /// "Watch together": friends' share links and the group's list.
    Together,
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

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub load: Load,
    /// Bumped by "Try again" so the fetch hook runs once more.
    pub attempt: u32,
    /// Whether the model in use is the whole catalogue.
    pub tail: Tail,
    /// Bumped by the tail's "Retry" so the loader fetches the tail once more.
    pub tail_attempt: u32,
    pub waiting_import: Option<WaitingImport>,
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
    /// The movie whose own view is open (from a `#movie=` fragment), if any.
    pub movie: Option<OpenMovie>,
    /// Watch together: the friends' profiles from their share links, in the order added. Held
    /// for this visit only, never stored (a friend's ratings are theirs).
    pub friends: Vec<Rc<Profile>>,
    /// Why the last link pasted for watching together could not be read.
    pub friend_error: Option<String>,
}

/// A movie's own view, opened by its `#movie=<movieId>` fragment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpenMovie {
    /// The MovieLens id in the fragment (the catalogue's stable key for a film).
    pub movie_id: u32,
    /// Opened from within the page (a click on a title pushed the fragment on the history):
    /// closing goes back in history, so the browser's Back and the page's Close agree. A view
    /// the page was loaded with closes by dropping the fragment instead (going back would
    /// leave the site).
    pub in_app: bool,
}

/// The film a `#movie=<movieId>` fragment names (the fragment as `location.hash` gives it,
/// with or without its `#`).
pub fn movie_in_fragment(fragment: &str) -> Option<u32> {
    let rest = fragment.strip_prefix('#').unwrap_or(fragment);
    rest.strip_prefix(MOVIE_FRAGMENT)?.parse().ok()
}

/// The fragment's key for a movie's own view: `#movie=<movieId>`.
pub const MOVIE_FRAGMENT: &str = "movie=";

impl Default for State {
    fn default() -> Self {
        State {
            load: Load::Fetching {
                received: 0,
                total: None,
            },
            attempt: 0,
            tail: Tail::Complete,
            tail_attempt: 0,
            waiting_import: None,
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
            movie: None,
            friends: Vec::new(),
            friend_error: None,
        }
    }
}

impl State {
    /// The model, once it is ready.
    pub fn model(&self) -> Option<ModelRef> {
        match &self.load {
            Load::Ready(m) => Some(m.clone()),
            _ => None,
        }
    }
}

/// A file read and understood, waiting for the visitor's decision.
#[derive(Clone, Debug, PartialEq)]
pub enum Incoming {
    /// A ratings export, every row matched against the catalogue (or not).
    Ratings(Rc<ImportPlan>),
    /// A MovieMatch profile (an older version already migrated).
    Profile(Rc<Profile>),
}

impl Incoming {
    /// Nothing to import: an export without a single rating row (only its header, or only
    /// diary entries without a rating), or a profile without answers. Merging it would add
    /// nothing and replacing would only withdraw the visitor's ratings, so neither is offered.
    pub fn is_empty(&self) -> bool {
        match self {
            Incoming::Ratings(plan) => plan.rows.is_empty(),
            Incoming::Profile(p) => p.events.is_empty(),
        }
    }
}
