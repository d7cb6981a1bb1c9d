//! The filled part of a progress bar (`.bar > .bar-fill`), `percent` wide.
//!
//! The width is set through the CSSOM (`element.style.width`), not a `style` attribute: the
//! site's Content-Security-Policy (`style-src 'self'`, see scripts/postbuild.mjs) blocks inline
//! style attributes, but not the CSSOM.

use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// 0–100.
    pub percent: u32,
}

#[function_component(BarFill)]
pub fn bar_fill(props: &Props) -> Html {
    let node = use_node_ref();
    use_effect_with((node.clone(), props.percent.min(100)), |(node, pct)| {
        if let Some(el) = node.cast::<HtmlElement>() {
            let _ = el.style().set_property("width", &format!("{pct}%"));
        }
    });
    html! { <div class="bar-fill" ref={node}></div> }
}
