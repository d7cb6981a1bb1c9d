//! The report's Markdown page: every picture with one sentence of what it shows and the numbers
//! that matter, so a reader can judge the model without opening a single SVG. Rendering is a
//! pure function of [`Findings`].

use std::fmt::Write;

use super::calibration::{CalibrationBin, DecileStats, Summary};
use super::files::{
    CALIBRATION_SVG, COVERAGE_SVG, HISTOGRAM_SVG, MAP_SVG, NORMS_SVG, RMSE_SVG, TRAINING_SVG,
    VOTES_SVG,
};

/// Where the numbers come from, one sentence each.
#[derive(Debug, Clone, Default)]
pub struct Intro {
    pub data: String,
    pub split: String,
    pub model: String,
    /// What the pictures over the whole catalogue use.
    pub catalogue: String,
}

/// The training record.
#[derive(Debug, Clone, Default)]
pub struct TrainingFacts {
    pub probe_epochs: usize,
    /// Lowest held-out RMSE of the probe and its epoch.
    pub best_heldout: Option<(usize, f64)>,
    /// ELBO per rating of the final fit, first and last epoch.
    pub elbo_first: f64,
    pub elbo_last: f64,
    /// Epochs at which the final fit's ELBO fell.
    pub elbo_drops: usize,
    /// Epochs at which the probe's ELBO fell.
    pub probe_elbo_drops: usize,
    pub sigma_last: f64,
    pub train_rmse_last: f64,
}

/// One visitor's predictions over the catalogue.
#[derive(Debug, Clone, Default)]
pub struct VisitorFacts {
    pub label: String,
    pub min: f64,
    pub median: f64,
    pub max: f64,
    /// Share of the catalogue predicted outside the rating scale (before clipping).
    pub out_of_range: f64,
    /// Median IMDb votes of the visitor's top 20 (the app's ranking).
    pub top20_median_votes: f64,
    /// How many of the top 20 have fewer than 1,000 IMDb votes.
    pub top20_under_1k: usize,
    /// Correlation of prediction and log₁₀ votes over the movies with votes.
    pub corr_log_votes: Option<f64>,
    /// The first five titles of the list.
    pub top5: Vec<String>,
}

/// Item-factor lengths.
#[derive(Debug, Clone, Default)]
pub struct NormFacts {
    pub rated: usize,
    pub rated_median: f64,
    pub rated_max: f64,
    pub unrated: usize,
    pub unrated_median: f64,
    pub unrated_max: f64,
    /// The longest factors: (title, ‖β‖, IMDb votes, training ratings).
    pub largest: Vec<(String, f64, u32, u32)>,
    pub corr_rated: Option<f64>,
}

/// The latent map's movies.
#[derive(Debug, Clone, Default)]
pub struct MapFacts {
    pub n: usize,
    /// Titles at the low and high ends of dimensions 1 and 2.
    pub dim1: (Vec<String>, Vec<String>),
    pub dim2: (Vec<String>, Vec<String>),
}

/// Everything the page states.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    pub intro: Intro,
    pub training: TrainingFacts,
    pub heldout: Summary,
    pub bins: Vec<CalibrationBin>,
    /// Bins with fewer ratings are not drawn.
    pub min_bin: usize,
    pub deciles: Vec<DecileStats>,
    pub visitors: Vec<VisitorFacts>,
    /// Catalogue size, movies with IMDb votes, their median votes.
    pub catalogue: (usize, usize, f64),
    pub norms: NormFacts,
    pub map: MapFacts,
    /// The rating scale.
    pub scale: (f64, f64),
}

