//! The metrics against values worked out by hand.

use std::collections::HashSet;

use approx::assert_relative_eq;

use super::*;

fn set(v: &[usize]) -> HashSet<usize> {
    v.iter().copied().collect()
}

#[test]
fn top_n_orders_by_score_breaks_ties_by_index_and_puts_excluded_last() {
    let scores = [1.0, 3.0, 2.0, 3.0, 5.0];
    assert_eq!(top_n(&scores, &[], 5), vec![4, 1, 3, 2, 0]);
    assert_eq!(top_n(&scores, &[], 2), vec![4, 1]);
    // The excluded best candidate only fills the list once nothing else is left.
    assert_eq!(top_n(&scores, &[4], 3), vec![1, 3, 2]);
    assert_eq!(top_n(&scores, &[4], 9), vec![1, 3, 2, 0, 4]);
    assert!(top_n(&scores, &[], 0).is_empty());
    assert!(top_n(&[], &[], 3).is_empty());
}

#[test]
fn recall_counts_relevant_hits_in_the_first_k_over_all_relevant() {
    let ranked = [3, 1, 4, 0, 2];
    assert_eq!(recall_at(&ranked, &set(&[1, 2]), 3), Some(0.5));
    assert_eq!(recall_at(&ranked, &set(&[1, 2]), 5), Some(1.0));
    // More relevant movies than the list holds: the denominator stays all of them.
    assert_eq!(recall_at(&ranked[..2], &set(&[1, 2, 7, 8]), 20), Some(0.25));
    assert_eq!(recall_at(&ranked, &set(&[9]), 5), Some(0.0));
    assert_eq!(recall_at(&ranked, &set(&[]), 5), None);
}

#[test]
fn ndcg_matches_the_closed_form() {
    let ranked = [3, 1, 4, 0];
    let l3 = 3f64.log2();
    let l5 = 5f64.log2();
    // Hits at positions 1 and 3 (0-based): DCG = 1/log₂3 + 1/log₂5, ideal = 1 + 1/log₂3.
    let want = (1.0 / l3 + 1.0 / l5) / (1.0 + 1.0 / l3);
    assert_relative_eq!(ndcg_at(&ranked, &set(&[1, 0]), 4).unwrap(), want);
    // Cut at 2: only the hit at position 1 counts; the ideal still has two.
    let want = (1.0 / l3) / (1.0 + 1.0 / l3);
    assert_relative_eq!(ndcg_at(&ranked, &set(&[1, 0]), 2).unwrap(), want);
    // One relevant movie: the ideal is one hit at the top.
    assert_relative_eq!(ndcg_at(&ranked, &set(&[4]), 4).unwrap(), 1.0 / 2.0);
    assert_relative_eq!(ndcg_at(&ranked, &set(&[3, 1]), 4).unwrap(), 1.0);
    assert_eq!(ndcg_at(&ranked, &set(&[9]), 4), Some(0.0));
    assert_eq!(ndcg_at(&ranked, &set(&[]), 4), None);
    // More relevant movies than the cut: the ideal list is k hits, so k hits score 1.
    let twelve: Vec<usize> = (0..12).collect();
    assert_relative_eq!(ndcg_at(&twelve, &set(&twelve), 10).unwrap(), 1.0);
}

#[test]
fn spearman_uses_average_ranks_for_ties() {
    let perfect = [(1.0, 10.0), (2.0, 20.0), (3.0, 90.0), (4.0, 91.0)];
    assert_relative_eq!(spearman(&perfect).unwrap(), 1.0);
    let reversed: Vec<(f64, f64)> = perfect.iter().map(|p| (-p.0, p.1)).collect();
    assert_relative_eq!(spearman(&reversed).unwrap(), -1.0);
    // x ranks (0, 1.5, 1.5, 3), y ranks (0, 1, 2, 3): cov 4.5, var 4.5 and 5 → 3/√10.
    let tied = [(1.0, 1.0), (2.0, 2.0), (2.0, 3.0), (3.0, 4.0)];
    assert_relative_eq!(
        spearman(&tied).unwrap(),
        3.0 / 10f64.sqrt(),
        max_relative = 1e-12
    );
    assert_eq!(spearman(&[(1.0, 1.0), (1.0, 2.0), (1.0, 3.0)]), None);
    assert_eq!(spearman(&[(1.0, 2.0), (2.0, 2.0)]), None);
}

