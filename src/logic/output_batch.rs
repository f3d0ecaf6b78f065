//! Batches Python's output in the worker: one message per burst, never one per byte.
//!
//! Flushes when enough bytes wait, when a few milliseconds passed since the last flush
//! (checked on each write, because timers cannot fire while Python runs), at once for the
//! first write after a quiet spell (a `print("working...")` before a long computation shows
//! before it, not after), and when asked (before waiting for stdin, at exit). A flush never
//! splits a UTF-8 sequence.

/// Flush when this many bytes wait.
pub const FLUSH_BYTES: usize = 64 * 1024;
/// Flush when the oldest waiting byte is this old (milliseconds).
pub const FLUSH_MS: f64 = 8.0;

/// Output waiting to be sent.
#[derive(Debug, Default)]
pub struct OutputBatch {
    pending: Vec<u8>,
    first_byte_at: Option<f64>,
    last_write_at: Option<f64>,
}

impl OutputBatch {
    /// Adds bytes written at time `now_ms`; returns a chunk to send if one is due.
    pub fn write(&mut self, bytes: &[u8], now_ms: f64) -> Option<Vec<u8>> {
        if self.pending.is_empty() {
            self.first_byte_at = Some(now_ms);
        }
        let after_quiet = self.last_write_at.is_none_or(|t| now_ms - t >= FLUSH_MS);
        self.last_write_at = Some(now_ms);
        self.pending.extend_from_slice(bytes);
        let old = self.first_byte_at.is_some_and(|t| now_ms - t >= FLUSH_MS);
        if self.pending.len() >= FLUSH_BYTES || old || after_quiet { self.take_complete() } else { None }
    }

    /// Everything waiting (for stdin waits and exit), keeping an incomplete UTF-8 tail
    /// only if `keep_partial` (at exit nothing more will come, so send it all).
    pub fn flush(&mut self, keep_partial: bool) -> Option<Vec<u8>> {
        if keep_partial { self.take_complete() } else { self.take(self.pending.len()) }
    }

    /// Bytes waiting.
    pub fn len(&self) -> usize {
        self.pending.len()
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    fn take_complete(&mut self) -> Option<Vec<u8>> {
        self.take(complete_utf8_prefix(&self.pending))
    }

    fn take(&mut self, n: usize) -> Option<Vec<u8>> {
        if n == 0 {
            return None;
        }
        let rest = self.pending.split_off(n);
        let chunk = std::mem::replace(&mut self.pending, rest);
        self.first_byte_at = if self.pending.is_empty() { None } else { self.first_byte_at };
        Some(chunk)
    }
}

/// Length of the longest prefix that does not end inside a UTF-8 sequence. Invalid bytes
/// count as complete (the terminal shows a replacement character; nothing is held back).
pub fn complete_utf8_prefix(bytes: &[u8]) -> usize {
    let len = bytes.len();
    // A sequence is at most 4 bytes: look at the last 3 for an unfinished lead byte.
    for back in 1..=3.min(len) {
        let b = bytes[len - back];
        if b & 0b1100_0000 == 0b1000_0000 {
            continue; // continuation byte: keep looking for its lead
        }
        let needed = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return len,
        };
        return if back < needed { len - back } else { len };
    }
    len
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A batch that has just seen a write (an empty one), so the next ones batch up.
    fn in_a_burst() -> OutputBatch {
        let mut batch = OutputBatch::default();
        assert_eq!(batch.write(b"", 0.0), None);
        batch
    }

    #[test]
    fn small_writes_wait_then_flush_on_age() {
        let mut batch = OutputBatch::default();
        assert_eq!(batch.write(b"a", 0.0), Some(b"a".to_vec()), "the first write goes at once");
        assert_eq!(batch.write(b"b", 1.0), None);
        assert_eq!(batch.write(b"c", 2.0), None);
        assert_eq!(batch.write(b"d", FLUSH_MS + 1.5), Some(b"bcd".to_vec()));
        assert!(batch.is_empty());
    }

    #[test]
    fn the_first_write_after_a_quiet_spell_goes_at_once() {
        let mut batch = OutputBatch::default();
        batch.write(b"burst", 0.0);
        assert_eq!(batch.write(b" more", 1.0), None);
        // A long computation, then one line, then more computation: the line must show.
        assert_eq!(batch.write(b"working...\n", 5000.0), Some(b" moreworking...\n".to_vec()));
    }

    #[test]
    fn large_output_flushes_by_size() {
        let mut batch = in_a_burst();
        let line = [b'x'; 1000];
        let mut chunks = 0;
        for _ in 0..200 {
            if batch.write(&line, 0.0).is_some() {
                chunks += 1;
            }
        }
        assert_eq!(chunks, 200_000 / FLUSH_BYTES);
    }

    #[test]
    fn a_split_utf8_sequence_waits_for_its_end() {
        let text = "é😀".as_bytes(); // 2 + 4 bytes
        let mut batch = in_a_burst();
        batch.write(&text[..3], 0.0);
        assert_eq!(batch.flush(true), Some(text[..2].to_vec()));
        batch.write(&text[3..], 1.0);
        assert_eq!(batch.flush(true), Some(text[2..].to_vec()));
    }

    #[test]
    fn complete_prefix_rules() {
        assert_eq!(complete_utf8_prefix(b"abc"), 3);
        assert_eq!(complete_utf8_prefix(&[b'a', 0xE6, 0x97]), 1);
        assert_eq!(complete_utf8_prefix(&[0xE6, 0x97, 0xA5]), 3);
        assert_eq!(complete_utf8_prefix(&[0xF0, 0x9F, 0x98]), 0);
        assert_eq!(complete_utf8_prefix(&[0xFF, 0xFE]), 2);
    }

    #[test]
    fn exit_flush_sends_even_an_incomplete_tail() {
        let mut batch = in_a_burst();
        batch.write(&[b'a', 0xE6], 0.0);
        assert_eq!(batch.flush(false), Some(vec![b'a', 0xE6]));
    }
}
