//! Letterboxd's "Export your data" is a zip (`ratings.csv`, `diary.csv`, `watched.csv`, …).
//! Visitors drop the zip as it came: we read its `ratings.csv` and nothing else.

use std::io::{Cursor, Read};

use super::ImportError;

/// Refuse to inflate more than this from one entry: a ratings file of 100,000 films is ~10 MB,
/// so anything larger is not an export (and a zip bomb must not exhaust a phone's memory).
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// Whether `bytes` start like a zip archive (a local file header).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

/// The bytes of the archive's `ratings.csv` (the shallowest one if several folders have one).
pub fn ratings_csv_from_zip(bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    let bad = |e: zip::result::ZipError| ImportError::Archive(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(bad)?;
    let wanted = (0..archive.len())
        .filter_map(|i| {
            let name = archive.name_for_index(i)?.replace('\\', "/");
            let file = name.rsplit('/').next()?.to_ascii_lowercase();
            (file == "ratings.csv").then(|| (name.matches('/').count(), i))
        })
        .min()
        .map(|(_, i)| i)
        .ok_or(ImportError::NoRatingsInArchive)?;
    let entry = archive.by_index(wanted).map_err(bad)?;
    let mut out = Vec::new();
    entry
        .take(MAX_ENTRY_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| ImportError::Archive(e.to_string()))?;
    if out.len() as u64 > MAX_ENTRY_BYTES {
        return Err(ImportError::Archive(format!(
            "ratings.csv inflates to more than {} MB",
            MAX_ENTRY_BYTES >> 20
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::zip_of;

    #[test]
    fn reads_ratings_csv_and_ignores_the_rest() {
        let z = zip_of(&[
            ("watched.csv", b"Date,Name,Year,Letterboxd URI\n"),
            ("deleted/ratings.csv", b"old"),
            ("ratings.csv", b"Date,Name,Year,Letterboxd URI,Rating\n"),
            ("likes/films.csv", b"x"),
        ]);
        assert!(is_zip(&z));
        assert_eq!(
            ratings_csv_from_zip(&z).unwrap(),
            b"Date,Name,Year,Letterboxd URI,Rating\n"
        );
    }

    #[test]
    fn a_zip_without_ratings_or_a_broken_zip_is_an_error() {
        let z = zip_of(&[("diary.csv", b"x")]);
        assert_eq!(
            ratings_csv_from_zip(&z),
            Err(ImportError::NoRatingsInArchive)
        );
        let mut cut = zip_of(&[("ratings.csv", &[b'a'; 5000])]);
        cut.truncate(cut.len() / 2);
        assert!(matches!(
            ratings_csv_from_zip(&cut),
            Err(ImportError::Archive(_))
        ));
    }
}