#[test]
fn a_user_is_scored_on_clipped_predictions_and_the_unseen_candidates() {
    // Candidate 2's 6.0 is clipped to 5; candidate 3 is already rated (excluded).
    let pred = [4.0, 2.0, 6.0, 9.0, 3.0];
    let targets = [(0, 5.0), (1, 2.5), (2, 4.0)];
    let s = score_user(&pred, &targets, &[3], true);
    assert_relative_eq!(s.se, 1.0 + 0.25 + 1.0);
    assert_relative_eq!(s.ae, 1.0 + 0.5 + 1.0);
    assert_eq!(s.n, 3);
    // Relevant (≥ 4): 0 and 2, ranked first and second: perfect.
    assert_eq!(s.topn, Some((1.0, 1.0)));
    assert_eq!(s.spearman, None, "fewer than 5 targets");
    // A ranking-only model: no errors, the same ranking figures.
    let r = score_user(&pred, &targets, &[3], false);
    assert_eq!((r.se, r.ae, r.n, r.topn), (0.0, 0.0, 0, Some((1.0, 1.0))));
    // No target rated ≥ 4: no ranking figures at all.
    assert_eq!(score_user(&pred, &[(1, 3.5)], &[], true).topn, None);
}

#[test]
fn a_user_with_a_liked_movie_ranked_third_and_five_targets() {
    let pred = [3.0, 2.0, 1.0, 5.0, 4.0, 0.0];
    let targets = [(0, 3.0), (1, 2.0), (2, 4.5), (4, 1.0), (5, 0.5)];
    let s = score_user(&pred, &targets, &[], true);
    // Ranking 3, 4, 0, 1, 2, 5: the only liked movie (2) is 5th of 6.
    let (recall, ndcg) = s.topn.unwrap();
    assert_eq!(recall, 1.0);
    assert_relative_eq!(ndcg, 1.0 / 6f64.log2());
    // Predictions 3, 2, 1, 4, 0.5 (0 clipped) against 3, 2, 4.5, 1, 0.5: ranks (3, 2, 1, 4, 0)
    // and (3, 2, 4, 1, 0), no ties, so ρ = 1 − 6 Σd² / (n(n² − 1)) with d = (0, 0, −3, 3, 0).
    let want = 1.0 - 6.0 * 18.0 / (5.0 * 24.0);
    assert_relative_eq!(s.spearman.unwrap(), want, max_relative = 1e-12);
}

#[test]
fn combining_pools_errors_and_averages_per_user_figures() {
    let a = UserScore {
        se: 2.25,
        ae: 2.5,
        n: 3,
        topn: Some((1.0, 0.5)),
        spearman: None,
        ..UserScore::default()
    };
    let b = UserScore {
        se: 0.75,
        ae: 0.5,
        n: 1,
        topn: Some((0.0, 0.0)),
        spearman: Some(0.5),
        ..UserScore::default()
    };
    let c = UserScore::default();
    let m = combine("m", &[a.clone(), b.clone(), c.clone()], true);
    assert_eq!(m.name, "m");
    assert_relative_eq!(m.rmse.unwrap(), (3.0f64 / 4.0).sqrt());
    assert_relative_eq!(m.mae.unwrap(), 3.0 / 4.0);
    assert_eq!(m.recall_20, Some(0.5));
    assert_eq!(m.ndcg_10, Some(0.25));
    assert_eq!(m.spearman_user, Some(0.5));
    assert_eq!((m.interval_cov50, m.rmse_sd), (None, None));
    let ranking_only = combine("r", &[a, b], false);
    assert_eq!((ranking_only.rmse, ranking_only.mae), (None, None));
    let empty = combine("e", &[], true);
    assert_eq!(
        empty,
        ModelScore {
            name: "e".into(),
            ..ModelScore::default()
        }
    );
}

