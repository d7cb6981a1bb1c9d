//! The fold-in protocol, shared by `tools eval`, `tools tune` and `tools simulate`: a seeded
//! 20% of users are kept out of training; each of their ratings goes, 50/50, to a pool (what
//! the user tells the site) or to targets (what we try to predict). Half of these users are for
//! tuning and never reported. [`score_users`] scores the engine on them as the browser would.
//!
//! A fold-in user reaches the engine the way a visitor does: their answers become a
//! [`Profile`] ([`rated_profile`]: stable ids, half stars, as the app stores them) and the
//! engine's [`Visitor`] turns it into evidence, exclusions and the posterior. `tools eval`,
//! `tools tune`, `tools simulate` and `tools report` all fit fold-in users this way only, so
//! what they measure is what ships.

use moviematch::profile::Settings;
use moviematch::{ListRequest, Model, Profile, Scale, Visitor};
use ndarray::Array1;
use rand::{rngs::StdRng, RngExt, SeedableRng};
use rayon::prelude::*;

use crate::data::movielens::Ratings;
use crate::eval::baselines::{Recommender, UserQuery};
use crate::eval::metrics::{score_user, UserScore, RECALL_WIDE_AT};

/// One held-out user.
#[derive(Debug, Clone, PartialEq)]
pub struct FoldUser {
    /// Dense user index in the original ratings.
    pub user: u32,
    /// The visitor's answers: (dense item, rating).
    pub pool: Vec<(u32, f32)>,
    /// What is predicted and ranked: (dense item, rating).
    pub targets: Vec<(u32, f32)>,
    /// Used for tuning only, never for reporting.
    pub tuning: bool,
}

/// Training ratings (the other 80% of users) and the held-out users.
pub struct FoldIn {
    pub train: Ratings,
    pub users: Vec<FoldUser>,
}

/// Splits `r` for the fold-in protocol. Users with fewer than 4 ratings stay in training.
pub fn split(r: &Ratings, seed: u64) -> FoldIn {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xf01d);
    let held: Vec<bool> = (0..r.n_users())
        .map(|_| rng.random::<f64>() < 0.2)
        .collect();
    let mut count = vec![0usize; r.n_users()];
    for &u in &r.user {
        count[u as usize] += 1;
    }
    let held: Vec<bool> = held
        .iter()
        .zip(&count)
        .map(|(&h, &c)| h && c >= 4)
        .collect();
    let mut users: Vec<FoldUser> = Vec::new();
    let mut slot = vec![usize::MAX; r.n_users()];
    for (u, &h) in held.iter().enumerate() {
        if h {
            slot[u] = users.len();
            let tuning = rng.random::<f64>() < 0.5;
            users.push(FoldUser {
                user: u as u32,
                pool: Vec::new(),
                targets: Vec::new(),
                tuning,
            });
        }
    }
    let mut train_rows = Vec::with_capacity(r.len());
    for j in 0..r.len() {
        let u = r.user[j] as usize;
        if held[u] {
            let fu = &mut users[slot[u]];
            let pair = (r.item[j], r.value[j]);
            if rng.random::<f64>() < 0.5 {
                fu.pool.push(pair)
            } else {
                fu.targets.push(pair)
            }
        } else {
            train_rows.push(j);
        }
    }
    users.retain(|u| !u.pool.is_empty() && !u.targets.is_empty());
    FoldIn {
        train: r.select(&train_rows),
        users,
    }
}

/// The catalogue row of each dense item of `train` (through its MovieLens id): how fold-in
/// users' dense ids reach the engine.
pub fn catalogue_rows(engine: &Model, train: &Ratings) -> Vec<usize> {
    train
        .item_ids
        .iter()
        .map(|&id| {
            engine
                .by_movielens_id(id)
                .expect("every rated movie is in the catalogue")
        })
        .collect()
}

/// Scores a baseline on fold-in `users`: each pool as the history, every one of the `n_items`
/// dense items predicted, the pool left out of the ranking. With `keep`, only the items it
/// says yes to are ranked and only such targets count (a popularity band, say).
pub fn score_recommender(
    m: &dyn Recommender,
    users: &[&FoldUser],
    n_items: usize,
    keep: Option<&[bool]>,
) -> Vec<UserScore> {
    let items: Vec<u32> = (0..n_items as u32).collect();
    let outside: Vec<usize> =
        keep.map_or(Vec::new(), |k| (0..n_items).filter(|&i| !k[i]).collect());
    users
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
            let targets: Vec<(usize, f32)> = u
                .targets
                .iter()
                .map(|&(i, r)| (i as usize, r))
                .filter(|t| keep.is_none_or(|k| k[t.0]))
                .collect();
            let mut exclude: Vec<usize> = u.pool.iter().map(|p| p.0 as usize).collect();
            exclude.extend(&outside);
            score_user(&pred, &targets, &exclude, m.predicts_ratings())
        })
        .collect()
}

