//! "How well do you know me?": every film the visitor rated, predicted from everything else
//! they said ([`crate::loo`]: the posterior without that rating), beside their rating; and the
//! same for the film's IMDb average mapped to their scale by the least-squares line through
//! their other rated films (leave-one-out too). The summary compares the two on the same
//! films: mean absolute error, Spearman's rank correlation with the ratings, and how many
//! ratings fell inside the model's 80% interval. The app draws it as a scatter; `tools
//! calibrate --report` prints it; pkg's `engine.calibration` returns it.

use super::Visitor;
use crate::loo::LeaveOneOut;
use crate::model::Model;
use crate::noise::t_quantile;
use crate::stats::affine_loo;
pub use crate::stats::spearman;
use moviematch_math::linalg::NotPositiveDefinite;

/// One rated film, held out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeldOut {
    /// Catalogue index.
    pub item: usize,
    /// The visitor's rating in force, on the model's scale (what the posterior took in).
    pub rating: f32,
    /// The prediction without the rating, clipped to the scale: what "would I like this one?"
    /// shows for the film ([`Visitor::film`]).
    pub mean: f32,
    /// Its central 80% predictive interval, clipped to the scale.
    pub interval80: (f32, f32),
    /// The film's IMDb average through the least-squares line (rating against IMDb average)
    /// of the visitor's *other* rated films with one, clipped to the scale; a level line
    /// (their mean rating) when those films' averages are all equal. `None` when the film has
    /// no IMDb average or no other rated film has one.
    pub imdb: Option<f32>,
}

/// How close one predictor came to the visitor's ratings.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Accuracy {
    /// Mean absolute error, in the scale's units (stars); `None` without a film.
    pub mae: Option<f64>,
    /// Spearman's rank correlation with the ratings (ties share their average rank); `None`
    /// with fewer than two films or when the ratings or the predictions are all equal.
    pub spearman: Option<f64>,
}

/// The report: every rated film held out, and the summary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calibration {
    /// Every catalogue film the visitor rated (their rating in force), most recent first.
    pub films: Vec<HeldOut>,
    /// The films the summary is over: those with an IMDb prediction (`imdb` is `Some`), so
    /// that the model and the IMDb average are compared on the same films.
    pub n: usize,
    pub model: Accuracy,
    /// The share of the n ratings inside the model's 80% interval (about 0.8 when the
    /// intervals are honest).
    pub coverage80: Option<f64>,
    pub imdb: Accuracy,
}

impl Visitor {
    /// "How well do you know me?" (see the module docs): O(D²) a rating after one
    /// O(n·D² + D³) setup, no refit.
    pub fn calibration(&self, model: &Model) -> Result<Calibration, NotPositiveDefinite> {
        let obs = &self.evidence.observations;
        if obs.is_empty() {
            return Ok(Calibration::default());
        }
        let loo = LeaveOneOut::new(model, &self.evidence, self.posterior()?)?;
        let scale = model.header.scale;
        let imdb_of = |i: usize| model.movie(i).imdb_rating.map(f64::from);
        let with_imdb: Vec<usize> = (0..obs.len())
            .filter(|&j| imdb_of(obs[j].item).is_some())
            .collect();
        let x: Vec<f64> = with_imdb
            .iter()
            .filter_map(|&j| imdb_of(obs[j].item))
            .collect();
        let y: Vec<f64> = with_imdb.iter().map(|&j| obs[j].rating as f64).collect();
        let mut line = vec![None; obs.len()];
        for (&j, p) in with_imdb.iter().zip(affine_loo(&x, &y)) {
            line[j] = p;
        }
        let imdb: Vec<Option<f32>> = line
            .iter()
            .map(|p| p.map(|p| scale.clamp(p as f32)))
            .collect();
        // Each held-out prediction is shown as the visitor would have seen it: through their
        // stack, its line without the held-out rating (`crate::stack`).
        let stack = self.posterior()?.stack();
        // Every held-out rating leaves the same number of Gaussian answers, so one ν and one
        // quantile (t_quantile iterates: it was most of the time over 500 ratings).
        let mut q80 = (f64::NAN, f64::NAN);
        let films = obs
            .iter()
            .zip(imdb)
            .enumerate()
            .map(|(j, (o, imdb))| {
                let p = loo.predictive(model, j)?;
                if p.dof != q80.0 {
                    q80 = (p.dof, t_quantile(p.dof, 0.9));
                }
                let mean = line[j].map_or(p.mean, |l| stack.mix(p.mean, l));
                let (lo, hi) = (mean - q80.1 * p.scale, mean + q80.1 * p.scale);
                Ok(HeldOut {
                    item: o.item,
                    rating: o.rating,
                    mean: scale.clamp(mean as f32),
                    interval80: (scale.clamp(lo as f32), scale.clamp(hi as f32)),
                    imdb,
                })
            })
            .collect::<Result<Vec<_>, NotPositiveDefinite>>()?;
        let same: Vec<&HeldOut> = films.iter().filter(|f| f.imdb.is_some()).collect();
        let rating: Vec<f64> = same.iter().map(|f| f.rating as f64).collect();
        let model_mean: Vec<f64> = same.iter().map(|f| f.mean as f64).collect();
        let imdb_mean: Vec<f64> = same.iter().filter_map(|f| f.imdb.map(f64::from)).collect();
        let inside = same
            .iter()
            .filter(|f| f.interval80.0 <= f.rating && f.rating <= f.interval80.1)
            .count();
        Ok(Calibration {
            n: same.len(),
            model: Accuracy::of(&model_mean, &rating),
            coverage80: (!same.is_empty()).then(|| inside as f64 / same.len() as f64),
            imdb: Accuracy::of(&imdb_mean, &rating),
            films,
        })
    }
}

