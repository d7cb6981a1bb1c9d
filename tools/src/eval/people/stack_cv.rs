//! The visitor's IMDb stack ([`moviematch::stack`]) chosen honestly (`tools eval --people DIR
//! --tune`): its prior (n₀ films at weight w₀) by 5-fold cross-validation over people on
//! `spearman_user` — each fold's people scored at the point best on the other four — so the
//! `list-cv` row's Spearman is out of fold. The point best on everyone is what
//! [`moviematch::stack::PRIOR_FILMS`] and [`moviematch::stack::PRIOR_WEIGHT`] should say.

use moviematch::stack::StackFit;
use moviematch::{Model, Visitor};
use serde::Serialize;

use super::metrics::spearman_user;
use super::read::Person;
use super::tune::{fold_of, FOLDS};

/// One point of the grid: the stack's prior.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StackPrior {
    pub films: f64,
    pub weight: f64,
}

/// The grid searched.
pub fn grid() -> Vec<StackPrior> {
    let mut out = Vec::new();
    for films in [0.0, 25.0, 50.0, 100.0, 200.0, 400.0, 800.0] {
        for weight in [0.0, 0.1, 0.2, 0.3] {
            out.push(StackPrior { films, weight });
        }
    }
    out
}

/// What the cross-validation found.
#[derive(Debug, Clone, Serialize)]
pub struct StackCv {
    pub chosen_per_fold: Vec<StackPrior>,
    pub chosen_all: StackPrior,
    /// Mean `spearman_user` at each point over everyone (in-sample, for the record).
    pub grid: Vec<(StackPrior, f64)>,
}

/// One person's held-out films with an IMDb average: (E[r] unstacked, IMDb average, rating).
struct HeldOut {
    fit: Option<StackFit>,
    films: Vec<(f64, f64, f64)>,
}

impl HeldOut {
    fn of(model: &Model, person: &Person, visitor: &Visitor) -> HeldOut {
        let films = match visitor.posterior() {
            Ok(post) => person
                .heldout
                .iter()
                .filter_map(|&(i, r)| {
                    let imdb = model.movie(i).imdb_rating? as f64;
                    Some((post.predict_mean(model, i) as f64, imdb, r as f64))
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        HeldOut {
            fit: visitor.stack_fit().copied(),
            films,
        }
    }

    /// `spearman_user` with the stack at `prior`.
    fn spearman(&self, prior: StackPrior) -> Option<f64> {
        let stack = self.fit.map(|f| f.stack(prior.films, prior.weight));
        let pairs: Vec<(f64, f64)> = self
            .films
            .iter()
            .map(|&(mean, imdb, rating)| {
                let shown = stack.map_or(mean, |s| s.shown(mean as f32, Some(imdb as f32)) as f64);
                (shown, rating)
            })
            .collect();
        spearman_user(&pairs)
    }
}

/// Each person's out-of-fold `spearman_user`, and the report.
pub fn cross_validate(
    model: &Model,
    people: &[Person],
    visitors: &[Visitor],
) -> (StackCv, Vec<Option<f64>>) {
    let held: Vec<HeldOut> = people
        .iter()
        .zip(visitors)
        .map(|(p, v)| HeldOut::of(model, p, v))
        .collect();
    let points = grid();
    let scores: Vec<Vec<Option<f64>>> = points
        .iter()
        .map(|&g| held.iter().map(|h| h.spearman(g)).collect())
        .collect();
    let fold: Vec<u64> = people.iter().map(|p| fold_of(&p.file)).collect();
    let mean = |g: usize, keep: &dyn Fn(usize) -> bool| {
        let v: Vec<f64> = (0..people.len())
            .filter(|&j| keep(j))
            .filter_map(|j| scores[g][j])
            .collect();
        v.iter().sum::<f64>() / v.len().max(1) as f64
    };
    let best = |keep: &dyn Fn(usize) -> bool| {
        (0..points.len()).fold(0, |b, g| {
            if mean(g, keep) > mean(b, keep) + 1e-12 {
                g
            } else {
                b
            }
        })
    };
    let per_fold: Vec<usize> = (0..FOLDS).map(|f| best(&|j| fold[j] != f)).collect();
    let out_of_fold = (0..people.len())
        .map(|j| scores[per_fold[fold[j] as usize]][j])
        .collect();
    let report = StackCv {
        chosen_per_fold: per_fold.iter().map(|&g| points[g]).collect(),
        chosen_all: points[best(&|_| true)],
        grid: (0..points.len())
            .map(|g| (points[g], mean(g, &|_| true)))
            .collect(),
    };
    (report, out_of_fold)
}
