//! `tools eval --people DIR --genre-curve`: the app's list (exploration 0, the other settings at
//! their defaults) at each point of the genre-distance knob, −1 (stay close to the person's
//! usual genres) to 1 (surprise me). Per point: recall@100 (and ips-recall, NDCG) of the
//! 100-film list, and, of the 20-film list the app shows (genre distance re-ranks a pool three
//! times the list's length, so the first 20 of a longer list are not the app's), the overlap of
//! people's lists and the genre distance from what each person liked
//! ([`genre_tv`](super::genre_tv)).

use anyhow::Result;
use moviematch::profile::Settings;
use moviematch::{ListRequest, Model, Visitor};
use rayon::prelude::*;
use serde::Serialize;

use super::metrics::{combine, PersonScore, HIT_AT, TOP};
use super::models::{profile_of, Ranked};
use super::read::Person;
use super::{genre_tv, read_people, score};

/// The knob's values measured.
pub const POINTS: [f32; 5] = [-1.0, -0.5, 0.0, 0.5, 1.0];

/// The figures at one value of the knob (macro means over people).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    pub genre_distance: f32,
    #[serde(rename = "recall@100")]
    pub recall: Option<f64>,
    #[serde(rename = "ips_recall@100")]
    pub ips_recall: Option<f64>,
    #[serde(rename = "ndcg@100")]
    pub ndcg: Option<f64>,
    #[serde(rename = "hit@20")]
    pub hit: Option<f64>,
    #[serde(rename = "overlap@20")]
    pub overlap: Option<f64>,
    #[serde(rename = "genre_tv@20")]
    pub genre_tv: Option<f64>,
}

/// What `--genre-curve` prints.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenreCurve {
    pub people: usize,
    pub skipped: usize,
    pub points: Vec<CurvePoint>,
}

/// One person's list of `top` at genre distance `knob`.
fn list(model: &Model, visitor: &Visitor, knob: f32, top: usize) -> Vec<usize> {
    let request = ListRequest {
        settings: Settings {
            exploration: 0.0,
            genre_distance: knob,
            ..Settings::default()
        },
        top,
        seed: None,
        genres_all: 0,
    };
    visitor
        .ranked(model, &request)
        .map(|l| l.into_iter().map(|r| r.item).collect())
        .unwrap_or_default()
}

/// The figures at `knob` for `people` (fitted as `visitors`).
pub fn point(model: &Model, people: &[Person], visitors: &[Visitor], knob: f32) -> CurvePoint {
    let per: Vec<(PersonScore, Vec<usize>)> = people
        .par_iter()
        .zip(visitors)
        .map(|(p, v)| {
            let long = Ranked {
                list: list(model, v, knob, TOP),
                predicted: None,
            };
            let shown = list(model, v, knob, HIT_AT);
            let s = PersonScore {
                genre_tv: genre_tv(model, p, &shown),
                ..score(model, p, &long)
            };
            (s, shown)
        })
        .collect();
    let (scores, lists): (Vec<PersonScore>, Vec<Vec<usize>>) = per.into_iter().unzip();
    // The people protocol's own macro means (`combine`), without the name and Spearman.
    let row = combine("list", &scores, &lists);
    CurvePoint {
        genre_distance: knob,
        recall: row.recall,
        ips_recall: row.ips_recall,
        ndcg: row.ndcg,
        hit: row.hit,
        overlap: row.overlap,
        genre_tv: row.genre_tv,
    }
}

/// The curve over every export below `dir`.
pub fn genre_curve(model: &Model, dir: &std::path::Path) -> Result<GenreCurve> {
    let (people, skipped) = read_people(model, dir)?;
    let visitors: Vec<Visitor> = people
        .par_iter()
        .map(|p| Visitor::new(model, &profile_of(model, p)))
        .collect();
    let points = POINTS
        .iter()
        .map(|&knob| point(model, &people, &visitors, knob))
        .collect();
    Ok(GenreCurve {
        people: people.len(),
        skipped,
        points,
    })
}
