//! Choosing the ranking settings (popularity weight, caution) the simulation runs with, on the
//! fold-in tuning users, never the reported ones.

use moviematch::rank::RankOptions;
use moviematch::{Model, Posterior};
use rayon::prelude::*;

use crate::eval::metrics::{combine, UserScore};
use crate::eval::simulate::replay::{
    full_posterior, run_user, score_posterior, Policy, SimUser, Variant,
};

/// A user's NDCG@10 at 0 answers and with the full pool.
type NdcgPair = (Option<f64>, Option<f64>);

/// The ranking settings for the product, chosen on the tuning users: the **smallest**
/// popularity weight (then the first caution) whose 0-answer list is at least as good as the
/// popularity ranking (the floor) and whose full-pool NDCG@10 is within 3% of the
/// grid's best. Why the smallest: on MovieLens the held-out liked movies are mostly popular
/// ones, so NDCG keeps creeping up with more popularity long after the list has stopped
/// following the visitor (at weight 6 a movie predicted 3.5★ enters a sci-fi fan's top 10
/// because everyone has seen it); the smallest weight that meets both bars keeps the list
/// personal. `popularity` and `caution` are the grid (caution-major); prints every point.
pub fn tune_ranking(
    model: &Model,
    users: &[SimUser],
    popularity: &[f32],
    caution: &[f32],
    popular: &[usize],
) -> RankOptions {
    let pop_floor = {
        let s: Vec<UserScore> = users
            .par_iter()
            .map(|u| {
                run_user(
                    model,
                    u,
                    Policy::Popularity,
                    Variant::Known,
                    &RankOptions::default(),
                    popular,
                    0,
                )[0]
            })
            .collect();
        combine("", &s, false).ndcg_10.unwrap_or(0.0)
    };
    eprintln!(
        "ranking on {} tuning users (popularity ranking: NDCG@10 {pop_floor:.4}): popularity caution  NDCG@10 (0 answers, full pool)",
        users.len()
    );
    let prior = Posterior::prior(model).expect("prior is positive definite");
    // The posteriors do not depend on the ranking settings: fitted once, ranked per grid point.
    let full: Vec<Posterior> = users.par_iter().map(|u| full_posterior(model, u)).collect();
    let mut points: Vec<(RankOptions, f64, f64)> = Vec::new();
    for &caution in caution {
        for &popularity in popularity {
            let rank = RankOptions {
                caution,
                popularity,
                ..RankOptions::default()
            };
            let per_user: Vec<NdcgPair> = users
                .par_iter()
                .zip(&full)
                .map(|(u, post)| {
                    let cold = score_posterior(model, &prior, u, &rank);
                    let full = score_posterior(model, post, u, &rank);
                    (cold.ndcg(), full.ndcg())
                })
                .collect();
            let mean = |f: &dyn Fn(&NdcgPair) -> Option<f64>| {
                let v: Vec<f64> = per_user.iter().filter_map(f).collect();
                v.iter().sum::<f64>() / v.len().max(1) as f64
            };
            eprintln!(
                "  {popularity:>10} {caution:>7}  {:.4}  {:.4}",
                mean(&|p| p.0),
                mean(&|p| p.1)
            );
            points.push((rank, mean(&|p| p.0), mean(&|p| p.1)));
        }
    }
    let best_full = points.iter().map(|p| p.2).fold(f64::NEG_INFINITY, f64::max);
    let chosen = points
        .iter()
        .filter(|p| p.1 >= pop_floor && p.2 >= 0.97 * best_full)
        .min_by(|x, y| x.0.popularity.total_cmp(&y.0.popularity))
        .or_else(|| {
            points
                .iter()
                .max_by(|x, y| (x.1 + x.2).total_cmp(&(y.1 + y.2)))
        })
        .expect("a non-empty grid");
    let rank = chosen.0.clone();
    eprintln!(
        "chosen: popularity {} caution {} (NDCG@10 {:.4} at 0 answers, {:.4} full; best full {:.4})",
        rank.popularity, rank.caution, chosen.1, chosen.2, best_full
    );
    rank
}
