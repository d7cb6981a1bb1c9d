//! The implicit model: what people like this visitor *watch*, from who rated what (the bundle's
//! [`ImplicitParams`], fitted by `tools train` as iALS). The explicit model predicts how much a
//! visitor would like a film they watch; this one predicts which films they would watch at all,
//! which is what makes two people's lists differ.
//!
//! A visitor's taste u is the iALS user step on their own signals (see [`Signal`]):
//!
//! ```text
//! u = argmin Σ_s c_s (uᵀh_s − y_s)² + α₀ Σ_all (uᵀh_i)² + λ (n₊ + α₀ n_items)^ν |u|²
//! ```
//!
//! (n₊ the signals with y = 1), one K×K solve with the stored Gramian standing in for Σ_all.
//! [`solve_taste`] is that solve on plain rows, shared with the trainer's user step, so the
//! engine folds a visitor in exactly as training fitted its users. A film's score is uᵀh_m with
//! h_m = A·[x_m; 1] + ρ_m: the same layout as the explicit factors, so the same int8 [`Scorer`]
//! scores the whole catalogue in one pass with an error bound.

use ndarray::{Array1, Array2, ArrayView2};

use crate::bundle::{dequantize_row, ImplicitParams};
use moviematch_math::linalg::{cho_solve, cholesky, NotPositiveDefinite};
use moviematch_math::score::{ApproxMeans, Residuals, Scorer};

/// Confidence of "watched" (a rating, an answered comparison): the trainer's weight of an
/// observed (user, film) pair.
pub const WATCHED: f64 = 1.0;
/// Confidence of interest without watching (a like, a save): a positive, weaker than watched.
pub const INTEREST: f64 = 0.5;
/// Confidence of "haven't seen": an explicit negative on top of every unwatched film's α₀.
pub const UNSEEN: f64 = 1.0;

/// One thing the visitor's events say about a film, for the implicit model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Signal {
    /// Catalogue index.
    pub item: usize,
    /// 1: watched or wanted; 0: not seen.
    pub target: f64,
    /// The weight c of the pair.
    pub confidence: f64,
}

impl Signal {
    /// "Watched it": what a rating or an answered comparison says.
    pub fn watched(item: usize) -> Signal {
        Signal {
            item,
            target: 1.0,
            confidence: WATCHED,
        }
    }
}

/// The iALS user step: u solving (Σ c h hᵀ + α₀ G + λ (n₊ + α₀ n_items)^ν I) u = Σ c y h over
/// `rows` = (h, y, c). Shared by the engine's fold-in and the trainer's user step.
pub fn solve_taste<'a>(
    gramian: &Array2<f64>,
    params: &TasteParams,
    rows: impl IntoIterator<Item = (&'a [f64], f64, f64)>,
) -> Result<Array1<f64>, NotPositiveDefinite> {
    solve_taste_factored(gramian, params, rows).map(|(u, _)| u)
}

/// [`solve_taste`], also giving the Cholesky factor of the system's matrix M (what splits a
/// score into each signal's share, see [`ImplicitTaste::contributions`]).
fn solve_taste_factored<'a>(
    gramian: &Array2<f64>,
    params: &TasteParams,
    rows: impl IntoIterator<Item = (&'a [f64], f64, f64)>,
) -> Result<(Array1<f64>, Array2<f64>), NotPositiveDefinite> {
    let k = gramian.nrows();
    let mut a = gramian * params.unobserved_weight;
    let mut b = Array1::<f64>::zeros(k);
    let mut positives = 0usize;
    for (h, y, c) in rows {
        debug_assert_eq!(h.len(), k);
        for i in 0..k {
            let ch = c * h[i];
            b[i] += ch * y;
            for j in 0..=i {
                a[[i, j]] += ch * h[j];
            }
        }
        positives += (y > 0.0) as usize;
    }
    let reg = params.regulariser(positives);
    for i in 0..k {
        a[[i, i]] += reg;
    }
    let l = cholesky(&a)?;
    let u = cho_solve(&l, b.view());
    Ok((u, l))
}

