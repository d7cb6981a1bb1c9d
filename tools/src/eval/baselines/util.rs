//! Small shared pieces: ratings grouped by user or by item, and the rating scale.

use crate::data::csr::Csr;
use crate::data::movielens::Ratings;

/// Ratings grouped by a key (user or item): for each group, the other index and the value,
/// in the order the rows appear in the data (a CSR layout, 8 bytes a rating).
#[derive(Debug, Clone)]
pub(crate) struct Grouped {
    offsets: Vec<usize>,
    other: Vec<u32>,
    value: Vec<f32>,
}

impl Grouped {
    /// Groups rows by `keys` (values in `0..n`), keeping `others[r]` and `values[r]`.
    pub(crate) fn build(keys: &[u32], others: &[u32], values: &[f32], n: usize) -> Grouped {
        let csr = Csr::build(keys, n);
        let (offsets, rows) = csr.parts();
        let other = rows.iter().map(|&r| others[r as usize]).collect();
        let value = rows.iter().map(|&r| values[r as usize]).collect();
        let offsets = offsets.to_vec();
        Grouped {
            offsets,
            other,
            value,
        }
    }

    /// Ratings grouped by user: (item, value) per user.
    pub(crate) fn by_user(r: &Ratings) -> Grouped {
        Grouped::build(&r.user, &r.item, &r.value, r.n_users())
    }

    /// Ratings grouped by item: (user, value) per item.
    pub(crate) fn by_item(r: &Ratings) -> Grouped {
        Grouped::build(&r.item, &r.user, &r.value, r.n_items())
    }

    pub(crate) fn n_groups(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The other indices and values of group `g`.
    pub(crate) fn group(&self, g: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.offsets[g], self.offsets[g + 1]);
        (&self.other[a..b], &self.value[a..b])
    }
}

/// The observed rating range of the training data; rating predictions are clipped to it,
/// as the app clips its own.
pub(crate) fn rating_range(r: &Ratings) -> (f32, f32) {
    let lo = r.value.iter().copied().fold(f32::INFINITY, f32::min);
    let hi = r.value.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if lo.is_finite() && hi.is_finite() {
        (lo, hi)
    } else {
        (0.5, 5.0)
    }
}

/// Mean of the training ratings (3.5 on an empty set, MovieLens' midpoint-ish).
pub(crate) fn global_mean(r: &Ratings) -> f64 {
    if r.is_empty() {
        return 3.5;
    }
    r.value.iter().map(|&v| v as f64).sum::<f64>() / r.len() as f64
}

/// Ratings from a dense user × item matrix where 0 means "not rated" (tests).
#[cfg(test)]
pub(crate) fn ratings_from_dense<const N: usize>(rows: &[[f32; N]]) -> Ratings {
    let mut t = Vec::new();
    for (u, row) in rows.iter().enumerate() {
        for (i, &v) in row.iter().enumerate() {
            if v > 0.0 {
                t.push((u as u32, i as u32, v));
            }
        }
    }
    ratings_from(&t)
}

/// Tiny hand-made ratings for tests: (user, item, value) triples with dense indices.
#[cfg(test)]
pub(crate) fn ratings_from(triples: &[(u32, u32, f32)]) -> Ratings {
    let n_users = triples.iter().map(|t| t.0 + 1).max().unwrap_or(0);
    let n_items = triples.iter().map(|t| t.1 + 1).max().unwrap_or(0);
    Ratings {
        user: triples.iter().map(|t| t.0).collect(),
        item: triples.iter().map(|t| t.1).collect(),
        value: triples.iter().map(|t| t.2).collect(),
        time: vec![0; triples.len()],
        user_ids: (1..=n_users).collect(),
        item_ids: (1..=n_items).collect(),
    }
}

/// A user's training ratings as a history slice, for tests and fold-in checks.
#[cfg(test)]
pub(crate) fn history_of(r: &Ratings, u: u32) -> Vec<(u32, f32)> {
    (0..r.len())
        .filter(|&j| r.user[j] == u)
        .map(|j| (r.item[j], r.value[j]))
        .collect()
}
