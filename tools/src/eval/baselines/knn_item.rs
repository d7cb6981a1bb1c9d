//! "item-knn": item-item neighbourhood model (seed 002's ItemKNN, in the usual
//! baseline-corrected form).
//!
//! * Similarity: adjusted cosine, s_ij = Σ_u z_ui z_uj / (‖z_i‖ ‖z_j‖) with z_ui = r_ui − μ_u
//!   (the user's training mean), sums over all raters (a missing rating counts as 0, which
//!   also damps pairs that share only a few users).
//! * Storage: for each item only its `stored` (200) most similar items with s > 0, computed
//!   from the ratings (only pairs that share users are ever touched; cost Σ_u n_u²), so memory
//!   is O(items × stored), not O(items²).
//! * Prediction: r̂_ui = b̂_ui + Σ_j s_ij (r_uj − b̂_uj) / Σ_j s_ij over the K (40) most similar
//!   stored neighbours of i that the user rated, with b̂ the [`BiasModel`] baseline; no such
//!   neighbour → the baseline alone. Clipped to the rating range.

use rayon::prelude::*;

use super::bias::BiasModel;
use super::util::{rating_range, Grouped};
use super::{Recommender, TrainData, UserQuery};

#[derive(Debug, Clone, PartialEq)]
pub struct ItemKnnParams {
    /// Neighbours used per prediction.
    pub k: usize,
    /// Neighbours kept per item after fitting (≥ k; more means closer to exact top-K among
    /// the user's items, at proportional memory).
    pub stored: usize,
}

impl Default for ItemKnnParams {
    fn default() -> Self {
        ItemKnnParams { k: 40, stored: 200 }
    }
}

#[derive(Debug, Clone)]
pub struct ItemKnn {
    k: usize,
    bias: BiasModel,
    /// Per item: (neighbour, similarity), most similar first, s > 0 only.
    neighbours: Vec<Vec<(u32, f32)>>,
    clip: (f32, f32),
}

impl ItemKnn {
    pub fn fit(data: &TrainData) -> Self {
        Self::fit_with(data, &ItemKnnParams::default())
    }

    pub fn fit_with(data: &TrainData, p: &ItemKnnParams) -> Self {
        let r = data.ratings;
        let n_items = r.n_items();
        let by_user = Grouped::by_user(r);
        let user_mean: Vec<f32> = (0..r.n_users())
            .map(|u| {
                let v = by_user.group(u).1;
                v.iter().map(|&x| x as f64).sum::<f64>() as f32 / v.len().max(1) as f32
            })
            .collect();
        // Centred values, grouped both ways.
        let z: Vec<f32> = (0..r.len())
            .map(|j| r.value[j] - user_mean[r.user[j] as usize])
            .collect();
        let zu = Grouped::build(&r.user, &r.item, &z, r.n_users());
        let zi = Grouped::build(&r.item, &r.user, &z, n_items);
        let norm: Vec<f64> = (0..n_items)
            .map(|i| {
                zi.group(i)
                    .1
                    .iter()
                    .map(|&x| (x as f64).powi(2))
                    .sum::<f64>()
                    .sqrt()
            })
            .collect();
        let stored = p.stored.max(p.k);
        let neighbours = (0..n_items)
            .into_par_iter()
            .map_init(
                || (vec![0f64; n_items], Vec::<u32>::new()),
                |(acc, touched), i| {
                    if norm[i] == 0.0 {
                        return Vec::new();
                    }
                    let (users, zs) = zi.group(i);
                    for (&u, &zui) in users.iter().zip(zs) {
                        let (its, zjs) = zu.group(u as usize);
                        for (&j, &zuj) in its.iter().zip(zjs) {
                            if acc[j as usize] == 0.0 {
                                touched.push(j);
                            }
                            acc[j as usize] += zui as f64 * zuj as f64;
                        }
                    }
                    let mut row: Vec<(u32, f32)> = Vec::new();
                    for &j in touched.iter() {
                        let s = acc[j as usize] / (norm[i] * norm[j as usize]);
                        acc[j as usize] = 0.0;
                        if j as usize != i && s > 0.0 {
                            row.push((j, s as f32));
                        }
                    }
                    touched.clear();
                    row.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                    row.truncate(stored);
                    row.shrink_to_fit();
                    row
                },
            )
            .collect();
        ItemKnn {
            k: p.k,
            bias: BiasModel::fit(data),
            neighbours,
            clip: rating_range(r),
        }
    }

    /// The stored neighbours of `item`, most similar first.
    pub fn item_neighbours(&self, item: u32) -> &[(u32, f32)] {
        self.neighbours
            .get(item as usize)
            .map_or(&[], |v| v.as_slice())
    }
}

