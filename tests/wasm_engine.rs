//! The engine running as WebAssembly inside headless Chromium (wasm-bindgen-test).
//!
//! The native unit tests already check the math; these check that the same code behaves the
//! same once compiled to wasm32 and run by a real browser's wasm engine: bincode framing and
//! checksums, the Cholesky-based posterior, ranking and search.
//!
//! Run with `scripts/test.sh`, or by hand:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm_engine`
//! (`.cargo/config.toml` makes `wasm-bindgen-test-runner` the runner, `webdriver.json` adds the
//! Chromium flags). The cfg gate below makes a host `cargo test` compile this file to nothing.
#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;

use moviematch::fixture::{self, FixtureMovie};
use moviematch::{recommend, Bundle, BundleError, Model, Observation, Posterior, RankOptions};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Genre bits of the synthetic bundle (index into `genre_names`).
const ACTION: u32 = 1 << 0;
const COMEDY: u32 = 1 << 1;
const DRAMA: u32 = 1 << 2;

/// A small valid bundle with two clear "tastes": items 0–3 load on factor 0 (action films),
/// items 4–7 on factor 1 (comedies). Equal biases and small, equal uncertainty: only the
/// visitor's taste orders the list.
fn synthetic_bundle() -> Bundle {
    // (MovieLens-style title, year, genres, factor row)
    let movies: [(&'static str, u16, u32, [f32; 2]); 8] = [
        ("Matrix, The (1999)", 1999, ACTION, [1.0, 0.0]),
        ("Heat (1995)", 1995, ACTION | DRAMA, [0.9, 0.1]),
        ("Speed (1994)", 1994, ACTION, [0.8, -0.1]),
        ("Die Hard (1988)", 1988, ACTION, [0.95, 0.05]),
        ("Airplane! (1980)", 1980, COMEDY, [0.0, 1.0]),
        ("Groundhog Day (1993)", 1993, COMEDY | DRAMA, [0.1, 0.9]),
        ("Clueless (1995)", 1995, COMEDY, [-0.1, 0.8]),
        ("Office Space (1999)", 1999, COMEDY, [0.05, 0.95]),
    ];
    let movies: Vec<FixtureMovie> = movies
        .iter()
        .enumerate()
        .map(|(i, &(title, year, genres, factors))| FixtureMovie {
            movie_id: i as u32 + 1,
            imdb_id: 100_000 + i as u32,
            title,
            year,
            genres,
            ml_count: 100,
            imdb_rating_x10: 75,
            imdb_votes: 10_000,
            factors: factors.to_vec(),
            bias: 0.0,
            bias_sd: 0.05,
        })
        .collect();
    fixture::bundle(&["Action", "Comedy", "Drama"], &movies)
}

/// The model as the app gets it: encoded, then decoded from bytes.
fn decoded_model() -> Model {
    let bytes = synthetic_bundle().encode();
    Model::from_bytes(&bytes).expect("a freshly encoded bundle decodes")
}

fn top_items(model: &Model, obs: &[Observation], opts: &RankOptions) -> Vec<usize> {
    let post = Posterior::fit(model, obs).expect("posterior is positive definite");
    let exclude: HashSet<usize> = obs.iter().map(|o| o.item).collect();
    recommend(
        model,
        &moviematch::rank::Taste::explicit(&post),
        &exclude,
        opts,
    )
    .into_iter()
    .map(|r| r.item)
    .collect()
}

#[wasm_bindgen_test]
fn bundle_round_trips_in_the_browser() {
    let bundle = synthetic_bundle();
    let bytes = bundle.encode();
    assert_eq!(Bundle::decode(&bytes).expect("decodes"), bundle);
    assert_eq!(
        Bundle::payload_checksum(&bytes),
        Bundle::payload_checksum(&synthetic_bundle().encode()),
        "encoding is deterministic"
    );
}

#[wasm_bindgen_test]
fn damaged_bundles_are_errors_not_panics() {
    let bytes = synthetic_bundle().encode();
    // Every truncation (a half-downloaded model.bin) is reported as such.
    for cut in [0, 4, 8, 21, 22, bytes.len() / 2, bytes.len() - 1] {
        let err = Bundle::decode(&bytes[..cut]).unwrap_err();
        assert!(
            matches!(err, BundleError::Truncated { .. } | BundleError::BadMagic),
            "cut at {cut}: {err:?}"
        );
    }
    // An HTML error page served instead of the model.
    assert_eq!(
        Bundle::decode(b"<!DOCTYPE html><html>404</html>"),
        Err(BundleError::BadMagic)
    );
    // A flipped payload byte fails the checksum.
    let mut bad = bytes.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x5a;
    assert_eq!(Bundle::decode(&bad), Err(BundleError::ChecksumMismatch));
    assert!(Model::from_bytes(&bytes[..bytes.len() - 3]).is_err());
}

#[wasm_bindgen_test]
fn rating_a_movie_high_raises_similar_movies() {
    let model = decoded_model();
    assert_eq!(model.len(), 8);
    let prior = Posterior::prior(&model).unwrap().predict_all(&model);
    // Love The Matrix (item 0, action).
    let obs = [Observation {
        item: 0,
        rating: 5.0,
    }];
    let post = Posterior::fit(&model, &obs).unwrap().predict_all(&model);
    let gain = |i: usize| post.mean[i] - prior.mean[i];
    for action in 1..4 {
        for comedy in 4..8 {
            assert!(
                gain(action) > gain(comedy),
                "action item {action} gained {} but comedy item {comedy} gained {}",
                gain(action),
                gain(comedy)
            );
        }
    }
    // One more rating means less uncertainty about the rated movie.
    assert!(post.epistemic_var[0] < prior.epistemic_var[0]);
}

#[wasm_bindgen_test]
fn recommendations_follow_taste_and_exclude_rated() {
    let model = decoded_model();
    let opts = RankOptions {
        top: 3,
        genres: 0,
        ..RankOptions::default()
    };
    let action_fan = [
        Observation {
            item: 0,
            rating: 5.0,
        },
        Observation {
            item: 4,
            rating: 1.0,
        },
    ];
    let top = top_items(&model, &action_fan, &opts);
    assert_eq!(top.len(), 3);
    assert!(
        top.iter().all(|i| (1..4).contains(i)),
        "an action fan gets the other action films first: {top:?}"
    );
    let comedy_fan = [
        Observation {
            item: 0,
            rating: 1.0,
        },
        Observation {
            item: 4,
            rating: 5.0,
        },
    ];
    let top = top_items(&model, &comedy_fan, &opts);
    assert!(
        top.iter().all(|i| (5..8).contains(i)),
        "a comedy fan gets the other comedies first: {top:?}"
    );
    // Rated movies never come back, whatever the list length; every other film is listed
    // unless predicted below the list's 3★ floor (the action films, for a comedy fan).
    let all = top_items(
        &model,
        &comedy_fan,
        &RankOptions {
            top: 100,
            ..opts.clone()
        },
    );
    let post = Posterior::fit(&model, &comedy_fan).unwrap();
    let above: Vec<usize> = (0..model.len())
        .filter(|&i| i != 0 && i != 4 && moviematch::rank::above_floor(&model, &post, i))
        .collect();
    assert!((5..8).all(|i| above.contains(&i)), "{above:?}");
    assert!(
        above.len() < model.len() - 2,
        "the floor keeps some action film out"
    );
    let mut listed = all.clone();
    listed.sort_unstable();
    assert_eq!(listed, above);
    assert!(!all.contains(&0) && !all.contains(&4));
}

#[wasm_bindgen_test]
fn genre_filter_and_search_work() {
    let model = decoded_model();
    let comedy = model.genre_mask("comedy").expect("Comedy is a genre");
    let top = top_items(
        &model,
        &[],
        &RankOptions {
            top: 20,
            genres: comedy,
            ..RankOptions::default()
        },
    );
    assert_eq!(
        top.iter().copied().collect::<HashSet<_>>(),
        (4..8).collect::<HashSet<_>>()
    );
    let hits = model.search("matrix", 5);
    assert_eq!(hits.first(), Some(&0), "search finds The Matrix: {hits:?}");
    assert_eq!(model.movie(0).title, "The Matrix");
    assert_eq!(model.movie(0).year, Some(1999));
}
