//! `tools eval`: every model of the comparison on seeded random 90/10 splits (mean and sd over
//! the seeds). The IRT model is scored twice: in f32 as trained, and encoded to the int8 bundle
//! and decoded back through the engine (the numbers users get).
//!
//! Metrics: RMSE, MAE, Recall@20 and NDCG@10 (held-out ratings ≥ 4 ranked among every movie the
//! user has not rated in training), interval coverage of the 50% and 90% predictive intervals
//! (held-out ratings jittered by ±0.25 to undo half-star rounding; IRT only), and the per-user
//! Spearman correlation of predicted and held-out ratings. `null` where a metric does not apply.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use moviematch::noise::VisitorNoise;
use moviematch::Model;
use rand::{rngs::StdRng, RngExt, SeedableRng};
use rayon::prelude::*;
use serde::Serialize;

use crate::assemble::{assemble, BundleInputs, CatalogueInfo};
use crate::baselines::bias::BiasModel;
use crate::baselines::ease::Ease;
use crate::baselines::genre_content::GenreContent;
use crate::baselines::global_mean::GlobalMean;
use crate::baselines::imdb_average::ImdbAverage;
use crate::baselines::knn_item::ItemKnn;
use crate::baselines::knn_user::UserKnn;
use crate::baselines::mf::Mf;
use crate::baselines::popularity::Popularity;
use crate::baselines::{Recommender, SideInfo, TrainData, UserQuery};
use crate::cmd::DataArgs;
use crate::irt::{self, IrtEpoch, IrtModel, IrtParams};
use crate::movielens::{read_imdb_ratings, read_movies, read_ratings, Ratings};
use crate::split::random_split;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub data: DataArgs,
    /// Print only JSON on stdout.
    #[arg(long)]
    pub json: bool,
    /// Seeds of the random splits.
    #[arg(long, value_delimiter = ',', default_value = "42,43,44")]
    pub seeds: Vec<u64>,
    #[arg(long, default_value_t = 32)]
    pub k: usize,
    #[arg(long, default_value_t = 30)]
    pub epochs: usize,
}

/// One model's scores (means over the seeds).
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct ModelScore {
    pub name: String,
    pub rmse: Option<f64>,
    pub rmse_sd: Option<f64>,
    pub mae: Option<f64>,
    #[serde(rename = "recall@20")]
    pub recall_20: Option<f64>,
    #[serde(rename = "ndcg@10")]
    pub ndcg_10: Option<f64>,
    pub interval_cov50: Option<f64>,
    pub interval_cov90: Option<f64>,
    pub spearman_user: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub protocol: &'static str,
    pub seeds: Vec<u64>,
    pub models: Vec<ModelScore>,
    /// Further protocols by name, each with the same model objects.
    pub protocols: std::collections::BTreeMap<&'static str, ProtocolReport>,
}

/// One protocol's scores.
#[derive(Debug, Serialize)]
pub struct ProtocolReport {
    pub seeds: Vec<u64>,
    pub models: Vec<ModelScore>,
}

fn sibling(movielens: &Path, name: &str) -> Option<PathBuf> {
    let p = movielens.parent()?.join(name);
    p.is_dir().then_some(p)
}

