//! Web storage that the browser may refuse (a frame inside another site's page, some private
//! windows): every access may fail, and a refusal only loses what would have been kept.
//! (gloo's storage panics when the storage object itself is refused.)

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Which storage.
#[derive(Debug, Clone, Copy)]
pub enum Area {
    /// Kept across visits.
    Local,
    /// Kept for this tab's session.
    Session,
}

fn storage(area: Area) -> Option<web_sys::Storage> {
    let window = gloo::utils::window();
    match area {
        Area::Local => window.local_storage(),
        Area::Session => window.session_storage(),
    }
    .ok()
    .flatten()
}

/// The value stored under `key`, if any can be read.
pub fn get<T: DeserializeOwned>(area: Area, key: &str) -> Option<T> {
    let text = storage(area)?.get_item(key).ok()??;
    serde_wasm_bindgen::from_value(js_sys::JSON::parse(&text).ok()?).ok()
}

/// Stores `value` under `key`; whether the browser kept it.
pub fn set<T: Serialize + ?Sized>(area: Area, key: &str, value: &T) -> bool {
    // JSON-compatible: maps become objects (JSON.stringify writes a JS Map as "{}").
    let text = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()
        .and_then(|v| js_sys::JSON::stringify(&v).ok())
        .and_then(|t| t.as_string());
    match (storage(area), text) {
        (Some(storage), Some(text)) => storage.set_item(key, &text).is_ok(),
        _ => false,
    }
}

/// Forgets `key`.
pub fn remove(area: Area, key: &str) {
    if let Some(storage) = storage(area) {
        let _ = storage.remove_item(key);
    }
}
