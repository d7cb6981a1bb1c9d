//! Turning the visitor's posterior into a top-N list: filters, exclusions and the ranking score.
//!
//! score = w_mean · E[r] + w_implicit · uᵀh − caution · sd_item + w_seen · logit P(seen)
//!         + Σ_j w_j · x_j
//!
//! E[r] is the explicit model's predicted rating (how much the visitor would like the film if
//! they watched it); uᵀh is the implicit model's score (how likely people with their history
//! are to watch it, see [`crate::implicit`]), present when the bundle has an implicit model;
//! x_j are film features. The weights are the bundle's blend, resolved for the visitor's
//! number of answers and their knobs by [`crate::blend`]; before v4 it was w_mean = 1,
//! w_seen = popularity, nothing else.
//!
//! sd_item = √(Var(b_m) + s_m²·c) is the model's uncertainty about the *movie* (few ratings,
//! no IMDb consensus): it keeps a movie the model knows little about from outranking films it
//! knows well. The uncertainty about the *visitor* (xᵀΣx) is left out of the score on purpose:
//! it shrinks with every answer for all movies alike, and exploring it is the job of the
//! questions and of Thompson sampling; it is shown, in the 80% interval, for the listed movies.
//! The popularity term prefers movies a visitor is likely to know (the P(seen) model of
//! [`crate::seen`], before the visitor's own offset, which would shift every movie alike),
//! because ranking by predicted rating alone fills the list with obscure titles; `tools
//! simulate` tunes both weights on held-out users. With no answers at all this gives
//! well-liked, well-known movies.
//!
//! Exact, yet cheap: the int8 [`Scorer`](moviematch_math::score::Scorer) gives every movie's mean within
//! a known error ε in one SIMD pass. With T the N-th best approximate score, only movies whose
//! approximate score is ≥ T − 2ε can be in the exact top N; those few get the exact (f64) mean,
//! and the N winners the full predictive variance. The list is the one exhaustive exact ranking
//! gives (tested against it).
//!
//! A film whose shown prediction is below [`FLOOR_STARS`] is never listed, whatever else
//! raises its score.
//!
//! With exploration (Thompson sampling) the list is ranked on one draw of the visitor's taste;
//! an entry the plain list (exploration 0, everything else the same) would leave out is marked
//! [`Recommendation::exploring`], so its reasons can say it is there because the model is unsure.

use std::collections::HashSet;

use crate::blend::Weights;
use crate::implicit::ImplicitTaste;
use crate::model::Model;
use crate::posterior::{predict_at, Posterior};
pub use crate::profile::Filter;
use crate::profile::{
    Settings, DEFAULT_CAUTION, DEFAULT_DIVERSITY, DEFAULT_EXPLORATION, DEFAULT_GENRE_DISTANCE,
    DEFAULT_POPULARITY,
};
use moviematch_math::kernel;

/// How many recommendations a list has unless asked otherwise: the app's list, `tools
/// recommend --top`'s default, pkg's `top` default.
pub const LIST_LENGTH: usize = 20;

/// No film is listed whose shown predicted rating is below this many stars: the middle of the
/// scale, a product rule rather than a tuned value. The blend weighs "people like you watch
/// it" heavily, and without a floor a visitor who rated The Notebook 0.5★ and Titanic 1★ was
/// shown Pretty Woman at 2.4★, a film the same row told them they would not like. What it
/// costs, measured on the dev set (`tools eval --people`, 40 people): recall@100 0.368 → 0.372,
/// ndcg@100 0.349 → 0.352 at 3★; choosing the floor from {2.5, 3, 3.25, 3.5} by 5-fold
/// cross-validation over people would pick 3★ in four folds and 3.5★ in one, and gain nothing
/// out of fold (recall −0.006, 95% interval −0.033 to +0.010): the floor is about what the
/// list says, not about what it finds.
pub const FLOOR_STARS: f32 = 3.0;

/// What the ranking knows about the visitor: the explicit posterior, and their implicit taste
/// when the bundle has an implicit model.
#[derive(Debug, Clone, Copy)]
pub struct Taste<'a> {
    pub explicit: &'a Posterior,
    pub implicit: Option<&'a ImplicitTaste>,
    /// How many answers the visitor gave: the blend's weights may depend on it.
    pub answers: usize,
}

