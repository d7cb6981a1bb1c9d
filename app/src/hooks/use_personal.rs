//! The heavy part: resolving the profile and fitting the visitor's posterior (a D×D Cholesky,
//! D ≈ 57, plus EP for comparisons and likes). Memoised on the profile's event revision, so
//! typing in the search box or moving a slider never refits; ranking (one SIMD pass over the
//! catalogue plus exact predictions for the few movies that can reach the top) is memoised
//! separately on the settings.

use std::collections::HashMap;
use std::rc::Rc;

use moviematch::explain::Reason;
use moviematch::profile::Settings;
use moviematch::watchlist::WatchEntry;
use moviematch::{
    FilmPrediction, ListRequest, Model, Profile, Recommendation, Scale, StableId, Visitor,
};
use yew::prelude::*;

use crate::state::ModelRef;

/// One rating in force, resolved against the catalogue, as "My ratings" shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct RatedEntry {
    /// The id as stored; edits and removals must use it, not the catalogue's id.
    pub id: StableId,
    /// Catalogue index, or `None` when this bundle does not know the movie.
    pub item: Option<usize>,
    /// The rating in half stars (converted if it was given out of 10).
    pub stars: f32,
    /// How it was originally given when that was not stars, e.g. "8/10".
    pub original: Option<String>,
}

/// What the page shows of the visitor, all from the engine's [`Visitor`] session (which reads
/// the profile once and fits the posterior): nothing here re-derives a step of the pipeline.
pub struct Personal {
    pub visitor: Visitor,
    /// Most recent first.
    pub rated: Vec<RatedEntry>,
    /// Catalogue index → (stored id, stars), for showing and changing ratings anywhere.
    pub by_item: HashMap<usize, (StableId, f32)>,
    /// The watchlist as shown: each saved movie with its prediction, the best first (see
    /// [`moviematch::watchlist`]); entries the catalogue does not know come last.
    pub watchlist: Vec<WatchEntry>,
}

impl Personal {
    /// Reads the profile through the engine's visitor session.
    pub fn new(model: &Model, profile: &Profile) -> Personal {
        let visitor = Visitor::new(model, profile);
        let mut rated = Vec::new();
        let mut by_item = HashMap::new();
        for r in visitor.ratings() {
            let stars = r.stars();
            let original = (r.scale == Scale::Ten).then(|| format!("{}/10", r.value));
            if let Some(i) = r.item {
                by_item.entry(i).or_insert((r.id.clone(), stars));
            }
            rated.push(RatedEntry {
                id: r.id.clone(),
                item: r.item,
                stars,
                original,
            });
        }
        Personal {
            rated,
            by_item,
            watchlist: visitor.watchlist(model),
            visitor,
        }
    }

    /// "Would I like this one?" for `item` under `settings` (see `Visitor::film`); `None` when
    /// the answers could not be fitted (the list says why).
    pub fn prediction(
        &self,
        model: &Model,
        item: usize,
        settings: &Settings,
    ) -> Option<FilmPrediction> {
        self.visitor
            .film(model, item, &ListRequest::new(settings))
            .ok()
    }

    /// Answers the posterior used: (ratings, comparisons (preferences and ties), likes).
    pub fn answers_used(&self) -> (usize, usize, usize) {
        let ev = self.visitor.evidence();
        (ev.observations.len(), ev.comparisons.len(), ev.likes.len())
    }

    /// Answers of every kind the posterior used.
    pub fn n_used(&self) -> usize {
        self.visitor.evidence().len()
    }
}

/// Ranked list for the current settings, each entry with its reasons.
pub struct Recs {
    pub list: Result<Vec<(Recommendation, Vec<Reason>)>, String>,
    /// How sure the model is about the listed movies (see [`moviematch::certainty`]).
    pub certainty: Option<f64>,
}

