//! Choosing the ranking settings (popularity weight, caution) the simulation runs with, on the
//! fold-in tuning users, never the reported ones.

use moviematch::profile::Settings;
use moviematch::{Model, Profile, Visitor};
use rayon::prelude::*;

use crate::eval::metrics::{combine, UserScore};
use crate::eval::simulate::replay::{
    full_visitor, run_user, score_visitor, Policy, SimUser, Variant,
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
/// The lists are the visitors' own ([`score_visitor`]), so each knob is clamped to the range
/// the app's settings allow; a grid value outside it is measured (and reported) clamped, once.
pub fn tune_ranking(
    model: &Model,
    users: &[SimUser],
    popularity: &[f32],
    caution: &[f32],
    popular: &[usize],
) -> Settings {
    let pop_floor = {
        let s: Vec<UserScore> = users
            .par_iter()
            .map(|u| {
                run_user(
                    model,
                    u,
                    Policy::Popularity,
                    Variant::Known,
                    &Settings::default(),
                    popular,
                    0,
                )
                .swap_remove(0)
                .score
            })
            .collect();
        combine("", &s, false).ndcg_10.unwrap_or(0.0)
    };
    eprintln!(
        "ranking on {} tuning users (popularity ranking: NDCG@10 {pop_floor:.4}): popularity caution  NDCG@10 (0 answers, full pool)",
        users.len()
    );
    let prior = Visitor::new(model, &Profile::default());
    // The visitors do not depend on the list settings: fitted once, ranked per grid point.
    let full: Vec<Visitor> = users.par_iter().map(|u| full_visitor(model, u)).collect();
    let mut points: Vec<(Settings, f64, f64)> = Vec::new();
    for &caution in caution {
        for &popularity in popularity {
            let settings = Settings {
                caution,
                popularity,
                ..Settings::default()
            }
            .clamped();
            if (settings.caution, settings.popularity) != (caution, popularity) {
                eprintln!(
                    "  popularity {popularity} caution {caution} is outside the settings' range: measured as {} {}",
                    settings.popularity, settings.caution
                );
            }
            if points.iter().any(|p| p.0 == settings) {
                continue;
            }
            let per_user: Vec<NdcgPair> = users
                .par_iter()
                .zip(&full)
                .map(|(u, visitor)| {
                    let cold = score_visitor(model, &prior, u, &settings);
                    let full = score_visitor(model, visitor, u, &settings);
                    (cold.ndcg(), full.ndcg())
                })
                .collect();
            let mean = |f: &dyn Fn(&NdcgPair) -> Option<f64>| {
                let v: Vec<f64> = per_user.iter().filter_map(f).collect();
                v.iter().sum::<f64>() / v.len().max(1) as f64
            };
            eprintln!(
                "  {:>10} {:>7}  {:.4}  {:.4}",
                settings.popularity,
                settings.caution,
                mean(&|p| p.0),
                mean(&|p| p.1)
            );
            points.push((settings, mean(&|p| p.0), mean(&|p| p.1)));
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
    let settings = chosen.0.clone();
    eprintln!(
        "chosen: popularity {} caution {} (NDCG@10 {:.4} at 0 answers, {:.4} full; best full {:.4})",
        settings.popularity, settings.caution, chosen.1, chosen.2, best_full
    );
    settings
}