impl<'a> Taste<'a> {
    /// Ratings alone (a v3 bundle, or a test of the explicit side).
    pub fn explicit(post: &'a Posterior) -> Taste<'a> {
        Taste {
            explicit: post,
            implicit: None,
            answers: 0,
        }
    }
}

pub mod genre;
mod mmr;
mod rows;
#[cfg(test)]
mod tests;

pub use mmr::diversify_mmr;
use rows::{q80, row_with};
pub use rows::{row_predictions, RowPrediction};

/// What list to make.
#[derive(Debug, Clone, PartialEq)]
pub struct RankOptions {
    pub top: usize,
    /// Only movies having every genre in this mask (0: any genre).
    pub genres: u32,
    /// The caution knob: each unit above its default adds one unit of penalty per epistemic
    /// standard deviation of the movie (the model's own uncertainty about it, not rating
    /// noise) to the blend's fitted weight (see [`crate::blend`]). Negative values count as 0.
    pub caution: f32,
    /// The popularity (discovery) knob: at its default the blend's fitted weight on logit
    /// P(seen); each unit away moves that weight by the blend's discovery step, so lower values
    /// reach less-known films (see [`crate::blend`]).
    pub popularity: f32,
    /// Thompson sampling: 0 ranks by the posterior mean; e > 0 ranks by
    /// mean + e·κ_m·(draw − mean) for one draw of the visitor's z (not independent noise per
    /// movie), κ_m shrinking obscure movies' spread (see [`Model::exploration_shrink`]).
    pub exploration: f32,
    /// Seed of the draw: keep it while the profile is unchanged, so the list does not reshuffle
    /// on every render.
    pub seed: u64,
    /// Which movies may be listed at all (year, IMDb rating and votes, genres).
    pub filter: Filter,
    /// Maximal-marginal-relevance re-ranking: 0 keeps the score order; d > 0 takes, one at a
    /// time, the candidate maximising score − d·(highest taste similarity to those already
    /// listed), similarity being the cosine of the movies' factor vectors β.
    pub diversity: f32,
    /// Genre distance, −1 (stay close to the visitor's usual genres) … 0 (off) … 1 (surprise
    /// me): the exact top 3N re-ranked greedily by score + knob·c·(how far the list with the
    /// film would be from the genre mix of [`RankOptions::liked_films`]), with diversity's
    /// term when it is on too; see [`genre`].
    pub genre_distance: f32,
    /// The films the visitor liked, each with how much (what their usual genres are made
    /// from; the session fills it, see `session::genres`). Empty: genre distance does nothing.
    pub liked_films: Vec<(usize, f32)>,
}

/// Whether movie `i` may be listed under `opts`: not excluded, every required genre, and the
/// filter passed (the one eligibility rule of lists and "more like this").
pub fn listable(model: &Model, opts: &RankOptions, exclude: &HashSet<usize>, i: usize) -> bool {
    !exclude.contains(&i)
        && (opts.genres == 0 || model.movie(i).genres & opts.genres == opts.genres)
        && (opts.filter.is_open() || admits(&opts.filter, model, i))
}

/// Whether film `i`'s shown prediction under `post` reaches [`FLOOR_STARS`] (on the model's
/// scale): the list's one rule that depends on the visitor.
pub fn above_floor(model: &Model, post: &Posterior, i: usize) -> bool {
    let floor = crate::scale::RatingScale::STARS.convert(FLOOR_STARS, &model.header.scale);
    post.shown_mean(model, i) >= floor
}

/// Whether movie `i` passes the filter.
pub fn admits(filter: &Filter, model: &Model, i: usize) -> bool {
    let m = model.movie(i);
    (filter.genres_any == 0 || m.genres & filter.genres_any != 0)
        && m.genres & filter.genres_none == 0
        && filter
            .year_min
            .is_none_or(|y| m.year.is_some_and(|my| my >= y))
        && filter
            .year_max
            .is_none_or(|y| m.year.is_some_and(|my| my <= y))
        && filter
            .imdb_min
            .is_none_or(|r| m.imdb_rating.is_some_and(|mr| mr >= r))
        && filter.votes_min.is_none_or(|v| m.imdb_votes >= v)
}

impl RankOptions {
    /// The ranking options stored settings ask for, every knob clamped to its range.
    pub fn from_settings(settings: &Settings, top: usize, seed: u64) -> RankOptions {
        let s = settings.clamped();
        RankOptions {
            top,
            genres: 0,
            caution: s.caution,
            popularity: s.popularity,
            exploration: s.exploration,
            seed,
            filter: s.filter,
            diversity: s.diversity,
            genre_distance: s.genre_distance,
            liked_films: Vec::new(),
        }
    }
}

impl Default for RankOptions {
    fn default() -> Self {
        RankOptions {
            top: LIST_LENGTH,
            genres: 0,
            caution: DEFAULT_CAUTION,
            popularity: DEFAULT_POPULARITY,
            exploration: DEFAULT_EXPLORATION,
            seed: 0,
            filter: Filter::default(),
            diversity: DEFAULT_DIVERSITY,
            genre_distance: DEFAULT_GENRE_DISTANCE,
            liked_films: Vec::new(),
        }
    }
}

/// One entry of a recommendation list.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub item: usize,
    /// Predicted rating on the model's scale, clipped to the scale.
    pub mean: f32,
    /// Predictive standard deviation of the rating.
    pub sd: f32,
    /// The central 80% predictive interval, clipped to the scale.
    pub interval80: (f32, f32),
    pub score: f32,
    /// In the list only because of the Thompson draw: the plain list (the same options with
    /// exploration 0, the ranking by the posterior mean) leaves this movie out. Always false
    /// without exploration.
    pub exploring: bool,
}

