//! Rating a title by comparisons (seed 001): instead of asking "how many stars?", ask "did you
//! like X more or less than <a movie you rated>?" a few times, choosing each time the rated
//! movie whose rating splits the current belief in half (a noisy binary search), until the 80%
//! interval of the title's rating is narrower than half a star.
//!
//! The belief about the title's rating r on the visitor's own scale is Gaussian; an answer
//! "more than the movie I rated a" is the probit factor Φ((r − a)/s), "about the same" the
//! Gaussian factor N(a; r, s²), folded in by the same EP code as the visitor model (1-D here, so
//! the result is independent of the order of answers too).

use ndarray::{arr1, arr2};

use crate::noise::Z80;
use moviematch_math::ep::{self, ProbitSite};

/// How the visitor compared the title with one of their rated movies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versus {
    Better,
    Worse,
    Same,
}

/// Stop when the 80% interval is narrower than this (stars).
pub const TARGET_WIDTH: f64 = 0.5;
/// Noise of one comparison answer, in stars: how unsure a visitor is between two movies. The
/// one constant the app's compare panel, `tools rate` and the tests use (the rating noise σ of
/// the model, ~0.7, is far larger: a rating is absolute, a comparison relative to a movie the
/// visitor remembers rating).
pub const ANSWER_NOISE: f64 = 0.3;
/// Never ask more than this many questions about one title.
pub const MAX_QUESTIONS: usize = 10;

/// The running belief about one title's rating.
#[derive(Debug, Clone, PartialEq)]
pub struct RateByComparison {
    prior_mean: f64,
    prior_var: f64,
    /// Noise of one comparison answer (stars): how unsure the visitor is between two movies.
    noise: f64,
    answers: Vec<(f64, Versus)>,
    /// Anchors (indices into the caller's list) already asked about.
    used: Vec<usize>,
    mean: f64,
    var: f64,
}

impl RateByComparison {
    /// Starts from a prior on the visitor's scale: the model's prediction for a catalogue
    /// title, or the visitor's own mean and spread for a title the model does not know.
    pub fn new(prior_mean: f64, prior_sd: f64) -> RateByComparison {
        Self::with_noise(prior_mean, prior_sd, ANSWER_NOISE)
    }

    /// [`RateByComparison::new`] with another answer noise (the tests' simulated visitors).
    fn with_noise(prior_mean: f64, prior_sd: f64, noise: f64) -> RateByComparison {
        let prior_var = prior_sd.max(1e-3).powi(2);
        RateByComparison {
            prior_mean,
            prior_var,
            noise: noise.max(1e-3),
            answers: Vec::new(),
            used: Vec::new(),
            mean: prior_mean,
            var: prior_var,
        }
    }

    /// The rated movie to compare with next (an index into `anchors`, the visitor's ratings of
    /// their rated movies), or `None` when the interval is narrow enough, the question budget is
    /// spent, or no anchor is left. Picks the unused anchor closest to the current mean: the
    /// answer most in doubt, so each answer halves the belief.
    pub fn next(&self, anchors: &[f32]) -> Option<usize> {
        if self.done() {
            return None;
        }
        anchors
            .iter()
            .enumerate()
            .filter(|(_, &a)| a.is_finite())
            .filter(|(i, _)| !self.used.contains(i))
            .min_by(|(i, a), (j, b)| {
                let d = |x: f32| (x as f64 - self.mean).abs();
                d(**a).total_cmp(&d(**b)).then(i.cmp(j))
            })
            .map(|(i, _)| i)
    }

    /// Records "the title is better than / worse than / about the same as the rated movie
    /// `index`, which I rated `anchor`" and updates the belief.
    pub fn answer(&mut self, index: usize, anchor: f32, versus: Versus) {
        self.used.push(index);
        self.answers.push((anchor as f64, versus));
        self.refit();
    }

