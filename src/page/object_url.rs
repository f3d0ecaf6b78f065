//! A `blob:` URL for bytes held by the page, revoked when dropped (the browser keeps the
//! bytes until then).

use crate::page_and_worker::js_error::describe;
use js_sys::{Array, Uint8Array};

/// Bytes the page serves at a `blob:` URL of its own origin.
pub struct ObjectUrl(String);

impl ObjectUrl {
    /// Serves `bytes` (the error says why the browser would not).
    pub fn new(bytes: &[u8]) -> Result<Self, String> {
        let parts = Array::of1(&Uint8Array::from(bytes));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/octet-stream");
        let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
            .map_err(|e| describe(&e))?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| describe(&e))?;
        Ok(Self(url))
    }

    /// The URL.
    pub fn url(&self) -> &str {
        &self.0
    }
}

impl Drop for ObjectUrl {
    fn drop(&mut self) {
        let _ = web_sys::Url::revoke_object_url(&self.0);
    }
}
