//! "ials": the implicit model the bundle ships (`crate::train::ials`: iALS on who rated what,
//! films without ratings placed by their content features), as a ranking baseline. Every user,
//! trained or folded in, gets the user step on their history taken as films watched (the
//! engine's `solve_taste`, so this is how the browser folds a visitor in); a film's score is
//! u·h. The score is not a rating.

use ndarray::Array2;

use super::{Recommender, TrainData, UserQuery};
use crate::train::ials::{self, IalsModel, IalsParams};

pub struct Ials {
    pub model: IalsModel,
    /// Σ h hᵀ over the trained films.
    gramian: Array2<f64>,
}

impl Ials {
    pub fn fit(data: &TrainData) -> Self {
        Self::fit_with(data, &IalsParams::default())
    }

    /// Fits on the training ratings; the side information's item features, when present, are
    /// the content regression's inputs.
    pub fn fit_with(data: &TrainData, p: &IalsParams) -> Self {
        let r = data.ratings;
        let side = data.side;
        let f = side.n_features;
        let (x, f): (&[f32], usize) = if f > 0 && side.features.len() == r.n_items() * f {
            (&side.features, f)
        } else {
            (&[], 0)
        };
        let model = ials::train(r, x, f, p, |_| {});
        let gramian = model.item_gramian();
        Ials { model, gramian }
    }

    /// The taste of a user who watched the films of `history` (repeats count once).
    pub fn taste(&self, history: &[(u32, f32)]) -> Vec<f64> {
        let mut films: Vec<u32> = history.iter().map(|h| h.0).collect();
        films.sort_unstable();
        films.dedup();
        self.model.fold_in(&self.gramian, &films).to_vec()
    }
}

impl Recommender for Ials {
    fn name(&self) -> &'static str {
        "ials"
    }
    fn predicts_ratings(&self) -> bool {
        false
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let u = self.taste(user.history);
        for (o, &i) in out.iter_mut().zip(items) {
            let h = self.model.item_factors(i as usize);
            *o = u.iter().zip(h).map(|(a, b)| a * b).sum::<f64>() as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::baselines::util::ratings_from;
    use crate::eval::baselines::SideInfo;

    /// Two groups of users who watch disjoint films: a new user with one film of a group gets
    /// the group's other films first.
    #[test]
    fn folds_a_new_user_in_and_ranks_their_groups_films_first() {
        let mut t = Vec::new();
        for u in 0..20u32 {
            let films = if u % 2 == 0 { [0, 1, 2] } else { [3, 4, 5] };
            t.extend(films.iter().map(|&i| (u, i, 4.0)));
        }
        let r = ratings_from(&t);
        let side = SideInfo::default();
        let m = Ials::fit_with(
            &TrainData {
                ratings: &r,
                side: &side,
            },
            &IalsParams {
                k: 4,
                epochs: 8,
                ..IalsParams::default()
            },
        );
        let mut out = [0f32; 6];
        m.predict(
            UserQuery {
                trained: None,
                history: &[(4, 3.0), (4, 5.0)],
            },
            &[0, 1, 2, 3, 4, 5],
            &mut out,
        );
        let worst_own = out[3].min(out[5]);
        assert!(out[..3].iter().all(|&s| s < worst_own), "{out:?}");
        assert!(!m.predicts_ratings());
    }
}
