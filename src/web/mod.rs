//! Everything that touches browser APIs, behind Rust types: no `JsValue` leaves this module
//! except inside the types defined here.

pub mod console;
pub mod downloads;
pub mod emscripten;
pub mod error;
pub mod history_store;
pub mod isolation;
pub mod page_link;
pub mod python_host;
pub mod python_io;
pub mod relay;
pub mod session;
pub mod shared_region;
pub mod storage;
pub mod text_input;
pub mod xterm_ext;

/// `relative` resolved against the page's address (the site may live under a sub-path).
pub fn page_url(relative: &str) -> String {
    let base = gloo::utils::document().base_uri().ok().flatten().unwrap_or_default();
    web_sys::Url::new_with_base(relative, &base).map(|u| u.href()).unwrap_or_else(|_| relative.to_owned())
}
