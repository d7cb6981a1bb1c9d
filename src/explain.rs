//! Why a movie is recommended, computed from the model rather than guessed.
//!
//! The ranking score is a blend (see [`crate::rank`]) of the explicit predicted rating and the
//! implicit score, and both split exactly into one share per answer:
//!
//! ```text
//! E[r_m] = o_m + x̃_mᵀΣΛ₀m₀ + Σᵢ x̃_mᵀΣx̃ᵢ r̃ᵢ/vᵢ + (comparisons and likes)
//! uᵀh_m  = Σ_s c_s y_s h_sᵀM⁻¹h_m          (every rating, comparison, like and save)
//! ```
//!
//! "Because you liked / watched / saved / preferred X" names the films X whose shares, weighed
//! as the blend weighs them, add most to this film's score: true statements about this
//! ranking, not guesses. A film is only named when it is also *like* the recommended one: the
//! cosine of their factors (implicit when the bundle has them, else explicit) is at least
//! [`SIMILARITY`], and it shares a genre with it or is among its [`NEIGHBOURS`] nearest films.
//! A weak reason is dropped rather than shown, and so is a film the visitor rated
//! [`DISLIKED_STARS`] or lower (its share is that they watched it; see [`may_name`]). "Matches your taste for <genre>" comes from the
//! visitor's personal weight on that genre feature times the movie's value of it; "widely
//! loved" from the movie's own quality o_m − μ (anchored on IMDb). "Exploring" comes first
//! when the movie is in the list only because of the Thompson draw
//! ([`Recommendation::exploring`]): the other reasons are then true, but not why it is listed.

use std::collections::HashMap;

use ndarray::Array1;

use crate::blend::Weights;
use crate::features::BASE_FEATURES;
use crate::implicit::{cosine, Signal};
use crate::model::Model;
use crate::posterior::{Observation, Posterior};
use crate::rank::{Recommendation, Taste};

/// What the visitor did with a film a reason names (how the reason words it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Did {
    /// Rated it (on the model's scale).
    Rated(f32),
    Liked,
    /// Chose it in an "A or B?" question.
    Preferred,
    /// Answered a question about it without preferring it (seen it).
    Watched,
    Saved,
}

/// One reason, with how much it adds to the ranking score (in the blend's units).
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    /// A film the visitor told us about (catalogue index) whose answers raise this one.
    BecauseYou { item: usize, did: Did, weight: f32 },
    /// A genre (index into the bundle's genre names) the visitor's weights favour.
    Taste { genre: usize, weight: f32 },
    /// The movie's own quality, whoever watches: well above the average movie.
    WidelyLoved { weight: f32 },
    /// Listed only because of the Thompson draw: the model is unsure how the visitor would
    /// like it, and the list is trying it (see [`Recommendation::exploring`]).
    Exploring,
}

/// How "exploring" reads; the app's shared view turns "you" into "they".
pub const EXPLORING: &str = "exploring: you might love this or not — the model is unsure";

impl Reason {
    /// The reason as a visitor reads it, e.g. "because you liked Heat (5★)".
    pub fn describe(&self, model: &Model) -> String {
        match self {
            Reason::BecauseYou { item, did, .. } => {
                let title = &model.movie(*item).title;
                match did {
                    Did::Rated(rating) => {
                        let stars = in_stars(model, *rating);
                        let verb = if stars >= 3.5 { "liked" } else { "watched" };
                        format!("because you {verb} {title} ({stars}★)")
                    }
                    Did::Liked => format!("because you liked {title}"),
                    Did::Preferred => format!("because you preferred {title}"),
                    Did::Watched => format!("because you watched {title}"),
                    Did::Saved => format!("because you saved {title}"),
                }
            }
            Reason::Taste { genre, .. } => {
                format!("matches your taste for {}", model.genre_names()[*genre])
            }
            Reason::WidelyLoved { .. } => "widely loved".to_string(),
            Reason::Exploring => EXPLORING.to_string(),
        }
    }

    /// How much it adds to the ranking score (`None` for "exploring", which is about the
    /// draw, not the score).
    pub fn weight(&self) -> Option<f32> {
        match self {
            Reason::BecauseYou { weight, .. }
            | Reason::Taste { weight, .. }
            | Reason::WidelyLoved { weight } => Some(*weight),
            Reason::Exploring => None,
        }
    }
}

/// A rating on the model's scale in stars (0.5–5).
fn in_stars(model: &Model, rating: f32) -> f32 {
    model
        .header
        .scale
        .convert(rating, &crate::scale::RatingScale::STARS)
}

