//! The bundle as the site ships it: gzip (RFC 1952) around the framed file. Inflated in the
//! engine with the pure-Rust deflate decoder the Letterboxd zip import already links, so a host
//! needs no setting and every reader (app, pkg, `tools --bundle`) takes either form.

use std::io::Read;

use flate2::read::GzDecoder;

use super::BundleError;

/// The first two bytes of every gzip member.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// `bytes` gzipped at the best level, as the site's build ships a bundle (for tools and tests:
/// the app never compresses).
pub fn compress(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).expect("writing to memory cannot fail");
    e.finish().expect("writing to memory cannot fail")
}

/// `Some(inflated bytes)` if `bytes` is gzip, `None` if it is not. Refuses a damaged or
/// truncated stream and one that inflates beyond `limit` bytes (a decompression bomb), with a
/// message saying which.
pub fn inflate_if_gzip(bytes: &[u8], limit: usize) -> Result<Option<Vec<u8>>, BundleError> {
    if !bytes.starts_with(&GZIP_MAGIC) {
        return Ok(None);
    }
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(2).min(limit));
    GzDecoder::new(bytes)
        .take(limit as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| BundleError::Malformed(format!("the compressed bundle is damaged ({e})")))?;
    if out.len() > limit {
        return Err(BundleError::Malformed(format!(
            "the compressed bundle inflates beyond {limit} bytes"
        )));
    }
    Ok(Some(out))
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
