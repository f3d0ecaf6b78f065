//! Other tabs of the same site: what one tab keeps of the workspace is announced to the others
//! (a `BroadcastChannel`), so that a tab never saves over a file another tab changed without
//! showing it first.

use crate::logic::workspace::WorkspaceFile;
use gloo::events::EventListener;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

const CHANNEL: &str = "py-repl-web.workspace";

/// What one tab kept: files written (with their bytes) and removed, or everything replaced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Kept {
    pub written: Vec<WorkspaceFile>,
    pub removed: Vec<String>,
    /// The workspace was reset: every file not in `written` is gone.
    pub replaced_all: bool,
}

/// This tab's end of the channel; listening stops when it is dropped.
pub struct WorkspaceChannel {
    channel: web_sys::BroadcastChannel,
    _listener: EventListener,
}

impl WorkspaceChannel {
    /// Joins the channel; `on_kept` hears what other tabs kept. `None` where the browser has
    /// no `BroadcastChannel` (then tabs do not hear each other).
    pub fn open(on_kept: impl Fn(Kept) + 'static) -> Option<Self> {
        let channel = web_sys::BroadcastChannel::new(CHANNEL).ok()?;
        let listener = EventListener::new(&channel, "message", move |event| {
            let Some(event) = event.dyn_ref::<web_sys::MessageEvent>() else { return };
            if let Ok(kept) = serde_wasm_bindgen::from_value::<Kept>(event.data()) {
                on_kept(kept);
            }
        });
        Some(Self { channel, _listener: listener })
    }

    /// Tells the other tabs what this tab kept.
    pub fn announce(&self, kept: &Kept) {
        if let Ok(message) = serde_wasm_bindgen::to_value(kept) {
            let _ = self.channel.post_message(&message);
        }
    }
}

impl Drop for WorkspaceChannel {
    fn drop(&mut self) {
        self.channel.close();
    }
}
