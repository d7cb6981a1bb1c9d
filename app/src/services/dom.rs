//! Small touches on the page outside Yew's tree.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsValue;

/// Marks `<body data-ready="true">` once the model is usable, so end-to-end tests (and anyone
/// scripting the page) can wait for one attribute instead of guessing at timings.
pub fn mark_ready() {
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        let _ = body.set_attribute("data-ready", "true");
    }
}

/// The `content` of the document's `<meta name="{name}">`, if there is one.
pub fn meta_content(name: &str) -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()??
        .get_attribute("content")
}

/// The page's own address without query or fragment: what a share link is built on.
pub fn page_address() -> Option<String> {
    let loc = web_sys::window()?.location();
    Some(format!("{}{}", loc.origin().ok()?, loc.pathname().ok()?))
}

/// The fragment, with its `#` (empty when there is none).
pub fn fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Drops the fragment from the address bar without reloading or adding a history entry
/// (`history.replaceState`).
pub fn clear_fragment() {
    let Some(loc) = web_sys::window().map(|w| w.location()) else {
        return;
    };
    let url = format!(
        "{}{}",
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    history(
        "replaceState",
        &[JsValue::NULL, JsValue::from_str(""), url.into()],
    );
}

/// One step back in the session history (`history.back()`): closes what a fragment opened,
/// as the browser's Back button would.
pub fn history_back() {
    history("back", &[]);
}

/// Calls `history.<method>(args…)`, reached through `Reflect` since web-sys' `History` is not
/// enabled (two calls do not justify another binding).
fn history(method: &str, args: &[JsValue]) {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let Ok(history) = js_sys::Reflect::get(&window, &JsValue::from_str("history")) else {
        return;
    };
    if let Ok(f) = js_sys::Reflect::get(&history, &JsValue::from_str(method)) {
        if let Some(f) = f.dyn_ref::<js_sys::Function>() {
            let args: js_sys::Array = args.iter().collect();
            let _ = f.apply(&history, &args);
        }
    }
}

/// Sets the fragment in place of the current history entry (`location.replace`): the page
/// gets its `hashchange`, but Back still leads where it led.
pub fn replace_fragment(fragment: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(&format!("#{fragment}"));
    }
}

/// The element that has the keyboard focus, if it is an HTML element other than the body.
pub fn focused() -> Option<web_sys::HtmlElement> {
    use wasm_bindgen::JsCast;
    let doc = web_sys::window()?.document()?;
    let el = doc
        .active_element()?
        .dyn_into::<web_sys::HtmlElement>()
        .ok()?;
    (Some(&el) != doc.body().as_ref()).then_some(el)
}

thread_local! {
    /// The element whose click opened a view, to give the focus back to when it closes.
    static OPENER: std::cell::RefCell<Option<web_sys::HtmlElement>> = const { std::cell::RefCell::new(None) };
}

/// Remembers the element a click opening a view came from (a link's focus does not survive
/// the fragment navigation it starts).
pub fn remember_opener(e: &web_sys::MouseEvent) {
    use wasm_bindgen::JsCast;
    // Yew delegates events to its root: the link is the target's closest `<a>`.
    let el = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|t| t.closest("a").ok().flatten())
        .and_then(|a| a.dyn_into::<web_sys::HtmlElement>().ok());
    OPENER.with(|o| *o.borrow_mut() = el);
}

/// The element [`remember_opener`] last kept, once.
pub fn take_opener() -> Option<web_sys::HtmlElement> {
    OPENER.with(|o| o.borrow_mut().take())
}

/// Calls `f` with the key of every key press on the page, as long as the guard lives.
pub fn on_key_down(mut f: impl FnMut(&str) + 'static) -> Option<EventListener> {
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "keydown", move |e| {
        if let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() {
            f(&e.key());
        }
    }))
}

/// Puts `text` on the clipboard (`navigator.clipboard.writeText`). `false` when the browser has
/// no Clipboard API or refuses (insecure context, no permission): the caller falls back to the
/// selected text field.
pub async fn copy_text(text: &str) -> bool {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return false;
    };
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).ok();
    let Some(clipboard) = get(&window, "navigator").and_then(|n| get(&n, "clipboard")) else {
        return false;
    };
    if clipboard.is_undefined() || clipboard.is_null() {
        return false;
    }
    let Some(write) =
        get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return false;
    };
    let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(text)) else {
        return false;
    };
    let Ok(promise) = promise.dyn_into::<js_sys::Promise>() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Calls `f` whenever the fragment changes (a share link pasted into the address bar of an
/// open page). The listener lives as long as the returned guard.
pub fn on_hash_change(mut f: impl FnMut() + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "hashchange", move |_| f()))
}

/// A file dropped anywhere but the import drop zone would make the browser open it in place of
/// the app. Cancelling `dragover` and `drop` on the window stops that; the drop zone's own
/// handler runs first (the event bubbles up to the window after it). Called once at start-up;
/// the listeners live as long as the page (not passive: they must be able to cancel).
pub fn keep_stray_drops_from_opening() {
    let Some(window) = web_sys::window() else {
        return;
    };
    for kind in ["dragover", "drop"] {
        EventListener::new_with_options(
            &window,
            kind,
            EventListenerOptions::enable_prevent_default(),
            |e| e.prevent_default(),
        )
        .forget();
    }
}
