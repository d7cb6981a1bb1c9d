//! One search hit: title, year, genres, the visitor's predicted rating ("would I like this
//! one?") and the rating widget.

use moviematch::{FilmPrediction, StableId};
use yew::prelude::*;

use super::{movie_link, prediction_view, star_rating};
use crate::format::year_and_genres;
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub item: usize,
    /// The rating in force (stored id and stars), if the visitor rated this movie already.
    pub current: Option<(StableId, f32)>,
    /// The visitor's prediction for it (`None` when the answers could not be fitted).
    pub prediction: Option<FilmPrediction>,
    pub on_rate: Callback<(StableId, f32)>,
    /// "Not sure? Compare it": opens rating by comparison for this movie.
    pub on_compare: Callback<usize>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn search_result(props: &Props) -> Html {
    let movie = props.model.movie(props.item);
    let id = crate::format::rating_id(&props.model, props.item, props.current.as_ref());
    let on_rate = props.on_rate.reform(move |v: f32| (id.clone(), v));
    let item = props.item;
    let compare = props.on_compare.reform(move |_: MouseEvent| item);
    html! {
        <li key={movie.movie_id} class="result" data-testid="search-result">
            <div class="movie">
                <span class="title">{ movie_link(&props.model, props.item) }</span>
                <span class="meta">{ year_and_genres(&props.model, props.item) }</span>
                if let Some(prediction) = &props.prediction {
                    { prediction_view(&props.model, prediction) }
                }
            </div>
            <div class="result-actions">
                { star_rating(props.current.as_ref().map(|c| c.1), &on_rate, &movie.title) }
                <button type="button" class="link-btn" onclick={compare} data-testid="compare-it"
                        title="Find your rating by comparing it with movies you have rated">
                    { "Not sure? Compare it" }
                </button>
            </div>
        </li>
    }
}
