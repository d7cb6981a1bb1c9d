//! Small touches on the page outside Yew's tree.

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
