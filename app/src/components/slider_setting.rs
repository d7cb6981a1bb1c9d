//! One ranking knob as a range slider with its value and a plain-words explanation. The value
//! shown follows the thumb while dragging; the setting changes (and the list re-ranks) when the
//! thumb is let go, so dragging does not re-rank and save dozens of times.

use web_sys::HtmlInputElement;
use yew::prelude::*;

fn read(e: &Event) -> Option<f32> {
    let v = e.target_unchecked_into::<HtmlInputElement>().value();
    v.parse::<f32>().ok().filter(|v| v.is_finite())
}

/// A view function, not a component: while the thumb moves, the number beside it is written
/// straight into its `<output>` (no state, no render: re-rendering the setting's stored value
/// mid-drag would put the thumb back, and a keyboard step would never reach `change`).
/// One knob: `range` its (min, max) in steps of 0.1, `help` what it does.
pub fn slider_setting(
    id: &'static str,
    label: &'static str,
    range: (f32, f32),
    value: f32,
    on_change: Callback<f32>,
    help: &'static str,
) -> Html {
    let (min, max) = range;
    let out_id = format!("{id}-value");
    let oninput = {
        let out_id = out_id.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            let shown = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&out_id));
            // Yew's own text node, changed in place: replacing it would leave Yew updating a
            // node no longer in the page.
            if let (Some(text), Ok(v)) = (shown.and_then(|o| o.first_child()), v.parse::<f32>()) {
                text.set_node_value(Some(&format!("{v:.1}")));
            }
        })
    };
    let onchange = Callback::from(move |e: Event| {
        if let Some(v) = read(&e) {
            on_change.emit(v.clamp(min, max));
        }
    });
    let shown = value;
    let help_id = format!("{id}-help");
    html! {
        <div class="slider">
            <label for={id}>
                <span>{ label }</span>
                <output for={id} id={out_id}>{ format!("{shown:.1}") }</output>
            </label>
            <input type="range" {id} min={min.to_string()} max={max.to_string()}
                   step="0.1" value={shown.to_string()} {oninput} {onchange}
                   aria-describedby={help_id.clone()} />
            <p class="hint small" id={help_id}>{ help }</p>
        </div>
    }
}
