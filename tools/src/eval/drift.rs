//! Taste drift's half-life (`tools drift`), measured where drift can show: on a per-person
//! **time** split. Each person's dated films are sorted by when they rated them; the latest
//! 20% are held out and the rest, at their own dates, are the profile. The engine's `Visitor`
//! then fits them at every half-life of [`HALF_LIVES`] (`None`: drift off) and is scored on the
//! held-out films: Spearman of its predicted means against the person's ratings, their mean
//! absolute error (stars), and recall@100 of the liked ones in the list (default settings,
//! exploration 0). The half-life is chosen by 5-fold cross-validation over people (the real
//! people's folds, `people::tune::fold_of`) on Spearman, and the same curve is drawn for
//! MovieLens fold-in users (whose ratings mostly fall within a day, so it barely moves).

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use moviematch::import_plan::plan_import;
use moviematch::profile::Settings;
use moviematch::session::spearman;
use moviematch::{ListRequest, Model, Profile, Scale, Visitor};
use rayon::prelude::*;
use serde::Serialize;

use super::people::read::{export_files, is_liked, read_person};
use super::people::tune::{fold_of, paired_bootstrap, FOLDS};
use crate::data::movielens::Ratings;

/// The half-lives tried, in days (`None`: no drift).
pub const HALF_LIVES: [Option<f64>; 8] = [
    None,
    Some(30.0),
    Some(90.0),
    Some(180.0),
    Some(365.0),
    Some(730.0),
    Some(1460.0),
    Some(2920.0),
];
/// The share of each person's films held out, the latest.
pub const TEST_SHARE: f64 = 0.2;
/// People with fewer training or held-out films are not scored.
pub const MIN_TRAIN: usize = 10;
pub const MIN_TEST: usize = 5;
const TOP: usize = 100;
const DAY_MS: i64 = 86_400_000;

/// One person (or MovieLens user) split by time: films as (catalogue row, rating on `scale`,
/// when rated in ms).
#[derive(Debug, Clone, PartialEq)]
pub struct TimedPerson {
    pub name: String,
    pub scale: Scale,
    pub train: Vec<(usize, f32, i64)>,
    pub test: Vec<(usize, f32, i64)>,
}

/// (catalogue row, rating, when rated in ms).
pub type DatedFilm = (usize, f32, i64);

/// Splits `films` by time: the latest [`TEST_SHARE`] (rounded up) held out; ties in time keep
/// their given order, so the later rows of one day are the later films.
pub fn time_split(mut films: Vec<DatedFilm>) -> (Vec<DatedFilm>, Vec<DatedFilm>) {
    films.sort_by_key(|f| f.2);
    let n_test = (films.len() as f64 * TEST_SHARE).ceil() as usize;
    let test = films.split_off(films.len() - n_test.min(films.len()));
    (films, test)
}

/// One person's figures at one half-life.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct PointScore {
    pub spearman: Option<f64>,
    pub mae: f64,
    #[serde(rename = "recall@100")]
    pub recall: Option<f64>,
}

/// Mean figures at one half-life.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CurvePoint {
    /// `None`: drift off.
    pub half_life_days: Option<f64>,
    pub spearman: Option<f64>,
    pub mae: f64,
    #[serde(rename = "recall@100")]
    pub recall: Option<f64>,
}

/// What the cross-validation chose and what it gave out of fold.
#[derive(Debug, Clone, Serialize)]
pub struct CvChoice {
    /// The half-life chosen for each fold from the other folds.
    pub chosen_per_fold: Vec<Option<f64>>,
    /// Chosen on everyone: what to ship.
    pub chosen_all: Option<f64>,
    /// Each person at their fold's choice.
    pub out_of_fold: CurvePoint,
    /// Everyone without drift, for comparison.
    pub off: CurvePoint,
    /// Out of fold − off, per person: [mean, 95% low, 95% high] (paired bootstrap).
    pub mae_minus_off: [f64; 3],
    pub spearman_minus_off: [f64; 3],
    #[serde(rename = "recall@100_minus_off")]
    pub recall_minus_off: [f64; 3],
}

/// One population's curve.
#[derive(Debug, Clone, Serialize)]
pub struct Population {
    pub evaluated: usize,
    pub skipped: usize,
    /// Median span in days between a person's first and last training film.
    pub median_span_days: f64,
    pub curve: Vec<CurvePoint>,
    pub cv: Option<CvChoice>,
}

/// What `tools drift` prints.
#[derive(Debug, Clone, Serialize)]
pub struct DriftReport {
    pub people: Population,
    pub movielens: Option<Population>,
}

/// The person's training films as the app stores them: ratings on their own scale, each at the
/// time it was given.
fn profile_of(model: &Model, p: &TimedPerson) -> Profile {
    let mut profile = Profile::default();
    for &(item, value, at) in &p.train {
        profile.rate(model.stable_id(item), value, p.scale, at);
    }
    profile
}

