//! The heavy part: resolving the profile and fitting the visitor's posterior (a D×D Cholesky,
//! D ≈ 57, plus EP for comparisons and likes). Memoised on the profile's event revision, so
//! typing in the search box or moving a slider never refits; ranking (one SIMD pass over the
//! catalogue plus exact predictions for the few movies that can reach the top) is memoised
//! separately on the settings.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use moviematch::explain::{reasons_for, Reason, MIN_REASON_STARS, REASONS};
use moviematch::profile::Settings;
use moviematch::watchlist::{watchlist, WatchEntry};
use moviematch::{
    recommend, Evidence, Observation, Posterior, Profile, RatingScale, Recommendation, Scale,
    StableId,
};
use yew::prelude::*;

use crate::certainty::certainty;
use crate::format::to_half_star;
use crate::state::ModelRef;

/// One rating in force, resolved against the catalogue.
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

/// Everything derived from the profile's events alone.
pub struct Personal {
    /// Most recent first.
    pub rated: Vec<RatedEntry>,
    /// Catalogue index → (stored id, stars), for showing and changing ratings anywhere.
    pub by_item: HashMap<usize, (StableId, f32)>,
    /// Answers the posterior used: ratings, comparisons (preferences and ties), likes.
    pub n_ratings: usize,
    pub n_comparisons: usize,
    pub n_likes: usize,
    pub posterior: Result<Posterior, String>,
    /// The ratings the posterior used, for the reasons shown with each recommendation.
    pub observations: Vec<Observation>,
    /// Likes (true) and dislikes (false) in force, by catalogue index.
    pub liked: HashMap<usize, bool>,
    pub hidden: HashSet<usize>,
    pub saved: HashSet<usize>,
    /// The watchlist as shown: each saved movie with its prediction, the best first (see
    /// [`moviematch::watchlist`]); entries the catalogue does not know come last.
    pub watchlist: Vec<WatchEntry>,
    /// What every list leaves out, whatever the settings (see [`Personal::list_exclusions`]).
    pub excluded: HashSet<usize>,
    /// Thompson sampling's seed: the number of events, so the list is re-drawn when (and only
    /// when) the profile changes, and the same profile gives the same list after a reload.
    pub seed: u64,
}

impl Personal {
    /// Answers of every kind the posterior used.
    pub fn n_used(&self) -> usize {
        self.n_ratings + self.n_comparisons + self.n_likes
    }

    /// Movies the list leaves out: the engine's rule ([`moviematch::rank::list_exclusions`]:
    /// rated, compared, disliked and hidden ones), plus the watchlist when the visitor asks.
    pub fn list_exclusions(&self, settings: &Settings) -> HashSet<usize> {
        let mut out = self.excluded.clone();
        if settings.exclude_saved {
            out.extend(&self.saved);
        }
        out
    }
}

/// Ranked list for the current settings, each entry with its reasons.
pub struct Recs {
    pub list: Result<Vec<(Recommendation, Vec<Reason>)>, String>,
    /// How sure the model is about the listed movies (see [`crate::certainty`]).
    pub certainty: Option<f64>,
}

/// How many recommendations to show.
pub const TOP: usize = 20;

#[hook]
pub fn use_personal(model: &ModelRef, profile: &Rc<Profile>, rev: u32) -> Rc<Personal> {
    let profile = profile.clone();
    use_memo((model.clone(), rev), move |(m, _)| personal(m, &profile))
}

