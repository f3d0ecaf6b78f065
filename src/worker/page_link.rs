//! How the worker, blocked by Python, hears from the page: through the shared region with
//! Atomics, or in compatibility mode through the service worker's relay.

use crate::logic::relay_state::RelayState;
use crate::logic::shared_memory::{Ring, SIGINT, SharedCells, read_mailbox, word};
use crate::logic::termios::Termios;
use crate::page_and_worker::shared_region::SharedRegion;
use crate::worker::error::LinkError;
use crate::worker::relay_receiver::{LONGEST_WAIT_MS, RelayReceiver};
use js_sys::Uint8Array;
use std::cell::RefCell;

/// What the tty needs from the page while Python runs.
pub trait PageLink {
    /// A new interpreter starts: forget a previous one's unread input, EOF marks and signal.
    fn reset(&self);
    /// The byte CPython polls for signals (`Module.Py_EmscriptenSignalBuffer`).
    fn signal_buffer(&self) -> Uint8Array;
    /// A count the page moves whenever it sends something; `wait` sleeps while it holds.
    fn epoch(&self) -> u32;
    /// Blocks until the page sends something after `epoch`, or `timeout_ms` passed (with
    /// `None`, as long as the link allows; callers loop). Fails when the page is unreachable.
    fn wait(&self, epoch: u32, timeout_ms: Option<f64>) -> Result<(), LinkError>;
    /// Takes in what the page has sent, without waiting.
    fn refresh(&self) -> Result<(), LinkError>;
    /// Whether Ctrl+C was pressed and Python has not handled it yet.
    fn signal_pending(&self) -> bool;
    /// Raises `signal` for Python, unless a signal is pending already.
    fn raise_signal(&self, signal: u8);
    /// Up to `max` stdin bytes, if any wait: one line at most when `termios` is canonical.
    fn take_input(&self, max: usize, termios: &Termios) -> Option<Vec<u8>>;
    /// Consumes an end-of-file mark (Ctrl+D), if one waits.
    fn take_end_of_file(&self) -> bool;
    /// Output bytes the page has rendered (a wrapping count).
    fn output_rendered(&self) -> u32;
    /// `(rows, cols)` of the terminal.
    fn terminal_size(&self) -> (u32, u32);
    /// Lines and EOF marks taken in so far, for `FromWorker::InputWanted`.
    fn inputs_seen(&self) -> u32;
    /// The generation of interpreter the page wants (see `word::RUN_GENERATION`), if known
    /// yet (the relay's first events may not have been fetched).
    fn run_generation(&self) -> Option<u32>;
    /// The latest set of workspace changes the page posted: its number and blob URL.
    fn workspace_changes(&self) -> Option<(u32, String)>;
    /// Turtle graphics' events the page sent since the last call (whole JSON lines).
    fn take_canvas_events(&self) -> Vec<u8>;
}

/// The link over the session's SharedArrayBuffer.
pub struct SharedLink(SharedRegion);

impl SharedLink {
    /// A link over `region`.
    pub fn new(region: SharedRegion) -> Self {
        Self(region)
    }
}

impl PageLink for SharedLink {
    fn reset(&self) {
        self.0.clear_signal();
        self.0.store(word::EOF_PENDING, 0);
        // Clicks and keys meant for the previous interpreter's drawing.
        self.take_canvas_events();
    }

    fn signal_buffer(&self) -> Uint8Array {
        self.0.signal_view()
    }

    fn epoch(&self) -> u32 {
        self.0.load(word::WAKE)
    }

    fn wait(&self, epoch: u32, timeout_ms: Option<f64>) -> Result<(), LinkError> {
        self.0.wait(word::WAKE, epoch, timeout_ms);
        Ok(())
    }

    fn refresh(&self) -> Result<(), LinkError> {
        Ok(()) // shared memory is always current
    }

    fn signal_pending(&self) -> bool {
        self.0.signal_pending()
    }

    fn raise_signal(&self, signal: u8) {
        self.0.raise_signal_unless_pending(signal);
    }

    fn take_input(&self, max: usize, termios: &Termios) -> Option<Vec<u8>> {
        let ring = Ring::new(&self.0);
        if ring.is_empty() || max == 0 {
            return None;
        }
        let mut out = vec![0; max.min(ring.len())];
        let n = ring.peek(&mut out);
        out.truncate(termios.read_length(&out[..n]));
        ring.skip(out.len());
        Some(out)
    }

