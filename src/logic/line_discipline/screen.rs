//! Where the edited line sits on screen: cursor positions laid out exactly as the terminal
//! wraps them, and the shortest escape sequences that turn one drawing into another.

use std::fmt::Write;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The screen geometry of one line of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Column where the line's first character goes (after the prompt).
    pub start_col: usize,
    /// Width of the terminal, at least 1.
    pub cols: usize,
}

impl Layout {
    /// Screen position (row offset, column) of byte `at` of `text`, laid out from the start
    /// column exactly as the terminal wraps (a wide character never splits across rows).
    pub fn position(&self, text: &str, at: usize) -> (usize, usize) {
        let (mut row, mut col) = (0usize, self.start_col.min(self.cols - 1));
        for (i, g) in text.grapheme_indices(true) {
            if i >= at {
                break;
            }
            let w = g.width();
            if col + w > self.cols {
                row += 1;
                col = 0;
            }
            col += w;
            if col >= self.cols && i + g.len() < at {
                row += 1;
                col = 0;
            }
        }
        if col >= self.cols {
            // Exactly full row: the cursor sits at the start of the next one (see below).
            row += 1;
            col = 0;
        }
        (row, col)
    }

    /// Appends to `out` what turns the screen showing `old` (cursor at `old_cursor`) into
    /// the screen showing `new` (cursor at `new_cursor`).
    pub fn redraw_into(&self, out: &mut String, old: &str, old_cursor: usize, new: &str, new_cursor: usize) {
        // Only the cursor moved: move it, rewrite nothing (output that arrived meanwhile
        // on the same row stays intact).
        if old == new {
            move_cursor(out, self.position(old, old_cursor), self.position(new, new_cursor));
            return;
        }
        // Typing at the end of the line needs only the new text.
        if old_cursor == old.len() && new_cursor == new.len() && new.starts_with(old) && new.len() > old.len()
        {
            out.push_str(&new[old.len()..]);
            self.wrap_if_row_full(out, new);
            return;
        }
        let from = self.position(old, old_cursor);
        move_cursor(out, from, (0, self.position(new, 0).1));
        out.push_str(new);
        self.wrap_if_row_full(out, new);
        out.push_str("\x1b[J");
        move_cursor(out, self.position(new, new.len()), self.position(new, new_cursor));
    }

    /// A terminal that has just filled the last column keeps the cursor there until the next
    /// character; move it to the next row so positions stay predictable.
    pub(super) fn wrap_if_row_full(&self, out: &mut String, text: &str) {
        let end = self.position(text, text.len());
        if !text.is_empty() && end.1 == 0 && end.0 > 0 {
            out.push_str("\n\r");
        }
    }
}

/// Whether the cursor is at the start of a row after the terminal shows `output`, given
/// whether it was before: a line end puts it there, visible text moves it on, escape
/// sequences (colours, modes) and other control characters leave it.
pub fn at_row_start_after(before: bool, output: &[u8]) -> bool {
    let mut at_start = before;
    let mut bytes = output.iter().copied();
    while let Some(byte) = bytes.next() {
        match byte {
            b'\n' | b'\r' => at_start = true,
            0x1b => {
                // CSI: parameters up to a final byte; otherwise one character follows ESC.
                if bytes.next() == Some(b'[') {
                    for byte in bytes.by_ref() {
                        if (0x40..=0x7e).contains(&byte) {
                            break;
                        }
                    }
                }
            }
            0..0x20 | 0x7f => {}
            _ => at_start = false,
        }
    }
    at_start
}

