//! "Would I like this one?": a film's prediction for the visitor wherever it is shown outside
//! the list (search results, rating by comparison): the predicted stars with the 80% interval
//! and the strongest reason; for a film they rated, their rating beside the prediction made
//! without it (the engine's `Visitor::film`).

use moviematch::{FilmPrediction, Model};
use yew::prelude::*;

use crate::format::{predicted_stars, rating_str};

/// The prediction line. A plain view function, not a component: it has no state, and each
/// component costs the wasm its own lifecycle code.
pub fn prediction_view(model: &Model, p: &FilmPrediction) -> Html {
    let (mean, lo, hi) = predicted_stars(model, p.entry.rec.mean, p.entry.rec.interval80);
    let yours = p.your_rating.as_ref().map(|r| {
        html! { <><span class="yours">{ format!("You rated it {}★", rating_str(r.stars())) }</span>{ " " }</> }
    });
    let without = if p.your_rating.is_some() {
        " without your rating"
    } else {
        ""
    };
    let why = p.entry.reasons.first().map(|r| {
        html! { <span class="why">{ r.describe(model) }</span> }
    });
    html! {
        <p class="prediction" data-testid="prediction">
            { for yours }
            <span class="predicted">
                { "Predicted for you " }<strong>{ format!("{mean}★") }</strong>
                { format!(" ({lo}–{hi}){without}") }
            </span>
            { for why }
        </p>
    }
}
