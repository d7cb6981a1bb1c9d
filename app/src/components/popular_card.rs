//! One tile of the "Rate movies you know" grid: title, year, genres and the star widget.

use moviematch::StableId;
use yew::prelude::*;

use super::{movie_link, star_rating};
use crate::format::year_and_genres;
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub item: usize,
    /// The rating in force (stored id and stars), if any.
    pub current: Option<(StableId, f32)>,
    pub on_rate: Callback<(StableId, f32)>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn popular_card(props: &Props) -> Html {
    let movie = props.model.movie(props.item);
    let id = crate::format::rating_id(&props.model, props.item, props.current.as_ref());
    let on_rate = props.on_rate.reform(move |v: f32| (id.clone(), v));
    let rated = props.current.is_some();
    html! {
        <li key={props.item} class={classes!("tile", rated.then_some("rated"))} data-testid="popular-item">
            <span class="title">{ movie_link(&props.model, props.item) }</span>
            <span class="meta">{ year_and_genres(&props.model, props.item) }</span>
            { star_rating(props.current.as_ref().map(|c| c.1), &on_rate, &movie.title) }
        </li>
    }
}
