//! Share links: a visitor's ratings packed into a URL fragment (`#share=…`, never sent to any
//! server), compact enough that 50 ratings fit in about 210 characters.
//!
//! The format, then base64url without padding:
//!
//! ```text
//! version u8 = 2 (plain) or 3 (the rest up to the checksum raw-deflated)
//! varint n_movielens, then the MovieLens ids sorted, as varint deltas (first delta from 0)
//! varint n_imdb,      then the IMDb numeric ids (tt0133093 → 133093) sorted, as varint deltas
//! varint n_unmatched, then per entry: varint title length, UTF-8 title, varint year (0: none),
//!                     varint IMDb number (0: none; an imported film the catalogue lacks keeps
//!                     its id, so the recipient's bundle matches it by id, not by title)
//! one rating code per entry above, in the same order: 1–10 = half stars ×2, 11–20 = 10 + a 1–10 rating
//! crc32 (little-endian) of everything before it
//! ```
//!
//! Version 1 (links made before, still read) is version 2 without the IMDb number of unmatched
//! entries.
//!
//! Sorted ids make the deltas small (two bytes each for a typical profile); the codes are one
//! byte each. On this dense encoding deflate does not pay for 10 or 50 ratings (it adds ~5
//! bytes) but saves ~14% from about 200 on (measured: 586 → 509 bytes), so the encoder keeps
//! whichever is shorter. Decoding checks the length of every field and the checksum, and caps
//! what a deflated link may inflate to, so a tampered, truncated or foreign link is a [`ShareError`],
//! never a panic and never a half-read profile.

pub use crate::deflate::InflateError;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::profile::{Profile, Scale, StableId};

/// The newest version this build reads.
pub const SHARE_VERSION: u8 = 3;
/// The first format: unmatched entries without an IMDb number (read only).
const PLAIN_V1: u8 = 1;
/// The plain format this build writes.
const PLAIN: u8 = 2;
/// The plain body deflated (written when shorter).
const DEFLATED: u8 = 3;
/// What a deflated link may inflate to (a plain body is never more than a few bytes per byte
/// of link).
pub const MAX_INFLATED: u64 = 16 * MAX_LINK as u64;
/// What the fragment starts with: `#share=…`.
pub const FRAGMENT_KEY: &str = "share=";
/// Longest title kept for an unmatched entry (longer ones are cut at a character boundary).
const MAX_TITLE: usize = 200;
/// A link longer than this is not one of ours (and is not decoded).
pub const MAX_LINK: usize = 100_000;

/// Why a share link could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ShareError {
    #[error("this is not a share link (no readable data after #share=)")]
    NotALink,
    #[error("the share link is damaged (it is not valid base64)")]
    Encoding,
    #[error("the share link is cut short")]
    Truncated,
    #[error("the share link was changed or damaged (checksum mismatch)")]
    Checksum,
    #[error("the share link was made by a newer version of this site (format {0})")]
    FutureVersion(u8),
    #[error("the share link is damaged: {0}")]
    Malformed(&'static str),
}

/// One shared rating.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedRating {
    pub item: StableId,
    pub value: f32,
    pub scale: Scale,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, ShareError> {
        let b = *self.bytes.get(self.at).ok_or(ShareError::Truncated)?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, ShareError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= ((b & 0x7f) as u64) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(ShareError::Malformed("a number is too long"))
    }

    /// A count of entries that each need at least one more byte: bounded by what is left.
    fn count(&mut self) -> Result<usize, ShareError> {
        let n = self.varint()?;
        if n > (self.bytes.len() - self.at) as u64 {
            return Err(ShareError::Truncated);
        }
        Ok(n as usize)
    }
}

fn code_of(r: &SharedRating) -> Option<u8> {
    let (lo, hi, scaled) = match r.scale {
        Scale::Stars => (1.0, 10.0, r.value * 2.0),
        Scale::Ten => (1.0, 10.0, r.value),
    };
    let c = scaled.round();
    if !(lo..=hi).contains(&c) || (scaled - c).abs() > 1e-3 {
        return None;
    }
    Some(c as u8 + if r.scale == Scale::Ten { 10 } else { 0 })
}

