//! The IRT model's tests: planted structure, the fast updates against the reference ones,
//! SIMD paths, the covariance layout, determinism.

use rand::{rngs::StdRng, RngExt, SeedableRng};

use super::packed::packed_len;
use super::reference;
use super::update::{items, scratch, users};
use super::{train, IrtModel, IrtParams, UserCovLayout};
use crate::data::csr::Csr;
use crate::data::movielens::Ratings;
use crate::data::split::random_split;
use crate::data::synth::{synthesize, SynthParams};

/// Planted factors, no informative features: VI recovers the structure (held-out RMSE near
/// σ), learns σ, the ELBO rises, and dimensions come out ordered by importance.
#[test]
fn recovers_planted_structure_and_orders_dimensions() {
    let sp = SynthParams {
        users: 500,
        movies: 300,
        ratings: 40_000,
        k: 3,
        noise: 0.3,
        seed: 11,
        factor_sd: 0.7,
    };
    let data = synthesize(&sp).ratings;
    let (train_set, test_set) = random_split(&data, 0.1, 1);
    let f = 2;
    let x: Vec<f32> = (0..train_set.n_items() * f)
        .map(|j| ((j * 37 % 11) as f32 - 5.0) / 5.0)
        .collect();
    let p = IrtParams {
        k: 5,
        epochs: 25,
        clip: (-100.0, 100.0),
        ..IrtParams::default()
    };
    let m = train(&train_set, Some(&test_set), &x, f, &p, |_| {});
    let rmse = m.rmse(&test_set);
    assert!(
        rmse < 0.3 * 1.10,
        "held-out RMSE {rmse} not within 10% of σ = 0.3"
    );
    assert!(
        (m.sigma2.sqrt() - 0.3).abs() < 0.05,
        "σ learned as {}",
        m.sigma2.sqrt()
    );
    // Coordinate ascent: the ELBO rises every epoch (up to the ridge penalty on G̃, which
    // is not part of the ELBO: a relative slack of 1e-5).
    let h = &m.history;
    assert!(h.len() >= 3, "{h:?}");
    for w in h.windows(2) {
        assert!(
            w[1].elbo >= w[0].elbo - 1e-5 * w[0].elbo.abs(),
            "ELBO fell from epoch {} to {}: {h:?}",
            w[0].epoch,
            w[1].epoch
        );
    }
    // Dimensions are sorted by the variance they explain, and the planted K = 3 carry most.
    let e = m.k + 1;
    let ni = m.item_mean.len() / e;
    let imp: Vec<f64> = (0..m.k)
        .map(|c| {
            let b2: f64 = (0..ni)
                .map(|i| m.item_mean[i * e + c].powi(2) + m.item_cov_of(i)[[c, c]])
                .sum();
            m.user_prior_var[c] * b2 / ni as f64
        })
        .collect();
    assert!(imp.windows(2).all(|w| w[0] >= w[1]), "not sorted: {imp:?}");
    let share = imp[..3].iter().sum::<f64>() / imp.iter().sum::<f64>();
    assert!(
        share > 0.8,
        "planted dimensions explain only {share:.2}: {imp:?}"
    );
}

/// The content prior: when item biases are a linear function of a feature, G̃ learns it.
#[test]
fn content_prior_learns_the_feature_effect() {
    let sp = SynthParams {
        users: 300,
        movies: 200,
        ratings: 20_000,
        k: 2,
        noise: 0.3,
        seed: 5,
        factor_sd: 0.3,
    };
    let syn = synthesize(&sp);
    let data = syn.ratings;
    // Feature 0 = the planted item bias (standardised); so b_m ≈ 0.5 · x_m0.
    let f = 1;
    let x: Vec<f32> = data
        .item_ids
        .iter()
        .map(|&id| (syn.item_bias[id as usize - 1] / 0.5) as f32)
        .collect();
    let p = IrtParams {
        k: 2,
        epochs: 15,
        clip: (-100.0, 100.0),
        ..IrtParams::default()
    };
    let m = train(&data, None, &x, f, &p, |_| {});
    let slope = m.g[[2, 0]];
    assert!(
        (slope - 0.5).abs() < 0.1,
        "bias slope on the feature {slope}, planted 0.5"
    );
    assert!(
        m.item_prior_var[2] < 0.05,
        "σ_b² {} should be small once the feature explains b",
        m.item_prior_var[2]
    );
}

