//! `tools rate "Title" [--year Y] --profile P`: rate a title by comparing it with movies the
//! visitor rated (a noisy binary search, `moviematch::rate_by_comparison`), ~7 questions.
//!
//! For a catalogue title the comparisons go into the profile as "A or B?" answers: they are the
//! evidence, and the derived rating is only shown (counting it as a rating as well would use
//! the same answers twice). A title the catalogue does not know (a newer film, a series) gets
//! the derived rating in the profile as an unmatched rating, kept for a later bundle.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{bail, Result};
use moviematch::profile::{CompareAnswer, Scale, StableId};
use moviematch::rate_by_comparison::Versus;
use moviematch::scale::to_half_star;
use moviematch::Visitor;

use super::{load_model, load_profile, now_ms, save_profile, FilmArgs};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The title to rate (a title the catalogue lacks is kept as an unmatched rating).
    #[command(flatten)]
    pub film: FilmArgs,
    /// The profile whose rated movies are the yardsticks (and that receives the result).
    #[arg(long)]
    pub profile: PathBuf,
}

fn parse_versus(line: &str) -> Option<Versus> {
    match line.trim().to_lowercase().as_str() {
        "b" | "better" | "+" => Some(Versus::Better),
        "w" | "worse" | "-" => Some(Versus::Worse),
        "=" | "same" | "s" => Some(Versus::Same),
        _ => None,
    }
}

pub fn run(a: &Args) -> Result<()> {
    let model = load_model(&a.film.bundle)?;
    let mut profile = load_profile(&a.profile)?;
    let visitor = Visitor::new(&model, &profile);
    let found = model
        .search(&a.film.title, 20)
        .into_iter()
        .find(|&i| a.film.year.is_none() || model.movie(i).year == a.film.year);
    // The visitor's rated movies to compare with, in stars (as the app's compare panel).
    let anchors = visitor.comparison_anchors(found);
    if anchors.len() < 2 {
        bail!("rate-by-comparison needs at least two rated movies in the profile to compare with");
    }
    let values: Vec<f32> = anchors.iter().map(|&(_, stars)| stars).collect();
    let mut rbc = visitor.rate_by_comparison(&model, found);
    let name = match found {
        Some(i) => {
            let p = visitor.predict(&model, i)?;
            let m = model.movie(i);
            println!(
                "{} ({}): the model predicts {:.1}★ ± {:.1}",
                m.title,
                m.year.map_or("?".into(), |y| y.to_string()),
                p.mean,
                p.sd
            );
            m.title.clone()
        }
        None => {
            println!(
                "\"{}\" is not in the catalogue: its rating will be kept in your profile",
                a.film.title
            );
            a.film.title.clone()
        }
    };
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    while let Some(j) = rbc.next(&values) {
        let (anchor, stars) = anchors[j];
        println!(
            "\nCompared with {} (you gave it {}★), is {name} better (b), worse (w) or about the same (=)?",
            model.movie(anchor).title,
            stars
        );
        let versus = loop {
            print!("> ");
            std::io::stdout().flush()?;
            let Some(line) = lines.next() else {
                bail!("input ended before the rating was settled (nothing saved)");
            };
            if let Some(v) = parse_versus(&line?) {
                break v;
            }
            println!("  b, w or =");
        };
        rbc.answer(j, stars, versus);
        if let Some(i) = found {
            let answer = match versus {
                Versus::Better => CompareAnswer::A,
                Versus::Worse => CompareAnswer::B,
                Versus::Same => CompareAnswer::Tie,
            };
            profile.compare(
                model.stable_id(i),
                model.stable_id(anchor),
                answer,
                now_ms(),
            );
        }
    }
    let (lo, hi) = rbc.interval80();
    println!(
        "\n{name}: {:.1}★ (80% between {:.1} and {:.1}) after {} comparisons",
        rbc.mean(),
        lo.max(0.5),
        hi.min(5.0),
        rbc.asked()
    );
    if found.is_none() {
        let stars = to_half_star(rbc.mean() as f32);
        profile.rate(
            StableId::Unmatched {
                title: a.film.title.clone(),
                year: a.film.year,
                source: "rate-by-comparison".into(),
            },
            stars,
            Scale::Stars,
            now_ms(),
        );
        println!("saved as a {stars}★ rating");
    } else {
        println!("the comparisons are saved as answers; the model learns from them directly");
    }
    save_profile(&a.profile, &profile)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers() {
        assert_eq!(parse_versus(" B "), Some(Versus::Better));
        assert_eq!(parse_versus("w"), Some(Versus::Worse));
        assert_eq!(parse_versus("="), Some(Versus::Same));
        assert_eq!(parse_versus("maybe"), None);
    }
}
