//! Seeded train/held-out splits, shared by `train` (early stopping) and `eval`.

use rand::{rngs::StdRng, RngExt, SeedableRng};

use crate::movielens::Ratings;

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