    fn take_end_of_file(&self) -> bool {
        if self.0.load(word::EOF_PENDING) == 0 {
            return false;
        }
        self.0.add(word::EOF_PENDING, u32::MAX);
        true
    }

    fn output_rendered(&self) -> u32 {
        self.0.load(word::OUTPUT_ACKED)
    }

    fn terminal_size(&self) -> (u32, u32) {
        (self.0.load(word::ROWS), self.0.load(word::COLS))
    }

    fn inputs_seen(&self) -> u32 {
        0 // Ctrl+C reaches Python whatever it does: the page needs no count
    }

    fn run_generation(&self) -> Option<u32> {
        Some(self.0.load(word::RUN_GENERATION))
    }

    fn workspace_changes(&self) -> Option<(u32, String)> {
        read_mailbox(&self.0)
    }

    fn take_canvas_events(&self) -> Vec<u8> {
        let ring = Ring::canvas(&self.0);
        let mut events = vec![0; ring.len()];
        let n = ring.pop(&mut events);
        events.truncate(n);
        events
    }
}

/// The link through the service worker's relay. Only a waiting Python fetches from it, so
/// Ctrl+C reaches Python at a prompt, in `input()` or in `time.sleep`, but not running code
/// (the page restarts the interpreter then).
pub struct RelayLink {
    receiver: RelayReceiver,
    state: RefCell<RelayState>,
    /// CPython's signal byte: worker memory, set here when a relayed Ctrl+C arrives.
    signal: Uint8Array,
}

/// How many times a failed relay request is tried again before stdin counts as lost (a
/// service worker the browser stopped mid-request answers the next one).
const RELAY_RETRIES: usize = 3;

impl RelayLink {
    /// A link fetching from the relay at `url`.
    pub fn new(url: String) -> Self {
        Self {
            receiver: RelayReceiver::new(url),
            state: RefCell::default(),
            signal: Uint8Array::new_with_length(1),
        }
    }

    fn receive(&self, wait_ms: u32) -> Result<(), LinkError> {
        let mut outcome = self.receiver.receive(wait_ms);
        for _ in 0..RELAY_RETRIES {
            if outcome.is_ok() {
                break;
            }
            outcome = self.receiver.receive(0);
        }
        let mut state = self.state.borrow_mut();
        for event in outcome? {
            state.apply(event);
        }
        if state.take_interrupt() {
            self.signal.set_index(0, SIGINT);
        }
        Ok(())
    }
}

impl PageLink for RelayLink {
    fn reset(&self) {
        self.state.borrow_mut().forget_input();
        self.signal.set_index(0, 0);
    }

    fn signal_buffer(&self) -> Uint8Array {
        self.signal.clone()
    }

    fn epoch(&self) -> u32 {
        // Events wait in the service worker's queue until fetched: none can be missed.
        0
    }

    fn wait(&self, _epoch: u32, timeout_ms: Option<f64>) -> Result<(), LinkError> {
        self.receive(timeout_ms.map_or(LONGEST_WAIT_MS, |ms| ms.max(0.0).ceil() as u32))
    }

    fn refresh(&self) -> Result<(), LinkError> {
        self.receive(0)
    }

    fn signal_pending(&self) -> bool {
        self.signal.get_index(0) != 0
    }

    fn raise_signal(&self, signal: u8) {
        if !self.signal_pending() {
            self.signal.set_index(0, signal);
        }
    }

    fn take_input(&self, max: usize, termios: &Termios) -> Option<Vec<u8>> {
        self.state.borrow_mut().take_input(max, termios)
    }

    fn take_end_of_file(&self) -> bool {
        self.state.borrow_mut().take_end_of_file()
    }

    fn output_rendered(&self) -> u32 {
        self.state.borrow().output_rendered()
    }

    fn terminal_size(&self) -> (u32, u32) {
        self.state.borrow().terminal_size()
    }

    fn inputs_seen(&self) -> u32 {
        self.state.borrow().inputs_received()
    }

    fn run_generation(&self) -> Option<u32> {
        self.state.borrow().run_generation()
    }

    fn workspace_changes(&self) -> Option<(u32, String)> {
        self.state.borrow().workspace_changes()
    }

    fn take_canvas_events(&self) -> Vec<u8> {
        self.state.borrow_mut().take_canvas_events()
    }
}
