//! Every notice's wording, in one place: what the reducer says about the stored profile, saves,
//! imports, share links and deleting, and why `crate::import` could not read a file. Pure
//! functions of the facts they report; the reducer picks the notice, this module words it.

use moviematch::import_plan::{ApplySummary, ImportMode};
use moviematch::profile::MergeSummary;

use super::HeldReason;
use crate::format::{count, counts_listed, plural};

// The stored profile.

/// The stored profile could not be read and is held untouched. `fresh`: this tab has no
/// answers of its own (on load), rather than its own profile that its next save writes.
pub fn unreadable(reason: &HeldReason, fresh: bool) -> String {
    let why = match reason {
        HeldReason::Corrupt(e) => format!("Your saved ratings could not be read ({e})."),
        HeldReason::FutureVersion { found, .. } => format!(
            "Your saved ratings were written by a newer version of this site (profile format {found})."
        ),
    };
    let then = if fresh {
        "Rating a movie or choosing “Start fresh” keeps a backup copy and starts a new profile."
    } else {
        "Your next answer in this tab keeps a backup copy of them and saves this tab’s profile."
    };
    format!("{why} They are left untouched in this browser. {then}")
}

/// The held text was backed up under `key` and a fresh profile started.
pub fn backed_up(key: &str) -> String {
    format!(
        "Started a fresh profile. The old, unreadable one is {}.",
        kept_under(key)
    )
}

/// The main copy was `damaged` (or missing) and the last-good copy, `ratings` ratings, restored.
pub fn restored(damaged: bool, ratings: usize) -> String {
    let what = if damaged { "damaged" } else { "missing" };
    format!(
        "Your saved profile was {what}; the last good copy ({}) was restored.",
        count(ratings, "rating", "ratings")
    )
}

/// Added to [`restored`] once the damaged text is backed up under `key`.
pub fn damaged_text_kept(key: &str) -> String {
    format!(" The damaged text is {}.", kept_under(key))
}

fn kept_under(key: &str) -> String {
    format!("kept in this browser’s storage under “{key}”")
}

/// localStorage refused the save, for the reason `why`.
pub fn save_failed(why: &str) -> String {
    format!(
        "Could not save your latest answers: {why}. What was saved before is intact, and \
         nothing was removed to make room. The new answers are kept in this tab until space \
         is freed (then press “Save again”); closing or reloading the tab before that loses them."
    )
}

// Deleting.

/// "Delete all my data" here.
pub const DATA_DELETED: &str = "All your data was deleted from this browser: ratings, answers, \
settings and backups. You are starting afresh.";

/// "Delete all my data" in another tab of the site.
pub const DELETED_ELSEWHERE: &str = "All your data was deleted from this browser in another tab \
of this site: this tab starts afresh too.";

pub fn data_not_deleted(why: &str) -> String {
    format!("Could not delete your data: {why}. Nothing was changed.")
}

// Share links.

pub fn share_link_bad(why: &str) -> String {
    format!("This share link could not be opened: {why}. Nothing was changed.")
}

/// After "Merge into mine".
pub fn merged_shared(done: MergeSummary) -> String {
    match (done.ratings, done.kept_yours) {
        (0, _) => {
            "You had already rated every movie in the shared profile: nothing was added.".into()
        }
        (n, 0) => format!(
            "Added {n} shared {} to yours.",
            plural(n, "rating", "ratings")
        ),
        (n, k) => format!(
            "Added {n} shared {} to yours; {} you had rated yourself kept your own {}.",
            plural(n, "rating", "ratings"),
            count(k, "movie", "movies"),
            plural(k, "rating", "ratings")
        ),
    }
}

/// After "Replace mine": the profile now holds the shared one's `ratings`.
pub fn replaced_by_shared(ratings: usize) -> String {
    format!(
        "Your profile was replaced by the shared one ({}).",
        count(ratings, "rating", "ratings")
    )
}

// Importing a file.

/// A file could not be imported, for the reason `why` (one of the reasons below, or the
/// engine's).
pub fn import_failed(file: &str, why: &str) -> String {
    format!("Could not import “{file}”: {why}. Nothing was changed.")
}

/// A file chosen while only the head of the catalogue is loaded: read once the rest arrives.
pub fn import_waits(file: &str, loaded: usize, total: usize) -> String {
    format!(
        "“{file}” will be read as soon as the whole catalogue has loaded ({} of {} films so far), \
         so that every film in it can be found.",
        crate::format::thousands(loaded),
        crate::format::thousands(total)
    )
}

