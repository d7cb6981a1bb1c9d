//! One search hit: title, year, genres and the rating widget.

use moviematch::StableId;
use yew::prelude::*;

use super::StarRating;
use crate::format::year_and_genres;
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub item: usize,
    /// The rating in force (stored id and stars), if the visitor rated this movie already.
    pub current: Option<(StableId, f32)>,
    pub on_rate: Callback<(StableId, f32)>,
}

#[function_component(SearchResult)]
pub fn search_result(props: &Props) -> Html {
    let movie = props.model.movie(props.item);
    // Re-rating must reuse the stored id: a second id for the same movie would count twice.
    let id = props
        .current
        .as_ref()
        .map(|(id, _)| id.clone())
        .unwrap_or_else(|| props.model.stable_id(props.item));
    let on_rate = props.on_rate.reform(move |v: f32| (id.clone(), v));
    html! {
        <li class="result" data-testid="search-result">
            <div class="movie">
                <span class="title">{ &movie.title }</span>
                <span class="meta">{ year_and_genres(&props.model, props.item) }</span>
            </div>
            <StarRating value={props.current.as_ref().map(|c| c.1)} {on_rate}
                        subject={movie.title.clone()} />
        </li>
    }
}
