//! What the dev set may choose, chosen honestly (`tools eval --people DIR --tune`): three
//! adjustments of the bundle's blend — scales on its implicit and rating terms and the
//! popularity knob's default — picked by 5-fold cross-validation over people (a person's fold
//! is FNV-1a-64 of their file name mod 5): each fold's people are scored at the grid point
//! that maximises recall@100 on the other four folds among the points whose lists are personal
//! there (overlap@20 ≤ [`OVERLAP_CAP`]; the least overlapping point if none is), so every
//! reported figure is out of fold.
//! The point that is best on everyone is what to ship (`eval::blend::DEV_SET`).
//!
//! Also here: the paired bootstrap of a difference of per-person means (people resampled with
//! replacement), for the interval of list − ease.

use moviematch::bundle::Blend;
use moviematch::profile::Settings;
use moviematch::{ListRequest, Model, Visitor};
use rand::{rngs::StdRng, RngExt, SeedableRng};
use rayon::prelude::*;
use serde::Serialize;

use super::metrics::{PersonScore, HIT_AT, TOP};
use super::read::{fnv1a64, Person};

/// Number of folds.
pub const FOLDS: u64 = 5;

/// The most two people's top 20s may share on average (Jaccard) for a point to be chosen.
pub const OVERLAP_CAP: f64 = 0.15;

/// One point of the grid: how the bundle's blend is adjusted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Adjust {
    /// Multiplies the implicit term's weights.
    pub implicit: f32,
    /// Multiplies the predicted rating's weights.
    pub mean: f32,
    /// The popularity knob's value (the default 2 is the fitted weight).
    pub popularity: f32,
}

impl Adjust {
    /// No change.
    pub const NONE: Adjust = Adjust {
        implicit: 1.0,
        mean: 1.0,
        popularity: moviematch::profile::DEFAULT_POPULARITY,
    };

    /// `blend` with this whole point baked in: the scales, and the weight on logit P(seen)
    /// moved as the popularity knob at this value would move it, so that the knob's default
    /// gives this point (what `tools train` ships, see `eval::blend::DEV_SET`).
    pub fn bake(&self, blend: &Blend) -> Blend {
        let mut b = self.apply(blend);
        let shift = (self.popularity - moviematch::profile::DEFAULT_POPULARITY) * b.discovery_step;
        match b.terms.iter_mut().find(|t| t.name == "seen") {
            Some(t) => t.weight += shift,
            None => b.terms.push(moviematch::bundle::BlendTerm {
                name: "seen".into(),
                weight: shift,
                per_log_answer: 0.0,
            }),
        }
        b
    }

    /// `blend` with this point's scales applied (the popularity is a list setting).
    pub fn apply(&self, blend: &Blend) -> Blend {
        let mut b = blend.clone();
        for t in &mut b.terms {
            let scale = match Blend::late_base(&t.name).0 {
                "implicit" => self.implicit,
                "mean" => self.mean,
                _ => 1.0,
            };
            t.weight *= scale;
            t.per_log_answer *= scale;
        }
        b
    }
}

/// The grid searched.
pub fn grid() -> Vec<Adjust> {
    let mut out = Vec::new();
    for implicit in [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0] {
        for mean in [0.5, 1.0, 2.0, 3.0] {
            for popularity in [1.0, 1.5, 2.0, 2.5] {
                out.push(Adjust {
                    implicit,
                    mean,
                    popularity,
                });
            }
        }
    }
    out
}

/// A person's fold: FNV-1a-64 of their file name mod [`FOLDS`].
pub fn fold_of(file: &str) -> u64 {
    fnv1a64(file.as_bytes()) % FOLDS
}

/// What the cross-validation found.
#[derive(Debug, Clone, Serialize)]
pub struct CvReport {
    /// The point chosen for each fold (from the other folds).
    pub chosen_per_fold: Vec<Adjust>,
    /// The point best on everyone: what to ship.
    pub chosen_all: Adjust,
    /// Mean recall@100 and overlap@20 at each grid point over everyone (in-sample: for the
    /// record, and to see what each point costs in how alike people's lists are).
    pub grid: Vec<(Adjust, f64, Option<f64>)>,
}

