//! Which question to ask next: "rate this movie" or "A or B?", each answerable with "haven't
//! seen".
//!
//! The product's criterion ([`Strategy::Adaptive`]) is the **expected change of the list**:
//! P(answerable) × the expected number of films that would enter the top 20 (as many leave)
//! once the question is answered, under the blend the list ranks with. The approximation
//! that keeps it within a few milliseconds:
//!
//! - only the current top T = 100 can make the new top 20 (films below it stay out);
//! - a rating's answer r ~ N(E[r_q], s_q²) is integrated by 3-point Gauss–Hermite, each point
//!   moving every target's explicit mean by the exact rank-one update x̃ₜᵀΣx̃_q (r − E[r_q])/s_q²;
//!   a pair's two outcomes by their probit probabilities, each moving the means by the
//!   assumed-density-filtering step (see [`moviematch_math::ep`]);
//! - the implicit taste moves by the Sherman–Morrison update of "watched" for each film of the
//!   question the visitor has not told about yet (for a pair, the sum of the two: their
//!   interaction is left out), the regulariser's count held fixed. A film already told about
//!   (a pair's film asked again in another pair) moves nothing: it has its one signal already
//!   (a saved film's "interest" would become "watched"; that small change is left out).
//!   Counting it again made pairs of already-compared films look as good as new ones, and
//!   the questions revealed fewer films (`tools simulate`, adaptive at 10 answers: 12.6 new
//!   films and NDCG@10 0.363 → 18.0 films and 0.407);
//! - a film's place above or below the list's 3★ floor ([`crate::rank::FLOOR_STARS`]) is
//!   held as it is now: the targets are the current top T of films above it, and a target an
//!   answer would push below it is still counted;
//! - a question's own films leave the list once answered; that removal is not counted (both
//!   lists are compared without them), only what the answer's information moves.
//!
//! Ties (no answer would change the top 20) are broken by the A-optimal gain below, so the
//! question still sharpens what the visitor is shown.
//!
//! [`Strategy::AOptimal`] (the criterion before) is A-optimal over the **current top
//! candidates** T (what the visitor would be shown): the expected drop of Σ_{t∈T} x̃ₜᵀΣx̃ₜ, the
//! summed posterior variance of their predictions, weighted by the chance that the visitor can
//! answer at all (P(seen), [`crate::seen`]). Information about z in general is not the goal: a
//! question that pins down a taste none of the top movies depends on changes nothing the
//! visitor sees. With M = X_T Σ (|T| × D) computed once, for a question with direction h:
//!
//! ```text
//! rating of q:    h = x̃_q        gain = ‖M h‖² / (v_q + hᵀΣh)                 (exact, Gaussian)
//! A or B:         h = x̃_a − x̃_b  gain = ‖M h‖² · φ(η)² / (Φ(η)Φ(−η) s²)        (expected, probit ADF)
//!                 s² = v_a + v_b + hᵀΣh, η = E[r_a − r_b] / s
//! ```
//!
//! v_q = σ² + Var(b_q) + s_q²c is the rating's noise plus the item's own uncertainty. The pair
//! formula is the expectation over both answers of the assumed-density-filtering variance
//! update (see [`moviematch_math::ep`]); a pair whose outcome is already certain (|η| large) gains little.
//! Each question costs one answer whether or not it is answered, so its value is
//! P(answerable) × gain: P(seen q) for a rating, P(seen a)·P(seen b) for a pair.
//!
//! The other strategies are the baselines `tools simulate` measures it against.

use std::collections::HashSet;

use ndarray::{Array1, Array2, Axis};
use rand::{RngExt, SeedableRng};

use crate::implicit::ImplicitTaste;
use crate::model::Model;
use crate::posterior::Posterior;
use crate::rank::{recommend, RankOptions, Taste};
use crate::seen::{SeenOffset, SeenOutcome};
use moviematch_math::ep::inverse_mills;
use moviematch_math::shift::{self, Line};

/// A question for the visitor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Question {
    /// "How would you rate this movie?"
    Rate(usize),
    /// "Which do you prefer, A or B?"
    Pair(usize, usize),
}

impl Question {
    /// The movies the question is about.
    pub fn items(&self) -> Vec<usize> {
        match *self {
            Question::Rate(i) => vec![i],
            Question::Pair(a, b) => vec![a, b],
        }
    }
}

