//! The whole simulation on the fold-in split of a seed: train on its training part through the
//! int8 bundle, choose the ranking on the tuning users, then replay every policy on the other
//! users.

use std::collections::HashMap;

use crate::data::catalogue::CatalogueInfo;
use crate::data::movielens::Ratings;
use crate::eval::fit::train_irt;
use crate::eval::foldin::{self, FoldUser};
use crate::eval::simulate::ranking::tune_ranking;
use crate::eval::simulate::replay::{simulate, Curve, Policy, SimUser};
use crate::train::irt::IrtParams;

/// What the simulation is run with (besides the data).
#[derive(Debug, Clone)]
pub struct SimulateParams {
    /// Seed of the fold-in split and of training.
    pub seed: u64,
    pub epochs: usize,
    /// Popularity weights tried on the tuning users.
    pub popularity: Vec<f32>,
    /// Caution values tried on the tuning users (ties keep the first).
    pub caution: Vec<f32>,
    /// Report on at most this many users (all when `None`).
    pub max_users: Option<usize>,
}

/// The reported users' count and every policy's curves.
pub struct Simulation {
    pub users: usize,
    pub curves: Vec<Curve>,
}

/// Fold-in users in catalogue rows.
pub fn sim_users(users: &[&FoldUser], row: &dyn Fn(u32) -> usize) -> Vec<SimUser> {
    users
        .iter()
        .map(|u| SimUser {
            pool: u
                .pool
                .iter()
                .map(|&(i, r)| (row(i), r))
                .collect::<HashMap<_, _>>(),
            targets: u.targets.iter().map(|&(i, r)| (row(i), r)).collect(),
        })
        .collect()
}

/// MovieLens popularity over `train`'s dense items (training rating counts, most rated first,
/// ties by index; unrated items left out).
pub fn popularity_order(train: &Ratings) -> Vec<u32> {
    let mut count = vec![0u32; train.n_items()];
    for &i in &train.item {
        count[i as usize] += 1;
    }
    let mut popular: Vec<u32> = (0..train.n_items() as u32)
        .filter(|&i| count[i as usize] > 0)
        .collect();
    popular.sort_by_key(|&i| (std::cmp::Reverse(count[i as usize]), i));
    popular
}

/// Runs the simulation (see the module doc), printing its progress.
pub fn run(ratings: &Ratings, cat: &CatalogueInfo, p: &SimulateParams) -> Simulation {
    let fold = foldin::split(ratings, p.seed);
    let params = IrtParams {
        epochs: p.epochs,
        ..IrtParams::default()
    };
    eprintln!("training on {} ratings", fold.train.len());
    let mut engine = train_irt(&fold.train, cat, p.seed, &params).engine;
    // The list ranks with the blend fitted on the tuning half, as `tools train` fits it.
    let fitted = crate::eval::blend::fit_on_tuning_users(&engine, &fold, p.seed);
    engine.set_blend(&crate::eval::blend::shipped(&fitted));
    let engine = engine;
    let train = &fold.train;
    let rows = foldin::catalogue_rows(&engine, train);
    let row = |i: u32| rows[i as usize];
    let popular: Vec<usize> = popularity_order(train).into_iter().map(row).collect();

    let tuning: Vec<&FoldUser> = fold.users.iter().filter(|u| u.tuning).collect();
    let mut report: Vec<&FoldUser> = fold.users.iter().filter(|u| !u.tuning).collect();
    if let Some(n) = p.max_users {
        report.truncate(n);
    }
    let settings = tune_ranking(
        &engine,
        &sim_users(&tuning, &row),
        &p.popularity,
        &p.caution,
        &popular,
    );
    let users = sim_users(&report, &row);
    let curves = simulate(
        &engine,
        &users,
        &Policy::all(),
        &settings,
        &popular,
        p.seed,
        |what| eprintln!("simulating {what} on {} users", users.len()),
    );
    Simulation {
        users: users.len(),
        curves,
    }
}
