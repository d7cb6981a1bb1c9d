//! The `n` best of a scored list, best first: the one implementation of "top n by score" in
//! the engine (and the app's popular grid).
//!
//! Why one function: every closure handed to `select_nth_unstable_by` or `sort_unstable_by` is
//! a new copy of std's selection and sorting code, kilobytes of wasm each (the app's wasm held
//! ~100 sort copies). Here the comparator is one named function, so all callers share a copy.

use std::cmp::Ordering;

/// Highest score first (by `total_cmp`, so a NaN sorts as the largest or smallest it is), ties
/// by the lower index.
pub fn best_first(a: &(f64, usize), b: &(f64, usize)) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Keeps the `n` best `(score, index)` pairs of `v` (see [`best_first`]), sorted best first.
pub fn keep_best(v: &mut Vec<(f64, usize)>, n: usize) {
    if n == 0 {
        v.clear();
        return;
    }
    if v.len() > n {
        v.select_nth_unstable_by(n - 1, best_first);
        v.truncate(n);
    }
    v.sort_unstable_by(best_first);
}

/// Sorts every pair of `v` best first (see [`best_first`]).
pub fn sort_best(v: &mut [(f64, usize)]) {
    v.sort_unstable_by(best_first);
}

/// `items` by their `scores`, best first, equal scores in their order (a stable descending
/// sort, through the one shared copy of the sort code).
pub fn in_best_order<T>(items: Vec<T>, scores: impl IntoIterator<Item = f64>) -> Vec<T> {
    let mut order: Vec<(f64, usize)> = scores
        .into_iter()
        .enumerate()
        .map(|(i, s)| (s, i))
        .collect();
    sort_best(&mut order);
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(_, i)| slots.get_mut(i)?.take())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Equal to sorting everything and taking the first `n`.
        #[test]
        fn keep_best_is_the_head_of_the_full_sort(
            scores in proptest::collection::vec(-3i32..3, 0..60),
            n in 0usize..70,
        ) {
            let v: Vec<(f64, usize)> = scores.iter().enumerate().map(|(i, &s)| (s as f64, i)).collect();
            let mut all = v.clone();
            all.sort_by(best_first);
            all.truncate(n);
            let mut kept = v;
            keep_best(&mut kept, n);
            prop_assert_eq!(kept, all);
        }

        /// The same order as a stable sort by descending score.
        #[test]
        fn in_best_order_is_a_stable_descending_sort(scores in proptest::collection::vec(-3i32..3, 0..60)) {
            let items: Vec<usize> = (0..scores.len()).collect();
            let mut want = items.clone();
            want.sort_by(|&a, &b| scores[b].cmp(&scores[a]));
            let got = in_best_order(items, scores.iter().map(|&s| s as f64));
            prop_assert_eq!(got, want);
        }
    }
}