impl Recommender for ItemKnn {
    fn name(&self) -> &'static str {
        "item-knn"
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let bu = self.bias.user_bias_of(user);
        // The user's residuals over the baseline, NaN where unrated.
        let mut resid = vec![f32::NAN; self.neighbours.len()];
        for &(j, v) in user.history {
            if let Some(x) = resid.get_mut(j as usize) {
                *x = (v as f64 - self.bias.baseline(bu, j)) as f32;
            }
        }
        for (o, &i) in out.iter_mut().zip(items) {
            let (mut num, mut den, mut used) = (0f64, 0f64, 0);
            for &(j, s) in self.item_neighbours(i) {
                let e = resid[j as usize];
                if e.is_nan() {
                    continue;
                }
                num += s as f64 * e as f64;
                den += s as f64;
                used += 1;
                if used == self.k {
                    break;
                }
            }
            let base = self.bias.baseline(bu, i);
            let p = if den > 0.0 { base + num / den } else { base };
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

    fn toy() -> crate::data::movielens::Ratings {
        let rows: &[[f32; 6]] = &[
            [5.0, 4.0, 0.0, 1.0, 2.0, 3.0],
            [4.0, 4.5, 5.0, 2.0, 0.0, 0.5],
            [1.0, 2.0, 1.5, 5.0, 4.0, 0.0],
            [4.5, 0.0, 4.0, 1.5, 2.5, 3.0],
            [2.0, 1.0, 2.0, 4.0, 5.0, 3.5],
        ];
        ratings_from_dense(rows)
    }

    /// Adjusted cosine on the dense matrix (0 = unrated).
    fn brute_sim(r: &crate::data::movielens::Ratings, i: u32, j: u32) -> f64 {
        let nu = r.n_users();
        let mut z = vec![vec![0f64; r.n_items()]; nu];
        for u in 0..nu as u32 {
            let h = history_of(r, u);
            let m = h.iter().map(|x| x.1 as f64).sum::<f64>() / h.len() as f64;
            for (it, v) in h {
                z[u as usize][it as usize] = v as f64 - m;
            }
        }
        let dot: f64 = z.iter().map(|row| row[i as usize] * row[j as usize]).sum();
        let ni: f64 = z
            .iter()
            .map(|row| row[i as usize].powi(2))
            .sum::<f64>()
            .sqrt();
        let nj: f64 = z
            .iter()
            .map(|row| row[j as usize].powi(2))
            .sum::<f64>()
            .sqrt();
        dot / (ni * nj)
    }

    #[test]
    fn similarities_and_predictions_match_brute_force() {
        let r = toy();
        let data = TrainData {
            ratings: &r,
            side: &SideInfo::default(),
        };
        let m = ItemKnn::fit_with(&data, &ItemKnnParams { k: 2, stored: 10 });
        let bias = BiasModel::fit(&data);
        for i in 0..6u32 {
            let row = m.item_neighbours(i);
            let expect: Vec<(u32, f64)> = (0..6u32)
                .filter(|&j| j != i)
                .map(|j| (j, brute_sim(&r, i, j)))
                .filter(|p| p.1 > 0.0)
                .collect();
            assert_eq!(row.len(), expect.len());
            for &(j, s) in row {
                assert_abs_diff_eq!(s as f64, brute_sim(&r, i, j), epsilon = 1e-6);
            }
        }
        for u in 0..5u32 {
            let h = history_of(&r, u);
            let mut out = [0f32; 6];
            m.predict(
                UserQuery {
                    trained: Some(u),
                    history: &h,
                },
                &[0, 1, 2, 3, 4, 5],
                &mut out,
            );
            let bu = bias.user_bias[u as usize];
            for i in 0..6u32 {
                let mut cands: Vec<(f64, f64)> = h
                    .iter()
                    .filter(|x| x.0 != i)
                    .map(|&(j, v)| (brute_sim(&r, i, j), v as f64 - bias.baseline(bu, j)))
                    .filter(|c| c.0 > 0.0)
                    .collect();
                cands.sort_by(|a, b| b.0.total_cmp(&a.0));
                cands.truncate(2);
                let den: f64 = cands.iter().map(|c| c.0).sum();
                let mut want = bias.baseline(bu, i);
                if den > 0.0 {
                    want += cands.iter().map(|c| c.0 * c.1).sum::<f64>() / den;
                }
                assert_abs_diff_eq!(out[i as usize], want.clamp(0.5, 5.0) as f32, epsilon = 1e-5);
            }
        }
    }
}
