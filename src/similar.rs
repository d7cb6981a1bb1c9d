//! "More like this": a film's nearest films by the two models' item similarities, merged.
//!
//! - By the explicit model: cosine of the item factors β (who rates what alike). A film with
//!   ratings in the training data has its fitted β; a film without has its content prior
//!   G·[x; 1] (its genres, year and IMDb figures), and its neighbours then come from that.
//! - By the implicit model: cosine of the implicit factors h (who watches what), the same
//!   similarity the reasons use ([`ImplicitItems::neighbours`]).
//!
//! Candidates are films with training data (the ones either model knows from people); the two
//! lists are merged by rank (first of each, then second of each, …). The session re-ranks
//! them for the visitor ([`crate::session::Visitor::similar`]).

use crate::implicit::ImplicitItems;
use crate::model::Model;
use moviematch_math::top::keep_best;

/// Nearest films by each model.
pub const PER_MODEL: usize = 50;

/// A film's neighbours, best first.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbours {
    /// Both lists merged by rank, each film once, the film itself never.
    pub merged: Vec<usize>,
    /// The film has no ratings in the training data: its neighbours come from its content
    /// prior (features), not from people who rated or watched it.
    pub from_content_prior: bool,
}

/// Whether film `i` had ratings in the training data (its factors were fitted to people).
pub fn has_training_data(model: &Model, i: usize) -> bool {
    model.movie(i).ml_count > 0
}

/// The [`PER_MODEL`] nearest films to `item` by each model, merged by rank.
pub fn neighbours(model: &Model, item: usize) -> Neighbours {
    let explicit = explicit_neighbours(model, item, PER_MODEL + 1);
    let implicit = model
        .implicit()
        .map(|imp| implicit_neighbours(imp, model, item, PER_MODEL + 1))
        .unwrap_or_default();
    let mut merged = Vec::with_capacity(2 * PER_MODEL);
    let (mut a, mut b) = (explicit.into_iter(), implicit.into_iter());
    loop {
        let (x, y) = (a.next(), b.next());
        if x.is_none() && y.is_none() {
            break;
        }
        for i in [x, y].into_iter().flatten() {
            if i != item && !merged.contains(&i) {
                merged.push(i);
            }
        }
    }
    Neighbours {
        merged,
        from_content_prior: !has_training_data(model, item),
    }
}

/// Films with training data by the cosine of their β with `item`'s, best first.
fn explicit_neighbours(model: &Model, item: usize, n: usize) -> Vec<usize> {
    let k = model.k();
    let x = model.design();
    let beta = |i: usize| &x.row(i).to_slice().expect("standard layout")[..k];
    let norm = |v: &[f32]| v.iter().map(|&a| a as f64 * a as f64).sum::<f64>().sqrt();
    let target = beta(item);
    let target_norm = norm(target);
    let mut scored: Vec<(f64, usize)> = (0..model.len())
        .filter(|&i| has_training_data(model, i))
        .map(|i| {
            let b = beta(i);
            let dot: f64 = b
                .iter()
                .zip(target)
                .map(|(&p, &q)| p as f64 * q as f64)
                .sum();
            let denom = norm(b) * target_norm;
            (if denom > 0.0 { dot / denom } else { 0.0 }, i)
        })
        .collect();
    keep_best(&mut scored, n);
    scored.into_iter().map(|(_, i)| i).collect()
}

/// Trained films by the cosine of their implicit factors with `item`'s, best first.
fn implicit_neighbours(imp: &ImplicitItems, model: &Model, item: usize, n: usize) -> Vec<usize> {
    let h = imp.factors(item, model.content_row(item));
    imp.neighbours(&h, n).into_iter().map(|(i, _)| i).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::random_bundle;

    #[test]
    fn neighbours_are_merged_by_rank_without_the_film_itself() {
        let model = Model::from_bundle(random_bundle(3, 300, 4, 200));
        let item = (0..model.len())
            .find(|&i| has_training_data(&model, i))
            .unwrap();
        let n = neighbours(&model, item);
        assert!(!n.from_content_prior);
        assert!(!n.merged.contains(&item));
        let mut unique = n.merged.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), n.merged.len(), "each film once");
        assert!(n.merged.len() >= PER_MODEL && n.merged.len() <= 2 * PER_MODEL);
        // The first two are each model's nearest film (when they differ).
        let e = explicit_neighbours(&model, item, 2);
        let i = implicit_neighbours(model.implicit().unwrap(), &model, item, 2);
        let first_e = e.into_iter().find(|&j| j != item).unwrap();
        let first_i = i.into_iter().find(|&j| j != item).unwrap();
        assert_eq!(n.merged[0], first_e);
        if first_i != first_e {
            assert_eq!(n.merged[1], first_i);
        }
        // Every candidate has training data.
        assert!(n.merged.iter().all(|&j| has_training_data(&model, j)));
    }

    /// The explicit neighbours are the films of largest factor cosine, checked by brute force.
    #[test]
    fn explicit_neighbours_have_the_largest_cosine() {
        let model = Model::from_bundle(random_bundle(8, 200, 4, 150));
        let k = model.k();
        let beta = |i: usize| model.design().row(i).to_vec()[..k].to_vec();
        let cos = |a: &[f32], b: &[f32]| {
            let d: f64 = a.iter().zip(b).map(|(&x, &y)| x as f64 * y as f64).sum();
            let n = |v: &[f32]| v.iter().map(|&x| x as f64 * x as f64).sum::<f64>().sqrt();
            d / (n(a) * n(b))
        };
        let item = 5;
        let got = explicit_neighbours(&model, item, 10);
        let mut all: Vec<(f64, usize)> = (0..model.len())
            .filter(|&i| has_training_data(&model, i))
            .map(|i| (cos(&beta(i), &beta(item)), i))
            .collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let want: Vec<usize> = all.into_iter().take(10).map(|x| x.1).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_film_without_ratings_gets_neighbours_from_its_content_prior() {
        let model = Model::from_bundle(random_bundle(3, 300, 4, 200));
        let item = (0..model.len())
            .find(|&i| !has_training_data(&model, i))
            .expect("the fixture has films without ratings");
        let n = neighbours(&model, item);
        assert!(n.from_content_prior);
        assert!(!n.merged.is_empty());
    }
}
