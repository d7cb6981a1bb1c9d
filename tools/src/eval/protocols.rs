//! The protocols of `tools eval`: every model of the comparison on seeded random 90/10 splits
//! (mean and sd over the seeds), then on one seed each: a per-user `time` split, `cold-items`
//! and `fold-in`. The IRT model is scored twice: in f32 as trained, and encoded to the int8
//! bundle and decoded back through the engine (the numbers users get).
//!
//! Metrics (see [`crate::eval::metrics`]): RMSE, MAE, Recall@20 and NDCG@10 (held-out ratings
//! ≥ 4 ranked among every movie the user has not rated in training), interval coverage of the
//! 50% and 90% predictive intervals (held-out ratings jittered by ±0.25 to undo half-star
//! rounding; IRT only), and the per-user Spearman correlation of predicted and held-out
//! ratings. `null` where a metric does not apply.

use std::collections::BTreeMap;

use rand::{rngs::StdRng, RngExt, SeedableRng};
use serde::Serialize;

use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::Ratings;
use crate::data::split::{random_split, time_split};
use crate::eval::adapters::{
    fit_baselines, fit_content_baselines, side_info, user_noise, IrtF32, IrtInt8,
};
use crate::eval::baselines::{Recommender, TrainData};
use crate::eval::fit::{train_irt, IrtFit};
use crate::eval::foldin::{self, score_lists, score_users, FoldUser};
use crate::eval::metrics::{combine_with_sets, mean_over_seeds, ModelScore};
use crate::eval::score::{coverage, score};
use crate::train::ials::IalsParams;
use crate::train::irt::IrtParams;

/// Everything `tools eval` reports.
#[derive(Debug, Serialize)]
pub struct Report {
    pub protocol: &'static str,
    pub seeds: Vec<u64>,
    pub models: Vec<ModelScore>,
    /// Further protocols by name, each with the same model objects.
    pub protocols: BTreeMap<&'static str, ProtocolReport>,
}

/// One protocol's scores.
#[derive(Debug, Serialize)]
pub struct ProtocolReport {
    pub seeds: Vec<u64>,
    pub models: Vec<ModelScore>,
}

/// Runs every protocol: the random split on every seed (averaged), the others on the first.
pub fn evaluate(
    ratings: &Ratings,
    cat: &CatalogueInfo,
    seeds: &[u64],
    params: &IrtParams,
    implicit: &IalsParams,
) -> Report {
    let models = random(ratings, cat, seeds, params, implicit);
    let mut protocols = BTreeMap::new();
    protocols.insert("cold-items", cold_items(ratings, cat, seeds[0], params));
    protocols.insert("fold-in", fold_in(ratings, cat, seeds[0], params, implicit));
    protocols.insert("time", time(ratings, cat, seeds[0], params, implicit));
    Report {
        protocol: "random-90-10",
        seeds: seeds.to_vec(),
        models,
        protocols,
    }
}

/// `random-90-10`: each rating is held out with probability 0.1, per seed; every model's
/// scores are averaged over the seeds.
pub fn random(
    ratings: &Ratings,
    cat: &CatalogueInfo,
    seeds: &[u64],
    params: &IrtParams,
    implicit: &IalsParams,
) -> Vec<ModelScore> {
    let per_seed: Vec<Vec<ModelScore>> = seeds
        .iter()
        .map(|&seed| {
            let (train, test) = random_split(ratings, 0.1, seed);
            every_model(&train, &test, cat, seed, params, implicit, "random-90-10")
        })
        .collect();
    (0..per_seed[0].len())
        .map(|j| mean_over_seeds(&per_seed.iter().map(|s| &s[j]).collect::<Vec<_>>()))
        .collect()
}

/// `time`: each user's latest 20% of ratings are held out (see [`time_split`]).
pub fn time(
    ratings: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    params: &IrtParams,
    implicit: &IalsParams,
) -> ProtocolReport {
    let (train, test) = time_split(ratings, 0.2);
    ProtocolReport {
        seeds: vec![seed],
        models: every_model(&train, &test, cat, seed, params, implicit, "time"),
    }
}

