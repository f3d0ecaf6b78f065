//! The page's side of one Python session: owns the worker and the shared region.

use crate::protocol::{BootConfig, Download, FailureKind, FromWorker, ToWorker};
use crate::shared_memory::{Ring, SharedCells, word};
use crate::web::shared_region::SharedRegion;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// Output bytes from Python, kept as the browser's buffer to hand to the terminal uncopied.
pub struct OutputChunk(pub(crate) Uint8Array);

impl OutputChunk {
    /// Number of bytes.
    pub fn len(&self) -> u32 {
        self.0.length()
    }

    /// Whether the chunk is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Tells the worker how much output the terminal has rendered (flow control).
pub struct OutputAcker(SharedRegion);

impl OutputAcker {
    /// The terminal has rendered `bytes` more output bytes.
    pub fn rendered(&self, bytes: u32) {
        self.0.add(word::OUTPUT_ACKED, bytes);
        self.0.notify(word::OUTPUT_ACKED);
    }
}

/// What the worker reported.
pub enum SessionEvent {
    Progress { download: Download, received: u64, total: Option<u64> },
    Started,
    InputWanted,
    Output(OutputChunk),
    Exited(i32),
    Failed(FailureKind, String),
}

/// Why a session could not start.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("this page is not cross-origin isolated, so SharedArrayBuffer is unavailable")]
    NotIsolated,
    #[error("the Python worker could not be started: {0}")]
    Worker(String),
}

/// Stdin bytes waiting for room in the ring, and the timer that retries.
#[derive(Default)]
struct Backlog {
    bytes: VecDeque<u8>,
    retry: Option<Timeout>,
}

/// One running worker with its interpreter.
pub struct Session {
    worker: Worker,
    shared: SharedRegion,
    backlog: Rc<RefCell<Backlog>>,
    _listeners: [EventListener; 2],
}

const WORKER_SCRIPT: &str = "./worker_loader.js";

impl Session {
    /// Starts a worker, sends it `Boot` once it listens, and reports its events to `on_event`.
    pub fn start(
        config: BootConfig,
        rows: u32,
        cols: u32,
        on_event: impl Fn(SessionEvent) + 'static,
    ) -> Result<Self, SessionError> {
        let shared = SharedRegion::create().ok_or(SessionError::NotIsolated)?;
        shared.store(word::ROWS, rows);
        shared.store(word::COLS, cols);
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_SCRIPT, &options)
            .map_err(|e| SessionError::Worker(crate::web::error::describe(&e)))?;
        let boot = envelope(&ToWorker::Boot(config)).map_err(|e| SessionError::Worker(e.to_string()))?;
        let _ = Reflect::set(&boot, &"shared".into(), shared.buffer());
        let on_event = Rc::new(on_event);
        let on_message = {
            let on_event = on_event.clone();
            let target = worker.clone();
            EventListener::new(&worker, "message", move |event| {
                match event.dyn_ref::<MessageEvent>().and_then(|e| decode(&e.data())) {
                    Some(Decoded::Listening) => {
                        if let Err(e) = target.post_message(&boot) {
                            let detail = crate::web::error::describe(&e);
                            on_event(SessionEvent::Failed(FailureKind::Crash, detail));
                        }
                    }
                    Some(Decoded::Event(event)) => on_event(event),
                    None => {}
                }
            })
        };
        let on_error = EventListener::new(&worker, "error", move |event| {
            let detail = event
                .dyn_ref::<web_sys::ErrorEvent>()
                .map(|e| e.message())
                .unwrap_or_else(|| "the worker script failed to load".into());
            on_event(SessionEvent::Failed(FailureKind::Download, detail));
        });
        Ok(Self { worker, shared, backlog: Rc::default(), _listeners: [on_message, on_error] })
    }

    /// Queues bytes for Python's stdin; what does not fit in the ring waits and is retried.
    pub fn send_input(&self, bytes: &[u8]) {
        self.backlog.borrow_mut().bytes.extend(bytes);
        pump(&self.shared, &self.backlog);
    }

    /// Delivers SIGINT and drops type-ahead not yet read, as a terminal does on ^C.
    pub fn interrupt(&self) {
        self.backlog.borrow_mut().bytes.clear();
        self.shared.raise_sigint();
    }

    /// Ctrl+D on an empty line: Python's next read returns end of file.
    pub fn end_of_file(&self) {
        self.shared.add(word::EOF_PENDING, 1);
        self.shared.wake();
    }

    /// The terminal's new size, for `shutil.get_terminal_size()`.
    pub fn resize(&self, rows: u32, cols: u32) {
        self.shared.store(word::ROWS, rows);
        self.shared.store(word::COLS, cols);
    }

    /// A handle that acknowledges rendered output; it borrows nothing, so the terminal may
    /// call it at any time (xterm sometimes runs write callbacks inside a later write).
    pub fn output_acker(&self) -> OutputAcker {
        OutputAcker(self.shared.clone())
    }

    /// Starts a new interpreter in the same worker (only after the previous one exited).
    pub fn restart_in_place(&self) {
        self.backlog.borrow_mut().bytes.clear();
        if let Ok(message) = envelope(&ToWorker::Restart) {
            let _ = self.worker.post_message(&message);
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// `{ msg }`, the shape the worker reads (`Boot` adds the shared buffer beside it).
fn envelope(message: &ToWorker) -> Result<Object, serde_wasm_bindgen::Error> {
    let wrapper = Object::new();
    let _ = Reflect::set(&wrapper, &"msg".into(), &serde_wasm_bindgen::to_value(message)?);
    Ok(wrapper)
}

fn pump(shared: &SharedRegion, backlog: &Rc<RefCell<Backlog>>) {
    let mut state = backlog.borrow_mut();
    if state.bytes.is_empty() {
        return;
    }
    let ring = Ring::new(shared);
    let (front, _) = state.bytes.as_slices();
    let written = ring.push(front);
    state.bytes.drain(..written);
    if written > 0 {
        shared.wake();
    }
    if !state.bytes.is_empty() {
        let (shared, again) = (shared.clone(), backlog.clone());
        state.retry = Some(Timeout::new(10, move || pump(&shared, &again)));
    }
}

/// A worker message: an event for the page, or the go-ahead for `Boot`.
enum Decoded {
    Listening,
    Event(SessionEvent),
}

fn decode(data: &wasm_bindgen::JsValue) -> Option<Decoded> {
    let kind = Reflect::get(data, &"type".into()).ok()?.as_string()?;
    if kind == "Output" {
        let bytes = Reflect::get(data, &"bytes".into()).ok()?.dyn_into::<Uint8Array>().ok()?;
        return Some(Decoded::Event(SessionEvent::Output(OutputChunk(bytes))));
    }
    let event = match serde_wasm_bindgen::from_value::<FromWorker>(data.clone()).ok()? {
        FromWorker::Listening => return Some(Decoded::Listening),
        FromWorker::Progress { download, received, total } => {
            SessionEvent::Progress { download, received, total }
        }
        FromWorker::Started => SessionEvent::Started,
        FromWorker::InputWanted => SessionEvent::InputWanted,
        FromWorker::Output { .. } => return None,
        FromWorker::Exited { code } => SessionEvent::Exited(code),
        FromWorker::Failed { reason, message } => SessionEvent::Failed(reason, message),
    };
    Some(Decoded::Event(event))
}
