//! The ranking against exhaustive exact ranking, filters, Thompson sampling, MMR and genre
//! distance.

use super::*;
use crate::bundle::tests::tiny_bundle;
use crate::fixture;
use crate::noise::Z80;
use crate::posterior::Observation;
use rand::{RngExt, SeedableRng};

/// Exhaustive exact ranking: every eligible movie through `Posterior::predict`.
fn brute_force(
    model: &Model,
    taste: &Taste<'_>,
    exclude: &HashSet<usize>,
    opts: &RankOptions,
) -> Vec<(usize, f32)> {
    let post = taste.explicit;
    let w = model
        .blend()
        .weights(taste.answers, opts.popularity, opts.caution);
    let mut all: Vec<(f32, usize)> = (0..model.len())
        .filter(|i| !exclude.contains(i))
        .filter(|&i| opts.genres == 0 || model.movie(i).genres & opts.genres == opts.genres)
        .filter(|&i| admits(&opts.filter, model, i))
        .filter(|&i| above_floor(model, post, i))
        .map(|i| {
            // The score from its definition, with the movie's own uncertainty written out.
            let item_var =
                model.bias_variances()[i] + model.factor_var_scales()[i] * post.item_term() as f32;
            let mut mean = post.predict_mean(model, i);
            if opts.exploration > 0.0 {
                let drawn = predict_at(model, i, &post.sample(opts.seed));
                let k = model.exploration_shrink()[i];
                mean += opts.exploration * k * (drawn - mean);
            }
            let implicit = match (model.implicit(), taste.implicit) {
                (Some(items), Some(u)) => {
                    w.implicit * items.score(u, i, model.content_row(i)) as f32
                }
                _ => 0.0,
            };
            let s = w.mean * mean
                + ((w.seen * model.seen_logits()[i] - w.caution * item_var.sqrt())
                    + implicit
                    + model.blend().film_term(&w, i));
            (s, i)
        })
        .collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    all.into_iter()
        .take(opts.top)
        .map(|(s, i)| (i, s))
        .collect()
}

#[test]
fn bounded_search_gives_exactly_the_exhaustive_ranking() {
    for seed in 0..6u64 {
        let mut model = Model::from_bundle(fixture::random_bundle(seed, 600, 6, 300));
        if seed >= 3 {
            // A fitted blend's shape: every kind of term, weights moving with the answers, and
            // late slopes (seeds 4 and 5 have answers past the knot).
            let term = |name: &str, weight: f32, per_log_answer: f32| crate::bundle::BlendTerm {
                name: name.into(),
                weight,
                per_log_answer,
            };
            model.set_blend(&crate::bundle::Blend {
                terms: vec![
                    term("mean", 0.7, 0.05),
                    term("implicit", 3.0, -0.2),
                    term("seen", 0.3, 0.0),
                    term("sd_item", -1.5, 0.1),
                    term("x:0", 0.2, 0.0),
                    term("x:7", -0.1, 0.05),
                    term("late:implicit", -0.4, 0.0),
                    term("late:x:0", 0.3, 0.0),
                ],
                discovery_step: 0.25,
            });
        }
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed + 50);
        let n_obs = [0, 1, 5, 30, 120, 45][seed as usize];
        let obs: Vec<Observation> = (0..n_obs)
            .map(|_| Observation {
                item: rng.random_range(0..model.len()),
                rating: rng.random_range(1..=10) as f32 / 2.0,
            })
            .collect();
        let post = Posterior::fit(&model, &obs).unwrap();
        let exclude: HashSet<usize> = obs.iter().map(|o| o.item).collect();
        // Half the seeds rank with the implicit model too, from the rated films as watched.
        let signals: Vec<crate::implicit::Signal> = obs
            .iter()
            .map(|o| crate::implicit::Signal::watched(o.item))
            .collect();
        let implicit = (seed % 2 == 1).then(|| model.implicit_taste(&signals).unwrap().unwrap());
        let taste = Taste {
            explicit: &post,
            implicit: implicit.as_ref(),
            answers: obs.len(),
        };
        for (top, caution, popularity, genres, exploration) in [
            (20, 1.0, 0.3, 0, 0.0),
            (50, 0.0, 0.0, 0, 0.0),
            (5, 2.0, -0.2, 1 << 7, 0.0),
            (1, 1.0, 0.3, 1 << 4 | 1 << 14, 0.0),
            (700, 0.5, 0.1, 0, 0.0),
            (20, 1.0, 0.3, 0, 1.0),
            (10, 0.5, 0.3, 1 << 7, 2.5),
        ] {
            for filter in [
                Filter::default(),
                Filter {
                    genres_any: 1 << 7 | 1 << 4,
                    genres_none: 1 << 10,
                    year_min: Some(1950),
                    year_max: Some(2005),
                    imdb_min: Some(5.0),
                    votes_min: Some(1000),
                },
            ] {
                let opts = RankOptions {
                    top,
                    caution,
                    popularity,
                    genres,
                    exploration,
                    seed: seed * 31 + 1,
                    filter,
                    diversity: 0.0,
                    ..RankOptions::default()
                };
                let (got, stats) = recommend_with_stats(&model, &taste, &exclude, &opts);
                for r in &got {
                    assert!(admits(&opts.filter, &model, r.item));
                }
                let want = brute_force(&model, &taste, &exclude, &opts);
                let got_pairs: Vec<(usize, f32)> = got.iter().map(|r| (r.item, r.score)).collect();
                assert_eq!(got_pairs, want, "seed {seed}, {opts:?}");
                // Only the movies near the cut were scored exactly.
                if top <= 20 {
                    assert!(stats.exact < model.len() / 4, "{stats:?}");
                }
            }
        }
    }
}

