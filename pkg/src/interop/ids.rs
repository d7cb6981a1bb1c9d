//! Movie ids: what JavaScript may pass (a MovieLens id as a number, an IMDb id as a string) and
//! what it gets back for a stored id (the engine's serialisation of `StableId` without its tag:
//! a number, a "tt…" string, or `{title, year, source}`).

use moviematch::ids::{format_tconst, parse_tconst};
use moviematch::StableId;
use serde_json::Value;

use crate::error::PkgError;

const ID_HELP: &str =
    "a movie id is a MovieLens id (a positive whole number) or an IMDb id (\"tt0133093\")";

/// A movie id given as a JavaScript number: a MovieLens movieId.
pub fn parse_id_number(v: f64) -> Result<StableId, PkgError> {
    if v.is_finite() && v.fract() == 0.0 && v >= 1.0 && v <= u32::MAX as f64 {
        Ok(StableId::Movielens(v as u32))
    } else {
        Err(PkgError::UnknownMovie(format!(
            "{v} is not a movie id: {ID_HELP}"
        )))
    }
}

/// A movie id given as a string: "tt0133093" (an IMDb id, zero-padded to seven digits as IMDb
/// writes it) or the digits of a MovieLens id.
pub fn parse_id_text(s: &str) -> Result<StableId, PkgError> {
    let t = s.trim();
    if t.starts_with("tt") && t[2..].bytes().all(|b| b.is_ascii_digit()) {
        if let Some(n) = parse_tconst(t) {
            return Ok(StableId::Imdb(format_tconst(n)));
        }
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = t.parse::<u32>() {
            if n > 0 {
                return Ok(StableId::Movielens(n));
            }
        }
    }
    Err(PkgError::UnknownMovie(format!(
        "{s:?} is not a movie id: {ID_HELP}"
    )))
}

/// A stored id as JavaScript sees it: the engine's serde value of the id, which is tagged by
/// kind (`{"movielens": 2571}`), with the tag dropped (`2571`, `"tt0133093"`,
/// `{"title": …, "year": …, "source": …}`).
pub fn js_id(id: &StableId) -> Value {
    match serde_json::to_value(id) {
        Ok(Value::Object(tagged)) if tagged.len() == 1 => {
            tagged.into_iter().next().map_or(Value::Null, |(_, v)| v)
        }
        // Not reached: every StableId serialises as a one-key object.
        other => other.unwrap_or(Value::Null),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_from_numbers_and_strings() {
        assert_eq!(parse_id_number(2571.0), Ok(StableId::Movielens(2571)));
        for bad in [0.0, -1.0, 1.5, f64::NAN, f64::INFINITY, 5e9] {
            let e = parse_id_number(bad).unwrap_err();
            assert_eq!(e.code(), "unknown_movie", "{bad}");
        }
        assert_eq!(
            parse_id_text("tt0133093"),
            Ok(StableId::Imdb("tt0133093".into()))
        );
        assert_eq!(
            parse_id_text(" tt133093 "),
            Ok(StableId::Imdb("tt0133093".into())),
            "padded as IMDb writes it"
        );
        assert_eq!(parse_id_text("2571"), Ok(StableId::Movielens(2571)));
        for bad in [
            "",
            "tt",
            "tt12x",
            "tt+5",
            "0",
            "-3",
            "matrix",
            "99999999999",
        ] {
            let e = parse_id_text(bad).unwrap_err().to_string();
            assert!(e.contains("not a movie id"), "{bad}: {e}");
        }
    }

    /// The id shapes JavaScript gets (the `StoredId` TypeScript type).
    #[test]
    fn stored_ids_are_the_engines_serialisation_untagged() {
        assert_eq!(js_id(&StableId::Movielens(1)), json!(1));
        assert_eq!(
            js_id(&StableId::Imdb("tt0133093".into())),
            json!("tt0133093")
        );
        let unmatched = StableId::Unmatched {
            title: "Heat".into(),
            year: None,
            source: "letterboxd".into(),
        };
        assert_eq!(
            js_id(&unmatched),
            json!({"title": "Heat", "year": null, "source": "letterboxd"})
        );
    }
}
