//! The visitor session against the profile it reads and the lower layers it calls.

use super::*;
use crate::elicit::Question;
use crate::fixture::random_bundle;
use crate::profile::Action;

fn model() -> Model {
    Model::from_bundle(random_bundle(4, 60, 3, 40))
}

fn profile(m: &Model) -> Profile {
    let mut p = Profile::default();
    p.rate(m.stable_id(0), 4.5, Scale::Stars, 1);
    p.rate(m.stable_id(1), 2.0, Scale::Stars, 2);
    p.rate(StableId::Imdb("tt9999999".into()), 8.0, Scale::Ten, 3);
    p.compare(m.stable_id(2), m.stable_id(3), CompareAnswer::A, 4);
    p.compare(m.stable_id(4), m.stable_id(5), CompareAnswer::UnseenA, 5);
    p.feedback(m.stable_id(6), Action::Like, 6);
    p.feedback(m.stable_id(7), Action::Dislike, 7);
    p.feedback(m.stable_id(8), Action::Hide, 8);
    p.feedback(m.stable_id(9), Action::Save, 9);
    p.feedback(m.stable_id(10), Action::Unseen, 10);
    p
}

#[test]
fn the_profile_is_read_into_evidence_exclusions_and_questions_asked() {
    let m = model();
    let v = Visitor::new(&m, &profile(&m));
    let ev = v.evidence();
    assert_eq!(ev.observations.len(), 2);
    assert_eq!(ev.unknown, vec![StableId::Imdb("tt9999999".into())]);
    assert_eq!(
        ev.comparisons.len(),
        1,
        "an unseen answer says nothing about taste"
    );
    assert_eq!(ev.likes.len(), 2);
    let mut out: Vec<usize> = v.exclusions(&Settings::default()).into_iter().collect();
    out.sort_unstable();
    // Rated 0, 1; compared 2, 3; disliked 7; hidden 8. The pair 4–5 answered "haven't
    // seen A", liked 6, saved 9 and unseen 10 stay listed.
    assert_eq!(out, vec![0, 1, 2, 3, 7, 8]);
    let with_saved = v.exclusions(&Settings {
        exclude_saved: true,
        ..Settings::default()
    });
    assert!(with_saved.contains(&9));
    assert_eq!(v.seed(), 10);
    let asked = &v.ask_history().exclude;
    assert!(asked.contains(&10) && asked.contains(&8) && asked.contains(&4));
    assert!(!asked.contains(&6) && !asked.contains(&5));
    assert_eq!(v.ratings().len(), 3);
    assert_eq!(v.ratings()[0].stars(), 4.0, "8/10 is 4 stars");
}

