//! The visitor session: the one place a [`Profile`] becomes evidence, exclusions, a posterior,
//! lists, questions and predictions. The app (memoised on the profile's revision), pkg (cached
//! per revision), every `tools` subcommand and the evaluations all go through it, so what they
//! show or measure is what ships.
//!
//! [`Visitor::new`] reads the profile's event log once: the ratings in force resolved against
//! the catalogue and mapped to the model's scale, the comparisons and likes, what every list
//! leaves out, what questions must not ask again, the P(seen) offset, and the seed rule; then it
//! fits the posterior. Everything after that is a method taking `&Model` (the visitor holds no
//! borrow of it) and the list settings, which may change without a refit.

use std::collections::{HashMap, HashSet};

use crate::certainty;
use crate::drift::Drift;
use crate::elicit::{self, AskHistory, AskOptions, AskState, Choice, Strategy};
use crate::explain::{reasons_for, Answers, Did, Reason, REASONS};
use crate::ids::StableId;
use crate::implicit::{self, ImplicitTaste, Signal};
use crate::model::Model;
use crate::posterior::{Comparison, Evidence, ImdbStack, Like, Observation, Posterior, Preference};
use crate::profile::{CompareAnswer, Profile, Scale, Settings};
use crate::rank::{self, RankOptions, Recommendation, RowPrediction, Taste, LIST_LENGTH};
use crate::rate_by_comparison::RateByComparison;
use crate::scale::{to_half_star, RatingScale};
use crate::seen::{SeenOffset, SeenOutcome};
use crate::stack::{self, StackFit};
use crate::watchlist::{watchlist, WatchEntry};
use moviematch_math::linalg::NotPositiveDefinite;

mod calibration;
mod film;
mod genres;
mod list;
#[cfg(test)]
mod tests;

pub use calibration::{spearman, Accuracy, Calibration, HeldOut};
pub use film::{FilmPrediction, Similar, SIMILAR_POOL, SIMILAR_SHOWN};
pub use list::{ListOptions, ListRequest};

/// One rating in force, resolved against the catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct RatedEntry {
    /// The id as stored; edits and removals must use it, not the catalogue's id.
    pub id: StableId,
    /// Catalogue index, or `None` when this bundle does not know the movie.
    pub item: Option<usize>,
    /// The value as given, on the scale it was given on.
    pub value: f32,
    pub scale: Scale,
}

impl RatedEntry {
    /// The rating in half stars (converted if it was given out of 10, then rounded to the
    /// nearest half star, as the stars widget shows it).
    pub fn stars(&self) -> f32 {
        to_half_star(self.scale.range().convert(self.value, &RatingScale::STARS))
    }
}

/// One list entry: the ranking's recommendation (prediction, interval, `exploring`) and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ListEntry {
    pub rec: Recommendation,
    /// Strongest first; "exploring" first for a movie only the Thompson draw put in the list.
    pub reasons: Vec<Reason>,
}

/// What [`Visitor::next_question_with`] takes beyond [`Visitor::next_question`]'s arguments:
/// knobs the app leaves at their defaults and `tools simulate` sets.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QuestionOptions<'a> {
    /// Ask only about these catalogue movies, all known to be seen (so P(seen) counts as 1):
    /// the simulator's `known` variant, whose users answer from what they rated. `None`: any
    /// movie, weighted by P(seen), as for a real visitor.
    pub allowed: Option<&'a [usize]>,
    /// Seed of [`Strategy::RandomPairs`]' draw (the other strategies draw nothing; the app's
    /// `next_question` uses 0).
    pub seed: u64,
}

/// A visitor: their profile read once, with the posterior fitted to it.
#[derive(Debug, Clone)]
pub struct Visitor {
    rated: Vec<RatedEntry>,
    evidence: Evidence,
    posterior: Result<Posterior, NotPositiveDefinite>,
    /// Rated, compared (A, B or tie: seen), disliked and hidden: out of every list.
    excluded: HashSet<usize>,
    saved_ids: Vec<StableId>,
    saved: HashSet<usize>,
    liked: HashMap<usize, bool>,
    hidden: HashSet<usize>,
    /// What questions must not ask again, and the seen / not seen answers.
    history: AskHistory,
    seen_offset: SeenOffset,
    seed: u64,
    /// What the visitor's events say about what they watch (see [`implicit_signals`]).
    signals: Vec<Signal>,
    /// What they did with each film they told us about (how reasons name it).
    did: HashMap<usize, Did>,
    /// Their implicit taste; `None` when the bundle has no implicit model (or, never seen in
    /// practice, its solve failed: the list then ranks on ratings alone).
    implicit: Option<ImplicitTaste>,
    /// The model's mean rating μ (what "liked" is measured against, with the visitor's own).
    population_mean: f32,
    /// What their ratings say of their IMDb line (`None`: too few rated films with an IMDb
    /// average, or no posterior); the posterior shows predictions through its shipped stack.
    stack_fit: Option<StackFit>,
}

