//! A copy of the worker's terminal messages in shared memory, which the page takes at the
//! start of a frame, and the numbering that keeps the two ways a message arrives in order.
//!
//! Why: after a key press Chromium runs no other task (a worker's message included) until
//! the next frame is drawn, so Python's answer to a key (the prompt after Enter, PyREPL's
//! redraw) waits a whole frame after arriving, then shows a frame later still. The page
//! reads this mirror from its first animation frame after the key instead, and the answer
//! is drawn in that frame. Every message is numbered; it is also posted as before, and the
//! page handles each number once, whichever way brought it first.
//!
//! The mirror is a ring of entries `[length: u32 LE][number: u32 LE][message bytes]` written
//! by the worker alone. It never waits for the page: an entry older than the ring's size is
//! overwritten, and a reader that fell that far behind takes what is lost from the posted
//! messages.

use crate::logic::protocol::FromWorker;
use crate::logic::shared_memory::{MIRROR_CAPACITY, MIRROR_OFFSET, SharedCells, split, word};
use crate::logic::termios::TerminalModes;
use serde::{Deserialize, Serialize};

/// The field of a posted message that holds its number (no message has a field of that name).
pub const NUMBER_FIELD: &str = "message_number";
/// Bytes of an entry's header.
const HEADER: usize = 8;
/// The longest message mirrored: longer ones (a burst of output, files) come posted only.
pub const MIRROR_MAX_MESSAGE: usize = MIRROR_CAPACITY / 4;

/// The messages that answer typing, as the mirror holds them (`FromWorker` is tagged for
/// posting, a form a compact binary encoding cannot read back).
#[derive(Debug, Serialize, Deserialize)]
enum Mirrored {
    Output(#[serde(with = "serde_bytes")] Vec<u8>),
    LineRead,
    Prompt,
    TerminalModes(TerminalModes),
    InputWanted(u32),
    History(Vec<String>),
}

/// `message` encoded for the mirror, if it is one that answers typing.
pub fn encode(message: &FromWorker) -> Option<Vec<u8>> {
    let mirrored = match message {
        FromWorker::Output { bytes } if bytes.len() <= MIRROR_MAX_MESSAGE => Mirrored::Output(bytes.clone()),
        FromWorker::LineRead => Mirrored::LineRead,
        FromWorker::Prompt => Mirrored::Prompt,
        FromWorker::TerminalModes { modes } => Mirrored::TerminalModes(*modes),
        FromWorker::InputWanted { inputs_seen } => Mirrored::InputWanted(*inputs_seen),
        FromWorker::History { entries } => Mirrored::History(entries.clone()),
        _ => return None,
    };
    postcard::to_allocvec(&mirrored).ok()
}

/// The message of an entry taken from the mirror.
pub fn decode(bytes: &[u8]) -> Option<FromWorker> {
    Some(match postcard::from_bytes(bytes).ok()? {
        Mirrored::Output(bytes) => FromWorker::Output { bytes },
        Mirrored::LineRead => FromWorker::LineRead,
        Mirrored::Prompt => FromWorker::Prompt,
        Mirrored::TerminalModes(modes) => FromWorker::TerminalModes { modes },
        Mirrored::InputWanted(inputs_seen) => FromWorker::InputWanted { inputs_seen },
        Mirrored::History(entries) => FromWorker::History { entries },
    })
}

/// The worker's side: appends message `number`'s `bytes` unless they are too long to
/// mirror; returns whether they were written.
pub fn mirror(cells: &impl SharedCells, number: u32, bytes: &[u8]) -> bool {
    if bytes.len() > MIRROR_MAX_MESSAGE {
        return false;
    }
    let head = cells.load(word::MIRROR_HEAD);
    let length = (HEADER + bytes.len()) as u32;
    cells.store(word::MIRROR_RESERVED, head.wrapping_add(length));
    let mut entry = Vec::with_capacity(HEADER + bytes.len());
    entry.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    entry.extend_from_slice(&number.to_le_bytes());
    entry.extend_from_slice(bytes);
    let (offset, first, second) = split(head, entry.len(), MIRROR_CAPACITY);
    cells.write_bytes(MIRROR_OFFSET + offset, &entry[..first]);
    cells.write_bytes(MIRROR_OFFSET, &entry[first..first + second]);
    cells.store(word::MIRROR_HEAD, head.wrapping_add(length));
    true
}

/// The page's count of the worker's messages handled: each number is handled once, in order.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MessageOrder {
    next: u32,
}

