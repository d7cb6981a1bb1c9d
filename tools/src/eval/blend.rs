//! The ranking's blend fitted on fold-in *tuning* users (never the reported half, never users
//! whose ratings trained the model): each user's pool becomes a profile read by the engine's
//! `Visitor`, whose per-film terms (`rank::terms`: exactly what the ranking blends) describe
//! every candidate; the label is "a held-out film they rated ≥ 4". A logistic regression on
//! those terms (plus three film features, and the personal terms' slopes in ln(1 + answers))
//! is a ranker whose score is linear in the visitor's tastes, so the engine's exact top N
//! holds for it.
//!
//! Candidates per user: every target (the films they rated and we hid: liked or not) and a
//! seeded sample of the rest of the catalogue, weighted back to the catalogue's size, since the
//! list ranks every film.

use moviematch::bundle::{Blend, BlendTerm};
use moviematch::rank::{terms, Taste};
use moviematch::{Model, Visitor};
use rand::{rngs::StdRng, seq::SliceRandom, RngExt, SeedableRng};
use rayon::prelude::*;

use crate::eval::foldin::{self, rated_profile, FoldIn, FoldUser};
use crate::eval::people::tune::Adjust;

/// The blend's terms, in column order: the per-visitor terms, then the film features.
pub const TERMS: [&str; 7] = ["mean", "implicit", "seen", "sd_item", "x:0", "x:1", "x:2"];

/// The columns of a sample, in order: the [`TERMS`] (film features named), every one of them
/// again times ln(1 + answers), and again times ln(1 + answers) past the late knot
/// ([`moviematch::bundle::LATE_KNOT`]): how much each counts changes as the visitor answers,
/// with its own slope for the long profiles of an import.
pub const COLUMNS: [&str; 21] = [
    "mean",
    "implicit",
    "seen",
    "sd_item",
    "x:0 IMDb average (shrunk)",
    "x:1 log IMDb votes",
    "x:2 year",
    "mean·ln(1+answers)",
    "implicit·ln(1+answers)",
    "seen·ln(1+answers)",
    "sd_item·ln(1+answers)",
    "x:0·ln(1+answers)",
    "x:1·ln(1+answers)",
    "x:2·ln(1+answers)",
    "mean·late",
    "implicit·late",
    "seen·late",
    "sd_item·late",
    "x:0·late",
    "x:1·late",
    "x:2·late",
];
/// The number of columns.
pub const P: usize = COLUMNS.len();
/// The number of terms.
const T: usize = TERMS.len();

/// A rating at or above this is "liked" (MovieLens stars; the dev set's 4★ / 8/10).
pub const LIKED: f32 = 4.0;

/// The labelled candidates of many users.
#[derive(Debug, Clone, Default)]
pub struct Samples {
    pub x: Vec<[f64; P]>,
    pub liked: Vec<bool>,
    pub weight: Vec<f64>,
}

/// One row of features for film `t` of a visitor with `answers` answers.
pub fn row(model: &Model, t: &moviematch::rank::Terms, item: usize, answers: usize) -> [f64; P] {
    let (log, late) = Blend::answer_bases(answers);
    let x = model.content_row(item);
    let terms: [f64; T] = [
        t.mean as f64,
        t.implicit as f64,
        t.seen as f64,
        t.sd_item as f64,
        x[0] as f64,
        x[1] as f64,
        x[2] as f64,
    ];
    std::array::from_fn(|j| match j / T {
        0 => terms[j],
        1 => terms[j % T] * log as f64,
        _ => terms[j % T] * late as f64,
    })
}

/// The answer counts every tuning user is also seen at, besides their whole pool: the first k
/// of their pool in a seeded random order are the answers, the rest of the pool joins the
/// targets. A visitor of the app starts with no answers and gives a few; a blend fitted on whole
/// pools alone (dozens to hundreds of ratings) would be extrapolated there — its intercepts at
/// 0 answers were what ranked Batman & Robin ninth for a new visitor.
pub const ANSWER_LEVELS: [usize; 5] = [0, 1, 3, 10, 30];
/// What each [`ANSWER_LEVELS`] profile weighs against the whole pool's. Measured (`tools eval
/// --people … --tune`, out of fold; `tools simulate`, adaptive at 10 answers / full profile):
/// at 1 the dev set's recall@100 fell from 0.371 to 0.361 (the long profiles of real people
/// are fitted worse when five short profiles outweigh each long one); at 0.2 it is 0.369 and
/// adaptive reaches 83% (80% without levels); at 0.05, 0.367.
pub const LEVEL_WEIGHT: f64 = 0.2;

