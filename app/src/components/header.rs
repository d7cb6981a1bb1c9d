//! Title bar with what model is loaded.

use yew::prelude::*;

use crate::format::thousands;
use crate::state::ModelRef;

/// The site's header, with the model in use once there is one; `total` is the whole
/// catalogue's size while only its head is loaded ("1,500 of 62,709 movies").
/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn header(model: Option<&ModelRef>, total: Option<usize>) -> Html {
    let info = model.map(|m| {
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
