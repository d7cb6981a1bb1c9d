//! Deflate and CRC-32 for the engine's three compressed formats (the gzipped bundle, deflated
//! share links, zip entries), straight on miniz_oxide and `crc`.
//!
//! Why not flate2 and crc32fast: flate2's readers and writers add code, and crc32fast's
//! slice-by-16 table alone is 16 KB of wasm that no gzip squeezes (random bytes). `crc`'s
//! one-table CRC is 1 KB; it costs ~25 ms more on the 4 MB whole bundle in wasm (measured by
//! the wasm bench), all of it while the tail loads in the background.

use crc::{Crc, CRC_32_ISO_HDLC};

/// CRC-32 as zip, gzip and the bundle frame use it (IEEE 802.3, reflected; `crc32fast::hash`).
const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// The CRC-32 of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    CRC32.checksum(bytes)
}

/// `bytes` as a raw deflate stream (RFC 1951) at the best level.
pub fn deflate(bytes: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec(bytes, 9)
}

/// Why a deflate stream could not be inflated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InflateError {
    /// It would inflate beyond the limit given.
    TooLarge,
    /// The stream is damaged or cut short.
    Damaged,
}

/// A raw deflate stream inflated, refusing more than `limit` bytes of output.
pub fn inflate(stream: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    use miniz_oxide::inflate::TINFLStatus;
    miniz_oxide::inflate::decompress_to_vec_with_limit(stream, limit).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => InflateError::TooLarge,
        _ => InflateError::Damaged,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_is_the_ieee_checksum() {
        // The standard check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn deflate_round_trips_and_inflate_refuses_bombs_and_damage() {
        let text: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        let packed = deflate(&text);
        assert!(packed.len() < text.len() / 10);
        assert_eq!(inflate(&packed, text.len()).unwrap(), text);
        assert_eq!(
            inflate(&packed, text.len() - 1),
            Err(InflateError::TooLarge)
        );
        assert_eq!(
            inflate(&packed[..packed.len() / 2], usize::MAX),
            Err(InflateError::Damaged)
        );
        assert_eq!(inflate(&[0xff; 16], usize::MAX), Err(InflateError::Damaged));
    }
}
