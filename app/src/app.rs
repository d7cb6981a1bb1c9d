//! The root component: owns the state (`use_reducer`), wires the effect hooks, and picks the
//! view for the load stage. Timestamps are taken here, in callbacks, so the reducer stays pure.

use yew::prelude::*;

use crate::components::{
    error_box, footer, header, loading, notices, Catalogue, Partial, SharedView, Workspace,
};
use crate::hooks::{use_model_loader, use_profile_storage};
use crate::services::{dom, streams};
use crate::state::{movie_in_fragment, Intent, Load, Msg, Screen, State, Tail};

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(State::default);
    use_model_loader(state.dispatcher(), state.attempt, state.tail_attempt);
    use_profile_storage(&state);

    // What the fragment names, on load and whenever it changes: a share link (also one pasted
    // into the address bar of the open page) or a movie's own view (`#movie=<movieId>`, pushed
    // by a click on a title, popped by Back). Decoding errors are typed and shown, never panics.
    {
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            let open = move |in_app: bool| {
                let hash = dom::fragment();
                if let Some(movie_id) = movie_in_fragment(&hash) {
                    return d.dispatch(Msg::OpenMovie { movie_id, in_app });
                }
                d.dispatch(Msg::CloseMovie);
                if !hash.contains(moviematch::share::FRAGMENT_KEY) {
                    return;
                }
                // A long link is deflated: the browser inflates it (asynchronously).
                let d = d.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match streams::decode_share(&hash).await {
                        Ok(ratings) => d.dispatch(Msg::OpenShared {
                            ratings,
                            at: now_ms(),
                        }),
                        Err(e) => d.dispatch(Msg::ShareLinkBad(e.to_string())),
                    }
                });
            };
            open(false);
            let listener = dom::on_hash_change(move || open(true));
            move || drop(listener)
        });
    }
    // Closing a movie's view: back in history when the page pushed it (so Back and Close agree),
    // otherwise the fragment is dropped.
    let on_close_movie = {
        let d = state.dispatcher();
        let in_app = state.movie.is_some_and(|m| m.in_app);
        Callback::from(move |()| {
            if in_app {
                dom::history_back();
            } else {
                dom::clear_fragment();
                d.dispatch(Msg::CloseMovie);
            }
        })
    };

    let ready = matches!(state.load, Load::Ready(_));
    use_effect_with(ready, |&ready| {
        if ready {
            dom::mark_ready();
        }
    });
    let whole = ready && state.tail == Tail::Complete;
    use_effect_with(whole, |&whole| {
        // Only once the whole model is here: the worker's precaching then finds both parts in
        // the HTTP cache instead of downloading the tail a second time beside the page.
        if whole {
            crate::services::offline::register();
        }
    });

    // What the components send up, as messages to the reducer (an intent stamped with the time).
    let send = state.dispatcher().to_callback();
    let on_act = send.reform(|intent: Intent| intent.at(now_ms()));
    let on_query = send.reform(Msg::SetQuery);
    let on_retry = send.reform(|()| Msg::Retry);
    let on_dismiss = send.reform(Msg::Dismiss);
    let on_start_fresh = send.reform(|()| Msg::StartFresh);
    let on_save_again = send.reform(|()| Msg::SaveAgain);
    let on_ask_replace = send.reform(Msg::AskReplace);
    // Leaving the shared view (whichever way) also drops the link from the address bar, so a
    // reload shows the visitor's own profile.
    let leave = |make: fn(i64) -> Msg| {
        let send = send.clone();
        Callback::from(move |()| {
            dom::clear_fragment();
            send.emit(make(now_ms()));
        })
    };
    let on_merge = leave(|at| Msg::MergeShared { at });
    let on_replace = leave(|at| Msg::ReplaceShared { at });
    let on_back = leave(|_| Msg::LeaveShared);

    let (model, body) = match &state.load {
        Load::Fetching { received, total } => (
            None,
            html! { { loading(&crate::components::LoadingProps {
                received: *received,
                total: *total,
                decoding: false,
            }) } },
        ),
        Load::Decoding => (
            None,
            html! { { loading(&crate::components::LoadingProps {
                received: 0,
                total: None::<u64>,
                decoding: true,
            }) } },
        ),
        Load::Failed(msg) => (None, error_box(msg, &on_retry)),
        Load::Ready(model) if let Some(view) = &state.shared => (
            Some(model.clone()),
            html! {
                <SharedView key={view.id} model={model.clone()} view={view.clone()} mine={state.profile.clone()}
                            held={state.held.is_some()} {on_merge} {on_ask_replace} {on_replace} {on_back} />
            },
        ),
        Load::Ready(model) => (
            Some(model.clone()),
            html! {
                <Workspace model={model.clone()} profile={state.profile.clone()} rev={state.rev}
                           held={state.held.clone()}
                           screen={state.screen.unwrap_or(Screen::Search)} back={state.back}
                           pairs_only={state.pairs_only} import={state.import.clone()}
                           query={state.query.clone()} movie={state.movie.map(|m| m.movie_id)}
                           friends={state.friends.clone()} friend_error={state.friend_error.clone()}
                           {on_close_movie} {on_query} {on_act} />
            },
        ),
    };
    let on_retry_tail = {
        let d = state.dispatcher();
        use_callback((), move |(), _| d.dispatch(Msg::RetryTail))
    };
    let catalogue = Catalogue {
        partial: state.tail.partial_total().map(|total| Partial {
            total,
            failed: match &state.tail {
                Tail::Failed { message, .. } => Some(message.clone()),
                _ => None,
            },
            on_retry: on_retry_tail.clone(),
        }),
    };
    let top = header(model.as_ref(), state.tail.partial_total());
    html! {
        <ContextProvider<Catalogue> context={catalogue}>
            { top }
            { notices(&crate::components::NoticesProps {
                notices: state.notices.clone(),
                on_dismiss,
                on_start_fresh,
                on_save_again,
            }) }
            { body }
            { footer() }
        </ContextProvider<Catalogue>>
    }
}
