//! The root component: owns the state (`use_reducer`), wires the effect hooks, and picks the
//! view for the load stage. Timestamps are taken here, in callbacks, so the reducer stays pure.

use yew::prelude::*;

use crate::components::{ErrorBox, Footer, Header, Loading, Notices, Workspace};
use crate::hooks::{use_model_loader, use_profile_storage};
use crate::services::dom;
use crate::state::{Action, Intent, Load, Screen, State};

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);
    use_model_loader(state.dispatcher(), state.attempt);
    use_profile_storage(&state);

    let ready = matches!(state.load, Load::Ready(_));
    use_effect_with(ready, |&ready| {
        if ready {
            dom::mark_ready();
        }
    });

    let d = state.dispatcher();
    let on_act = {
        let d = d.clone();
        Callback::from(move |intent: Intent| d.dispatch(intent.at(now_ms())))
    };
    let on_query = {
        let d = d.clone();
        Callback::from(move |q: String| d.dispatch(Action::SetQuery(q)))
    };
    let on_retry = {
        let d = d.clone();
        Callback::from(move |()| d.dispatch(Action::Retry))
    };
    let on_dismiss = {
        let d = d.clone();
        Callback::from(move |k| d.dispatch(Action::Dismiss(k)))
    };
    let on_start_fresh = Callback::from(move |()| d.dispatch(Action::StartFresh));

    let (model, body) = match &state.load {
        Load::Fetching { received, total } => (
            None,
            html! { <Loading received={*received} total={*total} decoding=false /> },
        ),
        Load::Decoding => (
            None,
            html! { <Loading received=0 total={None::<u64>} decoding=true /> },
        ),
        Load::Failed(msg) => (
            None,
            html! { <ErrorBox message={msg.clone()} {on_retry} /> },
        ),
        Load::Ready(model) => (
            Some(model.clone()),
            html! {
                <Workspace model={model.clone()} profile={state.profile.clone()} rev={state.rev}
                           screen={state.screen.unwrap_or(Screen::Search)} back={state.back}
                           pairs_only={state.pairs_only}
                           query={state.query.clone()} {on_query} {on_act} />
            },
        ),
    };
    html! {
        <>
            <Header {model} />
            <Notices notices={state.notices.clone()} {on_dismiss} {on_start_fresh} />
            { body }
            <Footer />
        </>
    }
}