impl MessageOrder {
    /// Whether posted message `number` is still to be handled (not taken from the mirror
    /// already); counts it when it is. Posted messages arrive all and in order.
    pub fn accept_posted(&mut self, number: u32) -> bool {
        if (number.wrapping_sub(self.next) as i32) < 0 {
            return false;
        }
        self.next = number.wrapping_add(1);
        true
    }
}

/// The page's place in the mirror.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct MirrorReader {
    read: u32,
}

impl MirrorReader {
    /// The mirrored messages that come next in `order`, counted as handled. Stops before a
    /// message that was only posted (it is on its way; what follows it waits for it).
    pub fn take(&mut self, cells: &impl SharedCells, order: &mut MessageOrder) -> Vec<Vec<u8>> {
        let mut taken = Vec::new();
        loop {
            let head = cells.load(word::MIRROR_HEAD);
            let behind = head.wrapping_sub(self.read) as usize;
            if behind == 0 {
                break;
            }
            if !(HEADER..=MIRROR_CAPACITY).contains(&behind) {
                self.read = head; // overwritten before it was read: the posted copies remain
                break;
            }
            let mut header = [0u8; HEADER];
            self.copy(cells, self.read, &mut header);
            let [l0, l1, l2, l3, n0, n1, n2, n3] = header;
            let length = u32::from_le_bytes([l0, l1, l2, l3]) as usize;
            let number = u32::from_le_bytes([n0, n1, n2, n3]);
            if length > MIRROR_MAX_MESSAGE || HEADER + length > behind {
                self.read = head;
                break;
            }
            let mut bytes = vec![0u8; length];
            self.copy(cells, self.read.wrapping_add(HEADER as u32), &mut bytes);
            let reserved = cells.load(word::MIRROR_RESERVED);
            if reserved.wrapping_sub(self.read) as usize > MIRROR_CAPACITY {
                self.read = head; // the writer was overwriting it while it was copied
                break;
            }
            let relative = number.wrapping_sub(order.next) as i32;
            if relative > 0 {
                break; // a posted-only message comes first
            }
            self.read = self.read.wrapping_add((HEADER + length) as u32);
            if relative == 0 {
                order.next = number.wrapping_add(1);
                taken.push(bytes);
            }
        }
        taken
    }

