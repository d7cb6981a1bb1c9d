//! A load failure, said plainly, with a way to try again.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub message: AttrValue,
    pub on_retry: Callback<()>,
}

#[function_component(ErrorBox)]
pub fn error_box(props: &Props) -> Html {
    let on_retry = props.on_retry.reform(|_: MouseEvent| ());
    html! {
        <section class="error card" data-testid="error" role="alert">
            <h2>{ "Something went wrong" }</h2>
            <p>{ props.message.clone() }</p>
            <button type="button" class="btn" onclick={on_retry}>{ "Try again" }</button>
        </section>
    }
}
