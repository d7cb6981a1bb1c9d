//! "How would you rate this movie?" for one movie, with the star widget and "haven't seen it".

use yew::prelude::*;

use super::{movie_card, star_rating};
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub item: usize,
    pub on_rate: Callback<f32>,
    pub on_unseen: Callback<()>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn rate_question(props: &Props) -> Html {
    let title = props.model.movie(props.item).title.clone();
    let unseen = props.on_unseen.reform(|_: MouseEvent| ());
    html! {
        <div key={props.item} class="rate-question" data-testid="rate-question">
            <p class="question-text">{ "How would you rate this movie?" }</p>
            { movie_card(&props.model, props.item, None, html! { <>
                { star_rating(None::<f32>, &props.on_rate, &title) }
                <button type="button" class="btn small ghost" onclick={unseen} data-testid="unseen-it"
                        aria-label={format!("Haven't seen {title}")}>
                    { "Haven’t seen it" }
                </button>
            </> }) }
        </div>
    }
}
