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
}
