//! Search-as-you-type over titles, with a rating widget on every hit.

use std::rc::Rc;

use moviematch::profile::Settings;
use moviematch::{FilmPrediction, StableId};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{search_result, Catalogue};
use crate::by_address::ByAddress;
use crate::format::thousands;
use crate::hooks::Personal;
use crate::state::ModelRef;

/// Hits shown per query.
const LIMIT: usize = 10;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub personal: ByAddress<Personal>,
    /// The list settings each result's prediction is made under.
    pub settings: Settings,
    pub query: AttrValue,
    pub on_query: Callback<String>,
    pub on_rate: Callback<(StableId, f32)>,
    pub on_compare: Callback<usize>,
}

#[function_component(SearchPanel)]
pub fn search_panel(props: &Props) -> Html {
    // Searching is quick, but re-rendering for an unrelated change should not even do that.
    let catalogue = use_context::<Catalogue>().unwrap_or_default();
    let hits: Rc<Vec<usize>> = use_memo((props.model.clone(), props.query.clone()), |(m, q)| {
        m.search(q, LIMIT)
    });
    // Each hit's prediction ("would I like this one?"): again only when the hits, the answers
    // or the settings change.
    let predictions: Rc<Vec<Option<FilmPrediction>>> = use_memo(
        (
            props.model.clone(),
            props.personal.clone(),
            hits.clone(),
            props.settings.clone(),
        ),
        |(m, personal, hits, settings)| {
            hits.iter()
                .map(|&i| personal.prediction(m, i, settings))
                .collect()
        },
    );
    let oninput = props
        .on_query
        .reform(|e: InputEvent| e.target_unchecked_into::<HtmlInputElement>().value());
    let query = props.query.trim();
    let body = if query.is_empty() {
        html! { <p class="hint">{ "Type a title you’ve seen — e.g. “matrix”, or “heat 1995” — and rate it." }</p> }
    } else if hits.is_empty() {
        let text = match catalogue.partial.as_ref() {
            None => format!("No movie in the catalogue matches “{query}”."),
            Some(p) if p.failed.is_some() => format!(
                "None of the {} films loaded matches “{query}”; the rest of the catalogue could not be loaded.",
                thousands(props.model.len())
            ),
            Some(p) => format!(
                "None of the {} best-known films matches “{query}”. The rest of the catalogue ({} films) is still loading: the results will appear here.",
                thousands(props.model.len()),
                thousands(p.total.saturating_sub(props.model.len()))
            ),
        };
        html! { <p class="hint" data-testid="search-none">{ text }</p> }
    } else {
        let items = hits.iter().zip(predictions.iter()).map(|(&i, prediction)| {
            let current = props.personal.by_item.get(&i).cloned();
            html! {
                { search_result(&super::search_result::Props {
                    model: props.model.clone(),
                    item: i,
                    current,
                    prediction: prediction.clone(),
                    on_rate: props.on_rate.clone(),
                    on_compare: props.on_compare.clone(),
                }) }
            }
        });
        html! { <ul class="results">{ for items }</ul> }
    };
    html! {
        <section class="card search" aria-labelledby="search-h">
            <h2 id="search-h">{ "Rate movies you’ve seen" }</h2>
            <input id="search" type="search" value={props.query.clone()} {oninput}
                   placeholder="Search a movie title…" autocomplete="off" spellcheck="false"
                   aria-label="Search movies by title" />
            { body }
        </section>
    }
}
