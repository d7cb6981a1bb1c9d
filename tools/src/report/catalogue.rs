//! Data for the pictures over the whole catalogue, computed through the engine exactly as the
//! browser computes them (a profile read by the engine's `Visitor`, `predict_all` on its
//! posterior, its list), so that what the pictures show is what a visitor gets: predictions out
//! of range, obscure movies at the top of a list and exploding factors would all show up here
//! first.

use moviematch::profile::Settings;
use moviematch::{ListRequest, Model, Predictions, Profile};

use crate::data::csr::Csr;
use crate::data::movielens::Ratings;
use crate::eval::foldin::rated_profile;

/// A visitor: some real user's ratings given to the engine as a browser profile would be.
pub struct Visitor {
    /// "light", "typical", "heavy" or "prior".
    pub role: &'static str,
    /// "typical user 414 (58 ratings)", "no ratings".
    pub label: String,
    /// Ratings the posterior was fitted on.
    pub n_ratings: usize,
    /// The engine's session for the profile: posterior, exclusions, lists.
    pub session: moviematch::Visitor,
    pub preds: Predictions,
}

impl Visitor {
    /// The engine's session for `profile`, with its predictions for the whole catalogue.
    fn new(
        engine: &Model,
        profile: &Profile,
        role: &'static str,
        label: String,
        n_ratings: usize,
    ) -> Visitor {
        let session = moviematch::Visitor::new(engine, profile);
        let preds = session
            .posterior()
            .expect("the posterior is positive definite")
            .predict_all(engine);
        Visitor {
            role,
            label,
            n_ratings,
            session,
            preds,
        }
    }

    /// The top `n` of the visitor's list with the app's default settings.
    pub fn top(&self, engine: &Model, n: usize) -> Vec<usize> {
        let request = ListRequest {
            top: n,
            ..ListRequest::new(&Settings::default())
        };
        self.session
            .recommend(engine, &request)
            .expect("the posterior is positive definite")
            .iter()
            .map(|e| e.rec.item)
            .collect()
    }
}

/// The visitor with no ratings: the bundle's prior.
pub fn prior_visitor(engine: &Model) -> Visitor {
    Visitor::new(
        engine,
        &Profile::default(),
        "prior",
        "no ratings (prior)".into(),
        0,
    )
}

