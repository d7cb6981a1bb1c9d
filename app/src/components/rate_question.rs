//! "How would you rate this movie?" for one movie, with the star widget and "haven't seen it".

use yew::prelude::*;

use super::{MovieCard, StarRating};
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub item: usize,
    pub on_rate: Callback<f32>,
    pub on_unseen: Callback<()>,
}

#[function_component(RateQuestion)]
pub fn rate_question(props: &Props) -> Html {
    let title = props.model.movie(props.item).title.clone();
    let unseen = props.on_unseen.reform(|_: MouseEvent| ());
    html! {
        <div class="rate-question" data-testid="rate-question">
            <p class="question-text">{ "How would you rate this movie?" }</p>
            <MovieCard model={props.model.clone()} item={props.item}>
                <StarRating value={None::<f32>} on_rate={props.on_rate.clone()} subject={title.clone()} />
                <button type="button" class="btn small ghost" onclick={unseen} data-testid="unseen-it"
                        aria-label={format!("Haven't seen {title}")}>
                    { "Haven’t seen it" }
                </button>
            </MovieCard>
        </div>
    }
}