/// The samples of `users` (dense item ids mapped to catalogue rows by `row_of`), each user at
/// every [`ANSWER_LEVELS`] count below their pool's size and at their whole pool, with
/// `negatives` sampled non-target films each time.
pub fn samples(
    model: &Model,
    users: &[&FoldUser],
    row_of: &(dyn Fn(u32) -> usize + Sync),
    negatives: usize,
    seed: u64,
) -> Samples {
    let parts: Vec<Samples> = users
        .par_iter()
        .map(|u| {
            let mut rng = StdRng::seed_from_u64(seed ^ (u.user as u64).wrapping_mul(0x9e37));
            let mut pool: Vec<(usize, f32)> = u.pool.iter().map(|&(i, r)| (row_of(i), r)).collect();
            let targets: Vec<(usize, f32)> =
                u.targets.iter().map(|&(i, r)| (row_of(i), r)).collect();
            let mut out = Samples::default();
            let whole = pool.len();
            let levels = ANSWER_LEVELS.iter().copied().filter(|&k| k < whole);
            for k in levels.chain([whole]) {
                if k < whole {
                    pool.shuffle(&mut rng);
                }
                let mut held = targets.clone();
                held.extend_from_slice(&pool[k..]);
                let mut part = profile_samples(model, &pool[..k], &held, negatives, &mut rng);
                if k < whole {
                    for w in &mut part.weight {
                        *w *= LEVEL_WEIGHT;
                    }
                }
                out.extend(part);
            }
            out
        })
        .collect();
    let mut all = Samples::default();
    for p in parts {
        all.extend(p);
    }
    all
}

/// One profile's samples: `answers` rated, every film of `targets` labelled by its rating and
/// `negatives` other films (weighted back to the catalogue's size) labelled "not liked".
fn profile_samples(
    model: &Model,
    answers: &[(usize, f32)],
    targets: &[(usize, f32)],
    negatives: usize,
    rng: &mut StdRng,
) -> Samples {
    let profile = rated_profile(model, answers);
    let visitor = Visitor::new(model, &profile);
    let mut out = Samples::default();
    let Ok(taste) = visitor.taste() else {
        return out;
    };
    let taste: Taste<'_> = taste;
    let exclude = visitor.exclusions(&profile.settings);
    let target_set: std::collections::HashSet<usize> = targets.iter().map(|t| t.0).collect();
    let mut items: Vec<(usize, bool, f64)> = targets
        .iter()
        .filter(|t| !exclude.contains(&t.0))
        .map(|&(i, r)| (i, r >= LIKED, 1.0))
        .collect();
    let rest = model.len().saturating_sub(exclude.len() + target_set.len());
    let w = rest as f64 / negatives.max(1) as f64;
    let mut drawn = 0;
    while drawn < negatives.min(rest) {
        let i = rng.random_range(0..model.len());
        if !exclude.contains(&i) && !target_set.contains(&i) {
            items.push((i, false, w));
            drawn += 1;
        }
    }
    let ids: Vec<usize> = items.iter().map(|t| t.0).collect();
    for ((i, liked, w), t) in items.iter().zip(terms(model, &taste, &ids)) {
        out.x.push(row(model, &t, *i, taste.answers));
        out.liked.push(*liked);
        out.weight.push(*w);
    }
    out
}

impl Samples {
    fn extend(&mut self, other: Samples) {
        self.x.extend(other.x);
        self.liked.extend(other.liked);
        self.weight.extend(other.weight);
    }
}

/// A fitted logistic regression: weights per column (raw units) and the intercept.
#[derive(Debug, Clone, PartialEq)]
pub struct Logistic {
    pub weights: [f64; P],
    pub intercept: f64,
    /// |weight| × the column's sd: how much each column moves the score (the importances).
    pub importance: [f64; P],
}

