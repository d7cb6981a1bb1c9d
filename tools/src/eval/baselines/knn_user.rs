//! "user-knn-pearson": seed 000's V1, exactly.
//!
//! * Similarity (seed formula) sim(q, v) = Σ_{m ∈ co-rated} (r_q,m − μ_q)(r_v,m − μ_v) / (σ_q σ_v n),
//!   n = number of co-rated items. We read μ and σ as each user's mean and *population*
//!   standard deviation over **all** their ratings (the query's over its history, a neighbour's
//!   over its training ratings), not over the overlap only; so sim is a Pearson-like
//!   correlation that is not exactly bounded by ±1. A user with σ = 0 has no defined similarity
//!   and is never a neighbour (a query with σ = 0 gets no neighbours).
//! * Users with fewer than 5 co-rated items are skipped.
//! * Neighbourhood: the K = 50 users with the highest similarity (signed, so a negative
//!   similarity only enters when fewer than K users are more similar), ties by lower index.
//!   A trained query user is never their own neighbour.
//! * Prediction: μ_q + Σ sim·(r_n,m − μ_n) / Σ |sim| over the neighbours who rated m, if at
//!   least 3 of them did; otherwise (seed leaves this open) the user's mean μ_q, or the global
//!   mean when the history is empty. Predictions are clipped to the rating range.
//!
//! Cost per query: one pass over the raters of the history's items, then over the K
//! neighbours' ratings; neighbours are found once per `predict` call.

use super::util::{global_mean, rating_range, Grouped};
use super::{Recommender, TrainData, UserQuery};

#[derive(Debug, Clone, PartialEq)]
pub struct UserKnnParams {
    /// Neighbourhood size (seed: 50).
    pub k: usize,
    /// Minimum co-rated items for a similarity (seed: 5).
    pub min_overlap: usize,
    /// Minimum neighbours who rated the item (seed: 3).
    pub min_votes: usize,
}

impl Default for UserKnnParams {
    fn default() -> Self {
        UserKnnParams {
            k: 50,
            min_overlap: 5,
            min_votes: 3,
        }
    }
}

#[derive(Debug, Clone)]
pub struct UserKnn {
    params: UserKnnParams,
    by_user: Grouped,
    by_item: Grouped,
    user_mean: Vec<f64>,
    user_sd: Vec<f64>,
    mean: f64,
    clip: (f32, f32),
}

/// Mean and population standard deviation of the values.
fn mean_sd(values: impl Iterator<Item = f32> + Clone) -> (f64, f64) {
    let n = values.clone().count() as f64;
    if n == 0.0 {
        return (0.0, 0.0);
    }
    let m = values.clone().map(|v| v as f64).sum::<f64>() / n;
    let var = values.map(|v| (v as f64 - m).powi(2)).sum::<f64>() / n;
    (m, var.sqrt())
}

impl UserKnn {
    pub fn fit(data: &TrainData) -> Self {
        Self::fit_with(data, &UserKnnParams::default())
    }

    pub fn fit_with(data: &TrainData, p: &UserKnnParams) -> Self {
        let r = data.ratings;
        let by_user = Grouped::by_user(r);
        let (user_mean, user_sd) = (0..r.n_users())
            .map(|u| mean_sd(by_user.group(u).1.iter().copied()))
            .unzip();
        UserKnn {
            params: p.clone(),
            by_item: Grouped::by_item(r),
            by_user,
            user_mean,
            user_sd,
            mean: global_mean(r),
            clip: rating_range(r),
        }
    }

    /// The query's neighbourhood: (user, similarity), most similar first.
    pub fn neighbours(&self, user: UserQuery<'_>) -> Vec<(u32, f64)> {
        let (mq, sq) = mean_sd(user.history.iter().map(|h| h.1));
        if sq <= 0.0 {
            return Vec::new();
        }
        let n_users = self.by_user.n_groups();
        let mut dot = vec![0f64; n_users];
        let mut count = vec![0u32; n_users];
        for &(i, rq) in user.history {
            if i as usize >= self.by_item.n_groups() {
                continue;
            }
            let dq = rq as f64 - mq;
            let (users, values) = self.by_item.group(i as usize);
            for (&v, &rv) in users.iter().zip(values) {
                dot[v as usize] += dq * (rv as f64 - self.user_mean[v as usize]);
                count[v as usize] += 1;
            }
        }
        let mut nb: Vec<(u32, f64)> = (0..n_users)
            .filter(|&v| {
                count[v] as usize >= self.params.min_overlap
                    && self.user_sd[v] > 0.0
                    && user.trained != Some(v as u32)
            })
            .map(|v| (v as u32, dot[v] / (sq * self.user_sd[v] * count[v] as f64)))
            .collect();
        nb.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        nb.truncate(self.params.k);
        nb
    }
}