fn move_cursor(out: &mut String, from: (usize, usize), to: (usize, usize)) {
    if to.0 < from.0 {
        let _ = write!(out, "\x1b[{}A", from.0 - to.0);
    } else if to.0 > from.0 {
        let _ = write!(out, "\x1b[{}B", to.0 - from.0);
    }
    if to.1 != from.1 {
        out.push('\r');
        if to.1 > 0 {
            let _ = write!(out, "\x1b[{}C", to.1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Effect, LineDiscipline, LineStart};
    use super::*;
    use crate::logic::input_event::parse;
    use crate::logic::line_discipline::History;

    #[test]
    fn output_ending_in_escape_sequences_after_a_newline_leaves_the_cursor_at_a_row_start() {
        assert!(at_row_start_after(false, b"2\n\x1b[?2004h\x1b[?1h\x1b="));
        assert!(!at_row_start_after(true, b"no newline"));
        assert!(!at_row_start_after(true, "\x1b[31mé".as_bytes()));
        assert!(at_row_start_after(true, b"\x1b[0m\x07"));
        assert!(!at_row_start_after(false, b""));
    }

    #[test]
    fn positions_wrap_as_the_terminal_does() {
        let layout = Layout { start_col: 4, cols: 10 };
        assert_eq!(layout.position("abcdef", 6), (1, 0), "a full row puts the cursor on the next");
        assert_eq!(layout.position("abcdefg", 7), (1, 1));
        // A wide character that does not fit in the last column moves to the next row whole.
        assert_eq!(layout.position("abcde日", 6), (1, 2));
        assert_eq!(Layout { start_col: 4, cols: 80 }.position("abcdefgh", 8), (0, 12));
    }

    /// A tiny terminal model: applies echo output to rows, to check the cursor never drifts.
    struct Screen {
        cols: usize,
        rows: Vec<Vec<String>>,
        row: usize,
        col: usize,
        pending_wrap: bool,
    }

    impl Screen {
        fn new(cols: usize, prompt: &str) -> Self {
            let mut s =
                Self { cols, rows: vec![vec![String::new(); cols]], row: 0, col: 0, pending_wrap: false };
            s.write(prompt);
            s
        }
        fn cell(&mut self) -> &mut String {
            while self.rows.len() <= self.row {
                self.rows.push(vec![String::new(); self.cols]);
            }
            &mut self.rows[self.row][self.col]
        }
        fn write(&mut self, s: &str) {
            let mut chars = s.chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\r' => {
                        self.col = 0;
                        self.pending_wrap = false;
                    }
                    '\n' => {
                        self.row += 1;
                        self.pending_wrap = false;
                    }
                    '\x1b' => {
                        assert_eq!(chars.next(), Some('['));
                        let mut n = String::new();
                        let fin = loop {
                            let c = chars.next().expect("final byte");
                            if c.is_ascii_digit() {
                                n.push(c)
                            } else {
                                break c;
                            }
                        };
                        let n: usize = n.parse().unwrap_or(1);
                        self.pending_wrap = false;
                        match fin {
                            'A' => self.row -= n,
                            'B' => self.row += n,
                            'C' => self.col = (self.col + n).min(self.cols - 1),
                            'J' => {
                                for c in self.col..self.cols {
                                    self.cell_at(self.row, c).clear();
                                }
                                for r in self.row + 1..self.rows.len() {
                                    for c in 0..self.cols {
                                        self.cell_at(r, c).clear();
                                    }
                                }
                            }
                            other => panic!("unexpected CSI {other}"),
                        }
                    }
                    c => {
                        let mut g = c.to_string();
                        while let Some(&m) = chars.peek() {
                            if unicode_width::UnicodeWidthChar::width(m) == Some(0)
                                && m != '\x1b'
                                && m != '\r'
                                && m != '\n'
                            {
                                g.push(m);
                                chars.next();
                            } else {
                                break;
                            }
                        }
                        let w = g.width();
                        if self.pending_wrap || self.col + w > self.cols {
                            self.row += 1;
                            self.col = 0;
                            self.pending_wrap = false;
                        }
                        *self.cell() = g;
                        if w == 2 {
                            self.col += 1;
                            *self.cell() = String::new();
                        }
                        if self.col + 1 >= self.cols {
                            self.pending_wrap = true;
                        } else {
                            self.col += 1;
                        }
                    }
                }
            }
        }
        fn cell_at(&mut self, r: usize, c: usize) -> &mut String {
            while self.rows.len() <= r {
                self.rows.push(vec![String::new(); self.cols]);
            }
            &mut self.rows[r][c]
        }
        fn text(&self) -> String {
            self.rows.iter().map(|r| r.concat()).collect::<Vec<_>>().concat()
        }
        /// Each row's text, as a transcript.
        fn lines(&self) -> Vec<String> {
            let mut lines: Vec<String> = self.rows.iter().map(|r| r.concat()).collect();
            while lines.last().is_some_and(String::is_empty) {
                lines.pop();
            }
            lines
        }
    }

    /// The page's part, as the console plays it: keys through the line discipline, output
    /// written with what is typed ahead taken off the screen and drawn again after it.
    struct Terminal {
        ed: LineDiscipline,
        screen: Screen,
        sent: String,
    }

    impl Terminal {
        fn new(cols: usize) -> Self {
            Self {
                ed: LineDiscipline::new(cols, History::default()),
                screen: Screen::new(cols, ""),
                sent: String::new(),
            }
        }
        fn keys(&mut self, data: &str) {
            for key in parse(data) {
                if self.ed.needs_line_start() {
                    self.ed.set_line_start(LineStart { col: self.screen.col, prompt: String::new() });
                }
                for effect in self.ed.handle(key) {
                    match effect {
                        Effect::Echo(s) => self.screen.write(&s),
                        Effect::Submit(s) => self.sent.push_str(&s),
                        _ => {}
                    }
                }
            }
        }
        fn line_read(&mut self) {
            if let Some(line) = self.ed.line_read() {
                self.screen.write(&line);
            }
        }
        /// Output arrives: what is typed ahead leaves the screen, the output is written.
        fn start_output(&mut self, text: &str) {
            self.ed.output_arrived();
            if let Some(erase) = self.ed.hide_typed_ahead() {
                self.screen.write(&erase);
            }
            self.screen.write(text);
        }
        /// The terminal has drawn the output: what is typed ahead is drawn again after it.
        fn output_written(&mut self) {
            let start = LineStart { col: self.screen.col, prompt: String::new() };
            let redraw = self.ed.redraw_typed_ahead(start);
            self.screen.write(&redraw);
        }
        fn output(&mut self, text: &str) {
            self.start_output(text);
            self.output_written();
        }
    }

    #[test]
    fn lines_typed_during_a_sleep_appear_after_the_prompts_that_read_them() {
        let mut t = Terminal::new(40);
        t.output(">>> ");
        t.keys("time.sleep(2)\r");
        t.line_read();
        // Typed ahead while Python sleeps: shown at once.
        t.keys("print(1)\rx = 5\ry");
        assert_eq!(t.screen.lines(), [">>> time.sleep(2)", "print(1)", "x = 5", "y"]);
        t.output(">>> ");
        t.line_read();
        t.output("1\r\n");
        t.output(">>> ");
        t.line_read();
        t.output(">>> ");
        assert_eq!(t.screen.lines(), [">>> time.sleep(2)", ">>> print(1)", "1", ">>> x = 5", ">>> y"]);
        assert_eq!(t.sent, "time.sleep(2)\nprint(1)\nx = 5\n");
        // The line being edited goes on where it is.
        t.keys("\x7fz = 1\r");
        assert_eq!(t.screen.lines().last().map(String::as_str), Some(">>> z = 1"));
    }

    #[test]
    fn a_key_typed_before_the_prompt_arrives_is_drawn_after_it() {
        let mut t = Terminal::new(40);
        t.output(">>> ");
        t.keys("x = 1\r");
        t.line_read();
        t.keys("f");
        t.output(">>> ");
        t.keys("or i in range(2):\r");
        t.line_read();
        t.output("... ");
        t.keys("\r");
        t.line_read();
        t.output(">>> ");
        assert_eq!(t.screen.lines(), [">>> x = 1", ">>> for i in range(2):", "... ", ">>> "]);
    }

    #[test]
    fn typed_ahead_lines_that_wrap_are_taken_off_and_drawn_again_whole() {
        let mut t = Terminal::new(10);
        t.output(">>> ");
        // The first fills its row exactly; the second is longer than a row.
        t.keys("abcdef\rghijklmnopqr\rxyz\x1b[D");
        assert_eq!(t.screen.lines(), [">>> abcdef", "", "ghijklmnop", "qr", "xyz"]);
        t.output("out\r\n>>> ");
        assert_eq!(t.screen.lines(), [">>> out", ">>> abcdef", "", "ghijklmnop", "qr", "xyz"]);
        t.keys("Q");
        assert_eq!(t.ed.line(), "xyQz");
        assert_eq!(t.screen.lines().last().map(String::as_str), Some("xyQz"));
    }

    #[test]
    fn a_line_read_while_output_is_written_goes_after_the_prompt_that_read_it() {
        let mut t = Terminal::new(40);
        t.output(">>> ");
        t.keys("time.sleep(2)\r");
        t.line_read();
        t.keys("print(1)\rx = 5\r");
        // The prompt, Python reading print(1) and its output all arrive before the terminal
        // has drawn the prompt.
        assert!(t.ed.typed_ahead_shown(), "typed-ahead lines are on screen");
        t.start_output(">>> ");
        t.line_read();
        t.start_output("1\r\n>>> ");
        t.output_written();
        assert_eq!(t.screen.lines(), [">>> time.sleep(2)", ">>> print(1)", "1", ">>> x = 5"]);
    }

    #[test]
    fn keys_typed_while_output_is_written_are_drawn_after_it() {
        let mut t = Terminal::new(40);
        t.output(">>> ");
        t.keys("ab");
        assert!(t.ed.typed_ahead_shown(), "a begun line is on screen");
        t.start_output("output\r\n");
        t.keys("c"); // not echoed while the output is being written
        t.start_output(">>> ");
        t.output_written();
        assert_eq!(t.screen.lines(), [">>> output", ">>> abc"]);
    }

    /// Types `data` on a screen and checks screen text and cursor against the editor state.
    fn check_screen(cols: usize, data: &str, expect_line: &str) {
        let mut ed = LineDiscipline::new(cols, History::default());
        ed.set_line_start(LineStart { col: 4, prompt: ">>> ".into() });
        let mut screen = Screen::new(cols, ">>> ");
        for key in parse(data) {
            for effect in ed.handle(key) {
                if let Effect::Echo(s) = effect {
                    screen.write(&s)
                }
            }
        }
        assert_eq!(ed.line(), expect_line);
        assert_eq!(screen.text(), format!(">>> {expect_line}"), "screen after {data:?}");
        let (row, col) = ed.cursor_position();
        let (srow, scol) = if screen.pending_wrap { (screen.row + 1, 0) } else { (screen.row, screen.col) };
        assert_eq!((srow, scol), (row, col), "cursor after {data:?}");
    }

    #[test]
    fn screen_matches_after_edits_with_wide_and_combining_characters() {
        check_screen(80, "Élève", "Élève");
        check_screen(80, "日本語\x1b[D\x1b[DX", "日X本語");
        check_screen(80, "e\u{301}a\x1b[D\x7f", "a");
        check_screen(80, "e\u{301}a\x1b[D\x1b[D\x1b[3~", "a");
        check_screen(80, "😀😀x\x1b[D\x1b[D\x7f", "😀x");
    }

    #[test]
    fn screen_matches_when_lines_wrap() {
        // 10 columns, prompt of 4: the line wraps after 6 characters.
        check_screen(10, "abcdefghij", "abcdefghij");
        check_screen(10, "abcdef", "abcdef");
        check_screen(10, "abcdefghijklmnop\x01X", "Xabcdefghijklmnop");
        check_screen(10, "abcdefghijklmnop\x01\x1b[3~\x05", "bcdefghijklmnop");
        check_screen(10, "日本語日本語日本\x01\x1b[C\x1b[CZ", "日本Z語日本語日本");
        check_screen(10, "abcdefghijklmnop\x15", "");
    }
}