/// Taste drift: with the setting on, each answer weighs 2^(−age / half-life), its age counted
/// from the profile's newest event (not the clock): the posterior is the weighted fit, the
/// same answers given at one moment weigh alike (so the fit is drift off's), and an old rating
/// moves its film's prediction less than a recent one.
#[test]
fn drift_weighs_answers_by_their_age_from_the_newest_event() {
    const DAY: i64 = 86_400_000;
    let m = model();
    let year = crate::drift::HALF_LIFE_DAYS as i64 * DAY;
    let mut p = Profile::default();
    p.rate(m.stable_id(0), 5.0, Scale::Stars, 0);
    p.rate(m.stable_id(1), 2.0, Scale::Stars, year);
    p.compare(m.stable_id(2), m.stable_id(3), CompareAnswer::A, 2 * year);
    p.feedback(m.stable_id(6), Action::Like, year);
    p.settings.drift = true;
    let v = Visitor::new(&m, &p);
    let w = &v.evidence().weights;
    // Ratings are read most recent first.
    assert_eq!(w.observations, vec![0.5, 0.25]);
    assert_eq!(
        (w.comparisons.clone(), w.likes.clone()),
        (vec![1.0], vec![0.5])
    );
    let refit = Posterior::fit_evidence(&m, v.evidence()).unwrap();
    assert_eq!(v.posterior().unwrap().mean(), refit.mean());
    // Off: every weight 1, a different fit.
    p.settings.drift = false;
    let off = Visitor::new(&m, &p);
    assert!(off
        .evidence()
        .weights
        .observations
        .iter()
        .all(|&w| w == 1.0));
    assert_ne!(
        off.posterior().unwrap().mean(),
        v.posterior().unwrap().mean()
    );
    // Everything at one moment: drift changes nothing.
    let mut same = Profile::default();
    same.rate(m.stable_id(0), 5.0, Scale::Stars, 7);
    same.rate(m.stable_id(1), 2.0, Scale::Stars, 7);
    let plain = Visitor::new(&m, &same);
    same.settings.drift = true;
    let drifted = Visitor::new(&m, &same);
    assert_eq!(
        plain.posterior().unwrap().mean(),
        drifted.posterior().unwrap().mean()
    );
    // A 5★ rating pulls its film's prediction up less when it is old.
    let pred = |age: i64| {
        let mut q = Profile::default();
        q.rate(m.stable_id(0), 5.0, Scale::Stars, 10 * year - age);
        q.rate(m.stable_id(1), 2.0, Scale::Stars, 10 * year);
        q.settings.drift = true;
        Visitor::new(&m, &q)
            .posterior()
            .unwrap()
            .predict_mean(&m, 0)
    };
    assert!(pred(3 * year) < pred(0));
}

#[test]
fn list_exclusions_follow_the_profile() {
    let model = Model::from_bundle(random_bundle(2, 50, 3, 50));
    let id = |i: usize| model.stable_id(i);
    let mut p = Profile::default();
    p.rate(id(1), 4.0, Scale::Stars, 1);
    p.compare(id(2), id(3), CompareAnswer::Tie, 2);
    p.compare(id(4), id(5), CompareAnswer::UnseenA, 3);
    p.feedback(id(6), Action::Like, 4);
    p.feedback(id(7), Action::Dislike, 5);
    p.feedback(id(8), Action::Hide, 6);
    p.feedback(id(9), Action::Save, 7);
    p.feedback(id(10), Action::Unseen, 8);
    let sorted = |s: HashSet<usize>| {
        let mut v: Vec<usize> = s.into_iter().collect();
        v.sort_unstable();
        v
    };
    let v = Visitor::new(&model, &p);
    assert_eq!(sorted(v.exclusions(&p.settings)), vec![1, 2, 3, 7, 8]);
    p.settings.exclude_saved = true;
    assert_eq!(sorted(v.exclusions(&p.settings)), vec![1, 2, 3, 7, 8, 9]);
}

#[test]
fn ask_history_from_a_profile() {
    let model = Model::from_bundle(random_bundle(1, 200, 4, 150));
    let id = |i: usize| model.stable_id(i);
    let mut p = Profile::default();
    p.rate(id(1), 4.0, Scale::Stars, 1);
    p.compare(id(2), id(3), CompareAnswer::A, 2);
    p.compare(id(4), id(5), CompareAnswer::UnseenB, 3);
    p.feedback(id(6), Action::Unseen, 4);
    p.feedback(id(7), Action::Hide, 5);
    let h = Visitor::new(&model, &p).ask_history().clone();
    assert_eq!(h.exclude, [1, 5, 6, 7].into());
    assert_eq!(h.pairs, [(2, 3)].into());
    let seen: Vec<(usize, bool)> = h.outcomes.iter().map(|o| (o.item, o.seen)).collect();
    assert_eq!(
        seen,
        vec![(1, true), (2, true), (3, true), (5, false), (6, false)]
    );
}

