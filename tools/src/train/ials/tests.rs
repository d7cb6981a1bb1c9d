//! The iALS trainer's tests: planted clusters, the objective never rising, the user step being
//! the engine's, and the bundle round trip of A, ρ and the Gramian.

use std::collections::HashMap;

use moviematch::implicit::{ImplicitItems, Signal, WATCHED};
use ndarray::Array2;
use rand::{rngs::StdRng, RngExt, SeedableRng};

use super::*;
use crate::data::catalogue::CatalogueInfo;
use crate::data::testdata::{small, synthetic_inputs};

/// Ratings from (user, item) pairs with dense indices.
fn watched_ratings(pairs: &[(u32, u32)], n_users: usize, n_items: usize) -> Ratings {
    Ratings {
        user: pairs.iter().map(|p| p.0).collect(),
        item: pairs.iter().map(|p| p.1).collect(),
        value: vec![4.0; pairs.len()],
        time: vec![0; pairs.len()],
        user_ids: (1..=n_users as u32).collect(),
        item_ids: (1..=n_items as u32).collect(),
    }
}

/// Every catalogue film's features (n × F) and its dense index in `r`.
fn catalogue_rows(cat: &CatalogueInfo, r: &Ratings) -> (Array2<f32>, Vec<Option<usize>>) {
    let f = cat.spec.len();
    let mut x = Array2::<f32>::zeros((cat.movies.len(), f));
    for (row, mut out) in x.rows_mut().into_iter().enumerate() {
        cat.spec
            .compute(&cat.raw[row], out.as_slice_mut().expect("contiguous"));
    }
    let dense: HashMap<u32, usize> = r
        .item_ids
        .iter()
        .enumerate()
        .map(|(i, &id)| (id, i))
        .collect();
    let of = cat
        .movies
        .iter()
        .map(|m| dense.get(&m.movie_id).copied())
        .collect();
    (x, of)
}

#[test]
fn watched_counts_each_pair_once_both_ways() {
    let r = watched_ratings(&[(0, 2), (1, 0), (0, 2), (0, 1), (2, 2)], 4, 4);
    let w = Watched::new(&r);
    assert_eq!(w.len(), 4);
    assert_eq!(w.items_of(0), &[1, 2]);
    assert_eq!(w.items_of(3), &[] as &[u32]);
    assert_eq!(w.users_of(2), &[0, 2]);
    assert_eq!(w.users_of(3), &[] as &[u32]);
    assert_eq!((w.active_users(), w.trained_items()), (3, 3));
}

/// Users in four clusters each watch a random 60% of their cluster's films. Folded-in users
/// (never trained on) given half their films rank the other half above every other cluster's
/// film: recall at the size of their cluster is near 1.
#[test]
fn planted_clusters_rank_held_out_films_of_the_users_cluster_first() {
    let (clusters, per_cluster, users) = (4usize, 25usize, 400usize);
    let n_items = clusters * per_cluster;
    let mut rng = StdRng::seed_from_u64(5);
    let mut pairs = Vec::new();
    let mut held: Vec<(usize, Vec<u32>)> = Vec::new();
    for u in 0..users {
        let c = u % clusters;
        let films: Vec<u32> = (0..per_cluster)
            .filter(|_| rng.random::<f64>() < 0.6)
            .map(|j| (c * per_cluster + j) as u32)
            .collect();
        if u < 300 {
            pairs.extend(films.iter().map(|&i| (u as u32, i)));
        } else {
            held.push((c, films));
        }
    }
    let r = watched_ratings(&pairs, users, n_items);
    let p = IalsParams {
        k: 8,
        unobserved_weight: 0.1,
        reg: 0.01,
        reg_exponent: 1.0,
        content_reg: 0.0,
        epochs: 10,
        seed: 1,
    };
    let m = train(&r, &[], 0, &p, |_| {});
    let g = m.item_gramian();
    let mut recalls = Vec::new();
    for (c, films) in &held {
        let (pool, targets) = films.split_at(films.len() / 2);
        let u = m.fold_in(&g, pool);
        let mut ranked: Vec<(u32, f64)> = (0..n_items as u32)
            .filter(|i| !pool.contains(i))
            .map(|i| (i, dot(u.as_slice().unwrap(), m.item_factors(i as usize))))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        // The user's cluster has `own` films they have not told us about; the targets are
        // among them, the rest of the list is other clusters' films.
        let own = per_cluster - pool.len();
        let top: Vec<u32> = ranked.iter().take(own).map(|t| t.0).collect();
        let hits = targets.iter().filter(|t| top.contains(t)).count();
        recalls.push(hits as f64 / targets.len() as f64);
        let strays = top
            .iter()
            .filter(|&&i| i as usize / per_cluster != *c)
            .count();
        assert!(strays <= 1, "cluster {c}: {:?}", &ranked[..own]);
    }
    let mean = recalls.iter().sum::<f64>() / recalls.len() as f64;
    assert!(mean > 0.98, "recall {mean}");
}

