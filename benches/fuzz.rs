//! Property-based fuzzing of everything that reads untrusted input: the bundle decoder, the
//! share-link decoder, the profile loader and the import path (IMDb CSV, Letterboxd CSV and the
//! Letterboxd export zip, each through `plan_import` and `apply`). cargo-fuzz needs a nightly
//! toolchain that cannot be fetched here, so this drives proptest's runner with millions of
//! cases: arbitrary inputs and mutations (flipped, dropped, inserted bytes) of valid ones. Each
//! decoder must return a typed error or a value, never panic. Run outside CI:
//! `FUZZ_CASES=250000 cargo bench --bench fuzz` (cases per target; 6 targets). Any crash found
//! gets a regression test next to the decoder.

use moviematch::bundle::Bundle;
use moviematch::fixture::{bundle as fixture_bundle, random_bundle, FixtureMovie};
use moviematch::import_plan::{plan_import, ImportMode};
use moviematch::profile::{Profile, Scale, StableId};
use moviematch::share;
use moviematch::Model;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// A valid input with `edits` random byte edits: (position, op, byte).
fn mutated(valid: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec((any::<prop::sample::Index>(), 0u8..3, any::<u8>()), 0..8).prop_map(
        move |edits| {
            let mut v = valid.clone();
            for (at, op, byte) in edits {
                if v.is_empty() {
                    v.push(byte);
                    continue;
                }
                let i = at.index(v.len());
                match op {
                    0 => v[i] ^= byte | 1,
                    1 => {
                        v.remove(i);
                    }
                    _ => v.insert(i, byte),
                }
            }
            v
        },
    )
}

/// The 22-byte frame of a bundle with this payload: magic, version, CRC-32, length.
fn bundle_frame(payload: &[u8]) -> Vec<u8> {
    let mut out = moviematch::bundle::MAGIC.to_vec();
    out.extend_from_slice(&moviematch::bundle::FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&moviematch::deflate::crc32(payload).to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out
}

fn run<T: std::fmt::Debug>(
    name: &str,
    cases: u32,
    strategy: impl Strategy<Value = T>,
    f: impl Fn(T),
) {
    let started = std::time::Instant::now();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |input| {
        f(input);
        Ok(())
    });
    match result {
        Ok(()) => println!(
            "fuzz {name}: {cases} cases, no panic ({:.1} s)",
            started.elapsed().as_secs_f64()
        ),
        Err(e) => {
            println!("fuzz {name}: FAILED: {e}");
            std::process::exit(1);
        }
    }
}

fn main() {
    let cases: u32 = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250_000);
    let bundle = random_bundle(1, 40, 3, 20).encode();
    // Mutated payloads behind a valid frame (checksum and length recomputed), so that bincode
    // and the consistency checks see the damage, not only the checksum.
    let payload = bundle[22..].to_vec();
    let reframed = mutated(payload).prop_map(|p| {
        let mut out = bundle_frame(&p);
        out.extend_from_slice(&p);
        out
    });
    run(
        "bundle decoder",
        cases,
        prop_oneof![
            mutated(bundle.clone()),
            reframed,
            proptest::collection::vec(any::<u8>(), 0..300)
        ],
        |bytes| {
            let _ = Bundle::decode(&bytes);
        },
    );
    let mut p = Profile::default();
    for (i, id) in [1u32, 2571, 318, 4993].iter().enumerate() {
        p.rate(
            StableId::Movielens(*id),
            1.0 + i as f32,
            Scale::Stars,
            i as i64,
        );
    }
    p.rate(StableId::Imdb("tt0133093".into()), 8.0, Scale::Ten, 9);
    let link = share::encode_profile(&p).into_bytes();
    run(
        "share-link decoder",
        cases,
        prop_oneof![
            mutated(link),
            proptest::collection::vec(any::<u8>(), 0..300)
        ],
        |bytes| {
            let _ = share::decode(&String::from_utf8_lossy(&bytes));
        },
    );
    let json = p.to_json().into_bytes();
    run(
        "profile loader",
        cases,
        prop_oneof![
            mutated(json),
            proptest::collection::vec(any::<u8>(), 0..300)
        ],
        |bytes| {
            let _ = Profile::from_json(&String::from_utf8_lossy(&bytes));
        },
    );
    // The import path end to end: detect, unzip, decode, parse, match titles, write a profile.
    // A catalogue with some of the fixtures' films (IMDb ids and titles), so rows do match.
    let films = [
        (2571, 133_093, "Matrix, The (1999)", 1999),
        (
            4973,
            211_915,
            "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
            2001,
        ),
        (
            3996,
            190_332,
            "Crouching Tiger, Hidden Dragon (Wo hu cang long) (2000)",
            2000,
        ),
        (1411, 116_477, "Hamlet (1996)", 1996),
        (3723, 99_726, "Hamlet (1990)", 1990),
        (27773, 364_569, "Old Boy (2003)", 2003),
    ];
    let movies: Vec<FixtureMovie> = films
        .iter()
        .map(|&(movie_id, imdb_id, title, year)| FixtureMovie {
            imdb_id,
            ..FixtureMovie::titled(movie_id, title, year)
        })
        .collect();
    let model = Model::from_bundle(fixture_bundle(&["Drama"], &movies));
    let import = |bytes: Vec<u8>| {
        if let Ok(plan) = plan_import(&model, &bytes) {
            let _ = plan.counts();
            plan.apply(&model, &mut Profile::default(), ImportMode::Merge, 0);
        }
    };
    let fixture = |name: &str| {
        std::fs::read(format!("tests/fixtures/imports/{name}"))
            .expect("run from the repository root")
    };
    run(
        "IMDb CSV import",
        cases,
        prop_oneof![
            mutated(fixture("imdb-current.csv")),
            mutated(fixture("imdb-older.csv")),
            mutated(fixture("imdb-windows-1252.csv")),
            proptest::collection::vec(any::<u8>(), 0..300)
        ],
        import,
    );
    run(
        "Letterboxd CSV import",
        cases,
        prop_oneof![
            mutated(fixture("letterboxd-ratings.csv")),
            proptest::collection::vec(any::<u8>(), 0..300)
        ],
        import,
    );
    run(
        "Letterboxd zip import",
        cases,
        prop_oneof![
            mutated(fixture("letterboxd-export.zip")),
            mutated(moviematch::fixture::zip_of(&[(
                "ratings.csv",
                &fixture("letterboxd-ratings.csv")
            )])),
        ],
        import,
    );
}