    fn copy(&self, cells: &impl SharedCells, start: u32, out: &mut [u8]) {
        let (offset, first, second) = split(start, out.len(), MIRROR_CAPACITY);
        cells.read_bytes(MIRROR_OFFSET + offset, &mut out[..first]);
        cells.read_bytes(MIRROR_OFFSET, &mut out[first..first + second]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::shared_memory::tests::MemCells;
    use crate::logic::shared_memory::{DATA_OFFSET, TOTAL_BYTES};

    fn cells() -> MemCells {
        MemCells::new(TOTAL_BYTES - DATA_OFFSET)
    }

    #[test]
    fn mirrored_messages_are_taken_once_in_order_and_their_posted_copies_skipped() {
        let cells = cells();
        let (mut order, mut reader) = (MessageOrder::default(), MirrorReader::default());
        for (number, text) in [(0, "LineRead"), (1, "Prompt"), (2, ">>> ")] {
            assert!(mirror(&cells, number, text.as_bytes()));
        }
        assert_eq!(
            reader.take(&cells, &mut order),
            vec![b"LineRead".to_vec(), b"Prompt".to_vec(), b">>> ".to_vec()]
        );
        assert_eq!(reader.take(&cells, &mut order), Vec::<Vec<u8>>::new(), "nothing twice");
        assert!(!order.accept_posted(0) && !order.accept_posted(2), "their posted copies are skipped");
        assert!(order.accept_posted(3), "the next one is handled");
    }

    #[test]
    fn a_message_only_posted_holds_back_those_after_it_until_it_is_handled() {
        let cells = cells();
        let (mut order, mut reader) = (MessageOrder::default(), MirrorReader::default());
        assert!(mirror(&cells, 0, b"a"));
        // 1 was too long to mirror (a burst of output): posted only.
        assert!(!mirror(&cells, 1, &vec![b'x'; MIRROR_MAX_MESSAGE + 1]));
        assert!(mirror(&cells, 2, b"c"));
        assert_eq!(reader.take(&cells, &mut order), vec![b"a".to_vec()]);
        assert_eq!(reader.take(&cells, &mut order), Vec::<Vec<u8>>::new(), "2 waits for 1");
        assert!(!order.accept_posted(0));
        assert!(order.accept_posted(1), "1 arrives posted");
        assert_eq!(reader.take(&cells, &mut order), vec![b"c".to_vec()]);
        assert!(!order.accept_posted(2));
    }

    #[test]
    fn messages_taken_posted_first_are_skipped_in_the_mirror() {
        let cells = cells();
        let (mut order, mut reader) = (MessageOrder::default(), MirrorReader::default());
        for number in 0..3 {
            assert!(mirror(&cells, number, b"m"));
        }
        assert!(order.accept_posted(0) && order.accept_posted(1));
        assert_eq!(reader.take(&cells, &mut order).len(), 1, "only 2 is new");
    }

    #[test]
    fn entries_wrap_around_the_ring_and_a_reader_left_behind_loses_only_the_mirror_copies() {
        let cells = cells();
        let (mut order, mut reader) = (MessageOrder::default(), MirrorReader::default());
        let message: Vec<u8> = (0..1000u32).map(|i| (i % 251) as u8).collect();
        let mut number = 0;
        // Many rounds of the ring, read as they come: every entry whole, across the wrap.
        while number < 300 {
            assert!(mirror(&cells, number, &message));
            assert_eq!(reader.take(&cells, &mut order), vec![message.clone()]);
            number += 1;
        }
        // Left behind by more than the ring holds: nothing is taken (the posted copies are
        // handled), and the reader catches up with what comes next.
        for _ in 0..100 {
            assert!(mirror(&cells, number, &message));
            number += 1;
        }
        assert_eq!(reader.take(&cells, &mut order), Vec::<Vec<u8>>::new());
        while order.accept_posted(order.next) && order.next < number {}
        assert!(mirror(&cells, number, b"next"));
        assert_eq!(reader.take(&cells, &mut order), vec![b"next".to_vec()]);
    }

    #[test]
    fn an_entry_being_overwritten_while_copied_is_not_taken() {
        let cells = cells();
        let (mut order, mut reader) = (MessageOrder::default(), MirrorReader::default());
        assert!(mirror(&cells, 0, b"old"));
        // The writer has reserved a whole ring further on, so "old" may be half rewritten.
        let head = cells.load(word::MIRROR_HEAD);
        cells.store(word::MIRROR_RESERVED, head.wrapping_add(MIRROR_CAPACITY as u32));
        assert_eq!(reader.take(&cells, &mut order), Vec::<Vec<u8>>::new());
        assert!(order.accept_posted(0), "it is handled from its posted copy");
    }

    #[test]
    fn the_messages_that_answer_typing_survive_the_encoding_and_no_other_is_mirrored() {
        let modes = TerminalModes { canonical: false, echo: false, signals: true, enter_as_newline: false };
        for message in [
            FromWorker::Output { bytes: b"\x1b[1;35m>>> \x1b[0m".to_vec() },
            FromWorker::LineRead,
            FromWorker::Prompt,
            FromWorker::TerminalModes { modes },
            FromWorker::InputWanted { inputs_seen: 7 },
            FromWorker::History { entries: vec!["def f():\n    pass".into()] },
        ] {
            let bytes = encode(&message).expect("mirrored");
            assert_eq!(decode(&bytes), Some(message));
        }
        assert_eq!(encode(&FromWorker::Output { bytes: vec![b'x'; MIRROR_MAX_MESSAGE + 1] }), None);
        assert_eq!(encode(&FromWorker::OpenUrl { url: "https://example.org".into() }), None);
        assert_eq!(encode(&FromWorker::Exited { code: 0 }), None);
        assert_eq!(decode(b"\xff\xff"), None);
    }

    #[test]
    fn numbers_wrap() {
        let cells = cells();
        let mut order = MessageOrder { next: u32::MAX };
        let mut reader = MirrorReader::default();
        assert!(mirror(&cells, u32::MAX, b"last"));
        assert!(mirror(&cells, 0, b"first"));
        assert_eq!(reader.take(&cells, &mut order).len(), 2);
        assert!(!order.accept_posted(u32::MAX) && !order.accept_posted(0) && order.accept_posted(1));
    }
}
