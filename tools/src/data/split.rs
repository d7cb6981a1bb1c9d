//! Seeded train/held-out splits, shared by `train` (early stopping) and `eval`.

use rand::{rngs::StdRng, RngExt, SeedableRng};

use crate::data::movielens::Ratings;

/// Random split: each rating goes to the held-out part with probability `fraction`.
pub fn random_split(r: &Ratings, fraction: f64, seed: u64) -> (Ratings, Ratings) {
    let mut rng = StdRng::seed_from_u64(seed);
    let (mut train, mut test) = (Vec::with_capacity(r.len()), Vec::new());
    for j in 0..r.len() {
        if rng.random::<f64>() < fraction {
            test.push(j);
        } else {
            train.push(j);
        }
    }
    (r.select(&train), r.select(&test))
}

/// Per-user time split: each user's latest `fraction` of ratings (by timestamp, at least one
/// when the user has two or more) is held out, the rest trains. Ties keep file order.
pub fn time_split(r: &Ratings, fraction: f64) -> (Ratings, Ratings) {
    let by_user = crate::data::csr::Csr::build(&r.user, r.n_users());
    let (mut train, mut test) = (Vec::with_capacity(r.len()), Vec::new());
    for u in 0..r.n_users() {
        let mut rows: Vec<u32> = by_user.group(u).to_vec();
        rows.sort_by_key(|&j| r.time[j as usize]);
        let n_test = if rows.len() >= 2 {
            ((rows.len() as f64 * fraction).round() as usize).max(1)
        } else {
            0
        };
        let cut = rows.len() - n_test;
        train.extend(rows[..cut].iter().map(|&j| j as usize));
        test.extend(rows[cut..].iter().map(|&j| j as usize));
    }
    train.sort_unstable();
    test.sort_unstable();
    (r.select(&train), r.select(&test))
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn time_split_holds_out_each_users_latest_ratings() {
        let r = Ratings {
            user: vec![0, 0, 0, 0, 0, 1, 1, 2],
            item: vec![0, 1, 2, 3, 4, 0, 1, 0],
            value: vec![1.0; 8],
            time: vec![50, 10, 40, 20, 30, 7, 3, 1],
            user_ids: vec![1, 2, 3],
            item_ids: vec![1, 2, 3, 4, 5],
        };
        let (train, test) = time_split(&r, 0.2);
        // User 0: 5 ratings → 1 held out, the latest (time 50); user 1: 2 → 1 (time 7); user 2: 1 → 0.
        assert_eq!(test.time, vec![50, 7]);
        assert_eq!(train.len() + test.len(), r.len());
        assert!(train.time.iter().all(|&t| t != 50 && t != 7));
    }

    fn synthetic() -> Ratings {
        crate::data::synth::synthesize(&crate::data::synth::SynthParams {
            users: 150,
            movies: 80,
            ratings: 5000,
            k: 2,
            noise: 0.5,
            seed: 3,
            factor_sd: 0.5,
        })
        .ratings
    }

    /// (user, item) of every rating: unique in synthetic data, so sets compare parts.
    fn pairs(r: &Ratings) -> HashSet<(u32, u32)> {
        r.user.iter().copied().zip(r.item.iter().copied()).collect()
    }

    #[test]
    fn random_split_is_seeded_disjoint_covering_and_near_its_fraction() {
        let r = synthetic();
        let (train, test) = random_split(&r, 0.1, 5);
        let (train2, test2) = random_split(&r, 0.1, 5);
        assert_eq!((&train.time, &test.time), (&train2.time, &test2.time));
        assert_ne!(random_split(&r, 0.1, 6).1.time, test.time);
        let (a, b) = (pairs(&train), pairs(&test));
        assert!(a.is_disjoint(&b));
        assert_eq!(a.len() + b.len(), r.len());
        assert_eq!(&a | &b, pairs(&r));
        // Binomial(5000, 0.1): sd ≈ 21, so ±100 is ~5 sd.
        assert!((400..600).contains(&test.len()), "{}", test.len());
        // Dense indices and id maps are kept, so a model trained on one part reads the other.
        assert_eq!(train.item_ids, r.item_ids);
        assert_eq!(test.user_ids, r.user_ids);
        assert!(random_split(&r, 0.0, 5).1.is_empty());
    }

    #[test]
    fn time_split_takes_each_users_latest_fifth() {
        let r = synthetic();
        let (train, test) = time_split(&r, 0.2);
        assert!(pairs(&train).is_disjoint(&pairs(&test)));
        assert_eq!(&pairs(&train) | &pairs(&test), pairs(&r));
        for u in 0..r.n_users() as u32 {
            let times = |p: &Ratings| -> Vec<u32> {
                (0..p.len())
                    .filter(|&j| p.user[j] == u)
                    .map(|j| p.time[j])
                    .collect()
            };
            let (tr, te) = (times(&train), times(&test));
            let n = tr.len() + te.len();
            let want = if n >= 2 {
                ((n as f64 * 0.2).round() as usize).max(1)
            } else {
                0
            };
            assert_eq!(te.len(), want, "user {u} with {n} ratings");
            let last_train = tr.iter().max().copied().unwrap_or(0);
            assert!(te.iter().all(|&t| t > last_train), "user {u}");
        }
    }
}