/// MMR: each pick maximises score − d·(max similarity to earlier picks) among the rest
/// (checked by brute force), the first pick is the best score, and diversity lowers the
/// list's mean pairwise similarity.
#[test]
fn diversity_is_greedy_mmr() {
    let model = Model::from_bundle(fixture::random_bundle(4, 500, 6, 500));
    let post = Posterior::prior(&model).unwrap();
    let cos = |a: usize, b: usize| {
        let (x, y) = (model.design().row(a), model.design().row(b));
        let (x, y) = (&x.as_slice().unwrap()[..6], &y.as_slice().unwrap()[..6]);
        let dot: f32 = x.iter().zip(y).map(|(p, q)| p * q).sum();
        let n = |v: &[f32]| v.iter().map(|p| p * p).sum::<f32>().sqrt();
        dot / (n(x) * n(y))
    };
    let mean_sim = |list: &[Recommendation]| {
        let mut s = 0.0;
        let mut n = 0;
        for a in 0..list.len() {
            for b in a + 1..list.len() {
                s += cos(list[a].item, list[b].item);
                n += 1;
            }
        }
        s / n as f32
    };
    let base = RankOptions {
        top: 10,
        popularity: 0.0,
        ..RankOptions::default()
    };
    let plain = recommend(&model, &Taste::explicit(&post), &HashSet::new(), &base);
    let first = mean_sim(&plain);
    for d in [0.5, 2.0] {
        let opts = RankOptions {
            diversity: d,
            ..base.clone()
        };
        let got = recommend(&model, &Taste::explicit(&post), &HashSet::new(), &opts);
        assert_eq!(got[0].item, plain[0].item);
        let pool = recommend(
            &model,
            &Taste::explicit(&post),
            &HashSet::new(),
            &RankOptions {
                top: 30,
                ..base.clone()
            },
        );
        for (j, r) in got.iter().enumerate() {
            let value = |item: usize, score: f32| {
                score
                    - d * got[..j]
                        .iter()
                        .map(|p| cos(item, p.item))
                        .fold(f32::NEG_INFINITY, f32::max)
                        .max(0.0)
            };
            let best = pool
                .iter()
                .filter(|p| !got[..j].iter().any(|g| g.item == p.item))
                .map(|p| value(p.item, p.score))
                .fold(f32::NEG_INFINITY, f32::max);
            assert!((value(r.item, r.score) - best).abs() < 1e-4, "pick {j}");
        }
        let sim = mean_sim(&got);
        assert!(
            sim < first - 0.01,
            "d = {d} lowers similarity: {sim} vs {first}"
        );
    }
}