/// Reads the MovieLens folder and builds the catalogue, with `imdb` and `catalogue` defaulting
/// to the sibling folders `imdb/` and `ml-25m/` when they exist (every evaluating command).
pub fn load_inputs(
    movielens: &Path,
    imdb: Option<&Path>,
    catalogue: Option<&Path>,
) -> Result<(Ratings, CatalogueInfo)> {
    let ratings = read_ratings(movielens)?;
    let movies = read_movies(movielens)?;
    let imdb_dir = imdb
        .map(Path::to_path_buf)
        .or_else(|| sibling(movielens, "imdb"));
    let cat_dir = catalogue
        .map(Path::to_path_buf)
        .or_else(|| sibling(movielens, "ml-25m"));
    let imdb = match &imdb_dir {
        Some(d) => read_imdb_ratings(d)?,
        None => HashMap::new(),
    };
    let extra = match &cat_dir {
        Some(d) => read_movies(d)?,
        None => Vec::new(),
    };
    eprintln!(
        "{} ratings; IMDb: {}; extra catalogue: {}",
        ratings.len(),
        imdb_dir
            .as_ref()
            .map_or("none".into(), |d| d.display().to_string()),
        cat_dir
            .as_ref()
            .map_or("none".into(), |d| d.display().to_string())
    );
    let cat = CatalogueInfo::build(&movies, &extra, &imdb)?;
    Ok((ratings, cat))
}

pub fn run(a: &Args) -> Result<()> {
    let (ratings, cat) = a.data.load()?;
    let params = IrtParams {
        k: a.k,
        epochs: a.epochs,
        ..IrtParams::default()
    };
    let report = evaluate(&ratings, &cat, &a.seeds, &params);
    if a.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_table(&report, ratings.len());
    }
    Ok(())
}

fn print_table(report: &Report, n: usize) {
    println!(
        "protocol {} (seeds {:?}), {n} ratings",
        report.protocol, report.seeds
    );
    print_models(&report.models);
    for (name, p) in &report.protocols {
        println!("\nprotocol {name} (seeds {:?})", p.seeds);
        print_models(&p.models);
    }
}

fn print_models(models: &[ModelScore]) {
    let f = |v: Option<f64>| v.map_or("–".to_string(), |v| format!("{v:.4}"));
    println!(
        "{:<17} {:>7} {:>7} {:>7} {:>9} {:>8} {:>7} {:>7} {:>8}",
        "model", "RMSE", "±sd", "MAE", "Recall@20", "NDCG@10", "cov50", "cov90", "Spearman"
    );
    for m in models {
        println!(
            "{:<17} {:>7} {:>7} {:>7} {:>9} {:>8} {:>7} {:>7} {:>8}",
            m.name,
            f(m.rmse),
            f(m.rmse_sd),
            f(m.mae),
            f(m.recall_20),
            f(m.ndcg_10),
            f(m.interval_cov50),
            f(m.interval_cov90),
            f(m.spearman_user)
        );
    }
}

/// Item side information for the dense items of `r`.
fn side_info(r: &Ratings, cat: &CatalogueInfo) -> SideInfo {
    let by_id: HashMap<u32, usize> = cat
        .movies
        .iter()
        .enumerate()
        .map(|(i, m)| (m.movie_id, i))
        .collect();
    let mut s = SideInfo::default();
    for id in &r.item_ids {
        let row = by_id.get(id).copied();
        s.genres.push(row.map_or(0, |c| cat.raw[c].genres));
        s.imdb_average
            .push(row.and_then(|c| cat.raw[c].imdb_rating));
        s.imdb_votes.push(row.map_or(0, |c| cat.raw[c].imdb_votes));
    }
    s
}

