//! Item features x_m for the content prior (β_m ~ N(G·x_m, diag τ²), b_m ~ N(a·x_m, σ_b²)) and
//! the visitor's personal feature weights (w_u·x_m). The centring and scaling constants live in
//! the bundle header, so the trainer and the browser compute identical features.
//!
//! Features, in order: the IMDb average shrunk toward the catalogue's mean by its vote count
//! (a Bayesian average, (v·avg + m·C)/(v + m), as IMDb's own top lists do: a 9.6 from 30
//! votes says little), log(1 + IMDb votes), release year, "IMDb has no rating",
//! "year unknown", then one indicator per genre. Each is centred and scaled to unit variance
//! over the training catalogue; a missing value sits at the mean (0 after centring) and its
//! indicator carries the information.

use serde::{Deserialize, Serialize};

/// Column of log(1 + IMDb votes) among the features.
pub const LOG_VOTES: usize = 1;

/// Number of features before the genres.
pub const BASE_FEATURES: usize = 5;

/// Raw inputs of one movie's features.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RawFeatures {
    pub imdb_rating: Option<f32>,
    pub imdb_votes: u32,
    pub year: Option<u16>,
    pub genres: u32,
}

/// Votes m of the Bayesian average: an IMDb average counts half when it has m votes.
pub const IMDB_PRIOR_VOTES: f32 = 1000.0;

/// Centring and scaling of every feature (`x = (raw − mean) / sd`) and the Bayesian-average
/// constants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureSpec {
    pub mean: Vec<f32>,
    pub sd: Vec<f32>,
    /// C: the mean IMDb average the shrinkage pulls toward.
    pub imdb_prior_mean: f32,
    /// m: see [`IMDB_PRIOR_VOTES`].
    pub imdb_prior_votes: f32,
}

impl FeatureSpec {
    /// Number of features (5 + number of genres).
    pub fn len(&self) -> usize {
        self.mean.len()
    }

    pub fn is_empty(&self) -> bool {
        self.mean.is_empty()
    }

    /// Fits the constants on a catalogue with `n_genres` genres.
    pub fn fit(items: &[RawFeatures], n_genres: usize) -> FeatureSpec {
        let d = BASE_FEATURES + n_genres;
        let n = items.len().max(1) as f64;
        // Missing values are filled with the mean of the present ones before centring.
        let present_mean = |f: &dyn Fn(&RawFeatures) -> Option<f64>| {
            let v: Vec<f64> = items.iter().filter_map(f).collect();
            if v.is_empty() {
                0.0
            } else {
                v.iter().sum::<f64>() / v.len() as f64
            }
        };
        let c = present_mean(&|r| r.imdb_rating.map(f64::from)) as f32;
        let shrink = (c, IMDB_PRIOR_VOTES);
        let fill = [
            present_mean(&|r| shrunk(r, shrink)),
            present_mean(&|r| {
                (r.imdb_rating.is_some() || r.imdb_votes > 0).then(|| (r.imdb_votes as f64).ln_1p())
            }),
            present_mean(&|r| r.year.map(f64::from)),
        ];
        let mut sum = vec![0f64; d];
        let mut sq = vec![0f64; d];
        let mut raw = vec![0f64; d];
        for it in items {
            raw_values(it, n_genres, &fill, shrink, &mut raw);
            for j in 0..d {
                sum[j] += raw[j];
                sq[j] += raw[j] * raw[j];
            }
        }
        let mut mean = Vec::with_capacity(d);
        let mut sd = Vec::with_capacity(d);
        for j in 0..d {
            let m = sum[j] / n;
            let var = (sq[j] / n - m * m).max(0.0);
            mean.push(m as f32);
            // A constant feature stays 0 rather than dividing by zero.
            sd.push(if var > 1e-12 { var.sqrt() as f32 } else { 1.0 });
        }
        FeatureSpec {
            mean,
            sd,
            imdb_prior_mean: c,
            imdb_prior_votes: IMDB_PRIOR_VOTES,
        }
    }

    /// Writes the features of one movie into `out` (length [`FeatureSpec::len`]).
    pub fn compute(&self, r: &RawFeatures, out: &mut [f32]) {
        let d = self.len();
        let n_genres = d.saturating_sub(BASE_FEATURES);
        // A missing value is filled with the mean, so it becomes exactly 0.
        let fill = [
            self.mean[0] as f64,
            self.mean[1] as f64,
            self.mean[2] as f64,
        ];
        // d ≤ 5 + 32 (a bundle holds at most 32 genres), so a stack buffer suffices.
        let mut buf = [0f64; BASE_FEATURES + 32];
        let raw = &mut buf[..d.min(BASE_FEATURES + 32)];
        raw_values(
            r,
            n_genres,
            &fill,
            (self.imdb_prior_mean, self.imdb_prior_votes),
            raw,
        );
        for (j, o) in out.iter_mut().enumerate().take(raw.len()) {
            *o = ((raw[j] - self.mean[j] as f64) / self.sd[j] as f64) as f32;
        }
    }
}

