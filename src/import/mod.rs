//! Ratings exports from other sites, parsed from bytes (no I/O): the IMDb "Your Ratings"
//! export in the variants people have — the current one (with or without `Original Title`),
//! the older one (`const`, `You rated`, every field quoted), saved as UTF-8 (with or without a
//! BOM) or as Windows-1252 / ISO-8859-1, with CRLF or LF line ends. Rows for TV series and
//! episodes are kept like any other (the catalogue will not know them; they stay in the profile).

mod archive;
mod date;

pub use archive::{is_zip, ratings_csv_from_zip, ratings_entry, ZipEntry, MAX_ENTRY_BYTES};
pub use date::parse_date;

use crate::ids::parse_tconst;
use crate::profile::{Scale, StableId};

/// One row of an export, keyed by the stablest id it has.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRating {
    pub item: StableId,
    pub value: f32,
    pub scale: Scale,
    pub title: Option<String>,
    pub year: Option<u16>,
    /// `Date Rated` (or the older export's `created`), ms since the epoch.
    pub rated_at: Option<i64>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("this is a binary file, not a CSV ratings export (IMDb “Your Ratings” or Letterboxd ratings.csv / export zip)")]
    Binary,
    #[error("this is not an IMDb or Letterboxd ratings export (its first line is “{0}”)")]
    UnknownFormat(String),
    #[error("cannot read the zip archive: {0}")]
    Archive(String),
    #[error("the zip archive has no ratings.csv (a Letterboxd export has one)")]
    NoRatingsInArchive,
    #[error("this is not an IMDb ratings export: no `{0}` column")]
    MissingColumn(&'static str),
    #[error("cannot read the file as CSV: {0}")]
    Csv(String),
    #[error("row {row}: rating “{value}” is not a number from {range}")]
    BadRating {
        row: usize,
        value: String,
        range: &'static str,
    },
}

/// A CSV reader over `text` (rows may have fewer or more fields than the header) and its
/// header row.
fn reader(text: &str) -> Result<(csv::Reader<&[u8]>, csv::StringRecord), ImportError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = rdr
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .clone();
    Ok((rdr, headers))
}

/// The index of the column named `name` (trimmed, case-insensitive).
fn column(headers: &csv::StringRecord, name: &str) -> Option<usize> {
    headers
        .iter()
        .position(|h| h.trim().eq_ignore_ascii_case(name))
}

/// Reads an IMDb "Your Ratings" export (`Const`, `Your Rating` 1–10, optional `Title`, `Year`).
pub fn parse_imdb_ratings(bytes: &[u8]) -> Result<Vec<ImportedRating>, ImportError> {
    let text = decode_text(bytes);
    let (mut rdr, headers) = reader(&text)?;
    let col = |name: &str| column(&headers, name);
    let c_const = col("Const").ok_or(ImportError::MissingColumn("Const"))?;
    // The older export calls it "You rated".
    let c_rating = col("Your Rating")
        .or_else(|| col("You rated"))
        .ok_or(ImportError::MissingColumn("Your Rating"))?;
    let c_title = col("Title");
    let c_year = col("Year");
    let c_date = col("Date Rated").or_else(|| col("created"));
    let mut out = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| ImportError::Csv(e.to_string()))?;
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue; // a blank line a spreadsheet left at the end
        }
        let raw = rec.get(c_rating).unwrap_or("").trim();
        let value: f32 = match raw.parse() {
            Ok(v) if Scale::Ten.range().accepts(v) => v,
            _ => {
                return Err(ImportError::BadRating {
                    row: n + 2,
                    value: raw.to_string(),
                    range: "1 to 10",
                })
            }
        };
        let title = c_title
            .and_then(|c| rec.get(c))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let year = c_year
            .and_then(|c| rec.get(c))
            .and_then(|y| y.trim().parse().ok());
        let tconst = rec.get(c_const).unwrap_or("").trim();
        let item = if parse_tconst(tconst).is_some() {
            StableId::Imdb(tconst.to_string())
        } else {
            StableId::Unmatched {
                title: title.clone().unwrap_or_default(),
                year,
                source: "imdb".into(),
            }
        };
        out.push(ImportedRating {
            item,
            value,
            scale: Scale::Ten,
            title,
            year,
            rated_at: c_date.and_then(|c| rec.get(c)).and_then(parse_date),
        });
    }
    Ok(out)
}

