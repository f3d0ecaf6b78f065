//! Compatibility mode's channel from the page, worker side: the events the page posted to
//! the service worker (`page::relay_sender`), fetched with blocking requests that the
//! service worker holds open until something is queued or the wait is over.

use crate::logic::protocol::RelayEvent;
use crate::page_and_worker::js_error::describe;
use crate::worker::error::LinkError;
use crate::worker::sync_get;
use wasm_bindgen::JsCast;

/// Longest a request is held open (as LONGEST_WAIT_MS in sw.js): a service worker is
/// stopped when one event runs for minutes, so a long wait is a series of these.
pub const LONGEST_WAIT_MS: u32 = 20_000;

/// The worker's end of one session's relay.
pub struct RelayReceiver {
    url: String,
}

impl RelayReceiver {
    /// The receiver for the relay at `url` (from `RelaySender::url`).
    pub fn new(url: String) -> Self {
        Self { url }
    }

    /// The events queued for this session, waiting up to `wait_ms` (at most
    /// `LONGEST_WAIT_MS`) for the first. Fails when the service worker does not answer or
    /// answers something that is not a list of events.
    pub fn receive(&self, wait_ms: u32) -> Result<Vec<RelayEvent>, LinkError> {
        let url = format!("{}&wait={}", self.url, wait_ms.min(LONGEST_WAIT_MS));
        let body = sync_get::get_text(&url).map_err(LinkError::RelayUnanswered)?;
        let events: js_sys::Array = js_sys::JSON::parse(&body)
            .map_err(|e| LinkError::RelayGarbled(describe(&e)))?
            .dyn_into()
            .map_err(|_| LinkError::RelayGarbled("not a list".into()))?;
        events
            .iter()
            .map(|event| {
                serde_wasm_bindgen::from_value(event).map_err(|e| LinkError::RelayGarbled(e.to_string()))
            })
            .collect()
    }
}