/// Weighted L2-regularised logistic regression by Newton's method on standardised columns
/// (`l2` on the standardised weights, not on the intercept).
pub fn fit_logistic(s: &Samples, l2: f64) -> Logistic {
    let n = s.x.len();
    let wsum: f64 = s.weight.iter().sum::<f64>().max(1e-12);
    let mut mean = [0f64; P];
    let mut sd = [0f64; P];
    for (x, &w) in s.x.iter().zip(&s.weight) {
        for j in 0..P {
            mean[j] += w * x[j] / wsum;
        }
    }
    for (x, &w) in s.x.iter().zip(&s.weight) {
        for j in 0..P {
            sd[j] += w * (x[j] - mean[j]).powi(2) / wsum;
        }
    }
    for v in &mut sd {
        *v = v.sqrt().max(1e-9);
    }
    // β over [standardised columns; 1]. Weights are normalised to mean 1 so l2 means the same
    // whatever the sample's size.
    let scale = n as f64 / wsum;
    let d = P + 1;
    let mut beta = vec![0f64; d];
    for _ in 0..50 {
        let mut h = ndarray::Array2::<f64>::zeros((d, d));
        let mut g = ndarray::Array1::<f64>::zeros(d);
        let mut z = [0f64; P + 1];
        for ((x, &liked), &w) in s.x.iter().zip(&s.liked).zip(&s.weight) {
            for j in 0..P {
                z[j] = (x[j] - mean[j]) / sd[j];
            }
            z[P] = 1.0;
            let eta: f64 = z.iter().zip(&beta).map(|(a, b)| a * b).sum();
            let p = 1.0 / (1.0 + (-eta).exp());
            let w = w * scale;
            let r = w * ((liked as u8 as f64) - p);
            let c = w * p * (1.0 - p);
            for a in 0..d {
                g[a] += r * z[a];
                for b in 0..=a {
                    h[[a, b]] += c * z[a] * z[b];
                }
            }
        }
        for a in 0..P {
            g[a] -= l2 * beta[a];
            h[[a, a]] += l2;
        }
        h[[P, P]] += 1e-9;
        let Ok(l) = moviematch::linalg::cholesky(&h) else {
            break;
        };
        let step = moviematch::linalg::cho_solve(&l, g.view());
        let mut moved = 0f64;
        for (b, s) in beta.iter_mut().zip(step.iter()) {
            *b += s;
            moved = moved.max(s.abs());
        }
        if moved < 1e-8 {
            break;
        }
    }
    let mut weights = [0f64; P];
    let mut importance = [0f64; P];
    let mut intercept = beta[P];
    for j in 0..P {
        weights[j] = beta[j] / sd[j];
        intercept -= weights[j] * mean[j];
        importance[j] = beta[j].abs();
    }
    Logistic {
        weights,
        intercept,
        importance,
    }
}

impl Logistic {
    /// The blend the engine ranks with: the weights as terms, and the popularity knob's step
    /// (one step per unit: the default's weight on logit P(seen) again, at least 0.25), so
    /// knob 0 weighs popularity negatively.
    pub fn blend(&self) -> Blend {
        let w = &self.weights;
        let mut terms = Vec::with_capacity(2 * T);
        for (j, name) in TERMS.iter().enumerate() {
            terms.push(BlendTerm {
                name: (*name).into(),
                weight: w[j] as f32,
                per_log_answer: w[T + j] as f32,
            });
        }
        for (j, name) in TERMS.iter().enumerate() {
            terms.push(BlendTerm {
                name: format!("{}{name}", moviematch::bundle::LATE_PREFIX),
                weight: w[2 * T + j] as f32,
                per_log_answer: 0.0,
            });
        }
        Blend {
            // A term that weighs nothing (the implicit score of a model without one) is left
            // out, so the blend names only what the bundle has.
            terms: terms
                .into_iter()
                .filter(|t| t.weight != 0.0 || t.per_log_answer != 0.0)
                .collect(),
            discovery_step: (w[2].abs() as f32).max(0.25),
        }
    }
}

/// The dev set's adjustments of the fitted blend, chosen by 5-fold cross-validation over the
/// real people (`tools eval --people ../shared/realpeople --movielens … --tune`: the point
/// with the best recall@100 among those whose top 20s overlap ≤ 0.15, on all people), baked in
/// by `tools train` so that the default knobs give it.
pub const DEV_SET: Adjust = Adjust {
    implicit: 6.0,
    mean: 3.0,
    popularity: 1.5,
};

/// The blend as `tools train` ships it: the fit's, with [`DEV_SET`] baked in. Every
/// evaluation that measures the product's list ranks with this.
pub fn shipped(fit: &Logistic) -> Blend {
    DEV_SET.bake(&fit.blend())
}

/// Negative films sampled per tuning user.
pub const NEGATIVES: usize = 3000;
/// The L2 penalty on the standardised weights.
pub const L2: f64 = 1.0;

