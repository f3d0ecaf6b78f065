//! What `index.html`'s inline script started before the app's own code had loaded: Python's
//! worker (with the messages it sent meanwhile) and the requests for `python.wasm` and the
//! core zip. Each is taken once, by the first console; a later worker or download is the
//! app's own.
//!
//! The script starts them only where Python will run on this load (the page is isolated, or
//! a service worker controls it), never on a first visit that the service worker reloads.

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Event, MessageEvent, MessageEventInit, Worker};

/// The global the inline script sets: `{ worker, early, wasm, core }`.
const GLOBAL: &str = "pythonBoot";

/// The worker script, as the inline script and the session name it.
pub const WORKER_SCRIPT: &str = "./worker_loader.js";
/// Python's two downloads, relative to the page, as the inline script names them.
pub const WASM_PATH: &str = "python/python.wasm";
pub const CORE_PATH: &str = "python/python313.zip";

fn take_field(name: &str) -> Option<JsValue> {
    let global = Reflect::get(&gloo::utils::window(), &GLOBAL.into()).ok()?;
    if global.is_undefined() || global.is_null() {
        return None;
    }
    let value = Reflect::get(&global, &name.into()).ok()?;
    // Taken once: a later session or download makes its own.
    let _ = Reflect::delete_property(global.unchecked_ref::<Object>(), &name.into());
    (!value.is_undefined()).then_some(value)
}

/// The request for `python.wasm` (`WASM_PATH`) or the core zip (`CORE_PATH`) already under
/// way, as a promise of its `Response`.
pub fn take_download(path: &str) -> Option<Promise> {
    let field = match path {
        WASM_PATH => "wasm",
        CORE_PATH => "core",
        _ => return None,
    };
    take_field(field)?.dyn_into().ok()
}

/// The worker already started, with what it sent before anyone listened.
pub struct EarlyWorker {
    pub worker: Worker,
    early: Array,
}

impl EarlyWorker {
    /// The worker, if the inline script started one.
    pub fn take() -> Option<Self> {
        let worker: Worker = take_field("worker")?.dyn_into().ok()?;
        let early: Array = take_field("early").and_then(|e| e.dyn_into().ok()).unwrap_or_default();
        Some(Self { worker, early })
    }

    /// Stops keeping the worker's events and sends the ones kept to the listeners now on
    /// it, in order (call once those are added: events are only dispatched between tasks,
    /// so none is missed in between).
    pub fn replay(self) -> Worker {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        for event in self.early.iter() {
            let again = match event.dyn_ref::<MessageEvent>() {
                Some(message) => {
                    let init = MessageEventInit::new();
                    init.set_data(&message.data());
                    MessageEvent::new_with_event_init_dict("message", &init).map(Event::from)
                }
                None => Event::new("error"),
            };
            if let Ok(again) = again {
                let _ = self.worker.dispatch_event(&again);
            }
        }
        self.worker
    }
}
