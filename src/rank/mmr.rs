//! The greedy re-ranking of a scored pool: maximal-marginal-relevance diversity and the genre
//! distance ([`super::genre`]), alone or together, one film at a time.

use super::genre::{split, GenreMix, SCALE};
use crate::model::Model;

/// Maximal marginal relevance: from `ranked` (best first), picks `n` one at a time, each the
/// candidate maximising score − d·max cos(β_candidate, β_picked). The first pick is always the
/// best-scored movie; with d = 0 the order is unchanged. It is [`rerank`] without a genre mix.
pub fn diversify_mmr(
    model: &Model,
    ranked: Vec<(f32, usize)>,
    n: usize,
    d: f32,
) -> Vec<(f32, usize)> {
    rerank(model, ranked, n, None, 0.0, d)
}

/// Each ranked film's explicit factor vector scaled to length 1 (MMR's similarity is their
/// cosine; the genre re-rank's diversity term uses the same).
fn unit_factors(model: &Model, ranked: &[(f32, usize)]) -> Vec<Vec<f32>> {
    let k = model.k();
    ranked
        .iter()
        .map(|&(_, i)| {
            let b = model.design().row(i);
            let b = &b.as_slice().expect("standard layout")[..k];
            let norm = b.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
            b.iter().map(|v| v / norm).collect()
        })
        .collect()
}

/// Picks `n` of `ranked` (the pool, best score first) one at a time, each maximising value_j
/// (see [`super::genre`]'s module doc) under the knob `knob` and MMR's `diversity` (≤ 0: none); each with its
/// own score. Without a mix it is MMR alone ([`diversify_mmr`]).
pub fn rerank(
    model: &Model,
    ranked: Vec<(f32, usize)>,
    n: usize,
    mix: Option<&GenreMix>,
    knob: f32,
    diversity: f32,
) -> Vec<(f32, usize)> {
    let (Some(best), Some(worst)) = (ranked.first(), ranked.last()) else {
        return ranked;
    };
    let step = knob * SCALE * (best.0 - worst.0);
    let q: Vec<[f32; 32]> = match mix {
        Some(_) => ranked
            .iter()
            .map(|&(_, i)| split(model.movie(i).genres))
            .collect(),
        None => Vec::new(),
    };
    // MMR's unit factor vectors, only when diversity asks.
    let diversify = diversity > 0.0;
    let unit: Vec<Vec<f32>> = if diversify {
        unit_factors(model, &ranked)
    } else {
        Vec::new()
    };
    let mut max_sim = vec![f32::NEG_INFINITY; ranked.len()];
    let mut taken = vec![false; ranked.len()];
    let mut listed = [0f32; 32];
    let n = n.min(ranked.len());
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let films = out.len() as f32 + 1.0;
        let genre_term = |j: usize| match mix {
            Some(mix) => {
                let t: f32 = (0..32)
                    .map(|g| (listed[g] + q[j][g] - films * mix.share[g]).abs())
                    .sum();
                step * 0.5 * t
            }
            None => 0.0,
        };
        let value =
            |j: usize| ranked[j].0 + genre_term(j) - diversity.max(0.0) * max_sim[j].max(0.0);
        let Some((_, pick)) = (0..ranked.len())
            .filter(|&j| !taken[j])
            .map(|j| (value(j), j))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
        else {
            break;
        };
        taken[pick] = true;
        out.push(ranked[pick]);
        if let Some(q) = q.get(pick) {
            for (l, v) in listed.iter_mut().zip(q) {
                *l += v;
            }
        }
        if diversify {
            for j in 0..ranked.len() {
                if !taken[j] {
                    let sim: f32 = unit[j].iter().zip(&unit[pick]).map(|(a, b)| a * b).sum();
                    max_sim[j] = max_sim[j].max(sim);
                }
            }
        }
    }
    out
}