/// Whether a reason may name a film the visitor did this with. A film they rated
/// [`DISLIKED_STARS`] or lower is never named: its share of the score is its "watched" signal
/// (people who watch it watch this), true, but "because you watched Titanic (1★)" reads as a
/// contradiction to someone who disliked Titanic, so the reason is dropped as weak.
fn may_name(model: &Model, did: Did) -> bool {
    match did {
        Did::Rated(rating) => in_stars(model, rating) > DISLIKED_STARS,
        Did::Liked | Did::Preferred | Did::Watched | Did::Saved => true,
    }
}

/// What the visitor told us, as the reasons credit it.
#[derive(Debug, Clone, Copy)]
pub struct Answers<'a> {
    /// The ratings the posterior was fitted on, in its order.
    pub ratings: &'a [Observation],
    /// The implicit signals, in the order the implicit taste was fitted on.
    pub signals: &'a [Signal],
    /// What the visitor did with each film they told us about.
    pub did: &'a HashMap<usize, Did>,
}

/// Each rating's exact share of movie `m`'s predicted rating: x̃_mᵀΣx̃ᵢ r̃ᵢ/vᵢ, in the order of
/// `ratings` (the observations the posterior was fitted on).
pub fn rating_contributions(
    model: &Model,
    post: &Posterior,
    ratings: &[Observation],
    m: usize,
) -> Vec<f32> {
    let sx = sigma_x(model, post, m);
    let sigma2 = (model.header.sigma as f64).powi(2);
    ratings
        .iter()
        .map(|o| {
            let xi = model.design().row(o.item);
            let v = sigma2 + model.bias_variances()[o.item] as f64;
            let r = (o.rating - model.offsets()[o.item]) as f64;
            let dot: f64 = xi.iter().zip(&sx).map(|(&a, &b)| a as f64 * b).sum();
            (dot * r / v) as f32
        })
        .collect()
}

/// The prior's share of movie `m`'s prediction beyond its offset: x̃_mᵀΣΛ₀m₀.
pub fn prior_contribution<'a>(model: &'a Model, post: &'a Posterior) -> impl Fn(usize) -> f32 + 'a {
    let d = model.visitor_dim();
    let h = &model.header;
    let b0: Array1<f64> = (0..d)
        .map(|i| {
            (0..d)
                .map(|j| h.prior_precision[i * d + j] as f64 * h.prior_mean[j] as f64)
                .sum()
        })
        .collect();
    move |m| {
        let sx = sigma_x(model, post, m);
        sx.dot(&b0) as f32
    }
}

/// Σx̃_m.
fn sigma_x(model: &Model, post: &Posterior, m: usize) -> Array1<f64> {
    let x = model.design().row(m).mapv(|v| v as f64);
    post.cov().dot(&x)
}

/// How many reasons a recommendation shows in the app, the CLI and the JS package.
pub const REASONS: usize = 2;
/// The smallest lift a reason must give, in stars of predicted rating (scaled by the blend's
/// weight on the rating for the other kinds of share).
pub const MIN_REASON_STARS: f32 = 0.05;
/// A film is named only if its factors' cosine with the recommended film's is at least this.
pub const SIMILARITY: f64 = 0.3;
/// … and it shares a genre with it or is among this many of its nearest films.
pub const NEIGHBOURS: usize = 50;
/// A film rated this many stars or fewer is never named (see [`may_name`]).
pub const DISLIKED_STARS: f32 = 2.0;