/// Dense users of `r` at the 10th, 50th and 90th percentile of rating count, named "light",
/// "typical" and "heavy" (distinct users; fewer when `r` has fewer than three).
pub fn pick_users(r: &Ratings) -> Vec<(&'static str, usize)> {
    let mut count = vec![0usize; r.n_users()];
    for &u in &r.user {
        count[u as usize] += 1;
    }
    let mut order: Vec<usize> = (0..r.n_users()).filter(|&u| count[u] > 0).collect();
    order.sort_by_key(|&u| (count[u], r.user_ids[u]));
    let mut out: Vec<(&'static str, usize)> = Vec::new();
    for (name, q) in [("light", 0.1), ("typical", 0.5), ("heavy", 0.9)] {
        if order.is_empty() {
            break;
        }
        let u = order[((order.len() - 1) as f64 * q).round() as usize];
        if !out.iter().any(|o| o.1 == u) {
            out.push((name, u));
        }
    }
    out
}

/// The engine's visitor for dense user `u` of `r`, their ratings stored as the app stores them
/// (movies the bundle does not know are skipped, as the browser skips them).
pub fn user_visitor(
    engine: &Model,
    r: &Ratings,
    by_user: &Csr,
    role: &'static str,
    u: usize,
) -> Visitor {
    let ratings: Vec<(usize, f32)> = by_user
        .group(u)
        .iter()
        .filter_map(|&j| {
            let j = j as usize;
            engine
                .by_movielens_id(r.item_ids[r.item[j] as usize])
                .map(|item| (item, r.value[j]))
        })
        .collect();
    let label = format!("{role} user {} ({} ratings)", r.user_ids[u], ratings.len());
    let profile = rated_profile(engine, &ratings);
    Visitor::new(engine, &profile, role, label, ratings.len())
}

/// ‖β_m‖: the length of movie m's latent factors as the bundle decodes them.
pub fn factor_norms(engine: &Model) -> Vec<f64> {
    let k = engine.k();
    engine
        .design()
        .rows()
        .into_iter()
        .map(|row| {
            row.iter()
                .take(k)
                .map(|&v| (v as f64).powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .collect()
}

/// log₁₀ of IMDb votes; `None` for a movie IMDb has no rating for.
pub fn log_votes(votes: u32) -> Option<f64> {
    (votes > 0).then(|| (votes as f64).log10())
}

/// Catalogue rows of the `n` movies with the most training ratings (ties by row).
pub fn most_rated(engine: &Model, n: usize) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..engine.len())
        .filter(|&i| engine.movie(i).ml_count > 0)
        .collect();
    rows.sort_by_key(|&i| (std::cmp::Reverse(engine.movie(i).ml_count), i));
    rows.truncate(n);
    rows
}

/// Median of `v` (mean of the middle two for an even length); `None` when empty.
pub fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// Pearson correlation of the pairs; `None` when either side is constant or fewer than two.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let (mx, my) = pairs
        .iter()
        .fold((0.0, 0.0), |a, p| (a.0 + p.0 / n, a.1 + p.1 / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for &(x, y) in pairs {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx).powi(2);
        syy += (y - my).powi(2);
    }
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Mean y per bin of x (bins of `width` aligned at multiples of it, at least `min_n` points),
/// as (mean x, mean y) in increasing x: the trend line drawn over a scatter.
pub fn binned_means(points: &[(f64, f64)], width: f64, min_n: usize) -> Vec<(f64, f64)> {
    let mut bins: std::collections::BTreeMap<i64, (usize, f64, f64)> = Default::default();
    for &(x, y) in points {
        let b = bins
            .entry((x / width).floor() as i64)
            .or_insert((0, 0.0, 0.0));
        b.0 += 1;
        b.1 += x;
        b.2 += y;
    }
    bins.into_values()
        .filter(|b| b.0 >= min_n.max(1))
        .map(|(n, sx, sy)| (sx / n as f64, sy / n as f64))
        .collect()
}

/// The visitors the catalogue pictures follow: the users [`pick_users`] chooses from
/// `profiles`, each with the posterior from all their ratings there, then the prior.
pub fn visitors(engine: &Model, profiles: &Ratings) -> Vec<Visitor> {
    let by_user = Csr::build(&profiles.user, profiles.n_users());
    let mut visitors: Vec<Visitor> = pick_users(profiles)
        .into_iter()
        .map(|(role, u)| user_visitor(engine, profiles, &by_user, role, u))
        .collect();
    visitors.push(prior_visitor(engine));
    visitors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_users_by_activity_percentile() {
        // Users 0..9 with 1..=10 ratings each.
        let mut r = Ratings {
            user_ids: (100..110).collect(),
            item_ids: vec![1],
            ..Ratings::default()
        };
        for u in 0..10u32 {
            for _ in 0..=u {
                r.user.push(u);
                r.item.push(0);
                r.value.push(3.0);
                r.time.push(0);
            }
        }
        // Percentiles over 10 users: ranks round(0.9) = 1, round(4.5) = 5 (half away from
        // zero), round(8.1) = 8.
        assert_eq!(
            pick_users(&r),
            vec![("light", 1), ("typical", 5), ("heavy", 8)]
        );
    }

    #[test]
    fn pearson_by_hand() {
        assert_eq!(pearson(&[(1.0, 2.0)]), None);
        assert_eq!(pearson(&[(1.0, 2.0), (2.0, 2.0)]), None);
        let r = pearson(&[(1.0, 1.0), (2.0, 3.0), (3.0, 5.0)]).unwrap();
        assert!((r - 1.0).abs() < 1e-12);
        // x = 1, 2, 3; y = 1, 3, 2: sxy = 1, sxx = 2, syy = 2 → 0.5.
        let r = pearson(&[(1.0, 1.0), (2.0, 3.0), (3.0, 2.0)]).unwrap();
        assert!((r - 0.5).abs() < 1e-12);
    }

    #[test]
    fn binned_means_by_hand() {
        let pts = [(0.1, 1.0), (0.4, 3.0), (1.2, 5.0), (2.7, 0.0), (2.9, 2.0)];
        // Bins of 1: [0, 1) → (0.25, 2), [1, 2) has one point (dropped at min_n 2), [2, 3) → (2.8, 1).
        let m = binned_means(&pts, 1.0, 2);
        assert_eq!(m.len(), 2);
        assert!((m[0].0 - 0.25).abs() < 1e-12 && (m[0].1 - 2.0).abs() < 1e-12);
        assert!((m[1].0 - 2.8).abs() < 1e-12 && (m[1].1 - 1.0).abs() < 1e-12);
        assert_eq!(binned_means(&pts, 1.0, 1).len(), 3);
    }

    #[test]
    fn median_by_hand() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
