//! Restricts recommendations to one genre.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub names: Vec<String>,
    /// Selected genre bitmask (0: all).
    pub value: u32,
    pub on_change: Callback<u32>,
}

#[function_component(GenreFilter)]
pub fn genre_filter(props: &Props) -> Html {
    let onchange = props.on_change.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        v.parse::<u32>()
            .ok()
            .filter(|&b| b < 32)
            .map_or(0, |b| 1u32 << b)
    });
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
                { for options }
            </select>
        </label>
    }
}
