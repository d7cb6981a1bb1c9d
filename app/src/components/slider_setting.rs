//! One ranking knob as a range slider with its value and a plain-words explanation. The value
//! shown follows the thumb while dragging; the setting changes (and the list re-ranks) when the
//! thumb is let go, so dragging does not re-rank and save dozens of times.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
    pub label: AttrValue,
    pub help: AttrValue,
    pub min: f32,
    pub max: f32,
    pub step: f32,
    pub value: f32,
    pub on_change: Callback<f32>,
}

fn read(e: &Event) -> Option<f32> {
    let v = e.target_unchecked_into::<HtmlInputElement>().value();
    v.parse::<f32>().ok().filter(|v| v.is_finite())
}

#[function_component(SliderSetting)]
pub fn slider_setting(props: &Props) -> Html {
    let draft = use_state(|| None::<f32>);
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            draft.set(v.parse::<f32>().ok());
        })
    };
    let onchange = {
        let (draft, on_change) = (draft.clone(), props.on_change.clone());
        let (min, max) = (props.min, props.max);
        Callback::from(move |e: Event| {
            draft.set(None);
            if let Some(v) = read(&e) {
                on_change.emit(v.clamp(min, max));
            }
        })
    };
    // Yew keeps an input's value to the one rendered: rendering the setting's value while the
    // thumb moves would put the thumb back (and a keyboard step would never reach `change`).
    let shown = draft.unwrap_or(props.value);
    let help_id = format!("{}-help", props.id);
    html! {
        <div class="slider">
            <label for={props.id.clone()}>
                <span>{ &props.label }</span>
                <output for={props.id.clone()}>{ format!("{shown:.1}") }</output>
            </label>
            <input type="range" id={props.id.clone()} min={props.min.to_string()} max={props.max.to_string()}
                   step={props.step.to_string()} value={shown.to_string()} {oninput} {onchange}
                   aria-describedby={help_id.clone()} />
            <p class="hint small" id={help_id}>{ &props.help }</p>
        </div>
    }
}
