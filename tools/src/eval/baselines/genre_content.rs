//! "genre-content": a content model on genres alone (seed 002's GenreContentModel, turned
//! into a rating predictor). The user's profile is, per genre g, the regularised mean of
//! their residuals after the bias baseline over the items of g they rated:
//! o_g = Σ_{m∈history, g∈m} (r_m − b̂_um) / (λ_g + n_g).
//! Prediction: b̂_ui + the average of o_g over the item's genres (no genre → the baseline).
//! λ_g = 5 (untuned, like the bias penalties) shrinks a genre seen a handful of times to 0.

use super::bias::BiasModel;
use super::util::rating_range;
use super::{Recommender, TrainData, UserQuery};

#[derive(Debug, Clone, PartialEq)]
pub struct GenreContentParams {
    /// λ_g, pseudo-count of zero residuals per genre.
    pub reg_genre: f64,
}

impl Default for GenreContentParams {
    fn default() -> Self {
        GenreContentParams { reg_genre: 5.0 }
    }
}

#[derive(Debug, Clone)]
pub struct GenreContent {
    reg_genre: f64,
    bias: BiasModel,
    genres: Vec<u32>,
    clip: (f32, f32),
}

impl GenreContent {
    pub fn fit(data: &TrainData) -> Self {
        Self::fit_with(data, &GenreContentParams::default())
    }

    pub fn fit_with(data: &TrainData, p: &GenreContentParams) -> Self {
        GenreContent {
            reg_genre: p.reg_genre,
            bias: BiasModel::fit(data),
            genres: data.side.genres.clone(),
            clip: rating_range(data.ratings),
        }
    }

    fn genres_of(&self, item: u32) -> u32 {
        self.genres.get(item as usize).copied().unwrap_or(0)
    }

    /// The user's genre offsets o_g (index = bit of the genre mask), given their b_u.
    pub fn profile(&self, history: &[(u32, f32)], user_bias: f64) -> [f64; 32] {
        let (mut sum, mut n) = ([0f64; 32], [0f64; 32]);
        for &(i, v) in history {
            let e = v as f64 - self.bias.baseline(user_bias, i);
            let mask = self.genres_of(i);
            for g in 0..32 {
                if mask & (1 << g) != 0 {
                    sum[g] += e;
                    n[g] += 1.0;
                }
            }
        }
        std::array::from_fn(|g| sum[g] / (self.reg_genre + n[g]))
    }
}

impl Recommender for GenreContent {
    fn name(&self) -> &'static str {
        "genre-content"
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let bu = self.bias.user_bias_of(user);
        let offsets = self.profile(user.history, bu);
        for (o, &i) in out.iter_mut().zip(items) {
            let mask = self.genres_of(i);
            let mut p = self.bias.baseline(bu, i);
            if mask != 0 {
                let s: f64 = (0..32)
                    .filter(|g| mask & (1 << g) != 0)
                    .map(|g| offsets[g])
                    .sum();
                p += s / mask.count_ones() as f64;
            }
            *o = (p as f32).clamp(self.clip.0, self.clip.1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::baselines::util::{history_of, ratings_from};
    use crate::eval::baselines::SideInfo;
    use approx::assert_abs_diff_eq;

    #[test]
    fn offsets_are_regularised_mean_residuals_per_genre() {
        // Genres: bit 0 = "A", bit 1 = "B"; item 2 has both, item 3 none.
        let r = ratings_from(&[
            (0, 0, 5.0),
            (0, 1, 1.0),
            (0, 2, 4.0),
            (1, 0, 3.0),
            (1, 1, 3.0),
            (1, 3, 2.0),
        ]);
        let side = SideInfo {
            genres: vec![0b01, 0b10, 0b11, 0],
            ..SideInfo::default()
        };
        let data = TrainData {
            ratings: &r,
            side: &side,
        };
        let m = GenreContent::fit_with(&data, &GenreContentParams { reg_genre: 1.0 });
        let bias = BiasModel::fit(&data);
        let h = history_of(&r, 0);
        let bu = bias.user_bias[0];
        let e = |i: u32, v: f64| v - bias.baseline(bu, i);
        let oa = (e(0, 5.0) + e(2, 4.0)) / (1.0 + 2.0);
        let ob = (e(1, 1.0) + e(2, 4.0)) / (1.0 + 2.0);
        let mut out = [0f32; 4];
        m.predict(
            UserQuery {
                trained: Some(0),
                history: &h,
            },
            &[0, 1, 2, 3],
            &mut out,
        );
        let want = [
            bias.baseline(bu, 0) + oa,
            bias.baseline(bu, 1) + ob,
            bias.baseline(bu, 2) + (oa + ob) / 2.0,
            bias.baseline(bu, 3),
        ];
        for i in 0..4 {
            assert_abs_diff_eq!(out[i], want[i].clamp(1.0, 5.0) as f32, epsilon = 1e-5);
        }
    }
}
