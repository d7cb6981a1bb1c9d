//! "popularity": an item's score is its number of training ratings, the same list for
//! everyone. A ranking baseline only: the count is not a rating.

use super::{Recommender, TrainData, UserQuery};

#[derive(Debug, Clone)]
pub struct Popularity {
    /// Training ratings per dense item.
    pub count: Vec<u32>,
}

impl Popularity {
    pub fn fit(data: &TrainData) -> Self {
        let mut count = vec![0u32; data.ratings.n_items()];
        for &i in &data.ratings.item {
            count[i as usize] += 1;
        }
        Popularity { count }
    }
}

impl Recommender for Popularity {
    fn name(&self) -> &'static str {
        "popularity"
    }
    fn predicts_ratings(&self) -> bool {
        false
    }
    fn predict(&self, _user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        for (o, &i) in out.iter_mut().zip(items) {
            *o = self.count.get(i as usize).copied().unwrap_or(0) as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::baselines::util::ratings_from;
    use crate::eval::baselines::SideInfo;

    #[test]
    fn counts_ratings_per_item() {
        let r = ratings_from(&[(0, 0, 1.0), (1, 0, 4.0), (1, 2, 4.0)]);
        let m = Popularity::fit(&TrainData {
            ratings: &r,
            side: &SideInfo::default(),
        });
        let mut out = [0.0; 3];
        let q = UserQuery {
            trained: Some(0),
            history: &[],
        };
        m.predict(q, &[0, 1, 2], &mut out);
        assert_eq!(out, [2.0, 0.0, 1.0]);
        assert!(!m.predicts_ratings());
    }
}
