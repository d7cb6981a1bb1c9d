//! Downloads a static asset with progress.
//!
//! `fetch` plus a `ReadableStream` reader, because `Response.arrayBuffer()` gives no progress
//! and the model is megabytes: the visitor should see that something is happening.

use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStream, ReadableStreamDefaultReader, ReadableStreamReadResult, Response};

/// [`read_stream`]'s error for a stream longer than its limit.
pub(super) const TOO_LARGE: &str = "more bytes than expected";

/// How often at most to report progress, so a fast download does not cause hundreds of renders.
const PROGRESS_EVERY_MS: f64 = 50.0;

/// Fetches `url` (relative to the page) and returns its bytes. `on_progress(received, total)`
/// is called now and then; `total` is `None` when the size is unknown.
pub async fn fetch_bytes(
    url: &str,
    on_progress: impl Fn(u64, Option<u64>),
) -> Result<Vec<u8>, String> {
    let resp = fetch_ok(url).await?;
    let total = expected_length(&resp);
    on_progress(0, total);
    let Some(body) = resp.body() else {
        return read_whole(&resp, url).await;
    };
    let bytes = read_stream(&body, total, &on_progress, usize::MAX)
        .await
        .map_err(|e| format!("the download of {url} broke off ({e})"))?;
    on_progress(bytes.len() as u64, total);
    Ok(bytes)
}

/// Fetches a gzip file (`url`, as the build ships the model's tail) and returns it inflated by
/// the browser's `DecompressionStream`, which also checks gzip's CRC: no wasm spends time (or
/// code) on inflating megabytes, and it happens while the bytes arrive.
pub async fn fetch_gunzipped(url: &str) -> Result<Vec<u8>, String> {
    let resp = fetch_ok(url).await?;
    let Some(body) = resp.body() else {
        return read_whole(&resp, url).await;
    };
    let inflated = super::streams::transformed(&body, super::streams::Transform::Gunzip)?;
    // A cut download and a damaged file both end as a stream error here.
    read_stream(&inflated, None, &|_, _| {}, usize::MAX)
        .await
        .map_err(|e| format!("the file is damaged or its download broke off ({e})"))
}

/// The response to `GET url`, if the server answered 2xx.
async fn fetch_ok(url: &str) -> Result<Response, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp: Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|e| format!("the network request for {url} failed ({})", describe(&e)))?
        .dyn_into()
        .map_err(|_| "fetch did not return a Response".to_string())?;
    if !resp.ok() {
        return Err(format!(
            "the server answered {} {} for {url}",
            resp.status(),
            resp.status_text()
        ));
    }
    Ok(resp)
}

/// A body with no streaming (very old browsers): read whole.
async fn read_whole(resp: &Response, url: &str) -> Result<Vec<u8>, String> {
    let buf = JsFuture::from(resp.array_buffer().map_err(|e| describe(&e))?)
        .await
        .map_err(|e| format!("reading {url} failed ({})", describe(&e)))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// Every chunk of `stream`, reporting progress at most every [`PROGRESS_EVERY_MS`]; the error
/// is the stream's own message. More than `limit` bytes: cancelled, [`TOO_LARGE`].
pub(super) async fn read_stream(
    stream: &ReadableStream,
    total: Option<u64>,
    on_progress: &impl Fn(u64, Option<u64>),
    limit: usize,
) -> Result<Vec<u8>, String> {
    let reader: ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(total.unwrap_or(0).min(256 << 20) as usize);
    let mut last_report = 0.0;
    loop {
        let chunk: ReadableStreamReadResult = JsFuture::from(reader.read())
            .await
            .map_err(|e| describe(&e))?
            .unchecked_into();
        if chunk.get_done().unwrap_or(false) {
            break;
        }
        let data = Uint8Array::new(&chunk.get_value());
        if bytes.len() + data.length() as usize > limit {
            let _ = reader.cancel();
            return Err(TOO_LARGE.into());
        }
        let start = bytes.len();
        bytes.resize(start + data.length() as usize, 0);
        data.copy_to(&mut bytes[start..]);
        let now = js_sys::Date::now();
        if now - last_report >= PROGRESS_EVERY_MS {
            last_report = now;
            on_progress(bytes.len() as u64, total);
        }
    }
    Ok(bytes)
}

/// Content-Length, unless the body is compressed: then it counts compressed bytes while the
/// reader yields decompressed ones, and a percentage would overshoot.
fn expected_length(resp: &Response) -> Option<u64> {
    let headers = resp.headers();
    let encoded = headers
        .get("content-encoding")
        .ok()
        .flatten()
        .is_some_and(|e| !e.trim().is_empty() && !e.eq_ignore_ascii_case("identity"));
    if encoded {
        return None;
    }
    headers
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|v| v.trim().parse().ok())
        .filter(|&n: &u64| n > 0)
}

fn describe(e: &JsValue) -> String {
    js_sys::Reflect::get(e, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