impl Visitor {
    /// Reads the profile (one pass over each kind of event) and fits the posterior; with the
    /// `drift` setting on, answers are weighed by their age at the shipped half-life.
    pub fn new(model: &Model, profile: &Profile) -> Visitor {
        let half_life = profile
            .settings
            .drift
            .then_some(crate::drift::HALF_LIFE_DAYS);
        Visitor::with_drift(model, profile, half_life)
    }

    /// [`Visitor::new`] with the drift `settings` say instead of the profile's own (a list
    /// asked for with other settings than the stored ones: pkg's options, `tools` flags).
    pub fn with_settings(model: &Model, profile: &Profile, settings: &Settings) -> Visitor {
        let half_life = settings.drift.then_some(crate::drift::HALF_LIFE_DAYS);
        Visitor::with_drift(model, profile, half_life)
    }

    /// [`Visitor::new`] with taste drift at the given half-life in days (`None`: off) whatever
    /// the profile's setting says: how `tools drift` measures the half-life it ships.
    pub fn with_drift(model: &Model, profile: &Profile, half_life_days: Option<f64>) -> Visitor {
        let resolve = |id: &StableId| model.resolve(id);
        let mut evidence = Evidence::default();
        let mut rated = Vec::new();
        let mut excluded = HashSet::new();
        let mut history = AskHistory::default();
        let mut counted = HashSet::new();
        // Taste drift weighs each answer by its age from the newest event (`crate::drift`).
        let drift = half_life_days.and_then(|half_life_days| {
            Some(Drift {
                newest: profile.newest_event()?,
                half_life_days,
            })
        });
        let weight = |at: i64| drift.map_or(1.0, |d| d.weight(at));
        let like_times = if drift.is_some() {
            profile.like_times()
        } else {
            HashMap::new()
        };
        // `ratings()` is most recent first: if one movie was rated under two ids (an IMDb id
        // and its MovieLens id), only the latest rating counts.
        for r in profile.ratings() {
            let item = resolve(&r.item);
            match item {
                Some(i) => {
                    excluded.insert(i);
                    history.exclude.insert(i);
                    history.outcomes.push(SeenOutcome {
                        item: i,
                        seen: true,
                    });
                    if counted.insert(i) {
                        let rating = r.scale.range().convert(r.value, &model.header.scale);
                        evidence.observations.push(Observation { item: i, rating });
                        evidence.weights.observations.push(weight(r.at));
                    }
                }
                None => evidence.unknown.push(r.item.clone()),
            }
            rated.push(RatedEntry {
                id: r.item,
                item,
                value: r.value,
                scale: r.scale,
            });
        }
        for c in profile.comparisons() {
            // A comparison with a movie this bundle does not know cannot be used (yet).
            let (Some(a), Some(b)) = (resolve(&c.a), resolve(&c.b)) else {
                continue;
            };
            excluded.extend([a, b]);
            history.pairs.insert((a.min(b), a.max(b)));
            history.outcomes.push(SeenOutcome {
                item: a,
                seen: true,
            });
            history.outcomes.push(SeenOutcome {
                item: b,
                seen: true,
            });
            if a != b {
                let answer = match c.answer {
                    CompareAnswer::A => Preference::A,
                    CompareAnswer::B => Preference::B,
                    _ => Preference::Tie,
                };
                evidence.comparisons.push(Comparison { a, b, answer });
                evidence.weights.comparisons.push(weight(c.at));
            }
        }
        // A skipped pair says nothing about taste; it is only never asked again.
        for (a, b) in profile.skipped_pairs() {
            if let (Some(a), Some(b)) = (resolve(&a), resolve(&b)) {
                history.pairs.insert((a.min(b), a.max(b)));
            }
        }
        let mut liked = HashMap::new();
        for (id, like) in profile.likes() {
            if let Some(item) = resolve(&id) {
                evidence.likes.push(Like { item, liked: like });
                evidence
                    .weights
                    .likes
                    .push(like_times.get(&id).map_or(1.0, |&at| weight(at)));
                liked.insert(item, like);
                if !like {
                    // A dislike means "not this one"; a like keeps the movie listed.
                    excluded.insert(item);
                }
            }
        }
        for id in profile.unseen() {
            if let Some(i) = resolve(&id) {
                history.exclude.insert(i);
                history.outcomes.push(SeenOutcome {
                    item: i,
                    seen: false,
                });
            }
        }
        let hidden: HashSet<usize> = profile.hidden().iter().filter_map(resolve).collect();
        excluded.extend(&hidden);
        history.exclude.extend(&hidden);
        let saved_ids = profile.saved();
        let saved = saved_ids.iter().filter_map(resolve).collect();
        let fitted = Posterior::fit_evidence(model, &evidence);
        // A failed leave-one-out only leaves the predictions unstacked.
        let stack_fit = (fitted.as_ref().ok())
            .and_then(|post| stack::fit(model, &evidence, post).ok().flatten());
        let shown = stack_fit.map_or_else(ImdbStack::default, |f| f.shipped());
        let posterior = fitted.map(|post| post.with_stack(shown));
        let signals = implicit_signals(&evidence, &saved, &history);
        let did = what_they_did(&evidence, &saved);
        let implicit = model.implicit_taste(&signals).and_then(Result::ok);
        Visitor {
            population_mean: model.header.global_mean,
            did,
            signals,
            implicit,
            rated,
            evidence,
            posterior,
            excluded,
            saved_ids,
            saved,
            liked,
            hidden,
            seen_offset: history.seen_offset(model),
            history,
            seed: seed_rule(profile),
            stack_fit,
        }
    }

