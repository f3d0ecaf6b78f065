//! Blocking GETs (only a worker may block, and Python blocks it anyway): the relay's events
//! and the rest of the standard library are fetched this way while Python waits. A leaf.

use crate::page_and_worker::js_error::describe;
use crate::worker::error::GetError;
use js_sys::Uint8Array;
use web_sys::{XmlHttpRequest, XmlHttpRequestResponseType};

/// GETs `url`, blocking; the request once it answered 200.
fn get(url: &str, binary: bool) -> Result<XmlHttpRequest, GetError> {
    let js = |e: wasm_bindgen::JsValue| GetError::Js(describe(&e));
    let request = XmlHttpRequest::new().map_err(js)?;
    request.open_with_async("GET", url, false).map_err(js)?;
    if binary {
        request.set_response_type(XmlHttpRequestResponseType::Arraybuffer);
    }
    request.send().map_err(|e| GetError::Network(describe(&e)))?;
    let status = request.status().map_err(js)?;
    if status != 200 {
        return Err(GetError::Status { url: url.to_owned(), status });
    }
    Ok(request)
}

/// The body of `url` as text.
pub fn get_text(url: &str) -> Result<String, GetError> {
    let request = get(url, false)?;
    request.response_text().map(Option::unwrap_or_default).map_err(|e| GetError::Js(describe(&e)))
}

/// The body of `url` as bytes.
pub fn get_bytes(url: &str) -> Result<Uint8Array, GetError> {
    let body = get(url, true)?.response().map_err(|e| GetError::Js(describe(&e)))?;
    Ok(Uint8Array::new(&body))
}
