//! A movie's own view, opened by a click on its title anywhere (`#movie=<movieId>`, so Back
//! closes it and the address can be shared): year, genres, IMDb's rating and vote count, the
//! visitor's prediction with every reason, their rating, and "More like this" — the film's
//! nearest neighbours re-ranked for the visitor (the engine's `Visitor::similar`).
//!
//! A modal dialog over the page: Esc, the close button or a click beside it closes it, and the
//! keyboard focus goes back to the title that opened it.

use moviematch::profile::Settings;
use moviematch::{Model, StableId};
use yew::prelude::*;

use super::rec_item::{imdb_link, imdb_score};
use super::{prediction_view, star_rating, Catalogue};
use crate::by_address::ByAddress;
use crate::format::{predicted_stars, votes, year_and_genres};
use crate::hooks::Personal;
use crate::services::dom;
use crate::state::{ModelRef, MOVIE_FRAGMENT};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub personal: ByAddress<Personal>,
    pub settings: Settings,
    /// The MovieLens id the fragment names.
    pub movie_id: u32,
    pub on_rate: Callback<(StableId, f32)>,
    pub on_close: Callback<()>,
}

/// A movie's title as a link to its own view. A real link (`href="#movie=…"`): it opens with
/// the keyboard, in a new tab, and its address can be copied.
pub fn movie_link(model: &Model, item: usize) -> Html {
    let movie = model.movie(item);
    // Following a fragment link takes the focus from it (Chrome): the view is told which
    // element to give the focus back to on closing.
    let onclick = Callback::from(|e: MouseEvent| dom::remember_opener(&e));
    html! {
        <a class="title-link" href={movie_href(model, item)} {onclick} data-testid="movie-link">{ &movie.title }</a>
    }
}

fn movie_href(model: &Model, item: usize) -> String {
    format!("#{MOVIE_FRAGMENT}{}", model.movie(item).movie_id)
}

#[function_component(MovieView)]
pub fn movie_view(props: &Props) -> Html {
    let similar_open = use_state(|| false);
    let heading = use_node_ref();
    // On opening: remember what had the focus (the title clicked), move it to the heading, and
    // listen for Esc; on closing, give the focus back.
    {
        let (heading, on_close) = (heading.clone(), props.on_close.clone());
        use_effect_with((), move |_| {
            let opener = dom::take_opener().or_else(dom::focused);
            if let Some(h) = heading.cast::<web_sys::HtmlElement>() {
                let _ = h.focus();
            }
            let keys = dom::on_key_down(move |key| {
                if key == "Escape" {
                    on_close.emit(());
                }
            });
            move || {
                drop(keys);
                if let Some(el) = opener.filter(|el| el.is_connected()) {
                    let _ = el.focus();
                }
            }
        });
    }
    // Each film's view starts with its neighbours folded.
    {
        let similar_open = similar_open.clone();
        use_effect_with(props.movie_id, move |_| similar_open.set(false));
    }
    // A film of the catalogue's tail is not known before the tail arrives.
    let partial = use_context::<Catalogue>().is_some_and(|c| c.partial.is_some());
    let model = &props.model;
    let close = props.on_close.reform(|_: MouseEvent| ());
    let item = model.by_movielens_id(props.movie_id);
    let body = match item {
        Some(item) => details(props, item, &similar_open),
        None if partial => html! {
            <p class="hint">{ "This film is in the part of the catalogue that is still loading (or could not be loaded)." }</p>
        },
        None => html! { <p class="hint">{ "No film in the catalogue has this id." }</p> },
    };
    let title = item.map_or_else(
        || "Unknown film".to_string(),
        |i| model.movie(i).title.clone(),
    );
    html! {
        <div class="modal" onclick={close.clone()}>
            <section class="card movie-view" role="dialog" aria-modal="true" aria-labelledby="movie-view-title"
                     data-testid="movie-view" onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <header class="movie-view-head">
                    <h2 id="movie-view-title" tabindex="-1" ref={heading}>{ title }</h2>
                    <button type="button" class="btn small ghost" onclick={close} aria-label="Close"
                            data-testid="movie-view-close">{ "✕" }</button>
                </header>
                { body }
            </section>
        </div>
    }
}

/// Everything the view says about catalogue film `item`.
fn details(props: &Props, item: usize, similar_open: &UseStateHandle<bool>) -> Html {
    let model = &props.model;
    let movie = model.movie(item);
    let personal = &props.personal;
    let prediction = personal.prediction(model, item, &props.settings);
    let current = personal.by_item.get(&item).cloned();
    let id = crate::format::rating_id(model, item, current.as_ref());
    let on_rate = props.on_rate.reform(move |v: f32| (id.clone(), v));
    let reasons = prediction.as_ref().map(|p| {
        p.entry
            .reasons
            .iter()
            .skip(1)
            .map(|r| html! { <li>{ r.describe(model) }</li> })
            .collect::<Html>()
    });
    let toggle = {
        let open = similar_open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let similar = (**similar_open).then(|| similar_list(props, item));
    html! {
        <>
            <p class="meta">{ year_and_genres(model, item) }</p>
            <p class="scores">{ for imdb_score(movie) }{ " " }{ for imdb_link(movie) }</p>
            if let Some(p) = &prediction {
                { prediction_view(model, p) }
                <ul class="reasons">{ for reasons }</ul>
            }
            <div class="movie-view-rate">
                <span class="hint-inline">{ "Your rating:" }</span>
                { star_rating(current.map(|c| c.1), &on_rate, &movie.title) }
            </div>
            <button type="button" class="btn small" onclick={toggle} aria-expanded={similar_open.to_string()}
                    data-testid="more-like-this">
                { if **similar_open { "Hide similar films" } else { "More like this" } }
            </button>
            { for similar }
        </>
    }
}

/// "More like this": the film's neighbours for this visitor, each a link to its own view.
/// Following one replaces the history entry, so Back (or Esc) still closes the view at once.
fn similar_list(props: &Props, item: usize) -> Html {
    let model = &props.model;
    let request = moviematch::ListRequest::new(&props.settings);
    let Ok(similar) = props.personal.visitor.similar(model, item, &request) else {
        return html! { <p class="hint">{ "Your answers could not be fitted, so nothing can be re-ranked for you." }</p> };
    };
    let note = similar.from_content_prior.then(|| {
        html! {
            <p class="hint" data-testid="similar-from-content">
                { "Nobody in the ratings data has rated this film yet: its neighbours come from its genres, year and IMDb figures." }
            </p>
        }
    });
    let items = similar.entries.iter().map(|e| {
        let i = e.rec.item;
        let href = movie_href(model, i);
        let go = Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            dom::replace_fragment(href.trim_start_matches('#'));
        });
        let (mean, lo, hi) = predicted_stars(model, e.rec.mean, e.rec.interval80);
        let movie = model.movie(i);
        html! {
            <li class="similar-item" data-testid="similar-item">
                <a class="title-link" href={movie_href(model, i)} onclick={go}>{ &movie.title }</a>
                <span class="meta">{ year_and_genres(model, i) }</span>
                <span class="pred" title={format!("Predicted for you {mean}★, 80% interval {lo}–{hi}")}>
                    <strong>{ mean }</strong>{ "★" }
                </span>
                <span class="votes" data-testid="imdb-votes">{ votes(movie.imdb_votes) }</span>
            </li>
        }
    });
    html! {
        <>
            { for note }
            <ol class="similar" aria-label="More like this">{ for items }</ol>
            if similar.entries.is_empty() {
                <p class="hint">{ "Every close neighbour is already rated, hidden or filtered out." }</p>
            }
        </>
    }
}
