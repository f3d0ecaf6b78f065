//! The SharedArrayBuffer of `shared_memory`'s layout, accessed with Atomics.

use crate::logic::shared_memory::{self, SharedCells, word};
use js_sys::{Atomics, Int32Array, SharedArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

/// One view of the shared buffer (the page and the worker each make their own).
#[derive(Clone)]
pub struct SharedRegion {
    buffer: SharedArrayBuffer,
    words: Int32Array,
    bytes: Uint8Array,
}

impl SharedRegion {
    /// A new zeroed buffer for one session; `None` when the page is not cross-origin isolated.
    pub fn create() -> Option<Self> {
        let global = js_sys::global();
        if !js_sys::Reflect::has(&global, &JsValue::from_str("SharedArrayBuffer")).unwrap_or(false) {
            return None;
        }
        let region = Self::from_buffer(SharedArrayBuffer::new(shared_memory::TOTAL_BYTES as u32));
        region.store(word::TTY_FLAGS, shared_memory::tty::CANONICAL);
        Some(region)
    }

    /// Views over a buffer received from the other side.
    pub fn from_buffer(buffer: SharedArrayBuffer) -> Self {
        let words =
            Int32Array::new_with_byte_offset_and_length(&buffer, 0, shared_memory::CONTROL_WORDS as u32);
        let bytes = Uint8Array::new(&buffer);
        Self { buffer, words, bytes }
    }

    /// Takes a buffer out of a received JS value.
    pub fn from_js(value: JsValue) -> Option<Self> {
        value.dyn_into::<SharedArrayBuffer>().ok().map(Self::from_buffer)
    }

    /// The buffer itself, to post to the worker.
    pub fn buffer(&self) -> &SharedArrayBuffer {
        &self.buffer
    }

    /// A one-byte view of CPython's signal byte, to become `Module.Py_EmscriptenSignalBuffer`.
    pub fn signal_view(&self) -> Uint8Array {
        self.bytes.subarray(shared_memory::SIGNAL_BYTE as u32, shared_memory::SIGNAL_BYTE as u32 + 1)
    }

    /// Whether a signal waits for Python.
    pub fn signal_pending(&self) -> bool {
        Atomics::load(&self.bytes, shared_memory::SIGNAL_BYTE as u32).unwrap_or(0) != 0
    }

    /// Forgets a signal Python did not handle (a new interpreter starts clean).
    pub fn clear_signal(&self) {
        let _ = Atomics::store(&self.bytes, shared_memory::SIGNAL_BYTE as u32, 0);
    }

    /// Raises `signal` for Python unless one is pending already (which goes first; the
    /// caller raises its own again later).
    pub fn raise_signal_unless_pending(&self, signal: u8) {
        let _ =
            Atomics::compare_exchange(&self.bytes, shared_memory::SIGNAL_BYTE as u32, 0, i32::from(signal));
    }

    /// Raises SIGINT for Python, and wakes a worker blocked on stdin so it notices.
    pub fn raise_sigint(&self) {
        let _ =
            Atomics::store(&self.bytes, shared_memory::SIGNAL_BYTE as u32, i32::from(shared_memory::SIGINT));
        self.wake();
    }

    /// Bumps the wake counter and wakes the worker. Returns how many waiting threads that
    /// woke: 0 when the worker was not asleep (it sees the new count before it would wait).
    pub fn wake(&self) -> u32 {
        self.add(word::WAKE, 1);
        Atomics::notify(&self.words, word::WAKE as u32).unwrap_or(0)
    }

    /// Blocks (worker only) while `word` still holds `expected`, at most `timeout_ms`.
    /// Callers re-read the shared words afterwards, so why it returned does not matter.
    pub fn wait(&self, word: usize, expected: u32, timeout_ms: Option<f64>) {
        let _ = match timeout_ms {
            Some(ms) => Atomics::wait_with_timeout(&self.words, word as u32, expected as i32, ms),
            None => Atomics::wait(&self.words, word as u32, expected as i32),
        };
    }
}

impl SharedCells for SharedRegion {
    fn load(&self, word: usize) -> u32 {
        Atomics::load(&self.words, word as u32).unwrap_or(0) as u32
    }

    fn store(&self, word: usize, value: u32) {
        let _ = Atomics::store(&self.words, word as u32, value as i32);
    }

    fn add(&self, word: usize, value: u32) -> u32 {
        Atomics::add(&self.words, word as u32, value as i32).unwrap_or(0) as u32
    }

    fn read_bytes(&self, offset: usize, out: &mut [u8]) {
        let start = offset as u32;
        self.bytes.subarray(start, start + out.len() as u32).copy_to(out);
    }

    fn write_bytes(&self, offset: usize, data: &[u8]) {
        let start = offset as u32;
        self.bytes.subarray(start, start + data.len() as u32).copy_from(data);
    }
}