#[test]
fn excludes_filters_clips_and_gives_intervals() {
    let model = Model::from_bundle(tiny_bundle());
    let post = Posterior::fit(
        &model,
        &[Observation {
            item: 0,
            rating: 5.0,
        }],
    )
    .unwrap();
    let exclude: HashSet<usize> = [0].into();
    let opts = RankOptions {
        top: 10,
        ..RankOptions::default()
    };
    let all = recommend(&model, &Taste::explicit(&post), &exclude, &opts);
    assert_eq!(all.len(), model.len() - 1);
    assert!(all.iter().all(|r| r.item != 0));
    assert!(all.windows(2).all(|w| w[0].score >= w[1].score));
    let drama = model.genre_mask("drama").unwrap();
    let dramas = recommend(
        &model,
        &Taste::explicit(&post),
        &exclude,
        &RankOptions {
            genres: drama,
            ..opts.clone()
        },
    );
    assert_eq!(
        dramas.iter().map(|r| r.item).collect::<HashSet<_>>(),
        [1, 2, 3].into()
    );
    let scale = model.header.scale;
    for r in &all {
        assert!(r.mean >= scale.min && r.mean <= scale.max);
        let p = post.predict(&model, r.item);
        let (lo, hi) = r.interval80;
        let (want_lo, want_hi) = p.interval(0.8);
        assert!(
            (lo - scale.clamp(want_lo)).abs() < 1e-5 && (hi - scale.clamp(want_hi)).abs() < 1e-5
        );
        assert!(lo <= r.mean && r.mean <= hi);
    }
    assert!(recommend(
        &model,
        &Taste::explicit(&post),
        &exclude,
        &RankOptions { top: 0, ..opts }
    )
    .is_empty());
}

#[test]
fn the_float_below_is_the_next_one_down() {
    for x in [
        1.0f32,
        -1.0,
        3.7,
        -0.001,
        0.0,
        -0.0,
        f32::MAX,
        f32::MIN_POSITIVE,
        1e-42,
    ] {
        let b = float_below(x);
        assert!(b < x, "{x}: {b}");
        for v in [b, x] {
            assert_eq!(v > b, v >= x, "{x}: {v}");
        }
    }
    assert_eq!(float_below(f32::NEG_INFINITY), f32::NEG_INFINITY);
    assert!(float_below(f32::NAN).is_nan());
    assert_eq!(float_below(f32::INFINITY), f32::MAX);
}