/// Runs every model on every seed and averages.
pub fn evaluate(
    ratings: &Ratings,
    cat: &CatalogueInfo,
    seeds: &[u64],
    params: &IrtParams,
) -> Report {
    let mut per_seed: Vec<Vec<ModelScore>> = Vec::new();
    for &seed in seeds {
        let (train, test) = random_split(ratings, 0.1, seed);
        per_seed.push(every_model(
            &train,
            &test,
            cat,
            seed,
            params,
            "random-90-10",
        ));
    }
    let n_models = per_seed[0].len();
    let models = (0..n_models)
        .map(|j| {
            let runs: Vec<&ModelScore> = per_seed.iter().map(|s| &s[j]).collect();
            let mean = |f: &dyn Fn(&ModelScore) -> Option<f64>| {
                let v: Vec<f64> = runs.iter().filter_map(|s| f(s)).collect();
                (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
            };
            let rmse_sd = {
                let v: Vec<f64> = runs.iter().filter_map(|s| s.rmse).collect();
                (v.len() > 1).then(|| {
                    let m = v.iter().sum::<f64>() / v.len() as f64;
                    (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
                })
            };
            ModelScore {
                name: runs[0].name.clone(),
                rmse: mean(&|s| s.rmse),
                rmse_sd,
                mae: mean(&|s| s.mae),
                recall_20: mean(&|s| s.recall_20),
                ndcg_10: mean(&|s| s.ndcg_10),
                interval_cov50: mean(&|s| s.interval_cov50),
                interval_cov90: mean(&|s| s.interval_cov90),
                spearman_user: mean(&|s| s.spearman_user),
            }
        })
        .collect();
    let mut protocols = std::collections::BTreeMap::new();
    protocols.insert("cold-items", cold_items(ratings, cat, seeds[0], params));
    protocols.insert("fold-in", fold_in(ratings, cat, seeds[0], params));
    let (train, test) = crate::split::time_split(ratings, 0.2);
    let time = every_model(&train, &test, cat, seeds[0], params, "time");
    protocols.insert(
        "time",
        ProtocolReport {
            seeds: vec![seeds[0]],
            models: time,
        },
    );
    Report {
        protocol: "random-90-10",
        seeds: seeds.to_vec(),
        models,
        protocols,
    }
}

/// Per-user scores of one prediction vector: (squared errors, absolute errors, count,
/// recall@20 and ndcg@10 if the user has relevant targets, Spearman if ≥ 5 targets).
/// (squared-error sum, absolute-error sum, n, (recall@20, NDCG@10), Spearman) of one user.
pub type UserScore = (f64, f64, usize, Option<(f64, f64)>, Option<f64>);

/// Scores predictions `pred` (indexed by candidate) for one user: `targets` as (candidate,
/// rating), `exclude` the candidates the user already gave.
pub fn score_user(
    pred: &[f32],
    targets: &[(usize, f32)],
    exclude: &[usize],
    ratings: bool,
) -> UserScore {
    let (lo, hi) = (0.5f32, 5.0f32);
    let (mut se, mut ae) = (0.0, 0.0);
    let mut pairs = Vec::new();
    if ratings {
        for &(i, r) in targets {
            let p = pred[i].clamp(lo, hi);
            se += ((p - r) as f64).powi(2);
            ae += ((p - r) as f64).abs();
            pairs.push((p as f64, r as f64));
        }
    }
    let rel: std::collections::HashSet<usize> =
        targets.iter().filter(|t| t.1 >= 4.0).map(|t| t.0).collect();
    let topn = (!rel.is_empty()).then(|| {
        let mut scores = pred.to_vec();
        for &i in exclude {
            scores[i] = f32::NEG_INFINITY;
        }
        let mut order: Vec<usize> = (0..scores.len()).collect();
        let cut = 20.min(order.len());
        order.select_nth_unstable_by(cut - 1, |&a, &b| {
            scores[b].total_cmp(&scores[a]).then(a.cmp(&b))
        });
        order.truncate(cut);
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let hits = order.iter().filter(|i| rel.contains(i)).count();
        let dcg: f64 = order
            .iter()
            .take(10)
            .enumerate()
            .filter(|(_, i)| rel.contains(i))
            .map(|(p, _)| 1.0 / (p as f64 + 2.0).log2())
            .sum();
        let idcg: f64 = (0..rel.len().min(10))
            .map(|p| 1.0 / (p as f64 + 2.0).log2())
            .sum();
        (hits as f64 / rel.len() as f64, dcg / idcg)
    });
    let sp = (ratings && pairs.len() >= 5)
        .then(|| spearman(&pairs))
        .flatten();
    (se, ae, if ratings { targets.len() } else { 0 }, topn, sp)
}

pub fn combine(name: &str, users: &[UserScore], ratings: bool) -> ModelScore {
    let n: usize = users.iter().map(|p| p.2).sum();
    let (se, ae) = users.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    let avg = |v: Vec<f64>| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
    ModelScore {
        name: name.to_string(),
        rmse: (ratings && n > 0).then(|| (se / n as f64).sqrt()),
        mae: (ratings && n > 0).then(|| ae / n as f64),
        recall_20: avg(users.iter().filter_map(|p| p.3.map(|t| t.0)).collect()),
        ndcg_10: avg(users.iter().filter_map(|p| p.3.map(|t| t.1)).collect()),
        spearman_user: avg(users.iter().filter_map(|p| p.4).collect()),
        ..ModelScore::default()
    }
}

/// `fold-in`: users never seen in training tell the site half their ratings (the pool); the
/// rest are predicted and, if rated ≥ 4, ranked. Baselines fold the pool in their own way and
/// rank the movies they know; `irt-int8` is the browser's path: the engine's exact posterior from
/// the pool over the int8 bundle, ranking the whole catalogue minus the pool. Only the
/// non-tuning half of the held-out users is reported.
fn fold_in(
    ratings: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    params: &IrtParams,
) -> ProtocolReport {
    let fold = crate::foldin::split(ratings, seed);
    let train = &fold.train;
    let side = side_info(train, cat);
    let data = TrainData {
        ratings: train,
        side: &side,
    };
    let engine = train_irt(train, cat, seed, params).engine;
    let report: Vec<&crate::foldin::FoldUser> = fold.users.iter().filter(|u| !u.tuning).collect();
    let baselines: Vec<Box<dyn Recommender + '_>> = fit_baselines(&data);
    let items: Vec<u32> = (0..train.n_items() as u32).collect();
    let mut models: Vec<ModelScore> = baselines
        .iter()
        .map(|m| {
            let users: Vec<UserScore> = report
                .par_iter()
                .map(|u| {
                    let mut pred = vec![0f32; items.len()];
                    m.predict(
                        UserQuery {
                            trained: None,
                            history: &u.pool,
                        },
                        &items,
                        &mut pred,
                    );
                    let targets: Vec<(usize, f32)> =
                        u.targets.iter().map(|&(i, r)| (i as usize, r)).collect();
                    let exclude: Vec<usize> = u.pool.iter().map(|p| p.0 as usize).collect();
                    score_user(&pred, &targets, &exclude, m.predicts_ratings())
                })
                .collect();
            combine(m.name(), &users, m.predicts_ratings())
        })
        .collect();
    let row = |i: u32| {
        engine
            .by_movielens_id(train.item_ids[i as usize])
            .expect("every rated movie is in the catalogue")
    };
    let users = crate::tune::score_users(&engine, &report, &row);
    models.push(combine("irt-int8", &users, true));
    for m in &models {
        eprintln!(
            "fold-in {:<17} RMSE {:?} NDCG@10 {:?} Spearman {:?}",
            m.name, m.rmse, m.ndcg_10, m.spearman_user
        );
    }
    ProtocolReport {
        seeds: vec![seed],
        models,
    }
}

/// Every baseline of the comparison, fitted on `data`, in report order.
fn fit_baselines<'a>(data: &'a TrainData<'a>) -> Vec<Box<dyn Recommender + 'a>> {
    vec![
        Box::new(GlobalMean::fit(data)),
        Box::new(Popularity::fit(data)),
        Box::new(ImdbAverage::fit(data)),
        Box::new(BiasModel::fit(data)),
        Box::new(UserKnn::fit(data)),
        Box::new(ItemKnn::fit(data)),
        Box::new(GenreContent::fit(data)),
        Box::new(Mf::fit(data)),
        Box::new(Ease::fit(data)),
    ]
}

/// Trains every model on `train` and scores it on `test` (users known to training).
fn every_model(
    train: &Ratings,
    test: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    params: &IrtParams,
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
    let models: Vec<Box<dyn Recommender>> = fit_baselines(&data);
    let f32m = IrtF32 { m: &irt_model };
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
fn cold_items(
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
    let models: Vec<Box<dyn Recommender + '_>> = vec![
        Box::new(GlobalMean::fit(&data)),
        Box::new(ImdbAverage::fit(&data)),
        Box::new(BiasModel::fit(&data)),
        Box::new(GenreContent::fit(&data)),
        Box::new(IrtF32 { m: &irt_model }),
        Box::new(IrtInt8::new(&irt_model, &engine, &train)),
    ];
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

/// Which of the two trainings in [`train_irt`] an epoch belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// On 90% of the training part, held-out RMSE on the other 10% picks the epoch count.
    Probe,
    /// On the whole training part for the probe's number of epochs.
    Final,
}

/// A model trained by [`train_irt`], with its training record.
pub struct IrtFit {
    /// The probe's epochs (their `heldout_rmse` is on the probe's stopping part).
    pub probe: Vec<IrtEpoch>,
    /// Ratings the probe trained on.
    pub probe_n: usize,
    /// The final model; `model.history` is its own epochs.
    pub model: IrtModel,
    /// Ratings the final model trained on.
    pub train_n: usize,
    /// The final model after the int8 bundle round trip.
    pub engine: Model,
}

/// The IRT model as every protocol trains it: epochs chosen by early stopping on a held-out
/// part of `train`, refitted on all of `train`, then through the int8 bundle into the engine.
/// Prints the probe's held-out RMSE per epoch.
pub fn train_irt(train: &Ratings, cat: &CatalogueInfo, seed: u64, params: &IrtParams) -> IrtFit {
    train_irt_with(train, cat, seed, params, |stage, e| {
        if stage == Stage::Probe {
            eprintln!(
                "seed {seed} probe epoch {} held-out RMSE {:.4}",
                e.epoch,
                e.heldout_rmse.unwrap_or(f64::NAN)
            )
        }
    })
}

/// [`train_irt`], reporting every epoch of both trainings to `on_epoch` instead of printing.
pub fn train_irt_with(
    train: &Ratings,
    cat: &CatalogueInfo,
    seed: u64,
    params: &IrtParams,
    mut on_epoch: impl FnMut(Stage, &IrtEpoch),
) -> IrtFit {
    let x = cat.item_features(train);
    let f = cat.spec.len();
    let (fit, stop) = random_split(train, 0.1, seed ^ 0xa15);
    let probe = irt::train(
        &fit,
        Some(&stop),
        &x,
        f,
        &IrtParams {
            seed,
            ..params.clone()
        },
        |e| on_epoch(Stage::Probe, e),
    );
    let irt_params = IrtParams {
        seed,
        epochs: probe.history.len(),
        ..params.clone()
    };
    let model = irt::train(train, None, &x, f, &irt_params, |e| {
        on_epoch(Stage::Final, e)
    });
    let bundle = assemble(
        &model,
        &irt_params,
        cat,
        &BundleInputs {
            train,
            dataset: "eval".into(),
            created_unix: 0,
            holdout_fraction: 0.0,
            holdout_rmse: f32::NAN,
            holdout_rmse_bias_only: f32::NAN,
        },
    )
    .expect("the trained model makes a valid bundle");
    let engine = Model::from_bytes(&bundle.encode()).expect("the bundle decodes");
    IrtFit {
        probe: probe.history,
        probe_n: fit.len(),
        model,
        train_n: train.len(),
        engine,
    }
}

/// Predictive intervals, for the models that have them.
pub trait Intervals {
    /// Gaussian predictive variance for (trained user, item) at the population noise σ̄²; the
    /// user's own noise (see [`user_noise`]) turns it into a Student-t.
    fn gaussian_var(&self, user: usize, item: usize) -> f64;
}

/// Every training user's q(σ_u²) under the bundle's noise prior, from their training ratings:
/// the engine's formula for a visitor (see `moviematch::noise`).
pub fn user_noise(m: &IrtModel, engine: &Model, train: &Ratings) -> Vec<VisitorNoise> {
    crate::visitor::user_noise_stats(m, train)
        .into_iter()
        .map(|(n, ss)| VisitorNoise::updated(engine.visitor().noise, m.sigma2, n, ss))
        .collect()
}

/// The IRT model as trained (f32 item means, full item covariances).
struct IrtF32<'a> {
    m: &'a IrtModel,
}

impl Recommender for IrtF32<'_> {
    fn name(&self) -> &'static str {
        "irt-f32"
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let u = user.trained.expect("random-split users are trained") as usize;
        for (o, &i) in out.iter_mut().zip(items) {
            *o = self.m.raw(u, i as usize) as f32;
        }
    }
}

