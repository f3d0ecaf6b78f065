//! Layout of the SharedArrayBuffer between page and worker, and the stdin ring over it.
//!
//! The buffer holds control words (ring indices, pending EOFs, a wake-up counter, tty
//! flags, terminal size, output flow control), CPython's signal byte, a mailbox for one short
//! message (the URL of the workspace's latest changes), and a data ring large enough for a
//! big paste. The arithmetic here is pure and tested natively; the Atomics
//! calls live behind [`SharedCells`] in `page_and_worker::shared_region`.

/// Index of each 32-bit control word.
pub mod word {
    /// Total bytes ever written into the ring (wrapping).
    pub const HEAD: usize = 0;
    /// Total bytes ever read from the ring (wrapping).
    pub const TAIL: usize = 1;
    /// End-of-file marks (Ctrl+D on an empty line) not yet seen by Python.
    pub const EOF_PENDING: usize = 2;
    /// Bumped on every event the worker may be waiting for; the worker waits on it.
    pub const WAKE: usize = 3;
    /// Terminal mode flags (see [`tty`](super::tty)).
    pub const TTY_FLAGS: usize = 4;
    /// Terminal height in rows.
    pub const ROWS: usize = 5;
    /// Terminal width in columns.
    pub const COLS: usize = 6;
    /// Total output bytes the page has rendered (wrapping); the worker pauses when it is
    /// too far ahead, so endless output cannot exhaust the page's memory.
    pub const OUTPUT_ACKED: usize = 7;
    /// The generation of interpreter the page wants; an older one gives way at its next
    /// wait (read, sleep, output flow control) so a fresh one can start in the same worker.
    pub const RUN_GENERATION: usize = 8;
    /// The number of the message in the mailbox; 0 while the page writes it (or before the
    /// first).
    pub const MAILBOX_NUMBER: usize = 9;
    /// The length in bytes of the message in the mailbox.
    pub const MAILBOX_LENGTH: usize = 10;
    /// Total bytes ever written into the canvas events' ring (wrapping).
    pub const CANVAS_HEAD: usize = 11;
    /// Total bytes ever read from it (wrapping).
    pub const CANVAS_TAIL: usize = 12;
    /// Total bytes of whole messages in the worker's message mirror (wrapping; see
    /// `message_mirror`).
    pub const MIRROR_HEAD: usize = 13;
    /// Where the mirror's writer has reserved up to (moves before its bytes are written): a
    /// reader checks it to know that what it copied was not being overwritten.
    pub const MIRROR_RESERVED: usize = 14;
}

/// Bits of the [`word::TTY_FLAGS`] word.
pub mod tty {
    /// The page edits lines and sends them complete (canonical mode). Off means raw keys.
    pub const CANONICAL: u32 = 1;
}

/// Number of control words.
pub const CONTROL_WORDS: usize = 15;
/// Byte offset of CPython's signal byte (`Module.Py_EmscriptenSignalBuffer[0]`).
pub const SIGNAL_BYTE: usize = CONTROL_WORDS * 4;
/// The value CPython reads as SIGINT.
pub const SIGINT: u8 = 2;
/// SIGUSR1, which the worker raises while Python waits for input and turtle graphics' events
/// arrive: our tkinter's handler takes them (as Tk's input hook does at a desktop's prompt).
pub const SIGUSR1: u8 = 10;
/// SIGWINCH, which the worker raises while a program that reads keys raw (PyREPL) waits and
/// the terminal's size changed: it redraws to the new width.
pub const SIGWINCH: u8 = 28;
/// Byte offset of the mailbox's bytes.
pub const MAILBOX_OFFSET: usize = 64;
/// Room for the mailbox's message (a blob URL is about 40 bytes plus the site's origin).
pub const MAILBOX_CAPACITY: usize = 960;
/// Byte offset where the ring's data starts.
pub const DATA_OFFSET: usize = MAILBOX_OFFSET + MAILBOX_CAPACITY;
/// Ring size: a power of two, large enough that a 1 MB paste fits at once.
pub const RING_CAPACITY: usize = 1 << 21;
/// Byte offset of the ring of turtle graphics' events (clicks, keys, dialog answers: JSON
/// lines, see `canvas_protocol`), after stdin's.
pub const CANVAS_OFFSET: usize = DATA_OFFSET + RING_CAPACITY;
/// Its size: events wait there only until Python's next `update()` or event loop turn.
pub const CANVAS_CAPACITY: usize = 1 << 16;
/// Byte offset of the worker's message mirror (see `message_mirror`), after the canvas
/// events' ring.
pub const MIRROR_OFFSET: usize = CANVAS_OFFSET + CANVAS_CAPACITY;
/// Its size: it holds the last few terminal messages, long enough for a frame to take them.
pub const MIRROR_CAPACITY: usize = 1 << 16;
/// Size of the whole SharedArrayBuffer.
pub const TOTAL_BYTES: usize = MIRROR_OFFSET + MIRROR_CAPACITY;
/// How many output bytes the worker may have in flight before it waits for the page.
pub const OUTPUT_WINDOW: u32 = 4 << 20;