/// Trains every model on `train` and scores it on `test` (users known to training).
pub fn every_model(
    train: &Ratings,
    test: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    params: &IrtParams,
    implicit: &IalsParams,
    label: &str,
) -> Vec<ModelScore> {
    let side = side_info(train, cat);
    let data = TrainData {
        ratings: train,
        side: &side,
    };
    let IrtFit {
        model: irt_model,
        engine,
        ..
    } = train_irt(train, cat, seed, params);
    let models: Vec<Box<dyn Recommender>> = fit_baselines(&data, implicit);
    let f32m = IrtF32::new(&irt_model);
    let int8m = IrtInt8::new(&irt_model, &engine, train);
    let mut scores: Vec<ModelScore> = models
        .iter()
        .map(|m| score(m.as_ref(), train, test))
        .collect();
    let noise = user_noise(&irt_model, &engine, train);
    for (m, cov) in [
        (
            &f32m as &dyn Recommender,
            coverage(&f32m, &noise, test, seed),
        ),
        (&int8m, coverage(&int8m, &noise, test, seed)),
    ] {
        let mut s = score(m, train, test);
        (s.interval_cov50, s.interval_cov90) = (Some(cov.0), Some(cov.1));
        scores.push(s);
    }
    for s in &scores {
        eprintln!(
            "{label} seed {seed} {:<17} RMSE {:?} NDCG@10 {:?}",
            s.name, s.rmse, s.ndcg_10
        );
    }
    scores
}

/// `cold-items`: all ratings of a seeded 10% of the movies are hidden from training, so every
/// prediction for them comes from what is known without ratings: the content prior (IRT), the
/// IMDb average, genres, or nothing but the means. Ranking metrics do not apply.
pub fn cold_items(
    ratings: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    params: &IrtParams,
) -> ProtocolReport {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xc01d);
    let cold: Vec<bool> = (0..ratings.n_items())
        .map(|_| rng.random::<f64>() < 0.1)
        .collect();
    let (tr, te): (Vec<usize>, Vec<usize>) =
        (0..ratings.len()).partition(|&j| !cold[ratings.item[j] as usize]);
    let (train, test) = (ratings.select(&tr), ratings.select(&te));
    let side = side_info(&train, cat);
    let data = TrainData {
        ratings: &train,
        side: &side,
    };
    let IrtFit {
        model: irt_model,
        engine,
        ..
    } = train_irt(&train, cat, seed, params);
    let mut models: Vec<Box<dyn Recommender + '_>> = fit_content_baselines(&data);
    models.push(Box::new(IrtF32::new(&irt_model)));
    models.push(Box::new(IrtInt8::new(&irt_model, &engine, &train)));
    let models = models
        .iter()
        .map(|m| {
            let mut s = score(m.as_ref(), &train, &test);
            (s.recall_20, s.ndcg_10) = (None, None);
            eprintln!("cold-items {:<15} RMSE {:?}", s.name, s.rmse);
            s
        })
        .collect();
    ProtocolReport {
        seeds: vec![seed],
        models,
    }
}

