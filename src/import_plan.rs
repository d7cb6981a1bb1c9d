//! From an export's bytes to what importing it would do: every row matched against the
//! catalogue (IMDb rows by id, Letterboxd rows by title and year with a confidence), ambiguous
//! rows waiting for the visitor's choice, and the rows nothing matches kept as unmatched entries.
//! The app shows an [`ImportPlan`] as a preview, `tools import` prints its counts, and both write
//! it with [`ImportPlan::apply`]: one rule for every front end.

use std::collections::HashSet;

use serde::Serialize;

use crate::import::{
    decode_text, detect_format, is_zip, parse_imdb_ratings, parse_letterboxd_ratings,
    ratings_csv_from_zip, ExportFormat, ImportError,
};
use crate::model::Model;
use crate::profile::{Profile, Scale, StableId};
use crate::title_match::{TitleIndex, TitleMatch};

/// How one row fared.
#[derive(Debug, Clone, PartialEq)]
pub enum RowMatch {
    /// One catalogue movie; `confidence` 1 for an IMDb id or an exact title and year.
    Matched { item: usize, confidence: f32 },
    /// Several equally good candidates (best known first); `chosen` once the visitor picks one.
    Ambiguous {
        candidates: Vec<usize>,
        chosen: Option<usize>,
    },
    /// Not in this catalogue: kept in the profile under the row's own id or title.
    Unmatched,
}

/// One data row of the export.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedRow {
    /// The title as the file gives it ("" if it has none).
    pub title: String,
    pub year: Option<u16>,
    pub value: f32,
    pub scale: Scale,
    /// When the visitor rated it on the other site (ms since the epoch), if the file says.
    pub rated_at: Option<i64>,
    /// The id the file itself carries (IMDb's tconst), if any.
    pub source_id: Option<StableId>,
    pub status: RowMatch,
}

impl PlannedRow {
    /// The catalogue movie this row will be stored as, if any.
    pub fn item(&self) -> Option<usize> {
        match self.status {
            RowMatch::Matched { item, .. } => Some(item),
            RowMatch::Ambiguous { chosen, .. } => chosen,
            RowMatch::Unmatched => None,
        }
    }

    /// The id written to the profile: the file's own IMDb id when the catalogue knows it, else
    /// the matched movie, else the title and year — with the IMDb id in `source` when the file
    /// gave one (`"imdb:tt…"`: a later bundle resolves it by id, and the visitor sees a title,
    /// not a bare id).
    fn stable_id(&self, model: &Model, source: &str) -> StableId {
        match (&self.source_id, self.item()) {
            (Some(id), Some(_)) => id.clone(),
            (Some(StableId::Imdb(tt)), None) if !self.title.is_empty() => StableId::Unmatched {
                title: self.title.clone(),
                year: self.year,
                source: format!("imdb:{tt}"),
            },
            (Some(id), None) => id.clone(),
            (None, Some(i)) => model.stable_id(i),
            (None, None) => StableId::Unmatched {
                title: self.title.clone(),
                year: self.year,
                source: source.to_string(),
            },
        }
    }
}

/// What the file holds and how it matched, before anything is written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    pub format: ExportFormat,
    pub rows: Vec<PlannedRow>,
}

/// The counts `tools import --json` prints: `rows` = `matched` + `ambiguous` + `unmatched`
/// (an ambiguous row the visitor has resolved counts as matched).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportCounts {
    pub format: &'static str,
    pub rows: usize,
    pub matched: usize,
    pub ambiguous: usize,
    pub unmatched: usize,
}

/// Merge keeps every rating the visitor already has; replace withdraws them first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    Merge,
    Replace,
}

/// What [`ImportPlan::apply`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ApplySummary {
    /// Ratings written (one per movie: a file that rates a movie twice counts once, the last wins).
    pub added: usize,
    /// Of those, entries the catalogue does not know (kept for a later bundle).
    pub unmatched: usize,
    /// Rows skipped by a merge because the visitor had already rated the movie.
    pub kept_yours: usize,
    /// Ratings withdrawn by a replace.
    pub withdrawn: usize,
}

impl ExportFormat {
    pub fn name(self) -> &'static str {
        match self {
            ExportFormat::Imdb => "imdb",
            ExportFormat::Letterboxd => "letterboxd",
        }
    }
}

/// Reads an export (IMDb CSV, Letterboxd CSV or Letterboxd zip) and matches every row.
pub fn plan_import(model: &Model, bytes: &[u8]) -> Result<ImportPlan, ImportError> {
    if is_zip(bytes) {
        plan_csv(model, &ratings_csv_from_zip(bytes)?)
    } else {
        plan_csv(model, bytes)
    }
}

