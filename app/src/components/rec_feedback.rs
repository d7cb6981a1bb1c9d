//! The reactions a visitor can have to one recommendation: like, dislike, save to the
//! watchlist, "not interested" and "seen it → rate". Each is an event in the profile, so it
//! counts as evidence (like, dislike) or changes what the list shows (hide, save), at once.

use moviematch::profile::Action;
use yew::prelude::*;

use super::{icon, Glyph};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The movie's title, for the buttons' accessible names.
    pub title: AttrValue,
    /// Like (true) or dislike (false) in force.
    pub liked: Option<bool>,
    pub saved: bool,
    /// Whether the "seen it" rating row is open.
    pub rating_open: bool,
    pub on_feedback: Callback<Action>,
    pub on_seen: Callback<()>,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn rec_feedback(props: &Props) -> Html {
    let send = |a: Action| props.on_feedback.reform(move |_: MouseEvent| a);
    let liked = props.liked == Some(true);
    // Pressing a pressed toggle withdraws it.
    let like = send(if liked { Action::Unlike } else { Action::Like });
    let save = send(if props.saved {
        Action::Unsave
    } else {
        Action::Save
    });
    let t = &props.title;
    let pressed = |b: bool| if b { "true" } else { "false" };
    let seen = props.on_seen.reform(|_: MouseEvent| ());
    html! {
        <div class="feedback" role="group" aria-label={format!("Your reaction to {t}")}>
            <button type="button" class={classes!("fb", liked.then_some("on"))} onclick={like}
                    aria-pressed={pressed(liked)} data-testid="fb-like" title="I like the look of this: more like it"
                    aria-label={format!("Like {t}")}>
                { icon(Glyph::ThumbUp) }<span class="fb-label">{ if liked { "Liked" } else { "Like" } }</span>
            </button>
            <button type="button" class="fb" onclick={send(Action::Dislike)} data-testid="fb-dislike"
                    title="Not for me: fewer like it (removes it from the list)" aria-label={format!("Dislike {t}")}>
                { icon(Glyph::ThumbDown) }<span class="fb-label">{ "Dislike" }</span>
            </button>
            <button type="button" class={classes!("fb", props.saved.then_some("on"))} onclick={save}
                    aria-pressed={pressed(props.saved)} data-testid="fb-save" title="Keep it on your watchlist"
                    aria-label={format!("Save {t} to watchlist")}>
                { icon(Glyph::Bookmark) }<span class="fb-label">{ if props.saved { "Saved" } else { "Save" } }</span>
            </button>
            <button type="button" class={classes!("fb", props.rating_open.then_some("on"))} onclick={seen}
                    aria-expanded={pressed(props.rating_open)} data-testid="fb-seen" title="Seen it: rate it"
                    aria-label={format!("Seen {t}: rate it")}>
                { icon(Glyph::Check) }<span class="fb-label">{ "Seen it" }</span>
            </button>
            <button type="button" class="fb" onclick={send(Action::Hide)} data-testid="fb-hide"
                    title="Not interested: hide it" aria-label={format!("Not interested in {t}")}>
                { icon(Glyph::Cross) }<span class="fb-label">{ "Hide" }</span>
            </button>
        </div>
    }
}