/// A fold-in user's ratings, (catalogue row, stars), as the app stores them: one
/// [`Profile::rate`] per movie under its stable id, on the stars scale. They are rated last to
/// first, so the [`Visitor`] (which reads ratings most recent first) sees them in the order
/// given and its posterior is, to the bit, `Posterior::fit` on them in that order.
///
/// Panics on a rating the app could not store (not a half star from 0.5 to 5: the visitor
/// would ignore it) or a row the catalogue cannot find again by its stable id.
pub fn rated_profile(model: &Model, ratings: &[(usize, f32)]) -> Profile {
    let mut profile = Profile::default();
    for (at, &(item, stars)) in ratings.iter().rev().enumerate() {
        assert!(
            Scale::Stars.range().accepts(stars),
            "rating {stars} of movie {item} is not a half star from 0.5 to 5"
        );
        let id = model.stable_id(item);
        assert_eq!(model.resolve(&id), Some(item), "movie {item} ({id:?})");
        profile.rate(id, stars, Scale::Stars, at as i64);
    }
    profile
}

/// A fold-in user as the engine sees them: their pool as a profile ([`rated_profile`]) read by
/// the [`Visitor`], and their targets as (catalogue row, rating).
fn visit(
    engine: &Model,
    u: &FoldUser,
    row: &(dyn Fn(u32) -> usize + Sync),
) -> (Visitor, Profile, Vec<(usize, f32)>) {
    let pool: Vec<(usize, f32)> = u.pool.iter().map(|&(i, r)| (row(i), r)).collect();
    let profile = rated_profile(engine, &pool);
    let visitor = Visitor::new(engine, &profile);
    let targets = u.targets.iter().map(|&(i, r)| (row(i), r)).collect();
    (visitor, profile, targets)
}

/// Scores the engine on fold-in `users` (dense item ids mapped to catalogue rows by `row`) as
/// the browser would: each pool becomes a profile ([`rated_profile`]) read by the engine's
/// [`Visitor`]; the means for the whole catalogue come from its posterior, the movies it leaves
/// out of lists (the pool) are not ranked, and the targets are predicted and ranked. `tools
/// eval` reports it on the reporting half, `tools tune` uses it on the tuning half.
pub fn score_users(
    engine: &Model,
    users: &[&FoldUser],
    row: &(dyn Fn(u32) -> usize + Sync),
) -> Vec<UserScore> {
    users
        .par_iter()
        .map(|u| {
            let (visitor, profile, targets) = visit(engine, u, row);
            let post = visitor.posterior().expect("posterior is positive definite");
            let mu = post.mean().mapv(|v| v as f32);
            let mean: Array1<f32> = engine.design().dot(&mu) + engine.offsets();
            let exclude: Vec<usize> = visitor.exclusions(&profile.settings).into_iter().collect();
            score_user(
                mean.as_slice().expect("contiguous"),
                &targets,
                &exclude,
                true,
            )
        })
        .collect()
}