/// [`plan_import`] for a CSV export (a zip's `ratings.csv` already taken out: the page does
/// that with the browser's inflater, see [`crate::import::ZipEntry`]).
pub fn plan_csv(model: &Model, bytes: &[u8]) -> Result<ImportPlan, ImportError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let format = detect_format(bytes).ok_or_else(|| not_an_export(bytes))?;
    let rows = match format {
        ExportFormat::Imdb => parse_imdb_ratings(bytes)?
            .into_iter()
            .map(|r| {
                let status = match model.resolve(&r.item) {
                    Some(item) => RowMatch::Matched {
                        item,
                        confidence: 1.0,
                    },
                    None => RowMatch::Unmatched,
                };
                let source_id = matches!(r.item, StableId::Imdb(_)).then(|| r.item.clone());
                PlannedRow {
                    title: r.title.unwrap_or_default(),
                    year: r.year,
                    value: r.value,
                    scale: r.scale,
                    rated_at: r.rated_at,
                    source_id,
                    status,
                }
            })
            .collect(),
        ExportFormat::Letterboxd => {
            let index = TitleIndex::build(model);
            parse_letterboxd_ratings(bytes)?
                .into_iter()
                .map(|r| {
                    let status = match index.find(model, &r.name, r.year) {
                        TitleMatch::Unique { item, confidence } => {
                            RowMatch::Matched { item, confidence }
                        }
                        TitleMatch::Ambiguous(candidates) => RowMatch::Ambiguous {
                            candidates,
                            chosen: None,
                        },
                        TitleMatch::NotFound => RowMatch::Unmatched,
                    };
                    PlannedRow {
                        title: r.name,
                        year: r.year,
                        value: r.stars,
                        scale: Scale::Stars,
                        rated_at: r.rated_at,
                        source_id: None,
                        status,
                    }
                })
                .collect()
        }
    };
    Ok(ImportPlan { format, rows })
}

/// Why a file that is neither export was refused, in words a visitor can act on.
fn not_an_export(bytes: &[u8]) -> ImportError {
    let head = &bytes[..bytes.len().min(4096)];
    let binary = head.contains(&0)
        || head
            .iter()
            .filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b))
            .count()
            * 20
            > head.len();
    if binary {
        return ImportError::Binary;
    }
    let text = decode_text(head);
    let header: String = text.lines().next().unwrap_or("").chars().take(80).collect();
    ImportError::UnknownFormat(header)
}

impl ImportPlan {
    pub fn counts(&self) -> ImportCounts {
        let mut c = ImportCounts {
            format: self.format.name(),
            rows: self.rows.len(),
            matched: 0,
            ambiguous: 0,
            unmatched: 0,
        };
        for r in &self.rows {
            match r.status {
                RowMatch::Matched { .. }
                | RowMatch::Ambiguous {
                    chosen: Some(_), ..
                } => c.matched += 1,
                RowMatch::Ambiguous { chosen: None, .. } => c.ambiguous += 1,
                RowMatch::Unmatched => c.unmatched += 1,
            }
        }
        c
    }

    /// The visitor's pick for ambiguous row `row`: one of its candidates, or `None` for
    /// "none of these" (kept unmatched). Returns false (and changes nothing) if `row` is not
    /// ambiguous or `item` is not one of its candidates.
    pub fn choose(&mut self, row: usize, item: Option<usize>) -> bool {
        match self.rows.get_mut(row).map(|r| &mut r.status) {
            Some(RowMatch::Ambiguous { candidates, chosen })
                if item.is_none_or(|i| candidates.contains(&i)) =>
            {
                *chosen = item;
                true
            }
            _ => false,
        }
    }

