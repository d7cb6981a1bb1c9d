//! The page's opening facts, one sentence each: the data, the split, the model and what the
//! pictures over the whole catalogue use.

use moviematch::Model;

use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::Ratings;
use crate::report::page::{thousands, Intro};

/// What the held-out part of the report was made from.
pub struct Split<'a> {
    /// The release's folder name.
    pub name: &'a str,
    pub ratings: &'a Ratings,
    pub cat: &'a CatalogueInfo,
    pub seed: u64,
    pub train_n: usize,
    pub test_n: usize,
    pub k: usize,
    /// Epochs the split-trained model ran.
    pub epochs: usize,
}

/// The page's intro; `catalogue` is [`given_bundle`] or [`split_bundle`].
pub fn intro(s: &Split<'_>, catalogue: String) -> Intro {
    Intro {
        data: format!(
            "`{}`: {} ratings by {} users of {} movies; catalogue of {} movies ({} with IMDb votes)",
            s.name,
            thousands(s.ratings.len() as u64),
            thousands(s.ratings.n_users() as u64),
            thousands(s.ratings.n_items() as u64),
            thousands(s.cat.movies.len() as u64),
            thousands(s.cat.imdb.iter().filter(|r| r.is_some()).count() as u64)
        ),
        split: format!(
            "random 90/10 split, seed {}: {} training and {} held-out ratings",
            s.seed,
            thousands(s.train_n as u64),
            thousands(s.test_n as u64)
        ),
        model: format!(
            "IRT by VI, K = {}, {} epochs (chosen by early stopping as in `tools eval`), scored after the int8 bundle round trip",
            s.k, s.epochs
        ),
        catalogue,
    }
}

/// The catalogue pictures' source when a bundle was given (shown as `shown`).
pub fn given_bundle(shown: &str, engine: &Model) -> String {
    format!(
        "the bundle `{shown}` ({} movies, K = {}), visitors' posteriors from all their ratings",
        thousands(engine.len() as u64),
        engine.k()
    )
}

/// The catalogue pictures' source without a given bundle: the split-trained model.
pub fn split_bundle(engine: &Model) -> String {
    format!(
        "the split-trained model assembled into a bundle ({} movies), visitors' posteriors from their training ratings",
        thousands(engine.len() as u64)
    )
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::data::movielens::{ImdbRating, MovieRow};

    #[test]
    fn the_intro_states_the_counts_with_thousands_separators() {
        let movies: Vec<MovieRow> = (1..=3)
            .map(|id| MovieRow {
                movie_id: id,
                title: format!("Film {id} (2001)"),
                genres: vec!["Drama".into()],
                imdb_id: Some(100 + id),
            })
            .collect();
        let imdb = HashMap::from([(
            101,
            ImdbRating {
                average: 7.0,
                votes: 10,
            },
        )]);
        let cat = CatalogueInfo::build(&movies, &[], &imdb).unwrap();
        let ratings = Ratings {
            user: vec![0, 1],
            item: vec![0, 1],
            value: vec![4.0, 3.0],
            time: vec![0, 0],
            user_ids: vec![1, 2],
            item_ids: vec![1, 2],
        };
        let split = Split {
            name: "ml-x",
            ratings: &ratings,
            cat: &cat,
            seed: 9,
            train_n: 12_345,
            test_n: 1_234_567,
            k: 8,
            epochs: 17,
        };
        let i = intro(&split, "source".into());
        assert_eq!(
            i.data,
            "`ml-x`: 2 ratings by 2 users of 2 movies; catalogue of 3 movies (1 with IMDb votes)"
        );
        assert_eq!(
            i.split,
            "random 90/10 split, seed 9: 12,345 training and 1,234,567 held-out ratings"
        );
        assert!(i.model.starts_with("IRT by VI, K = 8, 17 epochs"));
        assert_eq!(i.catalogue, "source");
    }
}
