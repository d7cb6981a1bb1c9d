//! The golden test across front ends: the `tools` binary (`recommend --json`), pkg's Rust API
//! (natively) and the app's list function, on one bundle and one profile holding ratings on
//! both scales, a comparison, a like, a dislike, a hidden film, a saved film and an unmatched
//! entry, with `exclude_saved` on and off, at exploration 0 and 1. All three go through the
//! engine's `Visitor`, so they must give the same movies in the same order, the same reasons
//! text and the same `exploring` flags; and the same "would I like this one?" prediction
//! (`tools predict`, pkg `predict`, the app's search results) for any film.

mod common;

use std::collections::BTreeSet;

use common::{ok, train_fixture};
use moviematch::profile::{Action, CompareAnswer, Profile, Scale};
use moviematch::{Model, StableId};
use moviematch_app::hooks::use_personal::{recommendations, Personal};
use serde_json::Value;

/// What a front end's list says: (movieId, reasons, exploring) per entry.
type Golden = Vec<(u32, Vec<String>, bool)>;

fn golden_profile(model: &Model) -> Profile {
    let mut by_count: Vec<usize> = (0..model.len()).collect();
    by_count.sort_by_key(|&i| std::cmp::Reverse(model.movie(i).ml_count));
    let id = |j: usize| model.stable_id(by_count[j]);
    let tt = |j: usize| {
        let m = model.movie(by_count[j]);
        StableId::Imdb(
            m.tconst()
                .expect("the fixture's popular movies have IMDb ids"),
        )
    };
    let mut p = Profile::default();
    p.rate(id(0), 4.5, Scale::Stars, 1);
    p.rate(id(1), 1.5, Scale::Stars, 2);
    p.rate(tt(2), 9.0, Scale::Ten, 3);
    p.rate(tt(3), 3.0, Scale::Ten, 4);
    p.rate(
        StableId::Unmatched {
            title: "A Film No Catalogue Has".into(),
            year: Some(2031),
            source: "imdb".into(),
        },
        7.0,
        Scale::Ten,
        5,
    );
    p.compare(id(4), id(5), CompareAnswer::A, 6);
    p.feedback(id(6), Action::Like, 7);
    p.feedback(id(7), Action::Dislike, 8);
    p.feedback(id(8), Action::Hide, 9);
    p.feedback(id(9), Action::Save, 10);
    p
}

