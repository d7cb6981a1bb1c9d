//! The ready page: the chosen screen on the left (start, search, popular movies, questions,
//! rating by comparison, import and the visitor's data), recommendations on the right, so
//! every answer visibly changes the list. It owns the memoised posterior and ranking (see `hooks::use_personal`).

use std::rc::Rc;

use moviematch::Profile;
use yew::prelude::*;

use super::{
    ComparePanel, DataPanel, ImportPanel, ImportPreview, MyRatings, PartialCatalogue, PopularGrid,
    QuestionPanel, Recommendations, ScreenNav, SearchPanel, Watchlist, Welcome,
};
use crate::by_address::ByAddress;
use crate::hooks::{use_personal, use_recommendations};
use crate::state::{Held, Intent, ModelRef, PendingImport, Screen};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub profile: Rc<Profile>,
    /// The stored profile text this version could not read (see `state::Held`).
    #[prop_or_default]
    pub held: Option<Held>,
    /// The profile's event revision (see `State::rev`).
    pub rev: u32,
    pub screen: Screen,
    /// Where the comparison screen returns to.
    pub back: Screen,
    /// The question screen asks only "A or B?".
    pub pairs_only: bool,
    /// A file read for import, waiting for the visitor's decision (shown on the import screen).
    pub import: Option<PendingImport>,
    pub query: AttrValue,
    pub on_query: Callback<String>,
    pub on_act: Callback<Intent>,
}

#[function_component(Workspace)]
pub fn workspace(props: &Props) -> Html {
    let personal = use_personal(&props.model, &props.profile, props.rev);
    let recs = use_recommendations(&props.model, props.rev, &props.profile.settings, &personal);
    let certainty = recs.certainty;
    let personal = ByAddress(personal);
    let model = props.model.clone();
    let on_act = props.on_act.clone();
    let on_rate = on_act.reform(|(id, v)| Intent::Rate(id, v));
    let on_unrate = on_act.reform(Intent::Unrate);
    let on_compare = on_act.reform(|i| Intent::Show(Screen::Compare(i)));
    let search = html! {
        <SearchPanel model={model.clone()} personal={personal.clone()} settings={props.profile.settings.clone()}
                     query={props.query.clone()} on_query={props.on_query.clone()}
                     on_rate={on_rate.clone()} on_compare={on_compare.clone()} />
    };
    let mine = html! {
        <MyRatings model={model.clone()} personal={personal.clone()} profile={props.profile.clone()}
                   on_rate={on_rate.clone()} {on_unrate} />
    };
    let left = match props.screen {
        Screen::Start => html! {
            <>
                <Welcome on_act={on_act.clone()} />
                { search }
                if !personal.rated.is_empty() { { mine } }
            </>
        },
        Screen::Search => html! {
            <>
                { search }
                { mine }
                <DataPanel profile={props.profile.clone()} held={props.held.clone()} on_act={on_act.clone()} />
            </>
        },
        Screen::Import => html! {
            <>
                if let Some(pending) = props.import.clone() {
                    <ImportPreview key={pending.id} model={model.clone()} pending={pending.clone()}
                                   mine={props.profile.clone()} held={props.held.is_some()}
                                   on_act={on_act.clone()} />
                } else {
                    <ImportPanel on_act={on_act.clone()} />
                }
                <DataPanel profile={props.profile.clone()} held={props.held.clone()} show_import=false
                           on_act={on_act.clone()} />
            </>
        },
        Screen::Popular => html! {
            <PopularGrid model={model.clone()} personal={personal.clone()} on_rate={on_rate.clone()}
                         on_act={on_act.clone()} />
        },
        Screen::Questions => html! {
            <QuestionPanel model={model.clone()} profile={props.profile.clone()} rev={props.rev}
                           personal={personal.clone()} {certainty} pairs_only={props.pairs_only}
                           on_act={on_act.clone()} />
        },
        Screen::Watchlist => html! {
            <Watchlist model={model.clone()} personal={personal.clone()} on_act={on_act.clone()} />
        },
        Screen::Compare(item) => html! {
            // Keyed by the model too: a film's index changes when the rest of the catalogue
            // arrives, and the panel's state holds indices.
            <ComparePanel key={format!("{item}/{}", model.len())} model={model.clone()} {item} personal={personal.clone()}
                          settings={props.profile.settings.clone()}
                          back={props.back} on_act={on_act.clone()} />
        },
    };
    html! {
        <main class="workspace">
            <div class="col left">
                <ScreenNav current={props.screen} on_act={on_act.clone()} />
                { left }
            </div>
            <div class="col right">
                <PartialCatalogue model={model.clone()} profile={props.profile.clone()} />
                <Recommendations model={model} recs={ByAddress(recs)} {personal}
                                 settings={props.profile.settings.clone()} {on_rate} {on_compare}
                                 {on_act} />
            </div>
        </main>
    }
}