impl Recommendation {
    /// Film `item` with its row's prediction and its list score.
    fn at(item: usize, row: RowPrediction, score: f32, exploring: bool) -> Recommendation {
        Recommendation {
            item,
            mean: row.mean,
            sd: row.sd,
            interval80: row.interval80,
            score,
            exploring,
        }
    }
}

/// The blend's per-(visitor, film) terms for one film, exactly as the ranking computes them:
/// what `tools` fits the blend on, so training reads what serving scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Terms {
    /// E[r], unclipped.
    pub mean: f32,
    /// uᵀh (0 without an implicit model).
    pub implicit: f32,
    /// logit P(seen) before the visitor's offset.
    pub seen: f32,
    /// The film's epistemic sd, √(Var(b_m) + s_m²·c).
    pub sd_item: f32,
}

/// [`Terms`] of each of `items`, in order.
pub fn terms(model: &Model, taste: &Taste<'_>, items: &[usize]) -> Vec<Terms> {
    let post = taste.explicit;
    let implicit = model.implicit().zip(taste.implicit);
    items
        .iter()
        .map(|&i| Terms {
            mean: post.predict_mean(model, i),
            implicit: implicit.map_or(0.0, |(imp, u)| imp.score(u, i, model.content_row(i)) as f32),
            seen: model.seen_logits()[i],
            sd_item: post.epistemic_floor(model, i).sqrt(),
        })
        .collect()
}

/// How much work a ranking took (for benchmarks and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RankStats {
    /// Movies whose exact mean was computed.
    pub exact: usize,
    /// The bound ε on the approximate means, in 1e-6 rating units.
    pub error_micro: u32,
}

/// The best `opts.top` items not in `exclude` that pass the filters, by the exact score.
pub fn recommend(
    model: &Model,
    taste: &Taste<'_>,
    exclude: &HashSet<usize>,
    opts: &RankOptions,
) -> Vec<Recommendation> {
    recommend_with_stats(model, taste, exclude, opts).0
}

