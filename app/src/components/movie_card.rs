//! A movie as a question shows it: title, year, genres and IMDb's rating, so the visitor can
//! recognise it; whatever the question needs (answer buttons, stars) goes in as children.

use yew::prelude::*;

use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub item: usize,
    /// "A" or "B" on a pair question.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(MovieCard)]
pub fn movie_card(props: &Props) -> Html {
    let m = props.model.movie(props.item);
    let genres = props.model.genre_label(props.item);
    let genres = (!genres.is_empty() && genres != "(no genres listed)").then_some(genres);
    let imdb = match m.imdb_rating {
        Some(r) => format!("IMDb {r:.1}/10"),
        None => "No IMDb rating".to_string(),
    };
    html! {
        <div class="movie-card" data-testid="question-movie">
            if let Some(l) = &props.label { <span class="card-label" aria-hidden="true">{ l }</span> }
            <span class="title" data-testid="question-title">{ &m.title }</span>
            <span class="meta">
                { m.year.map(|y| y.to_string()).unwrap_or_default() }
                if let Some(g) = genres { <span class="genres">{ g }</span> }
            </span>
            <span class="imdb">{ imdb }</span>
            { props.children.clone() }
        </div>
    }
}