fn pct(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn corr(c: Option<f64>) -> String {
    c.map_or("–".into(), |c| format!("{c:.2}"))
}

/// A numbered section's heading and its picture.
fn section(w: &mut String, title: &str, alt: &str, svg: &str) {
    let _ = writeln!(w, "## {title}\n\n![{alt}]({svg})\n");
}

/// A Markdown table: the header row `head`, a row per item with the cells `cells` gives
/// (already joined by " | "), then a blank line.
fn table<T>(w: &mut String, head: &[&str], items: &[T], cells: impl Fn(&T) -> String) {
    let _ = writeln!(
        w,
        "| {} |\n|{}",
        head.join(" | "),
        "---|".repeat(head.len())
    );
    for item in items {
        let _ = writeln!(w, "| {} |", cells(item));
    }
    let _ = writeln!(w);
}

/// The page as Markdown.
pub fn render(f: &Findings) -> String {
    let mut s = String::new();
    let w = &mut s;
    let h = &f.heldout;
    let t = &f.training;
    let (lo, hi) = f.scale;
    let _ = writeln!(w, "# Model report\n");
    let _ = writeln!(
        w,
        "Written by `tools report`. Data: {}. Held-out pictures: {}; {}. Pictures over the whole catalogue: {}.\n",
        f.intro.data, f.intro.split, f.intro.model, f.intro.catalogue
    );

    let _ = writeln!(w, "## The seeds' failure modes at a glance\n");
    let out_of_range = |what: String, share: &str, (min, max, out): (f64, f64, f64)| {
        format!(
            "predictions out of range | {what}, min – max ({share}) | {min:.2} – {max:.2} ({})",
            pct(out)
        )
    };
    let share = format!("share outside {lo}–{hi}");
    let held = (h.pred_min, h.pred_max, h.out_of_range);
    let mut rows = vec![out_of_range("held-out predictions".into(), &share, held)];
    for v in &f.visitors {
        let what = format!("catalogue predictions for {}", v.label);
        rows.push(out_of_range(
            what,
            "share outside",
            (v.min, v.max, v.out_of_range),
        ));
    }
    for v in &f.visitors {
        let median = thousands(f.catalogue.2 as u64);
        let votes = thousands(v.top20_median_votes as u64);
        rows.push(format!(
            "obscure movies dominating | top 20 for {}: median IMDb votes (catalogue median \
             {median}); titles under 1,000 votes | {votes}; {} of 20",
            v.label, v.top20_under_1k
        ));
    }
    let n = &f.norms;
    let prior_only = if n.unrated == 0 {
        "none in the catalogue".to_string()
    } else {
        format!("{:.3} / {:.3}", n.unrated_median, n.unrated_max)
    };
    rows.push(format!(
        "exploding factors | ‖β‖ median / max: rated movies; content prior only | {:.3} / {:.3}; \
         {prior_only}",
        n.rated_median, n.rated_max
    ));
    table(
        w,
        &["failure mode", "measured", "value"],
        &rows,
        String::clone,
    );

    section(w, "1. Training", "ELBO, RMSE and σ by epoch", TRAINING_SVG);
    let _ = writeln!(
        w,
        "The ELBO per rating (left) should rise every epoch and flatten; the probe's held-out RMSE \
         (right, red) picks the number of epochs, after which the final model is refitted on the \
         whole training part for that many epochs."
    );
    let best = t
        .best_heldout
        .map_or("–".into(), |(e, r)| format!("{r:.4} at epoch {e}"));
    let _ = writeln!(
        w,
        "Probe: {} epochs ({} where the ELBO fell), best held-out RMSE {best}. Final fit: ELBO \
         per rating {:.4} → {:.4} ({} epochs where it fell), σ = {:.4}, train RMSE {:.4}.\n",
        t.probe_epochs,
        t.probe_elbo_drops,
        t.elbo_first,
        t.elbo_last,
        t.elbo_drops,
        t.sigma_last,
        t.train_rmse_last
    );

    section(
        w,
        "2. Predictions over the catalogue",
        "Histogram of predictions",
        HISTOGRAM_SVG,
    );
    let _ = writeln!(
        w,
        "The unclipped predicted rating of every catalogue movie for a light, a typical and a heavy \
         rater and for a visitor with no ratings; the dashed lines are the ends of the scale, so \
         mass outside them is out of range.\n"
    );
    let outside = format!("outside {lo}–{hi}");
    let head = [
        "visitor",
        "min",
        "median",
        "max",
        &outside,
        "top 5 of the list",
    ];
    table(w, &head, &f.visitors, |v| {
        let spread = format!("{:.2} | {:.2} | {:.2}", v.min, v.median, v.max);
        let (label, out, top5) = (&v.label, pct(v.out_of_range), v.top5.join("; "));
        format!("{label} | {spread} | {out} | {top5}")
    });

    section(
        w,
        "3. Calibration on held-out ratings",
        "Calibration",
        CALIBRATION_SVG,
    );
    let shown = f.bins.iter().filter(|b| b.n >= f.min_bin);
    let worst = shown
        .clone()
        .map(|b| (b.mean_actual - b.mean_pred, b))
        .max_by(|a, b| a.0.abs().total_cmp(&b.0.abs()));
    let _ = writeln!(
        w,
        "Mean held-out rating per 0.25-star bin of prediction against the diagonal: points on the \
         diagonal mean a predicted 3.5 really averages 3.5. {} held-out ratings, RMSE {:.4}; \
         predictions {:.2} – {:.2} before clipping ({} outside the scale); {} of {} bins hold at \
         least {} ratings and are drawn{}.\n",
        thousands(h.n as u64),
        h.rmse,
        h.pred_min,
        h.pred_max,
        pct(h.out_of_range),
        shown.count(),
        f.bins.len(),
        f.min_bin,
        worst.map_or(String::new(), |(d, b)| format!(
            "; the largest gap is {d:+.2} stars at prediction {:.2} ({} ratings)",
            b.mean_pred, b.n
        ))
    );
    let _ = writeln!(w, "![Coverage by popularity]({COVERAGE_SVG})\n");
    let _ = writeln!(
        w,
        "Share of held-out ratings (jittered ±0.25 to undo half-star rounding) inside the 50% and \
         90% predictive intervals, by popularity decile of the movie (its number of training \
         ratings; each decile holds a tenth of the held-out ratings). Overall: 50% → {}, 90% → {}.\n",
        pct(h.cov50),
        pct(h.cov90)
    );
    let _ = writeln!(w, "![RMSE by popularity]({RMSE_SVG})\n");
    let _ = writeln!(
        w,
        "Held-out RMSE per popularity decile, with the mean predictive sd: where the sd tracks \
         the RMSE the intervals are honest. Overall RMSE {:.4}, mean sd {:.4}.\n",
        h.rmse, h.mean_sd
    );
    let head = [
        "decile",
        "training ratings of the movie",
        "held-out ratings",
        "RMSE",
        "mean sd",
        "50% coverage",
        "90% coverage",
    ];
    table(w, &head, &f.deciles, |d| {
        let counts = format!("{}–{} | {}", d.count_min, d.count_max, d.n);
        let errors = format!("{:.3} | {:.3}", d.rmse, d.mean_sd);
        let (decile, c50, c90) = (d.decile, pct(d.cov50), pct(d.cov90));
        format!("{decile} | {counts} | {errors} | {c50} | {c90}")
    });

    section(
        w,
        "4. Prediction vs IMDb votes",
        "Prediction vs IMDb votes",
        VOTES_SVG,
    );
    let _ = writeln!(
        w,
        "Each catalogue movie's unclipped prediction against its IMDb votes (log scale; a sample \
         in light colour, the binned mean as a line, the top 20 of the app's list in red) for the \
         typical user and the no-ratings visitor: obscure movies dominating would show as red \
         points at the left. The catalogue has {} movies, {} with IMDb votes (median {}).",
        thousands(f.catalogue.0 as u64),
        thousands(f.catalogue.1 as u64),
        thousands(f.catalogue.2 as u64)
    );
    for v in &f.visitors {
        let _ = writeln!(
            w,
            "- {}: correlation of prediction and log votes {}; top 20 median votes {}, {} of them under 1,000.",
            v.label,
            corr(v.corr_log_votes),
            thousands(v.top20_median_votes as u64),
            v.top20_under_1k
        );
    }
    let _ = writeln!(w);

    section(
        w,
        "5. Item-factor norm vs votes",
        "Item-factor norm vs IMDb votes",
        NORMS_SVG,
    );
    let _ = writeln!(
        w,
        "The length ‖β‖ of each movie's latent factors against its IMDb votes, for movies rated in \
         training ({}) and movies known only through the content prior ({}); exploding factors \
         would stand out as a cloud far above the rest. Median / max: rated {:.3} / {:.3}, \
         prior-only {prior_only}; correlation with log votes (rated) {}.",
        thousands(n.rated as u64),
        thousands(n.unrated as u64),
        n.rated_median,
        n.rated_max,
        corr(n.corr_rated)
    );
    let largest: Vec<String> = n
        .largest
        .iter()
        .map(|(t, norm, votes, c)| {
            format!(
                "{t} ({norm:.3}; {} votes, {c} ratings)",
                thousands(*votes as u64)
            )
        })
        .collect();
    let _ = writeln!(w, "Longest: {}.\n", largest.join("; "));

    let m = &f.map;
    section(
        w,
        "6. Latent map",
        "The most-rated movies in latent space",
        MAP_SVG,
    );
    let _ = writeln!(
        w,
        "The {} most-rated movies at their first two latent coordinates (the dimensions that \
         explain the most variance), other rated movies in grey: neighbours should be films the \
         same people like. Dimension 1 runs from {} to {}; dimension 2 from {} to {}.",
        m.n,
        m.dim1.0.join(", "),
        m.dim1.1.join(", "),
        m.dim2.0.join(", "),
        m.dim2.1.join(", ")
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(62_709), "62,709");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn the_page_references_every_picture() {
        let page = render(&Findings::default());
        for p in super::super::files::PICTURES {
            assert!(page.contains(&format!("]({p})")), "{p} missing");
        }
    }
}
