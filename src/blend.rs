//! The ranking's blend at run time: the bundle's [`Blend`] resolved into the four weights the
//! ranking multiplies its per-visitor terms by, and the film-only terms (item features)
//! summed once per model into two columns.
//!
//! The visitor's knobs act on the fitted weights: the popularity knob moves the weight on
//! logit P(seen) by [`Blend::discovery_step`] per unit away from its default (so the default,
//! and any profile stored with it, gets the fitted blend, and lower values reach less-known
//! films), and caution moves the penalty on the film's epistemic sd by one per unit away from
//! its default (the default: the fitted weight, which may even be a small bonus). With the
//! legacy blend both give exactly the score before v4.

use ndarray::ArrayView2;

use crate::bundle::Blend;
use crate::profile::{DEFAULT_CAUTION, DEFAULT_POPULARITY};

/// The weights of one list: what [`BlendTable::weights`] gives for a visitor and their knobs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// On the explicit predicted rating E[r].
    pub mean: f32,
    /// On the implicit score uᵀh.
    pub implicit: f32,
    /// On logit P(seen), the popularity knob applied.
    pub seen: f32,
    /// The penalty per unit of the film's epistemic sd, caution applied (negative: a bonus,
    /// when the fitted blend finds the less-known films of a kind worth more).
    pub caution: f32,
    /// ln(1 + answers) and its part past the late knot ([`Blend::answer_bases`]): what the
    /// film-only columns' two slopes are multiplied by.
    pub log_answers: f32,
    pub late_answers: f32,
}

/// A term's weight as a function of the visitor's answers: at 0 answers, per ln(1 + answers),
/// and per ln(1 + answers) past the late knot.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Slopes {
    at_zero: f32,
    per_log: f32,
    late: f32,
}

impl Slopes {
    fn add(&mut self, t: &crate::bundle::BlendTerm, late: bool) {
        if late {
            self.late += t.weight;
        } else {
            self.at_zero += t.weight;
            self.per_log += t.per_log_answer;
        }
    }

    fn at(&self, (log, late): (f32, f32)) -> f32 {
        self.at_zero + self.per_log * log + self.late * late
    }
}

/// A blend ready to rank with.
#[derive(Debug, Clone)]
pub struct BlendTable {
    /// The blend as the bundle states it.
    spec: Blend,
    /// Mean, implicit, seen, sd_item.
    named: [Slopes; 4],
    discovery_step: f32,
    /// Σ_j w_j x_jm of the `x:<j>` terms per film, one column per slope (at zero, per log,
    /// late); `None` when the blend has no such term.
    films: Option<[Vec<f32>; 3]>,
}

impl BlendTable {
    /// `features` is every film's F item features (n × F); the bundle's validation has
    /// checked that every term is known.
    pub fn new(blend: &Blend, features: ArrayView2<'_, f32>) -> BlendTable {
        let mut named = [Slopes::default(); 4];
        let n = features.nrows();
        let mut films: Option<[Vec<f32>; 3]> = None;
        for t in &blend.terms {
            let (base, late) = Blend::late_base(&t.name);
            match crate::bundle::BLEND_TERMS
                .iter()
                .position(|&name| name == base)
            {
                Some(j) => named[j].add(t, late),
                None => {
                    let Some(c) = Blend::feature_column(base) else {
                        continue;
                    };
                    if c >= features.ncols() {
                        continue;
                    }
                    let mut slopes = Slopes::default();
                    slopes.add(t, late);
                    let cols = films.get_or_insert_with(|| std::array::from_fn(|_| vec![0.0; n]));
                    for (i, &x) in features.column(c).iter().enumerate() {
                        cols[0][i] += slopes.at_zero * x;
                        cols[1][i] += slopes.per_log * x;
                        cols[2][i] += slopes.late * x;
                    }
                }
            }
        }
        BlendTable {
            spec: blend.clone(),
            named,
            discovery_step: blend.discovery_step,
            films,
        }
    }

    /// The blend as the bundle states it.
    pub fn spec(&self) -> &Blend {
        &self.spec
    }

    /// The weights for a visitor with `answers` answers and these knobs.
    pub fn weights(&self, answers: usize, popularity: f32, caution: f32) -> Weights {
        let bases = Blend::answer_bases(answers);
        let at = |j: usize| self.named[j].at(bases);
        Weights {
            mean: at(0),
            implicit: at(1),
            seen: at(2) + (popularity - DEFAULT_POPULARITY) * self.discovery_step,
            caution: -at(3) + (caution.max(0.0) - DEFAULT_CAUTION),
            log_answers: bases.0,
            late_answers: bases.1,
        }
    }

