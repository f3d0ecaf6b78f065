//! Compatibility mode, worker side: the page's relayed events folded into what Python reads
//! (stdin bytes, end-of-file marks, rendered output, the terminal size).

use crate::protocol::RelayEvent;
use std::collections::VecDeque;

/// What the page has told the worker so far and Python has not consumed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayState {
    input: VecDeque<u8>,
    end_of_file: u32,
    /// Output bytes the page rendered, a wrapping count like the worker's bytes sent.
    output_rendered: u32,
    rows: u32,
    cols: u32,
}

impl Default for RelayState {
    fn default() -> Self {
        Self { input: VecDeque::new(), end_of_file: 0, output_rendered: 0, rows: 24, cols: 80 }
    }
}

impl RelayState {
    /// Takes in one event from the page.
    pub fn apply(&mut self, event: RelayEvent) {
        match event {
            RelayEvent::Input { text } => self.input.extend(text.as_bytes()),
            RelayEvent::EndOfFile => self.end_of_file += 1,
            RelayEvent::OutputRendered { bytes } => {
                self.output_rendered = self.output_rendered.wrapping_add(bytes);
            }
            RelayEvent::Resize { rows, cols } => (self.rows, self.cols) = (rows, cols),
        }
    }

    /// Up to `max` stdin bytes, or `None` when none wait. Input typed before an end-of-file
    /// mark is read before it, as in a terminal.
    pub fn take_input(&mut self, max: usize) -> Option<Vec<u8>> {
        if self.input.is_empty() || max == 0 {
            return None;
        }
        let n = max.min(self.input.len());
        Some(self.input.drain(..n).collect())
    }

    /// Consumes one end-of-file mark, if one waits.
    pub fn take_end_of_file(&mut self) -> bool {
        let pending = self.end_of_file > 0;
        self.end_of_file = self.end_of_file.saturating_sub(1);
        pending
    }

    /// Output bytes the page rendered so far (wrapping).
    pub fn output_rendered(&self) -> u32 {
        self.output_rendered
    }

    /// `(rows, cols)` of the terminal.
    pub fn terminal_size(&self) -> (u32, u32) {
        (self.rows, self.cols)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(text: &str) -> RelayEvent {
        RelayEvent::Input { text: text.into() }
    }

    #[test]
    fn input_is_read_in_pieces_of_the_size_asked() {
        let mut state = RelayState::default();
        assert_eq!(state.take_input(10), None);
        state.apply(input("héllo\n"));
        state.apply(input("x\n"));
        assert_eq!(state.take_input(3).as_deref(), Some("hé".as_bytes()));
        assert_eq!(state.take_input(100).as_deref(), Some("llo\nx\n".as_bytes()));
        assert_eq!(state.take_input(100), None);
    }

    #[test]
    fn end_of_file_marks_are_counted_and_consumed_once_each() {
        let mut state = RelayState::default();
        assert!(!state.take_end_of_file());
        state.apply(RelayEvent::EndOfFile);
        state.apply(RelayEvent::EndOfFile);
        assert!(state.take_end_of_file());
        assert!(state.take_end_of_file());
        assert!(!state.take_end_of_file());
    }

    #[test]
    fn rendered_output_adds_up_and_wraps_and_resize_replaces() {
        let mut state = RelayState::default();
        assert_eq!(state.terminal_size(), (24, 80));
        state.apply(RelayEvent::OutputRendered { bytes: u32::MAX });
        state.apply(RelayEvent::OutputRendered { bytes: 3 });
        assert_eq!(state.output_rendered(), 2);
        state.apply(RelayEvent::Resize { rows: 40, cols: 120 });
        assert_eq!(state.terminal_size(), (40, 120));
    }
}