/// Which site an export comes from, by its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Imdb,
    Letterboxd,
}

/// Recognises an export by its header row (`None`: neither).
pub fn detect_format(bytes: &[u8]) -> Option<ExportFormat> {
    let text = decode_text(bytes);
    let header = text.lines().next().unwrap_or("").to_ascii_lowercase();
    let has = |name: &str| {
        header
            .split(',')
            .any(|h| h.trim().trim_matches('"') == name)
    };
    if has("const") {
        Some(ExportFormat::Imdb)
    } else if has("letterboxd uri") && has("name") && has("rating") {
        Some(ExportFormat::Letterboxd)
    } else {
        None
    }
}

/// One row of a Letterboxd `ratings.csv` (`Date,Name,Year,Letterboxd URI,Rating`).
#[derive(Debug, Clone, PartialEq)]
pub struct LetterboxdRow {
    pub name: String,
    pub year: Option<u16>,
    /// Half stars, 0.5–5.
    pub stars: f32,
    /// `Date`, ms since the epoch.
    pub rated_at: Option<i64>,
}

/// Reads a Letterboxd ratings export. Rows without a rating (a diary entry) are skipped.
pub fn parse_letterboxd_ratings(bytes: &[u8]) -> Result<Vec<LetterboxdRow>, ImportError> {
    let text = decode_text(bytes);
    let (mut rdr, headers) = reader(&text)?;
    let col = |name: &str| column(&headers, name);
    let c_name = col("Name").ok_or(ImportError::MissingColumn("Name"))?;
    let c_rating = col("Rating").ok_or(ImportError::MissingColumn("Rating"))?;
    let c_year = col("Year");
    let c_date = col("Date");
    let mut out = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| ImportError::Csv(e.to_string()))?;
        let raw = rec.get(c_rating).unwrap_or("").trim();
        if raw.is_empty() {
            continue;
        }
        let stars: f32 = match raw.parse() {
            Ok(v) if crate::scale::RatingScale::STARS.accepts(v) => v,
            _ => {
                return Err(ImportError::BadRating {
                    row: n + 2,
                    value: raw.to_string(),
                    range: "0.5 to 5 stars",
                })
            }
        };
        out.push(LetterboxdRow {
            name: rec.get(c_name).unwrap_or("").trim().to_string(),
            year: c_year
                .and_then(|c| rec.get(c))
                .and_then(|y| y.trim().parse().ok()),
            stars,
            rated_at: c_date.and_then(|c| rec.get(c)).and_then(parse_date),
        });
    }
    Ok(out)
}

