//! Property tests: no byte string or text crashes the engine's decoders (`cargo bench --bench
//! fuzz` runs millions of cases; these run in CI at proptest's default 256 cases each).
#![cfg(not(target_arch = "wasm32"))]

use moviematch::bundle::gzip::compress as gzip;
use moviematch::import::parse_imdb_ratings;
use moviematch::title::{match_key, parse_title};
use moviematch::{Bundle, Profile};
use proptest::prelude::*;

proptest! {
    #[test]
    fn bundle_decode_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = Bundle::decode(&bytes);
        let mut framed = b"MMBUNDLE\x01\x00".to_vec();
        framed.extend_from_slice(&bytes);
        let _ = Bundle::decode(&framed);
        // The gzipped form the site ships: a damaged stream, and a sound stream of damage.
        let mut gz = vec![0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0xff];
        gz.extend_from_slice(&bytes);
        let _ = Bundle::decode(&gz);
        let _ = Bundle::decode(&gzip(&framed));
    }

    #[test]
    fn profile_load_never_panics(text in ".{0,200}") {
        let _ = Profile::from_json(&text);
        let _ = Profile::from_json(&format!(r#"{{"version":1,"events":[{text}]}}"#));
    }

    #[test]
    fn titles_never_panic_and_display_is_never_empty(raw in "[ -~À-ÿ–()]{1,60}") {
        let p = parse_title(&raw);
        prop_assert!(!p.display.is_empty() || raw.trim().is_empty());
        let _ = match_key(&raw);
    }

    #[test]
    fn imdb_import_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut csv = b"Const,Your Rating\n".to_vec();
        csv.extend_from_slice(&bytes);
        let _ = parse_imdb_ratings(&csv);
        let _ = parse_imdb_ratings(&bytes);
    }
}
