//! The report's pictures, drawn with plotters' SVG backend. Each function takes plain numbers
//! (computed and tested elsewhere) and writes one SVG; text stays `<text>` elements in a generic
//! `sans-serif` family, so nothing here needs a font file and the viewer renders the text.

use std::ops::Range;
use std::path::Path;

use anyhow::Result;
use plotters::chart::{MeshStyle, SeriesAnno};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::calibration::{CalibrationBin, DecileStats};
use super::labels::{place_labels, Rect as LabelRect};
use crate::train::irt::IrtEpoch;

const FONT: &str = "sans-serif";
/// plotters writes `font-size` = size / 1.24; this many px per requested unit.
const PX_PER_SIZE: f64 = 1.0 / 1.24;

pub const BLUE_C: RGBColor = RGBColor(31, 119, 180);
pub const ORANGE_C: RGBColor = RGBColor(255, 127, 14);
pub const GREEN_C: RGBColor = RGBColor(44, 160, 44);
pub const RED_C: RGBColor = RGBColor(214, 39, 40);
pub const PURPLE_C: RGBColor = RGBColor(148, 103, 189);
pub const GREY_C: RGBColor = RGBColor(127, 127, 127);
/// Series colours in order.
pub const PALETTE: [RGBColor; 5] = [BLUE_C, ORANGE_C, GREEN_C, RED_C, PURPLE_C];

/// Hides plotters' fine grid (ten light lines between labels clutter every picture).
const NO_LINE: RGBAColor = RGBAColor(0, 0, 0, 0.0);

type Area<'a> = DrawingArea<SVGBackend<'a>, Shift>;

fn canvas(path: &Path, size: (u32, u32)) -> Result<Area<'_>> {
    let root = SVGBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE)?;
    Ok(root)
}

/// Two decimals, without the "-0.00" a tiny negative tick would get.
fn fixed2(v: f64) -> String {
    format!("{:.2}", if v.abs() < 0.005 { 0.0 } else { v })
}

/// `lo..hi` widened by `frac` of its length on both sides (and never empty).
pub fn padded(lo: f64, hi: f64, frac: f64) -> Range<f64> {
    let span = (hi - lo).abs().max(1e-9);
    (lo - frac * span)..(hi + frac * span)
}

fn min_max(v: impl IntoIterator<Item = f64>) -> (f64, f64) {
    v.into_iter()
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
            (a.min(x), b.max(x))
        })
}

fn legend_line(c: RGBColor) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], c.stroke_width(2))
}

fn legend_dot(c: RGBColor) -> impl Fn((i32, i32)) -> Circle<(i32, i32), i32> {
    move |(x, y)| Circle::new((x + 10, y), 4, c.filled())
}

type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;
type Fmt<'f> = &'f dyn Fn(&f64) -> String;

/// Tick labels with `d` decimals.
fn decimals(d: usize) -> impl Fn(&f64) -> String {
    move |v| format!("{v:.d$}")
}

/// A chart on `area` captioned `(text, size)`, `margin` px inside it, with `label_areas`
/// (x, y) px for the axes' tick labels, over `x` × `y`.
fn chart<'a, 'b>(
    area: &'a Area<'b>,
    (caption, size): (&str, u32),
    margin: u32,
    label_areas: (u32, u32),
    (x, y): (Range<f64>, Range<f64>),
) -> Result<Chart<'a, 'b>> {
    Ok(ChartBuilder::on(area)
        .caption(caption, (FONT, size))
        .margin(margin)
        .x_label_area_size(label_areas.0)
        .y_label_area_size(label_areas.1)
        .build_cartesian_2d(x, y)?)
}

/// The axes' descriptions `(x, y)` and tick formats `(x, y)`, without the fine grid; returned
/// undrawn so a picture can set what else differs.
fn axes<'c, 'a, 'b>(
    c: &'c mut Chart<'a, 'b>,
    (x_desc, y_desc): (&str, &str),
    (x_fmt, y_fmt): (Fmt<'c>, Fmt<'c>),
) -> MeshStyle<'a, 'c, RangedCoordf64, RangedCoordf64, SVGBackend<'b>> {
    let mut mesh = c.configure_mesh();
    mesh.light_line_style(NO_LINE)
        .x_desc(x_desc)
        .y_desc(y_desc)
        .label_style((FONT, 14))
        .x_label_formatter(x_fmt)
        .y_label_formatter(y_fmt);
    mesh
}