impl Intervals for IrtF32<'_> {
    fn gaussian_var(&self, u: usize, i: usize) -> f64 {
        let m = self.m;
        let (k, f, d) = (m.k, m.f, m.d());
        let e = k + 1;
        let z = &m.user_mean[u * d..(u + 1) * d];
        let sz = m.user_cov_of(u);
        let sy = m.item_cov_of(i);
        let y = &m.item_mean[i * e..(i + 1) * e];
        let mut xt = vec![0f64; d];
        xt[..k].copy_from_slice(&y[..k]);
        for c in 0..f {
            xt[k + c] = m.x[i * f + c] as f64;
        }
        xt[d - 1] = 1.0;
        let mut var = m.sigma2 + sy[[k, k]];
        for a in 0..d {
            for b in 0..d {
                var += xt[a] * sz[[a, b]] * xt[b];
            }
        }
        for a in 0..k {
            var += 2.0 * z[a] * sy[[a, k]];
            for b in 0..k {
                var += sy[[a, b]] * (z[a] * z[b] + sz[[a, b]]);
            }
        }
        var.max(0.0)
    }
}

/// The IRT model after the int8 bundle round trip: item side from the engine's decoded model,
/// user side from training.
pub struct IrtInt8<'a> {
    m: &'a IrtModel,
    engine: &'a Model,
    /// Dense item → catalogue index in the bundle.
    row: Vec<usize>,
}

