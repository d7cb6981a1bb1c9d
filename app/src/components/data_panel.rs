//! "Your data": where the visitor's profile lives (this browser only) and what they can do
//! with it: import a file, download everything as a JSON file (the same format the site
//! stores, readable by the import here or `tools`), or delete everything after a
//! confirmation in the page. While the stored profile is unreadable here (held untouched, see
//! `state::Held`), the download gives that stored text as it is, and this tab's own answers,
//! if any, are a second download.

use std::rc::Rc;

use moviematch::Profile;
use yew::prelude::*;

use super::Confirm;
use crate::format::count;
use crate::import::{export_file_name, unreadable_file_name};
use crate::services::{files, storage};
use crate::state::{Held, Intent, Screen};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub profile: Rc<Profile>,
    /// The stored profile text this version could not read, held untouched.
    #[prop_or_default]
    pub held: Option<Held>,
    /// Offer the way to the import screen (not on that screen itself).
    #[prop_or(true)]
    pub show_import: bool,
    pub on_act: Callback<Intent>,
}

#[function_component(DataPanel)]
pub fn data_panel(props: &Props) -> Html {
    let confirm = use_state(|| false);
    let failed = use_state(|| None::<String>);
    let n = props.profile.ratings().len();

    // What is stored comes first: the held text when the profile could not be read (the
    // profile in this tab is then a fresh one, or answers not yet saved), else the profile.
    let download_profile = {
        let (profile, failed) = (props.profile.clone(), failed.clone());
        Callback::from(move |_: MouseEvent| {
            let (y, m, d) = files::today();
            let r = files::download(
                &export_file_name(y, m, d),
                "application/json",
                &profile.to_json(),
            );
            failed.set(r.err());
        })
    };
    let download = match props.held.clone() {
        None => download_profile.clone(),
        Some(held) => {
            let failed = failed.clone();
            Callback::from(move |_: MouseEvent| {
                let (y, m, d) = files::today();
                let r = files::download(
                    &unreadable_file_name(y, m, d),
                    "application/json",
                    &held.raw,
                );
                failed.set(r.err());
            })
        }
    };
    let held = props.held.is_some();
    let also_mine = held && !props.profile.events.is_empty();
    let ask = {
        let confirm = confirm.clone();
        Callback::from(move |_: MouseEvent| confirm.set(true))
    };
    let cancel = {
        let confirm = confirm.clone();
        Callback::from(move |()| confirm.set(false))
    };
    let delete = {
        let (confirm, on_act) = (confirm.clone(), props.on_act.clone());
        Callback::from(move |()| {
            confirm.set(false);
            on_act.emit(match storage::clear_all(&storage::current_path()) {
                Ok(_) => Intent::DataDeleted,
                Err(why) => Intent::DataNotDeleted(why),
            });
        })
    };
    let import = props
        .on_act
        .reform(|_: MouseEvent| Intent::Show(Screen::Import));

    let confirm_box = confirm.then(|| {
        let detail =
            format!(
            "This removes your {}, answers and settings from this browser{}. It cannot be undone.",
            count(n, "rating", "ratings"),
            if held { ", and the saved profile this version could not read" } else { "" }
        );
        Confirm {
            testid: "delete-confirm",
            question_id: "delete-q",
            question: "Delete all your data?",
            detail: &detail,
            yes: "Delete everything",
            yes_testid: "delete-confirm-yes",
            on_yes: delete,
            on_cancel: cancel,
            class: "confirm",
            actions_class: "actions",
        }
        .view()
    });
    html! {
        <section class="card data-panel" data-testid="data-panel" aria-labelledby="data-h">
            <h2 id="data-h">{ "Your data" }</h2>
            <p class="sub">
                { "Your ratings and answers are stored only in this browser, on this device. Take them with you as a file, bring in ratings from elsewhere, or remove them all." }
            </p>
            <div class="actions">
                if props.show_import {
                    <button type="button" class="btn small ghost" onclick={import} data-testid="data-import">
                        { "Import ratings…" }
                    </button>
                }
                <button type="button" class="btn small ghost" onclick={download} data-testid="data-download">
                    { "Download my data" }
                </button>
                if also_mine {
                    <button type="button" class="btn small ghost" onclick={download_profile}
                            data-testid="data-download-tab">
                        { "Download this tab’s answers" }
                    </button>
                }
            </div>
            if held {
                <p class="hint" data-testid="data-held">
                    { "Your saved profile could not be read by this version of the site: “Download my data” gives it exactly as it is stored." }
                </p>
            }
            <div class="actions danger-row">
                <button type="button" class="btn small ghost danger-text" onclick={ask}
                        disabled={*confirm} data-testid="data-delete">
                    { "Delete all my data" }
                </button>
                <span class="hint-inline">{ "Removes everything this site stored in this browser." }</span>
            </div>
            if let Some(why) = (*failed).clone() {
                <p class="hint" role="status">{ format!("The download did not start: {why}.") }</p>
            }
            { for confirm_box }
        </section>
    }
}
