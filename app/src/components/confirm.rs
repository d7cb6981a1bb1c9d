//! A confirmation asked in the page before something that cannot be undone (replacing the
//! profile by a file or a shared one, deleting everything): the question, what it would do,
//! the button that does it and "Cancel". The texts and test ids come from the caller.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The dialog's `data-testid`.
    pub testid: AttrValue,
    /// The question's element id, which names the dialog (`aria-labelledby`).
    pub question_id: AttrValue,
    pub question: AttrValue,
    /// What confirming would do (and what it would not).
    pub detail: AttrValue,
    /// The confirming button's text and `data-testid`.
    pub yes: AttrValue,
    pub yes_testid: AttrValue,
    pub on_yes: Callback<()>,
    pub on_cancel: Callback<()>,
    /// The dialog's class and its button row's (the share banner styles its own).
    #[prop_or(AttrValue::Static("confirm"))]
    pub class: AttrValue,
    #[prop_or(AttrValue::Static("actions"))]
    pub actions_class: AttrValue,
}

#[function_component(Confirm)]
pub fn confirm(props: &Props) -> Html {
    let yes = props.on_yes.reform(|_: MouseEvent| ());
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class={props.class.clone()} role="alertdialog" aria-labelledby={props.question_id.clone()}
             data-testid={props.testid.clone()}>
            <p id={props.question_id.clone()}><strong>{ &props.question }</strong></p>
            <p class="hint">{ &props.detail }</p>
            <div class={props.actions_class.clone()}>
                <button type="button" class="btn small danger" onclick={yes} data-testid={props.yes_testid.clone()}>
                    { &props.yes }
                </button>
                <button type="button" class="btn small ghost" onclick={cancel}>{ "Cancel" }</button>
            </div>
        </div>
    }
}