/// How to choose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// The product: the rating or pair question with the largest P(answerable) × expected
    /// number of films entering the top 20 (ties by the A-optimal gain).
    Adaptive,
    /// The better of the best rating and the best pair question, by expected A-optimal gain
    /// on the top candidates per answer spent (the product's criterion before list change).
    AOptimal,
    /// Rating questions only, most likely seen first (prototypes: "rate the 10 most popular").
    RatePopular,
    /// Pairs only, by the same expected gain as `Adaptive`.
    InfoGainPairs,
    /// Pairs only, P(A ≻ B) closest to ½ (seed 001), among likely-seen movies.
    MaxEntropyPairs,
    /// A seeded random pair of likely-seen movies.
    RandomPairs,
}

impl Strategy {
    pub const ALL: [Strategy; 6] = [
        Strategy::Adaptive,
        Strategy::AOptimal,
        Strategy::RatePopular,
        Strategy::InfoGainPairs,
        Strategy::MaxEntropyPairs,
        Strategy::RandomPairs,
    ];

    /// The name `tools simulate` reports.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Adaptive => "adaptive",
            Strategy::AOptimal => "a-optimal",
            Strategy::RatePopular => "rate-popular",
            Strategy::InfoGainPairs => "info-gain-pairs",
            Strategy::MaxEntropyPairs => "max-entropy-pairs",
            Strategy::RandomPairs => "random-pairs",
        }
    }
}

/// Settings of the choice.
#[derive(Debug, Clone, PartialEq)]
pub struct AskOptions {
    pub strategy: Strategy,
    /// |T|: how many of the current top movies the uncertainty is measured on.
    pub targets: usize,
    /// How many of the most likely seen movies are considered for rating questions.
    pub rate_candidates: usize,
    /// How many of those are paired with each other for pair questions.
    pub pair_candidates: usize,
    /// The ranking that defines the top candidates (the visitor's own settings).
    pub rank: RankOptions,
    /// Seed for `RandomPairs`.
    pub seed: u64,
}

impl Default for AskOptions {
    fn default() -> Self {
        AskOptions {
            strategy: Strategy::Adaptive,
            targets: 100,
            rate_candidates: 200,
            pair_candidates: 40,
            rank: RankOptions::default(),
            seed: 0,
        }
    }
}

/// What the visitor has told so far, for choosing the next question.
pub struct AskState<'a> {
    pub posterior: &'a Posterior,
    /// The visitor's implicit taste, when the bundle has an implicit model: the list the
    /// questions sharpen is ranked with it.
    pub implicit: Option<&'a ImplicitTaste>,
    /// The visitor's number of answers (the blend's weights depend on it).
    pub answers: usize,
    pub seen: &'a SeenOffset,
    /// Movies already rated, asked about or reported unseen: never asked again.
    pub exclude: &'a HashSet<usize>,
    /// Pairs already compared, as (smaller, larger): never asked again (their movies may be,
    /// in other pairs).
    pub asked_pairs: &'a HashSet<(usize, usize)>,
    /// Restricts questions to these movies, all known to be seen (the simulator's `known`
    /// variant); `None` for a real visitor.
    pub allowed: Option<&'a [usize]>,
}

/// What a profile says that matters for choosing the next question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AskHistory {
    /// Rated, hidden or "haven't seen" movies: not asked about again.
    pub exclude: HashSet<usize>,
    /// Pairs already compared, as (smaller, larger).
    pub pairs: HashSet<(usize, usize)>,
    /// Seen / not seen, for the visitor's P(seen) offset: every answered question about a movie
    /// (a rating, a preference or a tie) says "seen"; every "haven't seen" says not.
    pub outcomes: Vec<SeenOutcome>,
}

impl AskHistory {
    /// The visitor's P(seen) offset given these outcomes.
    pub fn seen_offset(&self, model: &Model) -> SeenOffset {
        SeenOffset::fit(model, &self.outcomes)
    }
}

/// A chosen question with its expected value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    pub question: Question,
    /// P(the visitor can answer it).
    pub p_answer: f64,
    /// Expected reduction of Σ_T x̃ᵀΣx̃ if answered (0 for the strategies that do not use it).
    pub gain: f64,
    /// Expected number of films entering the top 20 if answered (`Adaptive` only, else 0).
    pub list_change: f64,
}

