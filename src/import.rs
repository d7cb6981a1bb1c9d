//! Ratings exports from other sites, parsed from bytes (no I/O). Issue 7 widens this to every
//! IMDb variant and Letterboxd; the slice reads the current IMDb "Your Ratings" export.

use crate::model::parse_tconst;
use crate::profile::{Scale, StableId};

/// One row of an export, keyed by the stablest id it has.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRating {
    pub item: StableId,
    pub value: f32,
    pub scale: Scale,
    pub title: Option<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImportError {
    #[error("this is not an IMDb ratings export: no `{0}` column")]
    MissingColumn(&'static str),
    #[error("cannot read the file as CSV: {0}")]
    Csv(String),
    #[error("row {row}: rating {value:?} is not a number from 1 to 10")]
    BadRating { row: usize, value: String },
}

/// Reads an IMDb "Your Ratings" export (`Const`, `Your Rating` 1–10, optional `Title`, `Year`).
pub fn parse_imdb_ratings(bytes: &[u8]) -> Result<Vec<ImportedRating>, ImportError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| ImportError::Csv(e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let c_const = col("Const").ok_or(ImportError::MissingColumn("Const"))?;
    let c_rating = col("Your Rating").ok_or(ImportError::MissingColumn("Your Rating"))?;
    let c_title = col("Title");
    let c_year = col("Year");
    let mut out = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| ImportError::Csv(e.to_string()))?;
        let raw = rec.get(c_rating).unwrap_or("").trim();
        let value: f32 = match raw.parse() {
            Ok(v) if Scale::Ten.range().accepts(v) => v,
            _ => {
                return Err(ImportError::BadRating {
                    row: n + 2,
                    value: raw.to_string(),
                })
            }
        };
        let title = c_title
            .and_then(|c| rec.get(c))
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty());
        let tconst = rec.get(c_const).unwrap_or("").trim();
        let item = if parse_tconst(tconst).is_some() {
            StableId::Imdb(tconst.to_string())
        } else {
            StableId::Unmatched {
                title: title.clone().unwrap_or_default(),
                year: c_year
                    .and_then(|c| rec.get(c))
                    .and_then(|y| y.trim().parse().ok()),
                source: "imdb".into(),
            }
        };
        out.push(ImportedRating {
            item,
            value,
            scale: Scale::Ten,
            title,
        });
    }
    Ok(out)
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
