//! The page's thread: the Leptos app and everything it drives (terminal, line discipline,
//! session, the page's end of the relay). Browser APIs stay behind Rust types here: no
//! `JsValue` reaches a component.

pub mod components;
pub mod console;
pub mod documents_store;
pub mod drawing;
pub mod early_boot;
pub mod editor;
pub mod file_transfer;
pub mod history_store;
pub mod isolation;
pub mod layout_store;
pub mod object_url;
pub mod output_decoder;
pub mod python_downloads;
pub mod relay_sender;
pub mod session;
pub mod share_link;
pub mod storage;
pub mod text_input;
pub mod timing;
pub mod workspace_channel;
pub mod workspace_store;
pub mod xterm_ext;

/// `relative` resolved against the page's address (the site may live under a sub-path).
pub fn page_url(relative: &str) -> String {
    let base = gloo::utils::document().base_uri().ok().flatten().unwrap_or_default();
    web_sys::Url::new_with_base(relative, &base).map(|u| u.href()).unwrap_or_else(|_| relative.to_owned())
}
