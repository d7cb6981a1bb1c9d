//! `tools eval --people` end to end: exports written here from a bundle trained on the
//! committed fixture (never real people's data), the JSON's keys and counts checked.

mod common;

use std::collections::BTreeSet;

use common::{ok, train_fixture};
use moviematch::Model;
use moviematch_tools::eval::people::read::fnv1a64;
use serde_json::Value;

/// The models the report rows and each person's metrics are keyed by, in report order.
const MODELS: [&str; 6] = [
    "list",
    "ease",
    "ials",
    "imdb-votes",
    "imdb-top",
    "first-list",
];

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

fn set(v: &[&str]) -> BTreeSet<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn eval_people_json() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "4");
    let model = Model::from_bytes(&std::fs::read(&bundle).unwrap()).unwrap();
    let people = tmp.path().join("people");
    std::fs::create_dir_all(people.join("lb")).unwrap();

    // An IMDb export rating every film the bundle has an IMDb id for, plus one it does not know.
    let mut imdb = "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,\
        Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n"
        .to_string();
    let (mut n_held, mut n_train, mut n_liked, mut rows) = (0, 0, 0, 0);
    for i in 0..model.len() {
        let m = model.movie(i);
        let Some(tt) = m.tconst() else { continue };
        let r = 10 - m.movie_id % 5; // 10, 9, 8 liked; 7, 6 not
        imdb += &format!("{tt},{r},2024-01-02,x,https://x,Movie,7,90,2000,Drama,10,,\n");
        rows += 1;
        if fnv1a64(tt.as_bytes()).is_multiple_of(5) {
            n_held += 1;
            n_liked += (r >= 8) as usize;
        } else {
            n_train += 1;
        }
    }
    imdb += "tt9999999,9,2024-01-02,x,https://x,Movie,7,90,2000,Drama,10,,\n";
    std::fs::write(people.join("imdb.csv"), &imdb).unwrap();
    // A Letterboxd export of the first 9 films only: too few training films, skipped.
    let mut lb = "Date,Name,Year,Letterboxd URI,Rating\n".to_string();
    for i in 0..9 {
        let m = model.movie(i);
        lb += &format!(
            "2024-01-02,\"{}\",{},https://boxd.it/x,4.5\n",
            m.title,
            m.year.unwrap_or(2000)
        );
    }
    std::fs::write(people.join("lb/ratings.csv"), &lb).unwrap();
    // Not an export: counted as skipped.
    std::fs::write(people.join("notes.csv"), "a,b\n1,2\n").unwrap();
    // Not a csv or zip: ignored.
    std::fs::write(people.join("README.md"), "hello").unwrap();

    let out = ok(&[
        "eval",
        "--people",
        people.to_str().unwrap(),
        "--movielens",
        "tests/fixtures/ml-tiny",
        "--bundle",
        bundle.to_str().unwrap(),
        "--json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        keys(&v),
        set(&[
            "bootstrap",
            "cv",
            "stack_cv",
            "people",
            "skipped",
            "models",
            "imdb_spearman_user",
            "per_person"
        ])
    );
    assert_eq!(v["people"], 1);
    assert_eq!(v["skipped"], 2);
    // The paired bootstrap of list − ease on both recalls; no cross-validation without --tune.
    let intervals = v["bootstrap"].as_array().unwrap();
    assert_eq!(intervals.len(), 2);
    for i in intervals {
        assert_eq!(i["name"], "list - ease");
        let (lo, mean, hi) = (
            i["lo"].as_f64().unwrap(),
            i["mean"].as_f64().unwrap(),
            i["hi"].as_f64().unwrap(),
        );
        assert!(lo <= mean && mean <= hi, "{i}");
    }
    assert!(v["cv"].is_null());
    assert!(v["stack_cv"].is_null());
    let models = v["models"].as_array().unwrap();
    let names: Vec<&str> = models.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(names, MODELS);
    for m in models {
        assert_eq!(
            keys(m),
            set(&[
                "name",
                "recall@100",
                "ips_recall@100",
                "ndcg@100",
                "hit@20",
                "overlap@20",
                "spearman_user",
                "genre_tv@20"
            ])
        );
        for k in [
            "recall@100",
            "ips_recall@100",
            "ndcg@100",
            "hit@20",
            "genre_tv@20",
        ] {
            let x = m[k].as_f64().unwrap();
            assert!((0.0..=1.0).contains(&x), "{k} {x}");
        }
        // One person: no pairs to overlap.
        assert!(m["overlap@20"].is_null());
        assert_eq!(m["spearman_user"].is_null(), m["name"] != "list");
    }
    assert!(v["imdb_spearman_user"].is_number());
    let per = v["per_person"].as_array().unwrap();
    assert_eq!(per.len(), 1);
    let p = &per[0];
    assert_eq!(
        keys(p),
        set(&[
            "file",
            "format",
            "rows",
            "matched",
            "train",
            "heldout",
            "liked",
            "dropped",
            "imdb_spearman_user",
        ])
        .into_iter()
        .chain(set(&MODELS))
        .collect()
    );
    assert_eq!(p["file"], "imdb.csv");
    assert_eq!(p["format"], "imdb");
    assert_eq!(p["rows"], rows + 1);
    assert_eq!(p["matched"], rows);
    assert_eq!(p["dropped"]["not_in_catalogue"], 1);
    assert_eq!(p["train"], n_train);
    assert_eq!(p["heldout"], n_held);
    assert_eq!(p["liked"], n_liked);
    assert!(n_liked >= 5 && n_train >= 10);
    // The list model's per-person figures are the summary's (one person).
    assert_eq!(p["list"]["recall@100"], models[0]["recall@100"]);
    assert_eq!(p["list"]["genre_tv@20"], models[0]["genre_tv@20"]);

    // The list along the genre-distance knob: five points, 0 the list above.
    let out = ok(&[
        "eval",
        "--people",
        people.to_str().unwrap(),
        "--movielens",
        "tests/fixtures/ml-tiny",
        "--bundle",
        bundle.to_str().unwrap(),
        "--genre-curve",
        "--json",
    ]);
    let c: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(keys(&c), set(&["people", "skipped", "points"]));
    assert_eq!(
        (c["people"].as_u64(), c["skipped"].as_u64()),
        (Some(1), Some(2))
    );
    let points = c["points"].as_array().unwrap();
    let knobs: Vec<f64> = points
        .iter()
        .map(|p| p["genre_distance"].as_f64().unwrap())
        .collect();
    assert_eq!(knobs, [-1.0, -0.5, 0.0, 0.5, 1.0]);
    for p in points {
        assert_eq!(
            keys(p),
            set(&[
                "genre_distance",
                "recall@100",
                "ips_recall@100",
                "ndcg@100",
                "hit@20",
                "overlap@20",
                "genre_tv@20"
            ])
        );
        let tv = p["genre_tv@20"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&tv), "{p}");
    }
    for k in ["recall@100", "genre_tv@20"] {
        assert_eq!(points[2][k], models[0][k], "{k} at 0 is the list's");
    }
}
