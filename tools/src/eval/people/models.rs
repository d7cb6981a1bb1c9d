//! The people protocol's models. Each gives a person's top list of catalogue films (their
//! training films never in it) and, when it predicts ratings, a predicted mean per film:
//! `list` (the app's ranking through the engine's `Visitor`), `ease` (the EASE baseline on the
//! MovieLens ratings with the person folded in), `ials` (the implicit model trained on the
//! MovieLens ratings, through the engine's `ImplicitItems`), `imdb-votes`, `imdb-top` and
//! `first-list` (the app's list before any answer: what every new visitor is shown first).

use std::collections::{HashMap, HashSet};

use moviematch::features::RawFeatures;
use moviematch::implicit::{ImplicitItems, Signal, WATCHED};
use moviematch::profile::Settings;
use moviematch::{ListRequest, Model, Profile, Visitor};
use ndarray::s;

use super::read::Person;
use crate::data::movielens::Ratings;
use crate::eval::baselines::ease::{Ease, EaseParams};
use crate::eval::baselines::{SideInfo, TrainData};
use crate::train::ials::{self, implicit_params, IalsParams};

/// The names of the models, in report order.
pub const MODELS: [&str; 6] = [
    "list",
    "ease",
    "ials",
    "imdb-votes",
    "imdb-top",
    "first-list",
];
/// EASE's penalty in this protocol.
pub const EASE_LAMBDA: f64 = 200.0;
/// Fewest MovieLens ratings of an item EASE models.
pub const EASE_MIN_COUNT: u32 = 3;
/// Fewest IMDb votes for `imdb-top`.
pub const IMDB_TOP_MIN_VOTES: u32 = 25_000;

/// One model's answer for one person.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ranked {
    /// Best first, at most the requested length.
    pub list: Vec<usize>,
    /// Predicted mean rating per film asked for (`None`: the model predicts no ratings).
    pub predicted: Option<HashMap<usize, f64>>,
}

/// The person's training films as the app stores them: a profile of ratings on the export's own
/// scale under the catalogue's stable ids.
pub fn profile_of(model: &Model, person: &Person) -> Profile {
    let mut profile = Profile::default();
    for (at, &(item, value)) in person.train.iter().enumerate() {
        profile.rate(model.stable_id(item), value, person.scale, at as i64 + 1);
    }
    profile
}

/// The app's list (exploration 0, the other settings at their defaults) and the predicted mean
/// (before clipping) of each film in `predict`.
pub fn list(model: &Model, person: &Person, top: usize, predict: &[usize]) -> Ranked {
    let visitor = Visitor::new(model, &profile_of(model, person));
    let request = ListRequest {
        settings: Settings {
            exploration: 0.0,
            ..Settings::default()
        },
        top,
        seed: None,
        genres_all: 0,
    };
    let list = visitor
        .ranked(model, &request)
        .map(|l| l.into_iter().map(|r| r.item).collect())
        .unwrap_or_default();
    let predicted = predict
        .iter()
        .filter_map(|&i| Some((i, visitor.predict(model, i).ok()?.unclipped as f64)))
        .collect();
    Ranked {
        list,
        predicted: Some(predicted),
    }
}

/// The first `top` of `order` that are not training films.
fn first_unrated(order: &[usize], person: &Person, top: usize) -> Vec<usize> {
    let train: HashSet<usize> = person.train.iter().map(|t| t.0).collect();
    order
        .iter()
        .copied()
        .filter(|i| !train.contains(i))
        .take(top)
        .collect()
}

/// Films ranked by one key, best first (ties: the earlier film).
fn order_by(model: &Model, key: impl Fn(usize) -> Option<(f32, u32)>) -> Vec<usize> {
    let mut v: Vec<(usize, (f32, u32))> = (0..model.len())
        .filter_map(|i| Some((i, key(i)?)))
        .collect();
    v.sort_by(|a, b| {
        (b.1 .0.total_cmp(&a.1 .0))
            .then(b.1 .1.cmp(&a.1 .1))
            .then(a.0.cmp(&b.0))
    });
    v.into_iter().map(|x| x.0).collect()
}

