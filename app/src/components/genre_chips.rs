//! A set of genres as toggleable chips (checkboxes), for the settings panel's "only these"
//! and "never these" filters. Edits one bitmask over the bundle's genre names.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub names: Vec<String>,
    pub mask: u32,
    /// Prefix of the checkboxes' ids ("include", "exclude"), for labels and tests.
    pub id: AttrValue,
    pub on_change: Callback<u32>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn genre_chips(props: &Props) -> Html {
    let chips = props
        .names
        .iter()
        .enumerate()
        .filter(|(b, n)| *b < 32 && !n.starts_with('('))
        .map(|(b, name)| {
            let bit = 1u32 << b;
            let checked = props.mask & bit != 0;
            let mask = props.mask;
            let onchange = props.on_change.reform(move |e: Event| {
                let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                if on {
                    mask | bit
                } else {
                    mask & !bit
                }
            });
            let id = format!(
                "{}-{}",
                props.id,
                name.to_ascii_lowercase()
                    .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
            );
            html! {
                <label class={classes!("chip", checked.then_some("on"))} for={id.clone()}>
                    <input type="checkbox" {id} {checked} {onchange} data-genre={name.clone()} />
                    { name }
                </label>
            }
        });
    html! { <div class="chips">{ for chips }</div> }
}
