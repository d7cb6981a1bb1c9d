use super::*;
use crate::fixture::random_bundle;
use crate::model::Model;

fn model() -> Model {
    Model::from_bundle(random_bundle(7, 400, 4, 150))
}

fn signals(items: &[(usize, f64, f64)]) -> Vec<Signal> {
    items
        .iter()
        .map(|&(item, target, confidence)| Signal {
            item,
            target,
            confidence,
        })
        .collect()
}

/// The iALS objective written out term by term over every trained film (no Gramian).
fn objective(model: &Model, imp: &ImplicitItems, s: &[Signal], u: &[f64]) -> f64 {
    let score = |i: usize| -> f64 {
        let h = imp.factors(i, model.content_row(i));
        h.iter().zip(u).map(|(a, b)| a * b).sum()
    };
    let mut loss = 0.0;
    for sig in s {
        loss += sig.confidence * (score(sig.item) - sig.target).powi(2);
    }
    for i in (0..model.len()).filter(|&i| imp.is_trained(i)) {
        loss += imp.params.unobserved_weight * score(i).powi(2);
    }
    let positives = s.iter().filter(|x| x.target > 0.0).count();
    loss + imp.params.regulariser(positives) * u.iter().map(|x| x * x).sum::<f64>()
}

#[test]
fn the_fold_in_minimises_the_objective_summed_film_by_film() {
    let model = model();
    let imp = model.implicit().expect("the fixture has an implicit model");
    let s = signals(&[
        (3, 1.0, WATCHED),
        (10, 1.0, WATCHED),
        (11, 1.0, WATCHED),
        (200, 1.0, WATCHED), // placed by its features alone
        (12, 1.0, INTEREST),
        (40, 0.0, UNSEEN),
    ]);
    let taste = imp.fit(&s, |i| model.content_row(i)).unwrap();
    let u: Vec<f64> = taste.u.to_vec();
    let at = objective(&model, imp, &s, &u);
    // The gradient vanishes: every coordinate step, either way, costs.
    for d in 0..u.len() {
        for step in [1e-3, -1e-3] {
            let mut v = u.clone();
            v[d] += step;
            let moved = objective(&model, imp, &s, &v);
            assert!(moved > at, "dimension {d}, step {step}: {moved} ≤ {at}");
            // Quadratic: the rise is second order in the step.
            assert!(
                moved - at < 1e-3,
                "dimension {d}: rise {} too large",
                moved - at
            );
        }
    }
    assert_eq!(taste.n_signals, 6);
}

#[test]
fn the_gramian_stands_for_the_sum_over_every_trained_film() {
    let model = model();
    let imp = model.implicit().unwrap();
    let k = imp.k();
    let mut g = Array2::<f64>::zeros((k, k));
    for i in (0..model.len()).filter(|&i| imp.is_trained(i)) {
        let h = imp.factors(i, model.content_row(i));
        for r in 0..k {
            for c in 0..k {
                g[[r, c]] += h[r] * h[c];
            }
        }
    }
    for (a, b) in g.iter().zip(imp.gramian.iter()) {
        assert!((a - b).abs() < 1e-3 * (1.0 + a.abs()), "{a} vs {b}");
    }
}

#[test]
fn catalogue_scores_are_within_their_bound_of_the_exact_scores() {
    let model = model();
    let imp = model.implicit().unwrap();
    let s = signals(&[(1, 1.0, WATCHED), (5, 1.0, WATCHED), (300, 1.0, WATCHED)]);
    let taste = imp.fit(&s, |i| model.content_row(i)).unwrap();
    let approx = imp.scores(&taste);
    for i in 0..model.len() {
        let exact = imp.score(&taste, i, model.content_row(i));
        let err = (approx.mean[i] as f64 - exact).abs();
        assert!(
            err <= approx.error as f64,
            "film {i}: {err} > {}",
            approx.error
        );
    }
    assert!(approx.error < 0.05, "bound {} too loose", approx.error);
}

