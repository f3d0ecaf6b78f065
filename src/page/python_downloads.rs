//! Python's two big downloads, made by the page as soon as it opens and kept for every worker
//! it starts: `python.wasm`, compiled by the browser while it streams in, and the core of the
//! standard library. The worker's own code loads meanwhile; a worker started later (Run or
//! Restart when the old one is busy) gets both at once, so nothing is downloaded or compiled
//! again and the code the browser has optimised since is shared.

use crate::page::early_boot::{self, CORE_PATH, WASM_PATH};
use crate::page::page_url;
use crate::page::timing;
use crate::page_and_worker::js_error::describe;
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use js_sys::{Promise, Reflect, Uint8Array, WebAssembly};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ReadableStreamDefaultReader, Response};

/// Which download a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    /// `python.wasm`, compiled while it streams in.
    Wasm,
    /// The core standard library zip.
    Stdlib,
}

/// Why Python could not be had.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DownloadError {
    #[error("could not download {url}: {detail}")]
    Failed { url: String, detail: String },
    #[error("{what} is damaged or not what was expected: {detail}")]
    Corrupt { what: String, detail: String },
}

/// What a worker needs from the page to start an interpreter.
#[derive(Clone)]
pub struct PythonAssets {
    /// `python.wasm`, compiled.
    pub wasm: WebAssembly::Module,
    /// The core standard library (`python313.zip`).
    pub core: Uint8Array,
}

/// Reports bytes received of a download, and its size when the server said it.
pub type OnProgress = Rc<dyn Fn(Download, u64, Option<u64>)>;

/// The downloads, under way or done; cheap to clone (all clones share them).
#[derive(Clone)]
pub struct PythonDownloads {
    assets: Shared<LocalBoxFuture<'static, Result<PythonAssets, DownloadError>>>,
}

impl PythonDownloads {
    /// Starts downloading python.wasm and the core zip at once (or takes over the requests
    /// the page's inline script made), reporting progress.
    pub fn start(on_progress: OnProgress) -> Self {
        let (wasm_early, core_early) =
            (early_boot::take_download(WASM_PATH), early_boot::take_download(CORE_PATH));
        let (wasm_url, core_url) = (page_url(WASM_PATH), page_url(CORE_PATH));
        let assets = async move {
            let (wasm, core) = futures::join!(
                async {
                    let compiled = compile(&wasm_url, wasm_early, on_progress.clone()).await;
                    timing::mark("boot: python.wasm compiled");
                    compiled
                },
                async {
                    let fetched = fetch_bytes(&core_url, core_early, on_progress.clone()).await;
                    timing::mark("boot: core library downloaded");
                    fetched
                },
            );
            Ok(PythonAssets { wasm: wasm?, core: core? })
        };
        Self { assets: assets.boxed_local().shared() }
    }

    /// Both, once they are here.
    pub async fn assets(&self) -> Result<PythonAssets, DownloadError> {
        self.assets.clone().await
    }

    /// Whether they failed (a new attempt needs new downloads).
    pub fn failed(&self) -> bool {
        matches!(self.assets.peek(), Some(Err(_)))
    }
}

/// The response for `url`, and its length when that counts the bytes its body yields.
async fn fetch_ok(url: &str, early: Option<Promise>) -> Result<(Response, Option<u64>), DownloadError> {
    let failed = |detail: String| DownloadError::Failed { url: url.to_owned(), detail };
    let request = early.unwrap_or_else(|| gloo::utils::window().fetch_with_str(url));
    let response: Response =
        JsFuture::from(request).await.map_err(|e| failed(describe(&e)))?.unchecked_into();
    if !response.ok() {
        return Err(failed(format!("HTTP {} {}", response.status(), response.status_text())));
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

/// Reads `response`'s body to its end, reporting progress; the chunks it read.
async fn read_body(
    url: &str,
    response: &Response,
    download: Download,
    total: Option<u64>,
    on_progress: &OnProgress,
) -> Result<Vec<Uint8Array>, DownloadError> {
    let failed = |detail: String| DownloadError::Failed { url: url.to_owned(), detail };
    let body = response.body().ok_or_else(|| failed("empty body".into()))?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut chunks = Vec::new();
    let mut received = 0u64;
    loop {
        let result = JsFuture::from(reader.read()).await.map_err(|e| failed(describe(&e)))?;
        if Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let chunk: Uint8Array =
            Reflect::get(&result, &"value".into()).map_err(|e| failed(describe(&e)))?.unchecked_into();
        received += u64::from(chunk.length());
        chunks.push(chunk);
        on_progress(download, received, total);
    }
    if total.is_some_and(|t| t != received) {
        return Err(failed(format!("got {received} of {total:?} bytes")));
    }
    Ok(chunks)
}

/// Fetches `url` and compiles it while it streams in. The browser keeps compiled code for a
/// later visit only for a response it fetched itself, so that one is compiled, and the bytes
/// are counted on a copy.
async fn compile(
    url: &str,
    early: Option<Promise>,
    on_progress: OnProgress,
) -> Result<WebAssembly::Module, DownloadError> {
    let (response, total) = fetch_ok(url, early).await?;
    let copy =
        response.clone().map_err(|e| DownloadError::Failed { url: url.into(), detail: describe(&e) })?;
    let (module, counted) = futures::join!(
        JsFuture::from(WebAssembly::compile_streaming(&Promise::resolve(&JsValue::from(response)))),
        read_body(url, &copy, Download::Wasm, total, &on_progress),
    );
    match (module, counted) {
        (Ok(module), _) => Ok(module.unchecked_into()),
        // A body cut short fails compilation too: then it is the download that failed.
        (Err(_), Err(failed)) => Err(failed),
        (Err(e), Ok(_)) => Err(DownloadError::Corrupt { what: "python.wasm".into(), detail: describe(&e) }),
    }
}

/// Fetches `url` into memory, reporting bytes received.
async fn fetch_bytes(
    url: &str,
    early: Option<Promise>,
    on_progress: OnProgress,
) -> Result<Uint8Array, DownloadError> {
    let (response, total) = fetch_ok(url, early).await?;
    let chunks = read_body(url, &response, Download::Stdlib, total, &on_progress).await?;
    let length: u32 = chunks.iter().map(Uint8Array::length).sum();
    let all = Uint8Array::new_with_length(length);
    let mut offset = 0;
    for chunk in chunks {
        all.set(&chunk, offset);
        offset += chunk.length();
    }
    Ok(all)
}
