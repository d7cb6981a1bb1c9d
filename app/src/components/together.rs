//! "Watch together": friends' share links pasted in, one list for the group (the engine's
//! `together::group_list`: each film scored by the lowest of the members' predicted ratings,
//! the visitor's settings and filters, exploration off), each member's prediction on every row.
//! The friends' profiles live in the page's state for this visit only: never stored.

use std::rc::Rc;

use moviematch::profile::Settings;
use moviematch::together::{group_list, GroupEntry};
use moviematch::{ListRequest, Profile, Visitor};
use yew::prelude::*;

use super::movie_link;
use crate::by_address::ByAddress;
use crate::format::{count, predicted_stars, year_and_genres};
use crate::hooks::{fit_failed, Personal};
use crate::services::streams;
use crate::state::{Intent, ModelRef};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub personal: ByAddress<Personal>,
    pub friends: Vec<Rc<Profile>>,
    /// Why the last link pasted could not be read.
    pub error: Option<String>,
    pub settings: Settings,
    pub on_act: Callback<Intent>,
}

/// The members' names, in the order of the group: the visitor first.
fn member_name(m: usize) -> String {
    if m == 0 {
        "You".to_string()
    } else {
        format!("Friend {m}")
    }
}

#[function_component(Together)]
pub fn together(props: &Props) -> Html {
    let input = use_node_ref();
    let list = use_memo(
        (
            props.model.clone(),
            props.personal.clone(),
            props.friends.clone(),
            props.settings.clone(),
        ),
        |(model, personal, friends, settings)| {
            if friends.is_empty() {
                return Ok(Vec::new());
            }
            let visitors =
                moviematch::together::visitors(model, friends.iter().map(|p| &**p), settings);
            let members: Vec<&Visitor> = std::iter::once(&personal.visitor)
                .chain(&visitors)
                .collect();
            group_list(model, &members, &ListRequest::new(settings)).map_err(|e| fit_failed(&e))
        },
    );
    let onsubmit = {
        let (input, on_act) = (input.clone(), props.on_act.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<web_sys::HtmlInputElement>() {
                let link = field.value();
                if !link.trim().is_empty() {
                    field.set_value("");
                    let on_act = on_act.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let read = streams::decode_share(&link).await;
                        on_act.emit(Intent::AddFriend(read.map_err(|e| e.to_string())));
                    });
                }
            }
        })
    };
    let members = std::iter::once(props.personal.rated.len())
        .chain(props.friends.iter().map(|p| p.ratings().len()))
        .enumerate()
        .map(|(m, n)| {
            let remove = (m > 0).then(|| {
                let onclick = props.on_act.reform(move |_: MouseEvent| Intent::RemoveFriend(m - 1));
                html! {
                    <button type="button" class="link-btn" {onclick} data-testid="together-remove"
                            aria-label={format!("Remove {} from the group", member_name(m))}>{ "remove" }</button>
                }
            });
            html! {
                <li class="member"><strong>{ member_name(m) }</strong>{ format!(" · {}", count(n, "rating", "ratings")) }{ " " }{ for remove }</li>
            }
        });
    let body = match &*list {
        Err(why) => html! { <p class="hint">{ why.clone() }</p> },
        Ok(list) if list.is_empty() => html! {
            <p class="hint">{ "Add a friend’s share link (they make one with “Share my ratings”) to see the films you would all like." }</p>
        },
        Ok(list) => html! {
            <ol class="together-list">{ for list.iter().enumerate().map(|(n, g)| row(&props.model, n + 1, g)) }</ol>
        },
    };
    html! {
        <section class="card together" data-testid="together" aria-labelledby="together-h">
            <h2 id="together-h">{ "Watch together" }</h2>
            <p class="sub">{ "One list for the group: each film is ranked by the lowest predicted rating among you, so nobody sits through a film they would not like. Your friends’ ratings stay in this tab: they are never stored." }</p>
            <form class="together-form" {onsubmit}>
                <input ref={input} type="url" data-testid="together-add" aria-label="A friend’s share link"
                       placeholder="Paste a friend’s share link" autocomplete="off" />
                <button type="submit" class="btn small">{ "Add" }</button>
            </form>
            if let Some(e) = &props.error {
                <p class="error-text" role="alert" data-testid="together-error">{ e.clone() }</p>
            }
            <ul class="members" aria-label="The group">{ for members }</ul>
            { body }
        </section>
    }
}

/// One film of the group's list: the group's score (its least happy member's prediction) and
/// each member's own.
fn row(model: &ModelRef, rank: usize, g: &GroupEntry) -> Html {
    let i = g.entry.rec.item;
    let (group, lo, hi) = predicted_stars(model, g.entry.rec.mean, g.entry.rec.interval80);
    let preds = g.joint.members.iter().enumerate().map(|(m, r)| {
        let (mean, lo, hi) = predicted_stars(model, r.mean, r.interval80);
        html! {
            <span class="member-pred" data-testid="together-pred" title={format!("80% interval {lo}–{hi}")}>
                { member_name(m) }{ " " }<strong>{ mean }</strong>{ "★" }
            </span>
        }
    });
    html! {
        <li class="together-item" data-testid="together-item">
            <span class="rank" aria-hidden="true">{ rank }</span>
            <div class="movie">
                <span class="title">{ movie_link(model, i) }</span>
                <span class="meta">{ year_and_genres(model, i) }</span>
                <span class="member-preds">{ for preds }</span>
            </div>
            <span class="pred" title={format!("The group’s score: the lowest predicted rating among you (80% interval {lo}–{hi})")}>
                <strong>{ group }</strong>{ "★" }
            </span>
        </li>
    }
}
