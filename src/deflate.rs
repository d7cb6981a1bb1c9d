//! Deflate and CRC-32 for the engine's three compressed formats (the gzipped bundle, deflated
//! share links, zip entries), straight on miniz_oxide and `crc` (CRC-32 in
//! `moviematch_math::checksum`, built for speed).
//!
//! Why not flate2: its readers and writers add code.

pub use moviematch_math::checksum::crc32;

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