/// Why the answers could not be fitted, in the page's words.
pub fn fit_failed(e: &moviematch::linalg::NotPositiveDefinite) -> String {
    format!("the model could not be fitted to these answers ({e})")
}

/// The list the page shows for these settings: the visitor session's list at the standard
/// length and the visitor's seed, with the certainty about it. (The golden test checks that
/// the CLI and pkg give the same list.)
pub fn recommendations(model: &Model, personal: &Personal, settings: &Settings) -> Recs {
    let v = &personal.visitor;
    let list = v
        .recommend(model, &ListRequest::new(settings))
        .map(|entries| {
            entries
                .into_iter()
                .map(|e| (e.rec, e.reasons))
                .collect::<Vec<_>>()
        })
        .map_err(|e| fit_failed(&e));
    let certainty = list.as_ref().ok().and_then(|list| {
        let items: Vec<usize> = list.iter().map(|(r, _)| r.item).collect();
        v.certainty(model, &items)
    });
    Recs { list, certainty }
}

#[hook]
pub fn use_personal(model: &ModelRef, profile: &Rc<Profile>, rev: u32) -> Rc<Personal> {
    // Taste drift is the one setting that changes the fit.
    let drift = profile.settings.drift;
    let profile = profile.clone();
    use_memo((model.clone(), rev, drift), move |(m, _, _)| {
        let started = js_sys::Date::now();
        let p = Personal::new(m, &profile);
        gloo::console::debug!(format!(
            "visitor on {} answers: {:.1} ms",
            p.n_used(),
            js_sys::Date::now() - started
        ));
        p
    })
}

#[hook]
pub fn use_recommendations(
    model: &ModelRef,
    rev: u32,
    settings: &Settings,
    personal: &Rc<Personal>,
) -> Rc<Recs> {
    let personal = personal.clone();
    // Keyed on the revision too: `personal` is recomputed exactly when it changes.
    use_memo(
        (model.clone(), rev, settings.clone()),
        move |(m, _, settings)| {
            let started = js_sys::Date::now();
            let recs = recommendations(m, &personal, settings);
            gloo::console::debug!(format!("ranking: {:.1} ms", js_sys::Date::now() - started));
            recs
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::fixture::random_bundle;
    use moviematch::profile::Action;

    /// The page's view of the visitor follows the engine's session: ratings with their stars
    /// (a 1–10 rating converted and shown as given), likes, hidden and saved by catalogue movie.
    #[test]
    fn the_page_reads_the_visitor_from_the_session() {
        let model = Model::from_bundle(random_bundle(1, 40, 2, 30));
        let mut p = Profile::default();
        p.rate(model.stable_id(1), 4.0, Scale::Stars, 1);
        p.rate(model.stable_id(2), 7.0, Scale::Ten, 2);
        p.feedback(model.stable_id(3), Action::Like, 3);
        p.feedback(model.stable_id(4), Action::Hide, 4);
        p.feedback(model.stable_id(5), Action::Save, 5);
        let personal = Personal::new(&model, &p);
        assert_eq!(personal.rated[0].original.as_deref(), Some("7/10"));
        assert_eq!(personal.rated[0].stars, 3.5);
        assert_eq!(personal.by_item[&1].1, 4.0);
        assert_eq!(personal.visitor.liked().get(&3), Some(&true));
        assert!(personal.visitor.hidden().contains(&4) && personal.visitor.saved().contains(&5));
        assert_eq!(personal.n_used(), 3);
        let recs = recommendations(&model, &personal, &p.settings);
        let list = recs.list.unwrap();
        assert_eq!(list.len(), 20);
        assert!(list.iter().all(|(r, _)| ![1, 2, 4].contains(&r.item)));
        let saved_out = Settings {
            exclude_saved: true,
            ..p.settings.clone()
        };
        let list = recommendations(&model, &personal, &saved_out).list.unwrap();
        assert!(list.iter().all(|(r, _)| r.item != 5));
    }
}