/// Each person's figures and top 20 at every grid point: `[point][person]`.
pub type GridScores = Vec<Vec<(PersonScore, Vec<usize>)>>;

/// Ranks every person at every grid point; `score` turns a top-100 list into the person's
/// figures (the protocol's own scoring).
pub fn score_grid(
    model: &mut Model,
    people: &[Person],
    visitors: &[Visitor],
    points: &[Adjust],
    score: &(dyn Fn(&Model, &Person, &[usize]) -> PersonScore + Sync),
) -> GridScores {
    let base = model.blend().spec().clone();
    let mut out = Vec::with_capacity(points.len());
    for p in points {
        model.set_blend(&p.apply(&base));
        let m: &Model = model;
        let request = ListRequest {
            settings: Settings {
                exploration: 0.0,
                popularity: p.popularity,
                ..Settings::default()
            },
            top: TOP,
            seed: None,
            genres_all: 0,
        };
        out.push(
            people
                .par_iter()
                .zip(visitors)
                .map(|(person, v)| {
                    let list: Vec<usize> = v
                        .ranked(m, &request)
                        .map(|l| l.into_iter().map(|r| r.item).collect())
                        .unwrap_or_default();
                    let s = score(m, person, &list);
                    (s, list.into_iter().take(HIT_AT).collect())
                })
                .collect(),
        );
    }
    model.set_blend(&base);
    out
}

/// 5-fold cross-validation over `scores` (`[point][person]`): per fold the point with the best
/// mean recall on the other folds (ties: the earlier point), and each person's out-of-fold
/// figures and top 20.
pub fn cross_validate(
    people: &[Person],
    points: &[Adjust],
    scores: &GridScores,
) -> (CvReport, Vec<(PersonScore, Vec<usize>)>) {
    let fold: Vec<u64> = people.iter().map(|p| fold_of(&p.file)).collect();
    let mean_recall = |point: usize, keep: &dyn Fn(usize) -> bool| {
        let (sum, n) = scores[point]
            .iter()
            .enumerate()
            .filter(|(j, _)| keep(*j))
            .fold((0.0, 0usize), |(s, n), (_, x)| (s + x.0.recall, n + 1));
        if n == 0 {
            0.0
        } else {
            sum / n as f64
        }
    };
    let overlap_of = |point: usize, keep: &dyn Fn(usize) -> bool| {
        let lists: Vec<Vec<usize>> = scores[point]
            .iter()
            .enumerate()
            .filter(|(j, _)| keep(*j))
            .map(|(_, x)| x.1.clone())
            .collect();
        super::metrics::overlap(&lists, HIT_AT).unwrap_or(0.0)
    };
    let best = |keep: &dyn Fn(usize) -> bool| {
        let overlaps: Vec<f64> = (0..points.len()).map(|g| overlap_of(g, keep)).collect();
        let feasible: Vec<usize> = (0..points.len())
            .filter(|&g| overlaps[g] <= OVERLAP_CAP)
            .collect();
        if feasible.is_empty() {
            return (0..points.len())
                .min_by(|&a, &b| overlaps[a].total_cmp(&overlaps[b]))
                .unwrap_or(0);
        }
        let mut best = feasible[0];
        for &g in &feasible[1..] {
            if mean_recall(g, keep) > mean_recall(best, keep) + 1e-12 {
                best = g;
            }
        }
        best
    };
    let per_fold: Vec<usize> = (0..FOLDS).map(|f| best(&|j| fold[j] != f)).collect();
    let out_of_fold = (0..people.len())
        .map(|j| scores[per_fold[fold[j] as usize]][j].clone())
        .collect();
    let all = best(&|_| true);
    (
        CvReport {
            chosen_per_fold: per_fold.iter().map(|&g| points[g]).collect(),
            chosen_all: points[all],
            grid: (0..points.len())
                .map(|g| {
                    let lists: Vec<Vec<usize>> = scores[g].iter().map(|x| x.1.clone()).collect();
                    (
                        points[g],
                        mean_recall(g, &|_| true),
                        super::metrics::overlap(&lists, HIT_AT),
                    )
                })
                .collect(),
        },
        out_of_fold,
    )
}

