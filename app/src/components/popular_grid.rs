//! "Rate movies you know": the movies most people have seen (highest P(seen)), each with the
//! star widget. Rating a handful of these is the quickest start for someone who watches a lot;
//! the ones not seen are simply skipped.

use moviematch::StableId;
use yew::prelude::*;

use super::popular_card;
use crate::by_address::ByAddress;
use crate::hooks::Personal;
use crate::popular::most_seen;
use crate::state::{Intent, ModelRef, Screen};

/// Movies per page of the grid, and the most it grows to.
const PAGE: usize = 24;
const MAX: usize = 96;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub personal: ByAddress<Personal>,
    pub on_rate: Callback<(StableId, f32)>,
    pub on_act: Callback<Intent>,
}

#[function_component(PopularGrid)]
pub fn popular_grid(props: &Props) -> Html {
    let shown = use_state(|| PAGE);
    let items = use_memo((props.model.clone(), *shown), |(m, n)| most_seen(m, *n));
    let rated_here = items
        .iter()
        .filter(|i| props.personal.by_item.contains_key(i))
        .count();
    let cards = items.iter().map(|&i| {
        html! {
            { popular_card(&super::popular_card::Props {
                model: props.model.clone(),
                item: i,
                current: props.personal.by_item.get(&i).cloned(),
                on_rate: props.on_rate.clone(),
            }) }
        }
    });
    let more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set((*shown + PAGE).min(MAX)))
    };
    let to_questions = props
        .on_act
        .reform(|_: MouseEvent| Intent::Show(Screen::Questions));
    html! {
        <section class="card popular" data-testid="popular" aria-labelledby="popular-h">
            <h2 id="popular-h">{ "Rate movies you know" }
                <span class="count" title="Rated in this grid">{ format!("{rated_here} rated") }</span></h2>
            <p class="sub">{ "The movies most people have seen. Rate the ones you have; skip the rest." }</p>
            <ul class="tiles">{ for cards }</ul>
            <div class="row-actions">
                if *shown < MAX {
                    <button type="button" class="btn small ghost" onclick={more}>{ "Show more movies" }</button>
                }
                <button type="button" class="btn small" onclick={to_questions}>{ "Answer questions instead" }</button>
            </div>
        </section>
    }
}
