//! The movies most visitors have seen, for the "Rate movies you know" grid.

use moviematch::Model;

/// The `n` movies with the highest P(seen) logit ([`Model::most_seen`]), most likely first;
/// ties go to the lower index so the grid is the same on every visit.
pub fn most_seen(model: &Model, n: usize) -> Vec<usize> {
    model
        .most_seen()
        .iter()
        .take(n)
        .map(|&i| i as usize)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::fixture::random_bundle;

    #[test]
    fn most_seen_first_and_stable() {
        let model = Model::from_bundle(random_bundle(2, 100, 3, 60));
        let top = most_seen(&model, 10);
        assert_eq!(top.len(), 10);
        let pop = model.seen_logits();
        assert!(top.windows(2).all(|w| pop[w[0]] >= pop[w[1]]));
        let best = (0..100).map(|i| pop[i]).fold(f32::MIN, f32::max);
        assert_eq!(pop[top[0]], best);
        assert_eq!(most_seen(&model, 1000).len(), 100);
        assert!(most_seen(&model, 0).is_empty());
    }
}
