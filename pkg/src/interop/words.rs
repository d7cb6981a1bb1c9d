//! The words JavaScript passes for a rating scale, a comparison answer, a reaction and an import
//! mode. Scales, answers and reactions are read with the engine types' own serde names (the
//! names the profile JSON stores), so the package accepts exactly what the format spells.

use moviematch::import_plan::ImportMode;
use moviematch::profile::{Action, CompareAnswer};
use moviematch::Scale;
use serde::de::value::{Error as ValueError, StrDeserializer};
use serde::de::{DeserializeOwned, IntoDeserializer};

use crate::error::PkgError;

/// `s` read as the unit variant the engine serialises under that name.
fn word<T: DeserializeOwned>(s: &str) -> Option<T> {
    let de: StrDeserializer<'_, ValueError> = s.trim().into_deserializer();
    T::deserialize(de).ok()
}

/// "stars" (0.5–5 in half stars, the default) or "ten" (IMDb's whole numbers 1–10).
pub fn parse_scale(s: Option<&str>) -> Result<Scale, PkgError> {
    match s {
        None => Ok(Scale::Stars),
        Some(s) => word(s).ok_or_else(|| {
            PkgError::BadOption(format!(
                "unknown rating scale {:?}: use \"stars\" (0.5 to 5) or \"ten\" (1 to 10)",
                s.trim()
            ))
        }),
    }
}

/// "a", "b", "tie", "unseen_a" or "unseen_b".
pub fn parse_answer(s: &str) -> Result<CompareAnswer, PkgError> {
    word(s).ok_or_else(|| {
        PkgError::BadOption(format!(
            "unknown answer {:?}: use \"a\", \"b\", \"tie\", \"unseen_a\", \"unseen_b\" or \"skip\"",
            s.trim()
        ))
    })
}

/// A reaction to a movie, by its name in the profile format.
pub fn parse_action(s: &str) -> Result<Action, PkgError> {
    word(s).ok_or_else(|| {
        PkgError::BadOption(format!(
            "unknown action {:?}: use like, dislike, unlike, hide, unhide, save, unsave, unseen or undo_unseen",
            s.trim()
        ))
    })
}

/// "merge" (the default: ratings the visitor already has win) or "replace" (every rating in
/// force is withdrawn first; comparisons, reactions and settings stay). `ImportMode` has no
/// serde names in the engine, so these two are spelled here.
pub fn parse_mode(s: Option<&str>) -> Result<ImportMode, PkgError> {
    match s.map(str::trim) {
        None | Some("merge") => Ok(ImportMode::Merge),
        Some("replace") => Ok(ImportMode::Replace),
        Some(other) => Err(PkgError::BadOption(format!(
            "unknown import mode {other:?}: use \"merge\" or \"replace\""
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words of one `export type X = "a" | "b";` line of the TypeScript declarations.
    fn ts_words(name: &str) -> Vec<String> {
        let line = crate::typescript::TYPES
            .lines()
            .find(|l| l.starts_with(&format!("export type {name} = ")))
            .unwrap_or_else(|| panic!("no type {name}"));
        line.split('"')
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn ratings_answers_and_actions_are_checked() {
        assert_eq!(parse_scale(None), Ok(Scale::Stars));
        assert_eq!(parse_scale(Some("ten")), Ok(Scale::Ten));
        assert!(parse_scale(Some("percent")).is_err());
        assert_eq!(parse_answer("tie"), Ok(CompareAnswer::Tie));
        assert_eq!(parse_answer("unseen_b"), Ok(CompareAnswer::UnseenB));
        assert!(parse_answer("c").is_err());
        assert_eq!(parse_action("save"), Ok(Action::Save));
        assert_eq!(parse_action("love").unwrap_err().code(), "bad_option");
        assert_eq!(parse_mode(Some("replace")), Ok(ImportMode::Replace));
        assert!(parse_mode(Some("append")).is_err());
    }

    /// What the declarations promise is exactly what the engine's serde names accept, and each
    /// word reads back as itself.
    #[test]
    fn the_declared_words_are_the_engines() {
        fn round_trip<T: serde::Serialize>(w: &str, v: T) {
            assert_eq!(serde_json::to_value(v).unwrap(), serde_json::json!(w));
        }
        let scales = ts_words("RatingScale");
        assert_eq!(scales.len(), 2);
        for w in &scales {
            round_trip(w, parse_scale(Some(w)).unwrap());
        }
        let answers = ts_words("CompareAnswer");
        assert_eq!(answers.len(), 6);
        for w in &answers {
            round_trip(w, parse_answer(w).unwrap());
        }
        let actions = ts_words("FeedbackAction");
        assert_eq!(actions.len(), 9);
        for w in &actions {
            round_trip(w, parse_action(w).unwrap());
        }
        for w in ts_words("ImportMode") {
            assert!(parse_mode(Some(&w)).is_ok(), "{w}");
        }
    }
}
