//! The worker's message port to the page: its global scope and `post`. A leaf: every part
//! of the worker that reports to the page uses it, and it uses nothing of theirs.

use crate::logic::message_mirror;
use crate::logic::protocol::FromWorker;
use crate::page_and_worker::js_error::describe;
use crate::page_and_worker::shared_region::SharedRegion;
use std::cell::{Cell, RefCell};
use wasm_bindgen::JsCast;
use web_sys::DedicatedWorkerGlobalScope;

thread_local! {
    /// The number of the next message posted (see `message_mirror`).
    static NEXT_NUMBER: Cell<u32> = const { Cell::new(0) };
    /// Where the messages that answer typing are mirrored (with shared memory only).
    static MIRROR: RefCell<Option<SharedRegion>> = const { RefCell::new(None) };
}

/// Mirrors the messages that answer typing into `region` from now on, so the page can
/// take them at its next frame (see `message_mirror`).
pub fn mirror_into(region: SharedRegion) {
    MIRROR.with(|mirror| *mirror.borrow_mut() = Some(region));
}

/// The worker's global scope (`self`).
pub fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// Sends `message` to the page, numbered, and mirrors it when it answers typing. A message
/// that cannot be sent is logged to the worker's console: there is no other way left to
/// tell the page.
pub fn post(message: &FromWorker) {
    let number = NEXT_NUMBER.with(|next| next.replace(next.get().wrapping_add(1)));
    MIRROR.with(|mirror| {
        if let (Some(region), Some(bytes)) = (mirror.borrow().as_ref(), message_mirror::encode(message)) {
            message_mirror::mirror(region, number, &bytes);
        }
    });
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_bytes_as_arrays(false);
    let posted =
        serde::Serialize::serialize(message, &serializer).map_err(|e| e.to_string()).and_then(|value| {
            js_sys::Reflect::set(&value, &message_mirror::NUMBER_FIELD.into(), &number.into())
                .map_err(|e| describe(&e))?;
            scope().post_message(&value).map_err(|e| describe(&e))
        });
    if let Err(detail) = posted {
        let what: String = format!("{message:?}").chars().take(80).collect();
        web_sys::console::error_1(&format!("the worker could not post {what} to the page: {detail}").into());
    }
}