/// Whether output `sent` so far (a wrapping count) is within the window of what the page
/// acknowledged. Late acknowledgements of an earlier interpreter's output may put `acked`
/// ahead of `sent`; that counts as within.
pub fn within_output_window(sent: u32, acked: u32) -> bool {
    (sent.wrapping_sub(acked) as i32) <= OUTPUT_WINDOW as i32
}

// The layout is checked when compiling: the signal byte sits between the words and the
// ring, and a 1 MB paste fits in the ring at once.
const _: () = assert!(SIGNAL_BYTE >= CONTROL_WORDS * 4 && SIGNAL_BYTE < MAILBOX_OFFSET);
const _: () = assert!(RING_CAPACITY.is_power_of_two() && RING_CAPACITY >= 1 << 20);
const _: () = assert!(CANVAS_CAPACITY.is_power_of_two() && MIRROR_CAPACITY.is_power_of_two());

/// Access to the shared words and ring bytes; Atomics in the browser, plain memory in tests.
pub trait SharedCells {
    /// Atomically loads a control word.
    fn load(&self, word: usize) -> u32;
    /// Atomically stores a control word.
    fn store(&self, word: usize, value: u32);
    /// Atomically adds to a control word and returns the previous value.
    fn add(&self, word: usize, value: u32) -> u32;
    /// Copies the buffer's bytes starting at byte `offset` into `out`.
    fn read_bytes(&self, offset: usize, out: &mut [u8]);
    /// Copies `data` into the buffer at byte `offset`.
    fn write_bytes(&self, offset: usize, data: &[u8]);
}

/// Why a message does not fit the mailbox.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a message of {0} bytes does not fit the mailbox of {MAILBOX_CAPACITY}")]
pub struct TooLong(pub usize);

/// The page's side of the mailbox: puts message `number` (never 0) there, replacing the last.
/// The number is cleared while the bytes change, so a reader never takes a half-written one.
pub fn post_to_mailbox(cells: &impl SharedCells, number: u32, message: &str) -> Result<(), TooLong> {
    if message.len() > MAILBOX_CAPACITY {
        return Err(TooLong(message.len()));
    }
    cells.store(word::MAILBOX_NUMBER, 0);
    cells.write_bytes(MAILBOX_OFFSET, message.as_bytes());
    cells.store(word::MAILBOX_LENGTH, message.len() as u32);
    cells.store(word::MAILBOX_NUMBER, number);
    Ok(())
}

/// The worker's side: the message in the mailbox and its number, if one is there and whole
/// (one being written reads as none: the page wakes the worker once it is in place).
pub fn read_mailbox(cells: &impl SharedCells) -> Option<(u32, String)> {
    let number = cells.load(word::MAILBOX_NUMBER);
    if number == 0 {
        return None;
    }
    let length = (cells.load(word::MAILBOX_LENGTH) as usize).min(MAILBOX_CAPACITY);
    let mut bytes = vec![0; length];
    cells.read_bytes(MAILBOX_OFFSET, &mut bytes);
    // Rewritten meanwhile: what was read may mix two messages.
    if cells.load(word::MAILBOX_NUMBER) != number {
        return None;
    }
    String::from_utf8(bytes).ok().map(|message| (number, message))
}

/// Bytes in the ring, given its free-running indices.
pub fn used(head: u32, tail: u32) -> usize {
    head.wrapping_sub(tail) as usize
}

/// Splits `len` bytes starting at free-running index `start` into the part before the end
/// of the ring and the part that wraps to its beginning: `(offset, first_len, second_len)`.
pub fn split(start: u32, len: usize, capacity: usize) -> (usize, usize, usize) {
    let offset = start as usize & (capacity - 1);
    let first = len.min(capacity - offset);
    (offset, first, len - first)
}

