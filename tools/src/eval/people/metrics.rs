//! The people protocol's metrics, as plain functions of a ranked list and the liked films:
//! recall, inverse-propensity recall and NDCG at 100 with the ideal capped at the list length,
//! a hit in the top 20, the overlap of people's top 20s, the genre distance of the top 20 from
//! the films the person liked, and per-person Spearman (reused from [`crate::eval::metrics`]).

use std::collections::HashSet;
use std::hash::Hash;

use serde::Serialize;

use crate::eval::metrics::{ndcg_at, spearman, SPEARMAN_MIN};

/// Length of the list recall, ips-recall and NDCG are measured on.
pub const TOP: usize = 100;
/// Length of the list hit and overlap are measured on.
pub const HIT_AT: usize = 20;

/// Liked films among the first `k` of `ranked` / min(liked, k); `None` without liked films.
pub fn recall_capped<T: Eq + Hash>(ranked: &[T], liked: &HashSet<T>, k: usize) -> Option<f64> {
    (!liked.is_empty()).then(|| {
        let hits = ranked.iter().take(k).filter(|i| liked.contains(i)).count();
        hits as f64 / liked.len().min(k) as f64
    })
}

/// Inverse-propensity recall: Σ over hits in the first `k` of w / the sum of the min(liked, k)
/// largest w among the liked films, where `weight` gives w; `None` without liked films.
pub fn ips_recall<T: Eq + Hash>(
    ranked: &[T],
    liked: &HashSet<T>,
    k: usize,
    weight: impl Fn(&T) -> f64,
) -> Option<f64> {
    (!liked.is_empty()).then(|| {
        let hit: f64 = ranked
            .iter()
            .take(k)
            .filter(|i| liked.contains(i))
            .map(&weight)
            .sum();
        let mut w: Vec<f64> = liked.iter().map(&weight).collect();
        w.sort_by(|a, b| b.total_cmp(a));
        let ideal: f64 = w.iter().take(k).sum();
        if ideal > 0.0 {
            // At most k hits, each among the liked: ≤ 1 but for rounding.
            (hit / ideal).min(1.0)
        } else {
            0.0
        }
    })
}

/// w = 1/√(votes + 1): a film few people know counts for more.
pub fn propensity_weight(votes: u32) -> f64 {
    1.0 / (votes as f64 + 1.0).sqrt()
}

/// NDCG over the first `k` with binary gains, 1/log₂(rank + 1), the ideal over min(liked, k).
pub fn ndcg_capped(ranked: &[usize], liked: &HashSet<usize>, k: usize) -> Option<f64> {
    ndcg_at(ranked, liked, k)
}

/// Whether a liked film is among the first `k`.
pub fn hit<T: Eq + Hash>(ranked: &[T], liked: &HashSet<T>, k: usize) -> bool {
    ranked.iter().take(k).any(|i| liked.contains(i))
}

/// The mean over all unordered pairs of lists of |A∩B| / |A∪B| of their first `k`; `None`
/// with fewer than two lists.
pub fn overlap<T: Eq + Hash + Copy>(lists: &[Vec<T>], k: usize) -> Option<f64> {
    let sets: Vec<HashSet<T>> = lists
        .iter()
        .map(|l| l.iter().take(k).copied().collect())
        .collect();
    let mut sum = 0.0;
    let mut pairs = 0usize;
    for a in 0..sets.len() {
        for b in a + 1..sets.len() {
            let inter = sets[a].intersection(&sets[b]).count();
            let union = sets[a].union(&sets[b]).count();
            sum += if union == 0 {
                0.0
            } else {
                inter as f64 / union as f64
            };
            pairs += 1;
        }
    }
    (pairs > 0).then(|| sum / pairs as f64)
}

/// The genre mix of films given by their genre bitmasks: each film's weight 1 split equally
/// among its genres, summed, divided by the number of films (films without a genre count
/// nothing); `None` when no film has a genre.
pub fn genre_mix(films: impl IntoIterator<Item = u32>) -> Option<[f64; 32]> {
    let mut mix = [0.0; 32];
    let mut n = 0usize;
    for genres in films.into_iter().filter(|&g| g != 0) {
        let share = 1.0 / genres.count_ones() as f64;
        for (g, m) in mix.iter_mut().enumerate() {
            if genres & (1 << g) != 0 {
                *m += share;
            }
        }
        n += 1;
    }
    (n > 0).then(|| mix.map(|m| m / n as f64))
}

