//! The worker's errors, one enum per boundary: loading Python (the module factory and what
//! the page handed over), blocking GETs, and the link to the page while Python runs.

use crate::page_and_worker::js_error::describe;
use wasm_bindgen::JsValue;

/// Loading Python failed: a download, the files themselves, or a browser API.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A download failed: network error or an HTTP error status.
    #[error("could not download {url}: {detail}")]
    Download { url: String, detail: String },
    /// The downloaded files are not a working Python build.
    #[error("{what} is damaged or not what was expected: {detail}")]
    Corrupt { what: String, detail: String },
    /// A browser API failed unexpectedly.
    #[error("{context}: {detail}")]
    Js { context: &'static str, detail: String },
}

impl LoadError {
    /// Wraps a JS exception with what we were doing.
    pub fn js(context: &'static str, value: JsValue) -> Self {
        Self::Js { context, detail: describe(&value) }
    }
}

/// A synchronous GET that did not answer 200.
#[derive(Debug, thiserror::Error)]
pub enum GetError {
    /// No answer at all (the server, the service worker or the network is gone).
    #[error("network error: {0}")]
    Network(String),
    /// An answer other than 200.
    #[error("HTTP {status} for {url}")]
    Status { url: String, status: u16 },
    /// The browser refused the request itself.
    #[error("{0}")]
    Js(String),
}

/// The page became unreachable while Python runs (Python then gets end of file).
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The service worker's relay did not answer, even after retries.
    #[error("the service worker did not answer: {0}")]
    RelayUnanswered(GetError),
    /// The relay answered something that is not a list of events.
    #[error("the service worker's relay answered something unexpected: {0}")]
    RelayGarbled(String),
}
