//! Every export variant visitors really have, imported against the committed default bundle
//! (web/model.bin) the way the app and `tools import` do it (`plan_import` then `apply`).
//! The fixtures in tests/fixtures/imports/ are written in each variant's exact format (see the
//! README there); the Letterboxd zip and the 50 MB file are generated here, never committed.
//! Prints each fixture's match rate (`import_match <file> matched/rows`).
#![cfg(not(target_arch = "wasm32"))]

use std::sync::OnceLock;

use moviematch::fixture::zip_of;
use moviematch::import::ImportError;
use moviematch::import_plan::{plan_import, ImportMode, RowMatch};
use moviematch::{Bundle, Model, Profile, Scale, StableId};

fn model() -> &'static Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL.get_or_init(|| {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/web/model.bin"))
            .expect("web/model.bin is committed");
        Model::from_bundle(Bundle::decode(&bytes).expect("the default bundle decodes"))
    })
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/imports/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn title_of(id: &StableId) -> String {
    let m = model();
    m.resolve(id)
        .map_or(format!("{id:?}"), |i| m.movie(i).title.clone())
}

/// The four IMDb variants hold the same 15 ratings: 11 films the catalogue knows, two TV
/// series, a TV episode and two films newer than the catalogue (all 15 kept).
#[test]
fn every_imdb_variant_imports_the_same_ratings() {
    let mut seen: Option<Vec<(StableId, f32)>> = None;
    for name in [
        "imdb-current.csv",
        "imdb-bom-crlf.csv",
        "imdb-windows-1252.csv",
        "imdb-older.csv",
    ] {
        let plan = plan_import(model(), &fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        let c = plan.counts();
        println!("import_match {name} {}/{}", c.matched, c.rows);
        assert_eq!(c.format, "imdb");
        assert_eq!((c.rows, c.ambiguous), (15, 0), "{name}");
        assert_eq!(c.matched + c.unmatched, 15);
        // Known films match; the series, episode and post-2019 films do not.
        for row in &plan.rows {
            let should = ![
                "Breaking Bad",
                "Ozymandias",
                "Chernobyl",
                "Oppenheimer",
                "Hamilton",
            ]
            .contains(&row.title.as_str());
            assert_eq!(
                matches!(row.status, RowMatch::Matched { .. }),
                should,
                "{name}: {}",
                row.title
            );
            assert!(
                row.rated_at.is_some(),
                "{name}: the date of {} is read",
                row.title
            );
        }
        assert_eq!(
            plan.rows[2].title, "Amélie",
            "{name}: accents survive the encoding"
        );
        let mut profile = Profile::default();
        let done = plan.apply(model(), &mut profile, ImportMode::Merge, 1);
        assert_eq!((done.added, done.unmatched), (15, 5));
        let mut got: Vec<(StableId, f32)> = profile
            .ratings()
            .into_iter()
            .map(|r| {
                assert_eq!(r.scale, Scale::Ten);
                (r.item, r.value)
            })
            .collect();
        got.sort_by(|a, b| format!("{:?}", a.0).cmp(&format!("{:?}", b.0)));
        match &seen {
            None => seen = Some(got),
            Some(first) => assert_eq!(first, &got, "{name} imports what the others do"),
        }
    }
    let got = seen.unwrap();
    // A film the catalogue lacks keeps its title (what the visitor sees) and its IMDb id (what
    // a later bundle resolves it by).
    assert!(got.iter().any(|(id, _)| *id
        == StableId::Unmatched {
            title: "Oppenheimer".into(),
            year: Some(2023),
            source: "imdb:tt15398776".into()
        }));
    let known_by_id = StableId::Unmatched {
        title: "Some other title".into(),
        year: None,
        source: "imdb:tt0133093".into(),
    };
    assert_eq!(
        model().resolve(&known_by_id),
        model().resolve(&StableId::Imdb("tt0133093".into()))
    );
    assert!(got
        .iter()
        .any(|(id, v)| title_of(id).contains("Matrix") && *v == 10.0));
}

/// Letterboxd rows match by title and year ±1; the one without a year has many candidates and
/// waits for the visitor; films newer than the catalogue are kept unmatched.
#[test]
fn letterboxd_csv_and_zip_import_alike() {
    let csv = fixture("letterboxd-ratings.csv");
    let plan = plan_import(model(), &csv).unwrap();
    let c = plan.counts();
    println!(
        "import_match letterboxd-ratings.csv {}/{}",
        c.matched, c.rows
    );
    assert_eq!((c.format, c.rows), ("letterboxd", 24));
    assert_eq!(c.rows, c.matched + c.ambiguous + c.unmatched);
    let status = |t: &str| {
        plan.rows
            .iter()
            .find(|r| r.title == t)
            .map(|r| r.status.clone())
            .unwrap()
    };
    for t in [
        "The Matrix",
        "Amélie",
        "Spirited Away",
        "Léon: The Professional",
        "WALL·E",
    ] {
        let RowMatch::Matched { item, .. } = status(t) else {
            panic!("{t} should match, got {:?}", status(t))
        };
        let mv = model().movie(item);
        println!("  {t} -> {} ({:?})", mv.title, mv.year);
    }
    // Letterboxd dates Cinema Paradiso 1988, MovieLens 1989: a year apart still matches, less sure.
    assert!(
        matches!(status("Cinema Paradiso"), RowMatch::Matched { confidence, .. } if confidence < 1.0)
    );
    let RowMatch::Ambiguous {
        candidates,
        chosen: None,
    } = status("Hamlet")
    else {
        panic!(
            "Hamlet without a year must be the visitor's choice: {:?}",
            status("Hamlet")
        )
    };
    assert!(candidates.len() >= 3);
    for t in ["Dune: Part Two", "Everything Everywhere All at Once"] {
        assert_eq!(status(t), RowMatch::Unmatched, "{t}");
    }
    // Letterboxd's "The Intouchables" and "Oldboy" are MovieLens' "Intouchables" and "Old
    // Boy": found through the loose key, with less confidence.
    for (t, catalogue) in [("The Intouchables", "Intouchables"), ("Oldboy", "Old Boy")] {
        let RowMatch::Matched { item, confidence } = status(t) else {
            panic!("{t}: {:?}", status(t))
        };
        assert_eq!(model().movie(item).title, catalogue);
        assert!(confidence < 1.0);
    }
    assert_eq!((c.matched, c.ambiguous, c.unmatched), (21, 1, 2));

    // The export zip as Letterboxd ships it: the same plan.
    let zip = zip_of(&[
        ("profile.csv", b"Date Joined,Username\n2020-01-01,someone\n"),
        (
            "diary.csv",
            b"Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n",
        ),
        ("watched.csv", b"Date,Name,Year,Letterboxd URI\n"),
        ("ratings.csv", &csv),
        (
            "deleted/ratings.csv",
            b"Date,Name,Year,Letterboxd URI,Rating\n",
        ),
    ]);
    let from_zip = plan_import(model(), &zip).unwrap();
    assert_eq!(from_zip, plan);
    let committed = plan_import(model(), &fixture("letterboxd-export.zip")).unwrap();
    assert_eq!(
        committed, plan,
        "the committed export zip (made by Python's zipfile)"
    );

    // Choosing among the candidates, then writing: every row lands in the profile.
    let mut plan = plan;
    let hamlet = plan.rows.iter().position(|r| r.title == "Hamlet").unwrap();
    assert!(!plan.choose(0, None), "a matched row is not a choice");
    assert!(
        !plan.choose(hamlet, Some(usize::MAX)),
        "only a candidate can be chosen"
    );
    assert!(plan.choose(hamlet, Some(candidates[1])));
    assert_eq!(plan.counts().ambiguous, 0);
    let mut profile = Profile::default();
    let done = plan.apply(model(), &mut profile, ImportMode::Merge, 1);
    assert_eq!(done.added, 24);
    assert_eq!(
        profile
            .ratings()
            .iter()
            .filter(|r| model().resolve(&r.item) == Some(candidates[1]))
            .count(),
        1
    );
}

/// Merge keeps what the visitor rated (under either id); replace withdraws it first.
#[test]
fn merge_keeps_mine_replace_withdraws_mine() {
    let m = model();
    let matrix = m.resolve(&StableId::Imdb("tt0133093".into())).unwrap();
    let mut mine = Profile::default();
    mine.rate(m.stable_id(matrix), 1.0, Scale::Stars, 0);
    mine.rate(StableId::Movielens(1), 2.0, Scale::Stars, 0); // Toy Story
    mine.rate(StableId::Movielens(318), 5.0, Scale::Stars, 0); // not in the file
    let plan = plan_import(m, &fixture("imdb-current.csv")).unwrap();

    let mut merged = mine.clone();
    let done = plan.apply(m, &mut merged, ImportMode::Merge, 5);
    assert_eq!((done.added, done.kept_yours, done.withdrawn), (13, 2, 0));
    assert_eq!(merged.ratings().len(), 16);
    let rating_of = |p: &Profile, i: usize| {
        p.ratings()
            .into_iter()
            .filter(|r| m.resolve(&r.item) == Some(i))
            .map(|r| (r.value, r.scale))
            .collect::<Vec<_>>()
    };
    assert_eq!(rating_of(&merged, matrix), vec![(1.0, Scale::Stars)]);

    let mut replaced = mine.clone();
    let done = plan.apply(m, &mut replaced, ImportMode::Replace, 5);
    assert_eq!((done.added, done.kept_yours, done.withdrawn), (15, 0, 3));
    assert_eq!(replaced.ratings().len(), 15);
    assert_eq!(rating_of(&replaced, matrix), vec![(10.0, Scale::Ten)]);
    // A file rating one film twice: one rating, the later row's.
    let twice = b"Const,Your Rating\ntt0133093,3\ntt0133093,9\n";
    let mut p = Profile::default();
    let done = plan_import(m, twice)
        .unwrap()
        .apply(m, &mut p, ImportMode::Merge, 1);
    assert_eq!(done.added, 1);
    assert_eq!(p.ratings()[0].value, 9.0);
}

/// Files that are not exports get a reason a visitor can act on, never a panic.
#[test]
fn wrong_files_are_refused_with_a_reason() {
    let m = model();
    let err = |bytes: &[u8]| plan_import(m, bytes).unwrap_err();
    assert_eq!(err(b""), ImportError::Empty);
    assert_eq!(err(b" \r\n\n"), ImportError::Empty);
    // A binary file renamed .csv (a PNG header, then noise).
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
    assert_eq!(err(&png), ImportError::Binary);
    // A CSV from another site: Netflix's viewing history.
    let netflix = "Title,Date\n\"Stranger Things: Season 1: Chapter One\",1/2/2024\n";
    let e = err(netflix.as_bytes());
    assert_eq!(e, ImportError::UnknownFormat("Title,Date".into()));
    assert!(e.to_string().contains("not an IMDb or Letterboxd"), "{e}");
    // A zip that is not a Letterboxd export, and a truncated one.
    assert_eq!(
        err(&zip_of(&[("notes.txt", b"hello")])),
        ImportError::NoRatingsInArchive
    );
    let mut cut = zip_of(&[("ratings.csv", &fixture("letterboxd-ratings.csv"))]);
    cut.truncate(cut.len() - 30);
    assert!(matches!(err(&cut), ImportError::Archive(_)));
    // An IMDb export with a rating out of range names the row.
    let bad = b"Const,Your Rating\ntt0133093,9\ntt0114709,11\n";
    assert!(err(bad).to_string().contains("row 3"), "{}", err(bad));
}

/// A 50 MB export (generated here, ~330,000 rows) imports whole: counts add up, nothing is
/// dropped. Its time is reported by `cargo bench`, not asserted.
#[test]
fn a_fifty_megabyte_export_imports_whole() {
    let m = model();
    let head = "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n";
    let mut text = String::with_capacity(52 << 20);
    text.push_str(head);
    let mut rows = 0usize;
    while text.len() < 50 << 20 {
        // Real ids of films in the catalogue alternate with ids no catalogue has.
        let id = if rows.is_multiple_of(2) {
            133_093
        } else {
            90_000_000 + rows
        };
        text.push_str(&format!(
            "tt{id:07},{},2024-01-01,Film number {rows},https://www.imdb.com/title/tt{id:07}/,Movie,7.0,100,2000,\"Drama, Comedy\",1000,2000-01-01,Somebody\n",
            rows % 10 + 1
        ));
        rows += 1;
    }
    let plan = plan_import(m, text.as_bytes()).unwrap();
    let c = plan.counts();
    assert_eq!(c.rows, rows);
    assert_eq!((c.matched, c.unmatched), (rows.div_ceil(2), rows / 2));
    let mut p = Profile::default();
    let done = plan.apply(m, &mut p, ImportMode::Merge, 1);
    // One Matrix rating (the last row's) and every distinct unknown id.
    assert_eq!(done.added, 1 + rows / 2);
}
