//! A load failure, said plainly, with a way to try again.

use yew::prelude::*;

/// A view function (nothing to keep between renders).
pub fn error_box(message: &str, on_retry: &Callback<()>) -> Html {
    let on_retry = on_retry.reform(|_: MouseEvent| ());
    html! {
        <section class="error card" data-testid="error" role="alert">
            <h2>{ "Something went wrong" }</h2>
            <p>{ message }</p>
            <button type="button" class="btn" onclick={on_retry}>{ "Try again" }</button>
        </section>
    }
}
