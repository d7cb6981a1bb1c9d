use super::*;
use moviematch::explain::{EXPLORING, REASONS};
use moviematch::fixture;
use moviematch::rank::LIST_LENGTH;

use crate::cache::{TrackedProfile, VisitorCache};
use crate::interop::parse_mode;

fn model() -> Model {
    Model::from_bundle(fixture::random_bundle(7, 400, 4, 200))
}

fn fan(m: &Model) -> Profile {
    let mut p = Profile::default();
    for (i, r) in [(0, 5.0), (1, 4.5), (2, 1.0)] {
        p.rate(m.stable_id(i), r, Scale::Stars, i as i64);
    }
    p
}

#[test]
fn ratings_are_checked() {
    assert!(check_rating(4.5, Scale::Stars).is_ok());
    for bad in [0.0, 4.3, 5.5, f32::NAN] {
        let e = check_rating(bad, Scale::Stars).unwrap_err();
        assert_eq!(e.code(), "bad_option", "{bad}");
    }
    assert!(check_rating(7.0, Scale::Ten).is_ok());
    assert!(check_rating(7.5, Scale::Ten).is_err());
    let mut p = Profile::default();
    assert!(rate(&mut p, StableId::Movielens(1), 7.0, Scale::Stars, 1).is_err());
    assert!(p.events.is_empty(), "a refused rating changes nothing");
    let a = StableId::Movielens(1);
    assert!(compare(&mut p, a.clone(), a.clone(), "a", 1).is_err());
    compare(&mut p, a, StableId::Movielens(2), "b", 1).unwrap();
    assert_eq!(p.comparisons().len(), 1);
}

#[test]
fn recommendations_leave_out_rated_movies_and_obey_filters() {
    let m = model();
    let p = fan(&m);
    let list = recommend(&m, &p, &Options::default()).unwrap();
    assert_eq!(list.len(), LIST_LENGTH);
    let rated: Vec<u32> = (0..3).map(|i| m.movie(i).movie_id).collect();
    for r in &list {
        assert!(!rated.contains(&r.movie.id));
        assert!(r.low <= r.mean && r.mean <= r.high, "{r:?}");
        assert!((0.5..=5.0).contains(&r.mean));
        assert!(r.reasons.len() <= REASONS);
        assert!(!r.exploring, "no exploration, no exploring");
    }
    let o = Options {
        year_min: Some(2000),
        genres_any: Some(vec!["Drama".into()]),
        top: Some(5),
        ..Options::default()
    };
    let list = recommend(&m, &p, &o).unwrap();
    assert!(!list.is_empty() && list.len() <= 5);
    for r in &list {
        assert!(r.movie.year.unwrap() >= 2000);
        assert!(r.movie.genres.iter().any(|g| g == "Drama"), "{r:?}");
    }
    assert!(recommend(
        &m,
        &p,
        &Options {
            top: Some(0),
            ..Options::default()
        }
    )
    .unwrap()
    .is_empty());
    let e = recommend(
        &m,
        &p,
        &Options {
            genres_all: Some(vec!["Space Opera".into()]),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "bad_option");
}

/// The list is the visitor session's, entry for entry.
#[test]
fn the_list_is_the_visitors() {
    let m = model();
    let p = fan(&m);
    let o = Options {
        exploration: Some(1.0),
        popularity: Some(0.5),
        ..Options::default()
    };
    let ours = recommend(&m, &p, &o).unwrap();
    let req = o.list_options(&m).unwrap().request(&p.settings);
    let theirs = Visitor::new(&m, &p).recommend(&m, &req).unwrap();
    assert_eq!(ours.len(), theirs.len());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a.movie.id, m.movie(b.rec.item).movie_id);
        assert_eq!(a.exploring, b.rec.exploring);
        let words: Vec<String> = b.reasons.iter().map(|w| w.describe(&m)).collect();
        assert_eq!(a.reasons, words);
    }
    // A recommendation is a movie plus its prediction.
    let json = serde_json::to_value(&ours[0]).unwrap();
    let movie = serde_json::to_value(MovieOut::new(&m, theirs[0].rec.item)).unwrap();
    let obj = json.as_object().unwrap();
    for (k, v) in movie.as_object().unwrap() {
        assert_eq!(obj.get(k), Some(v), "{k}");
    }
    for k in ["mean", "low", "high", "sd", "reasons", "exploring"] {
        assert!(obj.contains_key(k), "{k}");
    }
    assert_eq!(obj.len(), 13);
}