/// The next question, or `None` when there is nothing left to ask.
pub fn next_question(model: &Model, st: &AskState<'_>, opts: &AskOptions) -> Option<Choice> {
    let cands = candidates(model, st, opts.rate_candidates);
    if cands.is_empty() {
        return None;
    }
    let p_seen = |i: usize| {
        if st.allowed.is_some() {
            1.0
        } else {
            st.seen.p_seen(model, i)
        }
    };
    let pair_pool = &cands[..cands.len().min(opts.pair_candidates)];
    match opts.strategy {
        Strategy::RatePopular => Some(Choice {
            question: Question::Rate(cands[0]),
            p_answer: p_seen(cands[0]),
            gain: 0.0,
            list_change: 0.0,
        }),
        Strategy::RandomPairs => {
            if pair_pool.len() < 2 {
                return None;
            }
            let mut rng = rand::rngs::StdRng::seed_from_u64(opts.seed);
            let open: Vec<(usize, usize)> = (0..pair_pool.len())
                .flat_map(|ja| (ja + 1..pair_pool.len()).map(move |jb| (ja, jb)))
                .map(|(ja, jb)| (pair_pool[ja], pair_pool[jb]))
                .filter(|&(a, b)| !st.asked_pairs.contains(&(a.min(b), a.max(b))))
                .collect();
            if open.is_empty() {
                return None;
            }
            let (a, b) = open[rng.random_range(0..open.len())];
            Some(Choice {
                question: Question::Pair(a, b),
                p_answer: p_seen(a) * p_seen(b),
                gain: 0.0,
                list_change: 0.0,
            })
        }
        Strategy::MaxEntropyPairs => {
            let post = st.posterior;
            let sigma2 = (model.header.sigma as f64).powi(2);
            // Each candidate's prediction once, not once per pair it is in.
            let preds: Vec<_> = pair_pool.iter().map(|&i| post.predict(model, i)).collect();
            let mut best: Option<(f64, usize, usize)> = None;
            for (ja, &a) in pair_pool.iter().enumerate() {
                for (jb, &b) in pair_pool.iter().enumerate().skip(ja + 1) {
                    if st.asked_pairs.contains(&(a.min(b), a.max(b))) {
                        continue;
                    }
                    let (pa, pb) = (preds[ja], preds[jb]);
                    let s =
                        (2.0 * sigma2 + pa.epistemic_var as f64 + pb.epistemic_var as f64).sqrt();
                    let eta = ((pa.mean - pb.mean) as f64 / s).abs();
                    if best.is_none_or(|x| eta < x.0) {
                        best = Some((eta, a, b));
                    }
                }
            }
            best.map(|(_, a, b)| Choice {
                question: Question::Pair(a, b),
                p_answer: p_seen(a) * p_seen(b),
                gain: 0.0,
                list_change: 0.0,
            })
        }
        Strategy::Adaptive | Strategy::AOptimal | Strategy::InfoGainPairs => {
            let g = Gains::new(model, st, opts, &cands);
            let change = (opts.strategy == Strategy::Adaptive)
                .then(|| ListChange::new(model, st, opts, &g, &cands));
            let value = |c: &Choice| (c.p_answer * c.list_change, c.p_answer * c.gain);
            let mut best: Option<Choice> = None;
            let mut consider = |c: Choice| {
                let better = best.is_none_or(|b| {
                    let (v, w) = (value(&c), value(&b));
                    v.0 > w.0 + 1e-12 || ((v.0 - w.0).abs() <= 1e-12 && v.1 > w.1)
                });
                if better {
                    best = Some(c);
                }
            };
            if opts.strategy != Strategy::InfoGainPairs {
                for (j, &q) in cands.iter().enumerate() {
                    consider(Choice {
                        question: Question::Rate(q),
                        p_answer: p_seen(q),
                        gain: g.rating(j),
                        list_change: change.as_ref().map_or(0.0, |c| c.rating(&g, j)),
                    });
                }
            }
            for ja in 0..pair_pool.len() {
                for jb in ja + 1..pair_pool.len() {
                    let (a, b) = (pair_pool[ja], pair_pool[jb]);
                    if st.asked_pairs.contains(&(a.min(b), a.max(b))) {
                        continue;
                    }
                    consider(Choice {
                        question: Question::Pair(a, b),
                        p_answer: p_seen(a) * p_seen(b),
                        gain: g.pair(ja, jb),
                        list_change: change.as_ref().map_or(0.0, |c| c.pair(&g, ja, jb)),
                    });
                }
            }
            best
        }
    }
}

/// Movies a question may be about, most likely seen first.
fn candidates(model: &Model, st: &AskState<'_>, n: usize) -> Vec<usize> {
    match st.allowed {
        Some(allowed) => {
            let mut scored: Vec<(f64, usize)> = allowed
                .iter()
                .filter(|i| !st.exclude.contains(i))
                .map(|&i| (model.seen_logit(i) as f64, i))
                .collect();
            moviematch_math::top::keep_best(&mut scored, n);
            scored.into_iter().map(|(_, i)| i).collect()
        }
        None => model
            .most_seen()
            .iter()
            .map(|&i| i as usize)
            .filter(|i| !st.exclude.contains(i))
            .take(n)
            .collect(),
    }
}