/// The numbers of the user step besides the Gramian.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TasteParams {
    /// α₀.
    pub unobserved_weight: f64,
    /// λ.
    pub reg: f64,
    /// ν.
    pub reg_exponent: f64,
    /// Films the Gramian sums over.
    pub n_items: f64,
}

impl TasteParams {
    /// λ (n₊ + α₀ n_items)^ν for a user with `positives` watched films.
    pub fn regulariser(&self, positives: usize) -> f64 {
        self.reg
            * (positives as f64 + self.unobserved_weight * self.n_items).powf(self.reg_exponent)
    }
}

/// The implicit model's films, ready to fold visitors in and score the catalogue.
#[derive(Debug, Clone)]
pub struct ImplicitItems {
    k: usize,
    f: usize,
    params: TasteParams,
    gramian: Array2<f64>,
    /// A, K × (F+1), row-major.
    content: Vec<f32>,
    content_var: Vec<f32>,
    /// Row of each film in `trained`, `u32::MAX` for a film placed by its features alone.
    residual_of: Vec<u32>,
    /// h = A·[x; 1] + ρ (ρ dequantized, as the scorer's own codes give it) of every film with
    /// training data, K each: read by every fold-in, question and reason, and scanned whole
    /// for a film's nearest neighbours.
    trained: Vec<f32>,
    /// The catalogue index and the norm |h| of each row of `trained`: a neighbour scan reads
    /// only these 9.7k rows, never all 62.7k films, and never recomputes a norm.
    trained_items: Vec<u32>,
    trained_norms: Vec<f64>,
    scorer: Scorer,
    zeros: Vec<f32>,
}

/// A visitor's implicit taste u, and what it was fitted from.
#[derive(Debug, Clone, PartialEq)]
pub struct ImplicitTaste {
    pub u: Array1<f64>,
    /// Signals the fit used (films the catalogue knows).
    pub n_signals: usize,
    /// The signals' factors h_s, weights c_s·y_s, and the Cholesky factor of M: u = M⁻¹ Σ
    /// c_s y_s h_s, so a film's score splits exactly into one share per signal.
    rows: Vec<(Vec<f64>, f64)>,
    chol: Array2<f64>,
    /// The films the signals are about, sorted: a film already told about says nothing new
    /// when a question asks about it again ([`ImplicitTaste::told`]).
    told: Vec<usize>,
}

impl ImplicitTaste {
    /// Each signal's exact share of the score of a film with factors `h` (in the order of the
    /// signals fitted): c_s y_s h_sᵀM⁻¹h. They sum to uᵀh.
    pub fn contributions(&self, h: &[f64]) -> Vec<f64> {
        let v = cho_solve(&self.chol, ndarray::ArrayView1::from(h));
        self.rows
            .iter()
            .map(|(hs, cy)| cy * hs.iter().zip(&v).map(|(a, b)| a * b).sum::<f64>())
            .collect()
    }

    /// How u would move if the visitor said they watched a film with factors `h`: the
    /// Sherman–Morrison update M⁻¹h (1 − hᵀu)/(1 + hᵀM⁻¹h) (the regulariser's count of
    /// positives held fixed). What a question's answer would do to the implicit scores.
    pub fn shift_if_watched(&self, h: &[f64]) -> Vec<f64> {
        let v = cho_solve(&self.chol, ndarray::ArrayView1::from(h));
        let hu: f64 = h.iter().zip(&self.u).map(|(a, b)| a * b).sum();
        let hv: f64 = h.iter().zip(&v).map(|(a, b)| a * b).sum();
        let f = WATCHED * (1.0 - hu) / (1.0 + WATCHED * hv);
        v.iter().map(|x| x * f).collect()
    }