impl Recommender for UserKnn {
    fn name(&self) -> &'static str {
        "user-knn-pearson"
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let fallback = if user.history.is_empty() {
            self.mean
        } else {
            user.history.iter().map(|h| h.1 as f64).sum::<f64>() / user.history.len() as f64
        };
        let n_items = self.by_item.n_groups();
        // Numerator, Σ|sim| and votes per item, from the neighbours' ratings.
        let mut num = vec![0f64; n_items];
        let mut den = vec![0f64; n_items];
        let mut votes = vec![0u32; n_items];
        for (v, s) in self.neighbours(user) {
            let mv = self.user_mean[v as usize];
            let (its, values) = self.by_user.group(v as usize);
            for (&i, &r) in its.iter().zip(values) {
                num[i as usize] += s * (r as f64 - mv);
                den[i as usize] += s.abs();
                votes[i as usize] += 1;
            }
        }
        for (o, &i) in out.iter_mut().zip(items) {
            let i = i as usize;
            let p = if i < n_items && votes[i] as usize >= self.params.min_votes && den[i] > 0.0 {
                fallback + num[i] / den[i]
            } else {
                fallback
            };
            *o = (p as f32).clamp(self.clip.0, self.clip.1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::baselines::util::{history_of, ratings_from_dense};
    use crate::eval::baselines::SideInfo;
    use approx::assert_abs_diff_eq;
    use std::collections::HashMap;

    /// Six users over eight items, with enough overlap for the 5-item threshold.
    fn toy() -> crate::data::movielens::Ratings {
        let rows: &[[f32; 8]] = &[
            [5.0, 4.0, 4.5, 1.0, 2.0, 3.0, 0.0, 4.0],
            [4.0, 4.5, 5.0, 2.0, 1.0, 0.0, 3.5, 0.0],
            [1.0, 2.0, 1.5, 5.0, 4.0, 4.5, 2.0, 1.0],
            [4.5, 3.5, 0.0, 1.5, 2.5, 3.0, 4.0, 5.0],
            [2.0, 0.0, 2.0, 4.0, 5.0, 3.5, 1.0, 0.0],
            [3.0, 3.0, 3.0, 3.0, 0.0, 0.0, 0.0, 0.0],
        ];
        ratings_from_dense(rows)
    }

    /// The seed's formula, written out on maps.
    fn brute_sim(a: &HashMap<u32, f32>, b: &HashMap<u32, f32>) -> Option<f64> {
        let stats = |m: &HashMap<u32, f32>| {
            let n = m.len() as f64;
            let mu = m.values().map(|&v| v as f64).sum::<f64>() / n;
            let sd = (m.values().map(|&v| (v as f64 - mu).powi(2)).sum::<f64>() / n).sqrt();
            (mu, sd)
        };
        let ((ma, sa), (mb, sb)) = (stats(a), stats(b));
        let co: Vec<u32> = a.keys().filter(|k| b.contains_key(k)).copied().collect();
        if co.len() < 5 || sa == 0.0 || sb == 0.0 {
            return None;
        }
        let s: f64 = co
            .iter()
            .map(|k| (a[k] as f64 - ma) * (b[k] as f64 - mb))
            .sum();
        Some(s / (sa * sb * co.len() as f64))
    }

    #[test]
    fn similarities_and_predictions_match_brute_force() {
        let r = toy();
        let p = UserKnnParams {
            k: 3,
            min_overlap: 5,
            min_votes: 2,
        };
        let m = UserKnn::fit_with(
            &TrainData {
                ratings: &r,
                side: &SideInfo::default(),
            },
            &p,
        );
        let maps: Vec<HashMap<u32, f32>> = (0..6)
            .map(|u| history_of(&r, u).into_iter().collect())
            .collect();
        for q in 0..6u32 {
            let h = history_of(&r, q);
            let query = UserQuery {
                trained: Some(q),
                history: &h,
            };
            let mut expect: Vec<(u32, f64)> = (0..6u32)
                .filter(|&v| v != q)
                .filter_map(|v| Some((v, brute_sim(&maps[q as usize], &maps[v as usize])?)))
                .collect();
            expect.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            expect.truncate(3);
            let got = m.neighbours(query);
            assert_eq!(got.len(), expect.len(), "user {q}");
            for (g, e) in got.iter().zip(&expect) {
                assert_eq!(g.0, e.0);
                assert_abs_diff_eq!(g.1, e.1, epsilon = 1e-9);
            }
            // Predictions by the seed's formula over those neighbours.
            let mq = h.iter().map(|x| x.1 as f64).sum::<f64>() / h.len() as f64;
            let items: Vec<u32> = (0..8).collect();
            let mut out = [0f32; 8];
            m.predict(query, &items, &mut out);
            for i in 0..8u32 {
                let (mut num, mut den, mut votes) = (0.0, 0.0, 0);
                for &(v, s) in &expect {
                    if let Some(&rv) = maps[v as usize].get(&i) {
                        let mv = maps[v as usize].values().map(|&x| x as f64).sum::<f64>()
                            / maps[v as usize].len() as f64;
                        num += s * (rv as f64 - mv);
                        den += s.abs();
                        votes += 1;
                    }
                }
                let want = if votes >= 2 { mq + num / den } else { mq };
                assert_abs_diff_eq!(out[i as usize], want.clamp(1.0, 5.0) as f32, epsilon = 1e-5);
            }
        }
    }

    #[test]
    fn constant_history_falls_back_to_its_mean() {
        let r = toy();
        let m = UserKnn::fit(&TrainData {
            ratings: &r,
            side: &SideInfo::default(),
        });
        let h = history_of(&r, 5); // all 3.0: σ = 0, no similarity defined
        let mut out = [0f32; 2];
        m.predict(
            UserQuery {
                trained: None,
                history: &h,
            },
            &[4, 7],
            &mut out,
        );
        assert_eq!(out, [3.0, 3.0]);
    }
}
