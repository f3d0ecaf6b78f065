//! The worker's message port to the page: its global scope and `post`. A leaf: every part
//! of the worker that reports to the page uses it, and it uses nothing of theirs.

use crate::logic::protocol::FromWorker;
use crate::page_and_worker::js_error::describe;
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

/// The worker's global scope (`self`).
pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Sends `message` to the page. A message that cannot be sent is logged to the worker's
/// console: there is no other way left to tell the page.
pub fn post(message: &FromWorker) {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_bytes_as_arrays(false);
    let posted = serde::Serialize::serialize(message, &serializer)
        .map_err(|e| e.to_string())
        .and_then(|value| scope().post_message(&value).map_err(|e| describe(&e)));
    if let Err(detail) = posted {
        let what: String = format!("{message:?}").chars().take(80).collect();
        web_sys::console::error_1(&format!("the worker could not post {what} to the page: {detail}").into());
    }
}