/// The legend box at `pos`, its text in `font` px, over a white backdrop of opacity `backdrop`.
fn legend_at<'a, 'b: 'a>(
    c: &mut Chart<'a, 'b>,
    pos: SeriesLabelPosition,
    font: u32,
    backdrop: f64,
) -> Result<()> {
    c.configure_series_labels()
        .position(pos)
        .background_style(WHITE.mix(backdrop))
        .border_style(BLACK)
        .label_font((FONT, font))
        .draw()?;
    Ok(())
}

/// The usual legend box at `pos`.
fn legend<'a, 'b: 'a>(c: &mut Chart<'a, 'b>, pos: SeriesLabelPosition) -> Result<()> {
    legend_at(c, pos, 14, 0.85)
}

/// A dashed straight line from `a` to `b` with `dash` (length, gap) px, for the legend to label.
fn dashed<'c, 'a, 'b>(
    c: &'c mut Chart<'a, 'b>,
    [a, b]: [(f64, f64); 2],
    dash: (u32, u32),
    style: ShapeStyle,
) -> Result<&'c mut SeriesAnno<'a, SVGBackend<'b>>> {
    Ok(c.draw_series(DashedLineSeries::new([a, b], dash.0, dash.1, style))?)
}

/// A line through `pts` with markers of `points` px, labelled `name` in the legend.
fn marked_line(
    c: &mut Chart,
    pts: impl IntoIterator<Item = (f64, f64)>,
    col: RGBColor,
    points: u32,
    name: impl Into<String>,
) -> Result<()> {
    c.draw_series(LineSeries::new(pts, col.stroke_width(2)).point_size(points))?
        .label(name)
        .legend(legend_line(col));
    Ok(())
}

/// ELBO per rating by epoch (left) and RMSE and σ by epoch (right) for the probe and final fits.
pub fn training(
    path: &Path,
    probe: &[IrtEpoch],
    probe_n: usize,
    fin: &[IrtEpoch],
    train_n: usize,
) -> Result<()> {
    let root = canvas(path, (1100, 480))?;
    let (left, right) = root.split_horizontally(550);
    let per = |h: &[IrtEpoch], n: usize| -> Vec<(f64, f64)> {
        h.iter()
            .map(|e| (e.epoch as f64, e.elbo / n.max(1) as f64))
            .collect()
    };
    let (pe, fe) = (per(probe, probe_n), per(fin, train_n));
    let last = probe.len().max(fin.len()).max(2) as f64;
    let (lo, hi) = min_max(pe.iter().chain(&fe).map(|p| p.1));
    let epochs = 0.5..last + 0.5;
    let title = ("ELBO per training rating", 22);
    let mut c = chart(
        &left,
        title,
        12,
        (45, 70),
        (epochs.clone(), padded(lo, hi, 0.08)),
    )?;
    let desc = ("epoch", "ELBO / ratings (nats)");
    axes(&mut c, desc, (&decimals(0), &decimals(3))).draw()?;
    for (pts, col, name) in [(&pe, ORANGE_C, "probe fit"), (&fe, BLUE_C, "final fit")] {
        marked_line(&mut c, pts.iter().copied(), col, 3, name)?;
    }
    legend(&mut c, SeriesLabelPosition::LowerRight)?;

    let series: [Line; 4] = [
        (
            "held-out RMSE (probe's stopping part)".into(),
            RED_C,
            probe
                .iter()
                .filter_map(|e| Some((e.epoch as f64, e.heldout_rmse?)))
                .collect(),
        ),
        (
            "train RMSE (probe)".into(),
            ORANGE_C,
            probe
                .iter()
                .map(|e| (e.epoch as f64, e.train_rmse))
                .collect(),
        ),
        (
            "train RMSE (final)".into(),
            BLUE_C,
            fin.iter().map(|e| (e.epoch as f64, e.train_rmse)).collect(),
        ),
        (
            "σ (final)".into(),
            GREEN_C,
            fin.iter().map(|e| (e.epoch as f64, e.sigma)).collect(),
        ),
    ];
    let (lo, hi) = min_max(series.iter().flat_map(|s| s.2.iter().map(|p| p.1)));
    // Headroom above the curves for the legend.
    let stars = lo - 0.05 * (hi - lo)..hi + 0.6 * (hi - lo);
    let mut c = chart(
        &right,
        ("RMSE and σ by epoch", 22),
        12,
        (45, 60),
        (epochs, stars),
    )?;
    axes(&mut c, ("epoch", "stars"), (&decimals(0), &decimals(2))).draw()?;
    for (name, col, pts) in series {
        marked_line(&mut c, pts, col, 3, name)?;
    }
    legend(&mut c, SeriesLabelPosition::UpperRight)?;
    root.present()?;
    Ok(())
}

