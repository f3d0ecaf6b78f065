//! Python's downloads at boot: python.wasm compiled while it streams in, the core standard
//! library, and the Emscripten module, with progress reported to the page.

use crate::logic::protocol::{Download, FromWorker};
use crate::page_and_worker::dynamic_import;
use crate::page_and_worker::js_error::describe;
use crate::worker::error::LoadError;
use crate::worker::port::{post, scope};
use js_sys::{Function, Promise, Reflect, Uint8Array, WebAssembly};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::Response;

async fn fetch_ok(url: &str) -> Result<(Response, Option<u64>), LoadError> {
    let download_error = |detail: String| LoadError::Download { url: url.to_owned(), detail };
    let response: Response = JsFuture::from(scope().fetch_with_str(url))
        .await
        .map_err(|e| download_error(describe(&e)))?
        .unchecked_into();
    if !response.ok() {
        return Err(download_error(format!("HTTP {} {}", response.status(), response.status_text())));
    }
    let headers = response.headers();
    // With content-encoding the length counts compressed bytes, not what the stream yields.
    let encoded = headers.get("content-encoding").ok().flatten().is_some_and(|e| e != "identity");
    let total = if encoded {
        None
    } else {
        headers.get("content-length").ok().flatten().and_then(|l| l.parse().ok())
    };
    Ok((response, total))
}

/// Fetches `python.wasm` and compiles it while it streams in, reporting bytes received.
pub async fn compile_wasm(url: &str) -> Result<WebAssembly::Module, LoadError> {
    let (response, total) = fetch_ok(url).await?;
    let body = response
        .body()
        .ok_or_else(|| LoadError::Download { url: url.into(), detail: "empty body".into() })?;
    let received = Rc::new(Cell::new(0u64));
    let counter = received.clone();
    let transform = Closure::<dyn FnMut(JsValue, web_sys::TransformStreamDefaultController)>::new(
        move |chunk: JsValue, controller: web_sys::TransformStreamDefaultController| {
            let len = Reflect::get(&chunk, &"byteLength".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
            counter.set(counter.get() + len as u64);
            post(&FromWorker::Progress { download: Download::Wasm, received: counter.get(), total });
            // Fails only once the stream has errored, and compilation then reports why.
            let _ = controller.enqueue_with_chunk(&chunk);
        },
    );
    let transformer = web_sys::Transformer::new();
    transformer.set_transform(transform.as_ref().unchecked_ref());
    let stream = web_sys::TransformStream::new_with_transformer(&transformer)
        .map_err(|e| LoadError::js("creating a transform stream", e))?;
    let pair = web_sys::ReadableWritablePair::new(&stream.readable(), &stream.writable());
    let counted = body.pipe_through(&pair);
    let headers = web_sys::Headers::new().map_err(|e| LoadError::js("headers", e))?;
    headers.set("content-type", "application/wasm").map_err(|e| LoadError::js("headers", e))?;
    let init = web_sys::ResponseInit::new();
    init.set_headers(&headers);
    let counted_response = Response::new_with_opt_readable_stream_and_init(Some(&counted), &init)
        .map_err(|e| LoadError::js("wrapping the wasm stream", e))?;
    let module =
        JsFuture::from(WebAssembly::compile_streaming(&Promise::resolve(&JsValue::from(counted_response))))
            .await
            .map_err(|e| {
                if received.get() == 0 || total.is_some_and(|t| received.get() < t) {
                    LoadError::Download { url: url.into(), detail: describe(&e) }
                } else {
                    LoadError::Corrupt { what: "python.wasm".into(), detail: describe(&e) }
                }
            })?;
    drop(transform);
    Ok(module.unchecked_into())
}

/// Fetches a file into memory, reporting bytes received.
pub async fn fetch_bytes(url: &str, download: Download) -> Result<Uint8Array, LoadError> {
    let (response, total) = fetch_ok(url).await?;
    let body = response
        .body()
        .ok_or_else(|| LoadError::Download { url: url.into(), detail: "empty body".into() })?;
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut chunks: Vec<Uint8Array> = Vec::new();
    let mut received = 0u64;
    loop {
        let result = JsFuture::from(reader.read())
            .await
            .map_err(|e| LoadError::Download { url: url.into(), detail: describe(&e) })?;
        if Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let chunk: Uint8Array = Reflect::get(&result, &"value".into())
            .map_err(|e| LoadError::js("reading a download", e))?
            .unchecked_into();
        received += u64::from(chunk.length());
        chunks.push(chunk);
        post(&FromWorker::Progress { download, received, total });
    }
    if total.is_some_and(|t| t != received) {
        return Err(LoadError::Download {
            url: url.into(),
            detail: format!("got {received} of {total:?} bytes"),
        });
    }
    let all = Uint8Array::new_with_length(received as u32);
    let mut offset = 0;
    for chunk in chunks {
        all.set(&chunk, offset);
        offset += chunk.length();
    }
    Ok(all)
}

/// Imports the Emscripten module at `url`; its default export makes an interpreter.
pub async fn import_factory(url: &str) -> Result<Function, LoadError> {
    let namespace = JsFuture::from(dynamic_import::import_module(url))
        .await
        .map_err(|e| LoadError::Download { url: url.into(), detail: describe(&e) })?;
    Reflect::get(&namespace, &"default".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| LoadError::Corrupt { what: "python.mjs".into(), detail: "no default export".into() })
}
