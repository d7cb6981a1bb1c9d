//! Which data goes into which picture, and the facts the page states about each. Scatter plots
//! draw a seeded sample of the catalogue (a few thousand points keep an SVG small), while every
//! number on the page and every trend line is computed over all movies.

use std::path::Path;

use anyhow::Result;
use moviematch::Model;
use rand::{rngs::StdRng, SeedableRng};

use super::catalogue::{
    binned_means, factor_norms, log_votes, median, most_rated, pearson, Visitor,
};
use super::files::{
    CALIBRATION_SVG, COVERAGE_SVG, HISTOGRAM_SVG, MAP_SVG, NORMS_SVG, RMSE_SVG, TRAINING_SVG,
    VOTES_SVG,
};
use super::page::{thousands, Findings, MapFacts, NormFacts, TrainingFacts, VisitorFacts};
use super::plots::{self, Group, MapPoint, Panel, BLUE_C, NO_VOTES_X, ORANGE_C, RED_C};
use crate::eval::fit::IrtFit;

/// Calibration bins with fewer held-out ratings are not drawn (their mean is noise).
const MIN_BIN: usize = 20;
/// Points drawn per scatter group.
const SAMPLE: usize = 3000;
/// Movies on the latent map.
const MAP_MOVIES: usize = 60;

