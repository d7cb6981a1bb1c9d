//! A confirmation asked in the page before something that cannot be undone (replacing the
//! profile by a file or a shared one, deleting everything): the question, what it would do,
//! the button that does it and "Cancel". The texts and test ids come from the caller.

use yew::prelude::*;

/// The dialog's words and hooks. A view (`Confirm::view`), not a component: it keeps nothing
/// between renders, and each component costs the wasm its own lifecycle code.
pub struct Confirm<'a> {
    /// The dialog's `data-testid`.
    pub testid: &'a str,
    /// The question's element id, which names the dialog (`aria-labelledby`).
    pub question_id: &'a str,
    pub question: &'a str,
    /// What confirming would do (and what it would not).
    pub detail: &'a str,
    /// The confirming button's text and `data-testid`.
    pub yes: &'a str,
    pub yes_testid: &'a str,
    pub on_yes: Callback<()>,
    pub on_cancel: Callback<()>,
    /// The dialog's class and its button row's (the share banner styles its own).
    pub class: &'a str,
    pub actions_class: &'a str,
}

impl Confirm<'_> {
    pub fn view(&self) -> Html {
        let yes = self.on_yes.reform(|_: MouseEvent| ());
        let cancel = self.on_cancel.reform(|_: MouseEvent| ());
        html! {
            <div class={self.class.to_string()} role="alertdialog" aria-labelledby={self.question_id.to_string()}
                 data-testid={self.testid.to_string()}>
                <p id={self.question_id.to_string()}><strong>{ self.question }</strong></p>
                <p class="hint">{ self.detail }</p>
                <div class={self.actions_class.to_string()}>
                    <button type="button" class="btn small danger" onclick={yes} data-testid={self.yes_testid.to_string()}>
                        { self.yes }
                    </button>
                    <button type="button" class="btn small ghost" onclick={cancel}>{ "Cancel" }</button>
                </div>
            </div>
        }
    }
}