/// The non-personal references, ordered once for every person.
pub struct Charts {
    /// The app's list for a visitor with no answers (exploration 0, default settings), long
    /// enough that any person's first 100 unrated films are in it.
    first: Vec<usize>,
    /// Most IMDb votes first.
    votes: Vec<usize>,
    /// Highest IMDb average among films with ≥ [`IMDB_TOP_MIN_VOTES`] votes first.
    top: Vec<usize>,
}

impl Charts {
    /// `longest` is the most training films any person has.
    pub fn new(model: &Model, longest: usize) -> Charts {
        let request = ListRequest {
            settings: Settings {
                exploration: 0.0,
                ..Settings::default()
            },
            top: longest + 100,
            seed: None,
            genres_all: 0,
        };
        let first = Visitor::new(model, &Profile::default())
            .ranked(model, &request)
            .map(|l| l.into_iter().map(|r| r.item).collect())
            .unwrap_or_default();
        Charts {
            first,
            votes: order_by(model, |i| Some((model.movie(i).imdb_votes as f32, 0))),
            top: order_by(model, |i| {
                let m = model.movie(i);
                (m.imdb_votes >= IMDB_TOP_MIN_VOTES)
                    .then_some(())
                    .and(m.imdb_rating)
                    .map(|r| (r, m.imdb_votes))
            }),
        }
    }

    pub fn imdb_votes(&self, person: &Person, top: usize) -> Ranked {
        Ranked {
            list: first_unrated(&self.votes, person, top),
            predicted: None,
        }
    }

    pub fn first_list(&self, person: &Person, top: usize) -> Ranked {
        Ranked {
            list: first_unrated(&self.first, person, top),
            predicted: None,
        }
    }

    pub fn imdb_top(&self, person: &Person, top: usize) -> Ranked {
        Ranked {
            list: first_unrated(&self.top, person, top),
            predicted: None,
        }
    }
}

/// EASE fitted on MovieLens ratings; each person is folded in as one more binary row (exact:
/// the same scores as refitting with that row, see [`Ease::fold_in_scores`]).
pub struct EaseModel {
    ease: Ease,
    /// Catalogue film → dense MovieLens item.
    dense_of: HashMap<usize, u32>,
    /// Modelled column → catalogue film, if the bundle has it.
    film_of_col: Vec<Option<usize>>,
}

impl EaseModel {
    pub fn params() -> EaseParams {
        EaseParams {
            lambda: EASE_LAMBDA,
            min_count: EASE_MIN_COUNT,
            max_items: usize::MAX,
        }
    }

    /// Fits on `ratings`; catalogue films and MovieLens items meet by movieId.
    pub fn fit(model: &Model, ratings: &Ratings) -> EaseModel {
        let side = SideInfo::default();
        let ease = Ease::fit_with(
            &TrainData {
                ratings,
                side: &side,
            },
            &Self::params(),
        );
        let dense_of: HashMap<usize, u32> = ratings
            .item_ids
            .iter()
            .enumerate()
            .filter_map(|(d, &mid)| Some((model.by_movielens_id(mid)?, d as u32)))
            .collect();
        let film_of_col = ease
            .items
            .iter()
            .map(|&d| model.by_movielens_id(ratings.item_ids[d as usize]))
            .collect();
        EaseModel {
            ease,
            dense_of,
            film_of_col,
        }
    }

    /// How many items it models.
    pub fn n_items(&self) -> usize {
        self.ease.items.len()
    }

    pub fn rank(&self, person: &Person, top: usize) -> Ranked {
        let history: Vec<u32> = person
            .train
            .iter()
            .filter_map(|t| self.dense_of.get(&t.0).copied())
            .collect();
        let scores = self.ease.fold_in_scores(&history);
        let train: HashSet<usize> = person.train.iter().map(|t| t.0).collect();
        let mut v: Vec<(usize, f32)> = scores
            .iter()
            .enumerate()
            .filter_map(|(c, &s)| Some((self.film_of_col[c]?, s)))
            .filter(|(f, s)| s.is_finite() && !train.contains(f))
            .collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ranked {
            list: v.into_iter().take(top).map(|x| x.0).collect(),
            predicted: None,
        }
    }
}

/// The implicit model trained on MovieLens ratings and exported over the bundle's catalogue
/// (the same parameters `tools train` writes), read through the engine's [`ImplicitItems`]:
/// each person is folded in from their training films as watched, and films outside MovieLens
/// are placed by their content features.
pub struct ImplicitModel {
    items: ImplicitItems,
}