fn from_cli(bundle: &str, profile: &str) -> Golden {
    let out = ok(&[
        "recommend",
        "--bundle",
        bundle,
        "--profile",
        profile,
        "--json",
    ]);
    let v: Value = serde_json::from_str(&out).expect("stdout is one JSON document");
    let entries = v.as_array().expect("a JSON array");
    let keys: BTreeSet<&str> = [
        "movieId",
        "imdb",
        "title",
        "year",
        "mean",
        "low",
        "high",
        "reasons",
        "exploring",
    ]
    .into();
    entries
        .iter()
        .map(|e| {
            let o = e.as_object().expect("entries are objects");
            assert_eq!(o.keys().map(String::as_str).collect::<BTreeSet<_>>(), keys);
            let (mean, low, high) = (
                o["mean"].as_f64().unwrap(),
                o["low"].as_f64().unwrap(),
                o["high"].as_f64().unwrap(),
            );
            assert!(low <= mean && mean <= high, "{e}");
            (
                o["movieId"].as_u64().unwrap() as u32,
                o["reasons"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_string())
                    .collect(),
                o["exploring"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn from_pkg(model: &Model, profile: &Profile) -> Golden {
    moviematch_js::api::recommend(model, profile, &moviematch_js::Options::default())
        .expect("pkg lists")
        .into_iter()
        .map(|r| (r.movie.id, r.reasons, r.exploring))
        .collect()
}

fn from_app(model: &Model, profile: &Profile) -> Golden {
    let personal = Personal::new(model, profile);
    recommendations(model, &personal, &profile.settings)
        .list
        .expect("the app lists")
        .into_iter()
        .map(|(r, reasons)| {
            (
                model.movie(r.item).movie_id,
                reasons.iter().map(|x| x.describe(model)).collect(),
                r.exploring,
            )
        })
        .collect()
}

#[test]
fn cli_pkg_and_app_give_the_same_list() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "golden.bin", "8");
    let model = Model::from_bytes(&std::fs::read(&bundle).unwrap()).unwrap();
    let base = golden_profile(&model);
    let mut any_exploring = false;
    for exclude_saved in [false, true] {
        for exploration in [0.0, 1.0] {
            let mut profile = base.clone();
            profile.settings.exclude_saved = exclude_saved;
            profile.settings.exploration = exploration;
            let path = tmp.path().join("golden.json");
            std::fs::write(&path, profile.to_json()).unwrap();
            let case = format!("exclude_saved {exclude_saved}, exploration {exploration}");
            let cli = from_cli(bundle.to_str().unwrap(), path.to_str().unwrap());
            let pkg = from_pkg(&model, &profile);
            let app = from_app(&model, &profile);
            assert_eq!(cli.len(), 20, "{case}");
            assert_eq!(cli, pkg, "CLI and pkg differ ({case})");
            assert_eq!(cli, app, "CLI and app differ ({case})");
            // The profile's answers are honoured: rated, compared, disliked and hidden films
            // never listed; the saved one only when the list may hold it.
            let listed: BTreeSet<u32> = cli.iter().map(|e| e.0).collect();
            let movie_id = |id: &StableId| model.movie(model.resolve(id).unwrap()).movie_id;
            for r in profile
                .ratings()
                .iter()
                .filter(|r| model.resolve(&r.item).is_some())
            {
                assert!(!listed.contains(&movie_id(&r.item)), "{case}");
            }
            for (id, _) in profile.likes().into_iter().filter(|(_, liked)| !liked) {
                assert!(
                    !listed.contains(&movie_id(&id)),
                    "a disliked film listed ({case})"
                );
            }
            for id in profile.hidden() {
                assert!(!listed.contains(&movie_id(&id)), "{case}");
            }
            if exclude_saved {
                assert!(!listed.contains(&movie_id(&profile.saved()[0])), "{case}");
            }
            if exploration == 0.0 {
                assert!(
                    cli.iter().all(|e| !e.2),
                    "no exploring entry without exploration"
                );
            }
            any_exploring |= cli.iter().any(|e| e.2);
            assert!(
                cli.iter().any(|e| !e.1.is_empty()),
                "some entries have reasons ({case})"
            );
        }
    }
    assert!(
        any_exploring,
        "exploration 1 puts at least one exploring entry in a list"
    );
}

/// "Would I like this one?" across front ends: `tools predict --json`, pkg's `predict` and the
/// app's `Personal::prediction` give the same prediction, interval, reasons and rating for a
/// listed film, a rated one (predicted without its rating), a disliked one and a far-down one.
#[test]
fn cli_pkg_and_app_give_the_same_prediction() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "golden.bin", "8");
    let model = Model::from_bytes(&std::fs::read(&bundle).unwrap()).unwrap();
    let mut profile = golden_profile(&model);
    profile.settings.exploration = 0.0;
    let path = tmp.path().join("golden.json");
    std::fs::write(&path, profile.to_json()).unwrap();
    let visitor = moviematch::Visitor::new(&model, &profile);
    let request = moviematch::ListRequest::new(&profile.settings);
    let listed = visitor.ranked(&model, &request).unwrap()[0].item;
    let rated = profile
        .ratings()
        .iter()
        .find_map(|r| model.resolve(&r.item))
        .unwrap();
    let disliked = model
        .resolve(&profile.likes().into_iter().find(|l| !l.1).unwrap().0)
        .unwrap();
    let personal = Personal::new(&model, &profile);
    let o = moviematch_js::Options {
        exploration: Some(0.0),
        ..Default::default()
    };
    let pkg_request = moviematch_js::api::request(&model, &profile.settings, &o).unwrap();
    let mut checked_rated = false;
    for item in [listed, rated, disliked, model.len() - 1] {
        let m = model.movie(item);
        let cli = ok(&[
            "predict",
            &m.title,
            "--year",
            &m.year.map_or(String::new(), |y| y.to_string()),
            "--bundle",
            bundle.to_str().unwrap(),
            "--profile",
            path.to_str().unwrap(),
            "--json",
        ]);
        let cli: Value = serde_json::from_str(&cli).unwrap();
        // The fixture repeats some titles: compare on the film the title named.
        let item = model
            .by_movielens_id(cli["movieId"].as_u64().unwrap() as u32)
            .unwrap();
        let m = model.movie(item);
        let pkg =
            moviematch_js::api::predict(&model, &visitor, &model.stable_id(item), &pkg_request)
                .unwrap();
        let app = personal
            .prediction(&model, item, &profile.settings)
            .unwrap();
        let reasons: Vec<String> = app
            .entry
            .reasons
            .iter()
            .map(|r| r.describe(&model))
            .collect();
        let one = |v: f32| (v * 10.0).round() / 10.0;
        assert_eq!(cli["reasons"], serde_json::json!(reasons), "{}", m.title);
        assert_eq!(pkg.entry.reasons, reasons, "{}", m.title);
        assert_eq!(cli["mean"].as_f64().unwrap() as f32, one(pkg.entry.mean));
        assert_eq!(cli["low"].as_f64().unwrap() as f32, one(pkg.entry.low));
        assert_eq!(pkg.entry.mean, app.entry.rec.mean);
        let yours = app.your_rating.as_ref().map(|r| r.stars());
        assert_eq!(pkg.your_rating, yours);
        assert_eq!(cli["yourRating"].as_f64().map(|v| v as f32), yours);
        assert_eq!(yours.is_some(), item == rated, "{}", m.title);
        checked_rated |= item == rated;
    }
    assert!(checked_rated, "the rated film was compared");
}