fn rating_of(code: u8) -> Result<(f32, Scale), ShareError> {
    match code {
        1..=10 => Ok((code as f32 / 2.0, Scale::Stars)),
        11..=20 => Ok(((code - 10) as f32, Scale::Ten)),
        _ => Err(ShareError::Malformed("a rating is out of range")),
    }
}

/// Encodes ratings (any order; off-scale values are left out) as the text after `#share=`.
pub fn encode(ratings: &[SharedRating]) -> String {
    let plain = plain_payload(ratings);
    let deflated = crate::deflate::deflate(&plain[1..]);
    link_data(plain, Some(deflated))
}

/// The link's payload before compression: the plain version byte, then the body. The page
/// deflates the body with the browser's `CompressionStream` (no deflater in its wasm) and hands
/// both to [`link_data`]; [`encode`] does the same with the engine's deflater.
pub fn plain_payload(ratings: &[SharedRating]) -> Vec<u8> {
    let mut ml: Vec<(u32, u8)> = Vec::new();
    let mut imdb: Vec<(u32, u8)> = Vec::new();
    let mut other: Vec<(String, u16, u32, u8)> = Vec::new();
    for r in ratings {
        let Some(code) = code_of(r) else { continue };
        match &r.item {
            StableId::Movielens(id) => ml.push((*id, code)),
            StableId::Imdb(t) => match crate::ids::parse_tconst(t) {
                Some(n) => imdb.push((n, code)),
                None => other.push((t.clone(), 0, 0, code)),
            },
            StableId::Unmatched {
                title,
                year,
                source,
            } => {
                let mut t = title.clone();
                if t.len() > MAX_TITLE {
                    let mut cut = MAX_TITLE;
                    while !t.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    t.truncate(cut);
                }
                let imdb = source
                    .strip_prefix("imdb:")
                    .and_then(crate::ids::parse_tconst)
                    .unwrap_or(0);
                other.push((t, year.unwrap_or(0), imdb, code))
            }
        }
    }
    ml.sort_unstable();
    ml.dedup_by_key(|e| e.0);
    imdb.sort_unstable();
    imdb.dedup_by_key(|e| e.0);
    let mut out = vec![PLAIN];
    let mut codes = Vec::new();
    for ids in [&ml, &imdb] {
        put_varint(&mut out, ids.len() as u64);
        let mut prev = 0u32;
        for &(id, code) in ids.iter() {
            put_varint(&mut out, (id - prev) as u64);
            prev = id;
            codes.push(code);
        }
    }
    put_varint(&mut out, other.len() as u64);
    for (title, year, imdb, code) in &other {
        put_varint(&mut out, title.len() as u64);
        out.extend_from_slice(title.as_bytes());
        put_varint(&mut out, *year as u64);
        put_varint(&mut out, *imdb as u64);
        codes.push(*code);
    }
    out.extend_from_slice(&codes);
    out
}

/// The text after `#share=` for a [`plain_payload`] and, when given, its body as a raw deflate
/// stream (RFC 1951; any deflater's): whichever is shorter, with its CRC-32, in base64url.
pub fn link_data(plain: Vec<u8>, deflated_body: Option<Vec<u8>>) -> String {
    let mut out = plain;
    if let Some(body) = deflated_body.filter(|d| d.len() + 1 < out.len()) {
        out = Vec::with_capacity(body.len() + 5);
        out.push(DEFLATED);
        out.extend_from_slice(&body);
    }
    let crc = crate::deflate::crc32(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    URL_SAFE_NO_PAD.encode(out)
}

/// The profile shared ratings make, every rating stamped `at`: what the visitor sees
/// read-only and what "Merge into mine" merges by the profile's one merge rule
/// ([`Profile::merge_from`]).
pub fn profile_of(ratings: &[SharedRating], at: i64) -> Profile {
    let mut p = Profile::default();
    for r in ratings {
        p.rate(r.item.clone(), r.value, r.scale, at);
    }
    p
}

/// The ratings in force of a profile, as a link carries them (most recent first).
pub fn ratings_of(profile: &Profile) -> Vec<SharedRating> {
    profile
        .ratings()
        .into_iter()
        .map(|r| SharedRating {
            item: r.item,
            value: r.value,
            scale: r.scale,
        })
        .collect()
}

/// The ratings of a profile in force, encoded (see [`encode`]).
pub fn encode_profile(profile: &Profile) -> String {
    encode(&ratings_of(profile))
}

/// Decodes the text after `#share=` (a whole fragment or URL is accepted too).
pub fn decode(link: &str) -> Result<Vec<SharedRating>, ShareError> {
    match unpack(link)? {
        Packed::Plain(body) => read_plain(&body),
        Packed::Deflated(stream) => read_plain(&inflated(crate::deflate::inflate(
            &stream,
            MAX_INFLATED as usize,
        ))?),
    }
}

/// A link's payload, checked (base64, CRC-32, version) but not yet read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Packed {
    /// The plain payload (its version byte first): [`read_plain`] reads it.
    Plain(Vec<u8>),
    /// The body as a raw deflate stream: inflate it (at most [`MAX_INFLATED`] bytes), then
    /// [`inflated`] and [`read_plain`]. The page inflates with the browser's
    /// `DecompressionStream`, so its wasm carries no inflater; [`decode`] uses the engine's.
    Deflated(Vec<u8>),
}

