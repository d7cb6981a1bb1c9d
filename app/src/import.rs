//! A file the visitor chose to import, from its bytes to what the preview and the notices say.
//! Pure (no web-sys): the file is read in `services/files.rs`, planned here, shown by
//! `components/import_preview.rs` and written by the reducer, and all of it is tested natively.
//!
//! Two kinds of file come in through the same picker and drop zone: a ratings export from
//! another site (IMDb CSV, Letterboxd CSV or zip: `moviematch::import`), and a MovieMatch
//! profile the visitor downloaded earlier (JSON: `Profile::from_json`).

use std::rc::Rc;

use moviematch::import_plan::{plan_csv, ImportPlan, PlannedRow, RowMatch};
use moviematch::profile::AnswerCounts;
use moviematch::{Model, Profile, ProfileError, Scale};

use crate::format::count;
use crate::state::{notices, Incoming};

/// The largest file read at all: real exports are far smaller (an IMDb export of 10,000
/// ratings is ~2 MB), and reading is done in memory.
pub const MAX_FILE_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

/// Refuses a file before reading it when it is too large (`size` in bytes).
pub fn too_big(size: f64) -> Option<String> {
    (size > MAX_FILE_BYTES).then(|| notices::file_too_big(size))
}

/// Whether a file is a profile (JSON) rather than a ratings export: by its name, or by its
/// first character when the name says nothing (a download renamed by the browser).
fn is_profile_json(name: &str, bytes: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        return true;
    }
    if lower.ends_with(".csv") || lower.ends_with(".zip") {
        return false;
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// Reads a chosen file: a profile or a ratings export, or a message for the visitor saying
/// why not (never a panic, whatever the bytes).
pub fn read_file(model: &Model, name: &str, bytes: &[u8]) -> Result<Incoming, String> {
    if !is_profile_json(name, bytes) {
        return plan_csv(model, bytes)
            .map(|plan| Incoming::Ratings(Rc::new(plan)))
            .map_err(|e| e.to_string());
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(notices::FILE_EMPTY.into());
    }
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| notices::PROFILE_NOT_TEXT.to_string())?;
    match Profile::from_json(text) {
        Ok(p) => Ok(Incoming::Profile(Rc::new(p))),
        Err(e @ ProfileError::FutureVersion { .. }) => Err(e.to_string()),
        Err(ProfileError::Syntax(_)) => Err(notices::PROFILE_NOT_JSON.into()),
        Err(ProfileError::Shape(why)) => Err(notices::not_a_profile(&why)),
    }
}

/// The preview's counts, with the visitor's "none of these" answers counted as kept.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shown {
    pub rows: usize,
    pub matched: usize,
    pub to_choose: usize,
    /// Not in this catalogue: kept in the profile for a later one.
    pub kept: usize,
}

/// Counts of `plan` as the preview shows them; `declined` are the ambiguous rows the visitor
/// answered "none of these" for.
pub fn shown(plan: &ImportPlan, declined: &[usize]) -> Shown {
    let c = plan.counts();
    let declined = declined
        .iter()
        .filter(|&&r| {
            matches!(
                plan.rows.get(r).map(|r| &r.status),
                Some(RowMatch::Ambiguous { chosen: None, .. })
            )
        })
        .count();
    Shown {
        rows: c.rows,
        matched: c.matched,
        to_choose: c.ambiguous - declined,
        kept: c.unmatched + declined,
    }
}

/// "IMDb export" / "Letterboxd export".
pub fn source_name(plan: &ImportPlan) -> &'static str {
    match plan.format {
        moviematch::import::ExportFormat::Imdb => "IMDb export",
        moviematch::import::ExportFormat::Letterboxd => "Letterboxd export",
    }
}

/// "IMDb export: 15 rows — 10 matched, 0 to choose, 5 not in this catalogue (kept)".
pub fn plan_summary(plan: &ImportPlan, declined: &[usize]) -> String {
    let s = shown(plan, declined);
    format!(
        "{}: {} — {} matched, {} to choose, {} not in this catalogue (kept)",
        source_name(plan),
        count(s.rows, "row", "rows"),
        s.matched,
        s.to_choose,
        s.kept
    )
}

/// "MovieMatch profile: 15 ratings, 3 comparisons, 2 other answers".
pub fn profile_summary(c: AnswerCounts) -> String {
    format!(
        "MovieMatch profile: {}, {}, {}",
        count(c.ratings, "rating", "ratings"),
        count(c.comparisons, "comparison", "comparisons"),
        count(c.other, "other answer", "other answers")
    )
}

/// A row's rating as the other site gave it: "8/10", "4.5 ★".
pub fn given(row: &PlannedRow) -> String {
    match row.scale {
        Scale::Ten => format!("{}/10", row.value),
        Scale::Stars => format!("{} ★", row.value),
    }
}

/// A row as the file names it: "Hamlet (1996)", "Hamlet", or its IMDb id when it has no title.
pub fn row_label(row: &PlannedRow) -> String {
    let title = if row.title.is_empty() {
        match &row.source_id {
            Some(moviematch::StableId::Imdb(t)) => format!("IMDb {t}"),
            _ => "(no title)".to_string(),
        }
    } else {
        row.title.clone()
    };
    match row.year {
        Some(y) => format!("{title} ({y})"),
        None => title,
    }
}

/// The name "Download my data" gives the file: `moviematch-profile-2026-11-22.json`.
pub fn export_file_name(year: u32, month: u32, day: u32) -> String {
    format!("moviematch-profile-{year:04}-{month:02}-{day:02}.json")
}