#[test]
fn the_80_percent_constant_is_the_normal_quantile() {
    // Φ(z) by the complementary error function's series-free identity via numerical
    // integration of the density: ∫₀^z φ = 0.4.
    let steps = 100_000;
    let h = Z80 as f64 / steps as f64;
    let area: f64 = (0..steps)
        .map(|i| {
            let t = (i as f64 + 0.5) * h;
            (-t * t / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * h
        })
        .sum();
    assert!((area - 0.4).abs() < 1e-6, "{area}");
}

/// A movie in the list only because of the draw is marked, the others are not: on a
/// catalogue where the draw provably lifts one uncertain movie above a sure one.
#[test]
fn exploration_lifts_an_uncertain_movie_and_marks_it() {
    let model = Model::from_bundle(fixture::exploration_bundle());
    let post = Posterior::prior(&model).unwrap();
    let none = HashSet::new();
    let opts = |exploration: f32, seed: u64| RankOptions {
        top: 3,
        caution: 0.0,
        popularity: 0.0,
        exploration,
        seed,
        ..RankOptions::default()
    };
    let plain = recommend(&model, &Taste::explicit(&post), &none, &opts(0.0, 0));
    let items = |l: &[Recommendation]| l.iter().map(|r| r.item).collect::<Vec<_>>();
    assert_eq!(items(&plain), vec![0, 1, 2]);
    assert!(plain.iter().all(|r| !r.exploring));
    let (mut lifted, mut not_lifted) = (0, 0);
    for seed in 0..40 {
        // The draw's first taste dimension: movie 5's factors (2, 0) against the sure
        // movies' (0.01, 0) and a bias 0.05 below the third's; at exploration 3 it beats
        // the third when 3·1.99·θ₁ > 0.05 (κ = 1 at a million votes).
        let theta1 = post.sample(seed)[0];
        if theta1.abs() < 0.02 {
            continue;
        }
        let list = recommend(&model, &Taste::explicit(&post), &none, &opts(3.0, seed));
        assert_eq!(list.len(), 3);
        if theta1 > 0.0 {
            lifted += 1;
            // In the list (where depends on how far the draw went), the third sure one out.
            let mut got = items(&list);
            got.sort_unstable();
            assert_eq!(got, vec![0, 1, 5], "seed {seed}: θ₁ = {theta1}");
            for r in &list {
                assert_eq!(r.exploring, r.item == 5, "seed {seed}: {r:?}");
            }
        } else {
            not_lifted += 1;
            assert_eq!(items(&list), vec![0, 1, 2], "seed {seed}: θ₁ = {theta1}");
            assert!(list.iter().all(|r| !r.exploring), "seed {seed}");
        }
    }
    assert!(
        lifted >= 5 && not_lifted >= 5,
        "{lifted} lifted, {not_lifted} not"
    );
}

/// `exploring` is exactly "not in the list the same options give at exploration 0", with
/// filters, genres, exclusions and diversity; without exploration nothing is marked.
#[test]
fn exploring_marks_exactly_what_the_plain_list_leaves_out() {
    let mut marked = 0;
    for seed in 0..4u64 {
        let model = Model::from_bundle(fixture::random_bundle(seed + 20, 800, 6, 400));
        let obs: Vec<Observation> = (0..[0, 3, 12, 40][seed as usize])
            .map(|j| Observation {
                item: (j * 37 + seed as usize) % 400,
                rating: 0.5 + (j % 10) as f32 / 2.0,
            })
            .collect();
        let post = Posterior::fit(&model, &obs).unwrap();
        let exclude: HashSet<usize> = obs.iter().map(|o| o.item).collect();
        for (top, exploration, diversity, genres) in [
            (20, 1.0, 0.0, 0),
            (10, 3.0, 0.0, 1 << 7),
            (20, 2.0, 1.0, 0),
            (5, 0.5, 0.0, 0),
            (20, 0.0, 0.0, 0),
            (20, 0.0, 1.0, 0),
        ] {
            for filter in [
                Filter::default(),
                Filter {
                    year_min: Some(1960),
                    votes_min: Some(500),
                    ..Filter::default()
                },
            ] {
                let opts = RankOptions {
                    top,
                    exploration,
                    diversity,
                    genres,
                    filter,
                    seed: seed * 7 + 3,
                    ..RankOptions::default()
                };
                let got = recommend(&model, &Taste::explicit(&post), &exclude, &opts);
                let plain: HashSet<usize> = recommend(
                    &model,
                    &crate::rank::Taste::explicit(&post),
                    &exclude,
                    &RankOptions {
                        exploration: 0.0,
                        ..opts.clone()
                    },
                )
                .iter()
                .map(|r| r.item)
                .collect();
                for r in &got {
                    assert_eq!(r.exploring, !plain.contains(&r.item), "{opts:?}");
                }
                marked += got.iter().filter(|r| r.exploring).count();
                if exploration == 0.0 {
                    assert!(got.iter().all(|r| !r.exploring));
                }
            }
        }
    }
    assert!(marked > 10, "exploration changed almost nothing: {marked}");
}

/// The watchlist's rows give exactly the recommendation rows' numbers.
#[test]
fn row_predictions_are_the_lists_numbers() {
    let model = Model::from_bundle(fixture::random_bundle(9, 300, 5, 150));
    let obs = [Observation {
        item: 3,
        rating: 4.5,
    }];
    let post = Posterior::fit(&model, &obs).unwrap();
    let list = recommend(
        &model,
        &Taste::explicit(&post),
        &HashSet::new(),
        &RankOptions::default(),
    );
    let items: Vec<usize> = list.iter().map(|r| r.item).collect();
    for (r, row) in list.iter().zip(row_predictions(&model, &post, &items)) {
        assert_eq!(
            (r.mean, r.sd, r.interval80),
            (row.mean, row.sd, row.interval80)
        );
        assert_eq!(row.unclipped, post.predict_mean(&model, r.item));
    }
}

#[test]
fn thompson_sampling_is_seeded_and_explores() {
    let model = Model::from_bundle(fixture::random_bundle(3, 600, 6, 300));
    let obs = [
        Observation {
            item: 4,
            rating: 4.5,
        },
        Observation {
            item: 8,
            rating: 1.0,
        },
    ];
    let post = Posterior::fit(&model, &obs).unwrap();
    let none = HashSet::new();
    let items = |exploration: f32, seed: u64| -> Vec<usize> {
        let opts = RankOptions {
            exploration,
            seed,
            ..RankOptions::default()
        };
        recommend(&model, &Taste::explicit(&post), &none, &opts)
            .iter()
            .map(|r| r.item)
            .collect()
    };
    let mean_list = items(0.0, 1);
    // Exploration 0 ignores the seed; a draw is reproducible and differs between seeds.
    assert_eq!(mean_list, items(0.0, 2));
    assert_eq!(items(1.0, 5), items(1.0, 5));
    assert_ne!(items(1.0, 5), items(1.0, 6));
    assert_ne!(items(1.0, 5), mean_list);
}

/// The terms `tools` fits the blend on give back the ranking's own scores.
#[test]
fn the_blend_of_the_terms_is_the_ranking_score() {
    let model = Model::from_bundle(fixture::random_bundle(11, 400, 5, 200));
    let obs: Vec<Observation> = (0..12)
        .map(|j| Observation {
            item: j * 13,
            rating: 1.0 + (j % 8) as f32 / 2.0,
        })
        .collect();
    let post = Posterior::fit(&model, &obs).unwrap();
    let signals: Vec<crate::implicit::Signal> = obs
        .iter()
        .map(|o| crate::implicit::Signal::watched(o.item))
        .collect();
    let u = model.implicit_taste(&signals).unwrap().unwrap();
    let taste = Taste {
        explicit: &post,
        implicit: Some(&u),
        answers: obs.len(),
    };
    let opts = RankOptions {
        top: 30,
        ..RankOptions::default()
    };
    let list = recommend(&model, &taste, &HashSet::new(), &opts);
    let items: Vec<usize> = list.iter().map(|r| r.item).collect();
    let w = model
        .blend()
        .weights(taste.answers, opts.popularity, opts.caution);
    assert!(w.implicit > 0.0, "the fixture blends the implicit score");
    for (r, t) in list.iter().zip(terms(&model, &taste, &items)) {
        let s = w.mean * t.mean + w.implicit * t.implicit + w.seen * t.seen - w.caution * t.sd_item;
        assert!((s - r.score).abs() < 1e-4, "{} vs {}", s, r.score);
    }
}

/// Two genres (Drama, Horror) and fourteen films alike but for their bias, 0.6 − 0.05j for
/// film j, and their genres: `horror(j)` says which of the twelve candidates are Horror; films
/// 12 (Drama) and 13 (Horror) are for the visitor to have liked (left out of the list).
fn genre_fixture(horror: impl Fn(u32) -> bool) -> Model {
    let movies: Vec<fixture::FixtureMovie> = (0..14)
        .map(|j| fixture::FixtureMovie {
            movie_id: j + 1,
            imdb_id: 100 + j,
            title: "Some Movie (2000)",
            year: 2000,
            genres: if j == 13 || (j < 12 && horror(j)) {
                2
            } else {
                1
            },
            ml_count: 100,
            imdb_rating_x10: 70,
            imdb_votes: 100_000,
            factors: vec![0.1, 0.0],
            bias: 0.6 - 0.05 * j as f32,
            bias_sd: 0.05,
        })
        .collect();
    Model::from_bundle(fixture::bundle(&["Drama", "Horror"], &movies))
}

/// The top 4 of the genre fixture by the prior mean (scores 0.6 … 0.05 above it) with genre
/// distance `knob` and the visitor's `liked` films.
fn genre_list(model: &Model, knob: f32, liked: &[(usize, f32)]) -> Vec<Recommendation> {
    let post = Posterior::prior(model).unwrap();
    let opts = RankOptions {
        top: 4,
        caution: 0.0,
        popularity: 0.0,
        genre_distance: knob,
        liked_films: liked.to_vec(),
        ..RankOptions::default()
    };
    recommend(model, &Taste::explicit(&post), &[12, 13].into(), &opts)
}

/// Stay close (−1) lists the liked genre's films first, surprise me (1) the other genre's, 0
/// the score order; every film keeps its own score.
#[test]
fn genre_distance_stays_close_or_surprises() {
    // Films alternate: even Drama, odd Horror; the visitor liked Drama films only.
    let model = genre_fixture(|j| j % 2 == 1);
    let liked = [(12, 1.0), (0, 0.0)];
    let items = |knob: f32| {
        genre_list(&model, knob, &liked)
            .iter()
            .map(|r| r.item)
            .collect::<Vec<_>>()
    };
    assert_eq!(items(0.0), vec![0, 1, 2, 3]);
    // The pool is all twelve: c = ½·0.55. Each Horror film moves the list one film further
    // from all-Drama than a Drama film does: it loses (or gains) 0.275 against them.
    assert_eq!(items(-1.0), vec![0, 2, 4, 6]);
    assert_eq!(items(1.0), vec![1, 3, 5, 0]);
    assert_eq!(items(-0.2), vec![0, 2, 1, 4]);
    let post = Posterior::prior(&model).unwrap();
    for knob in [-1.0, -0.2, 0.0, 0.5, 1.0] {
        for r in genre_list(&model, knob, &liked) {
            let own = post.predict_mean(&model, r.item);
            assert!((r.score - own).abs() < 1e-5, "{knob}: {r:?}");
        }
    }
}

/// Staying close matches the mix, not only the favourite genre: a visitor who liked one Drama
/// and one Horror film, the six best films Drama and the six others Horror, gets both in turn.
#[test]
fn genre_distance_stays_close_to_the_mix() {
    let model = genre_fixture(|j| j >= 6);
    let items = |knob: f32, liked: &[(usize, f32)]| {
        genre_list(&model, knob, liked)
            .iter()
            .map(|r| r.item)
            .collect::<Vec<_>>()
    };
    let both = [(12, 1.0), (13, 1.0)];
    assert_eq!(items(0.0, &both), vec![0, 1, 2, 3]);
    // Step 1: both genres are as far from ½–½ alone; then Horror fills what the list lacks
    // (Drama 1: 0.55 − 0.275 < Horror 6: 0.3), then both are level again, and so on.
    assert_eq!(items(-1.0, &both), vec![0, 6, 1, 7]);
    // Drama alone is a list of the visitor's usual genre already.
    assert_eq!(items(-1.0, &[(12, 2.0)]), vec![0, 1, 2, 3]);
}

/// Knob 0, or no liked film with a genre, is today's list bit for bit (the same work too).
#[test]
fn genre_distance_off_is_the_plain_list() {
    let model = Model::from_bundle(fixture::random_bundle(7, 600, 6, 300));
    let obs: Vec<Observation> = (0..15)
        .map(|j| Observation {
            item: j * 19,
            rating: 0.5 + (j % 10) as f32 / 2.0,
        })
        .collect();
    let post = Posterior::fit(&model, &obs).unwrap();
    let exclude: HashSet<usize> = obs.iter().map(|o| o.item).collect();
    let taste = Taste::explicit(&post);
    let liked: Vec<(usize, f32)> = obs.iter().map(|o| (o.item, o.rating)).collect();
    for (exploration, diversity) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.5), (2.0, 1.0)] {
        let base = RankOptions {
            exploration,
            diversity,
            seed: 3,
            ..RankOptions::default()
        };
        let want = recommend_with_stats(&model, &taste, &exclude, &base);
        for opts in [
            RankOptions {
                liked_films: liked.clone(),
                ..base.clone()
            },
            RankOptions {
                genre_distance: -1.0,
                ..base.clone()
            },
            RankOptions {
                genre_distance: 0.7,
                liked_films: vec![(1, 0.0), (2, -3.0), (3, f32::NAN)],
                ..base.clone()
            },
            RankOptions {
                genre_distance: f32::NAN,
                liked_films: liked.clone(),
                ..base.clone()
            },
        ] {
            assert_eq!(
                recommend_with_stats(&model, &taste, &exclude, &opts),
                want,
                "{opts:?}"
            );
        }
    }
}

