//! A movie as a question shows it: title, year, genres and IMDb's rating, so the visitor can
//! recognise it; whatever the question needs (answer buttons, stars) goes in as children.

use yew::prelude::*;

use moviematch::Model;

/// The card for catalogue movie `item`, labelled "A" or "B" on a pair question, with the
/// question's controls inside. A view function: it keeps nothing between renders.
pub fn movie_card(model: &Model, item: usize, label: Option<&str>, controls: Html) -> Html {
    let m = model.movie(item);
    let genres = model.genre_label(item);
    let genres = (!genres.is_empty() && genres != "(no genres listed)").then_some(genres);
    let imdb = match m.imdb_rating {
        Some(r) => format!("IMDb {r:.1}/10"),
        None => "No IMDb rating".to_string(),
    };
    html! {
        <div class="movie-card" data-testid="question-movie">
            if let Some(l) = label { <span class="card-label" aria-hidden="true">{ l }</span> }
            <span class="title" data-testid="question-title">{ &m.title }</span>
            <span class="meta">
                { m.year.map(|y| y.to_string()).unwrap_or_default() }
                if let Some(g) = genres { <span class="genres">{ g }</span> }
            </span>
            <span class="imdb">{ imdb }</span>
            { controls }
        </div>
    }
}
