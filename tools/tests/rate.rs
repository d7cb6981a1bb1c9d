//! `tools rate` answered by a simulated visitor through its stdin: the CLI and the app share
//! one answer-noise constant (the engine's `rate_by_comparison::ANSWER_NOISE`), so a visitor
//! who answers as that noise says reaches a half-star interval within the question budget.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use common::{repo, train_fixture};
use moviematch::profile::{Profile, Scale};
use moviematch::rate_by_comparison::{ANSWER_NOISE, MAX_QUESTIONS};
use moviematch::Model;
use rand::{rngs::StdRng, SeedableRng};
use rand_distr::{Distribution, Normal};

/// What the session printed at the end: mean, 80% interval, number of comparisons.
struct Outcome {
    mean: f64,
    low: f64,
    high: f64,
    asked: usize,
}

/// Runs `tools rate TITLE` and answers every question as a visitor whose true opinion of the
/// title is `truth`: for each rated movie it is compared with, the visitor feels truth + N(0,
/// ANSWER_NOISE²) and answers "about the same" within ±0.25 of the movie's stars, else better
/// or worse.
fn rate_as(bundle: &str, profile: &str, title: &str, truth: f64, seed: u64) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tools"))
        .args(["rate", title, "--bundle", bundle, "--profile", profile])
        .current_dir(repo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("tools runs");
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut rng = StdRng::seed_from_u64(seed);
    let noise = Normal::new(0.0, ANSWER_NOISE).unwrap();
    let mut transcript = String::new();
    let mut summary = None;
    for line in stdout.lines() {
        let line = line.unwrap();
        transcript.push_str(&line);
        transcript.push('\n');
        if let Some(rest) = line.split("(you gave it ").nth(1) {
            let stars: f64 = rest.split('★').next().unwrap().parse().unwrap();
            let felt = truth + noise.sample(&mut rng);
            let answer = if (felt - stars).abs() <= 0.25 {
                "="
            } else if felt > stars {
                "b"
            } else {
                "w"
            };
            writeln!(stdin, "{answer}").unwrap();
        } else if line.contains("(80% between ") {
            summary = Some(line);
        }
    }
    let status = child.wait().unwrap();
    assert!(status.success(), "tools rate failed:\n{transcript}");
    // "<title>: 3.1★ (80% between 2.9 and 3.3) after 6 comparisons"
    let s = summary.unwrap_or_else(|| panic!("no summary line:\n{transcript}"));
    let number = |after: &str, until: &str| -> f64 {
        let tail = s.split(after).nth(1).unwrap();
        tail.split(until).next().unwrap().trim().parse().unwrap()
    };
    Outcome {
        mean: number(": ", "★"),
        low: number("between ", " and"),
        high: number(" and ", ")"),
        asked: number("after ", " comparisons") as usize,
    }
}

#[test]
fn a_simulated_visitor_reaches_a_half_star_interval_within_ten_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let bundle = train_fixture(tmp.path(), "a.bin", "8");
    let model = Model::from_bytes(&std::fs::read(&bundle).unwrap()).unwrap();
    // Twenty rated movies spread over the whole scale, two at each half star from 0.5 to 5
    // (the best-known ones).
    let mut by_count: Vec<usize> = (0..model.len()).collect();
    by_count.sort_by_key(|&i| std::cmp::Reverse(model.movie(i).ml_count));
    let mut base = Profile::default();
    for (j, &i) in by_count.iter().take(20).enumerate() {
        let stars = 0.5 + (j % 10) as f32 * 0.5;
        base.rate(model.stable_id(i), stars, Scale::Stars, j as i64);
    }
    let target = model.movie(by_count[25]).title.clone();
    for (k, truth) in [1.5, 3.0, 4.5].into_iter().enumerate() {
        let profile = tmp.path().join(format!("p{k}.json"));
        std::fs::write(&profile, base.to_json()).unwrap();
        let o = rate_as(
            bundle.to_str().unwrap(),
            profile.to_str().unwrap(),
            &target,
            truth,
            7 + k as u64,
        );
        eprintln!(
            "T = {truth}: {:.1} ({:.1}–{:.1}) after {} answers",
            o.mean, o.low, o.high, o.asked
        );
        assert!(
            o.asked <= MAX_QUESTIONS && MAX_QUESTIONS <= 10,
            "T = {truth}: {} questions",
            o.asked
        );
        // The bounds are printed to one decimal: each may be off by 0.05.
        assert!(
            o.high - o.low < 0.5 + 0.1 + 1e-9,
            "T = {truth}: interval {}–{} after {} answers",
            o.low,
            o.high,
            o.asked
        );
        assert!(
            (o.mean - truth).abs() < 0.5,
            "T = {truth}: mean {} after {} answers",
            o.mean,
            o.asked
        );
    }
}
