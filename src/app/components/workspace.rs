//! The ready page: search and "My ratings" on the left, recommendations on the right.
//! It owns the memoised posterior and ranking (see `hooks::use_personal`).

use std::rc::Rc;

use moviematch::{Profile, StableId};
use yew::prelude::*;

use super::{MyRatings, Recommendations, SearchPanel};
use crate::hooks::{use_personal, use_recommendations};
use crate::shared::Shared;
use crate::state::ModelRef;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub profile: Rc<Profile>,
    pub genre: u32,
    pub query: AttrValue,
    pub on_query: Callback<String>,
    pub on_genre: Callback<u32>,
    pub on_rate: Callback<(StableId, f32)>,
    pub on_unrate: Callback<StableId>,
}

#[function_component(Workspace)]
pub fn workspace(props: &Props) -> Html {
    let personal = use_personal(&props.model, &props.profile);
    let recs = use_recommendations(&props.model, &props.profile, props.genre, &personal);
    let n_used = personal.n_used;
    let personal = Shared(personal);
    html! {
        <main class="workspace">
            <div class="col left">
                <SearchPanel model={props.model.clone()} personal={personal.clone()}
                             query={props.query.clone()} on_query={props.on_query.clone()}
                             on_rate={props.on_rate.clone()} />
                <MyRatings model={props.model.clone()} {personal}
                           on_rate={props.on_rate.clone()} on_unrate={props.on_unrate.clone()} />
            </div>
            <div class="col right">
                <Recommendations model={props.model.clone()} recs={Shared(recs)} {n_used}
                                 genre={props.genre} on_genre={props.on_genre.clone()} />
            </div>
        </main>
    }
}
