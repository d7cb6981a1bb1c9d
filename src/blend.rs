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
    /// ln(1 + answers): what the film-only column's per-answer part is multiplied by.
    pub log_answers: f32,
}

/// A blend ready to rank with.
#[derive(Debug, Clone)]
pub struct BlendTable {
    /// The blend as the bundle states it.
    spec: Blend,
    /// (weight, per ln(1 + answers)) of mean, implicit, seen, sd_item.
    named: [(f32, f32); 4],
    discovery_step: f32,
    /// Σ_j weight_j x_jm and Σ_j per_log_answer_j x_jm over the `x:<j>` terms, per film;
    /// `None` when the blend has no such term.
    films: Option<(Vec<f32>, Vec<f32>)>,
}

impl BlendTable {
    /// `features` is every film's F item features (n × F); the bundle's validation has
    /// checked that every term is known.
    pub fn new(blend: &Blend, features: ArrayView2<'_, f32>) -> BlendTable {
        let mut named = [(0f32, 0f32); 4];
        let n = features.nrows();
        let mut films: Option<(Vec<f32>, Vec<f32>)> = None;
        for t in &blend.terms {
            match crate::bundle::BLEND_TERMS
                .iter()
                .position(|&name| name == t.name)
            {
                Some(j) => {
                    named[j].0 += t.weight;
                    named[j].1 += t.per_log_answer;
                }
                None => {
                    let Some(c) = Blend::feature_column(&t.name) else {
                        continue;
                    };
                    if c >= features.ncols() {
                        continue;
                    }
                    let (base, per) = films.get_or_insert_with(|| (vec![0.0; n], vec![0.0; n]));
                    for (i, &x) in features.column(c).iter().enumerate() {
                        base[i] += t.weight * x;
                        per[i] += t.per_log_answer * x;
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
        let l = (1.0 + answers as f32).ln();
        let at = |j: usize| self.named[j].0 + self.named[j].1 * l;
        Weights {
            mean: at(0),
            implicit: at(1),
            seen: at(2) + (popularity - DEFAULT_POPULARITY) * self.discovery_step,
            caution: -at(3) + (caution.max(0.0) - DEFAULT_CAUTION),
            log_answers: l,
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
            Some((base, per)) => base[i] + per[i] * w.log_answers,
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
