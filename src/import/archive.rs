//! Letterboxd's "Export your data" is a zip (`ratings.csv`, `diary.csv`, `watched.csv`, …).
//! Visitors drop the zip as it came: we read its `ratings.csv` and nothing else.
//!
//! Read here from the archive's central directory (stored or deflated entries, the CRC
//! checked), not through the `zip` crate's reader: that reader was ~25 KB of the app's wasm for
//! one file of a simple archive. Every offset is bounds-checked (fuzzed by `benches/fuzz.rs` and
//! `tests/no_panic.rs`); zip64, encrypted and other compression methods are refused by name.

use super::ImportError;

/// Refuse to inflate more than this from one entry: a ratings file of 100,000 films is ~10 MB,
/// so anything larger is not an export (and a zip bomb must not exhaust a phone's memory).
pub const MAX_ENTRY_BYTES: u64 = 64 * 1024 * 1024;

/// Whether `bytes` start like a zip archive (a local file header).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

const END_OF_DIRECTORY: &[u8; 4] = b"PK\x05\x06";
const DIRECTORY_ENTRY: &[u8; 4] = b"PK\x01\x02";
const LOCAL_HEADER: &[u8; 4] = b"PK\x03\x04";

fn damaged(what: &str) -> ImportError {
    ImportError::Archive(format!("the zip archive is damaged ({what})"))
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, ImportError> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| damaged("cut short"))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, ImportError> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| damaged("cut short"))
}

/// One file of the central directory.
struct Entry {
    name: String,
    flags: u16,
    method: u16,
    crc: u32,
    compressed: u32,
    size: u32,
    local_header: u32,
}

/// The central directory's entries.
fn directory(b: &[u8]) -> Result<Vec<Entry>, ImportError> {
    // The end record is 22 bytes plus a comment of up to 65,535: search backwards for it.
    let lowest = b.len().saturating_sub(22 + 65_535);
    let end = (lowest..=b.len().saturating_sub(22))
        .rev()
        .find(|&i| b[i..].starts_with(END_OF_DIRECTORY))
        .ok_or_else(|| damaged("no central directory"))?;
    let count = u16_at(b, end + 10)? as usize;
    let mut at = u32_at(b, end + 16)? as usize;
    let mut entries = Vec::with_capacity(count.min(4096));
    for _ in 0..count {
        if !b.get(at..).is_some_and(|r| r.starts_with(DIRECTORY_ENTRY)) {
            return Err(damaged("a directory entry is missing"));
        }
        let name_len = u16_at(b, at + 28)? as usize;
        let skip = name_len + u16_at(b, at + 30)? as usize + u16_at(b, at + 32)? as usize;
        let name = b
            .get(at + 46..at + 46 + name_len)
            .ok_or_else(|| damaged("cut short"))?;
        entries.push(Entry {
            name: String::from_utf8_lossy(name).into_owned(),
            flags: u16_at(b, at + 8)?,
            method: u16_at(b, at + 10)?,
            crc: u32_at(b, at + 16)?,
            compressed: u32_at(b, at + 20)?,
            size: u32_at(b, at + 24)?,
            local_header: u32_at(b, at + 42)?,
        });
        at += 46 + skip;
    }
    Ok(entries)
}

/// The bytes of the archive's `ratings.csv` (the shallowest one if several folders have one),
/// inflated by the engine.
pub fn ratings_csv_from_zip(bytes: &[u8]) -> Result<Vec<u8>, ImportError> {
    let entry = ratings_entry(bytes)?;
    let inflated = entry
        .deflated
        .then(|| crate::deflate::inflate(entry.data, MAX_ENTRY_BYTES as usize));
    entry.finish(inflated)
}

/// The archive's `ratings.csv`, found and checked but not yet inflated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZipEntry<'a> {
    /// The stored bytes: a raw deflate stream when `deflated`.
    pub data: &'a [u8],
    pub deflated: bool,
    size: u32,
    crc: u32,
}

