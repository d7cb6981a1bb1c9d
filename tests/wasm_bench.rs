//! Speed of the engine's hot path as the browser runs it: scoring every movie of a catalogue
//! the size of the default bundle (62,709 movies, K = 32 factors, 24 features, residual
//! factors for ~10k of them) and picking the top 50, in headless Chromium.
//!
//! It asserts only correctness (the SIMD path is compiled in and agrees with the scalar one);
//! timings are printed, never asserted. Release wasm, as the site ships it:
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --release --target wasm32-unknown-unknown
//! --test wasm_bench -- --nocapture` (scripts/test.sh runs it and shows the medians).
#![cfg(target_arch = "wasm32")]

use std::collections::HashSet;

use moviematch::fixture;
use moviematch::implicit::Signal;
use moviematch::kernel;
use moviematch::rank::{recommend_with_stats, Taste};
use moviematch::{Model, Observation, Posterior, RankOptions};
use rand::{RngExt, SeedableRng};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const N: usize = 62_709;
const K: usize = 32;
const RATED: usize = 9_742;

#[wasm_bindgen]
extern "C" {
    /// `performance.now()`: sub-millisecond, though browsers coarsen it (to 0.1 ms in
    /// Chromium without cross-origin isolation), hence the batches below.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn now_ms() -> f64;
}

/// Runs per timed sample: one run is below the clock's resolution.
const BATCH: usize = 20;