#[test]
fn options_override_stored_settings_field_by_field() {
    let mut stored = Settings::default();
    stored.filter.genres_any = 0b01;
    stored.filter.year_min = Some(1990);
    stored.caution = 2.0;
    let o = ListOptions {
        genres_any: Some(0b10),
        popularity: Some(0.5),
        ..ListOptions::default()
    };
    let s = o.settings_over(&stored);
    assert_eq!(s.filter.genres_any, 0b10, "replaced, not OR-ed");
    assert_eq!(s.filter.year_min, Some(1990));
    assert_eq!((s.caution, s.popularity), (2.0, 0.5));
    let r = o.request(&stored);
    assert_eq!((r.top, r.seed, r.genres_all), (LIST_LENGTH, None, 0));
}

#[test]
fn the_list_leaves_out_the_exclusions_and_names_its_reasons() {
    let m = model();
    let v = Visitor::new(&m, &profile(&m));
    let request = ListRequest::new(&Settings::default());
    let list = v.recommend(&m, &request).unwrap();
    assert_eq!(list.len(), LIST_LENGTH);
    let out = v.exclusions(&request.settings);
    assert!(list.iter().all(|e| !out.contains(&e.rec.item)));
    let direct = rank::recommend(
        &m,
        &v.taste().unwrap(),
        &out,
        &RankOptions::from_settings(&request.settings, LIST_LENGTH, v.seed()),
    );
    let items: Vec<usize> = list.iter().map(|e| e.rec.item).collect();
    let want: Vec<usize> = direct.iter().map(|r| r.item).collect();
    assert_eq!(items, want);
}

#[test]
fn questions_with_options_restrict_to_known_movies_and_take_the_seed() {
    let m = Model::from_bundle(random_bundle(3, 120, 4, 80));
    let mut p = Profile::default();
    p.rate(m.stable_id(5), 4.0, Scale::Stars, 1);
    p.compare(m.stable_id(7), m.stable_id(9), CompareAnswer::B, 2);
    p.feedback(m.stable_id(11), Action::Unseen, 3);
    let v = Visitor::new(&m, &p);
    let settings = Settings::default();
    let none = HashSet::new();
    // The defaults are `next_question` itself.
    for strategy in Strategy::ALL {
        assert_eq!(
            v.next_question_with(&m, &settings, strategy, &none, &QuestionOptions::default())
                .unwrap(),
            v.next_question(&m, &settings, strategy, &none).unwrap()
        );
    }
    // Known movies only: questions stay among them, never about what was rated or answered
    // "haven't seen", nor a pair already compared.
    let known = [5, 7, 9, 11, 20, 30, 40];
    let opts = QuestionOptions {
        allowed: Some(&known),
        seed: 3,
    };
    for strategy in Strategy::ALL {
        let c = v
            .next_question_with(&m, &settings, strategy, &none, &opts)
            .unwrap()
            .expect("something left to ask");
        let items = c.question.items();
        assert!(
            items.iter().all(|i| known.contains(i)),
            "{strategy:?}: {items:?}"
        );
        assert!(
            items.iter().all(|i| *i != 5 && *i != 11),
            "{strategy:?}: {items:?}"
        );
        assert_ne!(c.question, Question::Pair(7, 9));
        assert_ne!(c.question, Question::Pair(9, 7));
        assert_eq!(c.p_answer, 1.0, "known movies are answerable");
    }
    // The same as the lower layer given the same state, seed included.
    let post = v.posterior().unwrap();
    let seen = v.ask_history().seen_offset(&m);
    for seed in [0, 1, 99] {
        let direct = elicit::next_question(
            &m,
            &AskState {
                posterior: post,
                implicit: None,
                answers: 0,
                seen: &seen,
                exclude: &v.ask_history().exclude,
                asked_pairs: &v.ask_history().pairs,
                allowed: Some(&known),
            },
            &AskOptions {
                strategy: Strategy::RandomPairs,
                rank: RankOptions::from_settings(&settings, LIST_LENGTH, v.seed()),
                seed,
                ..AskOptions::default()
            },
        );
        let via = v
            .next_question_with(
                &m,
                &settings,
                Strategy::RandomPairs,
                &none,
                &QuestionOptions {
                    allowed: Some(&known),
                    seed,
                },
            )
            .unwrap();
        assert_eq!(via, direct, "seed {seed}");
    }
}