/// Each step minimises L exactly over its block, so L never rises: after every user step,
/// film step and content step, with and without the content prior.
#[test]
fn the_objective_never_rises() {
    let (ratings, cat) = synthetic_inputs(&small());
    let x = cat.item_features(&ratings);
    let f = cat.spec.len();
    let w = Watched::new(&ratings);
    for content_reg in [0.0, 5.0] {
        let p = IalsParams {
            k: 6,
            epochs: 6,
            content_reg,
            ..IalsParams::default()
        };
        let mut fit = Fit::new(&w, &x, f, &p);
        let mut last = f64::INFINITY;
        let mut check = |fit: &Fit, what: &str| {
            let l = fit.objective();
            assert!(
                l <= last + 1e-9 * last.abs().max(1.0),
                "{what}: {last} → {l}"
            );
            last = l;
        };
        for _ in 0..p.epochs {
            fit.user_step();
            check(&fit, "user step");
            fit.item_step();
            check(&fit, "film step");
            if content_reg > 0.0 {
                fit.content_step();
                check(&fit, "content step");
            }
        }
        let m = train_watched(&w, &x, f, &p, |_| {});
        assert_eq!(m.history.len(), p.epochs);
        assert!(m
            .history
            .windows(2)
            .all(|e| e[1].loss <= e[0].loss * (1.0 + 1e-12)));
    }
}

/// The trainer's user step is `solve_taste` on the user's films with the Gramian of the trained
/// films and λ (n + α₀ N_items)^ν, written out here from scratch; and the engine, reading the
/// exported bundle parameters, folds a training user in to the same taste (up to int8).
#[test]
fn the_user_step_is_the_engines_fold_in() {
    let (ratings, cat) = synthetic_inputs(&small());
    // Films ≡ 0 mod 7 get no training ratings: not in the Gramian, not counted in N_items.
    let rows: Vec<usize> = (0..ratings.len())
        .filter(|&j| ratings.item[j] % 7 != 0)
        .collect();
    let train_set = ratings.select(&rows);
    let x = cat.item_features(&train_set);
    let f = cat.spec.len();
    let w = Watched::new(&train_set);
    let p = IalsParams {
        k: 5,
        epochs: 3,
        reg: 0.05,
        reg_exponent: 1.0,
        content_reg: 1.0,
        ..IalsParams::default()
    };
    let mut fit = Fit::new(&w, &x, f, &p);
    for _ in 0..3 {
        fit.user_step();
        fit.item_step();
        fit.content_step();
    }
    fit.user_step();
    let k = p.k;
    let trained: Vec<usize> = (0..w.n_items())
        .filter(|&i| !w.users_of(i).is_empty())
        .collect();
    assert!(trained.len() < w.n_items());
    let mut g = Array2::<f64>::zeros((k, k));
    for &i in &trained {
        for a in 0..k {
            for b in 0..k {
                g[[a, b]] += fit.item[i * k + a] * fit.item[i * k + b];
            }
        }
    }
    let n_items = trained.len() as f64;
    for u in [0usize, 17, 60] {
        let films = w.items_of(u);
        // (α₀ G + Σ h hᵀ + λ (n + α₀ N)^ν I) t = Σ h.
        let mut a = &g * p.unobserved_weight;
        let mut b = Array1::<f64>::zeros(k);
        for &i in films {
            let h = &fit.item[i as usize * k..(i as usize + 1) * k];
            for r in 0..k {
                b[r] += h[r];
                for c in 0..k {
                    a[[r, c]] += h[r] * h[c];
                }
            }
        }
        let reg = p.reg * (films.len() as f64 + p.unobserved_weight * n_items).powf(p.reg_exponent);
        for d in 0..k {
            a[[d, d]] += reg;
        }
        let want = cho_solve(&cholesky(&a).unwrap(), b.view());
        for d in 0..k {
            let got = fit.user[u * k + d];
            assert!(
                (got - want[d]).abs() <= 1e-10 * want[d].abs().max(1.0),
                "user {u} dim {d}: {got} vs {}",
                want[d]
            );
        }
    }

    // Through the bundle: the engine's fold-in of a training user matches the trainer's.
    let m = fit.into_model(Vec::new());
    let (features, dense_of_row) = catalogue_rows(&cat, &train_set);
    let params = implicit_params(&m, features.view(), &dense_of_row);
    let engine = ImplicitItems::new(&params, features.view());
    let row_of: HashMap<usize, usize> = dense_of_row
        .iter()
        .enumerate()
        .filter_map(|(row, d)| d.map(|d| (d, row)))
        .collect();
    let content_rows: Vec<Vec<f32>> = features
        .rows()
        .into_iter()
        .map(|r| r.iter().copied().chain([1.0]).collect())
        .collect();
    let g = m.item_gramian();
    for u in [0usize, 17, 60] {
        let signals: Vec<Signal> = w
            .items_of(u)
            .iter()
            .map(|&i| Signal {
                item: row_of[&(i as usize)],
                target: 1.0,
                confidence: WATCHED,
            })
            .collect();
        let taste = engine
            .fit(&signals, |i| content_rows[i].as_slice())
            .unwrap();
        let want = m.fold_in(&g, w.items_of(u));
        let norm = dot(want.as_slice().unwrap(), want.as_slice().unwrap()).sqrt();
        let diff = (&taste.u - &want).mapv(|v| v * v).sum().sqrt();
        assert!(diff < 0.02 * norm, "user {u}: {taste:?} vs {want}");
    }
}