/// With genre distance the list is picked greedily from the exhaustive exact top 3N: each pick
/// maximises score + knob·½(best − worst score of the pool)·T − diversity·(MMR's similarity),
/// T = ½ Σ_g |listed_g + q_g − (picks + 1)·p_g| (q: the film's genres split equally, p: the
/// liked films' mix by weight); each film with its own exact score.
#[test]
fn genre_distance_reranks_the_exact_pool() {
    let split = |g: u32| -> [f64; 32] {
        std::array::from_fn(|b| {
            if g & (1 << b) != 0 {
                1.0 / g.count_ones() as f64
            } else {
                0.0
            }
        })
    };
    for seed in 0..3u64 {
        let model = Model::from_bundle(fixture::random_bundle(seed + 30, 700, 6, 350));
        let obs: Vec<Observation> = (0..[8, 20, 60][seed as usize])
            .map(|j| Observation {
                item: (j * 29 + seed as usize) % 700,
                rating: 0.5 + (j % 10) as f32 / 2.0,
            })
            .collect();
        let post = Posterior::fit(&model, &obs).unwrap();
        let exclude: HashSet<usize> = obs.iter().map(|o| o.item).collect();
        let signals: Vec<crate::implicit::Signal> = obs
            .iter()
            .map(|o| crate::implicit::Signal::watched(o.item))
            .collect();
        let implicit = model.implicit_taste(&signals).unwrap().unwrap();
        let taste = Taste {
            explicit: &post,
            implicit: Some(&implicit),
            answers: obs.len(),
        };
        let liked: Vec<(usize, f32)> = obs
            .iter()
            .filter(|o| o.rating > 2.5)
            .map(|o| (o.item, o.rating - 2.5))
            .collect();
        // The mix by hand.
        let mut p = [0f64; 32];
        for &(i, x) in &liked {
            for (s, q) in p.iter_mut().zip(split(model.movie(i).genres)) {
                *s += x as f64 * q;
            }
        }
        let total: f64 = p.iter().sum();
        p.iter_mut().for_each(|s| *s /= total);
        let tv = |l: &[Recommendation]| {
            let mut m = [0f64; 32];
            for r in l {
                for (s, q) in m.iter_mut().zip(split(model.movie(r.item).genres)) {
                    *s += q / l.len() as f64;
                }
            }
            0.5 * m.iter().zip(&p).map(|(a, b)| (a - b).abs()).sum::<f64>()
        };
        let cos = |a: usize, b: usize| {
            let (x, y) = (model.design().row(a), model.design().row(b));
            let (x, y) = (&x.as_slice().unwrap()[..6], &y.as_slice().unwrap()[..6]);
            let n = |v: &[f32]| v.iter().map(|p| p * p).sum::<f32>().sqrt();
            x.iter().zip(y).map(|(p, q)| p * q).sum::<f32>() / (n(x) * n(y))
        };
        let mut changed = 0;
        for (top, knob, diversity, genres) in [
            (20, -1.0, 0.0, 0),
            (20, 1.0, 0.0, 0),
            (10, -0.4, 0.0, 1 << 7),
            (20, 0.6, 1.0, 0),
            (5, -1.0, 2.0, 0),
        ] {
            let opts = RankOptions {
                top,
                genres,
                popularity: 0.5,
                genre_distance: knob,
                diversity,
                liked_films: liked.clone(),
                ..RankOptions::default()
            };
            let got = recommend(&model, &taste, &exclude, &opts);
            let pool = brute_force(
                &model,
                &taste,
                &exclude,
                &RankOptions {
                    top: 3 * top,
                    ..opts.clone()
                },
            );
            let c = 0.5 * (pool[0].1 - pool[pool.len() - 1].1) as f64;
            let mut want: Vec<usize> = Vec::new();
            let mut listed = [0f64; 32];
            while want.len() < top.min(pool.len()) {
                let films = want.len() as f64 + 1.0;
                let value = |i: usize, s: f32| {
                    let q = split(model.movie(i).genres);
                    let t: f64 = (0..32)
                        .map(|g| (listed[g] + q[g] - films * p[g]).abs())
                        .sum::<f64>();
                    let sim = want
                        .iter()
                        .map(|&w| cos(i, w))
                        .fold(f32::NEG_INFINITY, f32::max)
                        .max(0.0);
                    s as f64 + knob as f64 * c * 0.5 * t - diversity as f64 * sim as f64
                };
                let (_, best) = pool
                    .iter()
                    .filter(|x| !want.contains(&x.0))
                    .map(|&(i, s)| (value(i, s), i))
                    .fold((f64::NEG_INFINITY, usize::MAX), |a, b| {
                        if b.0 > a.0 {
                            b
                        } else {
                            a
                        }
                    });
                for (l, q) in listed.iter_mut().zip(split(model.movie(best).genres)) {
                    *l += q;
                }
                want.push(best);
            }
            let got_items: Vec<usize> = got.iter().map(|r| r.item).collect();
            assert_eq!(got_items, want, "seed {seed}, {opts:?}");
            for r in &got {
                let own = pool.iter().find(|p| p.0 == r.item).unwrap().1;
                assert_eq!(r.score, own, "seed {seed}: {r:?}");
            }
            let plain = recommend(
                &model,
                &taste,
                &exclude,
                &RankOptions {
                    genre_distance: 0.0,
                    ..opts.clone()
                },
            );
            changed += usize::from(plain != got);
            // Stay close brings the list's genre mix nearer the liked films', surprise me
            // farther.
            if diversity == 0.0 {
                let (p, g) = (tv(&plain), tv(&got));
                assert!(
                    if knob < 0.0 { g <= p } else { g >= p },
                    "seed {seed}, knob {knob}: {g} vs {p}"
                );
            }
        }
        assert!(
            changed >= 3,
            "seed {seed}: genre distance changed {changed} lists"
        );
    }
}