/// The name "Download my data" gives the stored profile this version could not read (held
/// untouched): `moviematch-profile-2026-11-22-unreadable.json`.
pub fn unreadable_file_name(year: u32, month: u32, day: u32) -> String {
    format!("moviematch-profile-{year:04}-{month:02}-{day:02}-unreadable.json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::fixture::random_bundle;
    use moviematch::StableId;

    fn model() -> Model {
        Model::from_bundle(random_bundle(1, 20, 2, 10))
    }

    /// Movies 1 and 2 of the fixture by IMDb id, and a series the catalogue does not have.
    const IMDB: &str = "Const,Your Rating,Date Rated,Title,Year\n\
tt1000000,9,2024-05-01,First,2001\n\
tt1000001,4,2024-05-02,Second,2001\n\
tt9999999,8,2024-05-03,A Series,2019\n";

    #[test]
    fn an_export_becomes_a_plan_with_its_summary() {
        let m = model();
        let Ok(Incoming::Ratings(plan)) = read_file(&m, "ratings.csv", IMDB.as_bytes()) else {
            panic!("an IMDb export");
        };
        assert_eq!(
            plan_summary(&plan, &[]),
            "IMDb export: 3 rows — 2 matched, 0 to choose, 1 not in this catalogue (kept)"
        );
        assert_eq!(given(&plan.rows[0]), "9/10");
        assert_eq!(row_label(&plan.rows[2]), "A Series (2019)");
    }

    #[test]
    fn bad_files_are_messages_never_panics() {
        let m = model();
        let err = |name: &str, bytes: &[u8]| read_file(&m, name, bytes).unwrap_err();
        assert_eq!(err("empty.csv", b""), "the file is empty");
        assert!(err("photo.csv", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").contains("binary file"));
        assert!(
            err("netflix.csv", b"Title,Date\n\"Dark: Season 1\",1/2/24\n")
                .contains("its first line is “Title,Date”")
        );
        assert_eq!(err("x.json", b"  \n"), "the file is empty");
        assert!(err("x.json", b"{broken").contains("not valid JSON"));
        assert!(err("x.json", b"\xff\xfe{").contains("not a text file"));
        assert!(err("x.json", br#"{"a":1}"#).contains("not a MovieMatch profile"));
        assert!(err("x.json", br#"{"version":99,"events":[]}"#).contains("newer version"));
        // No telling name: a file starting with "{" is read as a profile.
        assert!(err("download", b"{").contains("not valid JSON"));
    }

    #[test]
    fn a_profile_file_is_read_and_summarised() {
        let mut p = Profile::default();
        p.rate(StableId::Movielens(1), 4.0, Scale::Stars, 1);
        p.compare(
            StableId::Movielens(1),
            StableId::Movielens(2),
            moviematch::profile::CompareAnswer::A,
            2,
        );
        let text = format!("\u{feff}{}", p.to_json());
        let Ok(Incoming::Profile(read)) = read_file(&model(), "mine.json", text.as_bytes()) else {
            panic!("a profile");
        };
        assert_eq!(*read, p);
        assert_eq!(
            profile_summary(read.answer_counts()),
            "MovieMatch profile: 1 rating, 1 comparison, 0 other answers"
        );
        // An older version is migrated.
        let v1 = br#"{"version":1,"events":[]}"#;
        assert!(matches!(
            read_file(&model(), "old.json", v1),
            Ok(Incoming::Profile(_))
        ));
    }

    #[test]
    fn a_file_without_ratings_is_empty() {
        let m = model();
        let Ok(header_only) = read_file(
            &m,
            "ratings.csv",
            b"Const,Your Rating,Date Rated,Title,Year\n",
        ) else {
            panic!("a header-only IMDb export is read");
        };
        assert!(header_only.is_empty());
        let Ok(full) = read_file(&m, "ratings.csv", IMDB.as_bytes()) else {
            panic!("an IMDb export");
        };
        assert!(!full.is_empty());
        assert!(Incoming::Profile(Rc::new(Profile::default())).is_empty());
        let mut p = Profile::default();
        p.rate(StableId::Movielens(1), 4.0, Scale::Stars, 1);
        assert!(!Incoming::Profile(Rc::new(p)).is_empty());
    }

    #[test]
    fn declined_rows_count_as_kept() {
        let mut plan = ImportPlan {
            format: moviematch::import::ExportFormat::Letterboxd,
            rows: vec![PlannedRow {
                title: "Hamlet".into(),
                year: None,
                value: 4.0,
                scale: Scale::Stars,
                rated_at: None,
                source_id: None,
                status: RowMatch::Ambiguous {
                    candidates: vec![3, 4],
                    chosen: None,
                },
            }],
        };
        assert_eq!(
            plan_summary(&plan, &[]),
            "Letterboxd export: 1 row — 0 matched, 1 to choose, 0 not in this catalogue (kept)"
        );
        assert_eq!(shown(&plan, &[0]).kept, 1);
        assert_eq!(shown(&plan, &[0]).to_choose, 0);
        plan.choose(0, Some(4));
        assert_eq!(shown(&plan, &[0]).matched, 1, "a choice overrides");
        assert_eq!(shown(&plan, &[0]).kept, 0);
    }

    #[test]
    fn file_names_and_the_size_limit() {
        assert_eq!(
            export_file_name(2026, 1, 9),
            "moviematch-profile-2026-01-09.json"
        );
        assert_eq!(
            unreadable_file_name(2026, 1, 9),
            "moviematch-profile-2026-01-09-unreadable.json"
        );
        assert!(too_big(65.0 * 1024.0 * 1024.0).is_some());
        assert!(too_big(1e6).is_none());
    }
}
