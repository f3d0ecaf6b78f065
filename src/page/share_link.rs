//! The page's address as a share link: its fragment read and then removed, a link made for a
//! fragment, the clipboard, and a teacher's file fetched from the same site.

use crate::logic::share::{self, ShareError, SharedFile};
use crate::logic::workspace::MAX_FILE_BYTES;
use crate::page_and_worker::js_error::describe;
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Why a teacher's file did not arrive.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{path} could not be opened from this site ({detail})")]
    Failed { path: String, detail: String },
    #[error("{path} is larger than {limit} MB, too large for the workspace", limit = MAX_FILE_BYTES / 1_000_000)]
    TooLarge { path: String },
}

/// What the page's address shares, if anything; the fragment is then removed from the address
/// (a reload does not open it again, and the student's own link stays short).
pub fn take_shared() -> Option<Result<SharedFile, ShareError>> {
    let window = gloo::utils::window();
    let fragment = window.location().hash().ok()?;
    let shared = share::parse_fragment(&fragment)?;
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&page_address()));
    }
    Some(shared)
}

/// The page's address without its fragment.
fn page_address() -> String {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_owned()
}

/// The link that opens this page with `fragment`.
pub fn link_with(fragment: &str) -> String {
    format!("{}#{fragment}", page_address())
}

/// Puts `text` on the clipboard; whether the browser allowed it.
pub async fn copy(text: &str) -> bool {
    let clipboard = gloo::utils::window().navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// The bytes of `path`, a file published beside the page (a relative path, so on this site).
pub async fn fetch_published(path: &str) -> Result<Vec<u8>, FetchError> {
    let failed = |detail: String| FetchError::Failed { path: path.to_owned(), detail };
    let window = gloo::utils::window();
    let response = JsFuture::from(window.fetch_with_str(path)).await.map_err(|e| failed(describe(&e)))?;
    let response: web_sys::Response = response.dyn_into().map_err(|e| failed(describe(&e)))?;
    if !response.ok() {
        return Err(failed(format!("{} {}", response.status(), response.status_text())));
    }
    let length = response.headers().get("content-length").ok().flatten().and_then(|l| l.parse::<u64>().ok());
    if length.is_some_and(|l| l > MAX_FILE_BYTES) {
        return Err(FetchError::TooLarge { path: path.to_owned() });
    }
    let buffer = response.array_buffer().map_err(|e| failed(describe(&e)))?;
    let buffer = JsFuture::from(buffer).await.map_err(|e| failed(describe(&e)))?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(FetchError::TooLarge { path: path.to_owned() });
    }
    Ok(bytes)
}
