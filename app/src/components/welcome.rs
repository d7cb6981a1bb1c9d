//! The first screen for a new visitor: three ways to tell the model their taste. The
//! recommendations beside it are the prior's (popular, well-liked) until the first answer.

use yew::prelude::*;

use crate::state::{Intent, Screen};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_act: Callback<Intent>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn welcome(props: &Props) -> Html {
    let go = |screen: Screen| {
        props
            .on_act
            .reform(move |_: MouseEvent| Intent::Show(screen))
    };
    html! {
        <section class="card welcome" data-testid="welcome" aria-labelledby="welcome-h">
            <h2 id="welcome-h">{ "How would you like to start?" }</h2>
            <p class="sub">{ "A few answers are enough for a personal list. Nothing leaves your browser." }</p>
            <div class="ways">
                <button type="button" class="way" onclick={go(Screen::Popular)} data-testid="way-popular">
                    <span class="way-icon" aria-hidden="true">{ "★" }</span>
                    <span class="way-text">
                        <strong>{ "Rate movies you know" }</strong>
                        <span>{ "Star the well-known movies you have seen. Quickest if you watch a lot." }</span>
                    </span>
                </button>
                <button type="button" class="way" onclick={go(Screen::Questions)} data-testid="way-questions">
                    <span class="way-icon" aria-hidden="true">{ "?" }</span>
                    <span class="way-text">
                        <strong>{ "Answer questions" }</strong>
                        <span>{ "Pick the better of two movies, or rate one. Each question is the one that teaches the model most." }</span>
                    </span>
                </button>
                <button type="button" class="way" onclick={go(Screen::Import)} data-testid="way-import">
                    <span class="way-icon" aria-hidden="true">{ "⇪" }</span>
                    <span class="way-text">
                        <strong>{ "Import your ratings" }</strong>
                        <span>{ "From an IMDb or Letterboxd export file. It is read in your browser, never uploaded." }</span>
                    </span>
                </button>
            </div>
            <p class="hint">{ "Or search for any title you have seen, below." }</p>
        </section>
    }
}
