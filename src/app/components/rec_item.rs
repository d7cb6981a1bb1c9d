//! One recommendation: the movie, its predicted rating for this visitor with uncertainty, and
//! IMDb's rating where known.

use moviematch::explain::Reason;
use moviematch::Recommendation;
use yew::prelude::*;

use crate::format::{predicted_stars, year_and_genres};
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub rank: usize,
    pub rec: Recommendation,
    /// Why it is here, strongest first (computed by the engine).
    pub reasons: Vec<Reason>,
}

/// One reason as a visitor reads it.
fn reason_text(model: &crate::state::ModelRef, r: &Reason) -> String {
    match r {
        Reason::BecauseYouRated { item, rating, .. } => {
            let stars = model
                .header
                .scale
                .convert(*rating, &moviematch::RatingScale::STARS);
            // A low rating can raise a prediction too (tastes the visitor is not): say so.
            let verb = if stars >= 3.5 { "liked" } else { "disliked" };
            format!("because you {verb} {} ({stars}★)", model.movie(*item).title)
        }
        Reason::Taste { genre, .. } => {
            format!("matches your taste for {}", model.genre_names()[*genre])
        }
        Reason::WidelyLoved { .. } => "widely loved".to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

#[function_component(RecItem)]
pub fn rec_item(props: &Props) -> Html {
    let i = props.rec.item;
    let movie = props.model.movie(i);
    let (mean, lo, hi) = predicted_stars(&props.model, props.rec.mean, props.rec.interval80);
    let explain = format!(
        "Predicted rating for you: {mean} out of 5 stars; 8 times out of 10 your rating would fall between {lo} and {hi}"
    );
    let imdb = movie.imdb_rating.map(|r| {
        html! { <span class="imdb" title="Average rating on IMDb">{ "IMDb " }<strong>{ format!("{r:.1}") }</strong>{ "/10" }</span> }
    });
    html! {
        <li class="rec" data-testid="rec-item">
            <span class="rank" aria-hidden="true">{ props.rank }</span>
            <div class="movie">
                <span class="title" data-testid="rec-title">{ &movie.title }</span>
                <span class="meta">{ year_and_genres(&props.model, i) }</span>
                if !props.reasons.is_empty() {
                    <span class="why" data-testid="rec-reasons">{
                        capitalise(&props.reasons.iter().map(|r| reason_text(&props.model, r)).collect::<Vec<_>>().join(" · "))
                    }</span>
                }
            </div>
            <div class="scores">
                <span class="pred" title={explain.clone()} aria-label={explain}>
                    <strong>{ mean }</strong>{ " ★ " }<span class="sd" data-testid="rec-interval">{ format!("{lo}–{hi}") }</span>
                </span>
                { for imdb }
            </div>
        </li>
    }
}
