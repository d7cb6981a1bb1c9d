//! One rating in force: the movie, its stars (changeable) and a remove button.

use moviematch::StableId;
use yew::prelude::*;

use super::{movie_link, star_rating};
use crate::format::{describe_unknown, id_key, year_and_genres};
use crate::hooks::RatedEntry;
use crate::state::ModelRef;

#[derive(PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub entry: RatedEntry,
    /// The rest of the catalogue is still loading (an unknown film may be in it).
    pub loading: bool,
    pub on_rate: Callback<(StableId, f32)>,
    pub on_unrate: Callback<StableId>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn rated_item(props: &Props) -> Html {
    let e = &props.entry;
    let loading = props.loading;
    let remove = {
        let id = e.id.clone();
        props.on_unrate.reform(move |_: MouseEvent| id.clone())
    };
    let link = e.item.map(|i| movie_link(&props.model, i));
    let (title, meta, widget) = match e.item {
        Some(i) => {
            let title = props.model.movie(i).title.clone();
            let id = e.id.clone();
            let on_rate = props.on_rate.reform(move |v: f32| (id.clone(), v));
            let widget = star_rating(Some(e.stars), &on_rate, &title);
            (title, year_and_genres(&props.model, i), widget)
        }
        None => (
            describe_unknown(&e.id),
            if loading {
                "Waits for the rest of the catalogue, which is loading".to_string()
            } else {
                "Not in this catalogue: kept, not used".to_string()
            },
            html! { <span class="stars-value">{ e.original.clone().unwrap_or_else(|| format!("{} ★", e.stars)) }</span> },
        ),
    };
    let original = e
        .item
        .and(e.original.as_ref())
        .map(|o| html! { <span class="badge">{ format!("given as {o}") }</span> });
    html! {
        <li key={id_key(&e.id)} class={classes!("rated-item", e.item.is_none().then_some("unknown"))} data-testid="rated-item">
            <div class="movie">
                <span class="title">{ link.unwrap_or_else(|| html! { &title }) }</span>
                <span class="meta">{ meta }{ for original }</span>
            </div>
            <div class="rated-actions">
                { widget }
                <button type="button" class="remove" data-testid="remove-rating" onclick={remove}
                        aria-label={format!("Remove rating of {title}")} title="Remove rating">
                    { "×" }
                </button>
            </div>
        </li>
    }
}
