//! The page's side of one Python session: owns the worker and its link to it (the shared
//! region, or in compatibility mode the service worker's relay).

use crate::logic::canvas_protocol::CanvasEvent;
use crate::logic::message_mirror::{self, MessageOrder, MirrorReader};
use crate::logic::protocol::{BootConfig, FailureKind, FromWorker, RelayEvent, RunRequest, ToWorker};
use crate::logic::shared_memory::{Ring, SharedCells, post_to_mailbox, word};
use crate::logic::termios::TerminalModes;
use crate::logic::workspace::WorkspaceFile;
use crate::logic::workspace_push::PendingChanges;
use crate::page::early_boot::{EarlyWorker, WORKER_SCRIPT};
use crate::page::object_url::ObjectUrl;
use crate::page::python_downloads::{DownloadError, PythonDownloads};
use crate::page::relay_sender::{RelayError, RelaySender};
use crate::page::timing::{self, Span};
use crate::page_and_worker::js_error::describe;
use crate::page_and_worker::shared_region::SharedRegion;
use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use js_sys::{Object, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::spawn_local;
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

/// How the page reaches Python while it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Cross-origin isolated: stdin through a SharedArrayBuffer, Ctrl+C raises
    /// KeyboardInterrupt.
    Isolated,
    /// No SharedArrayBuffer: stdin relayed by the service worker, Ctrl+C restarts Python.
    Compatibility,
}

/// The session's channel to the worker.
#[derive(Clone)]
enum Link {
    Shared {
        region: SharedRegion,
        backlog: Rc<RefCell<Backlog>>,
    },
    /// The relay, and how many lines and EOF marks went through it (wrapping).
    Relay {
        relay: Rc<RelaySender>,
        inputs_sent: Rc<Cell<u32>>,
    },
}

/// Tells the worker how much output the terminal has rendered (flow control).
pub struct OutputAcker(Link, Reporter);

impl OutputAcker {
    /// The terminal has rendered `bytes` more output bytes.
    pub fn rendered(&self, bytes: u32) {
        match &self.0 {
            Link::Shared { region, .. } => {
                region.add(word::OUTPUT_ACKED, bytes);
                region.wake();
            }
            Link::Relay { relay, .. } => self.1.relayed(relay.send(&RelayEvent::OutputRendered { bytes })),
        }
    }
}

/// Takes the worker's messages that answer typing from the shared region's mirror (see
/// `message_mirror`), for the terminal to draw them in the frame being prepared.
#[derive(Clone)]
pub struct MirrorTaker {
    region: SharedRegion,
    order: Rc<Cell<MessageOrder>>,
    reader: Rc<Cell<MirrorReader>>,
    on_event: Rc<dyn Fn(SessionEvent)>,
}

impl MirrorTaker {
    /// Reports the mirrored messages that come next, as if they had just arrived.
    pub fn take(&self) {
        let (mut order, mut reader) = (self.order.get(), self.reader.get());
        let taken = reader.take(&self.region, &mut order);
        self.order.set(order);
        self.reader.set(reader);
        if !taken.is_empty() {
            timing::mark(ANSWER_TAKEN_AT_FRAME);
        }
        for bytes in taken {
            match message_mirror::decode(&bytes).and_then(from_worker) {
                Some(Decoded::Event(event)) => (self.on_event)(event),
                // Shared memory: no relayed line can be in flight.
                Some(Decoded::InputWanted { .. }) => (self.on_event)(SessionEvent::InputWanted),
                Some(_) | None => {}
            }
        }
    }
}

/// Reports what failed after the call that found it returns: its caller may be holding the
/// state that the session's owner updates on an event.
#[derive(Clone)]
struct Reporter(Rc<dyn Fn(SessionEvent)>);

impl Reporter {
    fn failed(&self, kind: FailureKind, message: String) {
        let on_event = self.0.clone();
        spawn_local(async move { on_event(SessionEvent::Failed(kind, message)) });
    }

