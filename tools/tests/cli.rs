//! Whole-program tests of `tools` on the committed synthetic fixture (tests/fixtures, made by
//! `tools synth`). They never need ../shared/data; the one check that uses it says when it skips.

mod common;

use common::{ok, repo, tools, train_fixture};

#[test]
fn train_inspect_recommend_end_to_end() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "8");
    let b = bundle.to_str().unwrap();

    let inspect = ok(&["inspect", "--bundle", b]);
    let mut lines = inspect.lines();
    assert_eq!(lines.next(), Some("150 movies"), "{inspect}");
    assert!(
        inspect.contains("ratings") && inspect.contains("users") && inspect.contains("rated items")
    );
    assert!(inspect.contains("created: unix 1795305600"), "{inspect}");
    assert!(inspect.contains("implicit: iALS K = "), "{inspect}");

    let recs = ok(&[
        "recommend",
        "--bundle",
        b,
        "--ratings",
        "tests/fixtures/imdb-export.csv",
        "--top",
        "5",
    ]);
    let header = recs.lines().next().unwrap();
    for col in ["Rank", "Title", "Predicted", "IMDb", "Year", "Genres"] {
        assert!(header.contains(col), "missing column {col}: {header}");
    }
    let rows: Vec<&str> = recs.lines().skip(2).collect();
    assert_eq!(rows.len(), 5, "{recs}");
    // Rated movies are never recommended back (they may be named in the Reasons column).
    for row in &rows {
        let title = row.split('|').nth(1).unwrap().trim();
        assert!(!["The Matrix", "Toy Story"].contains(&title), "{recs}");
    }
    assert!(
        recs.contains("because you liked"),
        "reasons are shown: {recs}"
    );

    // Exploration at its maximum: a movie only the draw put in the list says so, first; the
    // plain list (exploration 0, the default) has no such reason.
    let list = |exploration: &str| {
        let out = ok(&[
            "recommend",
            "--bundle",
            b,
            "--ratings",
            "tests/fixtures/imdb-export.csv",
            "--top",
            "10",
            "--exploration",
            exploration,
        ]);
        out.lines()
            .skip(2)
            .map(|l| {
                let cols: Vec<&str> = l.split(" | ").map(str::trim).collect();
                (cols[1].to_string(), cols[6].to_string())
            })
            .collect::<Vec<(String, String)>>()
    };
    let plain = list("0");
    assert!(
        plain.iter().all(|(_, why)| !why.contains("exploring")),
        "{plain:?}"
    );
    let explored = list("3");
    let exploring: Vec<&(String, String)> = explored
        .iter()
        .filter(|(_, why)| why.contains("exploring"))
        .collect();
    assert!(!exploring.is_empty(), "{explored:?}");
    for (title, why) in &explored {
        let in_plain = plain.iter().any(|(t, _)| t == title);
        assert_eq!(why.contains("exploring"), !in_plain, "{title}: {why}");
        if !in_plain {
            assert!(
                why.starts_with("exploring: you might love this or not — the model is unsure"),
                "{why}"
            );
        }
    }

    let all = ok(&[
        "recommend",
        "--bundle",
        b,
        "--ratings",
        "tests/fixtures/imdb-export.csv",
        "--all",
        "--json",
    ]);
    let all: serde_json::Value = serde_json::from_str(&all).expect("--json prints only JSON");
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 150, "every catalogue movie, rated ones included");
    let matrix = all
        .iter()
        .find(|p| p["imdb"] == "tt1000001")
        .expect("the rated Matrix is included");
    let (mean, sd) = (
        matrix["mean"].as_f64().unwrap(),
        matrix["sd"].as_f64().unwrap(),
    );
    assert!((1.0..=10.0).contains(&mean) && sd > 0.0, "{matrix}");

    let comedy = ok(&[
        "recommend",
        "--bundle",
        b,
        "--ratings",
        "tests/fixtures/imdb-export.csv",
        "--genre",
        "comedy",
    ]);
    assert!(
        comedy.lines().skip(2).all(|l| l.contains("Comedy")),
        "{comedy}"
    );
    let bad = tools(&[
        "recommend",
        "--bundle",
        b,
        "--ratings",
        "tests/fixtures/imdb-export.csv",
        "--genre",
        "nope",
    ]);
    assert!(
        !bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("unknown genre")
    );
}