impl<'a> IrtInt8<'a> {
    pub fn new(m: &'a IrtModel, engine: &'a Model, train: &Ratings) -> Self {
        let row = train
            .item_ids
            .iter()
            .map(|&id| {
                engine
                    .by_movielens_id(id)
                    .expect("trained movies are in the bundle")
            })
            .collect();
        IrtInt8 { m, engine, row }
    }
}

impl Recommender for IrtInt8<'_> {
    fn name(&self) -> &'static str {
        "irt-int8"
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let u = user.trained.expect("random-split users are trained") as usize;
        let d = self.m.d();
        let z = &self.m.user_mean[u * d..(u + 1) * d];
        let x = self.engine.design();
        for (o, &i) in out.iter_mut().zip(items) {
            let r = self.row[i as usize];
            let dot: f64 = x.row(r).iter().zip(z).map(|(a, b)| *a as f64 * b).sum();
            *o = (self.engine.offsets()[r] as f64 + dot) as f32;
        }
    }
}

impl Intervals for IrtInt8<'_> {
    fn gaussian_var(&self, u: usize, i: usize) -> f64 {
        let (m, eng) = (self.m, self.engine);
        let (k, d) = (m.k, m.d());
        let r = self.row[i];
        let z = &m.user_mean[u * d..(u + 1) * d];
        let sz = m.user_cov_of(u);
        let x = eng.design().row(r);
        let mut var = (eng.header.sigma as f64).powi(2) + eng.bias_variances()[r] as f64;
        for a in 0..d {
            for b in 0..d {
                var += x[a] as f64 * sz[[a, b]] * x[b] as f64;
            }
        }
        let tau2 = eng.factor_prior_var();
        let c: f64 = (0..k)
            .map(|j| tau2[j] as f64 * (z[j].powi(2) + sz[[j, j]]))
            .sum();
        var += eng.factor_var_scales()[r] as f64 * c;
        var.max(0.0)
    }
}

