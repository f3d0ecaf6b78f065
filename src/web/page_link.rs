//! How the worker, blocked by Python, hears from the page: through the shared region with
//! Atomics, or in compatibility mode through the service worker's relay.

use crate::relay_state::RelayState;
use crate::shared_memory::{Ring, SharedCells, word};
use crate::web::relay::{LONGEST_WAIT_MS, RelayReceiver};
use crate::web::shared_region::SharedRegion;
use std::cell::RefCell;

/// What the tty needs from the page while Python runs.
pub trait PageLink {
    /// A count the page moves whenever it sends something; `wait` sleeps while it holds.
    fn epoch(&self) -> u32;
    /// Blocks until the page sends something after `epoch`, or `timeout_ms` passed (with
    /// `None`, as long as the link allows; callers loop). Fails when the page is unreachable.
    fn wait(&self, epoch: u32, timeout_ms: Option<f64>) -> Result<(), String>;
    /// Whether Ctrl+C was pressed and Python has not handled it yet.
    fn signal_pending(&self) -> bool;
    /// Up to `max` stdin bytes, if any wait.
    fn take_input(&self, max: usize) -> Option<Vec<u8>>;
    /// Consumes an end-of-file mark (Ctrl+D), if one waits.
    fn take_end_of_file(&self) -> bool;
    /// Output bytes the page has rendered (a wrapping count).
    fn output_rendered(&self) -> u32;
    /// `(rows, cols)` of the terminal.
    fn terminal_size(&self) -> (u32, u32);
}

/// The link over the session's SharedArrayBuffer.
pub struct SharedLink(SharedRegion);

impl SharedLink {
    /// A link over `region`, with no stale signal or end-of-file mark from a previous run.
    pub fn new(region: SharedRegion) -> Self {
        region.clear_signal();
        region.store(word::EOF_PENDING, 0);
        Self(region)
    }
}

impl PageLink for SharedLink {
    fn epoch(&self) -> u32 {
        self.0.load(word::WAKE)
    }

    fn wait(&self, epoch: u32, timeout_ms: Option<f64>) -> Result<(), String> {
        self.0.wait(word::WAKE, epoch, timeout_ms);
        Ok(())
    }

    fn signal_pending(&self) -> bool {
        self.0.signal_pending()
    }

    fn take_input(&self, max: usize) -> Option<Vec<u8>> {
        let ring = Ring::new(&self.0);
        if ring.is_empty() || max == 0 {
            return None;
        }
        let mut out = vec![0; max.min(ring.len())];
        let n = ring.pop(&mut out);
        out.truncate(n);
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
}

/// The link through the service worker's relay. Ctrl+C cannot reach running Python this
/// way; the page restarts the interpreter instead.
pub struct RelayLink {
    receiver: RelayReceiver,
    state: RefCell<RelayState>,
}

impl RelayLink {
    /// A link fetching from the relay at `url`.
    pub fn new(url: String) -> Self {
        Self { receiver: RelayReceiver::new(url), state: RefCell::default() }
    }
}

impl PageLink for RelayLink {
    fn epoch(&self) -> u32 {
        // Events wait in the service worker's queue until fetched: none can be missed.
        0
    }

    fn wait(&self, _epoch: u32, timeout_ms: Option<f64>) -> Result<(), String> {
        let wait_ms = timeout_ms.map_or(LONGEST_WAIT_MS, |ms| ms.max(0.0).ceil() as u32);
        let events = self.receiver.receive(wait_ms)?;
        let mut state = self.state.borrow_mut();
        for event in events {
            state.apply(event);
        }
        Ok(())
    }

    fn signal_pending(&self) -> bool {
        false
    }

    fn take_input(&self, max: usize) -> Option<Vec<u8>> {
        self.state.borrow_mut().take_input(max)
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
}
