//! The visitor's ratings, most recent first, each changeable and removable.

use std::rc::Rc;

use moviematch::{Profile, StableId};
use yew::prelude::*;

use super::{Catalogue, RatedItem, ShareBox};
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
}

#[function_component(MyRatings)]
pub fn my_ratings(props: &Props) -> Html {
    let rated = &props.personal.rated;
    let unknown = rated.iter().filter(|r| r.item.is_none()).count();
    let list = if rated.is_empty() {
        html! { <p class="hint">{ "Nothing rated yet. The more you rate, the more personal the list gets." }</p> }
    } else {
        let items = rated.iter().map(|r| {
            html! {
                <RatedItem key={format!("{:?}", r.id)} model={props.model.clone()} entry={r.clone()}
                           on_rate={props.on_rate.clone()} on_unrate={props.on_unrate.clone()} />
            }
        });
        html! { <ul class="rated">{ for items }</ul> }
    };
    let loading = use_context::<Catalogue>()
        .unwrap_or_default()
        .partial
        .is_some();
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
                <ShareBox profile={props.profile.clone()} />
            }
        </section>
    }
}