    /// What the visitor's ratings say of their IMDb line, before shrinking (see
    /// [`crate::stack`]); `None` with too few rated films with an IMDb average.
    pub fn stack_fit(&self) -> Option<&StackFit> {
        self.stack_fit.as_ref()
    }

    /// The posterior, or why the answers could not be fitted.
    pub fn posterior(&self) -> Result<&Posterior, NotPositiveDefinite> {
        self.posterior.as_ref().map_err(Clone::clone)
    }

    /// The visitor's implicit taste (`None` without an implicit model).
    pub fn implicit(&self) -> Option<&ImplicitTaste> {
        self.implicit.as_ref()
    }

    /// What the implicit taste was fitted from.
    pub fn signals(&self) -> &[Signal] {
        &self.signals
    }

    /// Everything the ranking knows about the visitor.
    pub fn taste(&self) -> Result<Taste<'_>, NotPositiveDefinite> {
        Ok(Taste {
            explicit: self.posterior()?,
            implicit: self.implicit.as_ref(),
            answers: self.answers(),
        })
    }

    /// How many answers the explicit model took in: ratings, comparisons, likes and dislikes
    /// of catalogue films (what the blend's per-answer weights count).
    pub fn answers(&self) -> usize {
        let e = &self.evidence;
        e.observations.len() + e.comparisons.len() + e.likes.len()
    }

    /// The answers the posterior used.
    pub fn evidence(&self) -> &Evidence {
        &self.evidence
    }

    /// The ratings in force, most recent first (known to the catalogue or not).
    pub fn ratings(&self) -> &[RatedEntry] {
        &self.rated
    }

    /// Likes (true) and dislikes (false) in force, by catalogue index.
    pub fn liked(&self) -> &HashMap<usize, bool> {
        &self.liked
    }

    pub fn hidden(&self) -> &HashSet<usize> {
        &self.hidden
    }

    /// Catalogue movies on the watchlist.
    pub fn saved(&self) -> &HashSet<usize> {
        &self.saved
    }

    /// What questions must not ask again, and the visitor's seen / not seen answers.
    pub fn ask_history(&self) -> &AskHistory {
        &self.history
    }

    /// Thompson sampling's seed when a list does not give one (see [`seed_rule`]).
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The one exclusion rule: what a list made with `settings` leaves out. Rated, compared
    /// (answered A, B or "equally good": seen), disliked and hidden movies always; the
    /// watchlist when `settings.exclude_saved` asks. "Haven't seen" keeps a movie eligible (it
    /// may be just what to watch next).
    pub fn exclusions(&self, settings: &Settings) -> HashSet<usize> {
        let mut out = self.excluded.clone();
        if settings.exclude_saved {
            out.extend(&self.saved);
        }
        out
    }

    /// The ranking options a request gives (knobs clamped, the seed rule applied).
    pub fn rank_options(&self, request: &ListRequest) -> RankOptions {
        RankOptions {
            genres: request.genres_all,
            liked_films: genres::liked_films(
                &self.evidence,
                &request.settings,
                self.population_mean,
            ),
            ..RankOptions::from_settings(
                &request.settings,
                request.top,
                request.seed.unwrap_or(self.seed),
            )
        }
    }

    /// The ranking alone: exact top N under the request's settings, without reasons (what the
    /// evaluations measure; [`Visitor::recommend`] is this plus the reasons).
    pub fn ranked(
        &self,
        model: &Model,
        request: &ListRequest,
    ) -> Result<Vec<Recommendation>, NotPositiveDefinite> {
        let taste = self.taste()?;
        let exclude = self.exclusions(&request.settings);
        Ok(rank::recommend(
            model,
            &taste,
            &exclude,
            &self.rank_options(request),
        ))
    }

    /// The list: exact top N under the request's settings, each entry with its reasons.
    pub fn recommend(
        &self,
        model: &Model,
        request: &ListRequest,
    ) -> Result<Vec<ListEntry>, NotPositiveDefinite> {
        let taste = self.taste()?;
        let opts = self.rank_options(request);
        let w = model
            .blend()
            .weights(taste.answers, opts.popularity, opts.caution);
        let answers = self.reason_answers();
        Ok(self
            .ranked(model, request)?
            .into_iter()
            .map(|rec| ListEntry {
                reasons: reasons_for(model, &taste, &w, &answers, &rec, REASONS),
                rec,
            })
            .collect())
    }

    /// What reasons may name: the visitor's ratings, signals and what they did with each film.
    fn reason_answers(&self) -> Answers<'_> {
        Answers {
            ratings: &self.evidence.observations,
            signals: &self.signals,
            did: &self.did,
        }
    }

    /// The next question for the list these settings make (the top of that list is what the
    /// questions sharpen); `None` when every candidate was asked or excluded already. Pairs in
    /// `skipped` (the visitor passed on them in this sitting; nothing is stored) are not asked.
    pub fn next_question(
        &self,
        model: &Model,
        settings: &Settings,
        strategy: Strategy,
        skipped: &HashSet<(usize, usize)>,
    ) -> Result<Option<Choice>, NotPositiveDefinite> {
        self.next_question_with(
            model,
            settings,
            strategy,
            skipped,
            &QuestionOptions::default(),
        )
    }

    /// [`Visitor::next_question`] with what only the simulator varies (see
    /// [`QuestionOptions`]): `tools simulate` asks its fold-in users through this, so what it
    /// measures is the app's question rule; `QuestionOptions::default()` is exactly
    /// `next_question`.
    pub fn next_question_with(
        &self,
        model: &Model,
        settings: &Settings,
        strategy: Strategy,
        skipped: &HashSet<(usize, usize)>,
        options: &QuestionOptions<'_>,
    ) -> Result<Option<Choice>, NotPositiveDefinite> {
        let post = self.posterior()?;
        let mut pairs;
        let asked_pairs = if skipped.is_empty() {
            &self.history.pairs
        } else {
            pairs = self.history.pairs.clone();
            pairs.extend(skipped.iter().map(|&(a, b)| (a.min(b), a.max(b))));
            &pairs
        };
        let state = AskState {
            posterior: post,
            implicit: self.implicit.as_ref(),
            answers: self.answers(),
            seen: &self.seen_offset,
            exclude: &self.history.exclude,
            asked_pairs,
            allowed: options.allowed,
        };
        let opts = AskOptions {
            strategy,
            rank: RankOptions::from_settings(settings, LIST_LENGTH, self.seed),
            seed: options.seed,
            ..AskOptions::default()
        };
        Ok(elicit::next_question(model, &state, &opts))
    }

    /// One movie's prediction as a list row shows it (mean, sd, 80% interval).
    pub fn predict(
        &self,
        model: &Model,
        item: usize,
    ) -> Result<RowPrediction, NotPositiveDefinite> {
        let post = self.posterior()?;
        Ok(rank::row_predictions(model, post, &[item])[0])
    }

    /// The watchlist as shown (see [`watchlist`]): predictions when the fit succeeded.
    pub fn watchlist(&self, model: &Model) -> Vec<WatchEntry> {
        watchlist(model, self.posterior.as_ref().ok(), &self.saved_ids)
    }

    /// How sure the model is about `items` (see [`certainty`]).
    pub fn certainty(&self, model: &Model, items: &[usize]) -> Option<f64> {
        let post = self.posterior.as_ref().ok()?;
        let prior = Posterior::prior(model).ok()?;
        certainty::certainty(model, post, &prior, items)
    }

    /// The visitor's rated catalogue movies to compare `item` with, as (movie, stars), most
    /// recent first; `item` itself left out.
    pub fn comparison_anchors(&self, item: Option<usize>) -> Vec<(usize, f32)> {
        self.rated
            .iter()
            .filter_map(|r| r.item.map(|i| (i, r.stars())))
            .filter(|&(i, _)| Some(i) != item)
            .collect()
    }

    /// Rate-by-comparison for a catalogue movie (`Some`) or a title the catalogue lacks
    /// (`None`): it starts from the model's prediction in stars, or from the spread of the
    /// visitor's own ratings, and compares against [`Visitor::comparison_anchors`].
    pub fn rate_by_comparison(&self, model: &Model, item: Option<usize>) -> RateByComparison {
        let scale = model.header.scale;
        let prediction =
            item.and_then(|i| self.posterior.as_ref().ok().map(|p| p.predict(model, i)));
        let (mean, sd) = match prediction {
            Some(p) => (
                scale.convert(p.mean, &RatingScale::STARS) as f64,
                scale.convert_spread(p.sd(), &RatingScale::STARS) as f64,
            ),
            None => {
                let stars: Vec<f64> = self
                    .comparison_anchors(item)
                    .iter()
                    .map(|&(_, s)| s as f64)
                    .collect();
                if stars.is_empty() {
                    (3.5, 1.0)
                } else {
                    let n = stars.len() as f64;
                    let mean = stars.iter().sum::<f64>() / n;
                    let var = stars.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n;
                    (mean, var.sqrt().max(0.5))
                }
            }
        };
        RateByComparison::new(mean.clamp(0.5, 5.0), sd.max(0.3))
    }
}

