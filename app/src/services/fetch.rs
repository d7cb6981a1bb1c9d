//! Downloads a static asset with progress.
//!
//! `fetch` plus a `ReadableStream` reader, because `Response.arrayBuffer()` gives no progress
//! and the model is megabytes: the visitor should see that something is happening.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    ReadableStream, ReadableStreamDefaultReader, ReadableStreamReadResult, ReadableWritablePair,
    Response,
};

// web-sys has `DecompressionStream` only behind `--cfg=web_sys_unstable_apis` (which rebuilds all
// of web-sys for one constructor): this is the part the loader needs.
#[wasm_bindgen]
extern "C" {
    /// A transform stream (readable + writable) that inflates what is written to it.
    type DecompressionStream;
    /// `new DecompressionStream(format)`; throws for a format the browser does not know.
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;

    /// A transform stream that deflates what is written to it (same story as above).
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
}

/// `bytes` as a raw deflate stream (RFC 1951), made by the browser's `CompressionStream`, so the
/// wasm carries no deflater (share links are the only thing the page compresses). `None` where
/// the browser cannot (the link is then made uncompressed, which every decoder reads).
pub async fn deflate_raw(bytes: &[u8]) -> Option<Vec<u8>> {
    let deflate = CompressionStream::new("deflate-raw").ok()?;
    let source = Response::new_with_opt_u8_array(Some(&mut bytes.to_vec())).ok()?;
    let packed = source
        .body()?
        .pipe_through(deflate.unchecked_ref::<ReadableWritablePair>());
    read_stream(&packed, None, &|_, _| {}).await.ok()
}

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
    let bytes = read_stream(&body, total, &on_progress)
        .await
        .map_err(|e| format!("the download of {url} broke off ({e})"))?;
    on_progress(bytes.len() as u64, total);
    Ok(bytes)
}

/// Fetches a gzip file (`url`, as the build ships the model's tail) and returns it inflated by
/// the browser's `DecompressionStream`, which also checks gzip's CRC: no wasm spends time (or
/// code) on inflating megabytes, and it happens while the bytes arrive. Where the browser has no
/// `DecompressionStream`, the gzip bytes themselves (the engine inflates them).
pub async fn fetch_gunzipped(url: &str) -> Result<Vec<u8>, String> {
    let resp = fetch_ok(url).await?;
    let Some(body) = resp.body() else {
        return read_whole(&resp, url).await;
    };
    let Ok(gunzip) = DecompressionStream::new("gzip") else {
        return read_stream(&body, None, &|_, _| {})
            .await
            .map_err(|e| format!("the download of {url} broke off ({e})"));
    };
    // A DecompressionStream is itself the { readable, writable } pair pipeThrough takes.
    let inflated = body.pipe_through(gunzip.unchecked_ref::<ReadableWritablePair>());
    // A cut download and a damaged file both end as a stream error here.
    read_stream(&inflated, None, &|_, _| {})
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
/// is the stream's own message.
async fn read_stream(
    stream: &ReadableStream,
    total: Option<u64>,
    on_progress: &impl Fn(u64, Option<u64>),
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
