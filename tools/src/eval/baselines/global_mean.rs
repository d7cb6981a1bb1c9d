//! "global-mean": every prediction is the mean training rating. The floor every model must beat.

use super::util::global_mean;
use super::{Recommender, TrainData, UserQuery};

#[derive(Debug, Clone)]
pub struct GlobalMean {
    pub mean: f32,
}

impl GlobalMean {
    pub fn fit(data: &TrainData) -> Self {
        GlobalMean {
            mean: global_mean(data.ratings) as f32,
        }
    }
}

impl Recommender for GlobalMean {
    fn name(&self) -> &'static str {
        "global-mean"
    }
    fn predict(&self, _user: UserQuery<'_>, _items: &[u32], out: &mut [f32]) {
        out.fill(self.mean);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::baselines::util::ratings_from;
    use crate::eval::baselines::SideInfo;

    #[test]
    fn predicts_the_mean() {
        let r = ratings_from(&[(0, 0, 1.0), (0, 1, 4.0), (1, 0, 4.0)]);
        let m = GlobalMean::fit(&TrainData {
            ratings: &r,
            side: &SideInfo::default(),
        });
        let mut out = [0.0; 2];
        let q = UserQuery {
            trained: None,
            history: &[],
        };
        m.predict(q, &[0, 1], &mut out);
        assert_eq!(out, [3.0, 3.0]);
    }
}
