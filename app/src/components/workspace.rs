//! The ready page: the chosen screen on the left (start, search, popular movies, questions,
//! rating by comparison, import and the visitor's data), recommendations on the right, so
//! every answer visibly changes the list. It owns the memoised posterior and ranking (see `hooks::use_personal`).

use std::rc::Rc;

use moviematch::Profile;
use yew::prelude::*;

use super::{
    import_preview, my_answers, my_ratings, partial_catalogue, recommendations, screen_nav,
    watchlist, welcome, Catalogue, ComparePanel, DataPanel, ImportPanel, MovieView, MyRatingsProps,
    PopularGrid, QuestionPanel, SearchPanel, Together, WatchlistProps,
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
    /// Watch together: the friends' profiles (this visit only) and why the last link failed.
    pub friends: Vec<Rc<Profile>>,
    pub friend_error: Option<String>,
    /// The movie whose own view is open (its MovieLens id), if any.
    pub movie: Option<u32>,
    pub on_close_movie: Callback<()>,
    pub on_query: Callback<String>,
    pub on_act: Callback<Intent>,
}

#[function_component(Workspace)]
pub fn workspace(props: &Props) -> Html {
    let personal = use_personal(&props.model, &props.profile, props.rev);
    let recs = use_recommendations(&props.model, props.rev, &props.profile.settings, &personal);
    let certainty = recs.certainty;
    let personal = ByAddress(personal);
    // The recommendation whose "seen it" rating row is open: one at a time.
    let seen_open = use_state(|| None::<usize>);
    let on_seen = {
        let seen_open = seen_open.clone();
        Callback::from(move |i: usize| {
            seen_open.set((*seen_open != Some(i)).then_some(i));
        })
    };
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
    // While only the catalogue's head is loaded (see `Catalogue`).
    let partial = use_context::<Catalogue>().unwrap_or_default().partial;
    let mine = my_ratings(&MyRatingsProps {
        model: model.clone(),
        personal: personal.clone(),
        profile: props.profile.clone(),
        on_rate: on_rate.clone(),
        on_unrate,
        loading: partial.is_some(),
    });
    let left = match props.screen {
        Screen::Start => html! {
            <>
                { welcome(&super::welcome::Props { on_act: on_act.clone() }) }
                { search }
                if !personal.rated.is_empty() { { mine } }
            </>
        },
        Screen::Search => html! {
            <>
                { search }
                { mine }
                { my_answers(&model, &props.profile.answers(), &on_act) }
                <DataPanel profile={props.profile.clone()} held={props.held.clone()} on_act={on_act.clone()} />
            </>
        },
        Screen::Import => html! {
            <>
                if let Some(pending) = props.import.clone() {
                    { import_preview(&super::import_preview::Props {
                        model: model.clone(),
                        pending: pending.clone(),
                        mine: props.profile.clone(),
                        held: props.held.is_some(),
                        on_act: on_act.clone(),
                    }) }
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
        Screen::Together => html! {
            <Together model={model.clone()} personal={personal.clone()} friends={props.friends.clone()}
                      error={props.friend_error.clone()} settings={props.profile.settings.clone()}
                      on_act={on_act.clone()} />
        },
        Screen::Watchlist => html! {
            { watchlist(&WatchlistProps { model: model.clone(), personal: personal.clone(), on_act: on_act.clone(), seen_open: *seen_open, on_seen: on_seen.clone() }) }
        },
        Screen::Compare(item) => html! {
            // Keyed by the model too: a film's index changes when the rest of the catalogue
            // arrives, and the panel's state holds indices.
            <ComparePanel key={format!("{item}/{}", model.len())} model={model.clone()} {item} personal={personal.clone()}
                          settings={props.profile.settings.clone()}
                          back={props.back} on_act={on_act.clone()} />
        },
    };
    let movie_view = props.movie.map(|movie_id| {
        html! {
            <MovieView model={model.clone()} personal={personal.clone()} settings={props.profile.settings.clone()}
                       {movie_id} on_rate={on_rate.clone()} on_close={props.on_close_movie.clone()} />
        }
    });
    html! {
        <main class="workspace">
            <div class="col left">
                { screen_nav(&super::screen_nav::Props {
                    current: props.screen,
                    on_act: on_act.clone(),
                }) }
                { left }
            </div>
            <div class="col right">
                { partial_catalogue(&model, &props.profile, partial) }
                { recommendations(&super::recommendations::Props {
                    model,
                    recs: ByAddress(recs),
                    personal,
                    settings: props.profile.settings.clone(),
                    on_rate,
                    on_compare,
                    on_act,
                    readonly: false,
                    seen_open: *seen_open,
                    on_seen,
                }) }
            </div>
            // Always one node here (empty when closed): a `for` would be flattened into
            // <main>'s children, and a change in their number re-creates both columns.
            { movie_view.unwrap_or_default() }
        </main>
    }
}
