//! `tools calibrate --profile P [--rounds 20]`: the browser's question screen in a terminal.
//! Each round asks the engine's next question (a rating or "A or B?"), records the answer in
//! the profile (the browser's format, saved after every answer) and shows the top of the list.
//! Answers are read line by line from stdin, so a script can pipe them in.
//!
//! `tools calibrate --profile P --report [--json]` asks nothing: "how well do you know me?"
//! (the engine's `Visitor::calibration`): every rated film predicted without its rating, beside
//! the rating and the IMDb average mapped to the profile's ratings, and the summary.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::Result;
use moviematch::elicit::{Question, Strategy};
use moviematch::profile::{Action, CompareAnswer, Scale};
use moviematch::session::Accuracy;
use moviematch::{ListRequest, Model, Recommendation, Visitor};

use super::{load_model, load_profile, now_ms, save_profile, DriftArg};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, default_value = "web/model.bin")]
    pub bundle: PathBuf,
    /// The profile to extend (created if missing).
    #[arg(long)]
    pub profile: PathBuf,
    /// How many questions to ask.
    #[arg(long, default_value_t = 20)]
    pub rounds: usize,
    /// Ask nothing: print "how well do you know me?" for the profile (each rated film
    /// predicted without its rating, with its 80% interval and the IMDb average mapped to the
    /// profile's ratings; mean absolute error, rank correlation, coverage).
    #[arg(long)]
    pub report: bool,
    /// With --report: one JSON object instead of the table.
    #[arg(long, requires = "report")]
    pub json: bool,
    #[command(flatten)]
    pub drift: DriftArg,
}

/// `--report --json`'s object.
#[derive(serde::Serialize)]
struct ReportOut {
    n: usize,
    model: ModelOut,
    imdb: AccuracyOut,
    films: Vec<FilmOut>,
}

#[derive(serde::Serialize)]
struct ModelOut {
    #[serde(flatten)]
    accuracy: AccuracyOut,
    coverage80: Option<f64>,
}

#[derive(serde::Serialize)]
struct AccuracyOut {
    mae: Option<f64>,
    spearman: Option<f64>,
}

impl From<Accuracy> for AccuracyOut {
    fn from(a: Accuracy) -> AccuracyOut {
        AccuracyOut {
            mae: a.mae,
            spearman: a.spearman,
        }
    }
}

/// One rated film, on the model's scale (stars), unrounded.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct FilmOut {
    movie_id: u32,
    imdb_id: Option<String>,
    title: String,
    year: Option<u16>,
    your_rating: f32,
    mean: f32,
    low: f32,
    high: f32,
    imdb: Option<f32>,
}

fn report(model: &Model, visitor: &Visitor, json: bool) -> Result<()> {
    let c = visitor.calibration(model)?;
    let films: Vec<FilmOut> = c
        .films
        .iter()
        .map(|f| {
            let m = model.movie(f.item);
            FilmOut {
                movie_id: m.movie_id,
                imdb_id: m.tconst(),
                title: m.title.clone(),
                year: m.year,
                your_rating: f.rating,
                mean: f.mean,
                low: f.interval80.0,
                high: f.interval80.1,
                imdb: f.imdb,
            }
        })
        .collect();
    if json {
        let out = ReportOut {
            n: c.n,
            model: ModelOut {
                accuracy: c.model.into(),
                coverage80: c.coverage80,
            },
            imdb: c.imdb.into(),
            films,
        };
        println!("{}", serde_json::to_string(&out)?);
        return Ok(());
    }
    if films.is_empty() {
        println!("no rated film in this catalogue: nothing to hold a prediction against");
        return Ok(());
    }
    println!("How well do we know you? Each film predicted from everything else you said.");
    println!(
        "{:<40} {:>4}  {:>5}  {:>15}  {:>5}",
        "Title", "Year", "Yours", "Predicted (80%)", "IMDb"
    );
    for f in &films {
        let title: String = f.title.chars().take(40).collect();
        println!(
            "{title:<40} {:>4}  {:>5.1}  {:>4.1} ({:.1}–{:.1})  {:>5}",
            f.year.map_or("?".into(), |y| y.to_string()),
            f.your_rating,
            f.mean,
            f.low,
            f.high,
            f.imdb.map_or("–".into(), |v| format!("{v:.1}"))
        );
    }
    let num = |v: Option<f64>, digits: usize| v.map_or("–".into(), |v| format!("{v:.digits$}"));
    println!(
        "on the {} films with an IMDb average: the model's mean absolute error {}★, rank \
         correlation {}, {} of your ratings inside its 80% interval",
        c.n,
        num(c.model.mae, 2),
        num(c.model.spearman, 2),
        c.coverage80
            .map_or("–".into(), |v| format!("{:.0}%", 100.0 * v))
    );
    println!(
        "the IMDb average mapped to your ratings (best line through your other films): mean \
         absolute error {}★, rank correlation {}",
        num(c.imdb.mae, 2),
        num(c.imdb.spearman, 2)
    );
    Ok(())
}

