//! The service worker: after the first visit the site works with the network off.
//!
//! `sw.js` is written into dist/ at build time by `scripts/postbuild.mjs` (from `web/sw.js`,
//! with this build's version and file list); it explains there why a new app never runs with an
//! old bundle. Here we only register it, with the relative URL "./sw.js", so its scope is the
//! site's own directory (the same namespacing as the storage keys in `storage`).

use std::cell::Cell;

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::ServiceWorkerContainer;

thread_local! {
    static REGISTERED: Cell<bool> = const { Cell::new(false) };
}

/// Registers `./sw.js` once per page, when the browser can have service workers here: an
/// http(s) page (not file:) in a secure context (https or localhost: elsewhere
/// `navigator.serviceWorker` does not exist). Called once the model is loaded, so that the
/// worker's precaching finds the files in the HTTP cache instead of downloading them a second
/// time alongside the page. Any failure is a console warning: the site works without it.
pub fn register() {
    if REGISTERED.with(|r| r.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let protocol = window.location().protocol().unwrap_or_default();
    if protocol != "http:" && protocol != "https:" {
        return;
    }
    // Through Reflect: the property is missing on insecure origins, and reading it can throw
    // (some browsers with storage disabled); web-sys' getter would assume an object.
    let navigator = window.navigator();
    let container = match js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker")) {
        Ok(v) if v.is_object() => v.unchecked_into::<ServiceWorkerContainer>(),
        _ => return,
    };
    let registration = container.register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = JsFuture::from(registration).await {
            let why = e
                .dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .or_else(|| e.as_string())
                .unwrap_or_else(|| format!("{e:?}"));
            gloo::console::warn!(format!(
                "offline use is unavailable: the service worker could not be registered ({why})"
            ));
        }
    });
}