    /// Whether the blend has film-only item-feature terms.
    pub fn has_film_terms(&self) -> bool {
        self.films.is_some()
    }

    /// Film i's item-feature terms under `w`.
    #[inline]
    pub fn film_term(&self, w: &Weights, i: usize) -> f32 {
        match &self.films {
            Some([base, per, late]) => base[i] + per[i] * w.log_answers + late[i] * w.late_answers,
            None => 0.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::BlendTerm;
    use ndarray::array;

    fn term(name: &str, weight: f32, per_log_answer: f32) -> BlendTerm {
        BlendTerm {
            name: name.into(),
            weight,
            per_log_answer,
        }
    }

    #[test]
    fn a_late_slope_starts_at_the_knot_and_continues_the_weight() {
        use crate::bundle::LATE_KNOT;
        let blend = Blend {
            terms: vec![
                term("mean", 0.5, 0.1),
                term("late:mean", -0.25, 0.0),
                term("x:0", 1.0, 0.0),
                term("late:x:0", 2.0, 0.0),
            ],
            discovery_step: 0.3,
        };
        let t = BlendTable::new(&blend, array![[3.0f32], [-1.0]].view());
        let knot = (1.0 + LATE_KNOT as f32).ln();
        for n in [0, 1, 10, LATE_KNOT] {
            let w = t.weights(n, DEFAULT_POPULARITY, 1.0);
            let l = (1.0 + n as f32).ln();
            assert!(
                (w.mean - (0.5 + 0.1 * l)).abs() < 1e-6,
                "{n}: no late part yet"
            );
            assert_eq!(t.film_term(&w, 0), 3.0);
        }
        for n in [31, 100, 2000] {
            let w = t.weights(n, DEFAULT_POPULARITY, 1.0);
            let l = (1.0 + n as f32).ln();
            let expected = 0.5 + 0.1 * l - 0.25 * (l - knot);
            assert!(
                (w.mean - expected).abs() < 1e-5,
                "{n}: {} vs {expected}",
                w.mean
            );
            // Film 1 has x = −1: its film term is −(1 + 2·late).
            let x = -(1.0 + 2.0 * (l - knot));
            assert!((t.film_term(&w, 1) - x).abs() < 1e-5, "{n}");
        }
        // Continuous at the knot: one answer past it moves the weight by less than a slope.
        let (a, b) = (
            t.weights(LATE_KNOT, 2.0, 1.0),
            t.weights(LATE_KNOT + 1, 2.0, 1.0),
        );
        assert!((a.mean - b.mean).abs() < 0.01);
    }

    #[test]
    fn the_legacy_blend_is_the_old_score_at_any_knobs() {
        let t = BlendTable::new(&Blend::legacy(), array![[0.5f32], [1.0]].view());
        for (pop, caution) in [(2.0, 1.0), (0.0, 0.0), (3.0, 2.5), (-1.0, 1.0)] {
            let w = t.weights(17, pop, caution);
            assert_eq!((w.mean, w.implicit), (1.0, 0.0));
            assert_eq!((w.seen, w.caution), (pop, caution));
        }
        assert!(!t.has_film_terms());
    }

    #[test]
    fn weights_grow_with_answers_and_knobs_move_them_from_the_fitted_values() {
        let blend = Blend {
            terms: vec![
                term("mean", 0.5, 0.1),
                term("implicit", 3.0, -0.5),
                term("seen", 0.4, 0.0),
                term("sd_item", -2.0, 0.0),
                term("x:1", 0.25, 0.5),
            ],
            discovery_step: 0.3,
        };
        let t = BlendTable::new(&blend, array![[9.0f32, 2.0], [9.0, -4.0]].view());
        let w = t.weights(0, DEFAULT_POPULARITY, 1.0);
        assert_eq!(
            (w.mean, w.implicit, w.seen, w.caution),
            (0.5, 3.0, 0.4, 2.0)
        );
        assert_eq!((t.film_term(&w, 0), t.film_term(&w, 1)), (0.5, -1.0));
        let l = (1.0f32 + 9.0).ln();
        let w = t.weights(9, 0.0, 0.5);
        assert!((w.mean - (0.5 + 0.1 * l)).abs() < 1e-6);
        assert!((w.implicit - (3.0 - 0.5 * l)).abs() < 1e-6);
        assert!(
            (w.seen - (0.4 - 2.0 * 0.3)).abs() < 1e-6,
            "popularity 0 is less-known"
        );
        assert_eq!(
            w.caution, 1.5,
            "caution 0.5: half a unit less penalty than fitted"
        );
        assert!((t.film_term(&w, 0) - (0.5 + 1.0 * l)).abs() < 1e-6);
    }
}
