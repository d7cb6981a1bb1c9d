//! Fetches and decodes the model, reporting progress through the reducer: the head first (the
//! first list needs only it), then the tail in the background, joined into the whole model.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use moviematch::{Bundle, Model, ModelBuild};
use yew::prelude::*;

use crate::by_address::ByAddress;
use crate::services::dom;
use crate::services::fetch::{fetch_bytes, fetch_gunzipped};
use crate::services::streams::gunzip;
use crate::state::{Msg, State};

/// The bundle, relative to the page so the site works from any sub-path, when index.html does
/// not name it (a build without Trunk's post-build step).
pub const MODEL_URL: &str = "model.bin";

/// The build names each part of the model by its content hash, `model-<hash>.bin`, in
/// `<meta name="moviematch-model">` (the head, or the whole model when it is not split) and
/// `<meta name="moviematch-tail">` (scripts/postbuild.mjs): like the hashed wasm and js, a page
/// can then only ever load the model it was built with, whatever the caches hold.
fn asset(meta: &str) -> Option<String> {
    dom::meta_content(meta).filter(|n| !n.is_empty() && !n.contains(['/', '\\', ':', '?', '#']))
}

/// The catalogue's film count the build wrote beside the tail's name.
fn total_films() -> Option<usize> {
    dom::meta_content("moviematch-films")?.trim().parse().ok()
}

/// Starts a download whenever `attempt` changes (once on mount, again on "Try again"), and the
/// tail's again whenever `tail_attempt` changes (its "Retry").
#[hook]
pub fn use_model_loader(dispatch: UseReducerDispatcher<State>, attempt: u32, tail_attempt: u32) {
    // The decoded head, kept for joining the tail (a retry needs it again).
    let head = use_mut_ref(|| None::<Bundle>);
    {
        let (dispatch, head) = (dispatch.clone(), head.clone());
        use_effect_with(attempt, move |_| {
            wasm_bindgen_futures::spawn_local(load(dispatch, head));
        });
    }
    use_effect_with(tail_attempt, move |&n| {
        if n > 0 {
            wasm_bindgen_futures::spawn_local(load_tail(dispatch, head));
        }
    });
}

async fn load(dispatch: UseReducerDispatcher<State>, keep: Rc<RefCell<Option<Bundle>>>) {
    let progress = {
        let dispatch = dispatch.clone();
        move |received, total| dispatch.dispatch(Msg::Progress { received, total })
    };
    let url = asset("moviematch-model").unwrap_or_else(|| MODEL_URL.to_string());
    let fail = |log: String, shown: String| {
        gloo::console::error!(log);
        dispatch.dispatch(Msg::LoadFailed(shown));
    };
    let bytes = match fetch_bytes(&url, progress).await {
        Ok(b) => b,
        Err(e) => {
            let shown = format!("The movie model could not be downloaded: {e}.");
            return fail(format!("model download failed: {e}"), shown);
        }
    };
    dispatch.dispatch(Msg::Decoding);
    // Decoding blocks the thread for a moment: let the "Preparing…" state paint first.
    yew::platform::time::sleep(Duration::from_millis(30)).await;
    let started = js_sys::Date::now();
    // The head is shipped gzipped and fetched with progress: the browser inflates it (the wasm
    // carries no inflater), then the engine decodes it.
    let bytes = if bytes.starts_with(&moviematch::bundle::gzip::GZIP_MAGIC) {
        match gunzip(&bytes).await {
            Ok(b) => b,
            Err(e) => {
                let shown = format!("The movie model file is damaged ({e}).");
                return fail(format!("model inflate failed: {e}"), shown);
            }
        }
    } else {
        bytes
    };
    let bundle = match Bundle::decode_uncompressed(&bytes) {
        Ok(b) => b,
        Err(e) => {
            let shown =
                format!("The movie model file is damaged or from an incompatible version ({e}).");
            return fail(format!("model decode failed: {e}"), shown);
        }
    };
    let split = asset("moviematch-tail").zip(total_films());
    if split.is_some() {
        *keep.borrow_mut() = Some(bundle.clone());
    }
    let model = Model::from_bundle(bundle);
    gloo::console::log!(format!(
        "model: {} movies decoded in {:.0} ms",
        model.len(),
        js_sys::Date::now() - started
    ));
    let model = ByAddress(Rc::new(model));
    match split {
        Some((_, total)) if total > model.len() => {
            dispatch.dispatch(Msg::HeadLoaded { model, total });
            load_tail(dispatch, keep).await;
        }
        _ => dispatch.dispatch(Msg::Loaded(model)),
    }
}

/// Downloads the tail and joins it to the head: the whole model. A failure keeps the head in
/// use and says why (the list offers "Retry").
async fn load_tail(dispatch: UseReducerDispatcher<State>, keep: Rc<RefCell<Option<Bundle>>>) {
    let Some(url) = asset("moviematch-tail") else {
        return;
    };
    match fetch_tail(&url, &keep).await {
        Ok(model) => {
            *keep.borrow_mut() = None;
            dispatch.dispatch(Msg::Loaded(ByAddress(Rc::new(model))));
        }
        Err(e) => {
            gloo::console::error!(format!("tail of the model: {e}"));
            dispatch.dispatch(Msg::TailFailed(e));
        }
    }
}

async fn fetch_tail(url: &str, keep: &Rc<RefCell<Option<Bundle>>>) -> Result<Model, String> {
    // Inflated by the browser as it arrives.
    let bytes = fetch_gunzipped(url).await?;
    let started = js_sys::Date::now();
    let damaged = |e: moviematch::BundleError| format!("the file is damaged ({e})");
    // Short tasks instead of one long one (decode, join, and the model's two halves): the page
    // can take a key press between any two.
    let yield_now = || yew::platform::time::sleep(Duration::ZERO);
    let tail = Bundle::decode_uncompressed(&bytes).map_err(damaged)?;
    drop(bytes);
    yield_now().await;
    let whole = {
        let head = keep.borrow();
        let head = head.as_ref().ok_or("the head is gone")?;
        head.join(&tail).map_err(damaged)?
    };
    yield_now().await;
    let half = ModelBuild::new(whole);
    yield_now().await;
    let model = half.finish();
    gloo::console::log!(format!(
        "model: tail joined, {} movies in {:.0} ms",
        model.len(),
        js_sys::Date::now() - started
    ));
    Ok(model)
}
