//! "bias": r̂ = μ + b_u + b_m, fitted by alternating regularised means:
//! b_m = Σ_u (r − μ − b_u) / (λ_m + n_m), then b_u = Σ_m (r − μ − b_m) / (λ_u + n_u), repeated.
//! Each step is the exact ridge minimiser of its block, so the rounds descend the objective
//! Σ (r − μ − b_u − b_m)² + λ_u Σ b_u² + λ_m Σ b_m² (with μ fixed at the mean).
//! A user not seen in training gets b_u from their history by the same formula, so folding in
//! a trained user's own training ratings reproduces their trained bias exactly.
//! Other baselines (item-knn, genre-content) use this model as their baseline.

use super::util::{global_mean, rating_range, Grouped};
use super::{Recommender, TrainData, UserQuery};

/// Settings. λ = 5 for both is a common textbook choice (a bias is worth ~5 ratings of
/// evidence before it moves halfway); they were not tuned on any data.
#[derive(Debug, Clone, PartialEq)]
pub struct BiasParams {
    /// λ_u, ridge penalty on user biases.
    pub reg_user: f64,
    /// λ_m, ridge penalty on item biases.
    pub reg_item: f64,
    /// Alternating rounds; the biases settle within a few.
    pub rounds: usize,
}

impl Default for BiasParams {
    fn default() -> Self {
        BiasParams {
            reg_user: 5.0,
            reg_item: 5.0,
            rounds: 10,
        }
    }
}

#[derive(Debug, Clone)]
pub struct BiasModel {
    pub mu: f64,
    pub user_bias: Vec<f64>,
    pub item_bias: Vec<f64>,
    pub reg_user: f64,
    pub clip: (f32, f32),
}

impl BiasModel {
    pub fn fit(data: &TrainData) -> Self {
        Self::fit_with(data, &BiasParams::default())
    }

    pub fn fit_with(data: &TrainData, p: &BiasParams) -> Self {
        let r = data.ratings;
        let mu = global_mean(r);
        let by_user = Grouped::by_user(r);
        let by_item = Grouped::by_item(r);
        let mut bu = vec![0f64; r.n_users()];
        let mut bm = vec![0f64; r.n_items()];
        for _ in 0..p.rounds.max(1) {
            for (m, b) in bm.iter_mut().enumerate() {
                let (users, values) = by_item.group(m);
                let s: f64 = users
                    .iter()
                    .zip(values)
                    .map(|(&u, &v)| v as f64 - mu - bu[u as usize])
                    .sum();
                *b = s / (p.reg_item + users.len() as f64);
            }
            // Users last, so that `fold_in` on a user's training ratings equals their b_u.
            for (u, b) in bu.iter_mut().enumerate() {
                let (items, values) = by_user.group(u);
                *b = regularised_user_bias(
                    mu,
                    &bm,
                    p.reg_user,
                    items.iter().copied().zip(values.iter().copied()),
                );
            }
        }
        BiasModel {
            mu,
            user_bias: bu,
            item_bias: bm,
            reg_user: p.reg_user,
            clip: rating_range(r),
        }
    }

    /// b_u for a user known only by their history.
    pub fn fold_in(&self, history: &[(u32, f32)]) -> f64 {
        regularised_user_bias(
            self.mu,
            &self.item_bias,
            self.reg_user,
            history.iter().copied(),
        )
    }

    /// The trained b_u when there is one, else the folded-in one.
    pub fn user_bias_of(&self, user: UserQuery<'_>) -> f64 {
        match user.trained {
            Some(u) if (u as usize) < self.user_bias.len() => self.user_bias[u as usize],
            _ => self.fold_in(user.history),
        }
    }

    /// Item bias, 0 for an item outside the training index.
    pub fn item_bias_of(&self, item: u32) -> f64 {
        self.item_bias.get(item as usize).copied().unwrap_or(0.0)
    }

    /// Unclipped μ + b_u + b_m.
    pub fn baseline(&self, user_bias: f64, item: u32) -> f64 {
        self.mu + user_bias + self.item_bias_of(item)
    }
}

/// Σ (r − μ − b_m) / (λ_u + n) over the given (item, rating) pairs.
fn regularised_user_bias(
    mu: f64,
    item_bias: &[f64],
    reg: f64,
    ratings: impl Iterator<Item = (u32, f32)>,
) -> f64 {
    let (mut s, mut n) = (0.0, 0.0);
    for (i, v) in ratings {
        s += v as f64 - mu - item_bias.get(i as usize).copied().unwrap_or(0.0);
        n += 1.0;
    }
    s / (reg + n)
}

impl Recommender for BiasModel {
    fn name(&self) -> &'static str {
        "bias"
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let bu = self.user_bias_of(user);
        for (o, &i) in out.iter_mut().zip(items) {
            *o = (self.baseline(bu, i) as f32).clamp(self.clip.0, self.clip.1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::baselines::util::{history_of, ratings_from};
    use crate::eval::baselines::SideInfo;
    use approx::assert_abs_diff_eq;

    fn toy() -> crate::data::movielens::Ratings {
        ratings_from(&[
            (0, 0, 5.0),
            (0, 1, 4.0),
            (0, 2, 4.5),
            (1, 0, 3.0),
            (1, 1, 1.0),
            (2, 1, 2.0),
            (2, 2, 3.5),
            (2, 3, 0.5),
        ])
    }

    #[test]
    fn fold_in_of_training_history_equals_trained_bias() {
        let r = toy();
        let m = BiasModel::fit(&TrainData {
            ratings: &r,
            side: &SideInfo::default(),
        });
        for u in 0..3 {
            let h = history_of(&r, u);
            assert_abs_diff_eq!(m.fold_in(&h), m.user_bias[u as usize], epsilon = 1e-12);
            let (mut a, mut b) = ([0f32; 4], [0f32; 4]);
            m.predict(
                UserQuery {
                    trained: Some(u),
                    history: &h,
                },
                &[0, 1, 2, 3],
                &mut a,
            );
            m.predict(
                UserQuery {
                    trained: None,
                    history: &h,
                },
                &[0, 1, 2, 3],
                &mut b,
            );
            assert_eq!(a, b);
        }
    }

    #[test]
    fn converges_to_the_ridge_stationary_point() {
        // At convergence every bias satisfies its own normal equation (both blocks at once).
        let r = toy();
        let p = BiasParams {
            rounds: 500,
            ..BiasParams::default()
        };
        let m = BiasModel::fit_with(
            &TrainData {
                ratings: &r,
                side: &SideInfo::default(),
            },
            &p,
        );
        for i in 0..4u32 {
            let rows: Vec<usize> = (0..r.len()).filter(|&j| r.item[j] == i).collect();
            let s: f64 = rows
                .iter()
                .map(|&j| r.value[j] as f64 - m.mu - m.user_bias[r.user[j] as usize])
                .sum();
            assert_abs_diff_eq!(
                m.item_bias[i as usize],
                s / (5.0 + rows.len() as f64),
                epsilon = 1e-9
            );
        }
    }

    #[test]
    fn no_history_means_no_user_bias() {
        let r = toy();
        let m = BiasModel::fit(&TrainData {
            ratings: &r,
            side: &SideInfo::default(),
        });
        let mut out = [0f32];
        m.predict(
            UserQuery {
                trained: None,
                history: &[],
            },
            &[3],
            &mut out,
        );
        assert_abs_diff_eq!(
            out[0] as f64,
            (m.mu + m.item_bias[3]).max(0.5),
            epsilon = 1e-6
        );
    }
}