    /// Whether the visitor already told about `item` (any signal): answering a question about
    /// it again adds no "watched" (one signal per film, see `session::implicit_signals`), so
    /// it does not move u.
    pub fn told(&self, item: usize) -> bool {
        self.told.binary_search(&item).is_ok()
    }

    /// The factors of the j-th signal's film.
    pub fn signal_factors(&self, j: usize) -> &[f64] {
        &self.rows[j].0
    }
}

/// The cosine of two factor vectors (0 when either is zero).
pub fn cosine(a: &[f64], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f64 = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb: f64 = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    if na > 0.0 && nb > 0.0 {
        dot / (na * nb)
    } else {
        0.0
    }
}

impl ImplicitItems {
    /// Builds the implicit side of a model from the bundle's parameters and every film's F
    /// features (n × F, as the explicit model computes them).
    pub fn new(p: &ImplicitParams, features: ArrayView2<'_, f32>) -> ImplicitItems {
        let k = p.k as usize;
        let (n, f) = features.dim();
        let mut residual_of = vec![u32::MAX; n];
        for (j, &row) in p.residual_rows.iter().enumerate() {
            residual_of[row as usize] = j as u32;
        }
        let mut trained = vec![0f32; p.residual_rows.len() * k];
        for (j, out) in trained.chunks_exact_mut(k).enumerate() {
            dequantize_row(&p.residual_q[j * k..(j + 1) * k], p.residual_scale[j], out);
            let x = features.row(p.residual_rows[j] as usize);
            for (d, o) in out.iter_mut().enumerate() {
                let a = &p.content[d * (f + 1)..(d + 1) * (f + 1)];
                let prior: f64 = a[..f]
                    .iter()
                    .zip(x.iter())
                    .map(|(&a, &x)| a as f64 * x as f64)
                    .sum::<f64>()
                    + a[f] as f64;
                *o = (prior + *o as f64) as f32;
            }
        }
        let scorer = Scorer::new(
            features,
            k,
            &p.content,
            Residuals {
                items: &p.residual_rows,
                codes: &p.residual_q,
                scales: &p.residual_scale,
            },
        );
        ImplicitItems {
            k,
            f,
            params: TasteParams {
                unobserved_weight: p.unobserved_weight as f64,
                reg: p.reg as f64,
                reg_exponent: p.reg_exponent as f64,
                n_items: p.n_items as f64,
            },
            gramian: Array2::from_shape_fn((k, k), |(i, j)| p.gramian[i * k + j] as f64),
            content: p.content.clone(),
            content_var: p.content_var.clone(),
            residual_of,
            trained_norms: trained
                .chunks_exact(k.max(1))
                .map(|row| row.iter().map(|&r| r as f64 * r as f64).sum::<f64>().sqrt())
                .collect(),
            trained_items: p.residual_rows.clone(),
            trained,
            scorer,
            zeros: vec![0.0; n],
        }
    }

    /// Number of factors.
    pub fn k(&self) -> usize {
        self.k
    }

    /// Whether film `item` had training ratings (otherwise its factors come from its features).
    pub fn is_trained(&self, item: usize) -> bool {
        self.residual_of[item] != u32::MAX
    }

    /// h_m = A·[x_m; 1] + ρ_m, given the film's content row [x_m; 1] (F+1 values; read only
    /// for a film without training data).
    pub fn factors(&self, item: usize, content_row: &[f32]) -> Vec<f64> {
        if let Some(h) = self.trained_row(item) {
            return h.iter().map(|&v| v as f64).collect();
        }
        debug_assert_eq!(content_row.len(), self.f + 1);
        self.content
            .chunks_exact(self.f + 1)
            .map(|a| {
                a.iter()
                    .zip(content_row)
                    .map(|(&a, &x)| a as f64 * x as f64)
                    .sum()
            })
            .collect()
    }

    fn trained_row(&self, item: usize) -> Option<&[f32]> {
        let j = self.residual_of[item];
        (j != u32::MAX).then(|| &self.trained[j as usize * self.k..(j as usize + 1) * self.k])
    }