/// A small random problem in a realistic state (a few epochs in), with ragged rating counts.
fn small_problem() -> (IrtModel, Ratings) {
    let sp = SynthParams {
        users: 90,
        movies: 70,
        ratings: 4000,
        k: 3,
        noise: 0.4,
        seed: 17,
        factor_sd: 0.6,
    };
    let data = synthesize(&sp).ratings;
    let f = 3;
    let mut rng = StdRng::seed_from_u64(5);
    let x: Vec<f32> = (0..data.n_items() * f)
        .map(|_| rng.random::<f32>() * 2.0 - 1.0)
        .collect();
    let p = IrtParams {
        k: 5,
        epochs: 2,
        warm_epochs: 1,
        clip: (-100.0, 100.0),
        ..IrtParams::default()
    };
    (train(&data, None, &x, f, &p, |_| {}), data)
}

fn close(got: f64, want: f64, scale: f64, what: &str) {
    let tol = 1e-9 * want.abs().max(scale);
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs reference {want} (tolerance {tol:e})"
    );
}

/// The fast updates agree with the straightforward per-rating ones to 1e-9 (they only
/// reassociate sums), user by user and movie by movie in f64, and for whole half-steps.
#[test]
fn update_matches_the_reference() {
    let (m, data) = small_problem();
    let (k, f, d) = (m.k, m.f, m.d());
    let e = k + 1;
    let by_user = Csr::build(&data.user, data.n_users());
    let by_item = Csr::build(&data.item, data.n_items());
    let grouped = scratch::Grouped::build(&data.item, &data.user, &data.value, data.n_items());
    let ctx = users::UserCtx {
        k,
        f,
        sigma2: m.sigma2,
        mu: m.mu,
        item_mean: &m.item_mean,
        item_cov: &m.item_cov,
        x: &m.x,
        prior_var: &m.user_prior_var,
        data: &data,
        by_user: &by_user,
        avx2: scratch::have_avx2(),
    };
    let mut s = scratch::Scratch::default();
    for u in 0..data.n_users() {
        let (sse, kl) = ctx.solve(u, &mut s);
        let (mean, cov, want_sse, want_kl) = reference::user(&m, &data, &by_user, u);
        close(sse, want_sse, 0.0, "user SSE");
        close(kl, want_kl, 0.0, "user KL");
        let scale = mean.iter().fold(0f64, |a, v| a.max(v.abs()));
        for j in 0..d {
            close(s.mean[j], mean[j], scale, "user mean");
            for i in 0..d {
                let sc = (cov[[i, i]] * cov[[j, j]]).sqrt();
                close(s.cov[i * d + j], cov[[i, j]], sc, "user covariance");
            }
        }
    }
    // The whole user half-step.
    let (mut fast, mut slow) = (m.clone(), m);
    let pass = users::update_users(&mut fast, &data, &by_user);
    let (want_sse, want_kl) = reference::update_users(&mut slow, &data, &by_user);
    close(pass.sse, want_sse, 0.0, "Σ SSE");
    close(pass.kl, want_kl, 0.0, "Σ KL users");
    for (a, b) in fast.user_mean.iter().zip(&slow.user_mean) {
        close(*a, *b, 1.0, "user means");
    }
    for (a, b) in fast.user_cov.iter().zip(&slow.user_cov) {
        // Stored as f32: the f64 values agree to 1e-9, so at most the last bit differs.
        assert!((a - b).abs() <= 2.0 * f32::EPSILON * b.abs(), "{a} vs {b}");
    }
    // The movie half-step, from the same users on both sides.
    slow.user_mean.clone_from(&fast.user_mean);
    slow.user_cov.clone_from(&fast.user_cov);
    let m = &fast;
    let prior_mean: Vec<f64> = (0..data.n_items())
        .flat_map(|i| m.prior_mean_of(&m.x[i * f..(i + 1) * f]))
        .collect();
    let ctx = items::ItemCtx {
        k,
        f,
        sigma2: m.sigma2,
        mu: m.mu,
        user_mean: &m.user_mean,
        user_cov: &m.user_cov,
        x: &m.x,
        prior_mean: &prior_mean,
        prior_var: &m.item_prior_var,
        cross: &pass.cross,
        by_item: &grouped,
        avx2: scratch::have_avx2(),
    };
    for i in 0..data.n_items() {
        let kl = ctx.solve(i, &mut s);
        let (mean, cov, want_kl) = reference::item(m, &data, &by_item, i);
        close(kl, want_kl, 0.0, "item KL");
        let scale = mean.iter().fold(0f64, |a, v| a.max(v.abs()));
        for j in 0..e {
            close(s.mean[j], mean[j], scale, "item mean");
            for a in 0..e {
                let sc = (cov[[a, a]] * cov[[j, j]]).sqrt();
                close(s.cov[a * e + j], cov[[a, j]], sc, "item covariance");
            }
        }
    }
    let kl = items::update_items(&mut fast, &grouped, &pass.cross);
    let want_kl = reference::update_items(&mut slow, &data, &by_item);
    close(kl, want_kl, 0.0, "Σ KL items");
    for (a, b) in fast.item_mean.iter().zip(&slow.item_mean) {
        close(*a, *b, 1.0, "item means");
    }
    for (a, b) in fast.item_cov.iter().zip(&slow.item_cov) {
        assert!((a - b).abs() <= 2.0 * f32::EPSILON * b.abs(), "{a} vs {b}");
    }
}