/// The blend fitted on `fold`'s tuning users for `engine` (trained on `fold.train`; dense item
/// ids of `train` mapped to catalogue rows through MovieLens ids).
pub fn fit_on_tuning_users(engine: &Model, fold: &FoldIn, seed: u64) -> Logistic {
    let train = &fold.train;
    let rows = foldin::catalogue_rows(engine, train);
    let row = |i: u32| rows[i as usize];
    let tuning: Vec<&FoldUser> = fold.users.iter().filter(|u| u.tuning).collect();
    let s = samples(engine, &tuning, &row, NEGATIVES, seed);
    fit_logistic(&s, L2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tuning user is seen at each answer level below their pool's size and with their
    /// whole pool: a level's unanswered pool films join its targets (labelled by their
    /// ratings), and its rows weigh [`LEVEL_WEIGHT`] of the whole pool's.
    #[test]
    fn each_user_is_seen_at_every_answer_level_and_with_the_whole_pool() {
        let model = Model::from_bundle(moviematch::fixture::random_bundle(7, 150, 4, 60));
        let user = FoldUser {
            user: 3,
            pool: (0..12u32)
                .map(|j| ((j * 11) % 150, if j % 2 == 0 { 4.5 } else { 2.0 }))
                .collect(),
            targets: vec![(140, 5.0), (141, 1.0)],
            tuning: true,
        };
        let s = samples(&model, &[&user], &|i| i as usize, 20, 9);
        let levels = [0usize, 1, 3, 10, 12];
        let mut rows = [0usize; 5];
        let mut liked = [0usize; 5];
        let mut target_weight = [0f64; 5];
        for ((x, &y), &w) in s.x.iter().zip(&s.liked).zip(&s.weight) {
            // sd_item > 0, so its per-log column says the answers: ln(1 + k).
            let k = (x[T + 3] / x[3]).exp() - 1.0;
            let level = levels
                .iter()
                .position(|&l| (l as f64 - k).abs() < 1e-3)
                .unwrap_or_else(|| panic!("a row at {k} answers"));
            assert_eq!(x[2 * T + 3], 0.0, "no late part below the knot");
            rows[level] += 1;
            liked[level] += y as usize;
            if y {
                target_weight[level] = w;
            }
        }
        // Targets (2) + the pool's unanswered films (12 − k) + 20 negatives.
        assert_eq!(rows, [34, 33, 31, 24, 22]);
        // Liked: the 5★ target and the pool's 4.5★ films (even j) not yet answered: all six at
        // 0 answers, none with the whole pool, fewer as more are answered (in a random order).
        assert_eq!((liked[0], liked[4]), (7, 1));
        assert!(liked.windows(2).all(|w| w[0] >= w[1]), "{liked:?}");
        for (level, w) in target_weight.iter().enumerate().take(4) {
            assert!((w - LEVEL_WEIGHT).abs() < 1e-12, "level {level}: {w}");
        }
        assert_eq!(target_weight[4], 1.0);
    }

    /// Newton's method recovers planted weights from data drawn by the logistic model.
    #[test]
    fn the_logistic_fit_recovers_planted_weights() {
        let mut rng = StdRng::seed_from_u64(3);
        let truth = [
            1.5, -2.0, 0.5, 0.0, 0.8, -0.3, 0.0, 0.2, 0.4, -0.1, 0.3, 0.0, -0.2, 0.1, 0.5, -0.4,
            0.0, 0.2, 0.0, 0.1, -0.3,
        ];
        let mut s = Samples::default();
        for _ in 0..60_000 {
            let mut x = [0f64; P];
            for v in x.iter_mut() {
                *v = rng.random_range(-1.5..1.5);
            }
            let eta: f64 = -0.7 + x.iter().zip(&truth).map(|(a, b)| a * b).sum::<f64>();
            let p = 1.0 / (1.0 + (-eta).exp());
            s.x.push(x);
            s.liked.push(rng.random::<f64>() < p);
            s.weight.push(1.0);
        }
        let fit = fit_logistic(&s, 1e-6);
        for (j, (w, t)) in fit.weights.iter().zip(&truth).enumerate() {
            assert!((w - t).abs() < 0.08, "column {j}: {w} vs {t}");
        }
        assert!((fit.intercept + 0.7).abs() < 0.08, "{}", fit.intercept);
        // Weighting a row by 2 is the row twice.
        let mut doubled = s.clone();
        for w in doubled.weight.iter_mut().step_by(2) {
            *w = 2.0;
        }
        let mut twice = s.clone();
        for j in (0..s.x.len()).step_by(2) {
            twice.x.push(s.x[j]);
            twice.liked.push(s.liked[j]);
            twice.weight.push(1.0);
        }
        let (a, b) = (fit_logistic(&doubled, 0.0), fit_logistic(&twice, 0.0));
        for (x, y) in a.weights.iter().zip(&b.weights) {
            assert!((x - y).abs() < 1e-6, "{x} vs {y}");
        }
    }
}