/// A model of the default bundle's shape with random parameters.
/// The default bundle's shape: 62.7k movies, K = 32 explicit factors for 9.7k of them, and an
/// implicit model of 64 factors (as `tools train` ships it).
fn big_model() -> Model {
    let mut b = fixture::random_bundle(7, N, K, RATED);
    fixture::with_implicit(&mut b, 64, 7);
    Model::from_bundle(b)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[wasm_bindgen_test]
fn simd_kernel_is_compiled_in_and_matches_scalar() {
    assert!(
        kernel::simd_enabled(),
        "build with -C target-feature=+simd128 (.cargo/config.toml)"
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    for stride in [16, 32, 48, 64, 80] {
        for n in [0, 1, 2, 3, 4, 5, 17] {
            let rows: Vec<i8> = (0..n * stride)
                .map(|_| rng.random_range(-127..=127))
                .collect();
            let query: Vec<i16> = (0..stride)
                .map(|_| rng.random_range(-32767..=32767))
                .collect();
            let base: Vec<f32> = (0..n).map(|_| rng.random_range(0.0..5.0)).collect();
            let mut fast = vec![0.0; n];
            let mut slow = vec![0.0; n];
            kernel::affine_dot_rows(&rows, stride, &query, 3e-5, 0.25, &base, &mut fast);
            kernel::affine_dot_rows_scalar(&rows, stride, &query, 3e-5, 0.25, &base, &mut slow);
            assert_eq!(fast, slow, "stride {stride}, {n} rows");
            let pop: Vec<f32> = (0..n).map(|_| rng.random_range(-2.0..3.0)).collect();
            let var_scale: Vec<f32> = (0..n).map(|_| rng.random_range(0.0..1.0)).collect();
            let mut simd = base.clone();
            kernel::add_item_terms(&mut simd, &pop, &base, &var_scale, 0.3, 0.2, 1.5);
            let scalar: Vec<f32> = (0..n)
                .map(|i| base[i] + kernel::item_term(pop[i], base[i], var_scale[i], 0.3, 0.2, 1.5))
                .collect();
            assert_eq!(simd, scalar, "item terms, {n} movies");
            for t in [-1.0, 1.0, 2.5, 9.0] {
                let want = (1..n).find(|&i| simd[i] > t);
                assert_eq!(kernel::next_above(&simd, 1, t), want, "scan above {t}");
            }
        }
    }
}

#[wasm_bindgen_test]
fn score_catalogue_and_top_50() {
    let started = now_ms();
    let model = big_model();
    console_log!(
        "bench: model of {} movies built in {:.0} ms",
        model.len(),
        now_ms() - started
    );
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let offsets = model.offsets().as_slice().unwrap().to_vec();
    // Warm-up: let the browser's wasm tiers (Liftoff, then TurboFan) settle before timing.
    let warm = Posterior::prior(&model).unwrap();
    for _ in 0..300 {
        std::hint::black_box(recommend_with_stats(
            &model,
            &Taste::explicit(&warm),
            &HashSet::new(),
            &RankOptions::default(),
        ));
    }
    for n_obs in [0usize, 10, 50] {
        let obs: Vec<Observation> = (0..n_obs)
            .map(|_| Observation {
                item: rng.random_range(0..RATED),
                rating: rng.random_range(1..=10) as f32 / 2.0,
            })
            .collect();
        let post = Posterior::fit(&model, &obs).unwrap();
        // The list blends the implicit model's scores, from the same films as watched.
        let signals: Vec<Signal> = obs.iter().map(|o| Signal::watched(o.item)).collect();
        let implicit = model.implicit_taste(&signals).unwrap().unwrap();
        let taste = Taste {
            explicit: &post,
            implicit: Some(&implicit),
            answers: n_obs,
        };
        let z = post.mean().as_slice().unwrap().to_vec();
        // The kernel pass alone.
        let mut kernel_times = Vec::new();
        for _ in 0..31 {
            let t = now_ms();
            for _ in 0..BATCH {
                std::hint::black_box(model.scorer().means(&offsets, &z));
            }
            kernel_times.push((now_ms() - t) / BATCH as f64);
        }
        console_log!(
            "bench: {n_obs} ratings: means of {N} movies alone median {:.3} ms",
            median(kernel_times)
        );
        // The full ranking the app runs: every movie scored, the top 50 picked and given exact
        // means and predictive variances. This is the number the issue's ≤ 0.5 ms is about.
        let exclude: HashSet<usize> = obs.iter().map(|o| o.item).collect();
        let opts = RankOptions {
            top: 50,
            ..RankOptions::default()
        };
        let mut rank_times = Vec::new();
        let mut stats = Default::default();
        for _ in 0..31 {
            let t = now_ms();
            for _ in 0..BATCH {
                let (list, s) = recommend_with_stats(&model, &taste, &exclude, &opts);
                assert_eq!(list.len(), 50);
                stats = s;
            }
            rank_times.push((now_ms() - t) / BATCH as f64);
        }
        console_log!(
            "bench: {n_obs} ratings: score all {N} movies + top 50 median {:.3} ms (min {:.3}; \
             {} exact means, bound {:.4} stars)",
            median(rank_times.clone()),
            rank_times.iter().copied().fold(f64::INFINITY, f64::min),
            stats.exact,
            stats.error_micro as f64 * 1e-6
        );
    }
}

/// One answer's work in the app: the posterior refitted from all evidence (EP over 5 pairs),
/// the P(seen) offset refitted and the next question chosen (A-optimal over the top 100), and a
/// top-50 list with one Thompson draw. The budgets: ≤ 10 ms and ≤ 1 ms.
#[wasm_bindgen_test]
fn answer_and_thompson_list() {
    use moviematch::elicit::Strategy;
    let model = big_model();
    let profile = fixture::answered(&model, 10, 5);
    let none = HashSet::new();
    // What happens after every answer: the visitor session reads the profile and refits, then
    // the next question is chosen.
    let answer = || {
        let v = moviematch::Visitor::new(&model, &profile);
        let q = v.next_question(&model, &profile.settings, Strategy::Adaptive, &none);
        (v, q.unwrap())
    };
    for _ in 0..20 {
        std::hint::black_box(answer());
    }
    let mut times = Vec::new();
    for _ in 0..15 {
        let t = now_ms();
        let (_, q) = answer();
        assert!(q.is_some());
        times.push(now_ms() - t);
    }
    console_log!(
        "bench: one answer (refit on 10 ratings + 5 pairs, next question) median {:.2} ms",
        median(times)
    );
    // Its two halves, to see which one moves.
    let mut fits = Vec::new();
    for _ in 0..15 {
        let t = now_ms();
        std::hint::black_box(moviematch::Visitor::new(&model, &profile));
        fits.push(now_ms() - t);
    }
    console_log!(
        "bench: one answer's refit alone (the visitor session on 10 ratings + 5 pairs) median {:.2} ms",
        median(fits)
    );
    let (visitor, _) = answer();
    let taste = visitor.taste().unwrap();
    let exclude = visitor.exclusions(&profile.settings);
    let opts = RankOptions {
        top: 50,
        exploration: 1.0,
        seed: 5,
        ..RankOptions::default()
    };
    let mut times = Vec::new();
    for _ in 0..31 {
        let t = now_ms();
        for _ in 0..BATCH {
            std::hint::black_box(recommend_with_stats(&model, &taste, &exclude, &opts));
        }
        times.push((now_ms() - t) / BATCH as f64);
    }
    let (list, stats) = recommend_with_stats(&model, &taste, &exclude, &opts);
    console_log!(
        "bench: top 50 with one Thompson draw median {:.3} ms ({} exploring; {} exact means, the plain list's included)",
        median(times),
        list.iter().filter(|r| r.exploring).count(),
        stats.exact
    );
    // "Would I like this one?" for a page of search results (ten films, one of them rated:
    // that one refits without its rating), and "more like this" for one film.
    let request = moviematch::ListRequest::new(&profile.settings);
    let rated = visitor.ratings()[0].item.expect("a catalogue film");
    let page: Vec<usize> = std::iter::once(rated).chain(100..109).collect();
    let mut times = Vec::new();
    for _ in 0..9 {
        let t = now_ms();
        for &i in &page {
            std::hint::black_box(visitor.film(&model, i, &request).unwrap());
        }
        times.push(now_ms() - t);
    }
    console_log!(
        "bench: predictions for 10 search results (1 rated) median {:.2} ms",
        median(times)
    );
    let fifty = moviematch::Visitor::new(&model, &fixture::answered(&model, 50, 0));
    let mut times = Vec::new();
    for _ in 0..9 {
        let t = now_ms();
        std::hint::black_box(fifty.calibration(&model).unwrap());
        times.push(now_ms() - t);
    }
    console_log!(
        "bench: how well do you know me (leave-one-out over 50 ratings) median {:.2} ms",
        median(times)
    );
    // An imported export: the visitor session on 1,000 ratings, and the part of it that fits
    // their IMDb stack (`moviematch::stack`: one leave-one-out over the ratings).
    let import = fixture::answered(&model, 1000, 0);
    let (mut fits, mut stacks) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let t = now_ms();
        let v = moviematch::Visitor::new(&model, &import);
        fits.push(now_ms() - t);
        let t = now_ms();
        let fit = moviematch::stack::fit(&model, v.evidence(), v.posterior().unwrap()).unwrap();
        stacks.push(now_ms() - t);
        assert_eq!(fit, v.stack_fit().copied());
    }
    console_log!(
        "bench: the visitor session on an import of 1000 ratings median {:.1} ms, its IMDb stack {:.1} ms",
        median(fits),
        median(stacks)
    );
    let mut times = Vec::new();
    for i in 0..9 {
        let t = now_ms();
        let similar = visitor.similar(&model, 200 + i, &request).unwrap();
        times.push(now_ms() - t);
        assert!(!similar.entries.is_empty());
    }
    console_log!(
        "bench: more like this (neighbours by both models, re-ranked) median {:.2} ms",
        median(times)
    );
}

/// The default bundle's real bytes, gzipped as the site ships them: the wasm work before a
/// first list is possible (inflate + decode + build the model), for the whole bundle and for
/// heads of the films a new visitor most likely knows (`Bundle::head`).
#[wasm_bindgen_test]
fn model_ready_from_real_bytes() {
    use moviematch::bundle::gzip::compress as gzip;
    static BUNDLE: &[u8] = include_bytes!("../web/model.bin");
    let whole = moviematch::Bundle::decode(BUNDLE).expect("web/model.bin decodes");
    let time = |packed: &[u8], runs: usize| {
        let mut times = Vec::new();
        for _ in 0..runs {
            let t = now_ms();
            let m = Model::from_bytes(packed).expect("decodes");
            times.push(now_ms() - t);
            std::hint::black_box(m);
        }
        median(times)
    };
    let packed = gzip(BUNDLE);
    console_log!(
        "bench: model ready, whole bundle ({} films, {} bytes gzipped) median {:.1} ms",
        whole.len(),
        packed.len(),
        time(&packed, 3)
    );
    // The head the site ships first (web/model-head.bin, gzipped as served), then the tail's
    // decode, join and build that follow in the background.
    static HEAD: &[u8] = include_bytes!("../web/model-head.bin");
    static TAIL: &[u8] = include_bytes!("../web/model-tail.bin");
    let head = moviematch::Bundle::decode(HEAD).expect("web/model-head.bin decodes");
    let whole_len = whole.len();
    console_log!(
        "bench: model ready, the shipped head ({} films, {} bytes gzipped) median {:.1} ms",
        head.len(),
        HEAD.len(),
        time(HEAD, 7)
    );
    // The tail in the app's tasks: the browser inflates it as it arrives (DecompressionStream;
    // the engine's inflate is the fallback, timed apart), then decode, join and the model's two
    // halves, each a task of its own. The longest of them bounds the page's longest task.
    let stages = [
        "inflate (fallback)",
        "decode",
        "join",
        "build (new)",
        "build (finish)",
    ];
    let mut times = vec![Vec::new(); stages.len()];
    for _ in 0..3 {
        let mut t = now_ms();
        let mut lap = |i: usize, times: &mut Vec<Vec<f64>>| {
            let now = now_ms();
            times[i].push(now - t);
            t = now;
        };
        let inflated = moviematch::Bundle::inflate(TAIL)
            .expect("web/model-tail.bin inflates")
            .expect("web/model-tail.bin is gzip");
        lap(0, &mut times);
        let tail = moviematch::Bundle::decode(&inflated).expect("web/model-tail.bin decodes");
        lap(1, &mut times);
        let whole = head.join(&tail).expect("joins");
        lap(2, &mut times);
        let half = moviematch::ModelBuild::new(whole);
        lap(3, &mut times);
        let m = half.finish();
        lap(4, &mut times);
        assert_eq!(m.len(), whole_len);
    }
    let medians: Vec<f64> = times.into_iter().map(median).collect();
    console_log!(
        "bench: the tail ({} bytes gzipped) decoded, joined and built median {:.1} ms after the \
         browser's inflate; by task: {}",
        TAIL.len(),
        medians[1..].iter().sum::<f64>(),
        stages
            .iter()
            .zip(&medians)
            .map(|(s, m)| format!("{s} {m:.1} ms"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