/// Draws every picture into `out` and returns the page, completing `f` with what they show.
pub fn draw_all(
    out: &Path,
    fit: &IrtFit,
    engine: &Model,
    visitors: &[Visitor],
    mut f: Findings,
) -> Result<String> {
    plots::training(
        &out.join(TRAINING_SVG),
        &fit.probe,
        fit.probe_n,
        &fit.model.history,
        fit.train_n,
    )?;
    f.training = training_facts(fit);

    let scale = engine.header.scale;
    f.scale = (scale.min as f64, scale.max as f64);
    let series: Vec<(String, Vec<f32>)> = visitors
        .iter()
        .map(|v| (v.label.clone(), v.preds.mean.to_vec()))
        .collect();
    plots::prediction_histogram(&out.join(HISTOGRAM_SVG), &series, f.scale)?;

    f.min_bin = MIN_BIN;
    plots::calibration(&out.join(CALIBRATION_SVG), &f.bins, MIN_BIN)?;
    plots::coverage_by_decile(&out.join(COVERAGE_SVG), &f.deciles)?;
    plots::rmse_by_decile(&out.join(RMSE_SVG), &f.deciles, f.heldout.rmse)?;

    let votes: Vec<u32> = engine.movies().iter().map(|m| m.imdb_votes).collect();
    let with_votes: Vec<f64> = votes
        .iter()
        .filter(|&&v| v > 0)
        .map(|&v| v as f64)
        .collect();
    f.catalogue = (
        engine.len(),
        with_votes.len(),
        median(with_votes).unwrap_or(0.0),
    );
    let tops: Vec<Vec<usize>> = visitors.iter().map(|v| v.top(engine, 20)).collect();
    f.visitors = visitors
        .iter()
        .zip(&tops)
        .map(|(v, top)| visitor_facts(engine, v, top, f.scale))
        .collect();

    // x on the log-votes axis; movies without votes in a jittered column of their own.
    let x_of = |i: usize| {
        log_votes(votes[i]).unwrap_or(NO_VOTES_X + ((i * 7919) % 101) as f64 / 101.0 * 0.5 - 0.25)
    };
    let sample = sample_rows(engine.len(), SAMPLE, 0x5eed);
    let panels: Vec<Panel> = visitors
        .iter()
        .zip(&tops)
        .filter(|(v, _)| v.role == "typical" || v.role == "prior")
        .map(|(v, top)| {
            let pred = |i: usize| v.preds.mean[i] as f64;
            let all: Vec<(f64, f64)> = (0..engine.len())
                .filter(|&i| votes[i] > 0)
                .map(|i| (x_of(i), pred(i)))
                .collect();
            Panel {
                title: v.label.clone(),
                groups: vec![
                    Group {
                        label: format!("catalogue (sample of {})", sample.len()),
                        color: BLUE_C,
                        points: sample.iter().map(|&i| (x_of(i), pred(i))).collect(),
                        radius: 2,
                        alpha: 0.25,
                    },
                    Group {
                        label: "top 20 of the list".into(),
                        color: RED_C,
                        points: top.iter().map(|&i| (x_of(i), pred(i))).collect(),
                        radius: 4,
                        alpha: 1.0,
                    },
                ],
                lines: vec![(
                    "mean per 0.25 log-votes bin".into(),
                    ORANGE_C,
                    binned_means(&all, 0.25, 20),
                )],
            }
        })
        .collect();
    plots::votes_panels(
        &out.join(VOTES_SVG),
        "Predicted rating against IMDb votes",
        "predicted rating (not clipped)",
        &panels,
        &[(f.scale.0, "scale minimum"), (f.scale.1, "scale maximum")],
    )?;

    let norms = factor_norms(engine);
    let rated = |i: usize| engine.movie(i).ml_count > 0;
    let group = |want: bool, label: &str, color, seed| {
        let rows: Vec<usize> = (0..engine.len()).filter(|&i| rated(i) == want).collect();
        let pick = sample_rows(rows.len(), SAMPLE, seed);
        let all: Vec<(f64, f64)> = rows
            .iter()
            .filter(|&&i| votes[i] > 0)
            .map(|&i| (x_of(i), norms[i]))
            .collect();
        let g = Group {
            label: format!("{label} ({} movies)", thousands(rows.len() as u64)),
            color,
            points: pick
                .iter()
                .map(|&j| (x_of(rows[j]), norms[rows[j]]))
                .collect(),
            radius: 2,
            alpha: 0.3,
        };
        (
            g,
            (
                format!("{label}: mean"),
                color,
                binned_means(&all, 0.25, 20),
            ),
        )
    };
    let (g_rated, l_rated) = group(true, "rated in training", BLUE_C, 1);
    let (g_prior, l_prior) = group(false, "content prior only", ORANGE_C, 2);
    plots::votes_panels(
        &out.join(NORMS_SVG),
        "Length of each movie's latent factors against IMDb votes",
        "‖β‖ (item-factor norm)",
        &[Panel {
            title: format!("{} catalogue movies", thousands(engine.len() as u64)),
            groups: vec![g_prior, g_rated],
            lines: vec![l_prior, l_rated],
        }],
        &[],
    )?;
    f.norms = norm_facts(engine, &norms, &votes);

    let top = most_rated(engine, MAP_MOVIES);
    let coord = |i: usize| {
        let row = engine.design().row(i);
        let k = engine.k();
        (row[0] as f64, if k > 1 { row[1] as f64 } else { 0.0 })
    };
    let points: Vec<MapPoint> = top
        .iter()
        .map(|&i| {
            let (x, y) = coord(i);
            MapPoint {
                x,
                y,
                label: short_title(engine, i),
            }
        })
        .collect();
    let rated_rows: Vec<usize> = (0..engine.len()).filter(|&i| rated(i)).collect();
    let background: Vec<(f64, f64)> = sample_rows(rated_rows.len(), 3000, 3)
        .iter()
        .map(|&j| coord(rated_rows[j]))
        .collect();
    plots::latent_map(
        &out.join(MAP_SVG),
        &points,
        &background,
        &format!("The {} most-rated movies in latent space", top.len()),
    )?;
    f.map = map_facts(engine, &top, &points);
    Ok(super::page::render(&f))
}

/// Up to `n` distinct indices of `0..len`, seeded and sorted (all of them when `len ≤ n`).
fn sample_rows(len: usize, n: usize, seed: u64) -> Vec<usize> {
    if len <= n {
        return (0..len).collect();
    }
    let mut rng = StdRng::seed_from_u64(seed);
    let mut v = rand::seq::index::sample(&mut rng, len, n).into_vec();
    v.sort_unstable();
    v
}

/// A title short enough for a label: at most 26 characters, else cut with "…" and the year
/// added, so that cut sequels ("The Lord of the Rings: Th…") stay apart.
fn short_title(engine: &Model, i: usize) -> String {
    let m = engine.movie(i);
    let t = &m.title;
    if t.chars().count() <= 26 {
        return t.clone();
    }
    let cut: String = t.chars().take(22).collect();
    match m.year {
        Some(y) => format!("{}… ({y})", cut.trim_end()),
        None => format!("{}…", cut.trim_end()),
    }
}

