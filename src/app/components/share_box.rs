//! "Share my ratings": the link (the page's address plus `#share=` and the engine's compact
//! encoding of the ratings in force) in a read-only field, with a Copy button.

use std::rc::Rc;

use moviematch::Profile;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::services::dom;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub profile: Rc<Profile>,
}

/// What the last press of "Copy" did.
#[derive(Clone, Copy, PartialEq)]
enum Copied {
    Not,
    Yes,
    /// No Clipboard API (or refused): the link is selected for the visitor to copy.
    Selected,
}

#[function_component(ShareBox)]
pub fn share_box(props: &Props) -> Html {
    let open = use_state(|| false);
    let copied = use_state(|| Copied::Not);
    let field = use_node_ref();
    let toggle = {
        let (open, copied) = (open.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            open.set(!*open);
            copied.set(Copied::Not);
        })
    };
    let button = html! {
        <button type="button" class="btn small ghost share-toggle" onclick={toggle}
                aria-expanded={(*open).to_string()} data-testid="share-open">
            { if *open { "Hide share link" } else { "Share my ratings" } }
        </button>
    };
    if !*open {
        return html! { <div class="share">{ button }</div> };
    }
    let link = format!(
        "{}#share={}",
        dom::page_address().unwrap_or_default(),
        moviematch::share::encode_profile(&props.profile)
    );
    let select = |field: &NodeRef| {
        if let Some(input) = field.cast::<HtmlInputElement>() {
            input.select();
        }
    };
    let on_copy = {
        let (copied, field, link) = (copied.clone(), field.clone(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let (copied, field, link) = (copied.clone(), field.clone(), link.clone());
            wasm_bindgen_futures::spawn_local(async move {
                if dom::copy_text(&link).await {
                    copied.set(Copied::Yes);
                } else {
                    select(&field);
                    copied.set(Copied::Selected);
                }
            });
        })
    };
    let on_focus = {
        let field = field.clone();
        Callback::from(move |_: FocusEvent| select(&field))
    };
    let status = match *copied {
        Copied::Not => "",
        Copied::Yes => "Copied.",
        Copied::Selected => "Selected: press Ctrl+C (⌘C) to copy.",
    };
    html! {
        <div class="share">
            { button }
            <div class="share-link" data-testid="share-box">
                <label class="visually-hidden" for="share-link">{ "Share link" }</label>
                <div class="share-row">
                    <input id="share-link" type="text" readonly=true value={link} ref={field}
                           onfocus={on_focus} data-testid="share-link" spellcheck="false" />
                    <button type="button" class="btn small" onclick={on_copy} data-testid="share-copy">{ "Copy" }</button>
                </div>
                <p class="hint share-status" role="status" aria-live="polite">{ status }</p>
                <p class="hint">
                    { "The link carries only your ratings, and they sit in the part after #, which browsers never send to any server." }
                </p>
            </div>
        </div>
    }
}
