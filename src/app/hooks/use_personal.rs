//! The heavy part: resolving the profile and fitting the visitor's posterior (a D×D Cholesky,
//! D ≈ 57). Memoised on the profile, so typing in the search box or switching genre never
//! refits; ranking (one SIMD pass over the catalogue plus exact predictions for the few movies
//! that can reach the top) is memoised separately on the genre.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use moviematch::explain::{reasons, Reason};
use moviematch::{
    recommend, Evidence, Observation, Posterior, Profile, RankOptions, RatingScale, Recommendation,
    Scale, StableId,
};
use yew::prelude::*;

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

/// Everything derived from the profile alone.
pub struct Personal {
    /// Most recent first.
    pub rated: Vec<RatedEntry>,
    /// Catalogue index → (stored id, stars), for showing and changing ratings anywhere.
    pub by_item: HashMap<usize, (StableId, f32)>,
    /// Ratings the posterior used.
    pub n_used: usize,
    pub posterior: Result<Posterior, String>,
    /// The ratings the posterior used, for the reasons shown with each recommendation.
    pub observations: Vec<Observation>,
}

/// Ranked list for the current genre, each entry with its reasons.
pub struct Recs {
    pub list: Result<Vec<(Recommendation, Vec<Reason>)>, String>,
}

/// Reasons shown per recommendation, and the least they must add to the prediction.
const REASONS: usize = 2;
const MIN_REASON_STARS: f32 = 0.05;

/// How many recommendations to show.
pub const TOP: usize = 20;

#[hook]
pub fn use_personal(model: &ModelRef, profile: &Rc<Profile>) -> Rc<Personal> {
    use_memo((model.clone(), profile.clone()), |(m, p)| personal(m, p))
}

#[hook]
pub fn use_recommendations(
    model: &ModelRef,
    profile: &Rc<Profile>,
    genre: u32,
    personal: &Rc<Personal>,
) -> Rc<Recs> {
    let personal = personal.clone();
    // Keyed on the profile too: `personal` is recomputed exactly when the profile changes.
    use_memo((model.clone(), profile.clone(), genre), move |(m, _, g)| {
        let started = js_sys::Date::now();
        let list = personal
            .posterior
            .as_ref()
            .map_err(Clone::clone)
            .map(|post| {
                let exclude: HashSet<usize> = personal.by_item.keys().copied().collect();
                let opts = RankOptions {
                    top: TOP,
                    genres: *g,
                    ..Default::default()
                };
                recommend(m, post, &exclude, &opts)
                    .into_iter()
                    .map(|r| {
                        let why = reasons(
                            m,
                            post,
                            &personal.observations,
                            r.item,
                            REASONS,
                            MIN_REASON_STARS,
                        );
                        (r, why)
                    })
                    .collect()
            });
        gloo::console::debug!(format!("ranking: {:.1} ms", js_sys::Date::now() - started));
        Recs { list }
    })
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
    let evidence = Evidence::from_profile(model, profile);
    let posterior = Posterior::fit_evidence(model, &evidence)
        .map_err(|e| format!("the model could not be fitted to these ratings ({e:?})"));
    gloo::console::debug!(format!(
        "posterior on {} ratings: {:.1} ms",
        evidence.observations.len(),
        js_sys::Date::now() - started
    ));
    Personal {
        rated,
        by_item,
        n_used: evidence.observations.len(),
        posterior,
        observations: evidence.observations,
    }
}
