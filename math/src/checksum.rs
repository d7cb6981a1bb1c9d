//! CRC-32 (IEEE 802.3, reflected: what zip, gzip and the bundle frame use), here because the
//! bundle's frame is checked over its whole payload (megabytes) while the model loads, and at
//! opt-level "z" the table loop is about twice as slow.
//!
//! `crc`'s one-table CRC: crc32fast's slice-by-16 table alone is 16 KB of wasm that no gzip
//! squeezes (random bytes).

use crc::{Crc, CRC_32_ISO_HDLC};

const CRC32: Crc<u32> = Crc::<u32>::new(&CRC_32_ISO_HDLC);

/// The CRC-32 of `bytes` (`crc32fast::hash`).
pub fn crc32(bytes: &[u8]) -> u32 {
    CRC32.checksum(bytes)
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
}