    fn refit(&mut self) {
        let mut precision = 1.0 / self.prior_var;
        let mut rhs = self.prior_mean / self.prior_var;
        let n2 = self.noise * self.noise;
        let mut sites = Vec::new();
        for &(a, v) in &self.answers {
            match v {
                Versus::Same => {
                    precision += 1.0 / n2;
                    rhs += a / n2;
                }
                _ => sites.push(ProbitSite {
                    h: arr1(&[1.0]),
                    c: -a,
                    s: self.noise,
                    y: if v == Versus::Better { 1.0 } else { -1.0 },
                }),
            }
        }
        // 1-D: cannot fail for a positive prior variance.
        let fit = ep::fit(&arr2(&[[precision]]), &arr1(&[rhs]), &sites, 100, 1e-10)
            .expect("a 1-D positive precision");
        let l = fit.chol[[0, 0]];
        self.mean = fit.mean[0];
        self.var = 1.0 / (l * l);
    }

    /// Posterior mean of the title's rating.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The central 80% interval.
    pub fn interval80(&self) -> (f64, f64) {
        let h = Z80 as f64 * self.var.sqrt();
        (self.mean - h, self.mean + h)
    }

    /// True when the interval is narrower than [`TARGET_WIDTH`] or the budget is spent.
    pub fn done(&self) -> bool {
        let (lo, hi) = self.interval80();
        hi - lo < TARGET_WIDTH || self.answers.len() >= MAX_QUESTIONS
    }

    /// Questions answered so far.
    pub fn asked(&self) -> usize {
        self.answers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};
    use rand_distr::{Distribution, Normal};

    /// Simulated visitors: a true rating, anchors at every half star as a typical profile has,
    /// answers with the assumed noise. The procedure must stop in about seven questions and its
    /// 80% intervals must hold the truth about 80% of the time.
    #[test]
    fn finds_a_rating_in_about_seven_questions_with_honest_intervals() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        // A typical profile: 30 rated movies, three at each half star.
        let anchors: Vec<f32> = (0..30).map(|i| (1 + i % 10) as f32 / 2.0).collect();
        let noise = 0.3;
        let (mut covered, mut questions, mut abs_err) = (0, Vec::new(), 0.0);
        let n = 400;
        for _ in 0..n {
            let truth: f64 = rng.random_range(1.0..5.0);
            let mut r = RateByComparison::with_noise(3.5, 1.0, noise);
            while let Some(j) = r.next(&anchors) {
                let a = anchors[j] as f64;
                let felt = truth + Normal::new(0.0, noise).unwrap().sample(&mut rng);
                let v = if (felt - a).abs() < 0.05 {
                    Versus::Same
                } else if felt > a {
                    Versus::Better
                } else {
                    Versus::Worse
                };
                r.answer(j, anchors[j], v);
            }
            let (lo, hi) = r.interval80();
            covered += usize::from(lo <= truth && truth <= hi);
            questions.push(r.asked());
            abs_err += (r.mean() - truth).abs();
        }
        questions.sort_unstable();
        let median = questions[n / 2];
        let coverage = covered as f64 / n as f64;
        eprintln!(
            "rate-by-comparison: median {median} questions, 80% coverage {coverage:.3}, mean |error| {:.3}",
            abs_err / n as f64
        );
        assert!((4..=8).contains(&median), "median questions {median}");
        assert!(
            (0.7..=0.92).contains(&coverage),
            "80% intervals cover {coverage}"
        );
        assert!(
            abs_err / (n as f64) < 0.3,
            "mean abs error {}",
            abs_err / n as f64
        );
    }

    #[test]
    fn answers_move_the_belief_and_order_does_not_matter() {
        let mut a = RateByComparison::new(3.0, 1.0);
        a.answer(0, 3.0, Versus::Better);
        assert!(a.mean() > 3.0);
        a.answer(1, 4.0, Versus::Worse);
        a.answer(2, 3.5, Versus::Same);
        let mut b = RateByComparison::new(3.0, 1.0);
        b.answer(2, 3.5, Versus::Same);
        b.answer(1, 4.0, Versus::Worse);
        b.answer(0, 3.0, Versus::Better);
        assert!((a.mean() - b.mean()).abs() < 1e-9);
        assert!((3.0..4.0).contains(&a.mean()));
        // No anchors, or all used: nothing more to ask.
        assert_eq!(a.next(&[]), None);
        assert_eq!(a.next(&[3.0, 4.0, 3.5]), None);
    }
}