/// The text after `#share=` (or a whole fragment or URL), checked and unpacked.
pub fn unpack(link: &str) -> Result<Packed, ShareError> {
    let data = match link.find(FRAGMENT_KEY) {
        Some(at) => &link[at + FRAGMENT_KEY.len()..],
        None => link,
    };
    let data = data.split(['&', '#']).next().unwrap_or("").trim();
    if data.is_empty() || data.len() > MAX_LINK {
        return Err(ShareError::NotALink);
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|_| ShareError::Encoding)?;
    if bytes.len() < 5 {
        return Err(ShareError::Truncated);
    }
    let (body, crc) = bytes.split_at(bytes.len() - 4);
    let version = body[0];
    if crate::deflate::crc32(body) != u32::from_le_bytes(crc.try_into().expect("4 bytes")) {
        return Err(if version > SHARE_VERSION {
            ShareError::FutureVersion(version)
        } else {
            ShareError::Checksum
        });
    }
    match version {
        PLAIN_V1 | PLAIN => Ok(Packed::Plain(body.to_vec())),
        DEFLATED => Ok(Packed::Deflated(body[1..].to_vec())),
        v if v > SHARE_VERSION => Err(ShareError::FutureVersion(v)),
        _ => Err(ShareError::Malformed("unknown format")),
    }
}

/// The plain payload of a deflated link, from the inflater's result (any raw-deflate
/// inflater's, refusing more than [`MAX_INFLATED`] bytes).
pub fn inflated(body: Result<Vec<u8>, InflateError>) -> Result<Vec<u8>, ShareError> {
    let body = body.map_err(|e| match e {
        InflateError::TooLarge => ShareError::Malformed("the compressed data is too large"),
        InflateError::Damaged => ShareError::Malformed("the compressed data is damaged"),
    })?;
    if body.len() > MAX_INFLATED as usize {
        return Err(ShareError::Malformed("the compressed data is too large"));
    }
    let mut plain = Vec::with_capacity(body.len() + 1);
    plain.push(PLAIN);
    plain.extend(body);
    Ok(plain)
}

