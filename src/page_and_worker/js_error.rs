//! Describing a thrown JS value in words, the same way on the page and in the worker.

use wasm_bindgen::{JsCast, JsValue};

/// A readable description of a thrown JS value (Error message or string form).
pub fn describe(value: &JsValue) -> String {
    if let Some(error) = value.dyn_ref::<js_sys::Error>() {
        return String::from(error.message());
    }
    value.as_string().unwrap_or_else(|| format!("{value:?}"))
}