/// Total-variation distance of two mixes: ½ Σ|p − q|, 0 (alike) to 1 (no genre in common).
pub fn total_variation(p: &[f64; 32], q: &[f64; 32]) -> f64 {
    0.5 * p.iter().zip(q).map(|(a, b)| (a - b).abs()).sum::<f64>()
}

/// Spearman of (predicted, rating) pairs; `None` with fewer than [`SPEARMAN_MIN`] or when a
/// side is constant.
pub fn spearman_user(pairs: &[(f64, f64)]) -> Option<f64> {
    (pairs.len() >= SPEARMAN_MIN)
        .then(|| spearman(pairs))
        .flatten()
}

/// One person's figures for one model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PersonScore {
    #[serde(rename = "recall@100")]
    pub recall: f64,
    #[serde(rename = "ips_recall@100")]
    pub ips_recall: f64,
    #[serde(rename = "ndcg@100")]
    pub ndcg: f64,
    #[serde(rename = "hit@20")]
    pub hit: f64,
    pub spearman_user: Option<f64>,
    /// Total variation between the genre mix of the training films the person liked and that
    /// of the list's top 20 (see [`genre_mix`]); `None` when either has no genre.
    #[serde(rename = "genre_tv@20")]
    pub genre_tv: Option<f64>,
}

/// A model's figures: macro means over the evaluated people.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelRow {
    pub name: String,
    #[serde(rename = "recall@100")]
    pub recall: Option<f64>,
    #[serde(rename = "ips_recall@100")]
    pub ips_recall: Option<f64>,
    #[serde(rename = "ndcg@100")]
    pub ndcg: Option<f64>,
    #[serde(rename = "hit@20")]
    pub hit: Option<f64>,
    #[serde(rename = "overlap@20")]
    pub overlap: Option<f64>,
    pub spearman_user: Option<f64>,
    #[serde(rename = "genre_tv@20")]
    pub genre_tv: Option<f64>,
}

