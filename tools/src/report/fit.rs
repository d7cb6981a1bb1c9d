//! The model behind the held-out pictures is trained on the split by
//! [`crate::eval::fit::train_irt_with`] (epochs chosen by early stopping on a probe split of
//! the training part, refit on all of it, then the int8 bundle round trip through the engine),
//! the same training as `tools eval`'s, so the report's numbers are eval's numbers for that
//! seed. Here the held-out ratings are scored as eval scores them.

use crate::data::movielens::Ratings;
use crate::eval::adapters::{predictive, user_noise, IrtInt8};
use crate::eval::fit::IrtFit;
use crate::eval::metrics::jitter;
use crate::report::calibration::HeldOut;

/// Every held-out rating scored as `tools eval` scores `irt-int8` (trained users' q, the item
/// side after the bundle round trip), with eval's seeded jitter in the same order, so the
/// overall coverage equals eval's for this seed.
pub fn score_heldout(fit: &IrtFit, train: &Ratings, test: &Ratings, seed: u64) -> Vec<HeldOut> {
    let int8 = IrtInt8::new(&fit.model, &fit.engine, train);
    let noise = user_noise(&fit.model, &fit.engine, train);
    let mut jit = jitter(seed);
    (0..test.len())
        .map(|j| {
            let (u, i) = (test.user[j] as usize, test.item[j]);
            let (_, p) = predictive(&int8, &noise[u], u, i);
            HeldOut {
                mean: p.mean,
                scale: p.scale,
                dof: p.dof,
                actual: test.value[j] as f64,
                jitter: jit(),
                train_count: fit.model.item_count[i as usize],
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::catalogue::CatalogueInfo;
    use crate::data::movielens::{read_imdb_ratings, read_movies, read_ratings};
    use crate::data::split::random_split;
    use crate::eval::fit::train_irt_with;
    use crate::train::irt::IrtParams;
    use std::path::Path;

    /// Both trainings report their epochs, and every held-out rating gets a score.
    #[test]
    fn scores_every_heldout_rating() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let ml = root.join("ml-tiny");
        let ratings = read_ratings(&ml).unwrap();
        let imdb = read_imdb_ratings(&root.join("imdb-tiny")).unwrap();
        let cat = CatalogueInfo::build(&read_movies(&ml).unwrap(), &[], &imdb).unwrap();
        let (train, test) = random_split(&ratings, 0.1, 7);
        let params = IrtParams {
            k: 3,
            epochs: 6,
            ..IrtParams::default()
        };
        let mut stages = Vec::new();
        let fit = train_irt_with(&train, &cat, 7, &params, None, &[], |s, _| stages.push(s));
        assert_eq!(stages.len(), fit.probe.len() + fit.model.history.len());
        assert_eq!(fit.model.history.len(), fit.probe.len());
        assert!(fit.probe.iter().all(|e| e.heldout_rmse.is_some()));
        let held = score_heldout(&fit, &train, &test, 7);
        assert_eq!(held.len(), test.len());
        assert!(held.iter().all(|h| h.sd() > 0.0 && h.mean.is_finite()));
    }
}
