use std::collections::HashSet;

use rand::{rngs::StdRng, RngExt, SeedableRng};

use super::*;
use crate::eval::blend::fit_logistic;
use crate::eval::metrics::ndcg_at;

fn sigmoid(v: f64) -> f64 {
    1.0 / (1.0 + (-v).exp())
}

/// Rows with every column uniform in −1..1, labelled with probability `p(x)`, in `groups`
/// visitors of equal size.
fn planted(n: usize, groups: usize, seed: u64, p: impl Fn(&[f64; P]) -> f64) -> Grouped {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut s = Grouped::default();
    for i in 0..n {
        let x: [f64; P] = std::array::from_fn(|_| rng.random_range(-1.0..1.0));
        s.samples.liked.push(rng.random::<f64>() < p(&x));
        s.samples.x.push(x);
        s.samples.weight.push(1.0);
        s.group.push((i * groups / n) as u32);
    }
    s
}

fn log_loss(s: &Samples, score: impl Fn(&[f64; P]) -> f64) -> f64 {
    let sum: f64 =
        s.x.iter()
            .zip(&s.liked)
            .map(|(x, &y)| {
                let p = sigmoid(score(x)).clamp(1e-12, 1.0 - 1e-12);
                -if y { p.ln() } else { (1.0 - p).ln() }
            })
            .sum();
    sum / s.x.len() as f64
}

/// An interaction (XOR of two columns' signs) is invisible to a linear score and plain to
/// trees: on held-out rows the logistic fit stays near ln 2 while the boosted trees get close
/// to the planted entropy (0.500).
#[test]
fn pointwise_trees_recover_an_interaction_the_logistic_fit_cannot() {
    let p = |x: &[f64; P]| {
        if (x[0] > 0.0) == (x[1] > 0.0) {
            0.8
        } else {
            0.2
        }
    };
    let train = planted(20_000, 1, 1, p);
    let test = planted(20_000, 1, 2, p);
    let lin = fit_logistic(&train.samples, 1e-6);
    let linear =
        |x: &[f64; P]| lin.intercept + x.iter().zip(&lin.weights).map(|(a, b)| a * b).sum::<f64>();
    // XOR has no marginal gain, so a tree's first split may go to one of the noise columns:
    // depth 4 leaves room for the two planted splits after it.
    let params = Params {
        trees: 100,
        depth: 4,
        ..Params::default()
    };
    let gbdt = Gbdt::fit(&train, Objective::Pointwise, &params);
    let (a, b) = (
        log_loss(&test.samples, linear),
        log_loss(&test.samples, |x| gbdt.predict(x)),
    );
    assert!(a > 0.68, "logistic {a}");
    assert!(b < 0.53 && b < a - 0.12, "gbdt {b} vs logistic {a}");
    // The importances find the two planted columns.
    let imp = gbdt.importance();
    assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(imp[0] + imp[1] > 0.8, "{imp:?}");
    assert!(imp[2..].iter().all(|&v| v < 0.05), "{imp:?}");
    // Deterministic.
    assert_eq!(gbdt, Gbdt::fit(&train, Objective::Pointwise, &params));
}

