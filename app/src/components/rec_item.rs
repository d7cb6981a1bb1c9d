//! One recommendation: the movie, its predicted rating for this visitor with uncertainty,
//! IMDb's rating and a link to its IMDb page (a plain link: nothing is fetched unless the
//! visitor clicks), the reasons, and the feedback buttons.

use moviematch::explain::Reason;
use moviematch::profile::Action;
use moviematch::{Recommendation, StableId};
use yew::prelude::*;

use super::{movie_link, rec_feedback, star_rating};
use crate::format::{imdb_url, predicted_stars, votes, year_and_genres};
use crate::state::{Intent, ModelRef};

#[derive(PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub rank: usize,
    pub rec: Recommendation,
    /// Why it is here, strongest first (computed by the engine).
    pub reasons: Vec<Reason>,
    /// Like (true) or dislike (false) in force.
    pub liked: Option<bool>,
    pub saved: bool,
    pub on_act: Callback<Intent>,
    pub on_rate: Callback<(StableId, f32)>,
    pub on_compare: Callback<usize>,
    /// Shown for a shared profile: no feedback or rating buttons.
    pub readonly: bool,
    /// Whether the "seen it" rating row is open (one at a time, kept by the page).
    pub rating_open: bool,
    /// "Seen it" pressed: open or close that row.
    pub on_seen: Callback<usize>,
}

/// The reason with its first letter capitalised. Reasons start with an English word, so ASCII
/// case is enough (and keeps Unicode's upper-case tables out of the wasm).
fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// The engine words reasons for the visitor ("because you liked …"); a shared profile's list
/// speaks of its owner instead.
fn whose(reason: String, shared: bool) -> String {
    if shared {
        reason
            .replace("because you ", "because they ")
            .replace("matches your taste", "matches their taste")
            .replace("you might love", "they might love")
    } else {
        reason
    }
}

/// A view function, not a component: the open "seen it" row is the page's state.
pub fn rec_item(props: &Props) -> Html {
    let i = props.rec.item;
    let movie = props.model.movie(i);
    let (mean, lo, hi) = predicted_stars(&props.model, props.rec.mean, props.rec.interval80);
    let whom = if props.readonly {
        "this profile"
    } else {
        "you"
    };
    let explain = format!(
        "Predicted rating for {whom}: {mean} out of 5 stars; 8 times out of 10 your rating would fall between {lo} and {hi}"
    );
    let explain = if props.readonly {
        explain.replace("your rating", "its owner’s rating")
    } else {
        explain
    };
    let imdb = imdb_score(movie);
    let link = imdb_link(movie);
    let rating_open = props.rating_open;
    let id = props.model.stable_id(i);
    let on_feedback = {
        let id = id.clone();
        props
            .on_act
            .reform(move |a: Action| Intent::Feedback(id.clone(), a))
    };
    let on_seen = props.on_seen.reform(move |()| i);
    let rate_row = rating_open.then(|| {
        let on_rate = props.on_rate.reform(move |v: f32| (id.clone(), v));
        let compare = props.on_compare.reform(move |_: MouseEvent| i);
        html! {
            <div class="seen-rate" data-testid="seen-rate">
                <span class="hint-inline">{ "Your rating:" }</span>
                { star_rating(None::<f32>, &on_rate, &movie.title) }
                <button type="button" class="link-btn" onclick={compare} data-testid="compare-it">
                    { "Not sure? Compare it" }
                </button>
            </div>
        }
    });
    html! {
        <li key={movie.movie_id} class="rec" data-testid="rec-item">
            <span class="rank" aria-hidden="true">{ props.rank }</span>
            <div class="movie">
                <span class="title" data-testid="rec-title">
                    if props.readonly { { &movie.title } } else { { movie_link(&props.model, i) } }
                </span>
                <span class="meta">{ year_and_genres(&props.model, i) }</span>
                if !props.reasons.is_empty() {
                    <span class="why" data-testid="rec-reasons">{
                        capitalise(&props.reasons.iter().map(|r| whose(r.describe(&props.model), props.readonly)).collect::<Vec<_>>().join(" · "))
                    }</span>
                }
            </div>
            <div class="scores">
                <span class="pred" title={explain.clone()} aria-label={explain}>
                    <strong>{ mean }</strong>{ " ★ " }<span class="sd" data-testid="rec-interval">{ format!("{lo}–{hi}") }</span>
                </span>
                { for imdb }
                { for link }
            </div>
            if !props.readonly {
                <div class="rec-actions">
                    { rec_feedback(&super::rec_feedback::Props {
                        title: movie.title.clone().into(),
                        liked: props.liked,
                        saved: props.saved,
                        rating_open,
                        on_feedback,
                        on_seen,
                    }) }
                    { for rate_row }
                </div>
            }
        </li>
    }
}

/// The movie's IMDb average and how many voted, "IMDb 8.7/10" over "2.1M votes" (none when the
/// catalogue has no IMDb rating).
pub fn imdb_score(movie: &moviematch::Movie) -> Option<Html> {
    movie.imdb_rating.map(|r| {
        html! {
            <span class="imdb" title="Average rating on IMDb">
                { "IMDb " }<strong>{ format!("{r:.1}") }</strong>{ "/10" }
                <span class="votes" data-testid="imdb-votes">{ votes(movie.imdb_votes) }</span>
            </span>
        }
    })
}

/// A link to the movie's IMDb page in a new tab. rel: the IMDb page gets neither a handle on
/// this window nor where the visitor came from.
pub fn imdb_link(movie: &moviematch::Movie) -> Option<Html> {
    movie.tconst().map(|t| {
        html! {
            <a class="imdb-link" href={imdb_url(&t)} target="_blank" rel="noopener noreferrer"
               data-testid="imdb-link" title={format!("{} on IMDb (opens a new tab)", movie.title)}>
                { "IMDb page ↗" }
            </a>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A shared profile's list speaks of its owner, "exploring" included.
    #[test]
    fn shared_reasons_speak_of_the_owner() {
        let exploring = moviematch::explain::EXPLORING.to_string();
        assert_eq!(whose(exploring.clone(), false), exploring);
        let theirs = whose(exploring, true);
        assert!(theirs.contains("they might love"), "{theirs}");
        assert!(!theirs.contains("you"), "{theirs}");
        assert_eq!(
            whose("because you liked Heat (5★)".into(), true),
            "because they liked Heat (5★)"
        );
    }
}