/// The Bayesian average (v·avg + m·C)/(v + m), if IMDb has a rating.
fn shrunk(r: &RawFeatures, (c, m): (f32, f32)) -> Option<f64> {
    let v = r.imdb_votes as f64;
    r.imdb_rating
        .map(|avg| (v * avg as f64 + m as f64 * c as f64) / (v + m as f64))
}

fn raw_values(
    r: &RawFeatures,
    n_genres: usize,
    fill: &[f64; 3],
    shrink: (f32, f32),
    out: &mut [f64],
) {
    out[0] = shrunk(r, shrink).unwrap_or(fill[0]);
    out[1] = if r.imdb_rating.is_some() || r.imdb_votes > 0 {
        (r.imdb_votes as f64).ln_1p()
    } else {
        fill[1]
    };
    out[2] = r.year.map_or(fill[2], f64::from);
    out[3] = if r.imdb_rating.is_none() { 1.0 } else { 0.0 };
    out[4] = if r.year.is_none() { 1.0 } else { 0.0 };
    for g in 0..n_genres.min(out.len().saturating_sub(BASE_FEATURES)) {
        out[BASE_FEATURES + g] = if r.genres & (1 << g) != 0 { 1.0 } else { 0.0 };
    }
}

// --- P(seen) features ------------------------------------------------------------------------
// The inputs of the logistic P(seen) model (`crate::seen`), here because the bundle stores its
// coefficients and the model computes them per movie, both below the inference layer.

/// Length of the feature vector f_m.
pub const SEEN_FEATURES: usize = 5;

/// Coefficients for bundles that predate the fitted model (v2): P(seen) follows vote counts.
pub const LEGACY_COEF: [f32; SEEN_FEATURES] = [-6.0, 0.8, 0.3, 0.0, -0.5];

/// f_m for one movie. `n_users` is the number of training users `ml_count` counts over.
pub fn seen_features(
    ml_count: u32,
    n_users: u32,
    imdb_votes: u32,
    year: Option<u16>,
) -> [f32; SEEN_FEATURES] {
    let share = 1000.0 * ml_count as f32 / n_users.max(1) as f32;
    let (year_z, unknown) = match year {
        Some(y) if y > 0 => ((y as f32 - 2000.0) / 20.0, 0.0),
        _ => (0.0, 1.0),
    };
    [
        1.0,
        share.ln_1p(),
        (imdb_votes as f32).ln_1p(),
        year_z,
        unknown,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn centred_scaled_and_missing_values_sit_at_zero() {
        let items = [
            RawFeatures {
                imdb_rating: Some(8.0),
                imdb_votes: 1000,
                year: Some(1990),
                genres: 0b01,
            },
            RawFeatures {
                imdb_rating: Some(6.0),
                imdb_votes: 10,
                year: Some(2010),
                genres: 0b10,
            },
            RawFeatures {
                imdb_rating: None,
                imdb_votes: 0,
                year: None,
                genres: 0b11,
            },
        ];
        let spec = FeatureSpec::fit(&items, 2);
        assert_eq!(spec.len(), BASE_FEATURES + 2);
        let mut x = vec![vec![0f32; spec.len()]; 3];
        for (it, row) in items.iter().zip(x.iter_mut()) {
            spec.compute(it, row);
        }
        // Every feature has mean 0 and (population) variance 1 over the fitted catalogue.
        for j in 0..spec.len() {
            let m: f32 = x.iter().map(|r| r[j]).sum::<f32>() / 3.0;
            let v: f32 = x.iter().map(|r| r[j] * r[j]).sum::<f32>() / 3.0;
            assert_abs_diff_eq!(m, 0.0, epsilon = 1e-5);
            assert_abs_diff_eq!(v, 1.0, epsilon = 1e-4);
        }
        // The movie without IMDb data or year sits at the mean of those features.
        assert_abs_diff_eq!(x[2][0], 0.0, epsilon = 1e-6);
        assert_abs_diff_eq!(x[2][2], 0.0, epsilon = 1e-6);
        assert!(x[2][3] > 0.0 && x[0][3] < 0.0, "missing-rating indicator");
        assert!(x[0][0] > x[1][0], "higher IMDb rating, higher feature");
    }
}
