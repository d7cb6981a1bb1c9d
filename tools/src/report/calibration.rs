//! Held-out calibration as plain functions over plain numbers, so that what the pictures claim
//! (binned calibration, interval coverage and RMSE by popularity decile) is unit-tested against
//! hand-computed values and brute force, away from training and plotting.
//!
//! Conventions follow `tools eval`: RMSE uses predictions clipped to the rating scale (what a
//! visitor sees); coverage uses the unclipped predictive mean and sd, with the held-out rating
//! jittered by ±0.25 to undo half-star rounding.

use moviematch::noise::Predictive;

/// One held-out rating as the report scores it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeldOut {
    /// Predictive mean (the Student-t's location), not clipped.
    pub mean: f64,
    /// The Student-t predictive's scale and degrees of freedom (infinite: Gaussian, sd = scale).
    pub scale: f64,
    pub dof: f64,
    /// The rating given.
    pub actual: f64,
    /// Uniform in [−0.25, 0.25]: added to `actual` for coverage only.
    pub jitter: f64,
    /// The movie's number of ratings in the training part (0 for a movie only held out).
    pub train_count: u32,
}

impl HeldOut {
    fn predictive(&self) -> Predictive {
        Predictive {
            mean: self.mean,
            scale: self.scale,
            dof: self.dof,
        }
    }

    /// Predictive standard deviation.
    pub fn sd(&self) -> f64 {
        self.predictive().sd()
    }

    /// Whether the jittered rating lies inside the central interval of probability `p`.
    pub fn inside(&self, p: f64) -> bool {
        (self.actual + self.jitter - self.mean).abs() <= self.predictive().half_width(p)
    }

    /// Squared error of the prediction clipped to `clip`.
    pub fn clipped_sq_error(&self, clip: (f64, f64)) -> f64 {
        (self.mean.clamp(clip.0, clip.1) - self.actual).powi(2)
    }
}

/// Held-out ratings whose (unclipped) prediction falls in [lo, hi).
#[derive(Debug, Clone, PartialEq)]
pub struct CalibrationBin {
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
    pub mean_pred: f64,
    pub mean_actual: f64,
    /// Standard error of `mean_actual` (0 for a single rating).
    pub se_actual: f64,
}

/// Mean actual rating per bin of predicted rating (bins of `width` aligned at multiples of it);
/// empty bins are left out, the rest come in increasing order.
pub fn calibration_bins(held: &[HeldOut], width: f64) -> Vec<CalibrationBin> {
    assert!(width > 0.0, "bin width must be positive");
    let mut bins: std::collections::BTreeMap<i64, (usize, f64, f64, f64)> = Default::default();
    for h in held {
        let b = bins
            .entry((h.mean / width).floor() as i64)
            .or_insert((0, 0.0, 0.0, 0.0));
        b.0 += 1;
        b.1 += h.mean;
        b.2 += h.actual;
        b.3 += h.actual * h.actual;
    }
    bins.into_iter()
        .map(|(idx, (n, sp, sa, sa2))| {
            let nf = n as f64;
            let mean_actual = sa / nf;
            let var = if n > 1 {
                ((sa2 - nf * mean_actual * mean_actual) / (nf - 1.0)).max(0.0)
            } else {
                0.0
            };
            CalibrationBin {
                lo: idx as f64 * width,
                hi: (idx + 1) as f64 * width,
                n,
                mean_pred: sp / nf,
                mean_actual,
                se_actual: (var / nf).sqrt(),
            }
        })
        .collect()
}

/// Popularity decile (0–9) of each entry: entries sorted by `counts` (ties in input order) and
/// cut into ten groups whose sizes differ by at most one. Equal-sized groups keep every decile's
/// coverage equally precise; a count shared by many entries may straddle two deciles.
pub fn popularity_deciles(counts: &[u32]) -> Vec<usize> {
    let n = counts.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&j| (counts[j], j));
    let mut decile = vec![0; n];
    for (rank, &j) in order.iter().enumerate() {
        decile[j] = rank * 10 / n.max(1);
    }
    decile
}

/// Scores of the held-out ratings in one popularity decile.
#[derive(Debug, Clone, PartialEq)]
pub struct DecileStats {
    /// 1 (least rated movies) to 10 (most rated).
    pub decile: usize,
    pub n: usize,
    /// Range of the movies' training-rating counts in this decile.
    pub count_min: u32,
    pub count_max: u32,
    pub cov50: f64,
    pub cov90: f64,
    pub rmse: f64,
    /// Mean predictive sd: wider intervals where the model knows less.
    pub mean_sd: f64,
}

