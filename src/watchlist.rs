//! The visitor's watchlist as it is shown: every saved movie with the prediction a
//! recommendation row would give it (the same numbers, from [`crate::rank::row_predictions`]),
//! the best predicted first. The app's watchlist and anyone else showing one use this.

use crate::model::Model;
use crate::posterior::Posterior;
use crate::profile::StableId;
use crate::rank::{row_predictions, RowPrediction};

/// One movie on the watchlist.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchEntry {
    /// The ids it is saved under, as stored (one, unless the same movie was saved under both
    /// its MovieLens and IMDb ids): removing it from the watchlist must unsave every one.
    pub ids: Vec<StableId>,
    /// Catalogue index, or `None` when this bundle does not know the movie.
    pub item: Option<usize>,
    /// The predicted rating and its 80% interval, as a recommendation row shows them; `None`
    /// for a movie the catalogue does not know, or when there is no posterior.
    pub prediction: Option<RowPrediction>,
}

/// The watchlist `saved` (ids in the order they were saved, as [`crate::Profile::saved`] gives
/// them) as shown: movies with a prediction first, the highest predicted rating first (ties by
/// catalogue order); then catalogue movies without one (no posterior), in the order saved;
/// then the saved entries this catalogue does not know, in the order saved. A movie saved
/// under two ids is one entry.
pub fn watchlist(model: &Model, post: Option<&Posterior>, saved: &[StableId]) -> Vec<WatchEntry> {
    let mut known: Vec<WatchEntry> = Vec::new();
    let mut unknown: Vec<WatchEntry> = Vec::new();
    for id in saved {
        match model.resolve(id) {
            Some(i) => match known.iter_mut().find(|e| e.item == Some(i)) {
                Some(e) => e.ids.push(id.clone()),
                None => known.push(WatchEntry {
                    ids: vec![id.clone()],
                    item: Some(i),
                    prediction: None,
                }),
            },
            None => {
                if !unknown.iter().any(|e| e.ids.contains(id)) {
                    unknown.push(WatchEntry {
                        ids: vec![id.clone()],
                        item: None,
                        prediction: None,
                    });
                }
            }
        }
    }
    if let Some(post) = post {
        let items: Vec<usize> = known.iter().filter_map(|e| e.item).collect();
        for (e, p) in known.iter_mut().zip(row_predictions(model, post, &items)) {
            e.prediction = Some(p);
        }
        // Stable: equal predictions keep catalogue order below.
        known.sort_by(|a, b| {
            let key = |e: &WatchEntry| e.prediction.map_or(f32::NEG_INFINITY, |p| p.unclipped);
            key(b).total_cmp(&key(a)).then(a.item.cmp(&b.item))
        });
    }
    known.extend(unknown);
    known
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;
    use crate::posterior::Observation;
    use crate::rank::{recommend, RankOptions};
    use std::collections::HashSet;

    #[test]
    fn best_predicted_first_unknown_last_and_the_lists_numbers() {
        let model = Model::from_bundle(fixture::random_bundle(6, 400, 5, 200));
        let post = Posterior::fit(
            &model,
            &[
                Observation {
                    item: 1,
                    rating: 5.0,
                },
                Observation {
                    item: 2,
                    rating: 1.0,
                },
            ],
        )
        .unwrap();
        let list = recommend(
            &model,
            &crate::rank::Taste::explicit(&post),
            &HashSet::new(),
            &RankOptions {
                top: 30,
                ..RankOptions::default()
            },
        );
        let unmatched = StableId::Unmatched {
            title: "Some Show".into(),
            year: Some(2011),
            source: "imdb".into(),
        };
        let missing = StableId::Movielens(9_999_999);
        // Saved in an order unrelated to the prediction, with unknown ids in between and one
        // movie saved twice (under its MovieLens id and its IMDb id).
        let picks = [
            list[20].item,
            list[3].item,
            list[11].item,
            250,
            list[0].item,
        ];
        let mut saved: Vec<StableId> = Vec::new();
        for (n, &i) in picks.iter().enumerate() {
            saved.push(model.stable_id(i));
            if n == 1 {
                saved.push(unmatched.clone());
            }
        }
        saved.insert(3, missing.clone());
        let tt = model.movie(picks[2]).tconst().unwrap();
        saved.push(StableId::Imdb(tt));
        let got = watchlist(&model, Some(&post), &saved);
        assert_eq!(got.len(), picks.len() + 2);
        let shown: Vec<Option<usize>> = got.iter().map(|e| e.item).collect();
        let mut want: Vec<usize> = picks.to_vec();
        want.sort_by(|&a, &b| {
            post.predict_mean(&model, b)
                .total_cmp(&post.predict_mean(&model, a))
        });
        let want: Vec<Option<usize>> = want.into_iter().map(Some).chain([None, None]).collect();
        assert_eq!(shown, want);
        // The catalogue's unknown entries come last, in the order saved, with no prediction.
        assert_eq!(got[5].ids, vec![unmatched]);
        assert_eq!(got[6].ids, vec![missing]);
        assert!(got[5..].iter().all(|e| e.prediction.is_none()));
        // The movie saved twice is one entry holding both ids.
        let twice = got.iter().find(|e| e.item == Some(picks[2])).unwrap();
        assert_eq!(twice.ids.len(), 2);
        // A listed movie's numbers are its recommendation row's.
        for e in &got[..5] {
            let p = e.prediction.unwrap();
            if let Some(r) = list.iter().find(|r| Some(r.item) == e.item) {
                assert_eq!((p.mean, p.sd, p.interval80), (r.mean, r.sd, r.interval80));
            }
            assert!(p.interval80.0 <= p.mean && p.mean <= p.interval80.1);
        }
        // Without a posterior: the catalogue's movies in the order saved, then the unknown.
        let plain = watchlist(&model, None, &saved);
        let order: Vec<Option<usize>> = plain.iter().map(|e| e.item).collect();
        let mut want: Vec<Option<usize>> = picks.iter().map(|&i| Some(i)).collect();
        want.extend([None, None]);
        assert_eq!(order, want);
        assert!(plain.iter().all(|e| e.prediction.is_none()));
        assert!(watchlist(&model, Some(&post), &[]).is_empty());
    }
}