#[test]
fn seeds_average_each_metric_where_it_applies_with_the_sample_sd_of_rmse() {
    let run = |rmse: f64, cov: Option<f64>| ModelScore {
        name: "irt".into(),
        rmse: Some(rmse),
        interval_cov90: cov,
        ..ModelScore::default()
    };
    let runs = [run(1.0, Some(0.8)), run(2.0, None), run(4.0, Some(0.9))];
    let m = mean_over_seeds(&runs.iter().collect::<Vec<_>>());
    assert_eq!(m.name, "irt");
    assert_relative_eq!(m.rmse.unwrap(), 7.0 / 3.0);
    // Deviations −4/3, −1/3, 5/3: Σ² = 42/9, over n − 1 = 2.
    assert_relative_eq!(m.rmse_sd.unwrap(), (7.0f64 / 3.0).sqrt());
    assert_relative_eq!(m.interval_cov90.unwrap(), 0.85);
    assert_eq!(m.mae, None);
    let one = mean_over_seeds(&[&runs[0]]);
    assert_eq!((one.rmse, one.rmse_sd), (Some(1.0), None));
}

#[test]
fn coverage_counts_deviations_within_each_half_width() {
    let mut c = Coverage::default();
    for dev in [0.1, 0.5, 1.0, 2.0] {
        c.add(dev, 0.5, 1.5);
    }
    // 0.5 is on the 50% boundary (inside); 2.0 is outside both.
    assert_eq!(c.shares(), (0.5, 0.75));
    assert_eq!(Coverage::default().shares(), (0.0, 0.0));
}

#[test]
fn jitter_is_seeded_and_within_a_quarter_star() {
    let draw = |seed| {
        let mut j = jitter(seed);
        (0..1000).map(|_| j()).collect::<Vec<f64>>()
    };
    let a = draw(7);
    assert_eq!(a, draw(7));
    assert_ne!(a, draw(8));
    assert!(a.iter().all(|v| (-0.25..=0.25).contains(v)));
    let mean = a.iter().sum::<f64>() / a.len() as f64;
    assert!(mean.abs() < 0.02, "{mean}");
}

/// Recall@50, hit@10 and precision@10 on a hand-made ranking of 60 candidates: scores fall
/// with the index, so the ranking is 0, 1, 2, …; liked targets at ranks 3, 12 and 55.
#[test]
fn wide_recall_hit_and_precision_by_hand() {
    let pred: Vec<f32> = (0..60).map(|i| 100.0 - i as f32).collect();
    let targets = [(2, 4.5), (11, 4.0), (54, 5.0), (5, 2.0)];
    let s = score_user(&pred, &targets, &[0], false);
    // Candidate 0 is excluded: ranks shift by one (2 → 2nd, 11 → 11th, 54 → 54th).
    let (recall50, hit10, precision10) = s.wide.unwrap();
    assert_relative_eq!(recall50, 2.0 / 3.0);
    assert_eq!(hit10, 1.0);
    assert_relative_eq!(precision10, 0.1);
    assert_eq!(s.top, (1..21).collect::<Vec<usize>>());
    // No liked target in the top 10: no hit.
    let s = score_user(&pred, &[(30, 5.0)], &[], false);
    assert_eq!(s.wide.unwrap().1, 0.0);
}

/// Coverage and overlap of three users' lists: {0..20}, {10..30}, {0..20} over 100 candidates.
#[test]
fn coverage_and_overlap_of_three_users_lists() {
    let user = |r: std::ops::Range<usize>| UserScore {
        top: r.collect(),
        ..UserScore::default()
    };
    let users = [user(0..20), user(10..30), user(0..20)];
    let (coverage, overlap) = list_sets(&users, 100);
    assert_relative_eq!(coverage.unwrap(), 0.3);
    // Pairs: (A,B) 10/30, (A,C) 20/20, (B,C) 10/30.
    assert_relative_eq!(overlap.unwrap(), (1.0 / 3.0 + 1.0 + 1.0 / 3.0) / 3.0);
    assert_eq!(list_sets(&users[..1], 100).1, None);
    let m = combine_with_sets("m", &users, false, 100);
    assert_relative_eq!(m.coverage_20.unwrap(), 0.3);
}