/// A single-producer (page), single-consumer (worker) byte ring: stdin's, or the canvas
/// events'.
pub struct Ring<'a, C: SharedCells> {
    cells: &'a C,
    capacity: usize,
    /// Byte offset of its data, and its head and tail words.
    offset: usize,
    head: usize,
    tail: usize,
}

impl<'a, C: SharedCells> Ring<'a, C> {
    /// Stdin's ring over `cells`.
    pub fn new(cells: &'a C) -> Self {
        Self::with_capacity(cells, RING_CAPACITY)
    }

    /// Stdin's ring with another power-of-two capacity (small ones make tests readable).
    pub fn with_capacity(cells: &'a C, capacity: usize) -> Self {
        assert!(capacity.is_power_of_two(), "ring capacity must be a power of two");
        Self { cells, capacity, offset: DATA_OFFSET, head: word::HEAD, tail: word::TAIL }
    }

    /// The ring of turtle graphics' events.
    pub fn canvas(cells: &'a C) -> Self {
        Self {
            cells,
            capacity: CANVAS_CAPACITY,
            offset: CANVAS_OFFSET,
            head: word::CANVAS_HEAD,
            tail: word::CANVAS_TAIL,
        }
    }

    /// Bytes waiting to be read.
    pub fn len(&self) -> usize {
        used(self.cells.load(self.head), self.cells.load(self.tail))
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Room left for the producer.
    pub fn free(&self) -> usize {
        self.capacity - self.len()
    }

    /// Producer side: writes as much of `data` as fits and returns how much that was. The
    /// head moves only after the bytes are in place, so the reader never sees stale bytes.
    pub fn push(&self, data: &[u8]) -> usize {
        let head = self.cells.load(self.head);
        let n = data.len().min(self.free());
        let (offset, first, second) = split(head, n, self.capacity);
        self.cells.write_bytes(self.offset + offset, &data[..first]);
        self.cells.write_bytes(self.offset, &data[first..first + second]);
        self.cells.store(self.head, head.wrapping_add(n as u32));
        n
    }

    /// Producer side: writes all of `data`, or nothing when it does not fit (an event is
    /// never cut in two). Returns whether it was written.
    pub fn push_whole(&self, data: &[u8]) -> bool {
        data.len() <= self.free() && self.push(data) == data.len()
    }

    /// Consumer side: reads up to `out.len()` bytes, returns how many.
    pub fn pop(&self, out: &mut [u8]) -> usize {
        let n = self.peek(out);
        self.skip(n);
        n
    }

    /// Consumer side: copies up to `out.len()` waiting bytes without taking them; returns
    /// how many.
    pub fn peek(&self, out: &mut [u8]) -> usize {
        let tail = self.cells.load(self.tail);
        let n = out.len().min(self.len());
        let (offset, first, second) = split(tail, n, self.capacity);
        self.cells.read_bytes(self.offset + offset, &mut out[..first]);
        self.cells.read_bytes(self.offset, &mut out[first..first + second]);
        n
    }

    /// Consumer side: takes `n` waiting bytes (at most all of them) unread.
    pub fn skip(&self, n: usize) {
        let tail = self.cells.load(self.tail);
        self.cells.store(self.tail, tail.wrapping_add(n.min(self.len()) as u32));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};

    /// Plain memory standing in for the SharedArrayBuffer.
    pub(crate) struct MemCells {
        words: Vec<Cell<u32>>,
        data: RefCell<Vec<u8>>,
    }

    impl MemCells {
        pub(crate) fn new(capacity: usize) -> Self {
            Self {
                words: (0..CONTROL_WORDS).map(|_| Cell::new(0)).collect(),
                data: RefCell::new(vec![0; DATA_OFFSET + capacity]),
            }
        }
    }

    impl SharedCells for MemCells {
        fn load(&self, word: usize) -> u32 {
            self.words[word].get()
        }
        fn store(&self, word: usize, value: u32) {
            self.words[word].set(value);
        }
        fn add(&self, word: usize, value: u32) -> u32 {
            let old = self.words[word].get();
            self.words[word].set(old.wrapping_add(value));
            old
        }
        fn read_bytes(&self, offset: usize, out: &mut [u8]) {
            out.copy_from_slice(&self.data.borrow()[offset..offset + out.len()]);
        }
        fn write_bytes(&self, offset: usize, data: &[u8]) {
            self.data.borrow_mut()[offset..offset + data.len()].copy_from_slice(data);
        }
    }

    #[test]
    fn the_mailbox_holds_the_latest_message_and_never_a_half_written_one() {
        let cells = MemCells::new(8);
        assert_eq!(read_mailbox(&cells), None, "nothing posted yet");
        post_to_mailbox(&cells, 1, "blob:https://example.org/one").expect("fits");
        assert_eq!(read_mailbox(&cells), Some((1, "blob:https://example.org/one".to_owned())));
        post_to_mailbox(&cells, 2, "blob:x/2").expect("fits");
        assert_eq!(read_mailbox(&cells), Some((2, "blob:x/2".to_owned())));
        // Being rewritten: the number is cleared until the bytes are in place.
        cells.store(word::MAILBOX_NUMBER, 0);
        assert_eq!(read_mailbox(&cells), None);
        let long = "x".repeat(MAILBOX_CAPACITY + 1);
        assert_eq!(post_to_mailbox(&cells, 3, &long), Err(TooLong(MAILBOX_CAPACITY + 1)));
        let mut ring_start = [0u8; 1];
        cells.read_bytes(DATA_OFFSET, &mut ring_start);
        assert_eq!(ring_start, [0], "the mailbox stays out of the ring");
    }

    #[test]
    fn split_wraps_at_the_end() {
        assert_eq!(split(6, 4, 8), (6, 2, 2));
        assert_eq!(split(8, 3, 8), (0, 3, 0));
        assert_eq!(split(u32::MAX, 2, 8), (7, 1, 1));
    }

    #[test]
    fn push_then_pop_wraps_around_in_order() {
        let cells = MemCells::new(8);
        let ring = Ring::with_capacity(&cells, 8);
        let mut out = [0u8; 8];
        for round in 0..5u8 {
            let data = [round, round + 1, round + 2, round + 3, round + 4];
            assert_eq!(ring.push(&data), 5);
            assert_eq!(ring.pop(&mut out[..5]), 5);
            assert_eq!(&out[..5], &data);
        }
        assert!(ring.is_empty());
    }

    #[test]
    fn full_ring_refuses_the_rest_until_read_back_pressure() {
        let cells = MemCells::new(8);
        let ring = Ring::with_capacity(&cells, 8);
        assert_eq!(ring.push(b"0123456789"), 8);
        assert_eq!(ring.free(), 0);
        assert_eq!(ring.push(b"x"), 0);
        let mut out = [0u8; 3];
        assert_eq!(ring.pop(&mut out), 3);
        assert_eq!(&out, b"012");
        assert_eq!(ring.push(b"89ab"), 3);
        let mut rest = [0u8; 16];
        let n = ring.pop(&mut rest);
        assert_eq!(&rest[..n], b"3456789a");
    }

    #[test]
    fn indices_survive_u32_wrap() {
        let cells = MemCells::new(8);
        cells.store(word::HEAD, u32::MAX - 2);
        cells.store(word::TAIL, u32::MAX - 2);
        let ring = Ring::with_capacity(&cells, 8);
        assert_eq!(ring.push(b"abcdef"), 6);
        assert_eq!(ring.len(), 6);
        let mut out = [0u8; 6];
        assert_eq!(ring.pop(&mut out), 6);
        assert_eq!(&out, b"abcdef");
    }

    #[test]
    fn the_canvas_ring_takes_whole_events_and_stays_apart_from_stdin() {
        let cells = MemCells::new(RING_CAPACITY + CANVAS_CAPACITY);
        let (stdin, events) = (Ring::new(&cells), Ring::canvas(&cells));
        assert_eq!(stdin.push(b"print(1)\n"), 9);
        assert!(events.push_whole(b"{\"ev\":\"close\"}\n"));
        let big = vec![b'x'; CANVAS_CAPACITY];
        assert!(!events.push_whole(&big), "an event that does not fit is not cut");
        let mut out = vec![0u8; 64];
        let n = events.pop(&mut out);
        assert_eq!(&out[..n], b"{\"ev\":\"close\"}\n");
        let n = stdin.pop(&mut out);
        assert_eq!(&out[..n], b"print(1)\n");
    }

    #[test]
    fn output_window_counts_in_flight_bytes_across_wrap() {
        assert!(within_output_window(OUTPUT_WINDOW, 0));
        assert!(!within_output_window(OUTPUT_WINDOW + 1, 0));
        assert!(within_output_window(5, u32::MAX - 10), "16 bytes in flight across the wrap");
        assert!(within_output_window(100, 200), "acknowledged ahead of sent: nothing in flight");
    }
}
