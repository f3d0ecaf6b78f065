//! Errors at the browser boundary, one enum for all of it.

use wasm_bindgen::JsValue;

/// Something the browser refused or that failed while loading or running Python.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
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

impl WebError {
    /// Wraps a JS exception with what we were doing.
    pub fn js(context: &'static str, value: JsValue) -> Self {
        Self::Js { context, detail: describe(&value) }
    }
}

/// A readable description of a thrown JS value (Error message or string form).
pub fn describe(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}

use wasm_bindgen::JsCast;