fn training_facts(fit: &IrtFit) -> TrainingFacts {
    let h = &fit.model.history;
    let per = |e: f64| e / fit.train_n.max(1) as f64;
    TrainingFacts {
        probe_epochs: fit.probe.len(),
        best_heldout: fit
            .probe
            .iter()
            .filter_map(|e| Some((e.epoch, e.heldout_rmse?)))
            .min_by(|a, b| a.1.total_cmp(&b.1)),
        elbo_first: h.first().map_or(f64::NAN, |e| per(e.elbo)),
        elbo_last: h.last().map_or(f64::NAN, |e| per(e.elbo)),
        elbo_drops: h.windows(2).filter(|w| w[1].elbo < w[0].elbo).count(),
        probe_elbo_drops: fit
            .probe
            .windows(2)
            .filter(|w| w[1].elbo < w[0].elbo)
            .count(),
        sigma_last: h.last().map_or(f64::NAN, |e| e.sigma),
        train_rmse_last: h.last().map_or(f64::NAN, |e| e.train_rmse),
    }
}

fn visitor_facts(engine: &Model, v: &Visitor, top: &[usize], scale: (f64, f64)) -> VisitorFacts {
    let preds: Vec<f64> = v.preds.mean.iter().map(|&p| p as f64).collect();
    let votes = |i: usize| engine.movie(i).imdb_votes;
    let with_votes: Vec<(f64, f64)> = (0..engine.len())
        .filter_map(|i| Some((log_votes(votes(i))?, preds[i])))
        .collect();
    let top20 = &top[..top.len().min(20)];
    VisitorFacts {
        label: v.label.clone(),
        min: preds.iter().copied().fold(f64::INFINITY, f64::min),
        median: median(preds.clone()).unwrap_or(f64::NAN),
        max: preds.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        out_of_range: preds
            .iter()
            .filter(|&&p| p < scale.0 || p > scale.1)
            .count() as f64
            / preds.len().max(1) as f64,
        top20_median_votes: median(top20.iter().map(|&i| votes(i) as f64).collect()).unwrap_or(0.0),
        top20_under_1k: top20.iter().filter(|&&i| votes(i) < 1000).count(),
        corr_log_votes: pearson(&with_votes),
        top5: top20
            .iter()
            .take(5)
            .map(|&i| {
                let m = engine.movie(i);
                match m.year {
                    Some(y) => format!("{} ({y})", m.title),
                    None => m.title.clone(),
                }
            })
            .collect(),
    }
}

fn norm_facts(engine: &Model, norms: &[f64], votes: &[u32]) -> NormFacts {
    let rated: Vec<usize> = (0..engine.len())
        .filter(|&i| engine.movie(i).ml_count > 0)
        .collect();
    let unrated: Vec<usize> = (0..engine.len())
        .filter(|&i| engine.movie(i).ml_count == 0)
        .collect();
    let stats = |rows: &[usize]| {
        let v: Vec<f64> = rows.iter().map(|&i| norms[i]).collect();
        let max = v.iter().copied().fold(0.0, f64::max);
        (median(v).unwrap_or(0.0), max)
    };
    let (rated_median, rated_max) = stats(&rated);
    let (unrated_median, unrated_max) = stats(&unrated);
    let mut order: Vec<usize> = (0..engine.len()).collect();
    order.sort_by(|&a, &b| norms[b].total_cmp(&norms[a]).then(a.cmp(&b)));
    NormFacts {
        rated: rated.len(),
        rated_median,
        rated_max,
        unrated: unrated.len(),
        unrated_median,
        unrated_max,
        largest: order
            .iter()
            .take(5)
            .map(|&i| {
                let m = engine.movie(i);
                (m.title.clone(), norms[i], m.imdb_votes, m.ml_count)
            })
            .collect(),
        corr_rated: pearson(
            &rated
                .iter()
                .filter_map(|&i| Some((log_votes(votes[i])?, norms[i])))
                .collect::<Vec<_>>(),
        ),
    }
}

fn map_facts(engine: &Model, top: &[usize], points: &[MapPoint]) -> MapFacts {
    let ends = |key: &dyn Fn(&MapPoint) -> f64| {
        let mut order: Vec<usize> = (0..points.len()).collect();
        order.sort_by(|&a, &b| key(&points[a]).total_cmp(&key(&points[b])));
        let title = |j: &usize| engine.movie(top[*j]).title.clone();
        let low: Vec<String> = order.iter().take(3).map(title).collect();
        let high: Vec<String> = order.iter().rev().take(3).map(title).collect();
        (low, high)
    };
    MapFacts {
        n: points.len(),
        dim1: ends(&|p| p.x),
        dim2: ends(&|p| p.y),
    }
}
