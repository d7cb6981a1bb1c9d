//! The bundle as the site ships it: gzip (RFC 1952) around the framed file. Inflated in the
//! engine (`crate::deflate`, pure Rust), so a host needs no setting and every reader (app, pkg,
//! `tools --bundle`) takes either form.

use super::BundleError;
use crate::deflate::{crc32, deflate, inflate, InflateError};

/// The first two bytes of every gzip member.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Header flags (RFC 1952 §2.3.1).
const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;

/// `bytes` gzipped at the best level, as the site's build ships a bundle (for tools and tests:
/// the app never compresses). No file name or time in the header: the same bytes always.
pub fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff];
    out.extend_from_slice(&deflate(bytes));
    out.extend_from_slice(&crc32(bytes).to_le_bytes());
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out
}

/// `Some(inflated bytes)` if `bytes` is gzip, `None` if it is not. Refuses a damaged or
/// truncated stream and one that inflates beyond `limit` bytes (a decompression bomb), with a
/// message saying which. One member, as every gzip tool writes a single file.
pub fn inflate_if_gzip(bytes: &[u8], limit: usize) -> Result<Option<Vec<u8>>, BundleError> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(None);
    }
    let damaged =
        |why: &str| BundleError::Malformed(format!("the compressed bundle is damaged ({why})"));
    let (stream, trailer) = member(bytes).ok_or_else(|| damaged("cut short"))?;
    let out = inflate(stream, limit).map_err(|e| match e {
        InflateError::TooLarge => BundleError::Malformed(format!(
            "the compressed bundle inflates beyond {limit} bytes"
        )),
        InflateError::Damaged => damaged("the deflate stream is corrupt or incomplete"),
    })?;
    let want_crc = u32::from_le_bytes(trailer[..4].try_into().expect("4 bytes"));
    let want_len = u32::from_le_bytes(trailer[4..].try_into().expect("4 bytes"));
    if crc32(&out) != want_crc || out.len() as u32 != want_len {
        return Err(damaged("checksum mismatch"));
    }
    Ok(Some(out))
}

/// A gzip member's deflate stream and its 8-byte trailer, past the header's optional fields;
/// `None` if the member is cut short or not deflate.
fn member(b: &[u8]) -> Option<(&[u8], &[u8])> {
    if b.len() < 18 || b[2] != 8 {
        return None;
    }
    let flags = b[3];
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let len = u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]) as usize;
        at += 2 + len;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            at += b.get(at..)?.iter().position(|&c| c == 0)? + 1;
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    let end = b.len().checked_sub(8)?;
    Some((b.get(at..end)?, &b[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::random_bundle;
    use crate::Bundle;

    use super::compress as gzip;

    #[test]
    fn a_gzipped_bundle_decodes_to_the_same_bundle() {
        let raw = random_bundle(7, 40, 3, 30).encode();
        let packed = gzip(&raw);
        assert!(packed.len() < raw.len());
        assert_eq!(
            Bundle::decode(&packed).unwrap(),
            Bundle::decode(&raw).unwrap()
        );
        assert_eq!(inflate_if_gzip(&raw, usize::MAX).unwrap(), None);
        // Decode's first step on its own gives the raw bundle back.
        assert_eq!(Bundle::inflate(&packed).unwrap().as_deref(), Some(&raw[..]));
        assert_eq!(Bundle::inflate(&raw).unwrap(), None);
    }

    #[test]
    fn damaged_truncated_or_oversized_streams_are_refused_with_a_message() {
        let packed = gzip(&random_bundle(7, 40, 3, 30).encode());
        let truncated = &packed[..packed.len() / 2];
        let err = Bundle::decode(truncated).unwrap_err();
        assert!(
            err.to_string().contains("compressed bundle is damaged"),
            "{err}"
        );
        let mut flipped = packed.clone();
        let mid = flipped.len() / 2;
        flipped[mid] ^= 0x55;
        assert!(Bundle::decode(&flipped).is_err());
        let err = inflate_if_gzip(&packed, 100).unwrap_err();
        assert!(
            err.to_string().contains("inflates beyond 100 bytes"),
            "{err}"
        );
        // A gzipped file that is not a bundle is the usual "not a bundle".
        assert_eq!(
            Bundle::decode(&gzip(b"hello")).unwrap_err(),
            BundleError::BadMagic
        );
    }
}
