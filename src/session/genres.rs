//! What the visitor's usual genres are made from, for the genre-distance knob
//! ([`RankOptions::genre_distance`](crate::rank::RankOptions::genre_distance)).

use crate::posterior::{Evidence, Weights};
use crate::profile::Settings;

/// The films the visitor liked, each with how much: a rating above the lower of their own mean
/// rating and `population_mean` (the model's μ) by how far above (in the model's rating units;
/// one at or below it counts nothing), a like as much as a rating one unit above it, each times
/// its drift weight. The lower of the two, so that a visitor who rated only favourites, all
/// alike, still has usual genres. A dislike counts nothing, so it never raises a genre. Empty
/// when `settings` leave genre distance off (nothing to pay for).
pub fn liked_films(
    evidence: &Evidence,
    settings: &Settings,
    population_mean: f32,
) -> Vec<(usize, f32)> {
    let knob = settings.genre_distance;
    if knob == 0.0 || !knob.is_finite() {
        return Vec::new();
    }
    let drift = |list: &[f32], j: usize| Weights::of(list, j) as f32;
    let obs = &evidence.observations;
    let own = obs.iter().map(|o| o.rating).sum::<f32>() / obs.len().max(1) as f32;
    let mean = own.min(population_mean);
    let ratings = obs.iter().enumerate().filter_map(|(j, o)| {
        let above = o.rating - mean;
        (above > 0.0).then(|| (o.item, above * drift(&evidence.weights.observations, j)))
    });
    let likes = evidence
        .likes
        .iter()
        .enumerate()
        .filter(|(_, l)| l.liked)
        .map(|(j, l)| (l.item, drift(&evidence.weights.likes, j)));
    ratings.chain(likes).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{self, FixtureMovie};
    use crate::model::Model;
    use crate::profile::{Action, Profile, Scale};
    use crate::session::{ListRequest, Visitor};

    /// Thirty films in three genres in turn (film j: Drama, Horror, Comedy for j mod 3 = 0, 1,
    /// 2), Horror's biases highest, then Comedy's, Drama's lowest.
    fn model() -> Model {
        let names = ["Drama", "Horror", "Comedy"];
        let movies: Vec<FixtureMovie> = (0..30u32)
            .map(|j| FixtureMovie {
                movie_id: j + 1,
                imdb_id: 100 + j,
                title: "Some Movie (2000)",
                year: 1990 + j as u16,
                genres: 1 << (j % 3),
                ml_count: 50 + j,
                imdb_rating_x10: 70,
                imdb_votes: 10_000 + 100 * j,
                factors: vec![0.2 * (j % 3) as f32 - 0.2, 0.1],
                bias: [0.0, 1.2, 0.4][j as usize % 3] - 0.01 * j as f32,
                bias_sd: 0.1,
            })
            .collect();
        Model::from_bundle(fixture::bundle(&names, &movies))
    }

    fn on() -> Settings {
        Settings {
            genre_distance: -1.0,
            ..Settings::default()
        }
    }

    /// Ratings above the visitor's mean count by how far above, likes by 1, nothing else
    /// (ratings at or below the mean, dislikes); with the knob off nothing is gathered.
    #[test]
    fn liked_films_are_ratings_above_the_mean_and_likes() {
        let m = model();
        let mut p = Profile::default();
        for (j, (item, stars)) in [(0, 5.0), (3, 4.0), (6, 3.0), (9, 2.0)].iter().enumerate() {
            p.rate(m.stable_id(*item), *stars, Scale::Stars, j as i64);
        }
        p.feedback(m.stable_id(12), Action::Like, 10);
        p.feedback(m.stable_id(1), Action::Dislike, 11);
        let v = Visitor::new(&m, &p);
        let mut got = liked_films(v.evidence(), &on(), m.header.global_mean);
        got.sort_by_key(|x| x.0);
        // Mean 3.5: 5★ is 1.5 above, 4★ 0.5; 3★ and 2★ count nothing.
        assert_eq!(got, vec![(0, 1.5), (3, 0.5), (12, 1.0)]);
        assert!(liked_films(v.evidence(), &Settings::default(), m.header.global_mean).is_empty());
        let mut opts = v.rank_options(&ListRequest::new(&on())).liked_films;
        opts.sort_by_key(|x| x.0);
        assert_eq!(opts, got);
        assert!(v
            .rank_options(&ListRequest::new(&Settings::default()))
            .liked_films
            .is_empty());
        // Only favourites, all 5★: each counts by how far above the model's mean (3.5) it is.
        let mut fans = Profile::default();
        for (j, item) in [0, 3, 6].iter().enumerate() {
            fans.rate(m.stable_id(*item), 5.0, Scale::Stars, j as i64);
        }
        let v = Visitor::new(&m, &fans);
        let mut got = liked_films(v.evidence(), &on(), m.header.global_mean);
        got.sort_by_key(|x| x.0);
        assert_eq!(got, vec![(0, 1.5), (3, 1.5), (6, 1.5)]);
    }

    /// A visitor who likes Drama and dislikes Horror: staying close raises no Horror film (each
    /// stays where it was or falls), and puts Drama first; surprise me brings the others up.
    #[test]
    fn a_disliked_genre_never_gains_from_staying_close() {
        let m = model();
        let mut p = Profile::default();
        let mut at = 0;
        for item in [0, 3, 6] {
            p.rate(m.stable_id(item), 4.5, Scale::Stars, at);
            at += 1;
        }
        for item in [2, 5] {
            p.rate(m.stable_id(item), 3.0, Scale::Stars, at);
            at += 1;
        }
        for item in [1, 4] {
            p.feedback(m.stable_id(item), Action::Dislike, at);
            at += 1;
        }
        let v = Visitor::new(&m, &p);
        assert!(liked_films(v.evidence(), &on(), m.header.global_mean)
            .iter()
            .all(|&(i, _)| m.movie(i).genres == 1));
        let list = |knob: f32| {
            let request = ListRequest {
                top: 6,
                ..ListRequest::new(&Settings {
                    genre_distance: knob,
                    exploration: 0.0,
                    ..Settings::default()
                })
            };
            v.ranked(&m, &request)
                .unwrap()
                .iter()
                .map(|r| r.item)
                .collect::<Vec<_>>()
        };
        let horror = |l: &[usize]| -> Vec<usize> {
            l.iter()
                .enumerate()
                .filter(|(_, &i)| m.movie(i).genres == 2)
                .map(|(rank, _)| rank)
                .collect()
        };
        let (plain, close, far) = (list(0.0), list(-1.0), list(1.0));
        let (h0, h1) = (horror(&plain), horror(&close));
        assert!(h1.len() <= h0.len(), "{plain:?} → {close:?}");
        for (a, b) in h1.iter().zip(&h0) {
            assert!(a >= b, "a Horror film rose: {plain:?} → {close:?}");
        }
        let drama = |l: &[usize]| l.iter().filter(|&&i| m.movie(i).genres == 1).count();
        assert!(drama(&close) > drama(&plain), "{plain:?} → {close:?}");
        assert!(drama(&far) < drama(&plain), "{plain:?} → {far:?}");
        assert!(!h0.is_empty(), "the plain list has Horror films: {plain:?}");
    }
}