#[test]
fn same_seed_and_date_give_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let a = std::fs::read(train_fixture(tmp.path(), "a.bin", "8")).unwrap();
    let b = std::fs::read(train_fixture(tmp.path(), "b.bin", "8")).unwrap();
    assert!(a == b, "two trainings with the same seed differ");
}

#[test]
fn eval_json_has_every_model() {
    let out = ok(&[
        "eval",
        "--movielens",
        "tests/fixtures/ml-tiny",
        "--imdb",
        "tests/fixtures/imdb-tiny",
        "--json",
        "--k",
        "4",
        "--epochs",
        "8",
        "--seeds",
        "1,2",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("stdout is only JSON");
    assert_eq!(v["protocol"], "random-90-10");
    assert_eq!(v["seeds"], serde_json::json!([1, 2]));
    let models = v["models"].as_array().unwrap();
    let names: Vec<&str> = models.iter().map(|m| m["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "global-mean",
            "popularity",
            "imdb-average",
            "bias",
            "user-knn-pearson",
            "item-knn",
            "genre-content",
            "mf",
            "ease",
            "ials",
            "irt-f32",
            "irt-int8"
        ]
    );
    let get = |n: &str, key: &str| models.iter().find(|m| m["name"] == n).unwrap()[key].as_f64();
    let rmse = |n: &str| get(n, "rmse").unwrap();
    // Planted factors: the latent model must beat bias-only, which must beat the global mean.
    assert!(
        rmse("irt-f32") < rmse("bias") && rmse("bias") < rmse("global-mean"),
        "{out}"
    );
    assert!((rmse("irt-int8") - rmse("irt-f32")).abs() < 0.01, "{out}");
    assert!(
        get("irt-f32", "rmse_sd").is_some(),
        "two seeds give an sd: {out}"
    );
    // Top-N-only models have no RMSE; every model has a ranking score; only IRT has intervals.
    assert!(["ease", "ials", "popularity"]
        .iter()
        .all(|n| get(n, "rmse").is_none()));
    assert!(
        models
            .iter()
            .all(|m| m["ndcg@10"].is_number() && m["recall@20"].is_number()),
        "{out}"
    );
    let cov90 = get("irt-int8", "interval_cov90").unwrap();
    assert!((0.7..=1.0).contains(&cov90), "{out}");
    assert!(get("bias", "interval_cov90").is_none());
    // Cold items: the content prior must beat knowing nothing about the movie.
    let cold = v["protocols"]["cold-items"]["models"]
        .as_array()
        .expect("cold-items protocol");
    let cold_rmse = |n: &str| {
        cold.iter().find(|m| m["name"] == n).unwrap()["rmse"]
            .as_f64()
            .unwrap()
    };
    assert!(cold_rmse("irt-int8") < cold_rmse("global-mean"), "{out}");
    // Fold-in: users never seen in training, through the engine's own posterior code.
    let fold = v["protocols"]["fold-in"]["models"]
        .as_array()
        .expect("fold-in protocol");
    let fold_get = |n: &str, k: &str| fold.iter().find(|m| m["name"] == n).unwrap()[k].as_f64();
    assert!(
        fold_get("irt-int8", "rmse").unwrap() < fold_get("global-mean", "rmse").unwrap(),
        "{out}"
    );
    assert!(fold_get("irt-int8", "spearman_user").is_some() && fold_get("ease", "rmse").is_none());
    let time = v["protocols"]["time"]["models"]
        .as_array()
        .expect("time protocol");
    assert_eq!(
        time.len(),
        names.len(),
        "the time protocol scores every model"
    );
}

#[test]
fn damaged_inputs_give_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "8");
    let mut bytes = std::fs::read(&bundle).unwrap();
    let cut = tmp.path().join("cut.bin");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 0xff;
    let flipped = tmp.path().join("flipped.bin");
    std::fs::write(&flipped, &bytes).unwrap();
    for (file, msg) in [(&cut, "truncated"), (&flipped, "checksum")] {
        let out = tools(&["inspect", "--bundle", file.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(err.contains(msg) && !err.contains("panicked"), "{err}");
    }
    let bad_csv = tmp.path().join("ml");
    std::fs::create_dir_all(&bad_csv).unwrap();
    std::fs::write(
        bad_csv.join("ratings.csv"),
        "userId,movieId,rating,timestamp\n1,2,oops,3\n",
    )
    .unwrap();
    let out = tools(&[
        "train",
        "--movielens",
        bad_csv.to_str().unwrap(),
        "--out",
        tmp.path().join("x.bin").to_str().unwrap(),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("line 2") && !err.contains("panicked"),
        "{err}"
    );
}

/// Uses the real catalogues when ../shared/data is present (never committed).
#[test]
fn real_catalogue_union_counts() {
    let data = repo().join("../shared/data");
    if !data.join("ml-25m/movies.csv").exists() {
        eprintln!("SKIPPED real_catalogue_union_counts: ../shared/data/ml-25m is not here");
        return;
    }
    let small =
        moviematch_tools::data::movielens::read_movies(&data.join("ml-latest-small")).unwrap();
    let big = moviematch_tools::data::movielens::read_movies(&data.join("ml-25m")).unwrap();
    let union = moviematch_tools::data::catalogue::catalogue_union(&small, &big);
    // 62,423 ml-25m movies + 288 only in ml-latest-small − 2 of those known to ml-25m by IMDb id.
    assert_eq!(union.len(), 62_423 + 288 - 2);
    // Every real title parses to a non-empty display title.
    for m in &union {
        assert!(
            !moviematch::title::parse_title(&m.title).display.is_empty(),
            "{}",
            m.title
        );
    }
}

/// The CLI writes and reads the browser's profile format, and never overwrites a bad one.
#[test]
fn recommend_reads_and_writes_profiles() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "8");
    let b = bundle.to_str().unwrap();
    let profile = tmp.path().join("profile.json");
    let p = profile.to_str().unwrap();
    let from_csv = ok(&[
        "recommend",
        "--bundle",
        b,
        "--ratings",
        "tests/fixtures/imdb-export.csv",
        "--profile",
        p,
    ]);
    let stored =
        moviematch::Profile::from_json(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(
        stored.ratings().len(),
        4,
        "every row is kept, the unknown film too"
    );
    let from_profile = ok(&["recommend", "--bundle", b, "--profile", p]);
    let titles = |out: &str| {
        out.lines()
            .skip(2)
            .map(|l| l.split('|').nth(1).unwrap().trim().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        titles(&from_csv),
        titles(&from_profile),
        "same evidence, same list"
    );
    std::fs::write(&profile, "{\"version\":99,\"events\":[]}").unwrap();
    let out = tools(&[
        "recommend",
        "--bundle",
        b,
        "--ratings",
        "tests/fixtures/imdb-export.csv",
        "--profile",
        p,
    ]);
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("newer version")
    );
    assert_eq!(
        std::fs::read_to_string(&profile).unwrap(),
        "{\"version\":99,\"events\":[]}"
    );
}

/// `tools` with `stdin` piped in; its stdout (must succeed).
fn ok_with_input(args: &[&str], stdin: &str) -> String {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_tools"))
        .args(args)
        .current_dir(common::repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "tools {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The terminal question loop: every answer lands in the profile; rate-by-comparison adds its
/// comparisons as answers for a catalogue title and a rating for an unknown one; recommend
/// obeys the filters and prints reasons.
#[test]
fn calibrate_rate_and_filtered_recommend() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "8");
    let b = bundle.to_str().unwrap();
    let profile = tmp.path().join("p.json");
    let p = profile.to_str().unwrap();
    // A rating question takes "4", a pair question "a" (the other line is not understood and
    // the question is asked again), so every round gets one answer.
    let out = ok_with_input(
        &["calibrate", "--bundle", b, "--profile", p, "--rounds", "5"],
        &"4\na\n".repeat(10),
    );
    assert_eq!(out.matches("top now:").count(), 5, "{out}");
    let stored =
        moviematch::Profile::from_json(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(stored.events.len(), 5);
    let before = stored.events.len();
    // Rate a catalogue title against the answers so far (needs two rated movies: add them).
    ok(&[
        "recommend",
        "--bundle",
        b,
        "--ratings",
        "tests/fixtures/imdb-export.csv",
        "--profile",
        p,
    ]);
    let with_ratings = moviematch::Profile::from_json(&std::fs::read_to_string(&profile).unwrap())
        .unwrap()
        .events
        .len();
    let out = ok_with_input(
        &["rate", "Pulp Fiction", "--bundle", b, "--profile", p],
        &"b\nw\n".repeat(10),
    );
    assert!(out.contains("comparisons"), "{out}");
    let stored =
        moviematch::Profile::from_json(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    let added = stored.events.len() - with_ratings;
    assert!(
        added >= 1 && stored.comparisons().len() >= added,
        "{added} events"
    );
    assert!(with_ratings > before);
    // A title the catalogue does not have becomes an unmatched rating.
    let out = ok_with_input(
        &[
            "rate",
            "A Film Nobody Made",
            "--year",
            "2031",
            "--bundle",
            b,
            "--profile",
            p,
        ],
        &"b\n".repeat(12),
    );
    assert!(out.contains("saved as a"), "{out}");
    let stored =
        moviematch::Profile::from_json(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert!(stored.ratings().iter().any(|r| matches!(
        &r.item,
        moviematch::StableId::Unmatched { title, .. } if title == "A Film Nobody Made"
    )));
    // Filters and reasons.
    let out = ok(&[
        "recommend",
        "--bundle",
        b,
        "--profile",
        p,
        "--year-min",
        "1995",
        "--top",
        "10",
    ]);
    let rows: Vec<&str> = out.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        let year: u16 = row.split('|').nth(4).unwrap().trim().parse().unwrap();
        assert!(year >= 1995, "{row}");
    }
    assert!(out.lines().next().unwrap().contains("Reasons"));
}

/// `tools import --json`: rows = matched + ambiguous + unmatched, and every row reaches the
/// profile (the unknown film too).
#[test]
fn import_summarises_and_keeps_every_row() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "4");
    let profile = tmp.path().join("p.json");
    let out = ok(&[
        "import",
        "tests/fixtures/imdb-export.csv",
        "--bundle",
        bundle.to_str().unwrap(),
        "--profile",
        profile.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["format"], "imdb");
    assert_eq!(v["rows"], 4);
    assert_eq!(v["matched"], 3);
    assert_eq!(v["ambiguous"], 0);
    assert_eq!(v["unmatched"], 1);
    let stored =
        moviematch::Profile::from_json(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(stored.ratings().len(), 4);
}

/// A Letterboxd export matches by title and year ±1; what is not found is kept, counted.
#[test]
fn import_reads_letterboxd() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "4");
    let file = tmp.path().join("ratings.csv");
    std::fs::write(
        &file,
        "Date,Name,Year,Letterboxd URI,Rating\n\
         2024-01-01,The Matrix,1999,https://boxd.it/a,4.5\n\
         2024-01-02,Toy Story,1996,https://boxd.it/b,4\n\
         2024-01-03,A Film Nobody Made,2031,https://boxd.it/c,3\n",
    )
    .unwrap();
    let profile = tmp.path().join("p.json");
    let out = ok(&[
        "import",
        file.to_str().unwrap(),
        "--bundle",
        bundle.to_str().unwrap(),
        "--profile",
        profile.to_str().unwrap(),
        "--json",
    ]);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["format"], "letterboxd");
    assert_eq!(
        (
            v["rows"].as_u64(),
            v["matched"].as_u64(),
            v["unmatched"].as_u64()
        ),
        (Some(3), Some(2), Some(1))
    );
    let stored =
        moviematch::Profile::from_json(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    assert_eq!(stored.ratings().len(), 3);
    assert!(stored
        .ratings()
        .iter()
        .any(|r| r.item == moviematch::StableId::Movielens(1)));
}

/// `tools predict`: a listed film's object is its `recommend --json` entry plus `yourRating`; a
/// rated film is predicted without its rating and shows it; an unknown title exits with 2.
#[test]
fn predict_answers_would_i_like_this_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (b, p) = fixture_and_profile(tmp.path());
    let (b, p) = (b.as_str(), p.as_str());
    // From the profile alone the list is in stars, as predict prints.
    let list = ok(&[
        "recommend",
        "--bundle",
        b,
        "--profile",
        p,
        "--exploration",
        "0",
        "--top",
        "3",
        "--json",
    ]);
    let list: serde_json::Value = serde_json::from_str(&list).unwrap();
    let first = &list[0];
    let title = first["title"].as_str().unwrap();
    let year = first["year"].to_string();
    let got = ok(&[
        "predict",
        title,
        "--year",
        &year,
        "--bundle",
        b,
        "--profile",
        p,
        "--json",
    ]);
    let mut got: serde_json::Value = serde_json::from_str(&got).unwrap();
    assert_eq!(got["yourRating"], serde_json::Value::Null);
    got.as_object_mut().unwrap().remove("yourRating");
    assert_eq!(&got, first, "the same entry as in the list");

    let rated = ok(&[
        "predict",
        "the matrix",
        "--bundle",
        b,
        "--profile",
        p,
        "--json",
    ]);
    let rated: serde_json::Value = serde_json::from_str(&rated).unwrap();
    assert_eq!(rated["title"], "The Matrix");
    assert_eq!(rated["yourRating"], 5.0, "rated 10/10 in the export");
    let (low, mean, high) = (
        rated["low"].as_f64().unwrap(),
        rated["mean"].as_f64().unwrap(),
        rated["high"].as_f64().unwrap(),
    );
    assert!(low <= mean && mean <= high && low < high, "{rated}");
    let table = ok(&["predict", "The Matrix", "--bundle", b, "--profile", p]);
    assert!(
        table.contains("without your rating; you rated it 5.0★"),
        "{table}"
    );

    let unknown = tools(&[
        "predict",
        "No Such Film At All",
        "--bundle",
        b,
        "--profile",
        p,
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("unknown_movie"));
}

/// `tools similar`: ten films near the one named, never itself, none the profile rated; an
/// unknown title exits with 2.
#[test]
fn similar_lists_more_like_this() {
    let tmp = tempfile::tempdir().unwrap();
    let (b, p) = fixture_and_profile(tmp.path());
    let (b, p) = (b.as_str(), p.as_str());
    let got = ok(&[
        "similar",
        "Toy Story",
        "--bundle",
        b,
        "--profile",
        p,
        "--json",
    ]);
    let got: serde_json::Value = serde_json::from_str(&got).unwrap();
    assert_eq!(got["title"], "Toy Story");
    assert_eq!(got["fromContentPrior"], false);
    let similar = got["similar"].as_array().unwrap();
    assert_eq!(similar.len(), 10, "{got}");
    for e in similar {
        let title = e["title"].as_str().unwrap();
        assert!(
            !["Toy Story", "The Matrix", "Titanic"].contains(&title),
            "{got}"
        );
        assert!(
            e["low"].as_f64() <= e["mean"].as_f64() && e["mean"].as_f64() <= e["high"].as_f64()
        );
    }
    let table = ok(&["similar", "Toy Story", "--bundle", b]);
    assert!(table.starts_with("More like Toy Story"), "{table}");
    assert_eq!(table.lines().count(), 11, "{table}");
    let unknown = tools(&["similar", "No Such Film At All", "--bundle", b]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// A trained fixture bundle and a profile holding the fixture IMDb export's ratings (The Matrix
/// 10, Toy Story 9, Titanic 2 and a film no catalogue has): their paths.
fn fixture_and_profile(dir: &std::path::Path) -> (String, String) {
    let bundle = train_fixture(dir, "a.bin", "8");
    let profile = dir.join("profile.json");
    let (b, p) = (bundle.to_str().unwrap(), profile.to_str().unwrap());
    ok(&[
        "recommend",
        "--bundle",
        b,
        "--ratings",
        "tests/fixtures/imdb-export.csv",
        "--profile",
        p,
    ]);
    (b.to_string(), p.to_string())
}

/// `tools recommend --with`: the group's list, each entry's prediction its least happy member's, every
/// member's rated films left out; friends come as a profile file or a share link and are never
/// written.
#[test]
fn recommend_with_friends_gives_the_groups_list() {
    let tmp = tempfile::tempdir().unwrap();
    let (b, p) = fixture_and_profile(tmp.path());
    let model = moviematch::Model::from_bytes(&std::fs::read(&b).unwrap()).unwrap();
    let mut friend = moviematch::Profile::default();
    let mut other = moviematch::Profile::default();
    for (j, stars) in [(5usize, 5.0), (6, 0.5), (7, 4.0)] {
        friend.rate(
            model.stable_id(j),
            stars,
            moviematch::Scale::Stars,
            j as i64,
        );
        other.rate(
            model.stable_id(j + 10),
            6.0 - stars,
            moviematch::Scale::Stars,
            j as i64,
        );
    }
    let friend_path = tmp.path().join("friend.json");
    std::fs::write(&friend_path, friend.to_json()).unwrap();
    let link = format!(
        "https://example.org/#share={}",
        moviematch::share::encode_profile(&other)
    );
    let out = ok(&[
        "recommend",
        "--bundle",
        &b,
        "--profile",
        &p,
        "--with",
        friend_path.to_str().unwrap(),
        "--with",
        &link,
        "--top",
        "8",
        "--json",
    ]);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 8);
    let rated: Vec<u32> = [5usize, 6, 7, 15, 16, 17]
        .iter()
        .map(|&j| model.movie(j).movie_id)
        .collect();
    for e in list {
        let members = e["members"].as_array().unwrap();
        assert_eq!(members.len(), 3, "{e}");
        // The entry's prediction is its least happy member's.
        assert!(
            members
                .iter()
                .any(|m| m["mean"] == e["mean"] && m["low"] == e["low"]),
            "{e}"
        );
        assert!(
            !rated.contains(&(e["movieId"].as_u64().unwrap() as u32)),
            "{e}"
        );
        assert_eq!(e["exploring"], false);
    }
    assert!(list
        .windows(2)
        .all(|w| w[0]["mean"].as_f64() >= w[1]["mean"].as_f64()));
    assert_eq!(
        std::fs::read_to_string(&friend_path).unwrap(),
        friend.to_json()
    );
    let table = ok(&[
        "recommend",
        "--bundle",
        &b,
        "--profile",
        &p,
        "--with",
        &link,
        "--top",
        "3",
    ]);
    assert!(
        table.lines().next().unwrap().contains("You | Friend 1"),
        "{table}"
    );
    let bad = tools(&[
        "recommend",
        "--bundle",
        &b,
        "--profile",
        &p,
        "--with",
        "not a link",
    ]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("neither a profile file nor a share link")
    );
}

/// `tools calibrate --report --json` asks nothing, leaves the profile alone and prints the
/// engine's "how well do you know me?" (`Visitor::calibration`) film by film and in summary.
#[test]
fn calibrate_report_is_the_engines_leave_one_out() {
    use moviematch::profile::{CompareAnswer, Scale};
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "8");
    let b = bundle.to_str().unwrap();
    let model = moviematch::Model::from_bundle(
        moviematch::Bundle::decode(&std::fs::read(&bundle).unwrap()).unwrap(),
    );
    let mut profile = moviematch::Profile::default();
    for i in 0..12 {
        let stars = 1.0 + (i * 7 % 9) as f32 / 2.0;
        profile.rate(model.stable_id(i * 5), stars, Scale::Stars, i as i64 + 1);
    }
    profile.compare(model.stable_id(1), model.stable_id(2), CompareAnswer::A, 20);
    let path = tmp.path().join("p.json");
    let json = profile.to_json();
    std::fs::write(&path, &json).unwrap();
    let p = path.to_str().unwrap();
    let out = ok(&[
        "calibrate",
        "--bundle",
        b,
        "--profile",
        p,
        "--report",
        "--json",
    ]);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        json,
        "asks nothing"
    );
    let v: serde_json::Value = serde_json::from_str(&out).expect("stdout is only JSON");
    let c = moviematch::Visitor::new(&model, &profile)
        .calibration(&model)
        .unwrap();
    let close = |a: &serde_json::Value, b: Option<f64>| match b {
        Some(b) => assert!((a.as_f64().unwrap() - b).abs() < 1e-6, "{a} vs {b}"),
        None => assert!(a.is_null(), "{a}"),
    };
    assert_eq!(v["n"], c.n);
    assert!(c.n >= 5, "the fixture's films have IMDb averages");
    close(&v["model"]["mae"], c.model.mae);
    close(&v["model"]["spearman"], c.model.spearman);
    close(&v["model"]["coverage80"], c.coverage80);
    close(&v["imdb"]["mae"], c.imdb.mae);
    close(&v["imdb"]["spearman"], c.imdb.spearman);
    let films = v["films"].as_array().unwrap();
    assert_eq!(films.len(), 12);
    for (f, want) in films.iter().zip(&c.films) {
        let m = model.movie(want.item);
        assert_eq!(f["movieId"], m.movie_id);
        assert_eq!(f["imdbId"], serde_json::json!(m.tconst()));
        assert_eq!(f["title"], m.title.as_str());
        close(&f["yourRating"], Some(want.rating as f64));
        close(&f["mean"], Some(want.mean as f64));
        close(&f["low"], Some(want.interval80.0 as f64));
        close(&f["high"], Some(want.interval80.1 as f64));
        close(&f["imdb"], want.imdb.map(f64::from));
    }
    // The table says the same in words.
    let table = ok(&["calibrate", "--bundle", b, "--profile", p, "--report"]);
    assert!(table.contains("Predicted (80%)"), "{table}");
    assert!(
        table.contains(&model.movie(c.films[0].item).title),
        "{table}"
    );
    assert!(table.contains("mean absolute error"), "{table}");
}