/// The ratings in a plain payload (from [`unpack`] or [`inflated`]).
pub fn read_plain(body: &[u8]) -> Result<Vec<SharedRating>, ShareError> {
    let Some(&version) = body.first() else {
        return Err(ShareError::Truncated);
    };
    let mut r = Reader { bytes: body, at: 1 };
    let mut ids: Vec<StableId> = Vec::new();
    for kind in 0..2 {
        let n = r.count()?;
        let mut id = 0u64;
        for _ in 0..n {
            id = id
                .checked_add(r.varint()?)
                .ok_or(ShareError::Malformed("an id is too large"))?;
            let id32 =
                u32::try_from(id).map_err(|_| ShareError::Malformed("an id is too large"))?;
            ids.push(if kind == 0 {
                StableId::Movielens(id32)
            } else {
                StableId::Imdb(crate::ids::format_tconst(id32))
            });
        }
    }
    let n = r.count()?;
    for _ in 0..n {
        let len = r.count()?;
        let title = std::str::from_utf8(&body[r.at..r.at + len])
            .map_err(|_| ShareError::Malformed("a title is not text"))?
            .to_string();
        r.at += len;
        let year = u16::try_from(r.varint()?)
            .map_err(|_| ShareError::Malformed("a year is out of range"))?;
        let imdb = if version == PLAIN_V1 {
            0
        } else {
            u32::try_from(r.varint()?).map_err(|_| ShareError::Malformed("an id is too large"))?
        };
        ids.push(StableId::Unmatched {
            title,
            year: (year != 0).then_some(year),
            source: if imdb == 0 {
                "share link".into()
            } else {
                format!("imdb:{}", crate::ids::format_tconst(imdb))
            },
        });
    }
    if body.len() - r.at != ids.len() {
        return Err(ShareError::Malformed("ratings and movies do not pair up"));
    }
    ids.into_iter()
        .zip(&body[r.at..])
        .map(|(item, &code)| {
            let (value, scale) = rating_of(code)?;
            Ok(SharedRating { item, value, scale })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    fn sample(n: usize, seed: u64) -> Vec<SharedRating> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        while out.len() < n {
            let id = rng.random_range(1..210_000u32);
            if seen.insert(id) {
                out.push(SharedRating {
                    item: StableId::Movielens(id),
                    value: rng.random_range(1..=10) as f32 / 2.0,
                    scale: Scale::Stars,
                });
            }
        }
        out
    }

    fn sorted(mut v: Vec<SharedRating>) -> Vec<SharedRating> {
        v.sort_by_key(|r| format!("{:?}", r.item));
        v
    }

    /// The page deflates with the browser's `CompressionStream`, not the engine's deflater:
    /// another deflater's stream (flate2's, at another level) makes a link that decodes to
    /// the same ratings; a deflate that does not pay, or none, leaves the link plain.
    #[test]
    fn any_deflaters_stream_makes_a_link() {
        use std::io::Write;
        let ratings = sample(300, 7);
        let plain = plain_payload(&ratings);
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
        z.write_all(&plain[1..]).unwrap();
        let other = link_data(plain.clone(), Some(z.finish().unwrap()));
        assert_ne!(other, encode(&ratings), "another deflater, other bytes");
        assert_eq!(sorted(decode(&other).unwrap()), sorted(ratings.clone()));
        let none = link_data(plain.clone(), None);
        assert_eq!(URL_SAFE_NO_PAD.decode(&none).unwrap()[0], PLAIN);
        assert_eq!(sorted(decode(&none).unwrap()), sorted(ratings));
        let worse = link_data(plain.clone(), Some(vec![0; plain.len()]));
        assert_eq!(worse, none);
    }

    /// The goal is 50 ratings in ≤ 250 characters; 10 and 200 are printed for the record
    /// (`cargo test share_link_sizes -- --nocapture`).
    #[test]
    fn share_link_sizes_and_round_trip() {
        for n in [10, 50, 200] {
            let mut longest = 0;
            for seed in 0..20 {
                let ratings = sample(n, seed);
                let link = encode(&ratings);
                longest = longest.max(link.len());
                if n == 50 {
                    assert!(link.len() <= 250, "{} characters", link.len());
                }
                assert_eq!(sorted(decode(&link).unwrap()), sorted(ratings));
            }
            println!("share_link_chars ratings={n} max={longest}");
            // Deflate pays only for long lists; short ones stay plain (links made before deflate
            // existed are plain, and still decode).
            let version = URL_SAFE_NO_PAD.decode(encode(&sample(n, 0))).unwrap()[0];
            assert_eq!(
                version,
                if n >= 200 { DEFLATED } else { PLAIN },
                "{n} ratings"
            );
        }
    }

    #[test]
    fn every_kind_of_id_and_scale_round_trips() {
        let ratings = vec![
            SharedRating {
                item: StableId::Movielens(2571),
                value: 4.5,
                scale: Scale::Stars,
            },
            SharedRating {
                item: StableId::Imdb("tt0133093".into()),
                value: 9.0,
                scale: Scale::Ten,
            },
            SharedRating {
                item: StableId::Unmatched {
                    title: "Amélie 2 — Le Retour".into(),
                    year: Some(2031),
                    source: "share link".into(),
                },
                value: 0.5,
                scale: Scale::Stars,
            },
            SharedRating {
                item: StableId::Unmatched {
                    title: "No Year".into(),
                    year: None,
                    source: "share link".into(),
                },
                value: 1.0,
                scale: Scale::Ten,
            },
            // Imported from IMDb, not in the catalogue: title and id both travel.
            SharedRating {
                item: StableId::Unmatched {
                    title: "Oppenheimer".into(),
                    year: Some(2023),
                    source: "imdb:tt15398776".into(),
                },
                value: 9.0,
                scale: Scale::Ten,
            },
        ];
        let link = encode(&ratings);
        assert_eq!(sorted(decode(&link).unwrap()), sorted(ratings.clone()));
        // The whole URL, or the fragment, decode the same.
        let url = format!("https://example.org/app/#share={link}");
        assert_eq!(sorted(decode(&url).unwrap()), sorted(ratings));
    }

    /// Links made in format 1 (no IMDb number on unmatched entries) still open.
    #[test]
    fn version_one_links_still_decode() {
        let mut body = vec![PLAIN_V1];
        body.extend_from_slice(&[1, 100, 0, 1, 3]); // MovieLens 100; no IMDb; one title
        body.extend_from_slice(b"Old");
        body.push(0); // no year
        body.extend_from_slice(&[10, 4]); // 5 stars, 2 stars
        body.extend_from_slice(&crate::deflate::crc32(&body).to_le_bytes());
        let got = decode(&URL_SAFE_NO_PAD.encode(&body)).unwrap();
        assert_eq!(
            got,
            vec![
                SharedRating {
                    item: StableId::Movielens(100),
                    value: 5.0,
                    scale: Scale::Stars
                },
                SharedRating {
                    item: StableId::Unmatched {
                        title: "Old".into(),
                        year: None,
                        source: "share link".into()
                    },
                    value: 2.0,
                    scale: Scale::Stars
                },
            ]
        );
    }

    #[test]
    fn tampered_truncated_and_foreign_links_are_errors() {
        let link = encode(&sample(10, 1));
        let mut bytes = URL_SAFE_NO_PAD.decode(&link).unwrap();
        bytes[3] ^= 1;
        assert_eq!(
            decode(&URL_SAFE_NO_PAD.encode(&bytes)),
            Err(ShareError::Checksum)
        );
        assert!(matches!(
            decode(&link[..link.len() - 6]),
            Err(ShareError::Checksum | ShareError::Truncated | ShareError::Encoding)
        ));
        assert_eq!(decode("#share="), Err(ShareError::NotALink));
        assert_eq!(decode("#share=***"), Err(ShareError::Encoding));
        assert_eq!(
            decode("https://example.org/#other=AAAA"),
            Err(ShareError::Encoding)
        );
        // A deflated link that inflates beyond any real profile: refused.
        let mut bomb = vec![DEFLATED];
        bomb.extend_from_slice(&crate::deflate::deflate(&vec![
            0u8;
            2 * MAX_INFLATED as usize
        ]));
        bomb.extend_from_slice(&crate::deflate::crc32(&bomb).to_le_bytes());
        assert_eq!(
            decode(&URL_SAFE_NO_PAD.encode(&bomb)),
            Err(ShareError::Malformed("the compressed data is too large"))
        );
        // A newer format: refused, not misread.
        let mut body = vec![9u8, 0, 0, 0];
        body.extend_from_slice(&crate::deflate::crc32(&body).to_le_bytes());
        assert_eq!(
            decode(&URL_SAFE_NO_PAD.encode(&body)),
            Err(ShareError::FutureVersion(9))
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Any text: an error or ratings, never a panic.
        #[test]
        fn decoding_never_panics(s in ".{0,300}") {
            let _ = decode(&s);
        }

        /// Any bytes with a valid checksum and version (what survives the checksum): no panic.
        #[test]
        fn checksummed_garbage_never_panics(
            mut body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            version in PLAIN_V1..=DEFLATED,
        ) {
            body.insert(0, version);
            body.extend_from_slice(&crate::deflate::crc32(&body).to_le_bytes());
            let _ = decode(&URL_SAFE_NO_PAD.encode(&body));
        }

        #[test]
        fn round_trip(ids in proptest::collection::btree_map(1u32..5_000_000, 1u8..=20, 0..80)) {
            let ratings: Vec<SharedRating> = ids
                .iter()
                .map(|(&id, &code)| {
                    let (value, scale) = rating_of(code).unwrap();
                    SharedRating { item: StableId::Movielens(id), value, scale }
                })
                .collect();
            proptest::prop_assert_eq!(sorted(decode(&encode(&ratings)).unwrap()), sorted(ratings));
        }
    }
}
