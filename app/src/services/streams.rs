//! The browser's compression streams: the page's wasm carries neither a deflater nor an
//! inflater. Share links are deflated with `CompressionStream`; the model's head, deflated share
//! links and a Letterboxd zip's `ratings.csv` are inflated with `DecompressionStream`, which the
//! loader itself needs to start the app at all (the wasm is shipped gzipped), so every browser
//! that runs the page has both. Inflating what a visitor brings (links, zips) is capped.

use moviematch::deflate::InflateError;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ReadableStream, ReadableWritablePair, Response};

use super::fetch::{read_stream, TOO_LARGE};

// web-sys has the compression streams only behind `--cfg=web_sys_unstable_apis` (which
// rebuilds all of web-sys for two constructors): this is the part the page needs.
#[wasm_bindgen]
extern "C" {
    /// A transform stream (readable + writable) that inflates what is written to it.
    type DecompressionStream;
    /// `new DecompressionStream(format)`; throws for a format the browser does not know.
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;

    /// A transform stream that deflates what is written to it.
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
}

/// What a stream does to the bytes through it.
#[derive(Clone, Copy)]
pub enum Transform {
    /// gzip (RFC 1952) inflated, its CRC checked by the browser.
    Gunzip,
    /// A raw deflate stream (RFC 1951) inflated.
    Inflate,
    /// Raw deflate made.
    Deflate,
}

/// `body` through the transform.
pub fn transformed(body: &ReadableStream, how: Transform) -> Result<ReadableStream, String> {
    let pair: JsValue = match how {
        Transform::Gunzip => DecompressionStream::new("gzip").map(Into::into),
        Transform::Inflate => DecompressionStream::new("deflate-raw").map(Into::into),
        Transform::Deflate => CompressionStream::new("deflate-raw").map(Into::into),
    }
    .map_err(|_| "this browser cannot inflate or deflate (no compression streams)".to_string())?;
    // A compression stream is itself the { readable, writable } pair pipeThrough takes.
    Ok(body.pipe_through(pair.unchecked_ref::<ReadableWritablePair>()))
}

/// `bytes` through the transform, refusing more than `limit` bytes out.
async fn through(bytes: &[u8], how: Transform, limit: usize) -> Result<Vec<u8>, String> {
    let source = Response::new_with_opt_u8_array(Some(&mut bytes.to_vec()))
        .map_err(|_| "no Response".to_string())?;
    let body = source.body().ok_or("no body")?;
    read_stream(&transformed(&body, how)?, None, &|_, _| {}, limit).await
}

/// `bytes` deflated (raw, RFC 1951); `None` where the browser cannot (a share link is then
/// made uncompressed, which every decoder reads).
pub async fn deflate_raw(bytes: &[u8]) -> Option<Vec<u8>> {
    through(bytes, Transform::Deflate, usize::MAX).await.ok()
}

/// A raw deflate stream inflated, at most `limit` bytes.
pub async fn inflate_raw(stream: &[u8], limit: usize) -> Result<Vec<u8>, InflateError> {
    through(stream, Transform::Inflate, limit)
        .await
        .map_err(|e| {
            if e == TOO_LARGE {
                InflateError::TooLarge
            } else {
                InflateError::Damaged
            }
        })
}

/// gzip bytes inflated (the model's head, fetched with progress, then inflated at once).
pub async fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, String> {
    through(bytes, Transform::Gunzip, usize::MAX).await
}

/// A share link's ratings: unpacked by the engine, a deflated payload inflated here.
pub async fn decode_share(
    link: &str,
) -> Result<Vec<moviematch::share::SharedRating>, moviematch::share::ShareError> {
    use moviematch::share::{inflated, read_plain, unpack, Packed, MAX_INFLATED};
    match unpack(link)? {
        Packed::Plain(body) => read_plain(&body),
        Packed::Deflated(stream) => read_plain(&inflated(
            inflate_raw(&stream, MAX_INFLATED as usize).await,
        )?),
    }
}