/// The implicit model's reading of the events, one signal per film, the strongest kind
/// winning: a rating or an answered comparison says **watched**; a like or a save says
/// **interest** (a positive, never "watched"); "haven't seen" says **not seen**. A dislike says
/// nothing here: it must never raise another film's score, and in this model any positive
/// signal raises the films watched alongside it (the explicit model takes the dislike).
pub fn implicit_signals(
    evidence: &Evidence,
    saved: &HashSet<usize>,
    history: &AskHistory,
) -> Vec<Signal> {
    let mut given = HashSet::new();
    let mut out = Vec::new();
    let mut add = |item: usize, target: f64, confidence: f64| {
        if given.insert(item) {
            out.push(Signal {
                item,
                target,
                confidence,
            });
        }
    };
    for o in &evidence.observations {
        add(o.item, 1.0, implicit::WATCHED);
    }
    for c in &evidence.comparisons {
        add(c.a, 1.0, implicit::WATCHED);
        add(c.b, 1.0, implicit::WATCHED);
    }
    for l in evidence.likes.iter().filter(|l| l.liked) {
        add(l.item, 1.0, implicit::INTEREST);
    }
    let mut saved: Vec<usize> = saved.iter().copied().collect();
    saved.sort_unstable();
    for i in saved {
        add(i, 1.0, implicit::INTEREST);
    }
    for o in history.outcomes.iter().filter(|o| !o.seen) {
        add(o.item, 0.0, implicit::UNSEEN);
    }
    out
}