/// Step histograms (share of the catalogue per 0.1-star bin) of several visitors' unclipped
/// predictions, with the rating scale's ends marked.
pub fn prediction_histogram(
    path: &Path,
    series: &[(String, Vec<f32>)],
    scale: (f64, f64),
) -> Result<()> {
    let width = 0.1;
    let (lo, hi) = min_max(series.iter().flat_map(|s| s.1.iter().map(|&v| v as f64)));
    let lo = (lo.min(scale.0) / width).floor() * width;
    let hi = (hi.max(scale.1) / width).ceil() * width;
    let nb = (((hi - lo) / width).round() as usize).max(1);
    let hists: Vec<Vec<f64>> = series
        .iter()
        .map(|(_, v)| {
            let mut h = vec![0.0; nb];
            for &p in v {
                let b = (((p as f64 - lo) / width).floor() as usize).min(nb - 1);
                h[b] += 100.0 / v.len().max(1) as f64;
            }
            h
        })
        .collect();
    let top = hists.iter().flatten().fold(0.0f64, |a, &b| a.max(b));
    let root = canvas(path, (1000, 520))?;
    let title = ("Predicted rating of every catalogue movie, per visitor", 22);
    let ranges = (lo - 0.1..hi + 0.1, 0.0..top * 1.1);
    let mut c = chart(&root, title, 14, (45, 60), ranges)?;
    let desc = (
        "predicted rating (stars, not clipped)",
        "% of catalogue per 0.1-star bin",
    );
    axes(&mut c, desc, (&decimals(1), &decimals(0))).draw()?;
    for (j, edge) in [scale.0, scale.1].into_iter().enumerate() {
        let ends = [(edge, 0.0), (edge, top * 1.1)];
        let line = dashed(&mut c, ends, (6, 4), GREY_C.stroke_width(1))?;
        if j == 0 {
            line.label(format!("ends of the scale ({}–{})", scale.0, scale.1))
                .legend(legend_line(GREY_C));
        }
    }
    for (j, ((name, _), h)) in series.iter().zip(&hists).enumerate() {
        let col = PALETTE[j % PALETTE.len()];
        let steps = h.iter().enumerate().flat_map(|(b, &y)| {
            let x0 = lo + b as f64 * width;
            [(x0, y), (x0 + width, y)]
        });
        c.draw_series(LineSeries::new(steps, col.stroke_width(2)))?
            .label(name.as_str())
            .legend(legend_line(col));
    }
    legend(&mut c, SeriesLabelPosition::UpperLeft)?;
    root.present()?;
    Ok(())
}