/// The engine's cached visitor gives the list a fresh fit gives, for any settings.
#[test]
fn the_cached_visitor_gives_the_same_lists() {
    let m = model();
    let mut tracked = TrackedProfile::new(fan(&m));
    let mut cache = VisitorCache::default();
    for (popularity, genre) in [(0.0, "Drama"), (1.0, "Comedy"), (-1.0, "Action")] {
        let o = Options {
            popularity: Some(popularity),
            genres_any: Some(vec![genre.into()]),
            ..Options::default()
        };
        // Changing the stored settings does not refit either.
        let stored = Options {
            caution: Some(popularity + 1.0),
            ..Options::default()
        };
        set_settings(&m, tracked.settings_mut(), &stored).unwrap();
        let req = request(&m, &tracked.profile().settings, &o).unwrap();
        let cached = list(&m, cache.visitor(&m, &tracked, &req.settings), &req).unwrap();
        assert_eq!(cached, recommend(&m, tracked.profile(), &o).unwrap());
    }
    assert_eq!(cache.fits(), 1);
    tracked
        .edit(|p| rate(p, m.stable_id(9), 5.0, Scale::Stars, 9))
        .unwrap();
    let req = request(&m, &tracked.profile().settings, &Options::default()).unwrap();
    let cached = list(&m, cache.visitor(&m, &tracked, &req.settings), &req).unwrap();
    assert_eq!(cache.fits(), 2);
    assert_eq!(
        cached,
        recommend(&m, tracked.profile(), &Options::default()).unwrap()
    );
    assert!(cached.iter().all(|r| r.movie.id != m.movie(9).movie_id));
}

/// With exploration, exactly the movies the plain list leaves out say "exploring" first.
#[test]
fn exploring_movies_say_so_first() {
    let m = model();
    let p = fan(&m);
    let list = |exploration: f32| {
        let o = Options {
            exploration: Some(exploration),
            ..Options::default()
        };
        recommend(&m, &p, &o).unwrap()
    };
    let plain: Vec<u32> = list(0.0).iter().map(|r| r.movie.id).collect();
    let explored = list(3.0);
    let mut n = 0;
    for r in &explored {
        let exploring = r.reasons.first().map(String::as_str) == Some(EXPLORING);
        assert_eq!(exploring, !plain.contains(&r.movie.id), "{r:?}");
        assert_eq!(exploring, r.exploring, "{r:?}");
        assert!(r.reasons.len() <= REASONS);
        n += exploring as usize;
    }
    assert!(n > 0, "exploration 3 changed nothing");
}

#[test]
fn search_and_movie_objects() {
    let m = model();
    let hits = search(&m, "some movie", 3);
    assert_eq!(hits.len(), 3);
    assert_eq!(hits[0].title, "Some Movie");
    assert!(search(&m, "some movie", usize::MAX).len() <= m.len());
    assert!(search(&m, "", 10).is_empty());
    let first = movie(&m, &StableId::Imdb("tt1000000".into())).unwrap();
    assert_eq!(first, MovieOut::new(&m, 0));
    assert_eq!(movie(&m, &m.stable_id(0)), Some(first));
    assert_eq!(movie(&m, &StableId::Imdb("tt9999999".into())), None);
}

