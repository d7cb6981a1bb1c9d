//! Fetches and decodes the model bundle, reporting progress through the reducer.

use std::rc::Rc;
use std::time::Duration;

use moviematch::Model;
use yew::prelude::*;

use crate::by_address::ByAddress;
use crate::services::dom;
use crate::services::fetch::fetch_bytes;
use crate::state::{Msg, State};

/// The bundle, relative to the page so the site works from any sub-path, when index.html does
/// not name it (a build without Trunk's post-build step).
pub const MODEL_URL: &str = "model.bin";

/// The build names the bundle by its content hash, `model-<hash>.bin`, in
/// `<meta name="moviematch-model">` (scripts/postbuild.mjs): like the hashed wasm and js, a page
/// can then only ever load the bundle it was built with, whatever the caches hold.
fn model_url() -> String {
    dom::meta_content("moviematch-model")
        .filter(|n| !n.is_empty() && !n.contains(['/', '\\', ':', '?', '#']))
        .unwrap_or_else(|| MODEL_URL.to_string())
}

/// Starts a download whenever `attempt` changes (once on mount, again on "Try again").
#[hook]
pub fn use_model_loader(dispatch: UseReducerDispatcher<State>, attempt: u32) {
    use_effect_with(attempt, move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            let progress = {
                let dispatch = dispatch.clone();
                move |received, total| dispatch.dispatch(Msg::Progress { received, total })
            };
            let bytes = match fetch_bytes(&model_url(), progress).await {
                Ok(b) => b,
                Err(e) => {
                    gloo::console::error!(format!("model download failed: {e}"));
                    dispatch.dispatch(Msg::LoadFailed(format!(
                        "The movie model could not be downloaded: {e}."
                    )));
                    return;
                }
            };
            dispatch.dispatch(Msg::Decoding);
            // Decoding blocks the thread for a moment: let the "Preparing…" state paint first.
            yew::platform::time::sleep(Duration::from_millis(30)).await;
            let started = js_sys::Date::now();
            match Model::from_bytes(&bytes) {
                Ok(model) => {
                    gloo::console::log!(format!(
                        "model: {} movies decoded in {:.0} ms",
                        model.len(),
                        js_sys::Date::now() - started
                    ));
                    dispatch.dispatch(Msg::Loaded(ByAddress(Rc::new(model))));
                }
                Err(e) => {
                    gloo::console::error!(format!("model decode failed: {e}"));
                    dispatch.dispatch(Msg::LoadFailed(format!(
                        "The movie model file is damaged or from an incompatible version ({e})."
                    )));
                }
            }
        });
    });
}