/// A depth-1 tree splits where a brute-force scan of every column and every threshold between
/// two distinct values finds the largest Newton gain, with the Newton leaf values.
#[test]
fn one_split_matches_the_brute_force_best_split() {
    let mut rng = StdRng::seed_from_u64(5);
    let n = 400;
    let x: Vec<[f64; P]> = (0..n)
        .map(|_| std::array::from_fn(|_| rng.random_range(0..25) as f64))
        .collect();
    let y: Vec<bool> = x
        .iter()
        .map(|r| rng.random::<f64>() < sigmoid(0.3 * (r[3] - 12.0) + 0.1 * (r[7] - 12.0)))
        .collect();
    let g: Vec<f64> = y.iter().map(|&y| 0.5 - y as u8 as f64).collect();
    let h: Vec<f64> = (0..n).map(|i| 0.25 * (1.0 + (i % 3) as f64)).collect();
    let l2 = 0.7;
    let bins = Bins::fit(&x, 256);
    let grow = Grow {
        depth: 1,
        min_hess: 0.0,
        l2,
        shrink: 1.0,
    };
    let mut gains = [0.0; P];
    let t = tree::grow(&bins.encode(&x), &bins, &g, &h, &grow, &mut gains);

    let leaf = |rows: &[usize]| {
        let (gs, hs) = rows
            .iter()
            .fold((0.0, 0.0), |a, &i| (a.0 + g[i], a.1 + h[i]));
        (0.5 * gs * gs / (hs + l2), -gs / (hs + l2))
    };
    let all: Vec<usize> = (0..n).collect();
    let mut best = (f64::MIN, 0, 0.0, 0.0, 0.0);
    for j in 0..P {
        let mut values: Vec<f64> = x.iter().map(|r| r[j]).collect();
        values.sort_by(f64::total_cmp);
        values.dedup();
        for &cut in &values[..values.len() - 1] {
            let (l, r): (Vec<usize>, Vec<usize>) = all.iter().partition(|&&i| x[i][j] <= cut);
            let ((sl, vl), (sr, vr)) = (leaf(&l), leaf(&r));
            let gain = sl + sr - leaf(&all).0;
            if gain > best.0 {
                best = (gain, j, cut, vl, vr);
            }
        }
    }
    let (gain, col, cut, vl, vr) = best;
    match &t.nodes[0] {
        tree::Node::Split {
            col: c,
            cut: k,
            left,
            right,
        } => {
            assert_eq!((*c, *k), (col, cut));
            assert_eq!(t.nodes[*left], tree::Node::Leaf(vl));
            assert!(matches!(t.nodes[*right], tree::Node::Leaf(v) if (v - vr).abs() < 1e-12));
        }
        other => panic!("no split: {other:?}"),
    }
    assert!((gains[col] - gain).abs() < 1e-9, "{gains:?} vs {gain}");
    assert_eq!(t.nodes.len(), 3);
}

/// Mean NDCG@10 of each group's ranking by `score` (ties: the earlier row first).
fn mean_ndcg(s: &Grouped, score: impl Fn(&[f64; P]) -> f64) -> f64 {
    let ranges = s.ranges();
    let mut sum = 0.0;
    let mut n = 0;
    for r in &ranges {
        let scores: Vec<f32> = s.samples.x[r.clone()]
            .iter()
            .map(|x| score(x) as f32)
            .collect();
        let ranked = crate::eval::metrics::top_n(&scores, &[], scores.len());
        let liked: HashSet<usize> = (0..r.len())
            .filter(|&i| s.samples.liked[r.start + i])
            .collect();
        if let Some(v) = ndcg_at(&ranked, &liked, 10) {
            sum += v;
            n += 1;
        }
    }
    sum / n as f64
}

/// On planted queries (liked when two columns interact), LambdaMART's ranking of held-out
/// queries beats the constant score it starts from by far, and is deterministic.
#[test]
fn lambdamart_improves_ndcg_on_a_planted_ranking() {
    let p = |x: &[f64; P]| sigmoid(4.0 * x[0] * x[1] + 2.0 * x[2] - 2.0);
    let train = planted(8_000, 80, 11, p);
    let test = planted(8_000, 80, 12, p);
    assert_eq!(train.ranges().len(), 80);
    let params = Params {
        trees: 60,
        depth: 3,
        ..Params::default()
    };
    let m = Gbdt::fit(&train, Objective::LambdaMart, &params);
    let (before, after) = (
        mean_ndcg(&test, |_| 0.0),
        mean_ndcg(&test, |x| m.predict(x)),
    );
    assert!(after > before + 0.25, "{before} → {after}");
    let imp = m.importance();
    assert!(imp[0] + imp[1] + imp[2] > 0.8, "{imp:?}");
    assert_eq!(m, Gbdt::fit(&train, Objective::LambdaMart, &params));
    // Staged scores end at the full prediction.
    let x = &test.samples.x[0];
    let st = m.staged(x, &[10, 60]);
    assert!((st[1] - m.predict(x)).abs() < 1e-12);
}