/// Up to `max` reasons for recommending movie `m` under the blend weights `w`, strongest
/// first; only reasons that add at least [`MIN_REASON_STARS`] (in the blend's units) and, for
/// a named film, pass the similarity rule (see the module doc).
pub fn reasons(
    model: &Model,
    taste: &Taste<'_>,
    w: &Weights,
    answers: &Answers<'_>,
    m: usize,
    max: usize,
) -> Vec<Reason> {
    let post = taste.explicit;
    let min = MIN_REASON_STARS * w.mean.abs().max(0.1);
    let mut out: Vec<Reason> = Vec::new();
    // Each film's share of the score: the explicit share of its rating, the implicit share of
    // its signal.
    let mut share: HashMap<usize, f32> = HashMap::new();
    for (o, stars) in
        answers
            .ratings
            .iter()
            .zip(rating_contributions(model, post, answers.ratings, m))
    {
        *share.entry(o.item).or_default() += w.mean * stars;
    }
    let implicit = model.implicit().zip(taste.implicit);
    let h_m = implicit.map(|(imp, _)| imp.factors(m, model.content_row(m)));
    if let (Some((_, u)), Some(h)) = (implicit, &h_m) {
        for (s, c) in answers.signals.iter().zip(u.contributions(h)) {
            *share.entry(s.item).or_default() += w.implicit * c as f32;
        }
    }
    let mut named: Vec<(f64, usize)> = share
        .into_iter()
        // A film the visitor answered about (asked "would I like this one?") is never its own
        // reason.
        .filter(|&(item, x)| x >= min && item != m)
        .map(|(item, x)| (x as f64, item))
        .collect();
    moviematch_math::top::sort_best(&mut named);
    let mut near: Option<Vec<usize>> = None;
    for (weight, item) in named {
        let weight = weight as f32;
        if out.len() >= max {
            break;
        }
        let Some(&did) = answers.did.get(&item) else {
            continue;
        };
        if may_name(model, did) && is_like(model, taste, h_m.as_deref(), item, m, &mut near) {
            out.push(Reason::BecauseYou { item, did, weight });
        }
    }
    // Genre features follow the base features in x; the visitor's weights sit at K + F in z.
    let k = model.k();
    let genres = model.movie(m).genres;
    for g in 0..model.genre_names().len() {
        if genres & (1 << g) == 0 {
            continue;
        }
        let col = k + BASE_FEATURES + g;
        let weight = w.mean * (post.mean()[col] * model.design()[[m, col]] as f64) as f32;
        if weight >= min {
            out.push(Reason::Taste { genre: g, weight });
        }
    }
    let quality = w.mean * (model.offsets()[m] - model.header.global_mean);
    if quality >= min.max(0.3 * w.mean.abs()) {
        out.push(Reason::WidelyLoved { weight: quality });
    }
    let strength: Vec<f64> = out
        .iter()
        .map(|r| r.weight().unwrap_or(f32::INFINITY) as f64)
        .collect();
    // Strongest first; equal strengths keep the order above.
    let mut out = moviematch_math::top::in_best_order(out, strength);
    out.truncate(max);
    out
}

/// The similarity rule for naming film `x` as the reason for film `m`: factor cosine at least
/// [`SIMILARITY`] (implicit factors when the model has them, else the explicit β), and a shared
/// genre or `x` among `m`'s [`NEIGHBOURS`] nearest films (computed once per `m`, into `near`).
pub fn is_like(
    model: &Model,
    taste: &Taste<'_>,
    h_m: Option<&[f64]>,
    x: usize,
    m: usize,
    near: &mut Option<Vec<usize>>,
) -> bool {
    let content = |i: usize| model.content_row(i);
    let (sim, implicit) = match (model.implicit(), taste.implicit, h_m) {
        (Some(imp), Some(_), Some(h)) => (cosine(&imp.factors(x, content(x)), h), Some(imp)),
        _ => (cosine(&beta(model, x), &beta(model, m)), None),
    };
    if sim < SIMILARITY {
        return false;
    }
    if model.movie(x).genres & model.movie(m).genres != 0 {
        return true;
    }
    let near = near.get_or_insert_with(|| match (implicit, h_m) {
        (Some(imp), Some(h)) => imp
            .neighbours(h, NEIGHBOURS + 1)
            .into_iter()
            .map(|(i, _)| i)
            .collect(),
        _ => explicit_neighbours(model, m, NEIGHBOURS + 1),
    });
    near.contains(&x)
}

/// Film i's explicit factors β (the first K columns of its design row).
fn beta(model: &Model, i: usize) -> Vec<f64> {
    let k = model.k();
    model
        .design()
        .row(i)
        .iter()
        .take(k)
        .map(|&v| v as f64)
        .collect()
}

/// The `n` films whose explicit factors β are closest to film `m`'s by cosine.
fn explicit_neighbours(model: &Model, m: usize, n: usize) -> Vec<usize> {
    let b = beta(model, m);
    let mut all: Vec<(f64, usize)> = (0..model.len())
        .map(|i| (cosine(&beta(model, i), &b), i))
        .collect();
    moviematch_math::top::keep_best(&mut all, n);
    all.into_iter().map(|(_, i)| i).collect()
}