/// Scores one model on the held-out part.
fn score(model: &dyn Recommender, train: &Ratings, test: &Ratings) -> ModelScore {
    let nu = train.n_users();
    let mut hist: Vec<Vec<(u32, f32)>> = vec![Vec::new(); nu];
    for j in 0..train.len() {
        hist[train.user[j] as usize].push((train.item[j], train.value[j]));
    }
    let mut held: Vec<Vec<(usize, f32)>> = vec![Vec::new(); nu];
    for j in 0..test.len() {
        held[test.user[j] as usize].push((test.item[j] as usize, test.value[j]));
    }
    let all_items: Vec<u32> = (0..train.n_items() as u32).collect();
    // Candidates for the top-N: everything the user has not rated in training.
    let per_user: Vec<UserScore> = (0..nu)
        .into_par_iter()
        .filter(|&u| !held[u].is_empty())
        .map(|u| {
            let mut pred = vec![0f32; all_items.len()];
            model.predict(
                UserQuery {
                    trained: Some(u as u32),
                    history: &hist[u],
                },
                &all_items,
                &mut pred,
            );
            let exclude: Vec<usize> = hist[u].iter().map(|h| h.0 as usize).collect();
            score_user(&pred, &held[u], &exclude, model.predicts_ratings())
        })
        .collect();
    combine(model.name(), &per_user, model.predicts_ratings())
}