/// Scores `p` at one half-life through the engine's `Visitor`.
pub fn score(model: &Model, p: &TimedPerson, half_life: Option<f64>) -> PointScore {
    let visitor = Visitor::with_drift(model, &profile_of(model, p), half_life);
    let to_model = |v: f32| p.scale.range().convert(v, &model.header.scale) as f64;
    let (mut predicted, mut actual) = (Vec::new(), Vec::new());
    let mut abs = 0.0;
    for &(item, value, _) in &p.test {
        let mean = visitor
            .predict(model, item)
            .map(|pr| pr.unclipped as f64)
            .unwrap_or(f64::NAN);
        abs += (mean - to_model(value)).abs();
        predicted.push(mean);
        actual.push(value as f64);
    }
    let request = ListRequest {
        settings: Settings {
            exploration: 0.0,
            ..Settings::default()
        },
        top: TOP,
        seed: None,
        genres_all: 0,
    };
    let list: Vec<usize> = visitor
        .ranked(model, &request)
        .map(|l| l.into_iter().map(|r| r.item).collect())
        .unwrap_or_default();
    let liked: Vec<usize> = p
        .test
        .iter()
        .filter(|t| is_liked(t.1, p.scale))
        .map(|t| t.0)
        .collect();
    let recall = (!liked.is_empty()).then(|| {
        let hits = liked.iter().filter(|i| list.contains(i)).count();
        hits as f64 / liked.len().min(TOP) as f64
    });
    PointScore {
        spearman: spearman(&predicted, &actual),
        mae: abs / p.test.len().max(1) as f64,
        recall,
    }
}

fn mean_of(scores: &[PointScore], half_life: Option<f64>) -> CurvePoint {
    let avg = |v: Vec<f64>| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    CurvePoint {
        half_life_days: half_life,
        spearman: avg(scores.iter().filter_map(|s| s.spearman).collect()),
        mae: avg(scores.iter().map(|s| s.mae).collect()).unwrap_or(f64::NAN),
        recall: avg(scores.iter().filter_map(|s| s.recall).collect()),
    }
}

/// Every person at every half-life (`[point][person]`), then the curve and, when `folds` is
/// given (each person's fold), the cross-validated choice on Spearman.
pub fn evaluate_population(
    model: &Model,
    people: &[TimedPerson],
    skipped: usize,
    folds: Option<&[u64]>,
) -> Population {
    let grid: Vec<Vec<PointScore>> = HALF_LIVES
        .iter()
        .map(|&h| people.par_iter().map(|p| score(model, p, h)).collect())
        .collect();
    let curve = HALF_LIVES
        .iter()
        .zip(&grid)
        .map(|(&h, s)| mean_of(s, h))
        .collect();
    let cv = folds.map(|folds| cross_validate(&grid, folds));
    let mut spans: Vec<f64> = people
        .iter()
        .filter_map(|p| {
            let lo = p.train.iter().map(|f| f.2).min()?;
            let hi = p.train.iter().map(|f| f.2).max()?;
            Some((hi - lo) as f64 / DAY_MS as f64)
        })
        .collect();
    spans.sort_by(f64::total_cmp);
    Population {
        evaluated: people.len(),
        skipped,
        median_span_days: spans.get(spans.len() / 2).copied().unwrap_or(0.0),
        curve,
        cv,
    }
}

/// Per fold, the half-life with the lowest mean absolute error on the other folds (ties: the
/// earlier, i.e. drift off first); each person scored at their fold's choice. Chosen on the
/// error because drift is a claim about ratings: what a person gives a film now. Spearman is
/// blind to the level a person's ratings drift to; it and recall are reported beside, with
/// paired bootstrap intervals of the out-of-fold difference from drift off.
pub fn cross_validate(grid: &[Vec<PointScore>], folds: &[u64]) -> CvChoice {
    let mean_error = |g: usize, keep: &dyn Fn(usize) -> bool| {
        let v: Vec<f64> = grid[g]
            .iter()
            .enumerate()
            .filter(|(j, _)| keep(*j))
            .map(|(_, s)| s.mae)
            .collect();
        v.iter().sum::<f64>() / v.len().max(1) as f64
    };
    let best = |keep: &dyn Fn(usize) -> bool| {
        let mut best = 0;
        for g in 1..grid.len() {
            if mean_error(g, keep) < mean_error(best, keep) - 1e-12 {
                best = g;
            }
        }
        best
    };
    let per_fold: Vec<usize> = (0..FOLDS).map(|f| best(&|j| folds[j] != f)).collect();
    let out: Vec<PointScore> = (0..folds.len())
        .map(|j| grid[per_fold[folds[j] as usize]][j])
        .collect();
    let off = &grid[0];
    // Paired over the people both sides score.
    let diff = |pick: fn(&PointScore) -> Option<f64>| {
        let (a, b): (Vec<f64>, Vec<f64>) = out
            .iter()
            .zip(off)
            .filter_map(|(x, y)| Some((pick(x)?, pick(y)?)))
            .unzip();
        let (mean, lo, hi) = paired_bootstrap(&a, &b, 2000, 7);
        [mean, lo, hi]
    };
    CvChoice {
        chosen_per_fold: per_fold.iter().map(|&g| HALF_LIVES[g]).collect(),
        chosen_all: HALF_LIVES[best(&|_| true)],
        out_of_fold: mean_of(&out, None),
        off: mean_of(off, None),
        mae_minus_off: diff(|s| Some(s.mae)),
        spearman_minus_off: diff(|s| s.spearman),
        recall_minus_off: diff(|s| s.recall),
    }
}