#[test]
fn watching_a_film_raises_the_scores_of_films_like_it() {
    let model = model();
    let imp = model.implicit().unwrap();
    let none = imp.fit(&[], |i| model.content_row(i)).unwrap();
    assert!(none.u.iter().all(|&x| x == 0.0), "no signals: no taste");
    let watched = 7;
    let one = imp
        .fit(&signals(&[(watched, 1.0, WATCHED)]), |i| {
            model.content_row(i)
        })
        .unwrap();
    // u ∝ M⁻¹h with M positive definite, so uᵀh > 0: the film itself gains.
    assert!(imp.score(&one, watched, model.content_row(watched)) > 0.0);
    // A "haven't seen" pushes the film down.
    let unseen = imp
        .fit(
            &signals(&[(watched, 0.0, UNSEEN), (9, 1.0, WATCHED)]),
            |i| model.content_row(i),
        )
        .unwrap();
    let seen_too = imp
        .fit(&signals(&[(9, 1.0, WATCHED)]), |i| model.content_row(i))
        .unwrap();
    assert!(
        imp.score(&unseen, watched, model.content_row(watched))
            < imp.score(&seen_too, watched, model.content_row(watched))
    );
}

#[test]
fn films_placed_by_features_alone_carry_an_uncertainty() {
    let model = model();
    let imp = model.implicit().unwrap();
    let taste = imp
        .fit(&signals(&[(2, 1.0, WATCHED)]), |i| model.content_row(i))
        .unwrap();
    assert!(imp.is_trained(2) && !imp.is_trained(399));
    assert_eq!(imp.score_sd(&taste, 2), 0.0);
    let expected: f64 = taste
        .u
        .iter()
        .zip(&imp.content_var)
        .map(|(u, &v)| u * u * v as f64)
        .sum::<f64>()
        .sqrt();
    assert!((imp.score_sd(&taste, 399) - expected).abs() < 1e-12 && expected > 0.0);
}

#[test]
fn a_score_splits_exactly_into_one_share_per_signal() {
    let model = model();
    let imp = model.implicit().unwrap();
    let s = signals(&[
        (3, 1.0, WATCHED),
        (10, 1.0, WATCHED),
        (12, 1.0, INTEREST),
        (40, 0.0, UNSEEN),
    ]);
    let taste = imp.fit(&s, |i| model.content_row(i)).unwrap();
    for m in [0usize, 5, 77, 333] {
        let h = imp.factors(m, model.content_row(m));
        let parts = taste.contributions(&h);
        assert_eq!(parts.len(), 4);
        assert_eq!(parts[3], 0.0, "a 'not seen' target is 0: it adds nothing");
        let total: f64 = parts.iter().sum();
        let score = imp.score(&taste, m, model.content_row(m));
        assert!((total - score).abs() < 1e-9, "{total} vs {score}");
    }
    // Neighbours: a trained film is its own nearest neighbour.
    let h = imp.factors(5, model.content_row(5));
    let near = imp.neighbours(&h, 3);
    assert_eq!(near[0].0, 5);
    assert!((near[0].1 - 1.0).abs() < 1e-9 && near[1].1 <= near[0].1);
}

#[test]
fn the_shift_of_one_more_watched_film_is_the_refit_but_for_the_regulariser() {
    let model = model();
    let imp = model.implicit().unwrap();
    let base = signals(&[(3, 1.0, WATCHED), (10, 1.0, WATCHED)]);
    let taste = imp.fit(&base, |i| model.content_row(i)).unwrap();
    let q = 33;
    let shift = taste.shift_if_watched(&imp.factors(q, model.content_row(q)));
    let mut more = base.clone();
    more.push(Signal {
        item: q,
        target: 1.0,
        confidence: WATCHED,
    });
    // The refit, solved directly, with the regulariser of two positives (the update holds
    // it fixed).
    let rows: Vec<(Vec<f64>, f64, f64)> = more
        .iter()
        .map(|s| {
            (
                imp.factors(s.item, model.content_row(s.item)),
                s.target,
                s.confidence,
            )
        })
        .collect();
    let k = imp.k();
    let mut a = imp.gramian.clone() * imp.params.unobserved_weight;
    let mut b = Array1::<f64>::zeros(k);
    for (h, y, c) in &rows {
        for i in 0..k {
            b[i] += c * y * h[i];
            for j in 0..k {
                a[[i, j]] += c * h[i] * h[j];
            }
        }
    }
    let reg = imp.params.regulariser(2);
    for i in 0..k {
        a[[i, i]] += reg;
    }
    let l = cholesky(&a).unwrap();
    let want = cho_solve(&l, b.view());
    for d in 0..k {
        assert!((taste.u[d] + shift[d] - want[d]).abs() < 1e-9);
    }
}