/// Scores the product's list on fold-in `users`: each pool becomes a profile read by the
/// engine's [`Visitor`], whose list at the default settings (exploration 0) over the whole
/// catalogue minus the pool is ranked against the targets, as the visitor would see it. Only
/// ranking metrics: its rating predictions are `irt-int8`'s ([`score_users`]).
pub fn score_lists(
    engine: &Model,
    users: &[&FoldUser],
    row: &(dyn Fn(u32) -> usize + Sync),
) -> Vec<UserScore> {
    users
        .par_iter()
        .map(|u| {
            let (visitor, profile, targets) = visit(engine, u, row);
            let request = ListRequest {
                top: RECALL_WIDE_AT,
                ..ListRequest::new(&Settings::default())
            };
            let list = visitor
                .ranked(engine, &request)
                .expect("posterior is positive definite");
            // The list's order as scores: listed movies above everything else.
            let mut scores = vec![f32::NEG_INFINITY; engine.len()];
            for (rank, e) in list.iter().enumerate() {
                scores[e.item] = (list.len() - rank) as f32;
            }
            let exclude: Vec<usize> = visitor.exclusions(&profile.settings).into_iter().collect();
            let mut s = score_user(&scores, &targets, &exclude, false);
            // Only what was listed counts (the rest of the catalogue ties at −∞).
            s.top.truncate(list.len());
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::synth::{synthesize, SynthParams};

    /// The guarantee behind "what they measure is what ships": a fold-in user fitted through
    /// the app's profile and visitor is the direct fit of their ratings, and the visitor's
    /// lists leave out exactly what they rated.
    #[test]
    fn a_fold_in_user_through_the_visitor_is_the_direct_fit() {
        use moviematch::{Observation, Posterior};
        let model = Model::from_bundle(moviematch::fixture::random_bundle(7, 150, 4, 60));
        let ratings: Vec<(usize, f32)> = (0..25)
            .map(|j| ((j * 37 + 11) % 150, 0.5 * ((j * 7 % 10) + 1) as f32))
            .collect();
        let visitor = Visitor::new(&model, &rated_profile(&model, &ratings));
        let obs: Vec<Observation> = ratings
            .iter()
            .map(|&(item, rating)| Observation { item, rating })
            .collect();
        let direct = Posterior::fit(&model, &obs).unwrap();
        let via = visitor.posterior().unwrap();
        assert_eq!(
            visitor.evidence().observations,
            obs,
            "same answers, same order"
        );
        for (a, b) in via.mean().iter().zip(direct.mean()) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
        for (a, b) in via.cov().iter().zip(direct.cov()) {
            assert!((a - b).abs() < 1e-9, "{a} vs {b}");
        }
        // The visitor shows predictions through their IMDb stack (`moviematch::stack`); the
        // direct fit shown through the same stack predicts the same.
        let direct = direct.with_stack(via.stack());
        for i in [0, 3, 77, 149] {
            let (p, q) = (via.predict(&model, i), direct.predict(&model, i));
            assert!((p.mean - q.mean).abs() < 1e-6 && (p.sd() - q.sd()).abs() < 1e-6);
            let (p, q) = (via.predict_mean(&model, i), direct.predict_mean(&model, i));
            assert!((p - q).abs() < 1e-6);
        }
        let mut out: Vec<usize> = visitor
            .exclusions(&moviematch::profile::Settings::default())
            .into_iter()
            .collect();
        out.sort_unstable();
        let mut rated: Vec<usize> = ratings.iter().map(|r| r.0).collect();
        rated.sort_unstable();
        rated.dedup();
        assert_eq!(out, rated);
    }

    #[test]
    fn held_out_users_never_reach_training_and_keep_every_rating() {
        let r = synthesize(&SynthParams {
            users: 200,
            movies: 100,
            ratings: 6000,
            k: 2,
            noise: 0.5,
            seed: 2,
            factor_sd: 0.5,
        })
        .ratings;
        let f = split(&r, 9);
        let held: std::collections::HashSet<u32> = f.users.iter().map(|u| u.user).collect();
        assert!(f.train.user.iter().all(|u| !held.contains(u)));
        let n_held: usize = f.users.iter().map(|u| u.pool.len() + u.targets.len()).sum();
        assert_eq!(f.train.len() + n_held, r.len());
        let share = held.len() as f64 / r.n_users() as f64;
        assert!((0.1..0.3).contains(&share), "{share}");
        assert!(f.users.iter().any(|u| u.tuning) && f.users.iter().any(|u| !u.tuning));
    }

    #[test]
    fn pool_and_targets_split_each_held_users_ratings_and_the_split_is_seeded() {
        let r = synthesize(&SynthParams {
            users: 300,
            movies: 60,
            ratings: 6000,
            k: 2,
            noise: 0.5,
            seed: 4,
            factor_sd: 0.5,
        })
        .ratings;
        let f = split(&r, 11);
        assert_eq!(f.users, split(&r, 11).users);
        assert_ne!(f.users, split(&r, 12).users);
        let mut count = vec![0usize; r.n_users()];
        for &u in &r.user {
            count[u as usize] += 1;
        }
        let (mut pool, mut all) = (0usize, 0usize);
        for u in &f.users {
            assert!(
                count[u.user as usize] >= 4,
                "user {} has too few ratings",
                u.user
            );
            assert!(!u.pool.is_empty() && !u.targets.is_empty());
            let mut theirs: Vec<(u32, u32)> = (0..r.len())
                .filter(|&j| r.user[j] == u.user)
                .map(|j| (r.item[j], r.value[j].to_bits()))
                .collect();
            let mut split_up: Vec<(u32, u32)> = u
                .pool
                .iter()
                .chain(&u.targets)
                .map(|&(i, v)| (i, v.to_bits()))
                .collect();
            theirs.sort_unstable();
            split_up.sort_unstable();
            assert_eq!(split_up, theirs, "user {}", u.user);
            let pool_items: std::collections::HashSet<u32> = u.pool.iter().map(|p| p.0).collect();
            assert!(u.targets.iter().all(|t| !pool_items.contains(&t.0)));
            pool += u.pool.len();
            all += u.pool.len() + u.targets.len();
        }
        let share = pool as f64 / all as f64;
        assert!((0.45..0.55).contains(&share), "{share}");
        let tuning = f.users.iter().filter(|u| u.tuning).count() as f64 / f.users.len() as f64;
        assert!((0.3..0.7).contains(&tuning), "{tuning}");
    }
}
