//! The page's side of the workspace store: the file the editor shows (local storage), and
//! how much of the browser's storage the site uses.

use crate::page::storage::{self, Area};
use wasm_bindgen::JsCast;

const CURRENT_KEY: &str = "py-repl-web.current-file";

/// How much of the browser's storage this site uses, and may use, in bytes (an estimate the
/// browser gives; `None` where it gives none).
pub async fn usage() -> Option<(f64, f64)> {
    let manager = gloo::utils::window().navigator().storage();
    let estimate = wasm_bindgen_futures::JsFuture::from(manager.estimate().ok()?).await.ok()?;
    let estimate: web_sys::StorageEstimate = estimate.unchecked_into();
    Some((estimate.get_usage()?, estimate.get_quota()?))
}

/// The file the editor showed last time.
pub fn current_file() -> Option<String> {
    storage::get(Area::Local, CURRENT_KEY)
}

/// Remembers the file the editor shows.
pub fn set_current_file(name: &str) {
    storage::set(Area::Local, CURRENT_KEY, name);
}