fn describe(model: &Model, i: usize) -> String {
    let m = model.movie(i);
    format!(
        "{} ({}) · {} · IMDb {}",
        m.title,
        m.year.map_or("?".into(), |y| y.to_string()),
        model.genre_label(i),
        m.imdb_rating.map_or("–".into(), |r| format!("{r:.1}"))
    )
}

/// What one typed line means for the current question; `None` when it is not understood.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reply {
    Stars(f32),
    Unseen,
    Pair(CompareAnswer),
    Skip,
    Quit,
}

fn parse_reply(line: &str, pair: bool) -> Option<Reply> {
    let t = line.trim().to_lowercase();
    match t.as_str() {
        "q" | "quit" => return Some(Reply::Quit),
        "s" | "skip" => return Some(if pair { Reply::Skip } else { Reply::Unseen }),
        _ => {}
    }
    if pair {
        return match t.as_str() {
            "a" => Some(Reply::Pair(CompareAnswer::A)),
            "b" => Some(Reply::Pair(CompareAnswer::B)),
            "=" | "t" | "tie" => Some(Reply::Pair(CompareAnswer::Tie)),
            "sa" => Some(Reply::Pair(CompareAnswer::UnseenA)),
            "sb" => Some(Reply::Pair(CompareAnswer::UnseenB)),
            _ => None,
        };
    }
    let v: f32 = t.parse().ok()?;
    ((0.5..=5.0).contains(&v) && (v * 2.0).fract() == 0.0).then_some(Reply::Stars(v))
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.bundle)?;
    let mut profile = load_profile(&a.profile)?;
    if a.report {
        return report(&model, &a.drift.visitor(&model, &profile), a.json);
    }
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut skipped = std::collections::HashSet::new();
    // Refitted only when an answer changes the profile (a skipped pair does not).
    let mut visitor = a.drift.visitor(&model, &profile);
    for round in 1..=a.rounds {
        let asked =
            visitor.next_question(&model, &profile.settings, Strategy::Adaptive, &skipped)?;
        let Some(choice) = asked else {
            println!("nothing left to ask");
            break;
        };
        let pair = matches!(choice.question, Question::Pair(..));
        match choice.question {
            Question::Rate(i) => {
                println!(
                    "\n[{round}/{}] How would you rate {}?",
                    a.rounds,
                    describe(&model, i)
                );
                print!("  0.5–5 stars, s = haven't seen, q = quit > ");
            }
            Question::Pair(x, y) => {
                println!("\n[{round}/{}] Which do you prefer?", a.rounds);
                println!("  a) {}", describe(&model, x));
                println!("  b) {}", describe(&model, y));
                print!(
                    "  a, b, = (equally good), sa / sb = haven't seen a / b, s = skip, q = quit > "
                );
            }
        }
        std::io::stdout().flush()?;
        let reply = loop {
            let Some(line) = lines.next() else {
                break Reply::Quit;
            };
            match parse_reply(&line?, pair) {
                Some(r) => break r,
                None => {
                    print!("  not understood, try again > ");
                    std::io::stdout().flush()?;
                }
            }
        };
        let now = now_ms();
        match (reply, choice.question) {
            (Reply::Quit, _) => break,
            (Reply::Stars(v), Question::Rate(i)) => {
                profile.rate(model.stable_id(i), v, Scale::Stars, now)
            }
            (Reply::Unseen, Question::Rate(i)) => {
                profile.feedback(model.stable_id(i), Action::Unseen, now)
            }
            (Reply::Pair(ans), Question::Pair(x, y)) => {
                profile.compare(model.stable_id(x), model.stable_id(y), ans, now)
            }
            (Reply::Skip, Question::Pair(x, y)) => {
                skipped.insert((x.min(y), x.max(y)));
                continue;
            }
            _ => continue,
        }
        save_profile(&a.profile, &profile)?;
        visitor = a.drift.visitor(&model, &profile);
        let top5 = ListRequest {
            top: 5,
            ..ListRequest::new(&profile.settings)
        };
        let top: Vec<Recommendation> = visitor
            .recommend(&model, &top5)?
            .into_iter()
            .map(|e| e.rec)
            .collect();
        let names: Vec<String> = top
            .iter()
            .map(|r| format!("{} ({:.1}★)", model.movie(r.item).title, r.mean))
            .collect();
        println!("  top now: {}", names.join(" · "));
    }
    println!(
        "profile {} holds {} events",
        a.profile.display(),
        profile.events.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies() {
        assert_eq!(parse_reply(" 4.5 ", false), Some(Reply::Stars(4.5)));
        assert_eq!(parse_reply("4.3", false), None);
        assert_eq!(parse_reply("6", false), None);
        assert_eq!(parse_reply("s", false), Some(Reply::Unseen));
        assert_eq!(parse_reply("s", true), Some(Reply::Skip));
        assert_eq!(parse_reply("A", true), Some(Reply::Pair(CompareAnswer::A)));
        assert_eq!(
            parse_reply("=", true),
            Some(Reply::Pair(CompareAnswer::Tie))
        );
        assert_eq!(
            parse_reply("sb", true),
            Some(Reply::Pair(CompareAnswer::UnseenB))
        );
        assert_eq!(parse_reply("4", true), None);
        assert_eq!(parse_reply("q", true), Some(Reply::Quit));
    }
}
