//! Someone else's profile, opened from a share link: a banner saying so with what the visitor
//! can do (merge, replace after a confirmation, go back), the shared ratings and that profile's
//! recommendations, all read-only. The profile is a temporary one built from the link; it runs
//! through the same hooks as the visitor's own and is never saved.

use std::rc::Rc;

use moviematch::Profile;
use yew::prelude::*;

use super::{recommendations, Confirm};
use crate::by_address::ByAddress;
use crate::format::{count, describe_unknown, plural, rating_str, year_and_genres};
use crate::hooks::{use_personal, use_recommendations};
use crate::state::{merge_preview, ModelRef, SharedView as View};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub view: View,
    /// The visitor's own profile (only read, to say what merging would add).
    pub mine: Rc<Profile>,
    /// The stored profile could not be read and is held (see `state::Held`).
    #[prop_or_default]
    pub held: bool,
    pub on_merge: Callback<()>,
    pub on_ask_replace: Callback<bool>,
    pub on_replace: Callback<()>,
    pub on_back: Callback<()>,
}

#[function_component(SharedView)]
pub fn shared_view(props: &Props) -> Html {
    let profile = props.view.profile.clone();
    // Its own revision space: one view per link (the component is keyed by the view's id).
    let personal = use_personal(&props.model, &profile, 0);
    let recs = use_recommendations(&props.model, 0, &profile.settings, &personal);
    let n = personal.rated.len();
    let add = merge_preview(&props.mine, &profile, Some(&props.model)).ratings;
    let mine = props.mine.ratings().len();

    let merge = props.on_merge.reform(|_: MouseEvent| ());
    let back = props.on_back.reform(|_: MouseEvent| ());
    let ask = props.on_ask_replace.reform(|_: MouseEvent| true);
    let cancel = props.on_ask_replace.reform(|()| false);

    let merge_note = match add {
        0 => "You have rated every one of these movies yourself.".to_string(),
        a if a == n => format!("“Merge into mine” adds all {}.", count(a, "rating", "ratings")),
        a => format!(
            "“Merge into mine” adds the {} for movies you have not rated; your own {} stay as they are.",
            count(a, "rating", "ratings"),
            plural(n - a, "rating", "ratings")
        ),
    };
    let confirm = props.view.confirm_replace.then(|| {
        let what = if props.held {
            "Your saved profile could not be read here: it is kept as a backup copy in this \
             browser’s storage before anything is written."
                .to_string()
        } else if props.mine.events.is_empty() {
            "You have no answers of your own yet, so nothing is lost.".to_string()
        } else {
            format!(
                "Your own {} and any other answers (comparisons, likes, hidden movies) will be gone for good; your filters and settings stay.",
                count(mine, "rating", "ratings")
            )
        };
        let question = format!("Replace your profile with these {}?", count(n, "rating", "ratings"));
        Confirm {
            testid: "share-confirm",
            question_id: "replace-q",
            question: &question,
            detail: &what,
            yes: "Yes, replace mine",
            yes_testid: "share-replace-confirm",
            on_yes: props.on_replace.clone(),
            on_cancel: cancel,
            class: "share-confirm",
            actions_class: "share-actions",
        }
        .view()
    });

    let rows = personal.rated.iter().map(|e| {
        let (title, meta) = match e.item {
            Some(i) => (props.model.movie(i).title.clone(), year_and_genres(&props.model, i)),
            None => (describe_unknown(&e.id), "Not in this catalogue".to_string()),
        };
        let given = e.original.clone().unwrap_or_else(|| format!("{} ★", rating_str(e.stars)));
        html! {
            <li class={classes!("rated-item", e.item.is_none().then_some("unknown"))} data-testid="shared-rated-item">
                <div class="movie">
                    <span class="title">{ title }</span>
                    <span class="meta">{ meta }</span>
                </div>
                <span class="stars-value" aria-label={format!("rated {given}")}>{ given }</span>
            </li>
        }
    });
    html! {
        <main class="workspace shared">
            <section class="card shared-banner" data-testid="shared-banner" aria-labelledby="shared-h">
                <h2 id="shared-h">{ format!("Viewing a shared profile: {}", count(n, "rating", "ratings")) }</h2>
                <p class="sub">
                    { "These are someone else’s ratings and the movies this site recommends for them. Your own ratings are untouched and nothing here is saved unless you choose to. " }
                    { merge_note }
                </p>
                <div class="share-actions">
                    <button type="button" class="btn small" onclick={merge} disabled={add == 0}
                            data-testid="share-merge">{ "Merge into mine" }</button>
                    <button type="button" class="btn small ghost" onclick={ask} disabled={props.view.confirm_replace}
                            data-testid="share-replace">{ "Replace mine" }</button>
                    <button type="button" class="btn small ghost" onclick={back}
                            data-testid="share-back">{ "Back to my profile" }</button>
                </div>
                { for confirm }
            </section>
            <div class="col left">
                <section class="card my-ratings" data-testid="shared-ratings" aria-labelledby="shared-r-h">
                    <h2 id="shared-r-h">{ "Their ratings" }<span class="count">{ n }</span></h2>
                    <ul class="rated">{ for rows }</ul>
                </section>
            </div>
            <div class="col right">
                { recommendations(&super::recommendations::Props {
                    model: props.model.clone(),
                    recs: ByAddress(recs),
                    personal: ByAddress(personal),
                    settings: profile.settings.clone(),
                    on_rate: Callback::noop(),
                    on_compare: Callback::noop(),
                    on_act: Callback::noop(),
                    readonly: true,
                    seen_open: None,
                    on_seen: Callback::noop(),
                }) }
            </div>
        </main>
    }
}
