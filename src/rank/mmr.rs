//! Diversity: maximal-marginal-relevance re-ranking of a scored list.

use crate::model::Model;

/// Maximal marginal relevance: from `ranked` (best first), picks `n` one at a time, each the
/// candidate maximising score − d·max cos(β_candidate, β_picked). The first pick is always the
/// best-scored movie; with d = 0 the order is unchanged.
pub fn diversify_mmr(
    model: &Model,
    ranked: Vec<(f32, usize)>,
    n: usize,
    d: f32,
) -> Vec<(f32, usize)> {
    let unit = unit_factors(model, &ranked);
    let mut max_sim = vec![f32::NEG_INFINITY; ranked.len()];
    let mut taken = vec![false; ranked.len()];
    let mut out = Vec::with_capacity(n.min(ranked.len()));
    while out.len() < n.min(ranked.len()) {
        let value = |j: usize| ranked[j].0 - d * max_sim[j].max(0.0);
        let Some(best) = (0..ranked.len())
            .filter(|&j| !taken[j])
            .max_by(|&a, &b| value(a).total_cmp(&value(b)).then(b.cmp(&a)))
        else {
            break;
        };
        taken[best] = true;
        out.push(ranked[best]);
        for j in 0..ranked.len() {
            if !taken[j] {
                let sim: f32 = unit[j].iter().zip(&unit[best]).map(|(a, b)| a * b).sum();
                max_sim[j] = max_sim[j].max(sim);
            }
        }
    }
    out
}

/// Each ranked film's explicit factor vector scaled to length 1 (MMR's similarity is their
/// cosine; the genre re-rank's diversity term uses the same).
pub(super) fn unit_factors(model: &Model, ranked: &[(f32, usize)]) -> Vec<Vec<f32>> {
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