    /// Reports a relayed event that did not reach the service worker: Python would wait
    /// for input or output acknowledgements that never come.
    fn relayed(&self, sent: Result<(), RelayError>) {
        if let Err(error) = sent {
            self.failed(FailureKind::Disconnected, format!("Python's input could not be relayed: {error}"));
        }
    }
}

/// The User Timing name of the main thread's work on files Python wrote: decoding them,
/// the workspace's update, the save queued.
pub const FILES_TAKEN_IN: &str = "workspace: files Python wrote, taken in";

/// The User Timing mark of each time Python's answers to typing were taken from the mirror.
pub const ANSWER_TAKEN_AT_FRAME: &str = "terminal: answer taken at a frame";

/// What the worker reported.
pub enum SessionEvent {
    /// The interpreter of this generation starts.
    Started {
        generation: u32,
    },
    /// Its interactive prompt begins (after the program, if one ran).
    ReplStarted,
    /// A SIGINT now becomes `KeyboardInterrupt` (during startup it would be lost).
    SignalsReady,
    /// Python asks for a web page to be opened.
    OpenUrl(String),
    /// Python wrote or removed files in its working directory.
    FilesChanged {
        written: Vec<WorkspaceFile>,
        removed: Vec<String>,
    },
    InputWanted,
    /// Python read the first line typed ahead (it belongs after the prompt shown last).
    LineRead,
    /// The program changed how its tty handles keys.
    TerminalModes(TerminalModes),
    /// An interactive prompt follows.
    Prompt,
    /// PyREPL's history gained these entries.
    History(Vec<String>),
    Output(OutputChunk),
    /// Turtle graphics: drawing operations (JSON text).
    Drawing(String),
    Exited(i32),
    Failed(FailureKind, String),
}

/// Why a session could not start.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("this browser gives the page no SharedArrayBuffer to share with Python's worker")]
    NoSharedMemory,
    #[error("no service worker controls this page, so Python's input cannot be relayed")]
    NoRelay,
    #[error("the Python worker could not be started: {0}")]
    Worker(String),
}

/// Stdin bytes waiting for room in the ring, and the timer that retries.
#[derive(Default)]
struct Backlog {
    bytes: VecDeque<u8>,
    retry: Option<Timeout>,
}

/// Messages for the worker: held until it listens (a message posted earlier would reach
/// no listener), then posted as they come.
#[derive(Default)]
struct Outbox {
    listening: bool,
    held: Vec<Object>,
}

/// The student's workspace changes on their way into the running interpreter (see
/// `workspace_push`), and the blob holding the latest set.
#[derive(Default)]
struct Pushed {
    pending: PendingChanges,
    blob: Option<ObjectUrl>,
}

impl Pushed {
    /// The interpreter took set `number`: the blob goes once nothing is pending.
    fn taken(&mut self, number: u32) {
        if self.pending.taken(number) {
            self.blob = None;
        }
    }
}

/// Input held back until the workspace kept in the browser is on its way to the first
/// interpreter, so that no line typed at the first prompt runs before the files are there.
enum HeldInput {
    Text(String),
    EndOfFile,
}

/// One running worker with its interpreter.
pub struct Session {
    worker: Worker,
    link: Link,
    reporter: Reporter,
    outbox: Rc<RefCell<Outbox>>,
    pushed: Rc<RefCell<Pushed>>,
    /// The number of the worker's next message to handle (see `message_mirror`).
    order: Rc<Cell<MessageOrder>>,
    /// `Some` while input waits for [`deliver_kept_workspace`](Self::deliver_kept_workspace).
    held: RefCell<Option<Vec<HeldInput>>>,
    _listeners: [EventListener; 2],
}

