//! Notices about the stored profile (unreadable, backed up, restored, not saved) and about
//! what the visitor did with their data (imports, deletion, share links).

use yew::prelude::*;

use crate::state::{Notice, NoticeKind};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub notices: Vec<Notice>,
    pub on_dismiss: Callback<NoticeKind>,
    pub on_start_fresh: Callback<()>,
    /// Retries a failed save (after the visitor freed some space).
    pub on_save_again: Callback<()>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn notices(props: &Props) -> Html {
    let items = props.notices.iter().map(|n| {
        let kind = n.kind;
        let dismiss = || {
            let onclick = props.on_dismiss.reform(move |_: MouseEvent| kind);
            html! { <button type="button" class="btn small ghost" {onclick} aria-label="Dismiss">{ "Dismiss" }</button> }
        };
        let action = match kind {
            NoticeKind::Unreadable => {
                let onclick = props.on_start_fresh.reform(|_: MouseEvent| ());
                html! { <button type="button" class="btn small" {onclick}>{ "Start fresh" }</button> }
            }
            NoticeKind::SaveFailed => {
                let onclick = props.on_save_again.reform(|_: MouseEvent| ());
                html! {
                    <div class="notice-actions">
                        <button type="button" class="btn small" {onclick} data-testid="save-again">{ "Save again" }</button>
                        { dismiss() }
                    </div>
                }
            }
            _ => dismiss(),
        };
        html! {
            <div class="notice" data-testid="notice" data-kind={kind.name()} role="status">
                <p>{ &n.text }</p>
                { action }
            </div>
        }
    });
    html! { <div class="notices">{ for items }</div> }
}