/// Reads every export below `dir` into time-split people (films without a date left out);
/// returns them and how many were skipped.
pub fn read_people(model: &Model, dir: &Path) -> Result<(Vec<TimedPerson>, usize)> {
    let mut people = Vec::new();
    let mut skipped = 0;
    for path in export_files(dir)? {
        let name = path
            .strip_prefix(dir)
            .unwrap_or(&path)
            .display()
            .to_string();
        let bytes = std::fs::read(&path)?;
        let person = match read_person(model, &name, &bytes) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("skipped {name}: {e:#}");
                skipped += 1;
                continue;
            }
        };
        // The kept films' dates: the row that counted (the last) for each film.
        let mut dated: HashMap<usize, i64> = HashMap::new();
        for row in plan_import(model, &bytes)?.rows {
            if let (Some(item), Some(at)) = (row.item(), row.rated_at) {
                dated.insert(item, at);
            }
        }
        let films: Vec<(usize, f32, i64)> = person
            .train
            .iter()
            .chain(&person.heldout)
            .filter_map(|&(item, value)| Some((item, value, *dated.get(&item)?)))
            .collect();
        let (train, test) = time_split(films);
        if train.len() < MIN_TRAIN || test.len() < MIN_TEST {
            eprintln!(
                "skipped {name}: {} dated training films, {} held out",
                train.len(),
                test.len()
            );
            skipped += 1;
            continue;
        }
        people.push(TimedPerson {
            name,
            scale: person.scale,
            train,
            test,
        });
    }
    Ok((people, skipped))
}

/// Each person's fold (by file name, as `tools eval --people --tune` folds them).
pub fn folds_of(people: &[TimedPerson]) -> Vec<u64> {
    people.iter().map(|p| fold_of(&p.name)).collect()
}

/// MovieLens users as time-split people: `users` are dense user ids whose every rating is
/// split by its timestamp; `row` maps a dense item to the catalogue row of `model`.
pub fn movielens_people(
    ratings: &Ratings,
    users: &[u32],
    row: &dyn Fn(u32) -> usize,
) -> (Vec<TimedPerson>, usize) {
    let mut by_user: HashMap<u32, Vec<(usize, f32, i64)>> = HashMap::new();
    for j in 0..ratings.len() {
        by_user.entry(ratings.user[j]).or_default().push((
            row(ratings.item[j]),
            ratings.value[j],
            ratings.time[j] as i64 * 1000,
        ));
    }
    let mut people = Vec::new();
    let mut skipped = 0;
    for &u in users {
        let (train, test) = time_split(by_user.remove(&u).unwrap_or_default());
        if train.len() < MIN_TRAIN || test.len() < MIN_TEST {
            skipped += 1;
            continue;
        }
        people.push(TimedPerson {
            name: format!("ml:{}", ratings.user_ids[u as usize]),
            scale: Scale::Stars,
            train,
            test,
        });
    }
    (people, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_fifth_is_held_out_and_ties_keep_their_order() {
        let films: Vec<(usize, f32, i64)> = (0..11)
            .map(|i| (i, 3.0, [5, 1, 9, 9, 2, 7, 3, 8, 4, 6, 9][i]))
            .collect();
        let (train, test) = time_split(films);
        // ceil(11 × 0.2) = 3: the three films of time 9, in their given order.
        assert_eq!(test.iter().map(|f| f.0).collect::<Vec<_>>(), vec![2, 3, 10]);
        assert_eq!(train.len(), 8);
        assert!(train.iter().all(|f| f.2 <= 8));
    }

    #[test]
    fn cross_validation_picks_per_fold_from_the_other_folds() {
        let s = |mae: f64| PointScore {
            spearman: Some(1.0 - mae),
            mae,
            recall: None,
        };
        // Two people in fold 0, two in fold 1: point 2 is best for fold 1's people, point 1
        // for fold 0's; each fold gets the other's favourite.
        let folds = [0, 0, 1, 1];
        let mut grid = vec![vec![s(1.0); 4]; HALF_LIVES.len()];
        grid[1] = vec![s(0.1), s(0.1), s(0.9), s(0.9)];
        grid[2] = vec![s(0.9), s(0.9), s(0.2), s(0.2)];
        let cv = cross_validate(&grid, &folds);
        assert_eq!(cv.chosen_per_fold[0], HALF_LIVES[2]);
        assert_eq!(cv.chosen_per_fold[1], HALF_LIVES[1]);
        assert_eq!(cv.chosen_all, HALF_LIVES[1]);
        assert!((cv.out_of_fold.mae - 0.9).abs() < 1e-12);
        assert_eq!(cv.off.mae, 1.0);
        assert!((cv.mae_minus_off[0] + 0.1).abs() < 1e-12);
        assert!(cv.recall_minus_off[0].is_nan() || cv.recall_minus_off[0] == 0.0);
    }
}