/// The file's text: UTF-8 (a BOM dropped) when it is valid UTF-8, else Windows-1252 (a superset
/// of ISO-8859-1 for every printable character; spreadsheet programs on Windows save CSV so).
/// Hand-written because the one table it needs is 32 entries, where an encoding crate would
/// bring every encoding's tables into the wasm.
pub fn decode_text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(s);
    }
    /// 0x80–0x9F in Windows-1252 (undefined positions map to U+FFFD).
    const C1: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
        '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{FFFD}', 'ž', 'Ÿ',
    ];
    std::borrow::Cow::Owned(
        bytes
            .iter()
            .map(|&b| match b {
                0x80..=0x9F => C1[(b - 0x80) as usize],
                _ => b as char,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_current_imdb_export() {
        let csv = "\u{feff}Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\r\n\
tt0133093,9,2024-01-02,The Matrix,https://www.imdb.com/title/tt0133093/,Movie,8.7,136,1999,\"Action, Sci-Fi\",2000000,1999-03-31,\"Lana Wachowski, Lilly Wachowski\"\r\n\
tt0211915,7,2024-01-03,Amélie,https://www.imdb.com/title/tt0211915/,Movie,8.3,122,2001,\"Comedy, Romance\",800000,2001-04-25,Jean-Pierre Jeunet\r\n";
        let rows = parse_imdb_ratings(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].item, StableId::Imdb("tt0133093".into()));
        assert_eq!(rows[1].value, 7.0);
        assert_eq!(rows[1].title.as_deref(), Some("Amélie"));
    }

    /// The older export: lower-case `const`, `You rated`, every field quoted, LF line ends.
    #[test]
    fn reads_the_older_imdb_export() {
        let csv = "\"position\",\"const\",\"created\",\"modified\",\"description\",\"Title\",\"Title type\",\"Directors\",\"You rated\",\"IMDb Rating\",\"Runtime (mins)\",\"Year\",\"Genres\",\"Num. Votes\",\"Release Date (month/day/year)\",\"URL\"\n\
\"1\",\"tt0133093\",\"Sat Mar 12 00:00:00 2016\",\"\",\"\",\"The Matrix\",\"Feature Film\",\"Lana Wachowski\",\"10\",\"8.7\",\"136\",\"1999\",\"action, sci_fi\",\"1500000\",\"1999-03-31\",\"http://www.imdb.com/title/tt0133093/\"\n\
\"2\",\"tt0903747\",\"Sun Mar 13 00:00:00 2016\",\"\",\"\",\"Breaking Bad\",\"TV Series\",\"\",\"9\",\"9.5\",\"49\",\"2008\",\"crime, drama\",\"1400000\",\"1/20/2008\",\"http://www.imdb.com/title/tt0903747/\"\n";
        let rows = parse_imdb_ratings(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2, "the TV series row is kept");
        assert_eq!(rows[0].item, StableId::Imdb("tt0133093".into()));
        assert_eq!((rows[0].value, rows[1].value), (10.0, 9.0));
    }

    /// A current export saved by a spreadsheet as Windows-1252, with `Original Title`.
    #[test]
    fn reads_windows_1252_and_the_original_title_column() {
        let mut bytes = b"Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\r\n".to_vec();
        // "Amélie" with é = 0xE9, and "It\x92s" with a Windows-1252 right quote.
        bytes.extend_from_slice(b"tt0211915,8,2024-01-03,Am\xe9lie,Le Fabuleux Destin d'Am\xe9lie Poulain,https://www.imdb.com/title/tt0211915/,Movie,8.3,122,2001,\"Comedy, Romance\",800000,2001-04-25,Jean-Pierre Jeunet\r\n");
        bytes.extend_from_slice(b"tt0117951,6,1/2/2024,It\x92s Trainspotting,Trainspotting,https://www.imdb.com/title/tt0117951/,Movie,8.1,93,1996,Drama,700000,1996-02-23,Danny Boyle\r\n");
        let rows = parse_imdb_ratings(&bytes).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].title.as_deref(), Some("Amélie"));
        assert_eq!(rows[1].title.as_deref(), Some("It’s Trainspotting"));
        assert_eq!(rows[1].item, StableId::Imdb("tt0117951".into()));
    }

    #[test]
    fn reads_letterboxd_and_tells_the_formats_apart() {
        let csv = "Date,Name,Year,Letterboxd URI,Rating\r\n\
2024-01-02,The Matrix,1999,https://boxd.it/abc,4.5\r\n\
2024-01-03,\"Crouching Tiger, Hidden Dragon\",2000,https://boxd.it/def,3\r\n\
2024-01-04,Unrated Diary Entry,2001,https://boxd.it/ghi,\r\n";
        assert_eq!(
            detect_format(csv.as_bytes()),
            Some(ExportFormat::Letterboxd)
        );
        let rows = parse_letterboxd_ratings(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 2, "the unrated diary row is skipped");
        assert_eq!(rows[1].name, "Crouching Tiger, Hidden Dragon");
        assert_eq!((rows[0].year, rows[0].stars), (Some(1999), 4.5));
        assert_eq!(
            detect_format(b"Const,Your Rating\n"),
            Some(ExportFormat::Imdb)
        );
        assert_eq!(
            detect_format(b"\"position\",\"const\"\n"),
            Some(ExportFormat::Imdb)
        );
        assert_eq!(detect_format(b"\x89PNG\r\n\x1a\n\0\0"), None);
        assert!(matches!(
            parse_letterboxd_ratings(
                b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,X,2000,u,7\n"
            ),
            Err(ImportError::BadRating { row: 2, .. })
        ));
    }

    #[test]
    fn rejects_other_files_with_a_reason() {
        assert_eq!(
            parse_imdb_ratings(b"Date,Name,Year,Letterboxd URI,Rating\n"),
            Err(ImportError::MissingColumn("Const"))
        );
        assert!(matches!(
            parse_imdb_ratings(b"Const,Your Rating\ntt1,11\n"),
            Err(ImportError::BadRating { row: 2, .. })
        ));
        assert!(parse_imdb_ratings(b"").is_err());
    }
}
