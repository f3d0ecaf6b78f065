//! Python's stdin and output, bridged to the page through a [`PageLink`]: output batched and
//! flow-controlled (an endless print loop cannot fill the page's memory), reads that block
//! until the page sends a line, an EOF mark or Ctrl+C, a sleep that Ctrl+C cuts short, and
//! turtle graphics' drawing out and events in.

use crate::logic::canvas_protocol::take_whole_lines;
use crate::logic::output_batch::OutputBatch;
use crate::logic::protocol::{FromWorker, supersedes};
use crate::logic::shared_memory::{SIGUSR1, SIGWINCH, within_output_window};
use crate::logic::termios::Termios;
use crate::worker::error::LinkError;
use crate::worker::page_link::PageLink;
use crate::worker::port::post;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Python's stdout/stderr and stdin, bridged to the page.
pub struct TtyBridge {
    link: Rc<dyn PageLink>,
    batch: RefCell<OutputBatch>,
    /// Output bytes posted so far (wrapping), compared with what the page rendered.
    sent: Cell<u32>,
    /// Why the page became unreachable, if it did (Python then got end of file).
    lost: RefCell<Option<LinkError>>,
    /// The generation of this interpreter; it gives way once the page wants another.
    generation: u32,
    superseded: Cell<bool>,
    /// The number of the latest set of the page's workspace changes in Python's directory.
    changes_taken: Cell<u32>,
    /// Turtle graphics' events received and not yet read by Python.
    canvas_events: RefCell<Vec<u8>>,
    /// Python handles turtle graphics' events while it waits for input (our tkinter asked,
    /// with a SIGUSR1 handler in place).
    canvas_events_at_input: Cell<bool>,
    /// Bytes of events received so far, and how many had been when SIGUSR1 was last raised:
    /// it is raised again only for new ones (a handler that left some unread must not make
    /// the wait for input spin).
    canvas_received: Cell<usize>,
    canvas_signalled: Cell<usize>,
    /// When the relay was last asked for events on a poll (compatibility mode: each ask is a
    /// request to the service worker, and turtle polls at every frame).
    canvas_refreshed: Cell<f64>,
    /// The tty's settings, as the program last set them.
    termios: RefCell<Termios>,
    /// The terminal's size when a raw-mode read last looked (a change raises SIGWINCH).
    size_seen: Cell<(u32, u32)>,
}

/// How often, at most, a poll for turtle graphics' events asks the relay.
const CANVAS_REFRESH_MS: f64 = 40.0;

/// Puts a set of the page's workspace changes (the blob at this URL) into Python's working
/// directory, or says why it could not.
pub type TakeChanges<'a> = &'a dyn Fn(&str) -> Result<(), String>;

impl TtyBridge {
    /// A bridge over `link` for the interpreter of `generation`, whose files hold the page's
    /// workspace changes up to set `changes_taken`.
    pub fn new(link: Rc<dyn PageLink>, generation: u32, changes_taken: u32) -> Self {
        let sent = Cell::new(link.output_rendered());
        Self {
            link,
            batch: RefCell::default(),
            sent,
            lost: RefCell::default(),
            generation,
            superseded: Cell::new(false),
            changes_taken: Cell::new(changes_taken),
            canvas_events: RefCell::default(),
            canvas_events_at_input: Cell::new(false),
            canvas_received: Cell::new(0),
            canvas_signalled: Cell::new(0),
            canvas_refreshed: Cell::new(0.0),
            termios: RefCell::default(),
            size_seen: Cell::new((0, 0)),
        }
    }

    /// Whether the page wants a newer interpreter: this one must stop at once (its stream
    /// operations then throw, unwinding `callMain`), checked wherever it waits.
    pub fn superseded(&self) -> bool {
        let newer = |wanted: u32| supersedes(wanted, self.generation);
        if !self.superseded.get() && self.link.run_generation().is_some_and(newer) {
            self.superseded.set(true);
        }
        self.superseded.get()
    }