/// The precomputed quantities of the A-optimal gains for one candidate list.
struct Gains {
    /// Row j: M x̃_j = X_T Σ x̃_j for candidate j.
    mh: Array2<f64>,
    /// (Mx̃_a)·(Mx̃_b) and x̃_aᵀΣx̃_b over the pair pool (the first `pair_candidates`): one
    /// matrix product each instead of two dot products per pair.
    pair_gram: Array2<f64>,
    pair_cross: Array2<f64>,
    /// x̃_jᵀΣx̃_j.
    quad: Array1<f64>,
    /// v_j = σ² + Var(b_j) + s_j²c.
    noise: Array1<f64>,
    /// E[r_j].
    mean: Array1<f64>,
    /// The current top T (catalogue indices, best first) and their blended scores.
    targets: Vec<usize>,
    target_scores: Vec<f64>,
}

impl Gains {
    fn new(model: &Model, st: &AskState<'_>, opts: &AskOptions, cands: &[usize]) -> Gains {
        let post = st.posterior;
        let rank = RankOptions {
            top: opts.targets,
            ..opts.rank.clone()
        };
        let taste = Taste {
            explicit: post,
            implicit: st.implicit,
            answers: st.answers,
        };
        let listed = recommend(model, &taste, st.exclude, &rank);
        let targets: Vec<usize> = listed.iter().map(|r| r.item).collect();
        let target_scores: Vec<f64> = listed.iter().map(|r| r.score as f64).collect();
        let rows = |items: &[usize]| {
            let mut x = Array2::<f64>::zeros((items.len(), model.visitor_dim()));
            for (r, &i) in items.iter().enumerate() {
                x.row_mut(r)
                    .assign(&model.design().row(i).mapv(|v| v as f64));
            }
            x
        };
        let xt = rows(&targets);
        let x = rows(cands);
        let sh = x.dot(post.cov());
        let mh = sh.dot(&xt.t());
        let quad = (&sh * &x).sum_axis(Axis(1));
        let pool = cands.len().min(opts.pair_candidates);
        let pool_mh = mh.slice(ndarray::s![..pool, ..]);
        let pair_gram = pool_mh.dot(&pool_mh.t());
        let pair_cross = sh
            .slice(ndarray::s![..pool, ..])
            .dot(&x.slice(ndarray::s![..pool, ..]).t());
        let sigma2 = (model.header.sigma as f64).powi(2);
        let noise = cands
            .iter()
            .map(|&i| sigma2 + post.epistemic_floor(model, i) as f64)
            .collect();
        let mean = cands
            .iter()
            .map(|&i| post.predict_mean(model, i) as f64)
            .collect();
        Gains {
            mh,
            pair_gram,
            pair_cross,
            quad,
            noise,
            mean,
            targets,
            target_scores,
        }
    }

    /// Exact drop of Σ_T x̃ᵀΣx̃ after rating candidate j.
    fn rating(&self, j: usize) -> f64 {
        let u = self.mh.row(j);
        u.dot(&u) / (self.noise[j] + self.quad[j])
    }

    /// Expected drop of Σ_T x̃ᵀΣx̃ after "A or B?" on candidates a and b.
    fn pair(&self, a: usize, b: usize) -> f64 {
        let gram = &self.pair_gram;
        let diff2 = (gram[[a, a]] + gram[[b, b]] - 2.0 * gram[[a, b]]).max(0.0);
        let ab = self.pair_cross[[a, b]];
        let quad = (self.quad[a] + self.quad[b] - 2.0 * ab).max(0.0);
        let s2 = self.noise[a] + self.noise[b] + quad;
        let eta = (self.mean[a] - self.mean[b]) / s2.sqrt();
        let kappa = inverse_mills(eta) * inverse_mills(-eta) / s2;
        diff2 * kappa
    }
}

/// How many films a list shows: the top the questions try to change.
const LIST_TOP: usize = crate::rank::LIST_LENGTH;

/// Row `j` of `m` as a slice (every matrix here is built by a product: standard layout).
fn row(m: &Array2<f64>, j: usize) -> &[f64] {
    m.row(j).to_slice().expect("standard layout")
}

/// [`ListChange`]'s reused buffers: one outcome's shifted scores, and the targets' line.
type Scratch = (Vec<(f64, usize)>, Vec<Line>);

/// The expected change of the top 20 per question (see the module doc for the approximation).
struct ListChange {
    /// w_mean: how the blend weighs a change of the explicit mean.
    w_mean: f64,
    /// Row j: how candidate j's "watched" would move each target's blended implicit term.
    implicit: Option<Array2<f64>>,
    /// Target index of each candidate (`None`: not among the targets).
    target_of: Vec<Option<usize>>,
    /// Reused by every question: the shifted scores of one outcome ([`ListChange::entering`])
    /// and the targets' line ([`ListChange::line`]).
    scratch: std::cell::RefCell<Scratch>,
}