/// What the visitor did with each film they told us about, the strongest wording winning: a
/// rating, a like, a comparison they won, one they answered otherwise (seen), a save.
fn what_they_did(evidence: &Evidence, saved: &HashSet<usize>) -> HashMap<usize, Did> {
    let mut did = HashMap::new();
    for o in &evidence.observations {
        did.entry(o.item).or_insert(Did::Rated(o.rating));
    }
    for l in evidence.likes.iter().filter(|l| l.liked) {
        did.entry(l.item).or_insert(Did::Liked);
    }
    for c in &evidence.comparisons {
        let (won, other) = match c.answer {
            Preference::A => (Some(c.a), c.b),
            Preference::B => (Some(c.b), c.a),
            Preference::Tie => (None, c.a),
        };
        if let Some(w) = won {
            did.entry(w).or_insert(Did::Preferred);
        }
        did.entry(other).or_insert(Did::Watched);
        if won.is_none() {
            did.entry(c.b).or_insert(Did::Watched);
        }
    }
    for &i in saved {
        did.entry(i).or_insert(Did::Saved);
    }
    did
}

/// The one seed rule: Thompson sampling's seed is the number of events, so the list is
/// re-drawn when (and only when) the profile changes, and the same profile gives the same list
/// after a reload, in the app, `tools` and pkg alike.
pub fn seed_rule(profile: &Profile) -> u64 {
    profile.events.len() as u64
}