    /// Why the page became unreachable during the run, if it did.
    pub fn take_lost(&self) -> Option<LinkError> {
        self.lost.borrow_mut().take()
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    fn send(&self, chunk: Vec<u8>) {
        self.sent.set(self.sent.get().wrapping_add(chunk.len() as u32));
        post(&FromWorker::Output { bytes: chunk });
        // Flow control: an endless print loop must not fill the page's memory.
        loop {
            let epoch = self.link.epoch();
            if within_output_window(self.sent.get(), self.link.output_rendered())
                || self.link.signal_pending()
                || self.superseded()
            {
                break;
            }
            if let Err(problem) = self.link.wait(epoch, Some(50.0)) {
                *self.lost.borrow_mut() = Some(problem);
                break; // the page is gone: nothing to wait for
            }
        }
    }

    /// Takes bytes Python wrote.
    pub fn write(&self, bytes: &[u8]) {
        let chunk = self.batch.borrow_mut().write(bytes, Self::now());
        if let Some(chunk) = chunk {
            self.send(chunk);
        }
    }

    /// Sends what output waits (all of it, even a split character, unless `keep_partial`).
    pub fn flush(&self, keep_partial: bool) {
        let chunk = self.batch.borrow_mut().flush(keep_partial);
        if let Some(chunk) = chunk {
            self.send(chunk);
        }
    }

    /// Blocks until stdin has bytes, an EOF mark or a signal. Returns bytes read (0 at EOF)
    /// or `None` when a signal interrupts the read or the interpreter is superseded.
    /// Meanwhile the page's workspace changes go into Python's directory with `take_changes`.
    pub fn read(&self, max: usize, take_changes: TakeChanges) -> Option<Vec<u8>> {
        // musl reads with a zero-length first buffer, then its own: answer that at once, or
        // it would take an EOF mark meant for the real read.
        if max == 0 {
            return Some(Vec::new());
        }
        self.flush(true);
        // Typed-ahead input may already wait at the page's end (compatibility mode): take
        // it in first, and only tell the page Python waits when there is none.
        let mut refreshed = false;
        let mut asked = false;
        loop {
            let epoch = self.link.epoch();
            if self.link.signal_pending() || self.superseded() {
                return None;
            }
            if let Some((number, url)) =
                self.link.workspace_changes().filter(|(n, _)| *n != self.changes_taken.get())
            {
                self.changes_taken.set(number);
                self.take_changes(number, &url, take_changes);
                continue;
            }
            let termios = self.termios.borrow().clone();
            if let Some(bytes) = self.link.take_input(max, &termios) {
                if termios.modes().canonical && bytes.ends_with(b"\n") {
                    post(&FromWorker::LineRead);
                }
                return Some(bytes);
            }
            if self.link.take_end_of_file() {
                return Some(Vec::new());
            }
            // A program reading keys raw (PyREPL) redraws at SIGWINCH when the size changed,
            // as a terminal emulator's resize makes the kernel send it.
            if !termios.modes().canonical {
                let size = self.link.terminal_size();
                let before = self.size_seen.replace(size);
                if before != size && before != (0, 0) {
                    self.link.raise_signal(SIGWINCH);
                    return None;
                }
            }
            // A click on the drawing while Python waits at its prompt: the read is interrupted
            // by SIGUSR1, whose handler (our tkinter's) takes the events; then Python reads on.
            if self.canvas_events_at_input.get()
                && self.canvas_events_waiting()
                && self.canvas_received.get() != self.canvas_signalled.get()
            {
                self.canvas_signalled.set(self.canvas_received.get());
                self.link.raise_signal(SIGUSR1);
                return None;
            }
            let outcome = if !refreshed {
                refreshed = true;
                self.link.refresh()
            } else {
                if !asked {
                    post(&FromWorker::InputWanted { inputs_seen: self.link.inputs_seen() });
                    asked = true;
                }
                self.link.wait(epoch, None)
            };
            if let Err(problem) = outcome {
                // Python gets end of file and exits; the host reports why.
                *self.lost.borrow_mut() = Some(problem);
                return Some(Vec::new());
            }
        }
    }

    fn take_changes(&self, number: u32, url: &str, take_changes: TakeChanges) {
        let Err(problem) = take_changes(url) else {
            post(&FromWorker::WorkspaceTaken { number });
            return;
        };
        // A newer set replaced this one meanwhile (and its blob): that one comes next.
        if self.link.workspace_changes().is_some_and(|(latest, _)| latest != number) {
            return;
        }
        let message = format!(
            "\r\n\x1b[33mYour latest changes to the files did not reach Python ({problem}); \
             Restart to start again with every file.\x1b[0m\r\n"
        );
        self.write(message.as_bytes());
        self.flush(false);
    }

    /// Sleeps without burning the CPU; returns false when a signal or a newer interpreter cut
    /// it short.
    pub fn sleep(&self, seconds: f64) -> bool {
        self.wait_until(seconds, || false)
    }

    /// Waits `seconds`, or until `done` holds (checked whenever the page sends something);
    /// false when a signal or a newer interpreter cut the wait short.
    fn wait_until(&self, seconds: f64, done: impl Fn() -> bool) -> bool {
        // Output printed before the wait must be visible during it.
        self.flush(true);
        let deadline = Self::now() + seconds * 1000.0;
        loop {
            let epoch = self.link.epoch();
            if self.link.signal_pending() || self.superseded() {
                return false;
            }
            let remaining = deadline - Self::now();
            if remaining <= 0.0 || done() {
                return true;
            }
            if let Err(problem) = self.link.wait(epoch, Some(remaining)) {
                *self.lost.borrow_mut() = Some(problem);
                return true;
            }
        }
    }

    /// Sends turtle graphics' drawing operations (Python's JSON text) to the page, after the
    /// output written before them.
    pub fn draw(&self, ops: String) {
        self.flush(true);
        post(&FromWorker::Canvas { ops });
    }

    /// Moves the page's turtle graphics events into our queue; whether any wait there.
    fn canvas_events_waiting(&self) -> bool {
        let mut queue = self.canvas_events.borrow_mut();
        let arrived = self.link.take_canvas_events();
        self.canvas_received.set(self.canvas_received.get().wrapping_add(arrived.len()));
        queue.extend(arrived);
        !queue.is_empty()
    }

    /// From now on, turtle graphics' events interrupt a wait for input with SIGUSR1.
    pub fn handle_canvas_events_at_input(&self) {
        self.canvas_events_at_input.set(true);
    }

    /// Waits until the page sends a turtle graphics event, `seconds` pass, or a signal or a
    /// newer interpreter cuts the wait short (then false).
    pub fn wait_for_canvas_event(&self, seconds: f64) -> bool {
        self.wait_until(seconds, || self.canvas_events_waiting())
    }

    /// The turtle graphics events waiting, as whole lines that fit in `max` bytes.
    pub fn take_canvas_events(&self, max: usize) -> Vec<u8> {
        if Self::now() - self.canvas_refreshed.get() >= CANVAS_REFRESH_MS {
            self.canvas_refreshed.set(Self::now());
            if let Err(problem) = self.link.refresh() {
                *self.lost.borrow_mut() = Some(problem);
            }
        }
        self.canvas_events_waiting();
        take_whole_lines(&mut self.canvas_events.borrow_mut(), max)
    }

    /// The tty's settings (`tcgetattr`).
    pub fn termios(&self) -> Termios {
        self.termios.borrow().clone()
    }

    /// The program sets the tty's settings (`tcsetattr`): the page hears when what it must
    /// do with keys changes. Output written before applies under the old settings.
    pub fn set_termios(&self, termios: Termios) {
        let before = std::mem::replace(&mut *self.termios.borrow_mut(), termios.clone()).modes();
        if termios.modes() != before {
            self.flush(true);
            post(&FromWorker::TerminalModes { modes: termios.modes() });
        }
    }

    /// `(rows, cols)` of the terminal.
    pub fn terminal_size(&self) -> (u32, u32) {
        self.link.terminal_size()
    }

    /// An interactive prompt follows: output first, then the page hears of it.
    pub fn prompt(&self) {
        self.flush(true);
        post(&FromWorker::Prompt);
    }

    /// "COLS ROWS" for the terminal-size device.
    pub fn size_text(&self) -> String {
        let (rows, cols) = self.link.terminal_size();
        format!("{cols} {rows}\n")
    }
}