impl ListChange {
    fn new(
        model: &Model,
        st: &AskState<'_>,
        opts: &AskOptions,
        g: &Gains,
        cands: &[usize],
    ) -> ListChange {
        let w = model
            .blend()
            .weights(st.answers, opts.rank.popularity, opts.rank.caution);
        // One matrix product (candidates' taste shifts × targets' factors), not 20,000 dot
        // products one by one: a third of the question's time before.
        let implicit = model.implicit().zip(st.implicit).map(|(imp, u)| {
            let h = |i: usize| imp.factors(i, model.content_row(i));
            let rows = |vs: Vec<Vec<f64>>| {
                Array2::from_shape_vec((vs.len(), imp.k()), vs.concat()).expect("K factors each")
            };
            let ht = rows(g.targets.iter().map(|&t| h(t)).collect());
            // A film the visitor already told about (a pair's film asked again) adds no
            // "watched": its answer moves only the explicit means.
            let du = rows(
                cands
                    .iter()
                    .map(|&q| {
                        if u.told(q) {
                            vec![0.0; imp.k()]
                        } else {
                            u.shift_if_watched(&h(q))
                        }
                    })
                    .collect(),
            );
            du.dot(&ht.t()) * w.implicit as f64
        });
        let target_of = cands
            .iter()
            .map(|c| g.targets.iter().position(|t| t == c))
            .collect();
        ListChange {
            w_mean: w.mean as f64,
            implicit,
            target_of,
            scratch: std::cell::RefCell::new((
                Vec::with_capacity(g.targets.len()),
                Vec::with_capacity(g.targets.len()),
            )),
        }
    }

    /// Films entering the top 20 when every target t's score moves by λ·slope_t + offset_t
    /// (`line[t]`), the targets in `gone` (the question's own films, which leave the list once
    /// answered) left out of both lists: what the answer's information changes, not the
    /// removal itself ([`shift::entering`], at opt-level 3).
    fn entering(
        g: &Gains,
        gone: &[Option<usize>],
        line: &[Line],
        lambda: f64,
        scratch: &mut Vec<(f64, usize)>,
    ) -> f64 {
        shift::entering(&g.target_scores, line, gone, lambda, LIST_TOP, scratch) as f64
    }

    /// Every target's (slope, offset) for a question on `films`: the explicit means move by
    /// `w_mean · Σ_q sign_q · mh[q, t] / s` per unit of the answer's λ, the implicit term by
    /// the films' summed "watched" shifts.
    fn line(&self, g: &Gains, films: &[(usize, f64)], s: f64, out: &mut Vec<Line>) {
        out.clear();
        out.resize(g.targets.len(), (0.0, 0.0));
        for &(j, sign) in films {
            shift::add_line(
                out,
                sign * self.w_mean / s,
                row(&g.mh, j),
                self.implicit.as_ref().map(|m| row(m, j)),
            );
        }
    }

    /// Expected films entering after rating candidate j (3-point Gauss–Hermite over r).
    fn rating(&self, g: &Gains, j: usize) -> f64 {
        let s = (g.noise[j] + g.quad[j]).sqrt();
        let gone = [self.target_of[j]];
        let (scratch, line) = &mut *self.scratch.borrow_mut();
        self.line(g, &[(j, 1.0)], s, line);
        [
            (-(3f64.sqrt()), 1.0 / 6.0),
            (0.0, 2.0 / 3.0),
            (3f64.sqrt(), 1.0 / 6.0),
        ]
        .iter()
        .map(|&(z, p)| p * Self::entering(g, &gone, line, z, scratch))
        .sum()
    }