/// [`recommend`], also saying how much exact work it took.
///
/// With exploration, the list is ranked on one Thompson draw, and the plain list (the same
/// options at exploration 0) is made too, from the posterior-mean pass the draw's scores start
/// from anyway, so that each entry can say whether it is [`Recommendation::exploring`]. That
/// costs one more pass of the movie-only terms and of the threshold scan, and exact means for
/// the few movies near the plain list's cut.
pub fn recommend_with_stats(
    model: &Model,
    taste: &Taste<'_>,
    exclude: &HashSet<usize>,
    opts: &RankOptions,
) -> (Vec<Recommendation>, RankStats) {
    let post = taste.explicit;
    // Diversity re-ranks a longer exact list: 3N candidates leave room to skip near-duplicates.
    let diversify = opts.diversity > 0.0 && opts.diversity.is_finite();
    // So does genre distance, when the visitor liked a film with a genre.
    let by_genre = (opts.genre_distance != 0.0 && opts.genre_distance.is_finite())
        .then(|| genre::GenreMix::of(model, &opts.liked_films))
        .flatten();
    let top = if by_genre.is_some() {
        opts.top.saturating_mul(genre::POOL)
    } else if diversify {
        opts.top.saturating_mul(3)
    } else {
        opts.top
    };
    let mut stats = RankStats::default();
    if top == 0 {
        return (Vec::new(), stats);
    }
    let offsets = model.offsets().as_slice().expect("contiguous");
    let approx = model
        .scorer()
        .means(offsets, post.mean().as_slice().expect("contiguous"));
    let w = model
        .blend()
        .weights(taste.answers, opts.popularity, opts.caution);
    let explore = opts.exploration.max(0.0);
    let kappa = model.exploration_shrink();
    let draw = (explore > 0.0).then(|| post.sample(opts.seed));
    // Approximate means and their error bound; with a draw, also the posterior mean's (the
    // plain list's).
    let (mut scores, eps, plain) = match &draw {
        None => (approx.mean, approx.error, None),
        Some(z) => {
            let at_draw = model
                .scorer()
                .means(offsets, z.as_slice().expect("contiguous"));
            let mut mixed = at_draw.mean;
            for ((s, &m), &k) in mixed.iter_mut().zip(&approx.mean).zip(kappa) {
                *s = m + explore * k * (*s - m);
            }
            // (1 − eκ)·δ_mean + eκ·δ_draw with 0 ≤ κ ≤ 1.
            let eps = (1.0 + explore) * approx.error + explore * at_draw.error;
            (mixed, eps, Some((approx.mean, approx.error)))
        }
    };
    // The implicit scores, the same for the draw and the plain list, with their own bound.
    let implicit = model.implicit().zip(taste.implicit);
    let (implicit_scores, implicit_eps) = match implicit {
        Some((items, u)) => {
            let s = items.scores(u);
            (Some(s.mean), w.implicit.abs() * s.error)
        }
        None => (None, 0.0),
    };
    let eps = w.mean.abs() * eps + implicit_eps;
    stats.error_micro = (eps * 1e6).min(u32::MAX as f32) as u32;
    let (pop, bias_var, var_scale) = (
        model.seen_logits(),
        model.bias_variances(),
        model.factor_var_scales(),
    );
    let c = post.item_term() as f32;
    let (w_pop, caution) = (w.seen, w.caution);
    let blend = model.blend();
    let add_terms = |scores: &mut [f32]| {
        if w.mean != 1.0 {
            for s in scores.iter_mut() {
                *s *= w.mean;
            }
        }
        kernel::add_item_terms(
            scores,
            pop.as_slice().expect("contiguous"),
            bias_var.as_slice().expect("contiguous"),
            var_scale.as_slice().expect("contiguous"),
            c,
            w_pop,
            caution,
        );
        if let Some(imp) = &implicit_scores {
            for (s, &v) in scores.iter_mut().zip(imp) {
                *s += w.implicit * v;
            }
        }
        if blend.has_film_terms() {
            for (i, s) in scores.iter_mut().enumerate() {
                *s += blend.film_term(&w, i);
            }
        }
    };
    let item_term = |i: usize| exact_item_term(model, taste, &w, c, i);
    // The floor is on the posterior's shown mean (never the draw's), so the plain list and the
    // explored one admit the same films; checked exactly, and only for the films that beat the
    // scans' running thresholds (eligibility is checked after the score).
    let eligible = |i: usize| listable(model, opts, exclude, i) && above_floor(model, post, i);
    let finish = |ranked: Vec<(f32, usize)>| match &by_genre {
        Some(mix) => {
            let d = if diversify { opts.diversity } else { 0.0 };
            mmr::rerank(model, ranked, opts.top, Some(mix), opts.genre_distance, d)
        }
        None if diversify => diversify_mmr(model, ranked, opts.top, opts.diversity),
        None => ranked,
    };
    add_terms(&mut scores);
    let (exact, n_exact) = exact_top(&scores, eps, top, eligible, |i| {
        let mut m = post.predict_mean(model, i);
        if let Some(z) = &draw {
            m += explore * kappa[i] * (predict_at(model, i, z) - m);
        }
        w.mean * m + item_term(i)
    });
    stats.exact = n_exact;
    let exact = finish(exact);
    // The plain list: exactly what `recommend` gives at exploration 0.
    let plain: Option<HashSet<usize>> = plain.map(|(mut means, eps)| {
        add_terms(&mut means);
        let eps = eps + implicit_eps;
        let (ranked, n_exact) = exact_top(&means, eps, top, eligible, |i| {
            w.mean * post.predict_mean(model, i) + item_term(i)
        });
        stats.exact += n_exact;
        finish(ranked).into_iter().map(|(_, i)| i).collect()
    });
    let q = q80(post);
    let list = exact
        .into_iter()
        .map(|(score, item)| {
            let exploring = plain.as_ref().is_some_and(|p| !p.contains(&item));
            Recommendation::at(item, row_with(model, post, item, q), score, exploring)
        })
        .collect();
    (list, stats)
}