/// Mean held-out rating per bin of predicted rating (bins with at least `min_n` ratings), ±2
/// standard errors, against the diagonal.
pub fn calibration(path: &Path, bins: &[CalibrationBin], min_n: usize) -> Result<()> {
    let shown: Vec<&CalibrationBin> = bins.iter().filter(|b| b.n >= min_n).collect();
    let (lo, hi) = min_max(
        shown
            .iter()
            .flat_map(|b| [b.mean_pred, b.mean_actual])
            .chain([0.5, 5.0]),
    );
    let range = padded(lo, hi, 0.03);
    let root = canvas(path, (700, 640))?;
    let title = ("Calibration on held-out ratings", 22);
    let mut c = chart(&root, title, 14, (45, 55), (range.clone(), range.clone()))?;
    let desc = (
        "predicted rating (mean of 0.25-star bin)",
        "mean held-out rating",
    );
    axes(&mut c, desc, (&decimals(1), &decimals(1))).draw()?;
    let diagonal = [(range.start, range.start), (range.end, range.end)];
    dashed(&mut c, diagonal, (6, 4), GREY_C.stroke_width(1))?
        .label("perfect calibration")
        .legend(legend_line(GREY_C));
    c.draw_series(shown.iter().map(|b| {
        PathElement::new(
            vec![
                (b.mean_pred, b.mean_actual - 2.0 * b.se_actual),
                (b.mean_pred, b.mean_actual + 2.0 * b.se_actual),
            ],
            BLUE_C.stroke_width(1),
        )
    }))?;
    c.draw_series(LineSeries::new(
        shown.iter().map(|b| (b.mean_pred, b.mean_actual)),
        BLUE_C.stroke_width(2),
    ))?;
    c.draw_series(
        shown
            .iter()
            .map(|b| Circle::new((b.mean_pred, b.mean_actual), 4, BLUE_C.filled())),
    )?
    .label(format!("mean held-out rating ± 2 se (bins of ≥ {min_n})"))
    .legend(legend_dot(BLUE_C));
    legend(&mut c, SeriesLabelPosition::UpperLeft)?;
    root.present()?;
    Ok(())
}

/// Labels for the decile axis: the range of training-rating counts in each decile.
fn decile_label(stats: &[DecileStats]) -> impl Fn(&f64) -> String + '_ {
    move |v: &f64| {
        let d = v.round();
        if (v - d).abs() > 1e-6 {
            return String::new();
        }
        stats
            .iter()
            .find(|s| s.decile as f64 == d)
            .map_or(String::new(), |s| {
                if s.count_min == s.count_max {
                    s.count_min.to_string()
                } else {
                    format!("{}–{}", s.count_min, s.count_max)
                }
            })
    }
}

const DECILE_X_DESC: &str =
    "movie's ratings in training (popularity deciles of the held-out ratings)";

/// A chart over the ten popularity deciles and `y`.
fn decile_chart<'a, 'b>(
    root: &'a Area<'b>,
    title: (&str, u32),
    y: Range<f64>,
) -> Result<Chart<'a, 'b>> {
    chart(root, title, 14, (50, 60), (0.5..10.5, y))
}

/// The decile axis, labelled by each decile's training-rating counts, and a y axis.
fn decile_axes(c: &mut Chart, stats: &[DecileStats], y_desc: &str, y_fmt: Fmt<'_>) -> Result<()> {
    let fmt = decile_label(stats);
    axes(c, (DECILE_X_DESC, y_desc), (&fmt, y_fmt))
        .x_labels(10)
        .disable_x_mesh()
        .draw()?;
    Ok(())
}

/// The ends of a horizontal line at `y` across the decile axis.
fn across(y: f64) -> [(f64, f64); 2] {
    [(0.5, y), (10.5, y)]
}

/// Coverage of the 50% and 90% predictive intervals per popularity decile, with the nominal
/// levels dashed.
pub fn coverage_by_decile(path: &Path, stats: &[DecileStats]) -> Result<()> {
    let root = canvas(path, (1000, 520))?;
    let title = (
        "Interval coverage on held-out ratings by movie popularity",
        22,
    );
    let mut c = decile_chart(&root, title, 0.0..1.0)?;
    let percent = |v: &f64| format!("{:.0}%", v * 100.0);
    decile_axes(&mut c, stats, "share of held-out ratings inside", &percent)?;
    for (nominal, col, name, get) in [
        (
            0.9,
            RED_C,
            "90% interval",
            (|s: &DecileStats| s.cov90) as fn(&DecileStats) -> f64,
        ),
        (0.5, BLUE_C, "50% interval", |s: &DecileStats| s.cov50),
    ] {
        dashed(&mut c, across(nominal), (8, 5), col.stroke_width(1))?;
        let pts = stats.iter().map(|s| (s.decile as f64, get(s)));
        let name = format!("{name} (dashed: nominal {:.0}%)", nominal * 100.0);
        marked_line(&mut c, pts, col, 4, name)?;
    }
    legend(&mut c, SeriesLabelPosition::LowerRight)?;
    root.present()?;
    Ok(())
}