    /// Expected films entering after "A or B?" on candidates a and b.
    fn pair(&self, g: &Gains, a: usize, b: usize) -> f64 {
        let ab = g.pair_cross[[a, b]];
        let quad = (g.quad[a] + g.quad[b] - 2.0 * ab).max(0.0);
        let s = (g.noise[a] + g.noise[b] + quad).sqrt();
        let eta = (g.mean[a] - g.mean[b]) / s;
        let p_a = 0.5 * libm::erfc(-eta / std::f64::consts::SQRT_2);
        let gone = [self.target_of[a], self.target_of[b]];
        // A wins: the means move by Σh·λ/s with λ = φ(η)/Φ(η); B wins: by −Σh·φ(η)/Φ(−η)/s.
        let (scratch, line) = &mut *self.scratch.borrow_mut();
        self.line(g, &[(a, 1.0), (b, -1.0)], s, line);
        let win = Self::entering(g, &gone, line, inverse_mills(eta), scratch);
        let lose = Self::entering(g, &gone, line, -inverse_mills(-eta), scratch);
        p_a * win + (1.0 - p_a) * lose
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::random_bundle;
    use crate::implicit::Signal;
    use crate::posterior::Observation;
    use approx::assert_relative_eq;
    use moviematch_math::ep::tilted_moments;

    /// A catalogue whose items are exactly known (s² = 0), so a rating is a plain rank-one
    /// Gaussian update and the gains can be checked against refitting the posterior.
    fn setup() -> (Model, Posterior) {
        let mut b = random_bundle(11, 300, 4, 300);
        b.items.factor_sd_scale.iter_mut().for_each(|s| *s = 0.0);
        let model = Model::from_bundle(b);
        let obs =
            [(3, 4.5), (17, 2.0), (40, 3.5)].map(|(item, rating)| Observation { item, rating });
        let post = Posterior::fit(&model, &obs).unwrap();
        (model, post)
    }

    fn targets(model: &Model, post: &Posterior, exclude: &HashSet<usize>, n: usize) -> Vec<usize> {
        let rank = RankOptions {
            top: n,
            ..RankOptions::default()
        };
        recommend(model, &Taste::explicit(post), exclude, &rank)
            .iter()
            .map(|r| r.item)
            .collect()
    }

    fn total_var(model: &Model, post: &Posterior, t: &[usize]) -> f64 {
        t.iter()
            .map(|&i| {
                let x = model.design().row(i).mapv(|v| v as f64);
                x.dot(&post.cov().dot(&x))
            })
            .sum()
    }

    #[test]
    fn rating_gain_is_the_exact_variance_drop() {
        let (model, post) = setup();
        let exclude: HashSet<usize> = [3, 17, 40].into();
        let seen = SeenOffset::prior(&model);
        let st = AskState {
            posterior: &post,
            implicit: None,
            answers: 0,
            seen: &seen,
            exclude: &exclude,
            asked_pairs: &HashSet::new(),
            allowed: None,
        };
        let opts = AskOptions {
            targets: 30,
            ..AskOptions::default()
        };
        let cands = [5, 60, 200];
        let g = Gains::new(&model, &st, &opts, &cands);
        let t = targets(&model, &post, &exclude, 30);
        let before = total_var(&model, &post, &t);
        for (j, &q) in cands.iter().enumerate() {
            let obs = [(3, 4.5), (17, 2.0), (40, 3.5), (q, 1.0)]
                .map(|(item, rating)| Observation { item, rating });
            let after = total_var(&model, &Posterior::fit(&model, &obs).unwrap(), &t);
            assert_relative_eq!(g.rating(j), before - after, max_relative = 1e-6);
        }
    }

    /// The pair gain is the expectation, over both answers, of the variance drop that one
    /// assumed-density-filtering step on the probit factor gives.
    #[test]
    fn pair_gain_is_the_expected_adf_variance_drop() {
        let (model, post) = setup();
        let exclude: HashSet<usize> = [3, 17, 40].into();
        let seen = SeenOffset::prior(&model);
        let st = AskState {
            posterior: &post,
            implicit: None,
            answers: 0,
            seen: &seen,
            exclude: &exclude,
            asked_pairs: &HashSet::new(),
            allowed: None,
        };
        let opts = AskOptions {
            targets: 30,
            ..AskOptions::default()
        };
        let cands = [5, 60, 200, 201];
        let g = Gains::new(&model, &st, &opts, &cands);
        let t = targets(&model, &post, &exclude, 30);
        let sigma2 = (model.header.sigma as f64).powi(2);
        for (ja, jb) in [(0, 1), (1, 2), (2, 3), (0, 3)] {
            let (a, b) = (cands[ja], cands[jb]);
            let h =
                model.design().row(a).mapv(|v| v as f64) - model.design().row(b).mapv(|v| v as f64);
            let sh = post.cov().dot(&h);
            let v = h.dot(&sh);
            let m = (post.predict_mean(&model, a) - post.predict_mean(&model, b)) as f64;
            let s = (2.0 * sigma2
                + model.bias_variances()[a] as f64
                + model.bias_variances()[b] as f64)
                .sqrt();
            let p_a = 0.5 * libm::erfc(-m / (s * s + v).sqrt() / std::f64::consts::SQRT_2);
            let mh2: f64 = t
                .iter()
                .map(|&i| model.design().row(i).mapv(|v| v as f64).dot(&sh).powi(2))
                .sum();
            let expected: f64 = [(1.0, p_a), (-1.0, 1.0 - p_a)]
                .iter()
                .map(|&(y, p)| {
                    let (_, v_new) = tilted_moments(m, v, s, y);
                    p * mh2 * (v - v_new) / (v * v)
                })
                .sum();
            assert_relative_eq!(g.pair(ja, jb), expected, max_relative = 1e-6);
        }
    }

    /// With every film a target, the expected list change of a rating question is, point by
    /// point of the quadrature, the change a refit with that rating gives.
    #[test]
    fn list_change_of_a_rating_is_the_refits_change() {
        let mut b = random_bundle(11, 300, 4, 300);
        b.items.factor_sd_scale.iter_mut().for_each(|s| *s = 0.0);
        // Every film well above the list's floor before and after any answer: the estimator
        // holds the floor where it is (see the module doc).
        b.header.global_mean += 2.0;
        b.implicit = None;
        let model = Model::from_bundle(b);
        let base = [(3, 4.5), (17, 2.0), (40, 3.5)];
        let post = Posterior::fit(
            &model,
            &base.map(|(item, rating)| Observation { item, rating }),
        )
        .unwrap();
        let exclude: HashSet<usize> = [3, 17, 40].into();
        let seen = SeenOffset::prior(&model);
        let st = AskState {
            posterior: &post,
            implicit: None,
            answers: 3,
            seen: &seen,
            exclude: &exclude,
            asked_pairs: &HashSet::new(),
            allowed: None,
        };
        let opts = AskOptions {
            targets: 300,
            ..AskOptions::default()
        };
        let cands = [5, 60, 200, targets(&model, &post, &exclude, 1)[0]];
        let g = Gains::new(&model, &st, &opts, &cands);
        let change = ListChange::new(&model, &st, &opts, &g, &cands);
        let mut moved = 0.0;
        for (j, &q) in cands.iter().enumerate() {
            let s = (g.noise[j] + g.quad[j]).sqrt();
            let mut out = exclude.clone();
            out.insert(q);
            // The list without the question's film, before and after the answer.
            let before: HashSet<usize> =
                targets(&model, &post, &out, LIST_TOP).into_iter().collect();
            let mut want = 0.0;
            for (z, p) in [
                (-(3f64.sqrt()), 1.0 / 6.0),
                (0.0, 2.0 / 3.0),
                (3f64.sqrt(), 1.0 / 6.0),
            ] {
                let r = (g.mean[j] + z * s) as f32;
                let mut obs = base
                    .map(|(item, rating)| Observation { item, rating })
                    .to_vec();
                obs.push(Observation { item: q, rating: r });
                let refit = Posterior::fit(&model, &obs).unwrap();
                let after = targets(&model, &refit, &out, LIST_TOP);
                want += p * after.iter().filter(|i| !before.contains(i)).count() as f64;
            }
            let got = change.rating(&g, j);
            assert!((got - want).abs() < 1e-9, "candidate {q}: {got} vs {want}");
            moved += got;
        }
        assert!(moved > 0.5, "some answer moves the list ({moved})");
    }

    /// A film the visitor already told about (here: compared) gets no "watched" shift of the
    /// implicit taste in the expected list change; every other candidate gets the
    /// Sherman–Morrison shift of its "watched", weighed as the blend weighs the implicit term.
    #[test]
    fn a_film_already_told_about_moves_no_implicit_score() {
        let model = Model::from_bundle(random_bundle(11, 300, 4, 300));
        let imp = model.implicit().expect("the fixture has an implicit model");
        let base = [(3, 4.5), (17, 2.0), (40, 3.5)];
        let post = Posterior::fit(
            &model,
            &base.map(|(item, rating)| Observation { item, rating }),
        )
        .unwrap();
        let signals: Vec<Signal> = [3, 17, 40, 5].map(Signal::watched).to_vec();
        let taste = imp.fit(&signals, |i| model.content_row(i)).unwrap();
        assert!(taste.told(5) && !taste.told(60));
        let exclude: HashSet<usize> = [3, 17, 40].into();
        let seen = SeenOffset::prior(&model);
        let st = AskState {
            posterior: &post,
            implicit: Some(&taste),
            answers: 4,
            seen: &seen,
            exclude: &exclude,
            asked_pairs: &HashSet::new(),
            allowed: None,
        };
        let opts = AskOptions {
            targets: 50,
            ..AskOptions::default()
        };
        let cands = [5, 60, 200];
        let g = Gains::new(&model, &st, &opts, &cands);
        let change = ListChange::new(&model, &st, &opts, &g, &cands);
        let rows = change.implicit.as_ref().unwrap();
        assert!(
            rows.row(0).iter().all(|&v| v == 0.0),
            "told: {:?}",
            rows.row(0)
        );
        let w = model
            .blend()
            .weights(4, opts.rank.popularity, opts.rank.caution);
        let h = |i: usize| imp.factors(i, model.content_row(i));
        for (j, &q) in cands.iter().enumerate().skip(1) {
            let du = taste.shift_if_watched(&h(q));
            let mut moved = 0.0;
            for (t, &target) in g.targets.iter().enumerate() {
                let want: f64 =
                    du.iter().zip(h(target)).map(|(a, b)| a * b).sum::<f64>() * w.implicit as f64;
                assert_relative_eq!(rows[[j, t]], want, epsilon = 1e-9);
                moved += want.abs();
            }
            assert!(moved > 0.0, "candidate {q} moves the implicit scores");
        }
    }

    /// The product picks the question whose P(answerable) × expected list change is largest.
    #[test]
    fn adaptive_picks_the_largest_expected_list_change() {
        let (model, post) = setup();
        let exclude: HashSet<usize> = [3, 17, 40].into();
        let seen = SeenOffset::prior(&model);
        let st = AskState {
            posterior: &post,
            implicit: None,
            answers: 3,
            seen: &seen,
            exclude: &exclude,
            asked_pairs: &HashSet::new(),
            allowed: None,
        };
        let opts = AskOptions {
            rate_candidates: 30,
            pair_candidates: 8,
            ..AskOptions::default()
        };
        let best = next_question(&model, &st, &opts).unwrap();
        let cands = candidates(&model, &st, opts.rate_candidates);
        let g = Gains::new(&model, &st, &opts, &cands);
        let change = ListChange::new(&model, &st, &opts, &g, &cands);
        let p = |i: usize| seen.p_seen(&model, i);
        let mut top = 0f64;
        for (j, &q) in cands.iter().enumerate() {
            top = top.max(p(q) * change.rating(&g, j));
        }
        for ja in 0..8 {
            for jb in ja + 1..8 {
                top = top.max(p(cands[ja]) * p(cands[jb]) * change.pair(&g, ja, jb));
            }
        }
        assert!(top > 0.0);
        assert!(
            (best.p_answer * best.list_change - top).abs() < 1e-12,
            "{best:?} vs {top}"
        );
    }

    #[test]
    fn never_asks_about_excluded_or_disallowed_movies() {
        let (model, post) = setup();
        let seen = SeenOffset::prior(&model);
        let allowed: Vec<usize> = (100..130).collect();
        let mut exclude: HashSet<usize> = [3, 17, 40, 100, 101].into();
        for strategy in Strategy::ALL {
            let opts = AskOptions {
                strategy,
                targets: 20,
                ..AskOptions::default()
            };
            for allowed in [None, Some(&allowed[..])] {
                let st = AskState {
                    posterior: &post,
                    implicit: None,
                    answers: 0,
                    seen: &seen,
                    exclude: &exclude,
                    asked_pairs: &HashSet::new(),
                    allowed,
                };
                let c = next_question(&model, &st, &opts).unwrap();
                for i in c.question.items() {
                    assert!(!exclude.contains(&i), "{strategy:?} asked excluded {i}");
                    if let Some(a) = allowed {
                        assert!(a.contains(&i));
                        assert_eq!(c.p_answer, 1.0);
                    }
                }
            }
        }
        // Nothing left to ask.
        exclude.extend(0..model.len());
        let st = AskState {
            posterior: &post,
            implicit: None,
            answers: 0,
            seen: &seen,
            exclude: &exclude,
            asked_pairs: &HashSet::new(),
            allowed: None,
        };
        assert!(next_question(&model, &st, &AskOptions::default()).is_none());
    }

    /// Adaptive picks the question with the best P(answer) × gain among all it considered: no
    /// rating question or pair from the candidates beats it.
    #[test]
    fn a_optimal_maximises_expected_value() {
        let (model, post) = setup();
        let seen = SeenOffset::prior(&model);
        let exclude: HashSet<usize> = [3, 17, 40].into();
        let st = AskState {
            posterior: &post,
            implicit: None,
            answers: 0,
            seen: &seen,
            exclude: &exclude,
            asked_pairs: &HashSet::new(),
            allowed: None,
        };
        let opts = AskOptions {
            strategy: Strategy::AOptimal,
            targets: 20,
            rate_candidates: 30,
            pair_candidates: 10,
            ..AskOptions::default()
        };
        let best = next_question(&model, &st, &opts).unwrap();
        let cands = candidates(&model, &st, 30);
        let g = Gains::new(&model, &st, &opts, &cands);
        let value = best.p_answer * best.gain;
        for (j, &q) in cands.iter().enumerate() {
            assert!(seen.p_seen(&model, q) * g.rating(j) <= value + 1e-12);
        }
        for a in 0..10 {
            for b in a + 1..10 {
                let p = seen.p_seen(&model, cands[a]) * seen.p_seen(&model, cands[b]);
                assert!(p * g.pair(a, b) <= value + 1e-12);
            }
        }
    }
}