/// The mean of the values present; `None` without any.
pub fn mean(v: impl IntoIterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = v.into_iter().flatten().collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// A model's row from its people's scores and top lists.
pub fn combine(name: &str, scores: &[PersonScore], lists: &[Vec<usize>]) -> ModelRow {
    ModelRow {
        name: name.to_string(),
        recall: mean(scores.iter().map(|s| Some(s.recall))),
        ips_recall: mean(scores.iter().map(|s| Some(s.ips_recall))),
        ndcg: mean(scores.iter().map(|s| Some(s.ndcg))),
        hit: mean(scores.iter().map(|s| Some(s.hit))),
        overlap: overlap(lists, HIT_AT),
        spearman_user: mean(scores.iter().map(|s| s.spearman_user)),
        genre_tv: mean(scores.iter().map(|s| s.genre_tv)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn set(v: &[usize]) -> HashSet<usize> {
        v.iter().copied().collect()
    }

    #[test]
    fn recall_divides_by_the_capped_count() {
        let ranked = [5, 1, 9, 2, 7];
        // 2 of 4 liked in the top 5.
        assert_eq!(recall_capped(&ranked, &set(&[1, 2, 3, 4]), 5), Some(0.5));
        // 6 liked, k = 3: hits 5, 1 of the first three → 2 / min(6, 3).
        let liked = set(&[5, 1, 2, 7, 8, 10]);
        assert_abs_diff_eq!(recall_capped(&ranked, &liked, 3).unwrap(), 2.0 / 3.0);
        assert_eq!(recall_capped(&ranked, &set(&[]), 3), None);
    }

    #[test]
    fn ips_recall_by_hand() {
        // Votes 0, 3, 8, 15 → w = 1, 1/2, 1/3, 1/4 for films 0..3.
        let votes = [0u32, 3, 8, 15];
        let w = |i: &usize| propensity_weight(votes[*i]);
        assert_abs_diff_eq!(w(&1), 0.5);
        let liked = set(&[0, 1, 2, 3]);
        // k = 2, the list holds 9 and 2: hit w = 1/3; ideal = the 2 largest, 1 + 1/2.
        let got = ips_recall(&[9, 2, 0], &liked, 2, w).unwrap();
        assert_abs_diff_eq!(got, (1.0 / 3.0) / 1.5, epsilon = 1e-12);
        // k = 10: hits 2 and 0 → (1/3 + 1) / (1 + 1/2 + 1/3 + 1/4).
        let got = ips_recall(&[9, 2, 0], &liked, 10, w).unwrap();
        assert_abs_diff_eq!(got, (4.0 / 3.0) / (25.0 / 12.0), epsilon = 1e-12);
    }

    #[test]
    fn ndcg_and_hit_by_hand() {
        // Liked 1, 2, 3; hits at ranks 2 and 4: (1/log2 3 + 1/log2 5) / (1 + 1/log2 3 + 1/2).
        let ranked = [9, 1, 8, 2];
        let liked = set(&[1, 2, 3]);
        let want = (1.0 / 3f64.log2() + 1.0 / 5f64.log2()) / (1.0 + 1.0 / 3f64.log2() + 0.5);
        assert_abs_diff_eq!(
            ndcg_capped(&ranked, &liked, 100).unwrap(),
            want,
            epsilon = 1e-12
        );
        // The ideal is capped at k: k = 2 with three liked, one hit at rank 2.
        let want = (1.0 / 3f64.log2()) / (1.0 + 1.0 / 3f64.log2());
        assert_abs_diff_eq!(
            ndcg_capped(&ranked, &liked, 2).unwrap(),
            want,
            epsilon = 1e-12
        );
        assert!(hit(&ranked, &liked, 2));
        assert!(!hit(&ranked, &liked, 1));
    }

    #[test]
    fn overlap_of_three_people() {
        // A={1,2,3}, B={2,3,4}, C={5,6,1}: J(A,B) = 2/4, J(A,C) = 1/5, J(B,C) = 0/6.
        let lists = vec![vec![1, 2, 3, 99], vec![2, 3, 4, 98], vec![5, 6, 1, 97]];
        let want = (0.5 + 0.2 + 0.0) / 3.0;
        assert_abs_diff_eq!(overlap(&lists, 3).unwrap(), want, epsilon = 1e-12);
        assert_eq!(overlap(&lists[..1], 3), None);
    }

    #[test]
    fn genre_mix_and_total_variation_by_hand() {
        // Films: {0}, {0, 1}, {} (no genre: not counted), {2}: genre 0 = (1 + ½)/3, 1 = ½/3,
        // 2 = 1/3.
        let p = genre_mix([0b001, 0b011, 0, 0b100]).unwrap();
        assert_abs_diff_eq!(p[0], 0.5, epsilon = 1e-12);
        assert_abs_diff_eq!(p[1], 1.0 / 6.0, epsilon = 1e-12);
        assert_abs_diff_eq!(p[2], 1.0 / 3.0, epsilon = 1e-12);
        assert_abs_diff_eq!(p.iter().sum::<f64>(), 1.0, epsilon = 1e-12);
        assert_eq!(genre_mix([0, 0]), None);
        // Against only genre 1: ½(½ + 5/6 + 1/3) = 5/6.
        let q = genre_mix([0b010]).unwrap();
        assert_abs_diff_eq!(total_variation(&p, &q), 5.0 / 6.0, epsilon = 1e-12);
        assert_abs_diff_eq!(total_variation(&p, &p), 0.0);
        let r = genre_mix([1 << 31]).unwrap();
        assert_abs_diff_eq!(total_variation(&q, &r), 1.0);
    }

    #[test]
    fn spearman_with_ties_by_hand() {
        // x = 1, 2, 2, 3, 4 → ranks 0, 1.5, 1.5, 3, 4; y = 10, 30, 20, 40, 50 → 0, 2, 1, 3, 4.
        // Means 2; deviations (−2, −.5, −.5, 1, 2) and (−2, 0, −1, 1, 2):
        // cov = 4 + 0 + .5 + 1 + 4 = 9.5; var 4+.25+.25+1+4 = 9.5 and 10 → 9.5/√95.
        let pairs = [
            (1.0, 10.0),
            (2.0, 30.0),
            (2.0, 20.0),
            (3.0, 40.0),
            (4.0, 50.0),
        ];
        assert_abs_diff_eq!(
            spearman_user(&pairs).unwrap(),
            9.5 / 95f64.sqrt(),
            epsilon = 1e-12
        );
        assert_eq!(spearman_user(&pairs[..4]), None, "fewer than 5 films");
        let constant = [(1.0, 7.0), (2.0, 7.0), (3.0, 7.0), (4.0, 7.0), (5.0, 7.0)];
        assert_eq!(spearman_user(&constant), None, "constant ratings");
    }
}