/// The exported A, ρ and Gramian: each trained film's stored factors (A x̃ + dequantized ρ, as
/// the engine reads them) lie within the int8 bound of the fitted ones, films without ratings
/// carry no residual and are placed by A x̃ exactly as the model placed them, the Gramian sums
/// the stored factors, and content_var is the mean squared residual.
#[test]
fn the_bundle_round_trip_stays_within_the_quantisation_bound() {
    let (ratings, cat) = synthetic_inputs(&small());
    let rows: Vec<usize> = (0..ratings.len())
        .filter(|&j| ratings.item[j] % 5 != 0)
        .collect();
    let train_set = ratings.select(&rows);
    let x = cat.item_features(&train_set);
    let f = cat.spec.len();
    let p = IalsParams {
        k: 6,
        epochs: 4,
        content_reg: 2.0,
        ..IalsParams::default()
    };
    let m = train(&train_set, &x, f, &p, |_| {});
    let (features, dense_of_row) = catalogue_rows(&cat, &train_set);
    let params = implicit_params(&m, features.view(), &dense_of_row);
    let engine = ImplicitItems::new(&params, features.view());
    let k = m.k;
    let trained_rows: Vec<u32> = dense_of_row
        .iter()
        .enumerate()
        .filter(|(_, d)| d.is_some_and(|i| m.is_trained(i)))
        .map(|(row, _)| row as u32)
        .collect();
    assert_eq!(params.residual_rows, trained_rows);
    assert_eq!(params.n_items as usize, m.n_trained_items);
    let mut g = Array2::<f64>::zeros((k, k));
    let mut var = vec![0f64; k];
    for (row, d) in dense_of_row.iter().enumerate() {
        let content_row: Vec<f32> = features.row(row).iter().copied().chain([1.0]).collect();
        let stored = engine.factors(row, &content_row);
        let Some(i) = *d else { continue };
        let fitted = m.item_factors(i);
        if m.is_trained(i) {
            assert!(engine.is_trained(row));
            let j = params.residual_rows.binary_search(&(row as u32)).unwrap();
            let bound = params.residual_scale[j] as f64 / 254.0 + 1e-5;
            for dd in 0..k {
                assert!(
                    (stored[dd] - fitted[dd]).abs() <= bound,
                    "film {row} dim {dd}: stored {} fitted {} bound {bound}",
                    stored[dd],
                    fitted[dd]
                );
            }
            for a in 0..k {
                for b in 0..k {
                    g[[a, b]] += stored[a] * stored[b];
                }
            }
            let pred = content_of(
                &params.content.iter().map(|&v| v as f64).collect::<Vec<_>>(),
                k,
                features.row(row).as_slice().unwrap(),
            );
            for dd in 0..k {
                var[dd] += (fitted[dd] - pred[dd]).powi(2);
            }
        } else {
            assert!(!engine.is_trained(row));
            for dd in 0..k {
                assert!(
                    (stored[dd] - fitted[dd]).abs() <= 1e-4 * fitted[dd].abs().max(1e-2),
                    "untrained film {row} dim {dd}: {} vs {}",
                    stored[dd],
                    fitted[dd]
                );
            }
        }
    }
    for a in 0..k {
        for b in 0..k {
            let got = params.gramian[a * k + b] as f64;
            assert!(
                (got - g[[a, b]]).abs() <= 1e-5 * g[[a, b]].abs().max(1e-3),
                "G[{a},{b}] {got} vs {}",
                g[[a, b]]
            );
        }
    }
    let n = trained_rows.len() as f64;
    for (dd, v) in var.iter().enumerate() {
        let want = v / n;
        let got = params.content_var[dd] as f64;
        assert!(
            (got - want).abs() <= 1e-4 * want.max(1e-6),
            "{got} vs {want}"
        );
    }
}

/// The same seed gives the same factors, whatever the thread count.
#[test]
fn training_is_deterministic() {
    let (ratings, cat) = synthetic_inputs(&small());
    let x = cat.item_features(&ratings);
    let p = IalsParams {
        k: 4,
        epochs: 3,
        content_reg: 1.0,
        ..IalsParams::default()
    };
    let a = train(&ratings, &x, cat.spec.len(), &p, |_| {});
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let b = pool.install(|| train(&ratings, &x, cat.spec.len(), &p, |_| {}));
    assert_eq!(a.item, b.item);
    assert_eq!(a.user, b.user);
}