#[hook]
pub fn use_recommendations(
    model: &ModelRef,
    rev: u32,
    settings: &Settings,
    personal: &Rc<Personal>,
) -> Rc<Recs> {
    let personal = personal.clone();
    let prior = use_memo(model.clone(), |m| Posterior::prior(m).ok());
    // Keyed on the revision too: `personal` is recomputed exactly when it changes.
    use_memo(
        (model.clone(), rev, settings.clone()),
        move |(m, _, settings)| {
            let started = js_sys::Date::now();
            let list = personal
                .posterior
                .as_ref()
                .map_err(Clone::clone)
                .map(|post| {
                    let exclude = personal.list_exclusions(settings);
                    let opts = settings.rank_options(TOP, personal.seed);
                    recommend(m, post, &exclude, &opts)
                        .into_iter()
                        .map(|r| {
                            let why = reasons_for(
                                m,
                                post,
                                &personal.observations,
                                &r,
                                REASONS,
                                MIN_REASON_STARS,
                            );
                            (r, why)
                        })
                        .collect::<Vec<_>>()
                });
            let certainty = match (&list, &personal.posterior, prior.as_ref()) {
                (Ok(list), Ok(post), Some(prior)) => {
                    let items: Vec<usize> = list.iter().map(|(r, _)| r.item).collect();
                    certainty(m, post, prior, &items)
                }
                _ => None,
            };
            gloo::console::debug!(format!("ranking: {:.1} ms", js_sys::Date::now() - started));
            Recs { list, certainty }
        },
    )
}

fn personal(model: &ModelRef, profile: &Profile) -> Personal {
    let started = js_sys::Date::now();
    let mut rated = Vec::new();
    let mut by_item = HashMap::new();
    for r in profile.ratings() {
        let item = model.resolve(&r.item);
        let (stars, original) = match r.scale {
            Scale::Stars => (r.value, None),
            Scale::Ten => (
                to_half_star(r.scale.range().convert(r.value, &RatingScale::STARS)),
                Some(format!("{}/10", r.value)),
            ),
        };
        if let Some(i) = item {
            by_item.entry(i).or_insert((r.item.clone(), stars));
        }
        rated.push(RatedEntry {
            id: r.item,
            item,
            stars,
            original,
        });
    }
    let resolve_all = |ids: Vec<StableId>| -> HashSet<usize> {
        ids.iter().filter_map(|id| model.resolve(id)).collect()
    };
    let liked = profile
        .likes()
        .into_iter()
        .filter_map(|(id, l)| model.resolve(&id).map(|i| (i, l)))
        .collect();
    let evidence = Evidence::from_profile(model, profile);
    let posterior = Posterior::fit_evidence(model, &evidence)
        .map_err(|e| format!("the model could not be fitted to these answers ({e:?})"));
    gloo::console::debug!(format!(
        "posterior on {} answers: {:.1} ms",
        evidence.len(),
        js_sys::Date::now() - started
    ));
    let watchlist = watchlist(model, posterior.as_ref().ok(), &profile.saved());
    Personal {
        rated,
        by_item,
        n_ratings: evidence.observations.len(),
        n_comparisons: evidence.comparisons.len(),
        n_likes: evidence.likes.len(),
        posterior,
        observations: evidence.observations,
        liked,
        hidden: resolve_all(profile.hidden()),
        saved: resolve_all(profile.saved()),
        watchlist,
        excluded: moviematch::rank::list_exclusions(
            model,
            profile,
            &Settings {
                exclude_saved: false,
                ..Settings::default()
            },
        ),
        seed: profile.events.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn personal_with(settings_saved: bool) -> (Personal, Settings) {
        let mut by_item = HashMap::new();
        by_item.insert(1, (StableId::Movielens(1), 4.0));
        let p = Personal {
            rated: Vec::new(),
            by_item,
            n_ratings: 1,
            n_comparisons: 1,
            n_likes: 2,
            posterior: Err("not needed".into()),
            observations: Vec::new(),
            liked: [(2, true), (3, false)].into(),
            hidden: [4].into(),
            saved: [5].into(),
            watchlist: Vec::new(),
            excluded: [1, 3, 4, 6, 7].into(),
            seed: 9,
        };
        let settings = Settings {
            exclude_saved: settings_saved,
            ..Settings::default()
        };
        (p, settings)
    }

    #[test]
    /// The engine decides what is always left out (tested there); the watchlist is added here.
    fn the_list_leaves_out_the_engines_set_and_optionally_saved() {
        let (p, s) = personal_with(false);
        let mut got: Vec<usize> = p.list_exclusions(&s).into_iter().collect();
        got.sort_unstable();
        assert_eq!(
            got,
            vec![1, 3, 4, 6, 7],
            "liked (2) and saved (5) stay listed"
        );
        let (p, s) = personal_with(true);
        assert!(p.list_exclusions(&s).contains(&5));
        assert_eq!(p.n_used(), 4);
    }
}
