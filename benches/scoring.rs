//! Native timings of the engine's hot path (the browser's are in tests/wasm_bench.rs):
//! scoring every movie of a default-bundle-sized catalogue and taking the top 50, the kernel
//! pass alone, the visitor's posterior fit, a Thompson-sampled list and one answer's work
//! (refit from all evidence + the next question), and the leave-one-out report over 50 and 500
//! ratings. `cargo bench --bench scoring`.

use std::collections::HashSet;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use moviematch::elicit::Strategy;
use moviematch::rank::recommend_with_stats;
use moviematch::{fixture, Model, Observation, Posterior, RankOptions, Visitor};

const N: usize = 62_709;
const K: usize = 32;
const RATED: usize = 9_742;

fn bench(c: &mut Criterion) {
    // The default bundle's shape, with a 64-factor implicit model as `tools train` ships it.
    let mut bundle = fixture::random_bundle(7, N, K, RATED);
    fixture::with_implicit(&mut bundle, 64, 7);
    let model = Model::from_bundle(bundle);
    let obs: Vec<Observation> = (0..20)
        .map(|j| Observation {
            item: j * 487 % RATED,
            rating: 1.0 + (j % 9) as f32 / 2.0,
        })
        .collect();
    let post = Posterior::fit(&model, &obs).unwrap();
    let offsets = model.offsets().as_slice().unwrap().to_vec();
    let z = post.mean().as_slice().unwrap().to_vec();
    let opts = RankOptions {
        top: 50,
        ..RankOptions::default()
    };
    c.bench_function("means of 62,709 movies (int8 kernel)", |b| {
        b.iter(|| black_box(model.scorer().means(&offsets, &z)))
    });
    // The list as the app ranks it: the explicit posterior and the implicit taste of a visitor
    // with 20 ratings.
    let rated = fixture::answered(&model, 20, 0);
    let visitor = Visitor::new(&model, &rated);
    let taste = visitor.taste().unwrap();
    let exclude = visitor.exclusions(&rated.settings);
    c.bench_function("score 62,709 movies + top 50 (exact, blended)", |b| {
        b.iter(|| black_box(recommend_with_stats(&model, &taste, &exclude, &opts)))
    });
    c.bench_function("posterior fit on 20 ratings", |b| {
        b.iter(|| black_box(Posterior::fit(&model, &obs).unwrap()))
    });
    let thompson = RankOptions {
        exploration: 1.0,
        seed: 9,
        ..opts.clone()
    };
    c.bench_function("top 50 with one Thompson draw", |b| {
        b.iter(|| black_box(recommend_with_stats(&model, &taste, &exclude, &thompson)))
    });
    // What happens after every answer: the visitor session reads the profile and refits, then
    // the next question is chosen.
    let profile = fixture::answered(&model, 10, 5);
    let none = HashSet::new();
    c.bench_function("answer: refit (10 ratings, 5 pairs) + next question", |b| {
        b.iter(|| {
            let v = Visitor::new(&model, &profile);
            black_box(v.next_question(&model, &profile.settings, Strategy::Adaptive, &none))
        })
    });
    let v = Visitor::new(&model, &profile);
    c.bench_function("next question alone (10 ratings, 5 pairs)", |b| {
        b.iter(|| black_box(v.next_question(&model, &profile.settings, Strategy::Adaptive, &none)))
    });
    c.bench_function("refit alone (10 ratings, 5 pairs)", |b| {
        b.iter(|| black_box(Visitor::new(&model, &profile)))
    });
    // "How well do you know me?": every rating left out (downdate) and the IMDb line.
    for (ratings, pairs) in [(50, 0), (500, 0), (50, 5)] {
        let v = Visitor::new(&model, &fixture::answered(&model, ratings, pairs));
        let name = format!("leave-one-out report ({ratings} ratings, {pairs} pairs)");
        c.bench_function(&name, |b| {
            b.iter(|| black_box(v.calibration(&model).unwrap()))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