impl ImplicitModel {
    /// Fits on `ratings` with `p`; catalogue films and MovieLens items meet by movieId, and a
    /// MovieLens item the catalogue lacks gets the features of an unknown film.
    pub fn fit(model: &Model, ratings: &Ratings, p: &IalsParams) -> ImplicitModel {
        let (k, f) = (model.k(), model.n_features());
        let spec = &model.header.features;
        let unknown = RawFeatures {
            imdb_rating: None,
            imdb_votes: 0,
            year: None,
            genres: 0,
        };
        let mut x = vec![0f32; ratings.n_items() * f];
        let mut dense_of_row = vec![None; model.len()];
        for (d, &mid) in ratings.item_ids.iter().enumerate() {
            let out = &mut x[d * f..(d + 1) * f];
            match model.by_movielens_id(mid) {
                Some(row) => {
                    out.copy_from_slice(&model.content_row(row)[..f]);
                    dense_of_row[row] = Some(d);
                }
                None => spec.compute(&unknown, out),
            }
        }
        let fitted = ials::train(ratings, &x, f, p, |_| {});
        let features = model.design().slice(s![.., k..k + f]);
        let params = implicit_params(&fitted, features, &dense_of_row);
        ImplicitModel {
            items: ImplicitItems::new(&params, features),
        }
    }

    pub fn rank(&self, model: &Model, person: &Person, top: usize) -> Ranked {
        let train: HashSet<usize> = person.train.iter().map(|t| t.0).collect();
        let mut films: Vec<usize> = train.iter().copied().collect();
        films.sort_unstable();
        let signals: Vec<Signal> = films
            .iter()
            .map(|&item| Signal {
                item,
                target: 1.0,
                confidence: WATCHED,
            })
            .collect();
        let Ok(taste) = self.items.fit(&signals, |i| model.content_row(i)) else {
            return Ranked::default();
        };
        // The int8 pass, then exact scores for every film that can reach the top.
        let approx = self.items.scores(&taste);
        let mut order: Vec<(usize, f32)> = approx
            .mean
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, _)| !train.contains(i))
            .collect();
        order.sort_by(|a, b| b.1.total_cmp(&a.1));
        let Some(&(_, bar)) = order.get(top.saturating_sub(1)).or(order.last()) else {
            return Ranked::default();
        };
        let mut exact: Vec<(usize, f64)> = order
            .iter()
            .take_while(|(_, s)| *s >= bar - 2.0 * approx.error)
            .map(|&(i, _)| (i, self.items.score(&taste, i, model.content_row(i))))
            .collect();
        exact.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        Ranked {
            list: exact.into_iter().take(top).map(|x| x.0).collect(),
            predicted: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::fixture::random_bundle;
    use moviematch::Scale;

    use crate::eval::people::read::Dropped;

    #[test]
    fn the_first_list_is_the_new_visitors_list_without_the_persons_films() {
        let model = Model::from_bundle(random_bundle(7, 400, 4, 300));
        let cold = Visitor::new(&model, &Profile::default());
        let request = ListRequest {
            settings: Settings {
                exploration: 0.0,
                ..Settings::default()
            },
            top: 60,
            seed: None,
            genres_all: 0,
        };
        let shown: Vec<usize> = cold
            .ranked(&model, &request)
            .unwrap()
            .into_iter()
            .map(|r| r.item)
            .collect();
        // The person rated the new visitor's 1st, 3rd and 5th films.
        let train: Vec<(usize, f32)> = [0, 2, 4].iter().map(|&k| (shown[k], 8.0)).collect();
        let person = Person {
            file: "p.csv".into(),
            format: "imdb",
            scale: Scale::Ten,
            rows: 3,
            matched: 3,
            dropped: Dropped::default(),
            train,
            heldout: Vec::new(),
        };
        let first = Charts::new(&model, person.train.len()).first_list(&person, 50);
        let expected: Vec<usize> = shown
            .iter()
            .enumerate()
            .filter(|(k, _)| ![0, 2, 4].contains(k))
            .map(|(_, &i)| i)
            .take(50)
            .collect();
        assert_eq!(first.list, expected);
        assert_eq!(first.predicted, None);
    }
}