/// RMSE per popularity decile (bars) with the mean predictive sd (line) and the overall RMSE.
pub fn rmse_by_decile(path: &Path, stats: &[DecileStats], overall: f64) -> Result<()> {
    let top = stats
        .iter()
        .flat_map(|s| [s.rmse, s.mean_sd])
        .fold(overall, f64::max);
    let root = canvas(path, (1000, 520))?;
    let title = ("Held-out RMSE by movie popularity", 22);
    // Headroom above the bars for the legend.
    let mut c = decile_chart(&root, title, 0.0..top * 1.4)?;
    decile_axes(&mut c, stats, "stars", &decimals(2))?;
    c.draw_series(stats.iter().map(|s| {
        let x = s.decile as f64;
        Rectangle::new(
            [(x - 0.35, 0.0), (x + 0.35, s.rmse)],
            BLUE_C.mix(0.7).filled(),
        )
    }))?
    .label("RMSE (predictions clipped to the scale)")
    .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], BLUE_C.mix(0.7).filled()));
    let sd = stats.iter().map(|s| (s.decile as f64, s.mean_sd));
    marked_line(&mut c, sd, ORANGE_C, 4, "mean predictive sd")?;
    dashed(&mut c, across(overall), (8, 5), BLACK.stroke_width(1))?
        .label(format!("overall RMSE {overall:.3}"))
        .legend(legend_line(BLACK));
    // Each bar's value inside it, clear of the sd line near the tops.
    c.draw_series(stats.iter().map(|s| {
        Text::new(
            format!("{:.3}", s.rmse),
            (s.decile as f64, s.rmse / 2.0),
            (FONT, 14)
                .into_font()
                .color(&WHITE)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        )
    }))?;
    legend_at(&mut c, SeriesLabelPosition::UpperRight, 14, 0.9)?;
    root.present()?;
    Ok(())
}

/// A labelled, coloured line through data points.
pub type Line = (String, RGBColor, Vec<(f64, f64)>);

/// One group of points in a scatter panel.
pub struct Group {
    pub label: String,
    pub color: RGBColor,
    pub points: Vec<(f64, f64)>,
    /// Marker radius in pixels.
    pub radius: i32,
    /// Opacity of the markers.
    pub alpha: f64,
}

/// One panel of a scatter against log₁₀ IMDb votes.
pub struct Panel {
    pub title: String,
    pub groups: Vec<Group>,
    /// Lines drawn over the points (e.g. binned means), with their legend labels.
    pub lines: Vec<Line>,
}

/// Where movies without IMDb votes are drawn on the log-votes axis (a tick labelled "no IMDb").
pub const NO_VOTES_X: f64 = -1.0;

/// "1", "10", …, "1k", "1M" for an integer power of ten, "no IMDb" at [`NO_VOTES_X`]; empty
/// otherwise.
fn votes_label(v: &f64) -> String {
    let p = v.round();
    if (v - p).abs() > 1e-6 || p < NO_VOTES_X {
        return String::new();
    }
    match p as i32 {
        -1 => "no IMDb".into(),
        0 => "1".into(),
        1 => "10".into(),
        2 => "100".into(),
        3 => "1k".into(),
        4 => "10k".into(),
        5 => "100k".into(),
        6 => "1M".into(),
        7 => "10M".into(),
        n => format!("1e{n}"),
    }
}

