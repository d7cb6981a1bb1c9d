//! Notices about the stored profile (unreadable, backed up, not saved).

use yew::prelude::*;

use crate::state::{Notice, NoticeKind};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub notices: Vec<Notice>,
    pub on_dismiss: Callback<NoticeKind>,
    pub on_start_fresh: Callback<()>,
}

#[function_component(Notices)]
pub fn notices(props: &Props) -> Html {
    let items = props.notices.iter().map(|n| {
        let kind = n.kind;
        let action = if kind == NoticeKind::Unreadable {
            let onclick = props.on_start_fresh.reform(|_: MouseEvent| ());
            html! { <button type="button" class="btn small" {onclick}>{ "Start fresh" }</button> }
        } else {
            let onclick = props.on_dismiss.reform(move |_: MouseEvent| kind);
            html! { <button type="button" class="btn small ghost" {onclick} aria-label="Dismiss">{ "Dismiss" }</button> }
        };
        html! {
            <div class="notice" data-testid="notice" role="status">
                <p>{ &n.text }</p>
                { action }
            </div>
        }
    });
    html! { <div class="notices">{ for items }</div> }
}
