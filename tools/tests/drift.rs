//! `tools drift` end to end on planted drift: exports written here from a bundle trained on
//! the committed fixture (never real people's data), whose people rate high for most of their
//! history and low lately. Weighing recent answers more must then predict their latest films
//! better, and the cross-validation must choose a half-life, not "off".

mod common;

use common::{ok, train_fixture};
use moviematch::Model;
use serde_json::Value;

#[test]
fn drift_finds_planted_drift_and_draws_its_curve() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "4");
    let model = Model::from_bytes(&std::fs::read(&bundle).unwrap()).unwrap();
    let people = tmp.path().join("people");
    std::fs::create_dir_all(&people).unwrap();
    let films: Vec<String> = (0..model.len())
        .filter_map(|i| model.movie(i).tconst())
        .collect();
    assert!(films.len() >= 30, "{} films with IMDb ids", films.len());
    for person in 0..10 {
        let mut csv = "Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,\
            Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n"
            .to_string();
        let n = films.len();
        for (k, tt) in films.iter().enumerate() {
            // Each person takes the films in their own order, one a week; the last 40% of
            // their history is rated 4 levels lower than the rest.
            let j = (k * 7 + person * 3) % n;
            let level = if j * 10 < n * 6 { 9 } else { 5 };
            let r = level - (k % 3) as i32 + 1;
            let day = 1 + j * 7;
            let (y, doy) = (2020 + day / 365, day % 365);
            let (m, d) = (1 + doy / 31, 1 + doy % 28);
            csv += &format!("{tt},{r},{y}-{m:02}-{d:02},x,https://x,Movie,7,90,2000,Drama,10,,\n");
        }
        std::fs::write(people.join(format!("p{person}.csv")), &csv).unwrap();
    }
    let plot = tmp.path().join("drift.svg");
    let out = ok(&[
        "drift",
        "--people",
        people.to_str().unwrap(),
        "--movielens",
        "tests/fixtures/ml-tiny",
        "--bundle",
        bundle.to_str().unwrap(),
        "--plot",
        plot.to_str().unwrap(),
        "--json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let p = &v["people"];
    assert_eq!(
        (p["evaluated"].as_u64(), p["skipped"].as_u64()),
        (Some(10), Some(0))
    );
    let curve = p["curve"].as_array().unwrap();
    assert_eq!(curve.len(), 8);
    assert!(
        curve[0]["half_life_days"].is_null(),
        "drift off comes first"
    );
    let mae = |c: &Value| c["mae"].as_f64().unwrap();
    let best = curve[1..].iter().map(mae).fold(f64::INFINITY, f64::min);
    assert!(
        best < mae(&curve[0]) - 0.1,
        "drift should predict the latest films better: {best} vs off {}",
        mae(&curve[0])
    );
    let cv = &p["cv"];
    assert!(!cv["chosen_all"].is_null(), "{cv}");
    assert!(cv["mae_minus_off"][0].as_f64().unwrap() < 0.0, "{cv}");
    // The MovieLens curve: fold-in users of the tiny fixture.
    assert_eq!(v["movielens"]["curve"].as_array().unwrap().len(), 8);
    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(
        svg.contains("<svg") && svg.contains("drift off"),
        "the plot has both series"
    );
}