/// Side-by-side scatter panels against log₁₀ IMDb votes (movies without votes at
/// [`NO_VOTES_X`], labelled "no IMDb"), sharing a y range.
pub fn votes_panels(
    path: &Path,
    caption: &str,
    y_desc: &str,
    panels: &[Panel],
    hlines: &[(f64, &str)],
) -> Result<()> {
    let n = panels.len().max(1);
    let width = if n == 1 { 900 } else { 560 * n as u32 };
    let root = canvas(path, (width, 560))?;
    let root = root.titled(caption, (FONT, 24))?;
    let areas = root.split_evenly((1, n));
    let all_y = panels
        .iter()
        .flat_map(|p| p.groups.iter().flat_map(|g| g.points.iter().map(|q| q.1)))
        .chain(hlines.iter().map(|h| h.0));
    let (ylo, yhi) = min_max(all_y);
    let (_, xhi) = min_max(
        panels
            .iter()
            .flat_map(|p| p.groups.iter().flat_map(|g| g.points.iter().map(|q| q.0))),
    );
    // Headroom above the points for the legend.
    let span = (yhi - ylo).max(1e-9);
    let yr = ylo - 0.04 * span..yhi + 0.3 * span;
    for (panel, area) in panels.iter().zip(&areas) {
        let xr = NO_VOTES_X - 0.5..xhi.max(6.0) + 0.3;
        let title = (panel.title.as_str(), 18);
        let mut c = chart(area, title, 12, (45, 55), (xr.clone(), yr.clone()))?;
        let desc = ("IMDb votes (log scale)", y_desc);
        axes(&mut c, desc, (&votes_label, &decimals(1)))
            .x_labels(12)
            .draw()?;
        for &(y, label) in hlines {
            let ends = [(xr.start, y), (xr.end, y)];
            dashed(&mut c, ends, (6, 4), GREY_C.stroke_width(1))?;
            c.draw_series(std::iter::once(Text::new(
                label.to_string(),
                (4.6, y + (yr.end - yr.start) * 0.035),
                (FONT, 13).into_font().color(&GREY_C),
            )))?;
        }
        for g in &panel.groups {
            let style = g.color.mix(g.alpha).filled();
            c.draw_series(g.points.iter().map(|&p| Circle::new(p, g.radius, style)))?
                .label(g.label.as_str())
                .legend(legend_dot(g.color));
        }
        for (label, col, pts) in &panel.lines {
            c.draw_series(LineSeries::new(pts.iter().copied(), col.stroke_width(3)))?
                .label(label.as_str())
                .legend(legend_line(*col));
        }
        legend_at(&mut c, SeriesLabelPosition::UpperLeft, 13, 0.85)?;
    }
    root.present()?;
    Ok(())
}

/// One labelled movie on the latent map.
pub struct MapPoint {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// The most-rated movies by their first two latent dimensions, labelled by title (placed by
/// [`place_labels`]), over a sample of the other rated movies in grey.
pub fn latent_map(
    path: &Path,
    points: &[MapPoint],
    background: &[(f64, f64)],
    caption: &str,
) -> Result<()> {
    let (xlo, xhi) = min_max(points.iter().map(|p| p.x));
    let (ylo, yhi) = min_max(points.iter().map(|p| p.y));
    let (xr, yr) = (padded(xlo, xhi, 0.12), padded(ylo, yhi, 0.08));
    let root = canvas(path, (1200, 900))?;
    let mut c = chart(&root, (caption, 22), 14, (45, 60), (xr.clone(), yr.clone()))?;
    let desc = ("latent dimension 1 (β₁)", "latent dimension 2 (β₂)");
    axes(&mut c, desc, (&|v| fixed2(*v), &|v| fixed2(*v))).draw()?;
    c.draw_series(
        background
            .iter()
            .filter(|p| xr.contains(&p.0) && yr.contains(&p.1))
            .map(|&p| Circle::new(p, 2, GREY_C.mix(0.25).filled())),
    )?;
    c.draw_series(
        points
            .iter()
            .map(|p| Circle::new((p.x, p.y), 4, BLUE_C.filled())),
    )?;
    let size = 13.0;
    let px = size * PX_PER_SIZE;
    let pixel: Vec<(f64, f64)> = points
        .iter()
        .map(|p| {
            let (x, y) = c.backend_coord(&(p.x, p.y));
            (x as f64, y as f64)
        })
        .collect();
    // A generous width estimate for proportional sans-serif text (DejaVu Sans runs widest).
    let sizes: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (p.label.chars().count() as f64 * px * 0.6 + 2.0, px * 1.2))
        .collect();
    let (x0, y0) = c.backend_coord(&(xr.start, yr.end));
    let (x1, y1) = c.backend_coord(&(xr.end, yr.start));
    let bounds = LabelRect {
        x0: x0 as f64,
        y0: y0 as f64,
        x1: x1 as f64,
        y1: y1 as f64,
    };
    let placed = place_labels(&pixel, &sizes, bounds);
    let style = (FONT, size).into_font().color(&BLACK);
    for ((p, q), &(px0, py0)) in points.iter().zip(&placed).zip(&pixel) {
        if q.far {
            // Leader line from the marker to the nearest point of the label's box.
            let lx = px0.clamp(q.rect.x0, q.rect.x1);
            let ly = py0.clamp(q.rect.y0, q.rect.y1);
            root.draw(&PathElement::new(
                vec![(px0 as i32, py0 as i32), (lx as i32, ly as i32)],
                GREY_C.stroke_width(1),
            ))?;
        }
        root.draw(&Text::new(
            p.label.clone(),
            (q.rect.x0 as i32 + 1, q.rect.y0 as i32 + 1),
            style.clone(),
        ))?;
    }
    root.present()?;
    Ok(())
}