#[test]
fn rate_by_comparison_starts_from_the_prediction_or_the_visitors_spread() {
    let m = model();
    let v = Visitor::new(&m, &profile(&m));
    let known = v.rate_by_comparison(&m, Some(20));
    let p = v.predict(&m, 20).unwrap();
    assert!((known.mean() - p.mean.clamp(0.5, 5.0) as f64).abs() < 1e-3);
    let unknown = v.rate_by_comparison(&m, None);
    assert!((unknown.mean() - 3.25).abs() < 1e-9, "mean of 4.5 and 2");
    assert_eq!(v.comparison_anchors(Some(0)), vec![(1, 2.0)]);
}

#[test]
fn events_become_implicit_signals_the_strongest_kind_winning() {
    let m = model();
    let v = Visitor::new(&m, &profile(&m));
    let mut got: Vec<(usize, f64, f64)> = v
        .signals()
        .iter()
        .map(|s| (s.item, s.target, s.confidence))
        .collect();
    got.sort_by_key(|s| s.0);
    use crate::implicit::{INTEREST, UNSEEN, WATCHED};
    // Rated 0, 1 and compared 2, 3: watched. Liked 6, saved 9: interest. "Haven't seen" 4
    // (in a pair) and 10: not seen. Disliked 7 and hidden 8 say nothing about watching.
    assert_eq!(
        got,
        vec![
            (0, 1.0, WATCHED),
            (1, 1.0, WATCHED),
            (2, 1.0, WATCHED),
            (3, 1.0, WATCHED),
            (4, 0.0, UNSEEN),
            (6, 1.0, INTEREST),
            (9, 1.0, INTEREST),
            (10, 0.0, UNSEEN),
        ]
    );
    // A film both rated and liked is watched, once.
    let mut p = profile(&m);
    p.feedback(m.stable_id(0), Action::Like, 11);
    let v = Visitor::new(&m, &p);
    assert_eq!(v.signals().iter().filter(|s| s.item == 0).count(), 1);
    assert_eq!(v.signals()[0].confidence, WATCHED);
}

#[test]
fn a_dislike_never_raises_any_films_implicit_score_and_a_like_does() {
    let m = model();
    let imp = m.implicit().expect("the fixture has an implicit model");
    let base = profile(&m);
    let scores = |p: &Profile| -> Vec<f64> {
        let v = Visitor::new(&m, p);
        let taste = v.implicit().expect("fitted").clone();
        (0..m.len())
            .map(|i| imp.score(&taste, i, m.content_row(i)))
            .collect()
    };
    let before = scores(&base);
    for (j, film) in (20..60).filter(|&i| before[i] < 1.0).take(4).enumerate() {
        let mut disliked = base.clone();
        disliked.feedback(m.stable_id(film), Action::Dislike, 100 + j as i64);
        let after = scores(&disliked);
        for (i, (a, b)) in after.iter().zip(&before).enumerate() {
            assert!(a <= b, "disliking {film} raised film {i}: {b} → {a}");
        }
        // A like pulls the film's score towards the target 1 (it starts below it here).
        assert!(before[film] < 1.0);
        let mut liked = base.clone();
        liked.feedback(m.stable_id(film), Action::Like, 100 + j as i64);
        let after = scores(&liked);
        assert!(
            after[film] > before[film],
            "liking {film}: {} → {}",
            before[film],
            after[film]
        );
    }
}

