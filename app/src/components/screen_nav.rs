//! The row of screens the left column can show. It keeps the start screen's three ways in
//! reachable after the first visit, leads to the watchlist, and shows where the visitor is.

use yew::prelude::*;

use crate::state::{Intent, Screen};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub current: Screen,
    pub on_act: Callback<Intent>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn screen_nav(props: &Props) -> Html {
    let tabs = [
        (
            Screen::Start,
            "Start",
            "Three ways to tell MovieMatch what you like",
        ),
        (
            Screen::Search,
            "Search",
            "Search any title and rate it; your ratings",
        ),
        (
            Screen::Popular,
            "Popular",
            "Rate well-known movies you have seen",
        ),
        (
            Screen::Questions,
            "Questions",
            "Answer quick questions chosen to learn your taste",
        ),
        (
            Screen::Watchlist,
            "Watchlist",
            "The movies you saved, with your predicted ratings",
        ),
        (
            Screen::Together,
            "Together",
            "One list for you and your friends, from their share links",
        ),
    ];
    let buttons = tabs.into_iter().map(|(screen, label, title)| {
        let current = props.current == screen;
        let onclick = props.on_act.reform(move |_: MouseEvent| Intent::Show(screen));
        html! {
            <button type="button" class={classes!("tab", current.then_some("on"))} {onclick} {title}
                    aria-current={current.then_some("page")} data-testid={format!("nav-{}", label.to_ascii_lowercase().replace(' ', "-"))}>
                { label }
            </button>
        }
    });
    html! { <nav class="screen-nav" aria-label="Screens">{ for buttons }</nav> }
}
