//! Compatibility mode, worker side: the page's relayed events folded into what Python reads
//! (stdin bytes and end-of-file marks in the order typed, Ctrl+C, rendered output, the
//! terminal size).

use crate::logic::protocol::RelayEvent;
use crate::logic::termios::Termios;
use std::collections::VecDeque;

/// Stdin as typed: text, and Ctrl+D marks between it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Typed {
    Text(VecDeque<u8>),
    EndOfFile,
}

/// What the page has told the worker so far and Python has not consumed yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelayState {
    typed: VecDeque<Typed>,
    /// Input and end-of-file events received (wrapping), to match the page's count sent.
    inputs_received: u32,
    interrupted: bool,
    /// Output bytes the page rendered, a wrapping count like the worker's bytes sent.
    output_rendered: u32,
    rows: u32,
    cols: u32,
    /// The generation of interpreter the page wants (see `word::RUN_GENERATION`), once the
    /// page has said.
    run_generation: Option<u32>,
    /// The latest set of workspace changes the page posted: its number and blob URL.
    workspace_changes: Option<(u32, String)>,
    /// Turtle graphics' events not taken yet (JSON lines).
    canvas_events: Vec<u8>,
}

impl Default for RelayState {
    fn default() -> Self {
        Self {
            typed: VecDeque::new(),
            inputs_received: 0,
            interrupted: false,
            output_rendered: 0,
            rows: 24,
            cols: 80,
            run_generation: None,
            workspace_changes: None,
            canvas_events: Vec::new(),
        }
    }
}

impl RelayState {
    /// Takes in one event from the page.
    pub fn apply(&mut self, event: RelayEvent) {
        if matches!(event, RelayEvent::Input { .. } | RelayEvent::EndOfFile) {
            self.inputs_received = self.inputs_received.wrapping_add(1);
        }
        match event {
            RelayEvent::Input { text } => match self.typed.back_mut() {
                Some(Typed::Text(bytes)) => bytes.extend(text.as_bytes()),
                _ => self.typed.push_back(Typed::Text(text.into_bytes().into())),
            },
            RelayEvent::EndOfFile => self.typed.push_back(Typed::EndOfFile),
            RelayEvent::Interrupt => {
                // As a terminal does on ^C: type-ahead is dropped.
                self.typed.clear();
                self.interrupted = true;
            }
            RelayEvent::OutputRendered { bytes } => {
                self.output_rendered = self.output_rendered.wrapping_add(bytes);
            }
            RelayEvent::Resize { rows, cols } => (self.rows, self.cols) = (rows, cols),
            RelayEvent::Supersede { generation } => {
                // What was typed for the old interpreter is not for the new one.
                self.typed.clear();
                self.canvas_events.clear();
                self.interrupted = false;
                self.run_generation = Some(generation);
            }
            RelayEvent::WorkspaceChanged { number, url } => self.workspace_changes = Some((number, url)),
            RelayEvent::Canvas { line } => self.canvas_events.extend(line.as_bytes()),
        }
    }