    /// The visitor's taste from their signals; `content_row(i)` is film i's [x_i; 1]. Signals
    /// about one film add up (the caller gives each film once per kind of signal).
    pub fn fit<'m>(
        &self,
        signals: &[Signal],
        content_row: impl Fn(usize) -> &'m [f32],
    ) -> Result<ImplicitTaste, NotPositiveDefinite> {
        let rows: Vec<(Vec<f64>, f64, f64)> = signals
            .iter()
            .map(|s| {
                (
                    self.factors(s.item, content_row(s.item)),
                    s.target,
                    s.confidence,
                )
            })
            .collect();
        let (u, chol) = solve_taste_factored(
            &self.gramian,
            &self.params,
            rows.iter().map(|(h, y, c)| (h.as_slice(), *y, *c)),
        )?;
        let mut told: Vec<usize> = signals.iter().map(|s| s.item).collect();
        told.sort_unstable();
        Ok(ImplicitTaste {
            u,
            n_signals: signals.len(),
            rows: rows.into_iter().map(|(h, y, c)| (h, y * c)).collect(),
            chol,
            told,
        })
    }

    /// Approximate uᵀh_m for every film, with one bound on all their errors (one pass of the
    /// int8 kernel).
    pub fn scores(&self, taste: &ImplicitTaste) -> ApproxMeans {
        let mut z = vec![0f64; self.k + self.f + 1];
        z[..self.k].copy_from_slice(taste.u.as_slice().expect("contiguous"));
        self.scorer.means(&self.zeros, &z)
    }

    /// The exact uᵀh_m.
    pub fn score(&self, taste: &ImplicitTaste, item: usize, content_row: &[f32]) -> f64 {
        self.factors(item, content_row)
            .iter()
            .zip(&taste.u)
            .map(|(h, u)| h * u)
            .sum()
    }

    /// The films with training data whose factors are closest to `h` by cosine, best first
    /// (`n` of them): a film's nearest neighbours in who-watches-what.
    pub fn neighbours(&self, h: &[f64], n: usize) -> Vec<(usize, f64)> {
        let norm = h.iter().map(|x| x * x).sum::<f64>().sqrt();
        let mut all: Vec<(f64, usize)> = self
            .trained
            .chunks_exact(self.k.max(1))
            .zip(&self.trained_items)
            .zip(&self.trained_norms)
            .map(|((row, &i), &nn)| {
                // Four running sums: independent additions the CPU (and wasm SIMD) overlap.
                let mut acc = [0f64; 4];
                let (rows, hs) = (row.chunks_exact(4), h.chunks_exact(4));
                let tail: f64 = rows
                    .remainder()
                    .iter()
                    .zip(hs.remainder())
                    .map(|(&r, &x)| r as f64 * x)
                    .sum();
                for (r, x) in rows.zip(hs) {
                    for l in 0..4 {
                        acc[l] += r[l] as f64 * x[l];
                    }
                }
                let dot = acc[0] + acc[1] + acc[2] + acc[3] + tail;
                let c = if nn > 0.0 && norm > 0.0 {
                    dot / (nn * norm)
                } else {
                    0.0
                };
                (c, i as usize)
            })
            .collect();
        moviematch_math::top::keep_best(&mut all, n);
        all.into_iter().map(|(c, i)| (i, c)).collect()
    }

    /// The standard deviation of uᵀh_m from not knowing ρ_m: √(Σ u_d² Var ρ_d) for a film
    /// placed by its features alone, 0 for a trained one.
    pub fn score_sd(&self, taste: &ImplicitTaste, item: usize) -> f64 {
        if self.is_trained(item) {
            return 0.0;
        }
        taste
            .u
            .iter()
            .zip(&self.content_var)
            .map(|(u, &v)| u * u * v as f64)
            .sum::<f64>()
            .sqrt()
    }
}

#[cfg(test)]
mod tests;