impl Session {
    /// Starts a worker, sends it `Boot` once it listens and then Python from `downloads`
    /// when they are done (its interpreter starts at the first [`run`](Self::run), for
    /// `generation`), and reports its events to `on_event`.
    pub fn start(
        mut config: BootConfig,
        downloads: &PythonDownloads,
        generation: u32,
        mode: Mode,
        rows: u32,
        cols: u32,
        on_event: impl Fn(SessionEvent) + 'static,
    ) -> Result<Self, SessionError> {
        let on_event: Rc<dyn Fn(SessionEvent)> = Rc::new(on_event);
        let reporter = Reporter(on_event.clone());
        let link = match mode {
            Mode::Isolated => {
                let region = SharedRegion::create().ok_or(SessionError::NoSharedMemory)?;
                region.store(word::ROWS, rows);
                region.store(word::COLS, cols);
                region.store(word::RUN_GENERATION, generation);
                Link::Shared { region, backlog: Rc::default() }
            }
            Mode::Compatibility => {
                let relay = RelaySender::open().ok_or(SessionError::NoRelay)?;
                reporter.relayed(relay.send(&RelayEvent::Resize { rows, cols }));
                reporter.relayed(relay.send(&RelayEvent::Supersede { generation }));
                config.relay_url = Some(relay.url());
                Link::Relay { relay: Rc::new(relay), inputs_sent: Rc::default() }
            }
        };
        // The first session's worker may be under way since the page began (index.html).
        let early = EarlyWorker::take();
        let worker = match &early {
            Some(early) => early.worker.clone(),
            None => {
                let options = WorkerOptions::new();
                options.set_type(WorkerType::Module);
                Worker::new_with_options(WORKER_SCRIPT, &options)
                    .map_err(|e| SessionError::Worker(describe(&e)))?
            }
        };
        let boot = envelope(&ToWorker::Boot { config }).map_err(|e| SessionError::Worker(e.to_string()))?;
        if let Link::Shared { region, .. } = &link {
            Reflect::set(&boot, &"shared".into(), region.buffer())
                .map_err(|e| SessionError::Worker(describe(&e)))?;
        }
        let inputs_sent = match &link {
            Link::Relay { inputs_sent, .. } => Some(inputs_sent.clone()),
            Link::Shared { .. } => None,
        };
        let outbox: Rc<RefCell<Outbox>> = Rc::default();
        let pushed: Rc<RefCell<Pushed>> = Rc::default();
        let order: Rc<Cell<MessageOrder>> = Rc::default();
        let on_message = {
            let order = order.clone();
            let on_event = on_event.clone();
            let target = worker.clone();
            let outbox = outbox.clone();
            let pushed = pushed.clone();
            EventListener::new(&worker, "message", move |event| {
                let Some(data) = event.dyn_ref::<MessageEvent>().map(MessageEvent::data) else { return };
                let Some(kind) = Reflect::get(&data, &"type".into()).ok().and_then(|k| k.as_string()) else {
                    return;
                };
                if let Some(number) =
                    Reflect::get(&data, &message_mirror::NUMBER_FIELD.into()).ok().and_then(|n| n.as_f64())
                {
                    let mut handled = order.get();
                    let new = handled.accept_posted(number as u32);
                    order.set(handled);
                    if !new {
                        return; // taken from the mirror already
                    }
                }
                // The main thread's share of keeping what Python wrote (the benchmark's figure).
                let span = (kind == "FilesChanged").then(|| Span::start(FILES_TAKEN_IN));
                match decode(&kind, &data) {
                    // Asked before a line in flight arrived: that line answers it.
                    Some(Decoded::InputWanted { inputs_seen })
                        if inputs_sent.as_ref().is_some_and(|sent| sent.get() != inputs_seen) => {}
                    Some(Decoded::InputWanted { .. }) => on_event(SessionEvent::InputWanted),
                    Some(Decoded::Listening) => {
                        timing::mark("boot: worker listening");
                        let held = {
                            let mut outbox = outbox.borrow_mut();
                            outbox.listening = true;
                            std::mem::take(&mut outbox.held)
                        };
                        for message in std::iter::once(&boot).chain(&held) {
                            if let Err(e) = target.post_message(message) {
                                let detail = describe(&e);
                                on_event(SessionEvent::Failed(FailureKind::Crash, detail));
                            }
                        }
                    }
                    Some(Decoded::WorkspaceTaken { number }) => pushed.borrow_mut().taken(number),
                    Some(Decoded::Event(event)) => on_event(event),
                    None => {}
                }
                if let Some(span) = span {
                    span.finish();
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
        if let Some(early) = early {
            early.replay(); // what it said before these listeners were there
        }
        let session = Self {
            worker,
            link,
            reporter,
            outbox,
            pushed,
            order,
            held: RefCell::default(),
            _listeners: [on_message, on_error],
        };
        session.hand_over(downloads);
        Ok(session)
    }

    /// Sends the worker Python from `downloads` once they are done (after `Boot`), or
    /// reports why there is none.
    fn hand_over(&self, downloads: &PythonDownloads) {
        let (downloads, worker, outbox, reporter) =
            (downloads.clone(), self.worker.clone(), self.outbox.clone(), self.reporter.clone());
        spawn_local(async move {
            let assets = match downloads.assets().await {
                Ok(assets) => assets,
                Err(error @ DownloadError::Failed { .. }) => {
                    return reporter.failed(FailureKind::Download, error.to_string());
                }
                Err(error @ DownloadError::Corrupt { .. }) => {
                    return reporter.failed(FailureKind::Corrupt, error.to_string());
                }
            };
            let message = envelope(&ToWorker::Python).and_then(|message| {
                for (key, value) in [("wasm", JsValue::from(assets.wasm)), ("core", assets.core.into())] {
                    Reflect::set(&message, &key.into(), &value)
                        .map_err(|e| serde_wasm_bindgen::Error::new(describe(&e)))?;
                }
                Ok(message)
            });
            match message {
                Ok(message) => post_when_listening(&worker, &outbox, &reporter, message),
                Err(e) => reporter
                    .failed(FailureKind::Crash, format!("the Python worker could not be started: {e}")),
            }
        });
    }

    /// How this session reaches Python.
    pub fn mode(&self) -> Mode {
        match self.link {
            Link::Shared { .. } => Mode::Isolated,
            Link::Relay { .. } => Mode::Compatibility,
        }
    }

    /// Queues text for Python's stdin; what does not fit in the ring waits and is retried.
    pub fn send_input(&self, text: &str) {
        if let Some(held) = self.held.borrow_mut().as_mut() {
            held.push(HeldInput::Text(text.to_owned()));
            return;
        }
        match &self.link {
            Link::Shared { region, backlog } => {
                backlog.borrow_mut().bytes.extend(text.as_bytes());
                pump(region, backlog);
            }
            Link::Relay { relay, inputs_sent } => {
                self.reporter.relayed(send_counted(
                    relay,
                    inputs_sent,
                    &RelayEvent::Input { text: text.to_owned() },
                ));
            }
        }
    }

    /// Delivers SIGINT and drops type-ahead not yet read, as a terminal does on ^C. In
    /// compatibility mode it reaches Python only while Python waits for input.
    pub fn interrupt(&self) {
        match &self.link {
            Link::Shared { region, backlog } => {
                backlog.borrow_mut().bytes.clear();
                region.raise_sigint();
            }
            Link::Relay { relay, .. } => self.reporter.relayed(relay.send(&RelayEvent::Interrupt)),
        }
    }

    /// Ctrl+D on an empty line: Python's next read returns end of file.
    pub fn end_of_file(&self) {
        if let Some(held) = self.held.borrow_mut().as_mut() {
            held.push(HeldInput::EndOfFile);
            return;
        }
        match &self.link {
            Link::Shared { region, .. } => {
                region.add(word::EOF_PENDING, 1);
                region.wake();
            }
            Link::Relay { relay, inputs_sent } => {
                self.reporter.relayed(send_counted(relay, inputs_sent, &RelayEvent::EndOfFile));
            }
        }
    }

    /// The terminal's new size, for `shutil.get_terminal_size()`.
    pub fn resize(&self, rows: u32, cols: u32) {
        match &self.link {
            Link::Shared { region, .. } => {
                region.store(word::ROWS, rows);
                region.store(word::COLS, cols);
                // A program reading keys raw redraws now (the worker raises SIGWINCH).
                region.wake();
            }
            Link::Relay { relay, .. } => {
                self.reporter.relayed(relay.send(&RelayEvent::Resize { rows, cols }))
            }
        }
    }

    /// A turtle graphics event for Python, which takes it at its next `update()` or turn of
    /// its event loop. One that finds no room (Python has not looked for 64 KiB of them) is
    /// dropped, as a busy window drops pointer motion.
    pub fn send_canvas_event(&self, event: &CanvasEvent) {
        let line = event.to_line();
        match &self.link {
            Link::Shared { region, .. } => {
                if Ring::canvas(region).push_whole(line.as_bytes()) {
                    region.wake();
                }
            }
            Link::Relay { relay, .. } => self.reporter.relayed(relay.send(&RelayEvent::Canvas { line })),
        }
    }

    /// The student changed the workspace: the running interpreter's working directory
    /// follows when Python next waits for input (at its prompt, in `input()`).
    pub fn push_workspace(&self, written: Vec<WorkspaceFile>, removed: &[String]) {
        let not_handed = |detail: String| {
            let message = format!("your changes to the files could not be handed to Python: {detail}");
            self.reporter.failed(FailureKind::Disconnected, message);
        };
        let mut pushed = self.pushed.borrow_mut();
        let (number, changes) = pushed.pending.record(written, removed);
        let blob = match ObjectUrl::new(&changes.encode()) {
            Ok(blob) => blob,
            Err(detail) => return not_handed(detail),
        };
        match &self.link {
            Link::Shared { region, .. } => {
                if let Err(error) = post_to_mailbox(region, number, blob.url()) {
                    return not_handed(error.to_string());
                }
                region.wake();
            }
            Link::Relay { relay, .. } => {
                let event = RelayEvent::WorkspaceChanged { number, url: blob.url().to_owned() };
                self.reporter.relayed(relay.send(&event));
            }
        }
        // The worker may still be fetching the older blob: it then finds this newer one.
        pushed.blob = Some(blob);
    }

    /// The workspace kept in the browser, read by the page while the first interpreter
    /// started without it: it goes in as a set of changes, and the input held until now
    /// follows it, so Python takes the files before it reads a line.
    pub fn deliver_kept_workspace(&self, files: Vec<WorkspaceFile>) {
        if !files.is_empty() {
            self.push_workspace(files, &[]);
        }
        let held = self.held.borrow_mut().take().unwrap_or_default();
        for input in held {
            match input {
                HeldInput::Text(text) => self.send_input(&text),
                HeldInput::EndOfFile => self.end_of_file(),
            }
        }
    }

    /// A handle that takes the messages answering typing from shared memory (none in
    /// compatibility mode, where they come posted only).
    pub fn mirror_taker(&self) -> Option<MirrorTaker> {
        match &self.link {
            Link::Shared { region, .. } => Some(MirrorTaker {
                region: region.clone(),
                order: self.order.clone(),
                reader: Rc::default(),
                on_event: self.reporter.0.clone(),
            }),
            Link::Relay { .. } => None,
        }
    }

    /// A handle that acknowledges rendered output; it borrows nothing, so the terminal may
    /// call it at any time (xterm sometimes runs write callbacks inside a later write).
    pub fn output_acker(&self) -> OutputAcker {
        OutputAcker(self.link.clone(), self.reporter.clone())
    }

    /// Starts an interpreter as `run` asks: the first once Python is loaded, or a new one in
    /// the same worker: at once if the previous one exited,
    /// else once it gives way at its next wait (for input, in a sleep, for output to be
    /// drawn). One that computes never waits: the caller ends the session after a while.
    /// With `kept_workspace_follows`, input waits for
    /// [`deliver_kept_workspace`](Self::deliver_kept_workspace).
    pub fn run(&self, mut run: RunRequest, kept_workspace_follows: bool) {
        // The files given hold every change so far.
        {
            let mut pushed = self.pushed.borrow_mut();
            run.changes_taken = pushed.pending.restart();
            pushed.blob = None;
        }
        if kept_workspace_follows {
            self.held.borrow_mut().get_or_insert_with(Vec::new);
        }
        let generation = run.generation;
        match &self.link {
            Link::Shared { region, backlog } => {
                backlog.borrow_mut().bytes.clear();
                region.store(word::RUN_GENERATION, generation);
                region.wake();
            }
            Link::Relay { relay, .. } => {
                self.reporter.relayed(relay.send(&RelayEvent::Supersede { generation }));
            }
        }
        let message = match envelope(&ToWorker::Run(run)) {
            Ok(message) => message,
            Err(e) => {
                self.reporter
                    .failed(FailureKind::Crash, format!("the Python worker could not be started: {e}"));
                return;
            }
        };
        post_when_listening(&self.worker, &self.outbox, &self.reporter, message);
    }
}

/// Posts `message` to `worker`, or holds it until the worker listens.
fn post_when_listening(worker: &Worker, outbox: &RefCell<Outbox>, reporter: &Reporter, message: Object) {
    let mut outbox = outbox.borrow_mut();
    if !outbox.listening {
        outbox.held.push(message);
    } else if let Err(e) = worker.post_message(&message) {
        let detail = describe(&e);
        reporter.failed(FailureKind::Crash, format!("the Python worker could not be started: {detail}"));
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
    // Files' bytes as Uint8Arrays, not arrays of numbers.
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_bytes_as_arrays(false);
    Reflect::set(&wrapper, &"msg".into(), &serde::Serialize::serialize(message, &serializer)?)
        .map_err(|e| serde_wasm_bindgen::Error::new(describe(&e)))?;
    Ok(wrapper)
}

/// Sends an input event (a line or an EOF mark), counted so that a request for input that
/// crossed it in flight is recognised.
fn send_counted(relay: &RelaySender, inputs_sent: &Cell<u32>, event: &RelayEvent) -> Result<(), RelayError> {
    inputs_sent.set(inputs_sent.get().wrapping_add(1));
    relay.send(event)
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

/// A worker message: an event for the page, the go-ahead for `Boot`, or a request for
/// input to check against what was sent.
enum Decoded {
    Listening,
    InputWanted { inputs_seen: u32 },
    WorkspaceTaken { number: u32 },
    Event(SessionEvent),
}

/// The message `data` of type `kind` (its `type` field, read once by the caller).
fn decode(kind: &str, data: &wasm_bindgen::JsValue) -> Option<Decoded> {
    if kind == "Output" {
        let bytes = Reflect::get(data, &"bytes".into()).ok()?.dyn_into::<Uint8Array>().ok()?;
        return Some(Decoded::Event(SessionEvent::Output(OutputChunk(bytes))));
    }
    from_worker(serde_wasm_bindgen::from_value::<FromWorker>(data.clone()).ok()?)
}

/// What the page does with `message`.
fn from_worker(message: FromWorker) -> Option<Decoded> {
    let event = match message {
        FromWorker::Listening => return Some(Decoded::Listening),
        FromWorker::Started { generation } => SessionEvent::Started { generation },
        FromWorker::ReplStarted => SessionEvent::ReplStarted,
        FromWorker::SignalsReady => SessionEvent::SignalsReady,
        FromWorker::FilesChanged { written, removed } => SessionEvent::FilesChanged { written, removed },
        FromWorker::OpenUrl { url } => SessionEvent::OpenUrl(url),
        FromWorker::Canvas { ops } => SessionEvent::Drawing(ops),
        FromWorker::InputWanted { inputs_seen } => return Some(Decoded::InputWanted { inputs_seen }),
        FromWorker::WorkspaceTaken { number } => return Some(Decoded::WorkspaceTaken { number }),
        FromWorker::LineRead => SessionEvent::LineRead,
        FromWorker::TerminalModes { modes } => SessionEvent::TerminalModes(modes),
        FromWorker::Prompt => SessionEvent::Prompt,
        FromWorker::History { entries } => SessionEvent::History(entries),
        FromWorker::Output { bytes } => SessionEvent::Output(OutputChunk(Uint8Array::from(&bytes[..]))),
        FromWorker::Exited { code } => SessionEvent::Exited(code),
        FromWorker::Failed { reason, message } => SessionEvent::Failed(reason, message),
    };
    Some(Decoded::Event(event))
}