impl ZipEntry<'_> {
    /// The file's bytes: the stored ones, or (for a deflated entry) the inflater's result,
    /// which should refuse more than [`MAX_ENTRY_BYTES`]; checked against the archive's size
    /// and CRC-32 either way. The page inflates with the browser's `DecompressionStream`, so
    /// its wasm carries no inflater; [`ratings_csv_from_zip`] uses the engine's.
    pub fn finish(
        &self,
        inflated: Option<Result<Vec<u8>, crate::deflate::InflateError>>,
    ) -> Result<Vec<u8>, ImportError> {
        let out = match inflated {
            _ if !self.deflated => self.data.to_vec(),
            Some(Ok(out)) => out,
            Some(Err(crate::deflate::InflateError::TooLarge)) => return Err(too_big()),
            Some(Err(crate::deflate::InflateError::Damaged)) | None => {
                return Err(damaged("ratings.csv's data is corrupt"))
            }
        };
        if out.len() as u64 > MAX_ENTRY_BYTES {
            return Err(too_big());
        }
        if out.len() != self.size as usize || crate::deflate::crc32(&out) != self.crc {
            return Err(damaged("ratings.csv does not match its checksum"));
        }
        Ok(out)
    }
}

/// Finds the archive's `ratings.csv` (the shallowest one if several folders have one).
pub fn ratings_entry(bytes: &[u8]) -> Result<ZipEntry<'_>, ImportError> {
    let entries = directory(bytes)?;
    let entry = entries
        .iter()
        .filter_map(|e| {
            let name = e.name.replace('\\', "/");
            let file = name.rsplit('/').next()?.to_ascii_lowercase();
            (file == "ratings.csv").then(|| (name.matches('/').count(), e))
        })
        .min_by_key(|&(depth, _)| depth)
        .map(|(_, e)| e)
        .ok_or(ImportError::NoRatingsInArchive)?;
    if entry.flags & 1 != 0 {
        return Err(ImportError::Archive("ratings.csv is encrypted".into()));
    }
    if entry.compressed == u32::MAX || entry.size == u32::MAX {
        return Err(ImportError::Archive(
            "zip64 archives are not supported".into(),
        ));
    }
    if entry.size as u64 > MAX_ENTRY_BYTES {
        return Err(too_big());
    }
    let at = entry.local_header as usize;
    if !bytes.get(at..).is_some_and(|r| r.starts_with(LOCAL_HEADER)) {
        return Err(damaged("a file header is missing"));
    }
    let data_at = at + 30 + u16_at(bytes, at + 26)? as usize + u16_at(bytes, at + 28)? as usize;
    let data = bytes
        .get(data_at..data_at.saturating_add(entry.compressed as usize))
        .ok_or_else(|| damaged("cut short"))?;
    let deflated = match entry.method {
        0 => false,
        8 => true,
        m => {
            return Err(ImportError::Archive(format!(
                "ratings.csv is compressed with a method this site does not read ({m})"
            )))
        }
    };
    Ok(ZipEntry {
        data,
        deflated,
        size: entry.size,
        crc: entry.crc,
    })
}

fn too_big() -> ImportError {
    ImportError::Archive(format!(
        "ratings.csv inflates to more than {} MB",
        MAX_ENTRY_BYTES >> 20
    ))
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
        // One flipped byte in the deflated data: refused by the inflater or the checksum.
        let mut flipped = zip_of(&[(
            "ratings.csv",
            b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Heat,1995,x,4\n",
        )]);
        flipped[45] ^= 0x20;
        assert!(matches!(
            ratings_csv_from_zip(&flipped),
            Err(ImportError::Archive(_))
        ));
    }

    /// Every prefix of an archive is refused with an error, never a panic.
    #[test]
    fn every_cut_of_an_archive_is_an_error() {
        let z = zip_of(&[
            ("a/ratings.csv", b"x,y\n1,2\n"),
            ("ratings.csv", b"Date,Name\n"),
        ]);
        assert_eq!(ratings_csv_from_zip(&z).unwrap(), b"Date,Name\n");
        for n in 0..z.len() {
            assert!(ratings_csv_from_zip(&z[..n]).is_err(), "cut at {n}");
        }
    }
}