#[test]
fn settings_are_stored_and_read_back() {
    let m = model();
    let mut p = Profile::default();
    let o = Options {
        year_max: Some(1990),
        genres_any: Some(vec!["comedy".into()]),
        ..Options::default()
    };
    set_settings(&m, &mut p.settings, &o).unwrap();
    let back = settings(&m, &Profile::from_json(&p.to_json()).unwrap().settings);
    assert_eq!(back.year_max, Some(1990));
    assert_eq!(back.genres_any, Some(vec!["Comedy".to_string()]));
    let e = set_settings(
        &m,
        &mut p.settings,
        &Options {
            seed: Some(1.0),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.code(), "bad_option");
}

#[test]
fn share_links_round_trip_and_bad_ones_say_why() {
    let mut p = Profile::default();
    p.rate(StableId::Movielens(2571), 5.0, Scale::Stars, 1);
    p.rate(StableId::Imdb("tt0078748".into()), 9.0, Scale::Ten, 2);
    let link = share::encode_profile(&p);
    let mut back = decode_share(&link).unwrap();
    back.sort_by_key(|r| r.id.to_string());
    assert_eq!(
        back,
        vec![
            RatingOut::new(&StableId::Imdb("tt0078748".into()), 9.0, Scale::Ten),
            RatingOut::new(&StableId::Movielens(2571), 5.0, Scale::Stars),
        ]
    );
    assert_eq!(back[1].id, serde_json::json!(2571));
    let q = profile_from_share(&format!("https://example.org/#share={link}"), 7).unwrap();
    assert_eq!(q.ratings().len(), 2);
    // Change one character in the middle: the checksum catches it.
    let mut bytes = link.into_bytes();
    let mid = bytes.len() / 2;
    bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
    let e = decode_share(&String::from_utf8(bytes).unwrap()).unwrap_err();
    assert_eq!(e.code(), "bad_share_link");
    assert!(e.to_string().contains("checksum"), "{e}");
    assert!(decode_share("").is_err());
}

#[test]
fn profiles_that_cannot_be_read_say_why() {
    let e: PkgError = Profile::from_json(r#"{"version":99,"events":[]}"#)
        .unwrap_err()
        .into();
    assert_eq!(e.code(), "future_profile");
    let e: PkgError = Profile::from_json(r#"{"version":1,"#).unwrap_err().into();
    assert_eq!(e.code(), "bad_profile");
    let e: PkgError = Model::from_bytes(b"not a bundle").unwrap_err().into();
    assert_eq!(e.code(), "bad_bundle");
}

#[test]
fn imports_an_imdb_export_merging_or_replacing() {
    let m = model();
    let csv = "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n\
tt1000000,9,2024-01-02,Some Movie,https://www.imdb.com/title/tt1000000/,Movie,8.7,136,2001,Drama,2000,2001-03-31,X\n\
tt1000001,3,2024-01-03,Some Movie,https://www.imdb.com/title/tt1000001/,Movie,6.0,100,2001,Drama,2000,2001-03-31,X\n\
tt9999999,7,2024-01-04,Not Here,https://www.imdb.com/title/tt9999999/,Movie,6.0,100,2001,Drama,2000,2001-03-31,X\n";
    let mut p = Profile::default();
    p.rate(m.stable_id(1), 5.0, Scale::Stars, 1);
    p.rate(m.stable_id(5), 5.0, Scale::Stars, 1);
    let out = import_csv(&m, &mut p, csv.as_bytes(), parse_mode(None).unwrap(), 2).unwrap();
    assert_eq!(
        (
            out.format,
            out.rows,
            out.matched,
            out.ambiguous,
            out.unmatched
        ),
        ("imdb", 3, 2, 0, 1)
    );
    assert_eq!((out.added, out.kept_yours, out.withdrawn), (2, 1, 0));
    assert_eq!(p.ratings().len(), 4);
    let out = import_csv(
        &m,
        &mut p,
        csv.as_bytes(),
        parse_mode(Some("replace")).unwrap(),
        3,
    )
    .unwrap();
    assert_eq!((out.added, out.withdrawn), (3, 4));
    assert_eq!(p.ratings().len(), 3);
    let e = import_csv(&m, &mut p, b"hello,world\n1,2\n", ImportMode::Merge, 4).unwrap_err();
    assert_eq!(e.code(), "bad_import");
    assert!(!e.to_string().is_empty());
    assert!(import_csv(&m, &mut p, b"", ImportMode::Merge, 4).is_err());
    assert_eq!(p.ratings().len(), 3, "a refused file changes nothing");
}

/// `engine.predict`: a listed movie's prediction is its list entry plus `yourRating: null`; a
/// rated one carries the rating; an id the catalogue does not know is `unknown_movie`.
#[test]
fn predictions_are_list_entries_with_your_rating() {
    let m = model();
    let p = fan(&m);
    let o = Options {
        exploration: Some(0.0),
        ..Options::default()
    };
    let list = recommend(&m, &p, &o).unwrap();
    let request = request(&m, &p.settings, &o).unwrap();
    let v = Visitor::new(&m, &p);
    let first = StableId::Movielens(list[0].movie.id);
    let first = predict(&m, &v, &first, &request).unwrap();
    assert_eq!(first.entry, list[0]);
    assert_eq!(first.your_rating, None);
    let rated = predict(&m, &v, &m.stable_id(1), &request).unwrap();
    assert_eq!(rated.your_rating, Some(4.5));
    assert!(rated.entry.low <= rated.entry.mean && rated.entry.mean <= rated.entry.high);
    let unknown = predict(&m, &v, &StableId::Imdb("tt9999999".into()), &request);
    assert!(
        matches!(unknown, Err(PkgError::UnknownMovie(_))),
        "{unknown:?}"
    );
}

/// `engine.similar`: ten films near the one asked about, none the visitor's list leaves out.
#[test]
fn similar_films_are_re_ranked_list_entries() {
    let m = model();
    let p = fan(&m);
    let v = Visitor::new(&m, &p);
    let request = request(&m, &p.settings, &Options::default()).unwrap();
    let out = similar(&m, &v, &m.stable_id(3), &request).unwrap();
    assert_eq!(out.movie, MovieOut::new(&m, 3));
    assert_eq!(out.similar.len(), 10);
    let rated: Vec<u32> = (0..3).map(|i| m.movie(i).movie_id).collect();
    assert!(out
        .similar
        .iter()
        .all(|r| r.movie.id != m.movie(3).movie_id && !rated.contains(&r.movie.id)));
    let unknown = similar(&m, &v, &StableId::Imdb("tt9999999".into()), &request);
    assert!(matches!(unknown, Err(PkgError::UnknownMovie(_))));
}

/// `engine.recommendFor`: each film's prediction is its least happy member's; what any member
/// rated is out.
#[test]
fn a_groups_list_shows_each_film_by_its_least_happy_member() {
    let m = model();
    let owner = fan(&m);
    let mut friend = Profile::default();
    for (i, r) in [(3, 5.0), (4, 0.5)] {
        friend.rate(m.stable_id(i), r, Scale::Stars, i as i64);
    }
    let list = recommend_for(&m, &[owner.clone(), friend], &Options::default()).unwrap();
    assert_eq!(list.len(), LIST_LENGTH);
    let rated: Vec<u32> = (0..5).map(|i| m.movie(i).movie_id).collect();
    for e in &list {
        assert_eq!(e.members.len(), 2);
        assert!(e
            .members
            .iter()
            .any(|x| x.mean == e.entry.mean && x.low == e.entry.low));
        assert!(!rated.contains(&e.entry.movie.id) && !e.entry.exploring);
    }
    assert!(matches!(
        recommend_for(&m, &[], &Options::default()),
        Err(PkgError::BadOption(_))
    ));
}