/// `tools simulate`'s curves: NDCG@10 by number of answers, one panel per variant (`known`,
/// `skip`), one line per strategy; the flat lines (popularity, full profile) dashed.
pub fn elicitation(path: &Path, curves: &[crate::eval::simulate::replay::Curve]) -> Result<()> {
    use crate::eval::simulate::replay::Variant;
    const BROWN_C: RGBColor = RGBColor(140, 86, 75);
    const PINK_C: RGBColor = RGBColor(227, 119, 194);
    let colours = [
        GREY_C, BLACK, BLUE_C, ORANGE_C, GREEN_C, RED_C, PURPLE_C, BROWN_C, PINK_C,
    ];
    let root = canvas(path, (1200, 520))?;
    let panels = root.split_evenly((1, 2));
    // The strategies differ by hundredths: the y axis spans the data, not 0..max.
    let (lo, hi) = min_max(curves.iter().flat_map(|c| c.ndcg_10.iter().copied()));
    let max_x = curves
        .iter()
        .flat_map(|c| c.answers.iter().copied())
        .max()
        .unwrap_or(20) as f64;
    let names: Vec<&str> = {
        let mut v: Vec<&str> = Vec::new();
        for c in curves {
            if !v.contains(&c.strategy.as_str()) {
                v.push(&c.strategy);
            }
        }
        v
    };
    for (area, variant) in panels.iter().zip([Variant::Known, Variant::Skip]) {
        let title = match variant {
            Variant::Known => "known: questions only about movies the user rated",
            Variant::Skip => "skip: unrated movies answered \"haven't seen\"",
        };
        let mut c = chart(
            area,
            (title, 18),
            12,
            (45, 60),
            (0.0..max_x, padded(lo, hi, 0.15)),
        )?;
        axes(&mut c, ("answers", "NDCG@10"), (&decimals(0), &decimals(3))).draw()?;
        for curve in curves.iter().filter(|c| c.variant == variant) {
            let j = names.iter().position(|n| *n == curve.strategy).unwrap_or(0);
            let col = colours[j % colours.len()];
            let pts: Vec<(f64, f64)> = curve
                .answers
                .iter()
                .zip(&curve.ndcg_10)
                .map(|(&a, &n)| (a as f64, n))
                .collect();
            if curve.strategy == "popularity" || curve.strategy == "full-profile" {
                let (y, name) = (pts[0].1, curve.strategy.clone());
                dashed(&mut c, [(0.0, y), (max_x, y)], (8, 5), col.stroke_width(2))?
                    .label(name)
                    .legend(legend_line(col));
            } else {
                marked_line(&mut c, pts, col, 3, curve.strategy.clone())?;
            }
        }
        legend_at(&mut c, SeriesLabelPosition::LowerRight, 13, 0.85)?;
    }
    root.present()?;
    Ok(())
}

