//! "How well do you know me?": each film the visitor rated, predicted from everything else they
//! said (the engine's leave-one-out, `Visitor::calibration`), drawn as a scatter of predicted
//! against actual with each prediction's 80% range, beside the mean absolute error and rank
//! correlation of the model and of the IMDb average mapped to the visitor's ratings, on the
//! same films. Drawn as SVG here, with classes only (the CSP allows no `style=`), no chart
//! library; computed when opened.

use moviematch::{Calibration, Model, RatingScale};
use yew::prelude::*;

use crate::by_address::ByAddress;
use crate::hooks::Personal;
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub personal: ByAddress<Personal>,
}

/// Fewer ratings than this make no picture worth drawing.
const MIN_FILMS: usize = 3;

#[function_component(KnowMe)]
pub fn know_me(props: &Props) -> Html {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let body = (*open).then(|| {
        match props.personal.visitor.calibration(&props.model) {
            Ok(c) if c.films.len() >= MIN_FILMS => report(&props.model, &c),
            Ok(_) => html! { <p class="hint">{ "Rate a few more films: each is predicted from all the others." }</p> },
            Err(_) => html! { <p class="hint">{ "Your answers could not be fitted." }</p> },
        }
    });
    html! {
        <div class="know-me">
            <button type="button" class="btn small ghost" onclick={toggle} aria-expanded={open.to_string()}
                    data-testid="know-me">{ "How well do you know me?" }</button>
            { for body }
        </div>
    }
}

/// Plot geometry: a square of `SIZE` user units, the stars 0.5–5 on both axes inside margins.
const SIZE: f32 = 300.0;
const PAD: f32 = 34.0;
const LO: f32 = 0.5;
const HI: f32 = 5.0;

fn x_of(stars: f32) -> f32 {
    PAD + (stars.clamp(LO, HI) - LO) / (HI - LO) * (SIZE - PAD - 8.0)
}

fn y_of(stars: f32) -> f32 {
    SIZE - PAD - (stars.clamp(LO, HI) - LO) / (HI - LO) * (SIZE - PAD - 8.0)
}

/// The scatter as SVG markup: one string, inserted as is (a tree of `html!` elements for a
/// few hundred marks cost the wasm ~6 KB more). Titles are escaped; nothing else in it comes
/// from outside.
fn plot(model: &Model, c: &Calibration) -> String {
    use std::fmt::Write;
    let scale = model.header.scale;
    let stars = |v: f32| scale.convert(v, &RatingScale::STARS);
    let mut svg = format!(
        r#"<svg class="calibration-plot" data-testid="calibration-plot" viewBox="0 0 {SIZE} {SIZE}" role="img" aria-label="Each film you rated: your rating against what the model predicts without it">"#
    );
    for s in 1..=5 {
        let (x, y) = (x_of(s as f32), y_of(s as f32));
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{x}" x2="{x}" y1="{}" y2="{}"/><line class="grid" y1="{y}" y2="{y}" x1="{}" x2="{}"/><text class="tick" x="{x}" y="{}">{s}</text><text class="tick" x="{}" y="{}">{s}</text>"#,
            y_of(HI),
            y_of(LO),
            x_of(LO),
            x_of(HI),
            SIZE - PAD + 14.0,
            PAD - 10.0,
            y + 4.0
        );
    }
    let _ = write!(
        svg,
        r#"<line class="diagonal" x1="{}" y1="{}" x2="{}" y2="{}"/>"#,
        x_of(LO),
        y_of(LO),
        x_of(HI),
        y_of(HI)
    );
    // Half-star ratings stack on one another: each film moves a little sideways, the same
    // way every time (by its place in the list).
    for (k, f) in c.films.iter().enumerate() {
        let (mean, lo, hi, actual) = (
            stars(f.mean),
            stars(f.interval80.0),
            stars(f.interval80.1),
            stars(f.rating),
        );
        let x = x_of(mean) + ((k % 5) as f32 - 2.0) * 1.2;
        let class = if (lo..=hi).contains(&actual) {
            "in"
        } else {
            "out"
        };
        let _ = write!(
            svg,
            r#"<g class="pt {class}"><title>{}: you {actual}★, predicted {mean:.1}★ (80%: {lo:.1}–{hi:.1})</title><line class="range" x1="{x}" x2="{x}" y1="{}" y2="{}"/><circle cx="{x}" cy="{}" r="3.5"/></g>"#,
            escape(&model.movie(f.item).title),
            y_of(lo),
            y_of(hi),
            y_of(actual)
        );
    }
    let _ = write!(
        svg,
        r#"<text class="axis" x="{}" y="{}">predicted without your rating ★</text><text class="axis" transform="translate(11 {}) rotate(-90)">your rating ★</text></svg>"#,
        SIZE / 2.0 + PAD / 2.0,
        SIZE - 4.0,
        SIZE / 2.0 - PAD / 2.0
    );
    svg
}

/// Text for SVG markup.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn report(model: &Model, c: &Calibration) -> Html {
    let figure =
        |v: Option<f64>, unit: &str| v.map_or("–".to_string(), |v| format!("{v:.2}{unit}"));
    let inside = c.coverage80.map_or(String::new(), |p| {
        format!(
            "The 80% ranges held your rating {:.0}% of the time.",
            p * 100.0
        )
    });
    html! {
        <div class="know-me-report" data-testid="know-me-report">
            { Html::from_html_unchecked(plot(model, c).into()) }
            <p class="know-me-figures" data-testid="know-me-figures">
                { format!("On {} films, MovieMatch misses your rating by {} on average (the IMDb average, fitted to you: {}); it ranks them in your order at {} (IMDb: {}).",
                          c.n, figure(c.model.mae, "★"), figure(c.imdb.mae, "★"), figure(c.model.spearman, ""), figure(c.imdb.spearman, "")) }
            </p>
            <p class="hint">
                { "Each film is predicted from everything else you said, never from its own rating; the IMDb average is fitted to your ratings the same way. The misses are mean absolute errors; the order is Spearman's correlation (1: your order exactly). " }
                { inside }
            </p>
        </div>
    }
}
