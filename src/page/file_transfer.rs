//! Files in and out of the workspace: what the student uploads (a file input or a drop) read
//! into memory, and a file handed to the browser's download.

use crate::logic::workspace::{MAX_FILE_BYTES, WorkspaceFile};
use crate::page::object_url::ObjectUrl;
use crate::page_and_worker::js_error::describe;
use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Why a file did not come in or go out.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{name} is {size} MB; files up to {limit} MB fit in the workspace", size = bytes / 1_000_000, limit = MAX_FILE_BYTES / 1_000_000)]
    TooLarge { name: String, bytes: u64 },
    #[error("{name} could not be read ({detail})")]
    Unreadable { name: String, detail: String },
    #[error("{name} could not be downloaded ({detail})")]
    Download { name: String, detail: String },
}

/// The files of an input's selection or a drop, taken out of the list at once (an input's
/// list empties when the input is reset).
pub fn files_of(list: &web_sys::FileList) -> Vec<web_sys::File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// Reads every file of `files`, each with its own outcome.
pub async fn read_files(files: Vec<web_sys::File>) -> Vec<Result<WorkspaceFile, TransferError>> {
    let mut read = Vec::new();
    for file in files {
        let name = file.name();
        let size = file.size() as u64;
        if size > MAX_FILE_BYTES {
            read.push(Err(TransferError::TooLarge { name, bytes: size }));
            continue;
        }
        let bytes = JsFuture::from(file.array_buffer()).await;
        read.push(match bytes {
            Ok(buffer) => Ok(WorkspaceFile { name, bytes: Uint8Array::new(&buffer).to_vec() }),
            Err(error) => Err(TransferError::Unreadable { name, detail: describe(&error) }),
        });
    }
    read
}

/// Hands `bytes` to the browser as a download named `name`.
pub fn download(name: &str, bytes: &[u8]) -> Result<(), TransferError> {
    let failed = |detail: String| TransferError::Download { name: name.to_owned(), detail };
    let served = ObjectUrl::new(bytes).map_err(failed)?;
    let document = gloo::utils::document();
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|e| failed(describe(&e)))?.unchecked_into();
    link.set_href(served.url());
    link.set_download(name);
    link.click();
    // The click has started the download; the address is not needed any more.
    Ok(())
}