/// The floor binds: films the blend's other terms would list although their shown prediction is
/// below 3★ stay out, and every listed film is at or above it.
#[test]
fn no_film_predicted_below_the_floor_is_listed() {
    let model = Model::from_bundle(fixture::random_bundle(9, 500, 5, 300));
    // A visitor who disliked most of what they rated: many films end up predicted below 3★.
    let obs: Vec<Observation> = (0..12)
        .map(|j| Observation {
            item: j * 7,
            rating: if j % 4 == 0 { 4.5 } else { 1.0 },
        })
        .collect();
    let post = Posterior::fit(&model, &obs).unwrap();
    let taste = Taste::explicit(&post);
    let exclude: HashSet<usize> = obs.iter().map(|o| o.item).collect();
    let opts = RankOptions {
        top: 30,
        popularity: 3.0,
        ..RankOptions::default()
    };
    let list = recommend(&model, &taste, &exclude, &opts);
    assert_eq!(list.len(), 30);
    for r in &list {
        assert!(post.shown_mean(&model, r.item) >= FLOOR_STARS, "{r:?}");
    }
    // The same ranking without the floor, from each film's exact score.
    let mut unfloored: Vec<(f32, usize)> = (0..model.len())
        .filter(|i| !exclude.contains(i))
        .map(|i| (recommendation_for(&model, &taste, &opts, i).score, i))
        .collect();
    unfloored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let kept_out: Vec<usize> = unfloored
        .iter()
        .take(30)
        .map(|x| x.1)
        .filter(|&i| post.shown_mean(&model, i) < FLOOR_STARS)
        .collect();
    assert!(!kept_out.is_empty(), "the floor binds for this visitor");
    for i in kept_out {
        assert!(list.iter().all(|r| r.item != i), "{i} is below the floor");
    }
}
