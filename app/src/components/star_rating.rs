//! The half-star rating widget: ten buttons, two per star (left half, right half).
//!
//! Each button is a real `<button>` so keyboards and screen readers can rate; the star shape is
//! one inline SVG per half, clipped by the button, so no font or image needs loading.

use yew::prelude::*;

use crate::format::{half_stars, rating_str};

const STAR_PATH: &str =
    "M12 1.6l3.2 6.6 7.2 1-5.2 5.1 1.2 7.2L12 18.1l-6.4 3.4 1.2-7.2L1.6 9.2l7.2-1z";

/// The widget for the rating in force `current` (in stars, 0.5–5) of `subject` (what is rated,
/// for the group's accessible name). A view function: it keeps nothing between renders, and
/// each component costs the wasm its own lifecycle code.
pub fn star_rating(current: Option<f32>, on_rate: &Callback<f32>, subject: &str) -> Html {
    let value = current.unwrap_or(0.0);
    let buttons = half_stars().enumerate().map(|(n, v)| {
        let onclick = on_rate.reform(move |_: MouseEvent| v);
        let side = if n % 2 == 0 { "left" } else { "right" };
        let class = classes!("half", side, (v <= value + 1e-3).then_some("on"));
        let label = format!("Rate {} stars", rating_str(v));
        html! {
            <button type="button" {class} {onclick} data-rating={rating_str(v)}
                    aria-label={label.clone()} title={label}
                    aria-pressed={if (v - value).abs() < 1e-3 { "true" } else { "false" }}>
                <svg viewBox="0 0 24 24" aria-hidden="true"><path d={STAR_PATH} /></svg>
            </button>
        }
    });
    let shown = current.map(rating_str).unwrap_or_else(|| "–".to_string());
    html! {
        <div class="stars-wrap">
            <div class="stars" role="group" aria-label={format!("Your rating of {subject}")}>
                { for buttons }
            </div>
            <span class={classes!("stars-value", current.is_none().then_some("unset"))}>{ shown }</span>
        </div>
    }
}
