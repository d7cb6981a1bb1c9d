//! Real people as a dev set (`tools eval --people DIR`): every IMDb or Letterboxd export below
//! a folder is matched through the engine's import, one film in five (by a hash of its id) is
//! held out, and each model ranks the catalogue from the person's other films. Measured: how
//! many of the held-out films the person liked (≥ 8/10, ≥ 4★) each model's top 100 finds, how
//! alike people's top 20s are, and how well predicted means order the held-out ratings.
//!
//! - [`read`]: one export read, its rows dropped or kept, the split and the skip rules.
//! - [`metrics`]: recall, ips-recall, NDCG, hit, overlap, Spearman.
//! - [`models`]: `list` (the app's `Visitor`), `ease`, `ials`, `imdb-votes`, `imdb-top`,
//!   `first-list` (the app's list before any answer).
//! - [`tune`], [`stack_cv`]: what `--tune` chooses by cross-validation over people (the blend's
//!   adjustments, the IMDb stack's prior).
//! - [`genre_curve`]: the app's list along the genre-distance knob (`--genre-curve`).

pub mod genre_curve;
pub mod metrics;
pub mod models;
pub mod read;
pub mod stack_cv;
pub mod tune;

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};
use moviematch::Model;
use serde::Serialize;

use moviematch::Visitor;
use rayon::prelude::*;

use self::metrics::{
    combine, genre_mix, hit, ips_recall, mean, ndcg_capped, propensity_weight, recall_capped,
    spearman_user, total_variation, ModelRow, PersonScore, HIT_AT, TOP,
};
use self::models::{Charts, EaseModel, ImplicitModel, Ranked, MODELS};
use self::read::{export_files, read_person, Dropped, Person};
use crate::data::movielens::Ratings;
use crate::train::ials::IalsParams;

/// One evaluated person (never committed: real people's data).
#[derive(Debug, Clone, Serialize)]
pub struct PersonRow {
    pub file: String,
    pub format: &'static str,
    pub rows: usize,
    pub matched: usize,
    pub train: usize,
    pub heldout: usize,
    pub liked: usize,
    pub dropped: Dropped,
    pub imdb_spearman_user: Option<f64>,
    /// Each model's figures under its name.
    #[serde(flatten)]
    pub models: BTreeMap<String, PersonScore>,
}

/// What `tools eval --people` prints.
#[derive(Debug, Clone, Serialize)]
pub struct PeopleReport {
    /// People evaluated.
    pub people: usize,
    /// People (or files) left out: too few training or liked films, or not an export.
    pub skipped: usize,
    pub models: Vec<ModelRow>,
    /// Spearman of the IMDb average vs the person's ratings on the same films as
    /// `spearman_user`, macro mean.
    pub imdb_spearman_user: Option<f64>,
    /// Paired bootstrap 95% intervals of per-person differences (list − ease, and with
    /// `--tune` list-cv − ease).
    pub bootstrap: Vec<Interval>,
    /// With `--tune`: the blend adjustments chosen by 5-fold cross-validation over people.
    pub cv: Option<tune::CvReport>,
    /// With `--tune`: the IMDb stack's prior chosen the same way (`list-cv`'s Spearman).
    pub stack_cv: Option<stack_cv::StackCv>,
    pub per_person: Vec<PersonRow>,
}