/// `fold-in`: users never seen in training tell the site half their ratings (the pool); the
/// rest are predicted and, if rated ≥ 4, ranked. Baselines fold the pool in their own way and
/// rank the movies they know; `irt-int8` is the browser's path: the engine's exact posterior from
/// the pool over the int8 bundle, ranking the whole catalogue minus the pool. Only the
/// non-tuning half of the held-out users is reported. `list` is the product's list (default
/// settings, exploration 0) through the engine's `Visitor`, scored on its order alone; every
/// model also gets coverage@20 and overlap@20 (how personal its lists are).
pub fn fold_in(
    ratings: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    params: &IrtParams,
    implicit: &IalsParams,
) -> ProtocolReport {
    let fold = foldin::split(ratings, seed);
    let train = &fold.train;
    let side = side_info(train, cat);
    let data = TrainData {
        ratings: train,
        side: &side,
    };
    let mut engine = train_irt(train, cat, seed, params).engine;
    // The list ranks with the blend fitted on the tuning half, as `tools train` fits it.
    let fitted = crate::eval::blend::fit_on_tuning_users(&engine, &fold, seed);
    let shipped = crate::eval::blend::shipped(&fitted);
    eprintln!("fold-in blend: {shipped:?}");
    engine.set_blend(&shipped);
    let report: Vec<&FoldUser> = fold.users.iter().filter(|u| !u.tuning).collect();
    let baselines: Vec<Box<dyn Recommender + '_>> = fit_baselines(&data, implicit);
    let n_items = train.n_items();
    let mut models: Vec<ModelScore> = baselines
        .iter()
        .map(|m| {
            let users = foldin::score_recommender(m.as_ref(), &report, n_items, None);
            combine_with_sets(m.name(), &users, m.predicts_ratings(), n_items)
        })
        .collect();
    let rows = foldin::catalogue_rows(&engine, train);
    let row = |i: u32| rows[i as usize];
    let users = score_users(&engine, &report, &row);
    models.push(combine_with_sets("irt-int8", &users, true, engine.len()));
    // The product's list: the default ranking through the Visitor, exploration 0.
    let lists = score_lists(&engine, &report, &row);
    models.push(combine_with_sets("list", &lists, false, engine.len()));
    for m in &models {
        eprintln!(
            "fold-in {:<17} RMSE {:?} NDCG@10 {:?} Spearman {:?} overlap@20 {:?}",
            m.name, m.rmse, m.ndcg_10, m.spearman_user, m.overlap_20
        );
    }
    ProtocolReport {
        seeds: vec![seed],
        models,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::testdata::{small, synthetic_inputs};
    use crate::eval::adapters::BASELINES;

    /// The main protocol on planted data, two seeds: every model in report order, the latent model ahead of
    /// bias-only ahead of the global mean, the int8 round trip close to f32, intervals only for
    /// the IRT model and in a sensible range.
    #[test]
    fn the_random_protocol_scores_every_model_on_planted_data() {
        let (ratings, cat) = synthetic_inputs(&small());
        let params = IrtParams {
            k: 2,
            epochs: 8,
            ..IrtParams::default()
        };
        let models = random(&ratings, &cat, &[1, 2], &params, &IalsParams::default());
        let names: Vec<&str> = models.iter().map(|m| m.name.as_str()).collect();
        let n = BASELINES.len();
        assert_eq!(names[..n], BASELINES);
        assert_eq!(names[n..], ["irt-f32", "irt-int8"]);
        let get = |n: &str| models.iter().find(|m| m.name == n).unwrap();
        let rmse = |n: &str| get(n).rmse.unwrap();
        assert!(rmse("irt-f32") < rmse("bias"), "{models:?}");
        assert!(rmse("bias") < rmse("global-mean"), "{models:?}");
        // The planted noise is 0.3 and half stars add ~0.14: the latent model gets close.
        assert!(rmse("irt-f32") < 0.5, "{models:?}");
        assert!((rmse("irt-int8") - rmse("irt-f32")).abs() < 0.05);
        // Two seeds: an sd of RMSE wherever there is an RMSE.
        assert!(models
            .iter()
            .all(|m| m.rmse.is_some() == m.rmse_sd.is_some()));
        assert!(["ease", "ials", "popularity"]
            .iter()
            .all(|n| get(n).rmse.is_none()));
        for m in &models {
            let irt = m.name.starts_with("irt");
            assert_eq!(m.interval_cov90.is_some(), irt, "{}", m.name);
            for v in [m.recall_20, m.ndcg_10].into_iter().flatten() {
                assert!((0.0..=1.0).contains(&v), "{}: {v}", m.name);
            }
        }
        let int8 = get("irt-int8");
        let (c50, c90) = (int8.interval_cov50.unwrap(), int8.interval_cov90.unwrap());
        assert!(
            (0.3..0.8).contains(&c50) && (0.75..=1.0).contains(&c90) && c50 < c90,
            "{c50} {c90}: {models:?}"
        );
    }

    /// Fold-in on planted data: every baseline, `irt-int8` and the product's `list`, each with
    /// how personal its lists are; `list` ranks only (its ratings are `irt-int8`'s) and its
    /// ranking metrics are those of the engine's own list.
    #[test]
    fn fold_in_scores_the_product_list_beside_every_baseline() {
        let (ratings, cat) = synthetic_inputs(&small());
        let params = IrtParams {
            k: 2,
            epochs: 8,
            ..IrtParams::default()
        };
        let report = fold_in(&ratings, &cat, 3, &params, &IalsParams::default());
        let names: Vec<&str> = report.models.iter().map(|m| m.name.as_str()).collect();
        let n = BASELINES.len();
        assert_eq!(names[..n], BASELINES);
        assert_eq!(names[n..], ["irt-int8", "list"]);
        let list = report.models.iter().find(|m| m.name == "list").unwrap();
        assert!(list.rmse.is_none() && list.spearman_user.is_none());
        for m in &report.models {
            for v in [
                m.recall_20,
                m.ndcg_10,
                m.recall_50,
                m.hit_10,
                m.precision_10,
                m.coverage_20,
                m.overlap_20,
            ] {
                let v = v.unwrap_or_else(|| panic!("{}: a ranking metric is missing", m.name));
                assert!((0.0..=1.0).contains(&v), "{}: {v}", m.name);
            }
            assert!(m.recall_50 >= m.recall_20, "{}", m.name);
        }
        // The most-rated list is the same for everyone, less what each user rated.
        let pop = report
            .models
            .iter()
            .find(|m| m.name == "popularity")
            .unwrap();
        assert!(pop.overlap_20.unwrap() > 0.5, "{pop:?}");
    }
}