/// The AVX2 and the portable code paths give the same bits (no reassociation, no FMA).
#[test]
fn simd_paths_agree_bit_for_bit() {
    if !scratch::have_avx2() {
        return;
    }
    let (m, data) = small_problem();
    let by_user = Csr::build(&data.user, data.n_users());
    let by_item = scratch::Grouped::build(&data.item, &data.user, &data.value, data.n_items());
    let (mut a, mut b) = (m.clone(), m);
    let pa = users::update_users_with(&mut a, &data, &by_user, true);
    let pb = users::update_users_with(&mut b, &data, &by_user, false);
    assert_eq!((pa.sse, pa.kl, &pa.cross), (pb.sse, pb.kl, &pb.cross));
    assert_eq!(
        items::update_items_with(&mut a, &by_item, &pa.cross, true),
        items::update_items_with(&mut b, &by_item, &pb.cross, false)
    );
    assert_eq!((&a.user_mean, &a.user_cov), (&b.user_mean, &b.user_cov));
    assert_eq!((&a.item_mean, &a.item_cov), (&b.item_mean, &b.item_cov));
}

#[test]
fn user_cov_layout_round_trips() {
    let lay = UserCovLayout { k: 3, d: 6 };
    let mut seen = vec![false; packed_len(6)];
    for a in 0..6 {
        for b in 0..=a {
            assert_eq!(lay.idx(a, b), lay.idx(b, a));
            assert!(!std::mem::replace(&mut seen[lay.idx(a, b)], true));
        }
    }
    let cov: Vec<f64> = (0..36)
        .map(|j| ((j / 6).max(j % 6) * 10 + (j / 6).min(j % 6)) as f64)
        .collect();
    let mut out = vec![0f32; packed_len(6)];
    lay.pack(&cov, &mut out);
    for a in 0..6 {
        for b in 0..6 {
            assert_eq!(out[lay.idx(a, b)] as f64, cov[a * 6 + b]);
        }
    }
}

#[test]
fn deterministic_for_a_seed() {
    let sp = SynthParams {
        users: 60,
        movies: 50,
        ratings: 2000,
        k: 2,
        noise: 0.5,
        seed: 3,
        factor_sd: 0.5,
    };
    let data = synthesize(&sp).ratings;
    let x = vec![0.5f32; data.n_items()];
    let p = IrtParams {
        k: 3,
        epochs: 3,
        ..IrtParams::default()
    };
    let a = train(&data, None, &x, 1, &p, |_| {});
    let b = train(&data, None, &x, 1, &p, |_| {});
    assert_eq!(a.item_mean, b.item_mean);
    assert_eq!(a.user_cov, b.user_cov);
}