/// The movie-only part of film `i`'s exact score under the weights `w` (P(seen), caution, the
/// implicit score, the blend's film terms): the list's score is `w.mean` × the predicted mean
/// plus this. `c` is the posterior's item term ([`Posterior::item_term`]).
fn exact_item_term(model: &Model, taste: &Taste<'_>, w: &Weights, c: f32, i: usize) -> f32 {
    let implicit = model
        .implicit()
        .zip(taste.implicit)
        .map_or(0.0, |(items, u)| {
            w.implicit * items.score(u, i, model.content_row(i)) as f32
        });
    kernel::item_term(
        model.seen_logits()[i],
        model.bias_variances()[i],
        model.factor_var_scales()[i],
        c,
        w.seen,
        w.caution,
    ) + implicit
        + model.blend().film_term(w, i)
}

/// Film `item` as the plain list (exploration 0) under `opts` would show it, wherever it
/// ranks: its prediction, 80% interval and exact score (what "would I like this one?" and a
/// movie's own view show). Filters and exclusions do not apply: any film can be asked about.
pub fn recommendation_for(
    model: &Model,
    taste: &Taste<'_>,
    opts: &RankOptions,
    item: usize,
) -> Recommendation {
    let post = taste.explicit;
    let w = model
        .blend()
        .weights(taste.answers, opts.popularity, opts.caution);
    let c = post.item_term() as f32;
    let score =
        w.mean * post.predict_mean(model, item) + exact_item_term(model, taste, &w, c, item);
    Recommendation::at(item, row_with(model, post, item, q80(post)), score, false)
}

/// The `top` best eligible movies by the exact score, best first (ties by index), given
/// approximate scores within `eps` of the exact ones (movie-only terms included), and how many
/// movies were scored exactly.
///
/// Pass 1 finds T, the top-th best approximate score among eligible movies (eligibility, a hash
/// lookup, is only checked for movies that beat the running threshold); pass 2 scores exactly
/// every eligible movie within 2ε of T: only those can be in the exact top N.
fn exact_top(
    scores: &[f32],
    eps: f32,
    top: usize,
    eligible: impl Fn(usize) -> bool,
    exact_score: impl Fn(usize) -> f32,
) -> (Vec<(f32, usize)>, usize) {
    let desc = |a: &f32, b: &f32| b.total_cmp(a);
    let mut kept: Vec<f32> = Vec::with_capacity(2 * top);
    let mut threshold = f32::NEG_INFINITY;
    let mut from = 0;
    while let Some(i) = kernel::next_above(scores, from, threshold) {
        from = i + 1;
        let s = scores[i];
        if s.is_finite() && eligible(i) {
            kept.push(s);
            if kept.len() == 2 * top {
                kept.select_nth_unstable_by(top - 1, desc);
                kept.truncate(top);
                threshold = kept[top - 1];
            }
        }
    }
    let threshold = if kept.len() >= top {
        kept.select_nth_unstable_by(top - 1, desc);
        kept[top - 1]
    } else {
        f32::NEG_INFINITY
    };
    // s ≥ cut ⇔ s > the float just below cut: the same SIMD scan as pass 1.
    let below_cut = float_below(threshold - 2.0 * eps);
    // Kept as f64 (exact: every f32 is one) for the shared top-n code, see `moviematch_math::top`.
    let mut exact: Vec<(f64, usize)> = Vec::with_capacity(2 * top);
    let mut n_exact = 0;
    let mut from = 0;
    while let Some(i) = kernel::next_above(scores, from, below_cut) {
        from = i + 1;
        if scores[i].is_finite() && eligible(i) {
            n_exact += 1;
            let s = exact_score(i);
            if s.is_finite() {
                exact.push((s as f64, i));
            }
        }
    }
    moviematch_math::top::keep_best(&mut exact, top);
    let exact = exact.into_iter().map(|(s, i)| (s as f32, i)).collect();
    (exact, n_exact)
}

/// The largest float below `x` (−∞ and NaN unchanged): `v > float_below(x)` ⇔ `v ≥ x`.
fn float_below(x: f32) -> f32 {
    if x.is_nan() || x == f32::NEG_INFINITY {
        x
    } else if x == 0.0 {
        -f32::from_bits(1)
    } else if x > 0.0 {
        f32::from_bits(x.to_bits() - 1)
    } else {
        f32::from_bits(x.to_bits() + 1)
    }
}
