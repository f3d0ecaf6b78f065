//! Compatibility mode's channel to a worker that Python blocks, when there is no
//! SharedArrayBuffer, page side: the page posts `RelayEvent`s to the site's service worker
//! (`sw.js`), which queues them until the worker fetches them (`worker::relay_receiver`).

use crate::logic::protocol::RelayEvent;
use crate::page_and_worker::js_error::describe;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

/// The relay's address, relative to the site's root (the service worker's scope).
const RELAY_PATH: &str = "__relay__";

/// Why an event could not be given to the service worker.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The event has no JS form (a bug, not a browser condition).
    #[error("the event could not be encoded: {0}")]
    Encode(String),
    /// The service worker refused the message.
    #[error("the service worker refused a message: {0}")]
    Post(String),
}

/// The page's end of one session's relay.
pub struct RelaySender {
    id: String,
    controller: web_sys::ServiceWorker,
}

impl RelaySender {
    /// A relay for a new session; `None` unless a service worker controls this page.
    pub fn open() -> Option<Self> {
        let window = gloo::utils::window();
        let controller = window.navigator().service_worker().controller()?;
        // Unguessable, so another page of the same origin cannot type into this session.
        let id = window.crypto().ok()?.random_uuid();
        Some(Self { id, controller })
    }

    /// Where the worker fetches this session's events.
    pub fn url(&self) -> String {
        super::page_url(&format!("{RELAY_PATH}?id={}", self.id))
    }

    /// Queues `event` for the worker.
    pub fn send(&self, event: &RelayEvent) -> Result<(), RelayError> {
        let event = serde_wasm_bindgen::to_value(event).map_err(|e| RelayError::Encode(e.to_string()))?;
        self.post("events", &Array::of1(&event))
    }

    fn post(&self, key: &str, value: &JsValue) -> Result<(), RelayError> {
        let message = Object::new();
        let set = |k: &str, v: &JsValue| Reflect::set(&message, &k.into(), v).map(drop);
        set("relay", &self.id.as_str().into())
            .and_then(|()| set(key, value))
            .and_then(|()| self.controller.post_message(&message))
            .map_err(|e| RelayError::Post(describe(&e)))
    }
}

impl Drop for RelaySender {
    /// The service worker forgets the session's queue.
    fn drop(&mut self) {
        if let Err(error) = self.post("close", &true.into()) {
            // Nothing waits for this answer; the queue expires in the service worker anyway.
            web_sys::console::warn_1(&format!("closing the input relay: {error}").into());
        }
    }
}