/// Up to `max` reasons for a listed movie: "exploring" first when it is in the list only
/// because of the Thompson draw, then [`reasons`] for the rest.
pub fn reasons_for(
    model: &Model,
    taste: &Taste<'_>,
    w: &Weights,
    answers: &Answers<'_>,
    rec: &Recommendation,
    max: usize,
) -> Vec<Reason> {
    if !rec.exploring {
        return reasons(model, taste, w, answers, rec.item, max);
    }
    if max == 0 {
        return Vec::new();
    }
    let mut out = vec![Reason::Exploring];
    out.extend(reasons(model, taste, w, answers, rec.item, max - 1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture;

    #[test]
    fn contributions_add_up_to_the_prediction_exactly() {
        let model = Model::from_bundle(fixture::random_bundle(4, 200, 5, 120));
        let ratings: Vec<Observation> = (0..12)
            .map(|j| Observation {
                item: j * 9,
                rating: 0.5 + (j % 10) as f32 / 2.0,
            })
            .collect();
        let post = Posterior::fit(&model, &ratings).unwrap();
        let prior = prior_contribution(&model, &post);
        for m in [1, 50, 150, 199] {
            let parts: f32 = rating_contributions(&model, &post, &ratings, m)
                .iter()
                .sum();
            let total = model.offsets()[m] + prior(m) + parts;
            let want = post.predict_mean(&model, m);
            assert!((total - want).abs() < 1e-4, "movie {m}: {total} vs {want}");
        }
    }

    fn legacy_weights() -> Weights {
        crate::blend::BlendTable::new(
            &crate::bundle::Blend::legacy(),
            ndarray::Array2::<f32>::zeros((1, 1)).view(),
        )
        .weights(0, 2.0, 1.0)
    }

    #[test]
    fn a_loved_movie_is_named_as_the_reason_for_its_neighbour() {
        let model = Model::from_bundle(fixture::random_bundle(5, 300, 4, 200));
        let ratings = [
            Observation {
                item: 10,
                rating: 5.0,
            },
            Observation {
                item: 20,
                rating: 3.0,
            },
        ];
        let post = Posterior::fit(&model, &ratings).unwrap();
        let c = rating_contributions(&model, &post, &ratings, 10);
        assert!(c[0] > 0.0, "a 5-star rating raises its own movie: {c:?}");
        let did: HashMap<usize, Did> = [(10, Did::Rated(5.0)), (20, Did::Rated(3.0))].into();
        let answers = Answers {
            ratings: &ratings,
            signals: &[],
            did: &did,
        };
        let taste = Taste::explicit(&post);
        let w = legacy_weights();
        // A film is never its own reason ("would I like this one?" asks about rated films too)…
        let own = reasons(&model, &taste, &w, &answers, 10, 3);
        assert!(
            own.iter()
                .all(|x| !matches!(x, Reason::BecauseYou { item: 10, .. })),
            "{own:?}"
        );
        // …but its neighbours are recommended because of it.
        let r = (0..model.len())
            .filter(|&j| j != 10 && j != 20)
            .map(|j| reasons(&model, &taste, &w, &answers, j, 3))
            .find(|r| matches!(r.first(), Some(Reason::BecauseYou { item: 10, .. })))
            .expect("some film is recommended because of the loved one");
        assert_eq!(r[0].describe(&model), "because you liked Some Movie (5★)");
        assert!(r.len() <= 3);
        let strengths: Vec<f32> = r.iter().map(|x| x.weight().unwrap()).collect();
        assert!(strengths.windows(2).all(|w| w[0] >= w[1]));
    }

    /// Every film a reason names passes the similarity rule, checked from scratch: cosine of
    /// the implicit factors ≥ SIMILARITY, and a shared genre or a place among the recommended
    /// film's NEIGHBOURS nearest (by brute force over every trained film).
    #[test]
    fn every_named_film_is_like_the_recommended_one() {
        use crate::implicit::INTEREST;
        let model = Model::from_bundle(fixture::random_bundle(8, 400, 4, 250));
        let imp = model.implicit().unwrap();
        let ratings: Vec<Observation> = (0..15)
            .map(|j| Observation {
                item: j * 11,
                rating: 1.0 + (j % 9) as f32 / 2.0,
            })
            .collect();
        let mut signals: Vec<Signal> = ratings.iter().map(|o| Signal::watched(o.item)).collect();
        signals.push(Signal {
            item: 200,
            target: 1.0,
            confidence: INTEREST,
        });
        let mut did: HashMap<usize, Did> = ratings
            .iter()
            .map(|o| (o.item, Did::Rated(o.rating)))
            .collect();
        did.insert(200, Did::Liked);
        let post = Posterior::fit(&model, &ratings).unwrap();
        let u = model.implicit_taste(&signals).unwrap().unwrap();
        let taste = Taste {
            explicit: &post,
            implicit: Some(&u),
            answers: 16,
        };
        let w = model.blend().weights(16, 2.0, 1.0);
        let answers = Answers {
            ratings: &ratings,
            signals: &signals,
            did: &did,
        };
        // The same answers had the rated films only been seen (A-or-B losers): the shares are
        // the same, only the rule for films rated DISLIKED_STARS or lower differs.
        let mut seen_only = did.clone();
        for o in &ratings {
            seen_only.insert(o.item, Did::Watched);
        }
        let disliked = |i: usize| ratings.iter().any(|o| o.item == i && o.rating <= 2.0);
        let h = |i: usize| imp.factors(i, model.content_row(i));
        let mut named = 0;
        let mut dropped = 0;
        let mut disliked_when_seen = 0;
        for m in 0..model.len() {
            let why = reasons(&model, &taste, &w, &answers, m, 2);
            let seen = Answers {
                did: &seen_only,
                ..answers
            };
            disliked_when_seen += reasons(&model, &taste, &w, &seen, m, 2)
                .iter()
                .filter(|r| matches!(r, Reason::BecauseYou { item, .. } if disliked(*item)))
                .count();
            let hm = h(m);
            let mut near: Vec<(f64, usize)> = (0..model.len())
                .filter(|&i| imp.is_trained(i))
                .map(|i| (-cosine(&h(i), &hm), i))
                .collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            for r in &why {
                if let Reason::BecauseYou { item, .. } = r {
                    named += 1;
                    assert!(!disliked(*item), "{item}, rated ≤ 2★, named for {m}");
                    assert!(cosine(&h(*item), &hm) >= SIMILARITY, "{item} for {m}");
                    let genre = model.movie(*item).genres & model.movie(m).genres != 0;
                    let close = near.iter().take(NEIGHBOURS + 1).any(|n| n.1 == *item);
                    assert!(genre || close, "{item} for {m}: no genre, not a neighbour");
                }
            }
            // The strongest share is sometimes not like the film: it is then left out.
            let top = signals
                .iter()
                .zip(u.contributions(&hm))
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(s, _)| s.item)
                .unwrap();
            if cosine(&h(top), &hm) < SIMILARITY {
                dropped += 1;
                assert!(!why
                    .iter()
                    .any(|r| matches!(r, Reason::BecauseYou { item, .. } if *item == top)));
            }
        }
        assert!(
            named > 20 && dropped > 0 && disliked_when_seen > 0,
            "named {named}, dropped {dropped}, disliked films named when only seen {disliked_when_seen}"
        );
    }

    /// "Exploring" is said first, and only for the movie the draw put in the list.
    #[test]
    fn an_exploring_movie_says_so_first() {
        use crate::rank::{recommend, RankOptions};
        use std::collections::HashSet;
        let model = Model::from_bundle(fixture::exploration_bundle());
        let post = Posterior::prior(&model).unwrap();
        // A draw that lifts the unsure movie (see `rank`'s test on the same fixture).
        let seed = (0..40).find(|&s| post.sample(s)[0] > 0.05).unwrap();
        let opts = RankOptions {
            top: 3,
            caution: 0.0,
            popularity: 0.0,
            exploration: 3.0,
            seed,
            ..RankOptions::default()
        };
        let taste = Taste::explicit(&post);
        let list = recommend(&model, &taste, &HashSet::new(), &opts);
        assert_eq!(list.iter().filter(|r| r.exploring).count(), 1);
        let did = HashMap::new();
        let none = Answers {
            ratings: &[],
            signals: &[],
            did: &did,
        };
        let w = legacy_weights();
        for r in &list {
            let why = reasons_for(&model, &taste, &w, &none, r, 2);
            assert!(why.len() <= 2);
            if r.item == 5 {
                assert_eq!(why[0], Reason::Exploring, "{why:?}");
                assert_eq!(
                    why[0].describe(&model),
                    "exploring: you might love this or not — the model is unsure"
                );
                assert_eq!(why[1..], reasons(&model, &taste, &w, &none, 5, 1)[..]);
            } else {
                assert!(!why.contains(&Reason::Exploring), "{}: {why:?}", r.item);
                assert_eq!(why, reasons(&model, &taste, &w, &none, r.item, 2));
            }
            assert!(reasons_for(&model, &taste, &w, &none, r, 0).is_empty());
        }
    }
}