/// A paired bootstrap interval of a mean per-person difference.
#[derive(Debug, Clone, Serialize)]
pub struct Interval {
    /// E.g. "list - ease".
    pub name: String,
    pub metric: &'static str,
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Bootstrap rounds of the intervals.
const BOOTSTRAP_ROUNDS: usize = 2000;

fn intervals(name: &str, a: &[PersonScore], b: &[PersonScore]) -> Vec<Interval> {
    type Metric = (&'static str, fn(&PersonScore) -> f64);
    let metrics: [Metric; 2] = [
        ("recall@100", |s| s.recall),
        ("ips_recall@100", |s| s.ips_recall),
    ];
    metrics
        .into_iter()
        .map(|(metric, get)| {
            let xa: Vec<f64> = a.iter().map(get).collect();
            let xb: Vec<f64> = b.iter().map(get).collect();
            let (mean, lo, hi) = tune::paired_bootstrap(&xa, &xb, BOOTSTRAP_ROUNDS, 7);
            Interval {
                name: name.to_string(),
                metric,
                mean,
                lo,
                hi,
            }
        })
        .collect()
}

/// One model's figures for one person.
pub fn score(model: &Model, person: &Person, ranked: &Ranked) -> PersonScore {
    let liked: HashSet<usize> = person.liked().into_iter().collect();
    let weight = |i: &usize| propensity_weight(model.movie(*i).imdb_votes);
    PersonScore {
        recall: recall_capped(&ranked.list, &liked, TOP).unwrap_or(0.0),
        ips_recall: ips_recall(&ranked.list, &liked, TOP, weight).unwrap_or(0.0),
        ndcg: ndcg_capped(&ranked.list, &liked, TOP).unwrap_or(0.0),
        hit: hit(&ranked.list, &liked, HIT_AT) as u8 as f64,
        spearman_user: ranked.predicted.as_ref().and_then(|p| {
            let pairs: Vec<(f64, f64)> = with_imdb(model, person)
                .filter_map(|(i, r)| Some((*p.get(&i)?, r)))
                .collect();
            spearman_user(&pairs)
        }),
        genre_tv: genre_tv(model, person, &ranked.list),
    }
}

/// Total variation between the genre mix of the training films `person` liked and that of the
/// first [`HIT_AT`] of `list` (see [`genre_mix`]).
pub fn genre_tv(model: &Model, person: &Person, list: &[usize]) -> Option<f64> {
    let genres = |i: &usize| model.movie(*i).genres;
    let liked = genre_mix(person.liked_train().iter().map(genres))?;
    let listed = genre_mix(list.iter().take(HIT_AT).map(genres))?;
    Some(total_variation(&liked, &listed))
}

/// The blend adjustments and the IMDb stack's prior by cross-validation over people (see
/// [`tune`], [`stack_cv`]): each person's out-of-fold figures and top 20 (the blend changes the
/// list, the stack the predicted ratings).
fn cross_validate_blend(
    model: &mut Model,
    people: &[Person],
) -> (
    tune::CvReport,
    stack_cv::StackCv,
    Vec<(PersonScore, Vec<usize>)>,
) {
    let visitors: Vec<Visitor> = {
        let model: &Model = model;
        people
            .par_iter()
            .map(|p| Visitor::new(model, &models::profile_of(model, p)))
            .collect()
    };
    let points = tune::grid();
    eprintln!(
        "tuning the blend: {} grid points × {} people",
        points.len(),
        people.len()
    );
    let grid = tune::score_grid(model, people, &visitors, &points, &|m, p, list| {
        score(
            m,
            p,
            &Ranked {
                list: list.to_vec(),
                predicted: None,
            },
        )
    });
    let (report, mut oof) = tune::cross_validate(people, &points, &grid);
    let (stack, spearman) = stack_cv::cross_validate(model, people, &visitors);
    for ((s, _), rho) in oof.iter_mut().zip(spearman) {
        s.spearman_user = rho;
    }
    (report, stack, oof)
}

/// The held-out films that have an IMDb average, with the person's rating.
fn with_imdb<'a>(model: &'a Model, person: &'a Person) -> impl Iterator<Item = (usize, f64)> + 'a {
    person
        .heldout
        .iter()
        .filter(|h| model.movie(h.0).imdb_rating.is_some())
        .map(|h| (h.0, h.1 as f64))
}

/// Every export below `dir` read and split, and how many files were skipped (why goes to
/// stderr).
pub fn read_people(model: &Model, dir: &Path) -> Result<(Vec<Person>, usize)> {
    let files = export_files(dir)?;
    let mut people = Vec::new();
    let mut skipped = 0;
    for path in &files {
        let name = path.strip_prefix(dir).unwrap_or(path).display().to_string();
        let person = std::fs::read(path)
            .map_err(anyhow::Error::from)
            .and_then(|b| read_person(model, &name, &b));
        match person {
            Ok(p) => match p.skip() {
                None => people.push(p),
                Some(why) => {
                    eprintln!(
                        "skipped {name}: {why:?} ({} training, {} liked held out)",
                        p.train.len(),
                        p.liked().len()
                    );
                    skipped += 1;
                }
            },
            Err(e) => {
                eprintln!("skipped {name}: {e:#}");
                skipped += 1;
            }
        }
    }
    Ok((people, skipped))
}

/// Runs the protocol on every export below `dir`; `ml` are the MovieLens ratings EASE and the
/// implicit model (settings `implicit`) learn from. Progress and skipped files go to stderr.
pub fn evaluate(
    tunable: &mut Model,
    ml: &Ratings,
    dir: &Path,
    implicit: &IalsParams,
    tune_blend: bool,
) -> Result<PeopleReport> {
    let model: &Model = tunable;
    let (people, skipped) = read_people(model, dir)?;
    let params = EaseModel::params();
    eprintln!(
        "ease: λ = {}, items with ≥ {} MovieLens ratings",
        params.lambda, params.min_count
    );
    let ease = EaseModel::fit(model, ml);
    eprintln!("ease: {} items modelled", ease.n_items());
    eprintln!("ials: {implicit:?}");
    let ials = ImplicitModel::fit(model, ml, implicit);
    let longest = people.iter().map(|p| p.train.len()).max().unwrap_or(0);
    let charts = Charts::new(model, longest);

    let pb = ProgressBar::new(people.len() as u64);
    pb.set_style(
        ProgressStyle::with_template("people {bar:40} {pos}/{len} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let mut lists: Vec<Vec<Vec<usize>>> = vec![Vec::new(); MODELS.len()];
    let mut scores: Vec<Vec<PersonScore>> = vec![Vec::new(); MODELS.len()];
    let mut per_person = Vec::new();
    for p in &people {
        let heldout: Vec<usize> = p.heldout.iter().map(|h| h.0).collect();
        let ranked = [
            models::list(model, p, TOP, &heldout),
            ease.rank(p, TOP),
            ials.rank(model, p, TOP),
            charts.imdb_votes(p, TOP),
            charts.imdb_top(p, TOP),
            charts.first_list(p, TOP),
        ];
        let mut row = BTreeMap::new();
        for (m, r) in ranked.iter().enumerate() {
            let s = score(model, p, r);
            row.insert(MODELS[m].to_string(), s);
            scores[m].push(s);
            lists[m].push(r.list.iter().take(HIT_AT).copied().collect());
        }
        let imdb: Vec<(f64, f64)> = with_imdb(model, p)
            .filter_map(|(i, r)| Some((model.movie(i).imdb_rating? as f64, r)))
            .collect();
        per_person.push(PersonRow {
            file: p.file.clone(),
            format: p.format,
            rows: p.rows,
            matched: p.matched,
            train: p.train.len(),
            heldout: p.heldout.len(),
            liked: p.liked().len(),
            dropped: p.dropped,
            imdb_spearman_user: spearman_user(&imdb),
            models: row,
        });
        pb.inc(1);
    }
    pb.finish_and_clear();
    let mut rows: Vec<ModelRow> = MODELS
        .iter()
        .enumerate()
        .map(|(m, name)| combine(name, &scores[m], &lists[m]))
        .collect();
    let (list_at, ease_at) = (0, 1);
    let mut bootstrap = intervals("list - ease", &scores[list_at], &scores[ease_at]);
    let (mut cv, mut stack_cv) = (None, None);
    if tune_blend {
        let (report, stack, oof) = cross_validate_blend(tunable, &people);
        stack_cv = Some(stack);
        let (s, l): (Vec<PersonScore>, Vec<Vec<usize>>) = oof.into_iter().unzip();
        rows.insert(1, combine("list-cv", &s, &l));
        bootstrap.extend(intervals("list-cv - ease", &s, &scores[ease_at]));
        for (j, p) in per_person.iter_mut().enumerate() {
            p.models.insert("list-cv".into(), s[j]);
        }
        cv = Some(report);
    }
    Ok(PeopleReport {
        people: people.len(),
        skipped,
        models: rows,
        imdb_spearman_user: mean(per_person.iter().map(|p| p.imdb_spearman_user)),
        bootstrap,
        cv,
        stack_cv,
        per_person,
    })
}
