//! The quick genre choice above the list: one genre, or all. It edits the same filter as the
//! settings panel (`genres_any`), so when several genres are chosen there it says so.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub names: Vec<String>,
    /// The `genres_any` bitmask (0: all).
    pub value: u32,
    pub on_change: Callback<u32>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn genre_filter(props: &Props) -> Html {
    let onchange = props.on_change.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        v.parse::<u32>()
            .ok()
            .filter(|&b| b < 32)
            .map_or(0, |b| 1u32 << b)
    });
    let several = props.value.count_ones() > 1;
    let options = props
        .names
        .iter()
        .enumerate()
        .filter(|(_, n)| !n.starts_with('('))
        .map(|(b, n)| {
            let selected = props.value == 1u32 << b;
            html! { <option value={b.to_string()} {selected}>{ n }</option> }
        });
    html! {
        <label class="genre">
            <span class="visually-hidden">{ "Genre" }</span>
            <select id="genre-filter" {onchange} aria-label="Filter recommendations by genre">
                <option value="" selected={props.value == 0}>{ "All genres" }</option>
                if several {
                    <option value="several" selected=true disabled=true>{ "Several genres" }</option>
                }
                { for options }
            </select>
        </label>
    }
}
