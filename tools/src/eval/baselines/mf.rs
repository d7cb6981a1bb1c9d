//! "mf": biased matrix factorisation r̂ = μ + b_u + b_m + p_u·q_m trained by plain SGD
//! (seed 002's MatrixFactorizationModel; Funk/Koren style, the `surprise` SVD defaults):
//! per rating, e = r − r̂, b ← b + lr(e − reg·b), p ← p + lr(e·q − reg·p), q ← q + lr(e·p − reg·q).
//! Single-threaded with a seeded shuffle per epoch, so a fit is reproducible bit for bit.
//!
//! A user without a trained row is folded in by ridge regression on their history with the
//! items fixed: minimise Σ (r − μ − b_m − b_u − p·q_m)² + λ(‖p‖² + b_u²) with λ = reg·n
//! (n = history length), because SGD applies `reg` once per rating, so that is the penalty
//! the training objective puts on a user with n ratings.

use moviematch::linalg::{cho_solve, cholesky};
use ndarray::{Array1, Array2};
use rand::{rngs::StdRng, RngExt, SeedableRng};

use super::util::{global_mean, rating_range};
use super::{Recommender, TrainData, UserQuery};

#[derive(Debug, Clone, PartialEq)]
pub struct MfParams {
    pub k: usize,
    pub lr: f32,
    pub reg: f32,
    pub epochs: usize,
    /// Standard deviation of the initial factor entries.
    pub init_sd: f64,
    pub seed: u64,
}