/// The blend's feature importances (|standardised weight| per term) as horizontal bars, the
/// largest on top.
pub fn importances(path: &Path, names: &[&str], values: &[f64]) -> Result<()> {
    let mut order: Vec<usize> = (0..names.len().min(values.len())).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let n = order.len();
    let hi = values.iter().copied().fold(0.0, f64::max).max(1e-9);
    let root = canvas(path, (760, 60 + 34 * n as u32))?;
    let mut c = chart(
        &root,
        (
            "What the ranking's blend weighs (|standardised weight|)",
            20,
        ),
        14,
        (40, 230),
        (0.0..hi * 1.1, -0.6..(n as f64 - 0.4)),
    )?;
    let label = |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < n {
            names[order[i as usize]].to_string()
        } else {
            String::new()
        }
    };
    axes(&mut c, ("importance", ""), (&decimals(2), &label))
        .y_labels(n)
        .disable_y_mesh()
        .draw()?;
    c.draw_series(order.iter().enumerate().map(|(row, &j)| {
        let y = row as f64;
        Rectangle::new([(0.0, y - 0.35), (values[j], y + 0.35)], BLUE_C.filled())
    }))?;
    root.present()?;
    Ok(())
}

/// `tools drift`: the mean absolute error (what the half-life is chosen on), Spearman and
/// recall@100 on the latest films by half-life, one line per population; "off" is drawn
/// dashed at its level across each panel. The legend is in the first panel only.
pub fn drift_curves(
    path: &Path,
    curves: &[(&str, &[crate::eval::drift::CurvePoint])],
) -> Result<()> {
    let root = canvas(path, (1500, 460))?;
    let panels = root.split_evenly((1, 3));
    let days: Vec<f64> = curves
        .iter()
        .flat_map(|(_, c)| c.iter().filter_map(|p| p.half_life_days))
        .collect();
    let (lo_x, hi_x) = min_max(days.iter().map(|d| d.log2()));
    type Metric = fn(&crate::eval::drift::CurvePoint) -> Option<f64>;
    let metrics: [(&str, Metric); 3] = [
        ("mean absolute error (★), latest 20% of films", |p| {
            Some(p.mae)
        }),
        ("Spearman, latest 20% of films", |p| p.spearman),
        ("recall@100 of the latest liked films", |p| p.recall),
    ];
    for (k, (area, (title, metric))) in panels.iter().zip(metrics).enumerate() {
        let (lo, hi) = min_max(curves.iter().flat_map(|(_, c)| c.iter().filter_map(metric)));
        let mut c = chart(
            area,
            (title, 18),
            12,
            (45, 60),
            (padded(lo_x, hi_x, 0.05), padded(lo, hi, 0.15)),
        )?;
        let days_fmt = |v: &f64| format!("{:.0}", v.exp2());
        axes(
            &mut c,
            ("half-life (days, log scale)", title),
            (&days_fmt, &decimals(4)),
        )
        .draw()?;
        for (j, (name, curve)) in curves.iter().enumerate() {
            let col = PALETTE[j % PALETTE.len()];
            let pts: Vec<(f64, f64)> = curve
                .iter()
                .filter_map(|p| Some((p.half_life_days?.log2(), metric(p)?)))
                .collect();
            marked_line(&mut c, pts, col, 3, format!("{name}, drift on"))?;
            if let Some(off) = curve
                .iter()
                .find(|p| p.half_life_days.is_none())
                .and_then(metric)
            {
                dashed(
                    &mut c,
                    [(lo_x, off), (hi_x, off)],
                    (8, 5),
                    col.stroke_width(2),
                )?
                .label(format!("{name}, drift off"))
                .legend(legend_line(col));
            }
        }
        if k == 0 {
            legend(&mut c, SeriesLabelPosition::MiddleRight)?;
        }
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The importance bars name every term, largest first from the top, as SVG text.
    #[test]
    fn importances_name_every_term() {
        let path = std::env::temp_dir().join(format!("importances-{}.svg", std::process::id()));
        importances(&path, &["mean", "implicit", "seen"], &[0.4, 1.2, 0.8]).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).ok();
        let texts: Vec<&str> = svg.lines().map(str::trim).collect();
        for name in ["mean", "implicit", "seen"] {
            assert!(texts.contains(&name), "{name} missing");
        }
        assert_eq!(
            svg.matches("<rect").count() - 1,
            3,
            "one bar per term (+ the background)"
        );
    }
}
