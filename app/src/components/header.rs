//! Title bar with what model is loaded.

use yew::prelude::*;

use super::Catalogue;
use crate::format::thousands;
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: Option<ModelRef>,
}

#[function_component(Header)]
pub fn header(props: &Props) -> Html {
    // While only the head is loaded: "1,500 of 62,709 movies".
    let total = use_context::<Catalogue>()
        .unwrap_or_default()
        .partial
        .map(|p| p.total);
    let info = props.model.as_ref().map(|m| {
        let h = &m.header;
        let detail = format!(
            "model {} · trained on {} ratings by {} people",
            h.model_id, h.n_ratings, h.n_users
        );
        html! {
            <p class="model-info" title={detail}>
                { match total {
                    None => format!("{} · {} movies", h.dataset, thousands(m.len())),
                    Some(t) => format!("{} · {} of {} movies", h.dataset, thousands(m.len()), thousands(t)),
                } }
            </p>
        }
    });
    html! {
        <header class="site-header">
            <div class="brand">
                <span class="logo" aria-hidden="true">{"★"}</span>
                <div>
                    <h1>{ "MovieMatch" }</h1>
                    <p class="tagline">{ "Rate movies you’ve seen, get ones you’ll like. Everything stays in your browser." }</p>
                </div>
            </div>
            { for info }
        </header>
    }
}
