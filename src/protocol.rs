//! Messages between the page and the Python worker; the one protocol both binaries share.
//!
//! Messages travel with `postMessage`, encoded by `serde-wasm-bindgen` (byte buffers become
//! `Uint8Array`s). The `SharedArrayBuffer` for stdin and signals travels beside `Boot` as a
//! raw JS value, because serde cannot carry it.

use serde::{Deserialize, Serialize};

/// From the page to the worker. Once Python runs, the worker's event loop is blocked, so
/// everything after `Boot` goes through shared memory (see `shared_memory`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ToWorker {
    /// Load Python (URLs relative to the page) and start the interactive interpreter.
    Boot(BootConfig),
    /// Start a fresh interpreter after the previous one exited, reusing downloaded files.
    Restart,
}

/// Where the Python build lives and how the terminal looks at boot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootConfig {
    /// URL of `python.mjs`, the Emscripten module factory.
    pub module_url: String,
    /// URL of `python.wasm`.
    pub wasm_url: String,
    /// URL of the core standard library zip, installed at boot.
    pub stdlib_url: String,
    /// URL of the rest of the standard library, fetched on the first import that needs it.
    pub stdlib_extra_url: String,
}

/// Which download a progress report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Download {
    /// `python.wasm`, compiled while it streams in.
    Wasm,
    /// The standard library zip.
    Stdlib,
}

/// From the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum FromWorker {
    /// The worker's code is loaded and listening: the page may send `Boot` now (messages
    /// sent earlier could arrive before anyone listens).
    Listening,
    /// Bytes of a download received so far (`total` when the server sent a length).
    Progress { download: Download, received: u64, total: Option<u64> },
    /// Everything is loaded; the interpreter is starting.
    Started,
    /// Python is blocked reading stdin and nothing is waiting in the ring (output before
    /// this message is complete, so its prompt is on screen).
    InputWanted,
    /// Bytes Python wrote to stdout or stderr, in order.
    Output {
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// The interpreter exited with this status (after `exit()` or Ctrl+D).
    Exited { code: i32 },
    /// Python could not start or crashed (download failure, wasm trap, out of memory).
    Failed { reason: FailureKind, message: String },
}

/// What went wrong, so the page can offer the right way back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailureKind {
    /// A file could not be downloaded: retry may help.
    Download,
    /// The files downloaded but are not a working Python (corrupt or mismatched).
    Corrupt,
    /// The interpreter crashed: a WebAssembly trap, a stack overflow, out of memory.
    Crash,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_bytes_round_trip_unchanged() {
        let msg = FromWorker::Output { bytes: "é\u{1F600}\n".as_bytes().to_vec() };
        let text = serde_json::to_string(&msg).expect("serialize");
        assert!(text.contains(r#""type":"Output""#), "{text}");
        let back: FromWorker = serde_json::from_str(&text).expect("deserialize");
        assert_eq!(back, msg);
    }

    #[test]
    fn boot_carries_all_urls() {
        let msg = ToWorker::Boot(BootConfig {
            module_url: "a/python.mjs".into(),
            wasm_url: "a/python.wasm".into(),
            stdlib_url: "a/python313.zip".into(),
            stdlib_extra_url: "a/python313-extra.zip".into(),
        });
        let back: ToWorker =
            serde_json::from_str(&serde_json::to_string(&msg).expect("serialize")).expect("deserialize");
        assert_eq!(back, msg);
    }
}