impl Default for MfParams {
    fn default() -> Self {
        MfParams {
            k: 50,
            lr: 0.005,
            reg: 0.02,
            epochs: 20,
            init_sd: 0.1,
            seed: 42,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Mf {
    pub k: usize,
    pub mu: f32,
    pub user_b: Vec<f32>,
    pub item_b: Vec<f32>,
    pub user_f: Vec<f32>,
    pub item_f: Vec<f32>,
    reg: f32,
    clip: (f32, f32),
}

fn normal(rng: &mut StdRng) -> f64 {
    let u1 = rng.random::<f64>().max(1e-300);
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
}

impl Mf {
    pub fn fit(data: &TrainData) -> Self {
        Self::fit_with(data, &MfParams::default())
    }

    pub fn fit_with(data: &TrainData, p: &MfParams) -> Self {
        let r = data.ratings;
        let k = p.k;
        let mut rng = StdRng::seed_from_u64(p.seed);
        let mut init = |n: usize| -> Vec<f32> {
            (0..n * k)
                .map(|_| (normal(&mut rng) * p.init_sd) as f32)
                .collect()
        };
        let mut m = Mf {
            k,
            mu: global_mean(r) as f32,
            user_b: vec![0.0; r.n_users()],
            item_b: vec![0.0; r.n_items()],
            user_f: init(r.n_users()),
            item_f: init(r.n_items()),
            reg: p.reg,
            clip: rating_range(r),
        };
        let mut order: Vec<u32> = (0..r.len() as u32).collect();
        let (lr, reg) = (p.lr, p.reg);
        for _ in 0..p.epochs {
            for i in (1..order.len()).rev() {
                let j = rng.random_range(0..=i);
                order.swap(i, j);
            }
            for &row in &order {
                let (u, i) = (r.user[row as usize] as usize, r.item[row as usize] as usize);
                let e = r.value[row as usize] - m.raw(u, i);
                m.user_b[u] += lr * (e - reg * m.user_b[u]);
                m.item_b[i] += lr * (e - reg * m.item_b[i]);
                let pu = &mut m.user_f[u * k..(u + 1) * k];
                let qi = &mut m.item_f[i * k..(i + 1) * k];
                for (a, b) in pu.iter_mut().zip(qi.iter_mut()) {
                    let (pa, qb) = (*a, *b);
                    *a += lr * (e * qb - reg * pa);
                    *b += lr * (e * pa - reg * qb);
                }
            }
        }
        m
    }

    fn dot(&self, pu: &[f32], i: usize) -> f32 {
        pu.iter()
            .zip(&self.item_f[i * self.k..(i + 1) * self.k])
            .map(|(a, b)| a * b)
            .sum()
    }

    /// Unclipped prediction for a trained (user, item) pair.
    pub fn raw(&self, u: usize, i: usize) -> f32 {
        self.mu
            + self.user_b[u]
            + self.item_b[i]
            + self.dot(&self.user_f[u * self.k..(u + 1) * self.k], i)
    }

    /// (p_u, b_u) for a user known only by their history (see the module docs).
    pub fn fold_in(&self, history: &[(u32, f32)]) -> (Vec<f32>, f32) {
        let (k, d) = (self.k, self.k + 1);
        let hist: Vec<(usize, f32)> = history
            .iter()
            .filter(|h| (h.0 as usize) < self.item_b.len())
            .map(|&(i, v)| (i as usize, v))
            .collect();
        if hist.is_empty() {
            return (vec![0.0; k], 0.0);
        }
        let lambda = (self.reg as f64 * hist.len() as f64).max(1e-6);
        let mut a = Array2::<f64>::zeros((d, d));
        let mut b = Array1::<f64>::zeros(d);
        let mut x = vec![0f64; d];
        for &(i, v) in &hist {
            for (xc, &q) in x.iter_mut().zip(&self.item_f[i * k..(i + 1) * k]) {
                *xc = q as f64;
            }
            x[k] = 1.0;
            let y = v as f64 - self.mu as f64 - self.item_b[i] as f64;
            // Lower triangle only: that is all `cholesky` reads.
            for r in 0..d {
                b[r] += x[r] * y;
                for c in 0..=r {
                    a[[r, c]] += x[r] * x[c];
                }
            }
        }
        for r in 0..d {
            a[[r, r]] += lambda;
        }
        let l = cholesky(&a).expect("ridge matrix is positive definite");
        let z = cho_solve(&l, b.view());
        ((0..k).map(|c| z[c] as f32).collect(), z[k] as f32)
    }
}

impl Recommender for Mf {
    fn name(&self) -> &'static str {
        "mf"
    }
    fn predict(&self, user: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        let k = self.k;
        let folded;
        let (pu, bu): (&[f32], f32) = match user.trained {
            Some(u) if (u as usize) < self.user_b.len() => {
                let u = u as usize;
                (&self.user_f[u * k..(u + 1) * k], self.user_b[u])
            }
            _ => {
                folded = self.fold_in(user.history);
                (&folded.0, folded.1)
            }
        };
        for (o, &i) in out.iter_mut().zip(items) {
            let i = i as usize;
            let p = if i < self.item_b.len() {
                self.mu + bu + self.item_b[i] + self.dot(pu, i)
            } else {
                self.mu + bu
            };
            *o = p.clamp(self.clip.0, self.clip.1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::movielens::Ratings;
    use crate::data::synth::{synthesize, SynthParams};
    use crate::eval::baselines::bias::BiasModel;
    use crate::eval::baselines::util::history_of;
    use crate::eval::baselines::SideInfo;

    fn rmse(
        m: &dyn Recommender,
        test: &Ratings,
        trained: bool,
        hist: &dyn Fn(u32) -> Vec<(u32, f32)>,
    ) -> f64 {
        let mut se = 0.0;
        for j in 0..test.len() {
            let u = test.user[j];
            let h = hist(u);
            let q = UserQuery {
                trained: trained.then_some(u),
                history: &h,
            };
            let mut out = [0f32];
            m.predict(q, &[test.item[j]], &mut out);
            se += ((out[0] - test.value[j]) as f64).powi(2);
        }
        (se / test.len() as f64).sqrt()
    }

    #[test]
    fn recovers_planted_factors_better_than_bias_also_when_folding_in() {
        let s = synthesize(&SynthParams {
            users: 300,
            movies: 150,
            ratings: 24_000,
            k: 3,
            noise: 0.3,
            seed: 7,
            factor_sd: 0.6,
        });
        let r = &s.ratings;
        // Users 0..40 are new: fold them in from even rows, test on odd rows.
        let (mut train, mut fold, mut test_new, mut test_old) = (vec![], vec![], vec![], vec![]);
        for j in 0..r.len() {
            match (r.user[j] < 40, j % 5 == 0) {
                (true, false) => fold.push(j),
                (true, true) => test_new.push(j),
                (false, false) => train.push(j),
                (false, true) => test_old.push(j),
            }
        }
        let (train, fold) = (r.select(&train), r.select(&fold));
        let (test_new, test_old) = (r.select(&test_new), r.select(&test_old));
        let data = TrainData {
            ratings: &train,
            side: &SideInfo::default(),
        };
        let p = MfParams {
            k: 3,
            lr: 0.01,
            epochs: 60,
            ..MfParams::default()
        };
        let mf = Mf::fit_with(&data, &p);
        let bias = BiasModel::fit(&data);
        let own = |u| history_of(&train, u);
        let folded = |u| history_of(&fold, u);
        let (mf_old, bias_old) = (
            rmse(&mf, &test_old, true, &own),
            rmse(&bias, &test_old, true, &own),
        );
        let (mf_new, bias_new) = (
            rmse(&mf, &test_new, false, &folded),
            rmse(&bias, &test_new, false, &folded),
        );
        assert!(
            mf_old < 0.8 * bias_old,
            "trained: mf {mf_old} vs bias {bias_old}"
        );
        assert!(
            mf_new < 0.8 * bias_new,
            "fold-in: mf {mf_new} vs bias {bias_new}"
        );
        assert!(mf_old < 0.45, "trained mf rmse {mf_old} (noise 0.3)");
    }

    #[test]
    fn fit_is_deterministic() {
        let s = synthesize(&SynthParams {
            users: 50,
            movies: 40,
            ratings: 1000,
            k: 2,
            noise: 0.3,
            seed: 1,
            factor_sd: 0.5,
        });
        let data = TrainData {
            ratings: &s.ratings,
            side: &SideInfo::default(),
        };
        let p = MfParams {
            k: 4,
            epochs: 3,
            ..MfParams::default()
        };
        assert_eq!(
            Mf::fit_with(&data, &p).user_f,
            Mf::fit_with(&data, &p).user_f
        );
    }
}