#[test]
fn the_list_ranks_with_the_implicit_taste() {
    let m = model();
    let p = profile(&m);
    let v = Visitor::new(&m, &p);
    let request = ListRequest {
        top: 10,
        ..ListRequest::new(&p.settings)
    };
    let list = v.recommend(&m, &request).unwrap();
    let with = rank::recommend(
        &m,
        &v.taste().unwrap(),
        &v.exclusions(&p.settings),
        &v.rank_options(&request),
    );
    let without = rank::recommend(
        &m,
        &Taste::explicit(v.posterior().unwrap()),
        &v.exclusions(&p.settings),
        &v.rank_options(&request),
    );
    let items = |l: &[Recommendation]| l.iter().map(|r| r.item).collect::<Vec<_>>();
    let listed: Vec<usize> = list.iter().map(|e| e.rec.item).collect();
    assert_eq!(listed, items(&with));
    assert_ne!(
        items(&with),
        items(&without),
        "the implicit scores change the list"
    );
}

/// A profile stored before the blend holds the old default knobs (popularity 2, caution 1)
/// as explicit numbers: they read as the new defaults, so it gets exactly the default list.
/// And popularity, now a discovery knob, reaches less-known films when lowered.
#[test]
fn stored_default_knobs_give_the_default_list_and_lower_popularity_reaches_less_known_films() {
    let mut model = Model::from_bundle(random_bundle(6, 500, 4, 300));
    let term = |name: &str, weight: f32| crate::bundle::BlendTerm {
        name: name.into(),
        weight,
        per_log_answer: 0.0,
    };
    model.set_blend(&crate::bundle::Blend {
        terms: vec![
            term("mean", 0.6),
            term("implicit", 4.0),
            term("seen", 0.5),
            term("sd_item", 0.3),
        ],
        discovery_step: 0.5,
    });
    let json = r#"{"version":2,"events":[],"settings":{"popularity":2,"caution":1}}"#;
    let mut stored = Profile::from_json(json).expect("a stored profile reads");
    for (j, i) in [3usize, 40, 77].into_iter().enumerate() {
        stored.rate(model.stable_id(i), 4.5, Scale::Stars, j as i64);
    }
    let mut fresh = stored.clone();
    fresh.settings = Settings::default();
    let list = |p: &Profile, s: &Settings| -> Vec<usize> {
        Visitor::new(&model, p)
            .ranked(&model, &ListRequest::new(s))
            .unwrap()
            .iter()
            .map(|r| r.item)
            .collect()
    };
    assert_eq!(
        list(&stored, &stored.settings),
        list(&fresh, &Settings::default())
    );
    let votes = |l: &[usize]| -> f64 {
        l.iter()
            .map(|&i| (1.0 + model.movie(i).imdb_votes as f64).ln())
            .sum::<f64>()
            / l.len() as f64
    };
    let discover = Settings {
        popularity: 0.0,
        ..Settings::default()
    };
    let known = votes(&list(&fresh, &Settings::default()));
    let less = votes(&list(&fresh, &discover));
    assert!(
        less < known,
        "popularity 0: mean log votes {less} vs {known}"
    );
}

/// "Would I like this one?" gives a film of the list exactly its list entry, and any other
/// film (excluded or far down) an entry of the same kind.
#[test]
fn a_films_entry_is_its_list_entry_wherever_it_ranks() {
    let m = model();
    let p = profile(&m);
    let v = Visitor::new(&m, &p);
    let request = ListRequest {
        settings: Settings {
            exploration: 0.0,
            ..Settings::default()
        },
        ..ListRequest::new(&Settings::default())
    };
    let list = v.recommend(&m, &request).unwrap();
    for e in &list {
        let film = v.film(&m, e.rec.item, &request).unwrap();
        assert_eq!(&film.entry, e);
        assert_eq!(film.your_rating, None);
    }
    // Hidden (8) and disliked (7) films are out of the list but can still be asked about.
    for item in [7, 8, 59] {
        let e = v.entry(&m, item, &request).unwrap();
        assert_eq!(e.rec.item, item);
        let (lo, hi) = e.rec.interval80;
        assert!(lo <= e.rec.mean && e.rec.mean <= hi && lo < hi);
        assert_eq!(e.rec.mean, v.predict(&m, item).unwrap().mean);
    }
}