    /// The turtle graphics events received and not taken yet.
    pub fn take_canvas_events(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.canvas_events)
    }

    /// The latest set of workspace changes posted, with its blob URL.
    pub fn workspace_changes(&self) -> Option<(u32, String)> {
        self.workspace_changes.clone()
    }

    /// The generation of interpreter the page wants, once it has said.
    pub fn run_generation(&self) -> Option<u32> {
        self.run_generation
    }

    /// Up to `max` stdin bytes typed before any end-of-file mark (one line at most when
    /// `termios` is canonical), or `None`.
    pub fn take_input(&mut self, max: usize, termios: &Termios) -> Option<Vec<u8>> {
        let Some(Typed::Text(bytes)) = self.typed.front_mut() else { return None };
        let n = max.min(termios.read_length(bytes.make_contiguous()));
        if n == 0 {
            return None;
        }
        let taken: Vec<u8> = bytes.drain(..n).collect();
        if bytes.is_empty() {
            self.typed.pop_front();
        }
        Some(taken)
    }

    /// Consumes the end-of-file mark that comes next, if it does.
    pub fn take_end_of_file(&mut self) -> bool {
        let next = matches!(self.typed.front(), Some(Typed::EndOfFile));
        if next {
            self.typed.pop_front();
        }
        next
    }

    /// Input and end-of-file events received so far (wrapping; kept across interpreters).
    pub fn inputs_received(&self) -> u32 {
        self.inputs_received
    }

    /// Consumes a Ctrl+C that arrived, if one did.
    pub fn take_interrupt(&mut self) -> bool {
        std::mem::take(&mut self.interrupted)
    }

    /// A new interpreter starts: nothing typed for the old one is kept; the terminal's size
    /// and the output count are.
    pub fn forget_input(&mut self) {
        self.typed.clear();
        self.interrupted = false;
        self.canvas_events.clear();
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
        assert_eq!(state.take_input(10, &Termios::default()), None);
        state.apply(input("héllo\n"));
        state.apply(input("x\n"));
        assert_eq!(state.take_input(3, &Termios::default()).as_deref(), Some("hé".as_bytes()));
        assert_eq!(
            state.take_input(100, &Termios::default()).as_deref(),
            Some("llo\n".as_bytes()),
            "one line per read"
        );
        assert_eq!(state.take_input(100, &Termios::default()).as_deref(), Some("x\n".as_bytes()));
        state.apply(input("ab\n"));
        state.apply(input("cd"));
        let mut raw = Termios::default();
        raw.lflag &= !crate::logic::termios::lflag::ICANON;
        assert_eq!(state.take_input(100, &raw).as_deref(), Some("ab\ncd".as_bytes()), "raw: all that waits");
        assert_eq!(state.take_input(100, &Termios::default()), None);
        assert_eq!(state.take_input(0, &Termios::default()), None);
    }

    #[test]
    fn end_of_file_and_text_are_read_in_the_order_typed() {
        let mut state = RelayState::default();
        assert!(!state.take_end_of_file());
        state.apply(input("a\n"));
        state.apply(RelayEvent::EndOfFile);
        state.apply(input("b\n"));
        state.apply(RelayEvent::EndOfFile);
        assert!(!state.take_end_of_file(), "text typed first is read first");
        assert_eq!(state.take_input(10, &Termios::default()).as_deref(), Some(&b"a\n"[..]));
        assert_eq!(
            state.take_input(10, &Termios::default()),
            None,
            "the end of file comes before later text"
        );
        assert!(state.take_end_of_file());
        assert_eq!(state.take_input(10, &Termios::default()).as_deref(), Some(&b"b\n"[..]));
        assert!(state.take_end_of_file());
        assert!(!state.take_end_of_file());
        assert_eq!(state.inputs_received(), 4);
    }

    #[test]
    fn interrupt_drops_type_ahead_until_taken() {
        let mut state = RelayState::default();
        state.apply(input("lost\n"));
        state.apply(RelayEvent::Interrupt);
        assert_eq!(state.take_input(10, &Termios::default()), None);
        assert!(state.take_interrupt());
        assert!(!state.take_interrupt());
        state.apply(input("kept\n"));
        assert_eq!(state.take_input(10, &Termios::default()).as_deref(), Some(&b"kept\n"[..]));
    }

    #[test]
    fn a_new_interpreter_keeps_the_size_and_forgets_the_input() {
        let mut state = RelayState::default();
        state.apply(RelayEvent::Resize { rows: 40, cols: 120 });
        state.apply(input("old\n"));
        state.apply(RelayEvent::Interrupt);
        state.forget_input();
        assert_eq!(state.inputs_received(), 1, "the count goes on, as the page's does");
        assert_eq!(state.take_input(10, &Termios::default()), None);
        assert!(!state.take_interrupt());
        assert_eq!(state.terminal_size(), (40, 120));
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

    #[test]
    fn the_latest_workspace_changes_replace_earlier_ones() {
        let mut state = RelayState::default();
        assert_eq!(state.workspace_changes(), None);
        state.apply(RelayEvent::WorkspaceChanged { number: 1, url: "blob:a".into() });
        state.apply(RelayEvent::WorkspaceChanged { number: 2, url: "blob:b".into() });
        state.apply(RelayEvent::Supersede { generation: 4 });
        assert_eq!(state.workspace_changes(), Some((2, "blob:b".into())), "kept for the next interpreter");
    }

    #[test]
    fn superseding_sets_the_wanted_generation_and_drops_what_was_typed_for_the_old_one() {
        let mut state = RelayState::default();
        assert_eq!(state.run_generation(), None, "not known before the page says");
        state.apply(RelayEvent::Input { text: "x = 1\n".into() });
        state.apply(RelayEvent::Interrupt);
        state.apply(RelayEvent::Input { text: "typed ahead\n".into() });
        state.apply(RelayEvent::Supersede { generation: 7 });
        assert_eq!(state.run_generation(), Some(7));
        assert_eq!(state.take_input(100, &Termios::default()), None);
        assert!(!state.take_interrupt());
    }
}