/// Coverage of the 50% and 90% intervals and RMSE per popularity decile (see
/// [`popularity_deciles`]); deciles without ratings (fewer than ten held out) are left out.
pub fn decile_stats(held: &[HeldOut], clip: (f64, f64)) -> Vec<DecileStats> {
    let counts: Vec<u32> = held.iter().map(|h| h.train_count).collect();
    let deciles = popularity_deciles(&counts);
    (0..10)
        .filter_map(|d| {
            let group: Vec<&HeldOut> = held
                .iter()
                .zip(&deciles)
                .filter(|(_, &g)| g == d)
                .map(|(h, _)| h)
                .collect();
            let s = summarize(group.iter().copied(), clip)?;
            Some(DecileStats {
                decile: d + 1,
                n: s.n,
                count_min: group.iter().map(|h| h.train_count).min()?,
                count_max: group.iter().map(|h| h.train_count).max()?,
                cov50: s.cov50,
                cov90: s.cov90,
                rmse: s.rmse,
                mean_sd: s.mean_sd,
            })
        })
        .collect()
}

/// Scores over all held-out ratings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Summary {
    pub n: usize,
    pub rmse: f64,
    pub cov50: f64,
    pub cov90: f64,
    pub mean_sd: f64,
    /// Smallest and largest unclipped prediction.
    pub pred_min: f64,
    pub pred_max: f64,
    /// Share of predictions outside `clip` before clipping.
    pub out_of_range: f64,
}

