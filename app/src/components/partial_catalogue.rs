//! While only the head of the catalogue is loaded: what the list is made of ("1,500 of 62,709
//! films"), how many of the visitor's answers wait for the rest, and Retry when the rest could
//! not be loaded. The loading state reaches the components that word things differently
//! meanwhile (search, My ratings) through the [`Catalogue`] context.

use moviematch::{Model, Profile};
use yew::prelude::*;

use crate::state::notices;

/// How much of the catalogue is loaded, for every component (a context, so the list, search and
/// My ratings do not each need a prop threaded through). Always provided, so the page's tree
/// keeps its shape (and focus) when the tail arrives.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Catalogue {
    /// `None` once the whole catalogue is loaded.
    pub partial: Option<Partial>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Partial {
    /// Films in the whole catalogue.
    pub total: usize,
    /// Why the rest could not be loaded (it is not loading any more).
    pub failed: Option<String>,
    pub on_retry: Callback<()>,
}

/// The visitor's answers (ratings, comparisons, likes, hidden, saved, "haven't seen") about
/// films the model does not hold: kept in the profile, used once the rest has loaded.
pub fn answers_waiting(model: &Model, profile: &Profile) -> usize {
    let missing = |id| model.resolve(id).is_none();
    profile
        .ratings()
        .iter()
        .filter(|r| missing(&r.item))
        .count()
        + profile
            .comparisons()
            .iter()
            .filter(|c| missing(&c.a) || missing(&c.b))
            .count()
        + profile.likes().iter().filter(|(id, _)| missing(id)).count()
        + [profile.hidden(), profile.saved(), profile.unseen()]
            .iter()
            .flatten()
            .filter(|id| missing(id))
            .count()
}

/// What the list is made from while only the head is loaded (`partial`), and the tail's Retry;
/// nothing once the whole catalogue is here. A view function: it keeps nothing between renders.
pub fn partial_catalogue(model: &Model, profile: &Profile, partial: Option<Partial>) -> Html {
    let Some(partial) = partial else {
        return html! {};
    };
    let waiting = answers_waiting(model, profile);
    let text = notices::partial_catalogue(
        model.len(),
        partial.total,
        waiting,
        partial.failed.as_deref(),
    );
    let retry = partial.on_retry.reform(|_: MouseEvent| ());
    html! {
        <p class={classes!("partial", partial.failed.is_some().then_some("failed"))}
           data-testid="partial-catalogue" role="status">
            { text }
            if partial.failed.is_some() {
                { " " }
                <button type="button" class="link-btn" data-testid="tail-retry" onclick={retry}>{ "Retry" }</button>
            }
        </p>
    }
}
