//! Download progress while the model is fetched, then a "preparing" state while it decodes.

use yew::prelude::*;

use super::BarFill;
use crate::format::{mb, percent};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub received: u64,
    pub total: Option<u64>,
    /// Download finished, decoding now.
    pub decoding: bool,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn loading(props: &Props) -> Html {
    let (text, pct) = if props.decoding {
        ("Preparing the catalogue…".to_string(), Some(100))
    } else {
        match props.total {
            Some(t) => {
                let p = percent(props.received, t);
                (
                    format!(
                        "Downloading the movie model… {p}% ({} of {})",
                        mb(props.received),
                        mb(t)
                    ),
                    Some(p),
                )
            }
            None => (
                format!("Downloading the movie model… {}", mb(props.received)),
                None,
            ),
        }
    };
    let bar = match pct {
        Some(p) => html! { <BarFill percent={p} /> },
        None => html! { <div class="bar-fill indeterminate"></div> },
    };
    html! {
        <section class="loading card" data-testid="loading" role="status" aria-live="polite">
            <p>{ text }</p>
            <div class="bar" role="progressbar" aria-valuemin="0" aria-valuemax="100"
                 aria-valuenow={pct.map(|p| p.to_string())}>{ bar }</div>
            <p class="hint">{ "The model is downloaded once; your ratings are never sent anywhere." }</p>
        </section>
    }
}
