//! Compatibility mode's channel to a worker that Python blocks, when there is no
//! SharedArrayBuffer: the page posts `RelayEvent`s to the site's service worker (`sw.js`),
//! which queues them; the worker fetches them with synchronous requests that the service
//! worker holds open until something is queued or the wait is over.

use crate::protocol::RelayEvent;
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsCast;

/// The relay's address, relative to the site's root (the service worker's scope).
const RELAY_PATH: &str = "__relay__";
/// Longest a worker's request is held open (as LONGEST_WAIT_MS in sw.js): a service worker
/// is stopped when one event runs for minutes, so a long wait is a series of these.
pub const LONGEST_WAIT_MS: u32 = 20_000;

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
    pub fn send(&self, event: &RelayEvent) {
        if let Ok(event) = serde_wasm_bindgen::to_value(event) {
            self.post("events", &Array::of1(&event));
        }
    }

    fn post(&self, key: &str, value: &wasm_bindgen::JsValue) {
        let message = Object::new();
        let _ = Reflect::set(&message, &"relay".into(), &self.id.as_str().into());
        let _ = Reflect::set(&message, &key.into(), value);
        let _ = self.controller.post_message(&message);
    }
}

impl Drop for RelaySender {
    /// The service worker forgets the session's queue.
    fn drop(&mut self) {
        self.post("close", &true.into());
    }
}

/// The worker's end: fetches what the page sent, blocking.
pub struct RelayReceiver {
    url: String,
}

impl RelayReceiver {
    /// The receiver for the relay at `url` (from `RelaySender::url`).
    pub fn new(url: String) -> Self {
        Self { url }
    }

    /// The events queued for this session, waiting up to `wait_ms` (at most
    /// `LONGEST_WAIT_MS`) for the first; any that do not decode are skipped. Fails when the
    /// service worker does not answer.
    pub fn receive(&self, wait_ms: u32) -> Result<Vec<RelayEvent>, String> {
        let url = format!("{}&wait={}", self.url, wait_ms.min(LONGEST_WAIT_MS));
        let request = super::downloads::get_sync(&url, false)
            .map_err(|e| format!("the service worker did not answer: {e}"))?;
        let body = request.response_text().ok().flatten().unwrap_or_default();
        let events: js_sys::Array = js_sys::JSON::parse(&body)
            .map_err(|e| super::error::describe(&e))?
            .dyn_into()
            .map_err(|_| "the relay's answer is not a list".to_owned())?;
        Ok(events.iter().filter_map(|event| serde_wasm_bindgen::from_value(event).ok()).collect())
    }
}