/// A rated film shows the visitor's rating beside the prediction made without it: exactly the
/// entry of the same profile with that rating withdrawn.
#[test]
fn a_rated_film_is_predicted_without_its_rating() {
    let m = model();
    let p = profile(&m);
    let v = Visitor::new(&m, &p);
    let request = ListRequest::new(&Settings::default());
    let film = v.film(&m, 0, &request).unwrap();
    let yours = film.your_rating.expect("film 0 is rated");
    assert_eq!((yours.value, yours.scale), (4.5, Scale::Stars));
    let mut without = p.clone();
    without.unrate(m.stable_id(0), 99);
    let want = Visitor::new(&m, &without).entry(&m, 0, &request).unwrap();
    assert_eq!(film.entry, want);
    // With the rating the model leans towards it; without, it does not know it.
    let with = v.entry(&m, 0, &request).unwrap();
    assert_ne!(with.rec.mean, film.entry.rec.mean);
    // A film the visitor answered about is never named as its own reason.
    for item in [0, 2, 6] {
        let e = v.entry(&m, item, &request).unwrap();
        assert!(
            e.reasons
                .iter()
                .all(|r| !matches!(r, Reason::BecauseYou { item: named, .. } if *named == item)),
            "{item}: {:?}",
            e.reasons
        );
    }
}

/// "More like this": at most ten films, each a neighbour of the film, none the visitor's list
/// leaves out, best by the list's score first, each with its list entry.
#[test]
fn more_like_this_is_the_neighbours_re_ranked_for_the_visitor() {
    let m = Model::from_bundle(random_bundle(3, 300, 4, 200));
    let mut p = Profile::default();
    let near = crate::similar::neighbours(&m, 0).merged;
    // Rate one neighbour and hide another: neither may come back.
    p.rate(m.stable_id(near[0]), 5.0, Scale::Stars, 1);
    p.feedback(m.stable_id(near[1]), Action::Hide, 2);
    let v = Visitor::new(&m, &p);
    let request = ListRequest::new(&Settings::default());
    let similar = v.similar(&m, 0, &request).unwrap();
    assert!(!similar.from_content_prior);
    assert_eq!(similar.entries.len(), SIMILAR_SHOWN);
    let out = v.exclusions(&request.settings);
    for e in &similar.entries {
        assert!(near.contains(&e.rec.item) && !out.contains(&e.rec.item) && e.rec.item != 0);
        assert_eq!(e, &v.entry(&m, e.rec.item, &request).unwrap());
    }
    assert!(similar
        .entries
        .windows(2)
        .all(|w| w[0].rec.score >= w[1].rec.score));
    // The best-scored of the nearest listable neighbours, by brute force.
    let taste = v.taste().unwrap();
    let opts = v.rank_options(&request);
    let mut all: Vec<(f32, usize)> = near
        .iter()
        .filter(|i| !out.contains(i))
        .take(SIMILAR_POOL)
        .map(|&i| (rank::recommendation_for(&m, &taste, &opts, i).score, i))
        .collect();
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let want: Vec<usize> = all.iter().take(SIMILAR_SHOWN).map(|x| x.1).collect();
    let got: Vec<usize> = similar.entries.iter().map(|e| e.rec.item).collect();
    assert_eq!(got, want);
}

