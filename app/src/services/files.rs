//! Files in and out, all inside the browser: reading a file the visitor chose or dropped
//! (nothing is uploaded anywhere), and handing them a download made from a string.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, HtmlAnchorElement, Url};

/// The whole file's bytes. Fails only if the browser cannot read it (removed, no permission).
pub async fn read_bytes(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|e| reason(&e, "the browser could not read the file"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Offers `text` as a download named `name`: a Blob, an object URL and a temporary
/// `<a download>` clicked once. The URL is revoked a moment later (revoking at once can cancel
/// the download in some browsers).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let fail = |e: JsValue| reason(&e, "the browser refused the download");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let anchor: HtmlAnchorElement = document
        .create_element("a")
        .map_err(fail)?
        .dyn_into()
        .map_err(|_| "no anchor element".to_string())?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.set_class_name("visually-hidden");
    // In the document while clicked: Firefox ignores clicks on detached anchors.
    let body = document.body().ok_or("no document body")?;
    body.append_child(&anchor).map_err(fail)?;
    anchor.click();
    anchor.remove();
    revoke_later(url);
    Ok(())
}

fn revoke_later(url: String) {
    let revoke = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
}

/// A thrown value's `message`, or `fallback`.
fn reason(e: &JsValue, fallback: &str) -> String {
    js_sys::Reflect::get(e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .filter(|m| !m.is_empty())
        .unwrap_or_else(|| fallback.to_string())
}

/// Today's date in the visitor's time zone: (year, month 1–12, day).
pub fn today() -> (u32, u32, u32) {
    let d = js_sys::Date::new_0();
    (d.get_full_year(), d.get_month() + 1, d.get_date())
}