/// Share of held-out ratings (jittered ±0.25) inside the 50% and 90% predictive intervals,
/// computed before clipping to the scale.
fn coverage<M: Recommender + Intervals>(
    model: &M,
    noise: &[VisitorNoise],
    test: &Ratings,
    seed: u64,
) -> (f64, f64) {
    let mut jit = jitter(seed);
    let (mut in50, mut in90) = (0usize, 0usize);
    let mut mean = [0f32];
    for j in 0..test.len() {
        let (u, i) = (test.user[j] as usize, test.item[j]);
        model.predict(
            UserQuery {
                trained: Some(u as u32),
                history: &[],
            },
            &[i],
            &mut mean,
        );
        let p = noise[u].predictive(mean[0] as f64, model.gaussian_var(u, i as usize));
        let dev = (test.value[j] as f64 + jit() - mean[0] as f64).abs();
        in50 += (dev <= p.half_width(0.5)) as usize;
        in90 += (dev <= p.half_width(0.9)) as usize;
    }
    let n = test.len().max(1) as f64;
    (in50 as f64 / n, in90 as f64 / n)
}

/// Spearman rank correlation (average ranks for ties); None when either side is constant.
fn spearman(pairs: &[(f64, f64)]) -> Option<f64> {
    let ranks = |v: Vec<f64>| -> Vec<f64> {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
        let mut r = vec![0.0; v.len()];
        let mut i = 0;
        while i < idx.len() {
            let mut j = i;
            while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
                j += 1;
            }
            for t in i..=j {
                r[idx[t]] = (i + j) as f64 / 2.0;
            }
            i = j + 1;
        }
        r
    };
    let a = ranks(pairs.iter().map(|p| p.0).collect());
    let b = ranks(pairs.iter().map(|p| p.1).collect());
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(&b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt())
}

/// Jitter in [−0.25, 0.25] for held-out rating j: seeded, so coverage is reproducible.
pub fn jitter(seed: u64) -> impl FnMut() -> f64 {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x717);
    move || rng.random::<f64>() * 0.5 - 0.25
}