/// A skip says nothing about taste: no evidence, no exclusion; the pair is only never asked
/// again. Undoing an answer takes it out of everything the session reads from it.
#[test]
fn a_skip_is_remembered_and_an_undo_is_honoured() {
    use crate::profile::CompareAnswer;
    let m = model();
    let mut p = Profile::default();
    p.compare(m.stable_id(11), m.stable_id(12), CompareAnswer::Skip, 1);
    p.compare(m.stable_id(13), m.stable_id(14), CompareAnswer::A, 2);
    let v = Visitor::new(&m, &p);
    assert!(v.evidence().comparisons.len() == 1 && v.evidence().observations.is_empty());
    assert!(v.ask_history().pairs.contains(&(11, 12)));
    let out = v.exclusions(&Settings::default());
    assert!(!out.contains(&11) && !out.contains(&12) && out.contains(&13));
    p.uncompare(m.stable_id(14), m.stable_id(13), 3);
    p.uncompare(m.stable_id(11), m.stable_id(12), 4);
    let v = Visitor::new(&m, &p);
    assert!(v.evidence().comparisons.is_empty());
    assert!(v.ask_history().pairs.is_empty());
    assert!(!v.exclusions(&Settings::default()).contains(&13));
}

/// A visitor whose 40 ratings are their IMDb line (stars = IMDb average / 2, to the half star)
/// gets a stack leaning on it; every shown prediction is the stack's mix of E[r] and the line,
/// and a rated film's "without your rating" is the calibration's held-out prediction.
#[test]
fn a_visitor_who_follows_imdb_is_shown_predictions_leaning_on_their_line() {
    let m = Model::from_bundle(random_bundle(11, 120, 3, 60));
    let films: Vec<usize> = (0..m.len())
        .filter(|&i| m.movie(i).imdb_rating.is_some())
        .take(40)
        .collect();
    assert_eq!(films.len(), 40);
    let mut p = Profile::default();
    for (at, &i) in films.iter().enumerate() {
        let stars = (m.movie(i).imdb_rating.unwrap() / 2.0 * 2.0).round() / 2.0;
        p.rate(
            m.stable_id(i),
            stars.clamp(0.5, 5.0),
            Scale::Stars,
            at as i64 + 1,
        );
    }
    let v = Visitor::new(&m, &p);
    let fit = *v.stack_fit().expect("40 rated films with an IMDb average");
    assert_eq!(fit.films, 40);
    assert!(fit.best >= 0.5, "the line orders the ratings: {fit:?}");
    assert!((fit.slope - 0.5).abs() < 0.05, "{fit:?}");
    let shown = fit.shipped();
    let post = v.posterior().unwrap();
    assert_eq!(post.stack(), shown);
    assert!(shown.weight > crate::stack::PRIOR_WEIGHT as f32);
    let unrated = (0..m.len())
        .find(|&i| !films.contains(&i) && m.movie(i).imdb_rating.is_some())
        .unwrap();
    let raw = post.predict_mean(&m, unrated);
    let imdb = m.movie(unrated).imdb_rating;
    let got = v.predict(&m, unrated).unwrap().unclipped;
    assert!((got - shown.shown(raw, imdb)).abs() < 1e-6);
    assert!(
        (got - (shown.intercept + shown.slope * imdb.unwrap())).abs()
            < (raw - (shown.intercept + shown.slope * imdb.unwrap())).abs() + 1e-6,
        "the shown mean is nearer the line than E[r]"
    );
    // A rated film: "would I like this one?" shows what the calibration held out.
    let cal = v.calibration(&m).unwrap();
    let request = ListRequest::new(&Settings::default());
    for held in cal.films.iter().take(5) {
        let film = v.film(&m, held.item, &request).unwrap();
        assert!(
            (film.entry.rec.mean - held.mean).abs() < 1e-4,
            "{} vs {}",
            film.entry.rec.mean,
            held.mean
        );
    }
    // Too few rated films with an IMDb average: no stack, E[r] shown as it is.
    let mut few = Profile::default();
    for &i in &films[..crate::stack::MIN_FILMS - 1] {
        few.rate(m.stable_id(i), 3.0, Scale::Stars, 1);
    }
    let v = Visitor::new(&m, &few);
    assert!(v.stack_fit().is_none());
    assert_eq!(v.posterior().unwrap().stack(), ImdbStack::default());
}