impl Accuracy {
    /// `predicted` against `actual`, pair by pair.
    fn of(predicted: &[f64], actual: &[f64]) -> Accuracy {
        let n = predicted.len();
        Accuracy {
            mae: (n > 0).then(|| {
                predicted
                    .iter()
                    .zip(actual)
                    .map(|(p, a)| (p - a).abs())
                    .sum::<f64>()
                    / n as f64
            }),
            spearman: spearman(predicted, actual),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::random_bundle;
    use crate::profile::{Action, CompareAnswer, Profile, Scale};
    use approx::assert_abs_diff_eq;

    fn model() -> Model {
        Model::from_bundle(random_bundle(9, 60, 3, 40))
    }

    /// Each row is the leave-one-out prediction, clipped as a list row is; the summary is over
    /// the films with an IMDb prediction.
    #[test]
    fn the_report_holds_each_rating_against_the_rest() {
        let m = model();
        let mut p = Profile::default();
        let stars = [4.5, 2.0, 3.5, 5.0, 1.5, 3.0, 4.0, 2.5];
        for (i, &s) in stars.iter().enumerate() {
            p.rate(m.stable_id(i), s, Scale::Stars, i as i64 + 1);
        }
        p.compare(m.stable_id(20), m.stable_id(21), CompareAnswer::A, 20);
        p.feedback(m.stable_id(3), Action::Like, 21);
        let v = Visitor::new(&m, &p);
        let c = v.calibration(&m).unwrap();
        assert_eq!(c.films.len(), stars.len());
        let loo = LeaveOneOut::new(&m, v.evidence(), v.posterior().unwrap()).unwrap();
        for (j, f) in c.films.iter().enumerate() {
            assert_eq!(f.item, v.evidence().observations[j].item);
            assert_eq!(f.rating, stars[f.item]);
            let want = loo.predictive(&m, j).unwrap();
            assert_eq!(f.mean, m.header.scale.clamp(want.mean as f32));
            assert!(f.interval80.0 <= f.mean && f.mean <= f.interval80.1);
            assert_eq!(f.imdb.is_some(), m.movie(f.item).imdb_rating.is_some());
            // The film's own entry ("would I like this one?") shows the same prediction.
            let request = crate::session::ListRequest::new(&p.settings);
            let film = v.film(&m, f.item, &request).unwrap();
            assert_abs_diff_eq!(film.entry.rec.mean, f.mean, epsilon = 1e-5);
            assert_abs_diff_eq!(film.entry.rec.interval80.0, f.interval80.0, epsilon = 1e-4);
            assert_abs_diff_eq!(film.entry.rec.interval80.1, f.interval80.1, epsilon = 1e-4);
        }
        let same: Vec<&HeldOut> = c.films.iter().filter(|f| f.imdb.is_some()).collect();
        assert_eq!(c.n, same.len());
        assert!(c.n >= 2);
        let mae = same
            .iter()
            .map(|f| (f.mean - f.rating).abs() as f64)
            .sum::<f64>()
            / c.n as f64;
        assert_abs_diff_eq!(c.model.mae.unwrap(), mae, epsilon = 1e-12);
        let inside = same
            .iter()
            .filter(|f| f.interval80.0 <= f.rating && f.rating <= f.interval80.1)
            .count();
        assert_eq!(c.coverage80, Some(inside as f64 / c.n as f64));
        for a in [c.model, c.imdb] {
            let rho = a.spearman.unwrap();
            assert!((-1.0..=1.0).contains(&rho));
            assert!(a.mae.unwrap().is_finite());
        }
    }

    /// No rating, one, two, and ratings all equal: no panic, nothing undefined reported as a
    /// number.
    #[test]
    fn few_or_constant_ratings_give_sensible_reports() {
        let m = model();
        let rated = |stars: &[f32]| {
            let mut p = Profile::default();
            for (i, &s) in stars.iter().enumerate() {
                p.rate(m.stable_id(i), s, Scale::Stars, i as i64 + 1);
            }
            Visitor::new(&m, &p).calibration(&m).unwrap()
        };
        assert_eq!(rated(&[]), Calibration::default());
        let one = rated(&[4.0]);
        assert_eq!(one.films.len(), 1);
        assert_eq!(one.films[0].imdb, None);
        assert_eq!((one.n, one.model.mae, one.coverage80), (0, None, None));
        let two = rated(&[4.0, 2.0]);
        assert!(two.films.iter().all(|f| f.mean.is_finite()));
        let same = rated(&[3.0; 6]);
        assert_eq!(same.model.spearman, None);
        assert_eq!(same.imdb.spearman, None);
        for c in [&two, &same] {
            for a in [c.model, c.imdb] {
                assert!(a.mae.is_none_or(f64::is_finite));
                assert!(a.spearman.is_none_or(f64::is_finite));
            }
            for f in &c.films {
                assert!(f.mean.is_finite() && f.interval80.0.is_finite());
                assert!(f.imdb.is_none_or(f32::is_finite));
            }
        }
    }
}