/// RMSE (clipped), coverage and prediction range of `held`; `None` when it is empty.
pub fn summarize<'a>(
    held: impl IntoIterator<Item = &'a HeldOut>,
    clip: (f64, f64),
) -> Option<Summary> {
    let (mut n, mut se, mut in50, mut in90, mut sd, mut out) = (0usize, 0.0, 0, 0, 0.0, 0);
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for h in held {
        n += 1;
        se += h.clipped_sq_error(clip);
        in50 += h.inside(0.5) as usize;
        in90 += h.inside(0.9) as usize;
        sd += h.sd();
        out += (h.mean < clip.0 || h.mean > clip.1) as usize;
        lo = lo.min(h.mean);
        hi = hi.max(h.mean);
    }
    let nf = n as f64;
    (n > 0).then(|| Summary {
        n,
        rmse: (se / nf).sqrt(),
        cov50: in50 as f64 / nf,
        cov90: in90 as f64 / nf,
        mean_sd: sd / nf,
        pred_min: lo,
        pred_max: hi,
        out_of_range: out as f64 / nf,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    fn h(mean: f64, actual: f64, count: u32) -> HeldOut {
        HeldOut {
            mean,
            scale: 1.0,
            dof: f64::INFINITY,
            actual,
            jitter: 0.0,
            train_count: count,
        }
    }

    /// Bins of width 0.5 by hand: [3.0, 3.5) holds 3.1 and 3.4 (actual 3 and 4), [4.5, 5.0)
    /// holds 4.6 (actual 5), and a prediction below the scale gets its own bin [0.0, 0.5).
    #[test]
    fn calibration_bins_by_hand() {
        let held = [
            h(3.1, 3.0, 1),
            h(4.6, 5.0, 1),
            h(3.4, 4.0, 1),
            h(0.2, 1.0, 1),
        ];
        let bins = calibration_bins(&held, 0.5);
        assert_eq!(bins.len(), 3);
        assert_eq!((bins[0].lo, bins[0].hi, bins[0].n), (0.0, 0.5, 1));
        let b = &bins[1];
        assert_eq!((b.lo, b.hi, b.n), (3.0, 3.5, 2));
        assert_abs_diff_eq!(b.mean_pred, 3.25, epsilon = 1e-12);
        assert_abs_diff_eq!(b.mean_actual, 3.5, epsilon = 1e-12);
        // sd of {3, 4} is √0.5; se = √0.5 / √2 = 0.5.
        assert_abs_diff_eq!(b.se_actual, 0.5, epsilon = 1e-12);
        assert_eq!((bins[2].lo, bins[2].n, bins[2].mean_actual), (4.5, 1, 5.0));
        assert_eq!(bins[2].se_actual, 0.0);
    }

    /// Every rating lands in exactly one bin that contains its prediction.
    #[test]
    fn calibration_bins_partition_the_ratings() {
        let held: Vec<HeldOut> = (0..500)
            .map(|j| {
                h(
                    ((j * 7919) % 613) as f64 / 100.0 - 0.5,
                    (j % 10) as f64 / 2.0,
                    0,
                )
            })
            .collect();
        let bins = calibration_bins(&held, 0.25);
        assert_eq!(bins.iter().map(|b| b.n).sum::<usize>(), held.len());
        for b in &bins {
            let inside: Vec<&HeldOut> = held
                .iter()
                .filter(|x| x.mean >= b.lo && x.mean < b.hi)
                .collect();
            assert_eq!(inside.len(), b.n, "bin {b:?}");
            let ma = inside.iter().map(|x| x.actual).sum::<f64>() / b.n as f64;
            assert_abs_diff_eq!(ma, b.mean_actual, epsilon = 1e-9);
        }
        assert!(bins.windows(2).all(|w| w[0].hi <= w[1].lo));
    }

    /// 25 entries → groups of 2 or 3; brute force: the ranks of the sorted counts.
    #[test]
    fn deciles_are_equal_sized_and_ordered_by_count() {
        let counts: Vec<u32> = (0..25).map(|j| ((j * 13) % 7) as u32).collect();
        let d = popularity_deciles(&counts);
        let mut sizes = [0usize; 10];
        for &g in &d {
            sizes[g] += 1;
        }
        assert!(sizes.iter().all(|&s| s == 2 || s == 3), "{sizes:?}");
        // A higher decile never holds a smaller count than a lower one.
        for a in 0..counts.len() {
            for b in 0..counts.len() {
                if d[a] < d[b] {
                    assert!(counts[a] <= counts[b]);
                }
            }
        }
        // Ten distinct counts, one each: decile = rank.
        let ten: Vec<u32> = vec![50, 3, 9, 0, 7, 1, 100, 20, 4, 8];
        assert_eq!(popularity_deciles(&ten), vec![8, 2, 6, 0, 4, 1, 9, 7, 3, 5]);
    }

    /// Coverage and RMSE per decile by hand on 20 ratings (two per decile).
    #[test]
    fn decile_stats_by_hand() {
        let mut held = Vec::new();
        for d in 0..10u32 {
            // One rating inside both intervals, one outside both.
            held.push(HeldOut {
                mean: 3.0,
                scale: 1.0,
                dof: f64::INFINITY,
                actual: 3.0,
                jitter: 0.1,
                train_count: d * 10,
            });
            held.push(HeldOut {
                mean: 6.0, // clipped to 5 for RMSE: error 1
                scale: 1.0,
                dof: f64::INFINITY,
                actual: 4.0,
                jitter: -0.5, // |3.5 − 6| = 2.5 > 1.645: outside both
                train_count: d * 10 + 1,
            });
        }
        let stats = decile_stats(&held, (0.5, 5.0));
        assert_eq!(stats.len(), 10);
        for (d, s) in stats.iter().enumerate() {
            assert_eq!(s.decile, d + 1);
            assert_eq!(
                (s.n, s.count_min, s.count_max),
                (2, d as u32 * 10, d as u32 * 10 + 1)
            );
            assert_abs_diff_eq!(s.cov50, 0.5, epsilon = 1e-12);
            assert_abs_diff_eq!(s.cov90, 0.5, epsilon = 1e-12);
            // errors 0 and 1 → √(1/2)
            assert_abs_diff_eq!(s.rmse, 0.5f64.sqrt(), epsilon = 1e-12);
        }
        let all = summarize(&held, (0.5, 5.0)).unwrap();
        assert_eq!((all.pred_min, all.pred_max), (3.0, 6.0));
        assert_abs_diff_eq!(all.out_of_range, 0.5, epsilon = 1e-12);
        assert!(summarize(&[], (0.5, 5.0)).is_none());
    }

    /// The interval edges: |dev| = half-width counts as inside; for a Gaussian the half-width
    /// of the 50% interval is 0.674·sd.
    #[test]
    fn inside_is_inclusive() {
        let x = HeldOut {
            mean: 0.0,
            scale: 2.0,
            dof: f64::INFINITY,
            actual: 0.0,
            jitter: 0.0,
            train_count: 0,
        };
        let edge = x.predictive().half_width(0.5);
        assert_abs_diff_eq!(edge, 2.0 * 0.674_49, epsilon = 1e-4);
        let x = HeldOut { actual: edge, ..x };
        assert!(x.inside(0.5));
        let y = HeldOut {
            actual: edge + 1e-9,
            ..x
        };
        assert!(!y.inside(0.5) && y.inside(0.9));
        // A t with 3 degrees of freedom: a narrower 50% interval than the Gaussian of the same
        // standard deviation (its mass sits in the middle and the tails).
        let t = HeldOut { dof: 3.0, ..x };
        assert!(t.predictive().half_width(0.5) < 0.674_49 * t.sd());
    }
}
