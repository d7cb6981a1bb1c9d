//! The watchlist: every movie the visitor saved from the recommendations, with the predicted
//! rating and 80% interval a recommendation row would show (from the current posterior, so it
//! follows every answer), the best predicted first. Each can be rated once seen (which also
//! takes it off the watchlist) or removed. Saved entries this catalogue does not know are
//! listed by their id or title, without a prediction.

use moviematch::profile::Action;
use moviematch::watchlist::WatchEntry;
use moviematch::StableId;
use yew::prelude::*;

use super::rec_item::{imdb_link, imdb_score};
use super::{export_links, icon, movie_link, star_rating, Glyph};
use crate::by_address::ByAddress;
use crate::format::{describe_unknown, id_key, predicted_stars, rating_id, year_and_genres};
use crate::hooks::Personal;
use crate::state::{Intent, ModelRef};

/// The empty watchlist's text.
pub const EMPTY: &str = "Save movies from your recommendations to see them here.";

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub personal: ByAddress<Personal>,
    pub on_act: Callback<Intent>,
    /// The film whose "seen it" rating row is open, if any (the page keeps it).
    pub seen_open: Option<usize>,
    pub on_seen: Callback<usize>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn watchlist(props: &Props) -> Html {
    let list = &props.personal.watchlist;
    let body = if list.is_empty() {
        html! { <p class="hint" data-testid="watchlist-empty">{ EMPTY }</p> }
    } else {
        let items = list.iter().map(|e| {
            let open = e.item.is_some() && props.seen_open == e.item;
            watch_item(props, e, open)
        });
        let rows = list
            .iter()
            .filter_map(|e| {
                Some(moviematch::export::ExportRow {
                    item: e.item?,
                    prediction: e.prediction.map(|p| (p.mean, p.interval80)),
                })
            })
            .collect();
        html! { <><ul class="watch">{ for items }</ul>{ export_links(&props.model, rows, "watchlist") }</> }
    };
    html! {
        <section class="card watchlist" data-testid="watchlist" aria-labelledby="watch-h">
            <h2 id="watch-h">{ "Watchlist" }<span class="count" data-testid="watchlist-count">{ list.len() }</span></h2>
            if !list.is_empty() {
                <p class="sub">{ "Best first by your predicted rating (★), which follows every answer; the range beside it holds your rating 8 times out of 10." }</p>
            }
            { body }
        </section>
    }
}

/// One saved film; `rating_open`: its "seen it" row is open (the page keeps which).
fn watch_item(props: &Props, e: &WatchEntry, rating_open: bool) -> Html {
    let key = e.ids.iter().map(id_key).collect::<Vec<_>>().join(" ");
    let remove = {
        let (on_act, ids) = (props.on_act.clone(), e.ids.clone());
        Callback::from(move |_: MouseEvent| {
            for id in &ids {
                on_act.emit(Intent::Feedback(id.clone(), Action::Unsave));
            }
        })
    };
    let Some(i) = e.item else {
        let title = describe_unknown(&e.ids[0]);
        return html! {
            <li {key} class="watch-item unknown" data-testid="watch-item">
                <div class="movie">
                    <span class="title" data-testid="watch-title">{ &title }</span>
                    <span class="meta">{ "Not in this catalogue: no prediction" }</span>
                </div>
                <div class="watch-actions">
                    { remove_button(&title, remove) }
                </div>
            </li>
        };
    };
    let model = &props.model;
    let movie = model.movie(i);
    let pred = match e.prediction {
        Some(p) => {
            let (mean, lo, hi) = predicted_stars(model, p.mean, p.interval80);
            let explain = format!(
                "Predicted rating for you: {mean} out of 5 stars; 8 times out of 10 your rating would fall between {lo} and {hi}"
            );
            html! {
                <span class="pred" title={explain.clone()} aria-label={explain} data-testid="watch-pred">
                    <strong>{ mean }</strong>{ " ★ " }<span class="sd" data-testid="watch-interval">{ format!("{lo}–{hi}") }</span>
                </span>
            }
        }
        None => html! { <span class="pred" data-testid="watch-pred">{ "–" }</span> },
    };
    let imdb = imdb_score(movie);
    let link = imdb_link(movie);
    let rated = props.personal.by_item.get(&i);
    let rated_badge = rated.map(|(_, stars)| {
        html! { <span class="badge" data-testid="watch-rated">{ format!("you rated it {stars}★") }</span> }
    });
    let toggle = props.on_seen.reform(move |_: MouseEvent| i);
    // Seen it: the rating goes to "My ratings" and the movie leaves the watchlist.
    let on_rate = {
        let (on_act, ids) = (props.on_act.clone(), e.ids.clone());
        let id: StableId = rating_id(model, i, rated);
        Callback::from(move |v: f32| {
            on_act.emit(Intent::Rate(id.clone(), v));
            for id in &ids {
                on_act.emit(Intent::Feedback(id.clone(), Action::Unsave));
            }
        })
    };
    let rate_row = rating_open.then(|| {
        html! {
            <div class="seen-rate" data-testid="seen-rate">
                <span class="hint-inline">{ "Your rating:" }</span>
                { star_rating(None::<f32>, &on_rate, &movie.title) }
            </div>
        }
    });
    let t = &movie.title;
    html! {
        <li {key} class="watch-item" data-testid="watch-item">
            <div class="watch-main">
                <div class="movie">
                    <span class="title" data-testid="watch-title">{ movie_link(model, i) }</span>
                    <span class="meta">{ year_and_genres(model, i) }{ for rated_badge }</span>
                </div>
                <div class="scores">
                    { pred }
                    { for imdb }
                    { for link }
                </div>
            </div>
            <div class="watch-actions">
                <button type="button" class={classes!("fb", rating_open.then_some("on"))} onclick={toggle}
                        aria-expanded={if rating_open { "true" } else { "false" }} data-testid="watch-seen"
                        title="Seen it: rate it (it leaves the watchlist)" aria-label={format!("Seen {t}: rate it")}>
                    { icon(Glyph::Check) }<span class="fb-label">{ "Seen it → rate" }</span>
                </button>
                { remove_button(t, remove) }
            </div>
            { for rate_row }
        </li>
    }
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
fn remove_button(title: &str, onclick: Callback<MouseEvent>) -> Html {
    html! {
        <button type="button" class="fb" {onclick} data-testid="watch-remove"
                title="Take it off the watchlist" aria-label={format!("Remove {title} from the watchlist")}>
            { icon(Glyph::Cross) }<span class="fb-label">{ "Remove" }</span>
        </button>
    }
}