/// What the list says while only the head of the catalogue is loaded (`failed`: the tail could
/// not be loaded, with the reason). `waiting`: the visitor's answers about films not loaded yet.
pub fn partial_catalogue(
    loaded: usize,
    total: usize,
    waiting: usize,
    failed: Option<&str>,
) -> String {
    use crate::format::{count, thousands};
    let films = format!("{} of {} films", thousands(loaded), thousands(total));
    let answers = match (waiting, failed.is_some()) {
        (0, _) => String::new(),
        (n, false) => format!(
            " {} for the rest.",
            count(n, "of your answers waits", "of your answers wait")
        ),
        (n, true) => format!(
            " {} kept for when the rest loads.",
            count(n, "of your answers is", "of your answers are")
        ),
    };
    match failed {
        None => format!("Showing the best-known {films}; the rest is loading.{answers}"),
        Some(why) => format!("Only {films} could be loaded: {why}.{answers}"),
    }
}

/// What the preview says, instead of offering merge and replace, for a file with nothing to
/// import.
pub const NOTHING_TO_IMPORT: &str =
    "This file has no ratings: there is nothing to import. Nothing was changed.";

/// Why a file was not read: `size` bytes is over the 64 MB read at all.
pub fn file_too_big(size: f64) -> String {
    format!(
        "the file is {:.0} MB, and this page reads files up to 64 MB (a ratings export is much smaller: is it the right file?)",
        size / 1_000_000.0
    )
}

/// Why a file was not read as a profile.
pub const FILE_EMPTY: &str = "the file is empty";
pub const PROFILE_NOT_TEXT: &str = "this is not a MovieMatch profile (it is not a text file)";
pub const PROFILE_NOT_JSON: &str = "this is not a MovieMatch profile (it is not valid JSON)";

pub fn not_a_profile(why: &str) -> String {
    format!("this is not a MovieMatch profile ({why})")
}

/// The notice after a ratings import: "Imported 15 ratings (5 not in this catalogue, kept for
/// later); 2 you had already rated kept your own ratings."
pub fn applied(done: ApplySummary, mode: ImportMode) -> String {
    if done.added == 0 && done.withdrawn == 0 {
        return "Nothing was imported: you had already rated every movie in the file.".into();
    }
    let kept_for_later = match done.unmatched {
        0 => String::new(),
        n => format!(" ({n} not in this catalogue, kept for later)"),
    };
    let imported = format!("{}{kept_for_later}", count(done.added, "rating", "ratings"));
    match mode {
        ImportMode::Replace if done.withdrawn > 0 => format!(
            "Replaced your {} with {imported} from the file.",
            count(done.withdrawn, "rating", "ratings")
        ),
        _ => match done.kept_yours {
            0 => format!("Imported {imported}."),
            k => format!(
                "Imported {imported}; {k} you had already rated kept your own {}.",
                plural(k, "rating", "ratings")
            ),
        },
    }
}

/// The notice after merging a profile file.
pub fn merged_file(done: MergeSummary) -> String {
    let Some(added) = answers_phrase(done) else {
        return "Nothing was added: your profile already has everything in the file.".into();
    };
    match done.kept_yours {
        0 => format!("Added {added} from the file."),
        k => format!(
            "Added {added} from the file; {k} you had already rated kept your own {}.",
            plural(k, "rating", "ratings")
        ),
    }
}

/// After replacing the profile by a profile file holding `ratings` ratings.
pub fn replaced_by_file(ratings: usize) -> String {
    format!(
        "Your profile was replaced by the one in the file ({}).",
        count(ratings, "rating", "ratings")
    )
}

/// "2 ratings, 1 comparison and 3 other answers": what merging adds, the kinds present only
/// (`None` for nothing).
pub fn answers_phrase(done: MergeSummary) -> Option<String> {
    counts_listed(&[
        (done.ratings, "rating", "ratings"),
        (done.comparisons, "comparison", "comparisons"),
        (done.other, "other answer", "other answers"),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_say_what_happened() {
        let done = ApplySummary {
            added: 15,
            unmatched: 5,
            kept_yours: 2,
            withdrawn: 0,
        };
        assert_eq!(
            applied(done, ImportMode::Merge),
            "Imported 15 ratings (5 not in this catalogue, kept for later); 2 you had already rated kept your own ratings."
        );
        let replaced = ApplySummary {
            added: 3,
            unmatched: 0,
            kept_yours: 0,
            withdrawn: 4,
        };
        assert_eq!(
            applied(replaced, ImportMode::Replace),
            "Replaced your 4 ratings with 3 ratings from the file."
        );
        assert!(applied(ApplySummary::default(), ImportMode::Merge).starts_with("Nothing"));
        assert_eq!(
            merged_file(MergeSummary {
                ratings: 2,
                kept_yours: 1,
                comparisons: 1,
                other: 3
            }),
            "Added 2 ratings, 1 comparison and 3 other answers from the file; 1 you had already rated kept your own rating."
        );
        assert!(merged_file(MergeSummary::default()).starts_with("Nothing"));
    }
}