/// The paired bootstrap 95% interval of mean(a − b) (people resampled with replacement,
/// `rounds` times, seeded), and the mean difference itself.
pub fn paired_bootstrap(a: &[f64], b: &[f64], rounds: usize, seed: u64) -> (f64, f64, f64) {
    assert_eq!(a.len(), b.len(), "paired: one value of each per person");
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let n = d.len();
    if n == 0 {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    let mean = d.iter().sum::<f64>() / n as f64;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut means: Vec<f64> = (0..rounds)
        .map(|_| (0..n).map(|_| d[rng.random_range(0..n)]).sum::<f64>() / n as f64)
        .collect();
    means.sort_by(f64::total_cmp);
    let at = |q: f64| means[((q * (rounds - 1) as f64).round() as usize).min(rounds - 1)];
    (mean, at(0.025), at(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bootstrap_interval_covers_the_mean_and_narrows_with_people() {
        let a: Vec<f64> = (0..40).map(|i| 0.3 + 0.01 * (i % 7) as f64).collect();
        let b: Vec<f64> = (0..40).map(|i| 0.25 + 0.01 * (i % 5) as f64).collect();
        let (m, lo, hi) = paired_bootstrap(&a, &b, 2000, 1);
        assert!(lo < m && m < hi, "{lo} {m} {hi}");
        let a4: Vec<f64> = a.iter().cycle().take(160).copied().collect();
        let b4: Vec<f64> = b.iter().cycle().take(160).copied().collect();
        let (_, lo4, hi4) = paired_bootstrap(&a4, &b4, 2000, 1);
        assert!(hi4 - lo4 < 0.7 * (hi - lo), "{} vs {}", hi4 - lo4, hi - lo);
        // A constant difference has a zero-width interval.
        let c: Vec<f64> = b.iter().map(|x| x + 0.1).collect();
        let (m, lo, hi) = paired_bootstrap(&c, &b, 500, 2);
        assert!((m - 0.1).abs() < 1e-12 && (lo - 0.1).abs() < 1e-12 && (hi - 0.1).abs() < 1e-12);
    }

    #[test]
    fn folds_follow_the_file_name_hash() {
        assert_eq!(fold_of("a.csv"), fnv1a64(b"a.csv") % 5);
        let folds: std::collections::HashSet<u64> =
            (0..50).map(|i| fold_of(&format!("p{i}.csv"))).collect();
        assert_eq!(folds.len(), 5);
    }

    #[test]
    fn the_grid_applies_scales_to_the_named_terms_only() {
        let b = Blend::legacy();
        let mut with = b.clone();
        with.terms.push(moviematch::bundle::BlendTerm {
            name: "implicit".into(),
            weight: 2.0,
            per_log_answer: -0.5,
        });
        let p = Adjust {
            implicit: 1.5,
            mean: 0.5,
            popularity: 1.0,
        };
        let got = p.apply(&with);
        let w = |n: &str| got.terms.iter().find(|t| t.name == n).unwrap().clone();
        assert_eq!(
            (w("implicit").weight, w("implicit").per_log_answer),
            (3.0, -0.75)
        );
        assert_eq!(w("mean").weight, 0.5);
        assert_eq!(w("seen").weight, 2.0);
        assert_eq!(Adjust::NONE.apply(&with), with);
        assert_eq!(Adjust::NONE.bake(&with), with);
        // Baking popularity 1 moves the seen weight one discovery step down.
        let baked = p.bake(&with);
        let seen = baked.terms.iter().find(|t| t.name == "seen").unwrap();
        assert_eq!(seen.weight, 2.0 - with.discovery_step);
        assert!(grid().contains(&Adjust::NONE));
    }
}