    /// Writes the ratings into `profile` (stamped `at`). Unresolved ambiguous and unmatched
    /// rows are kept as unmatched entries; the last row for a movie wins, as on the other
    /// site's own list. Merge is the profile's one merge rule ([`Profile::merge_from`]): movies
    /// the visitor has rated, or whose rating they withdrew, keep the visitor's answer (compared
    /// by stored id and by catalogue movie). Replace withdraws every rating in force first
    /// (comparisons, likes and settings stay) and writes every row.
    pub fn apply(
        &self,
        model: &Model,
        profile: &mut Profile,
        mode: ImportMode,
        at: i64,
    ) -> ApplySummary {
        let mut summary = ApplySummary::default();
        // The file as a profile: one rating per movie (the last row), in the file's order.
        let source = self.format.name();
        let mut written_ids: HashSet<StableId> = HashSet::new();
        let mut written_items: HashSet<usize> = HashSet::new();
        let mut rows = Vec::new();
        for row in self.rows.iter().rev() {
            let id = row.stable_id(model, source);
            // The plan has matched (or the visitor has declined): never re-match by title here.
            let item = row.item();
            if written_ids.insert(id.clone()) && item.is_none_or(|i| written_items.insert(i)) {
                rows.push((id, row));
            }
        }
        // Each rating carries the date the file gives it (never later than `at`; the import's
        // time where the file has none), for taste drift (`crate::drift`).
        let mut incoming = Profile::default();
        for (id, row) in rows.into_iter().rev() {
            let rated_at = row.rated_at.map_or(at, |d| d.min(at));
            incoming.rate(id, row.value, row.scale, rated_at);
        }
        let unmatched = |ratings: &[crate::profile::CurrentRating]| {
            ratings
                .iter()
                .filter(|r| model.resolve(&r.item).is_none())
                .count()
        };
        match mode {
            ImportMode::Replace => {
                for r in profile.ratings() {
                    profile.unrate(r.item, at);
                    summary.withdrawn += 1;
                }
                let all = incoming.ratings();
                summary.added = all.len();
                summary.unmatched = unmatched(&all);
                for r in all.into_iter().rev() {
                    profile.rate(r.item, r.value, r.scale, r.at);
                }
            }
            ImportMode::Merge => {
                summary.unmatched = unmatched(&profile.ratings_to_merge(&incoming, model));
                let merged = profile.merge_from(&incoming, model, at);
                summary.added = merged.ratings;
                summary.kept_yours = merged.kept_yours;
            }
        }
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{bundle, FixtureMovie};

    fn film(id: u32, title: &'static str, year: u16) -> FixtureMovie {
        FixtureMovie::titled(id, title, year)
    }

    /// Rows the visitor declined, left undecided, or that only share a film's title stay
    /// unmatched in the profile: never read back as one of the look-alikes.
    #[test]
    fn declined_undecided_and_lookalike_rows_stay_unmatched() {
        let model = Model::from_bundle(bundle(
            &["Drama"],
            &[
                film(1, "Twin Film (2005)", 2005),
                film(2, "Twin Film (2005)", 2005),
                film(3, "Sherlock (2010)", 2010),
            ],
        ));
        let csv = b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Twin Film,2005,u,1\n";
        for choice in [None, Some(None)] {
            let mut plan = plan_import(&model, csv).unwrap();
            assert!(matches!(plan.rows[0].status, RowMatch::Ambiguous { .. }));
            if let Some(pick) = choice {
                assert!(plan.choose(0, pick));
            }
            let mut p = Profile::default();
            let done = plan.apply(&model, &mut p, ImportMode::Merge, 1);
            assert_eq!((done.added, done.unmatched), (1, 1));
            assert_eq!(model.resolve(&p.ratings()[0].item), None, "{choice:?}");
        }
        // An IMDb series whose title and year equal a catalogue film's.
        let imdb =
            b"Const,Your Rating,Title,Title Type,Year\ntt9999999,2,Sherlock,TV Series,2010\n";
        let plan = plan_import(&model, imdb).unwrap();
        assert_eq!(plan.counts().unmatched, 1);
        let mut p = Profile::default();
        p.rate(StableId::Movielens(3), 5.0, Scale::Stars, 0);
        let done = plan.apply(&model, &mut p, ImportMode::Merge, 1);
        assert_eq!((done.added, done.unmatched, done.kept_yours), (1, 1, 0));
        let stored = &p.ratings()[0].item;
        assert_eq!(model.resolve(stored), None, "{stored:?}");
    }

    /// Each imported rating carries its row's date (taste drift measures ages from them), in
    /// both modes; a row without a date, or dated after the import, gets the import's time.
    #[test]
    fn imported_ratings_keep_their_rows_dates() {
        let model = Model::from_bundle(bundle(
            &["Drama"],
            &[
                film(1, "Alpha (2001)", 2001),
                film(2, "Beta (2002)", 2002),
                film(3, "Gamma (2003)", 2003),
            ],
        ));
        let csv = b"Date,Name,Year,Letterboxd URI,Rating
            2016-03-12,Alpha,2001,u,4
,Beta,2002,u,3
2999-01-01,Gamma,2003,u,5
";
        let now = 1_800_000_000_000;
        let day = |y, m, d| crate::import::parse_date(&format!("{y}-{m:02}-{d:02}")).unwrap();
        for mode in [ImportMode::Merge, ImportMode::Replace] {
            let plan = plan_import(&model, csv).unwrap();
            let mut p = Profile::default();
            plan.apply(&model, &mut p, mode, now);
            let at = |id: u32| p.rating_of(&StableId::Movielens(id)).unwrap().at;
            assert_eq!(
                (at(1), at(2), at(3)),
                (day(2016, 3, 12), now, now),
                "{mode:?}"
            );
        }
    }
}
