//! The ranked list. Before any rating it is the prior's list (well-liked, well-known movies),
//! so the page is never empty.

use yew::prelude::*;

use super::{GenreFilter, RecItem};
use crate::hooks::Recs;
use crate::shared::Shared;
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub recs: Shared<Recs>,
    /// Ratings the fit used.
    pub n_used: usize,
    pub genre: u32,
    pub on_genre: Callback<u32>,
}

#[function_component(Recommendations)]
pub fn recommendations(props: &Props) -> Html {
    let (title, sub) = if props.n_used == 0 {
        (
            "Popular, well-liked movies".to_string(),
            "Rate a few movies you’ve seen and this list becomes yours.".to_string(),
        )
    } else {
        let s = if props.n_used == 1 { "" } else { "s" };
        (
            "Recommended for you".to_string(),
            format!(
                "Based on your {} rating{s}. Updated after every rating.",
                props.n_used
            ),
        )
    };
    let body = match &props.recs.list {
        Err(e) => {
            html! { <p class="hint">{ format!("Recommendations are unavailable: {e}.") }</p> }
        }
        Ok(list) if list.is_empty() => html! {
            <p class="hint">{ "No movie of this genre left to recommend. Try another genre." }</p>
        },
        Ok(list) => {
            let items = list.iter().enumerate().map(|(n, (r, why))| html! {
                <RecItem key={r.item} model={props.model.clone()} rank={n + 1} rec={r.clone()} reasons={why.clone()} />
            });
            html! { <ol class="recs">{ for items }</ol> }
        }
    };
    html! {
        <section class="card recommendations" data-testid="recommendations" aria-labelledby="recs-h">
            <div class="recs-head">
                <div>
                    <h2 id="recs-h">{ title }</h2>
                    <p class="sub">{ sub }</p>
                </div>
                <GenreFilter names={props.model.genre_names().to_vec()} value={props.genre}
                             on_change={props.on_genre.clone()} />
            </div>
            <p class="legend">{ "★ = predicted rating for you, out of 5; the range beside it holds your rating 8 times out of 10." }</p>
            { body }
        </section>
    }
}
