//! The visitor's ratings, most recent first, each changeable and removable.

use std::rc::Rc;

use moviematch::{Profile, StableId};
use yew::prelude::*;

use super::{rated_item, KnowMe, RatedProps, ShareBox};
use crate::by_address::ByAddress;
use crate::hooks::Personal;
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub personal: ByAddress<Personal>,
    /// The visitor's profile, for the share link.
    pub profile: Rc<Profile>,
    pub on_rate: Callback<(StableId, f32)>,
    pub on_unrate: Callback<StableId>,
    /// The rest of the catalogue is still loading.
    pub loading: bool,
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn my_ratings(props: &Props) -> Html {
    let rated = &props.personal.rated;
    let unknown = rated.iter().filter(|r| r.item.is_none()).count();
    let list = if rated.is_empty() {
        html! { <p class="hint">{ "Nothing rated yet. The more you rate, the more personal the list gets." }</p> }
    } else {
        let items = rated.iter().map(|r| {
            rated_item(&RatedProps {
                model: props.model.clone(),
                entry: r.clone(),
                loading: props.loading,
                on_rate: props.on_rate.clone(),
                on_unrate: props.on_unrate.clone(),
            })
        });
        html! { <ul class="rated">{ for items }</ul> }
    };
    let loading = props.loading;
    let note = (unknown > 0).then(|| html! {
        <p class="hint">{ if loading { format!(
            "{unknown} of your ratings are for movies of the rest of the catalogue: they count once it has loaded."
        ) } else { format!(
            "{unknown} of your ratings are for movies this catalogue does not have. They are kept, but not used."
        ) } }</p>
    });
    html! {
        <section class="card my-ratings" data-testid="my-ratings" aria-labelledby="mine-h">
            <h2 id="mine-h">{ "My ratings" }<span class="count">{ rated.len() }</span></h2>
            { list }
            { for note }
            if !rated.is_empty() {
                <KnowMe model={props.model.clone()} personal={props.personal.clone()} />
                <ShareBox profile={props.profile.clone()} />
            }
        </section>
    }
}
