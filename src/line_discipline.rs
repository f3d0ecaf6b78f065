//! The terminal's line discipline: echo, line editing, history, as a kernel tty does.
//!
//! It runs on the page, so keys are echoed at once even while Python is busy (type-ahead),
//! and only complete lines go to Python's stdin. Pure Rust over [`Key`] events: it returns
//! [`Effect`]s and never touches the browser.

use crate::input_event::Key;
use std::collections::VecDeque;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// What the page must do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Write this to the terminal (echo and cursor movement).
    Echo(String),
    /// Send this complete line (with its `\n`) to Python's stdin.
    Submit(String),
    /// Deliver SIGINT to Python, which was waiting for input (at a prompt or in `input()`)
    /// or else running.
    Interrupt { python_was_waiting: bool },
    /// Signal end of file to Python's stdin.
    EndOfFile,
}

/// Where the terminal's cursor is when a new line of input begins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineStart {
    /// Column of the cursor (0-based).
    pub col: usize,
    /// Text on the row before the cursor: the prompt, redrawn after Ctrl+L.
    pub prompt: String,
}

/// Input history, newest last, without consecutive duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
}

impl History {
    /// Most entries kept.
    pub const LIMIT: usize = 1000;

    /// A history holding `entries` (oldest first), trimmed to the limit.
    pub fn from_entries(mut entries: Vec<String>) -> Self {
        entries.retain(|e| !e.trim().is_empty());
        if entries.len() > Self::LIMIT {
            entries.drain(..entries.len() - Self::LIMIT);
        }
        Self { entries }
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Records a submitted line unless it is blank or repeats the previous entry.
    pub fn push(&mut self, line: &str) -> bool {
        if line.trim().is_empty() || self.entries.last().is_some_and(|last| last == line) {
            return false;
        }
        self.entries.push(line.to_owned());
        if self.entries.len() > Self::LIMIT {
            self.entries.remove(0);
        }
        true
    }
}

/// The line being edited and everything needed to redraw it.
#[derive(Debug, Clone)]
pub struct LineDiscipline {
    line: String,
    /// Byte offset of the cursor in `line`, always on a grapheme boundary.
    cursor: usize,
    /// Where the line began, once its first key arrived.
    start: Option<LineStart>,
    cols: usize,
    history: History,
    /// Position while browsing history, and the draft line to come back to.
    browsing: Option<(usize, String)>,
    history_changed: bool,
    /// Pasted lines not yet given to Python: each is echoed and sent when Python asks for
    /// input, so a paste shows prompt, line, output, as if typed line by line.
    paste_queue: VecDeque<String>,
    /// Keys that arrived while a paste was being delivered, replayed after it.
    deferred: Vec<Key>,
    /// Python is blocked reading and nothing has been sent since it asked.
    python_waiting: bool,
}

const INDENT: &str = "    ";

impl LineDiscipline {
    /// A line discipline for a terminal `cols` wide with the given history.
    pub fn new(cols: usize, history: History) -> Self {
        Self {
            line: String::new(),
            cursor: 0,
            start: None,
            cols: cols.max(1),
            history,
            browsing: None,
            history_changed: false,
            paste_queue: VecDeque::new(),
            deferred: Vec::new(),
            python_waiting: false,
        }
    }

    /// The terminal was resized.
    pub fn set_cols(&mut self, cols: usize) {
        self.cols = cols.max(1);
    }

    /// Whether the next key starts a new line, so the page must say where the cursor is.
    pub fn needs_line_start(&self) -> bool {
        self.start.is_none()
    }

    /// Records where the current line begins on screen.
    pub fn set_line_start(&mut self, start: LineStart) {
        self.start = Some(start);
    }

    /// Python wrote something: unless the user has typed ahead, the next line starts
    /// wherever the output left the cursor.
    pub fn output_arrived(&mut self) {
        if self.line.is_empty() {
            self.start = None;
        }
    }

    /// The line typed so far (not yet sent).
    pub fn line(&self) -> &str {
        &self.line
    }

    /// The history, and whether it changed since the last call (so the page saves it).
    pub fn take_history_change(&mut self) -> Option<&History> {
        std::mem::take(&mut self.history_changed).then_some(&self.history)
    }

    /// Handles one key and says what to do.
    pub fn handle(&mut self, key: Key) -> Vec<Effect> {
        if !self.paste_queue.is_empty() {
            if key == Key::Interrupt {
                // Like a tty's input flush on ^C: the rest of the paste is dropped.
                self.paste_queue.clear();
                self.deferred.clear();
            } else {
                self.deferred.push(key);
                return Vec::new();
            }
        }
        let before = (self.line.clone(), self.cursor);
        let mut effects = Vec::new();
        match key {
            Key::Text(text) => self.insert(&text),
            Key::Tab => self.insert(INDENT),
            Key::Paste(text) => return self.paste(&text),
            Key::Enter => return self.submit(),
            Key::Backspace => {
                if let Some(prev) = self.prev_boundary(self.cursor) {
                    self.line.replace_range(prev..self.cursor, "");
                    self.cursor = prev;
                }
            }
            Key::Delete => {
                if let Some(next) = self.next_boundary(self.cursor) {
                    self.line.replace_range(self.cursor..next, "");
                }
            }
            Key::Left => self.cursor = self.prev_boundary(self.cursor).unwrap_or(self.cursor),
            Key::Right => self.cursor = self.next_boundary(self.cursor).unwrap_or(self.cursor),
            Key::Home => self.cursor = 0,
            Key::End => self.cursor = self.line.len(),
            Key::WordLeft => self.cursor = self.word_start_before(self.cursor),
            Key::WordRight => self.cursor = self.word_end_after(self.cursor),
            Key::KillToEnd => self.line.truncate(self.cursor),
            Key::KillToStart => {
                self.line.replace_range(..self.cursor, "");
                self.cursor = 0;
            }
            Key::KillWordBack => {
                let start = self.word_start_before(self.cursor);
                self.line.replace_range(start..self.cursor, "");
                self.cursor = start;
            }
            Key::Up => self.browse(-1),
            Key::Down => self.browse(1),
            Key::ClearScreen => {
                let prompt = self.start.as_ref().map(|s| s.prompt.clone()).unwrap_or_default();
                let mut out = format!("\x1b[H\x1b[2J{prompt}");
                let old = self.cursor;
                // Draw as if the cursor were at the start of the (now empty) line.
                self.cursor = 0;
                self.redraw_into(&mut out, "", 0, &self.line.clone(), old);
                self.cursor = old;
                effects.push(Effect::Echo(out));
                return effects;
            }
            Key::Interrupt => {
                self.reset_line();
                let python_was_waiting = std::mem::replace(&mut self.python_waiting, false);
                return vec![Effect::Echo("^C".into()), Effect::Interrupt { python_was_waiting }];
            }
            Key::EndOfFile => {
                if self.line.is_empty() {
                    self.reset_line();
                    self.python_waiting = false;
                    return vec![Effect::EndOfFile];
                }
                if let Some(next) = self.next_boundary(self.cursor) {
                    self.line.replace_range(self.cursor..next, "");
                }
            }
            Key::Ignored => {}
        }
        if (self.line.as_str(), self.cursor) != (before.0.as_str(), before.1) {
            let mut out = String::new();
            let new_line = self.line.clone();
            self.redraw_into(&mut out, &before.0, before.1, &new_line, self.cursor);
            effects.push(Effect::Echo(out));
        }
        effects
    }

    fn insert(&mut self, text: &str) {
        self.line.insert_str(self.cursor, text);
        self.cursor += text.len();
        // Combining marks join the grapheme before them: keep the cursor on a boundary.
        if !self.is_boundary(self.cursor) {
            self.cursor = self.next_boundary(self.cursor).unwrap_or(self.line.len());
        }
    }

    fn submit(&mut self) -> Vec<Effect> {
        self.python_waiting = false;
        let mut echo = String::new();
        // Put the cursor after the whole line before the newline, as a terminal does.
        let line = self.line.clone();
        self.redraw_into(&mut echo, &line, self.cursor, &line, line.len());
        echo.push_str("\r\n");
        if self.history.push(&line) {
            self.history_changed = true;
        }
        self.reset_line();
        vec![Effect::Echo(echo), Effect::Submit(format!("{line}\n"))]
    }

    /// A paste runs line by line, as if typed: complete lines wait for Python to ask for
    /// input (see [`input_wanted`](Self::input_wanted)); a last partial line is typed
    /// into the editor after them.
    fn paste(&mut self, text: &str) -> Vec<Effect> {
        let mut effects = Vec::new();
        let mut parts: Vec<&str> = text.split('\n').collect();
        let tail = parts.pop().unwrap_or_default();
        let mut parts = parts.into_iter();
        if !self.line.is_empty() {
            // The first pasted line completes the line being edited.
            if let Some(first) = parts.next() {
                self.insert(first);
                effects.extend(self.submit());
            }
        }
        self.paste_queue.extend(parts.map(str::to_owned));
        if self.python_waiting {
            effects.extend(self.input_wanted());
        }
        if !tail.is_empty() {
            let tail = Key::Text(tail.to_owned());
            if self.paste_queue.is_empty() {
                effects.extend(self.handle(tail));
            } else {
                self.deferred.push(tail);
            }
        }
        effects
    }

    /// Python is waiting for input: the next pasted line, if any, is echoed and sent.
    pub fn input_wanted(&mut self) -> Vec<Effect> {
        let Some(line) = self.paste_queue.pop_front() else {
            self.python_waiting = true;
            return Vec::new();
        };
        self.python_waiting = false;
        if self.history.push(&line) {
            self.history_changed = true;
        }
        self.reset_line();
        vec![Effect::Echo(format!("{line}\r\n")), Effect::Submit(format!("{line}\n"))]
    }

    /// Keys typed during a paste, to feed back through [`handle`](Self::handle) when Python
    /// asks for input after the paste is delivered (empty while it is not).
    pub fn take_deferred(&mut self) -> Vec<Key> {
        if self.paste_queue.is_empty() { std::mem::take(&mut self.deferred) } else { Vec::new() }
    }

    fn reset_line(&mut self) {
        self.line.clear();
        self.cursor = 0;
        self.start = None;
        self.browsing = None;
    }

    fn browse(&mut self, step: isize) {
        let len = self.history.entries.len();
        let current = self.browsing.as_ref().map_or(len, |(i, _)| *i);
        let target = current as isize + step;
        if target < 0 || target as usize > len {
            return;
        }
        let target = target as usize;
        let draft = match self.browsing.take() {
            Some((_, draft)) => draft,
            None => self.line.clone(),
        };
        self.line = if target == len { draft.clone() } else { self.history.entries[target].clone() };
        self.cursor = self.line.len();
        if target != len {
            self.browsing = Some((target, draft));
        }
    }

    fn is_boundary(&self, at: usize) -> bool {
        at == 0 || at == self.line.len() || self.line.grapheme_indices(true).any(|(i, _)| i == at)
    }

    fn prev_boundary(&self, at: usize) -> Option<usize> {
        self.line[..at].grapheme_indices(true).next_back().map(|(i, _)| i)
    }

    fn next_boundary(&self, at: usize) -> Option<usize> {
        self.line[at..].graphemes(true).next().map(|g| at + g.len())
    }

    fn word_start_before(&self, at: usize) -> usize {
        let before = &self.line[..at];
        let trimmed = before.trim_end_matches(|c: char| !c.is_alphanumeric() && c != '_');
        trimmed
            .rfind(|c: char| !c.is_alphanumeric() && c != '_')
            .map_or(0, |i| i + trimmed[i..].chars().next().map_or(1, char::len_utf8))
    }

    fn word_end_after(&self, at: usize) -> usize {
        let after = &self.line[at..];
        let skip = after.len() - after.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '_').len();
        let rest = &after[skip..];
        at + skip + rest.find(|c: char| !c.is_alphanumeric() && c != '_').unwrap_or(rest.len())
    }

    /// Screen position (row offset, column) of byte `at` of `text`, laid out from the start
    /// column exactly as the terminal wraps (a wide character never splits across rows).
    fn position(&self, text: &str, at: usize) -> (usize, usize) {
        let start_col = self.start.as_ref().map_or(0, |s| s.col);
        let (mut row, mut col) = (0usize, start_col.min(self.cols - 1));
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
    fn redraw_into(&self, out: &mut String, old: &str, old_cursor: usize, new: &str, new_cursor: usize) {
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
    fn wrap_if_row_full(&self, out: &mut String, text: &str) {
        if !text.is_empty() && self.position(text, text.len()).1 == 0 && self.position(text, text.len()).0 > 0
        {
            out.push_str("\n\r");
        }
    }
}

fn move_cursor(out: &mut String, from: (usize, usize), to: (usize, usize)) {
    use std::fmt::Write;
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
    use super::*;
    use crate::input_event::parse;

    fn ld(cols: usize) -> LineDiscipline {
        let mut ld = LineDiscipline::new(cols, History::default());
        ld.set_line_start(LineStart { col: 4, prompt: ">>> ".into() });
        ld
    }

    /// Feeds keys, returns everything submitted.
    fn type_keys(ld: &mut LineDiscipline, data: &str) -> String {
        let mut submitted = String::new();
        for key in parse(data) {
            if ld.needs_line_start() {
                ld.set_line_start(LineStart { col: 4, prompt: ">>> ".into() });
            }
            for effect in ld.handle(key) {
                if let Effect::Submit(s) = effect {
                    submitted.push_str(&s);
                }
            }
        }
        submitted
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
    }

    /// Types `data` on a screen and checks screen text and cursor against the editor state.
    fn check_screen(cols: usize, data: &str, expect_line: &str) {
        let mut ed = ld(cols);
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
        let (row, col) = ed.position(ed.line(), ed.cursor);
        let (srow, scol) = if screen.pending_wrap { (screen.row + 1, 0) } else { (screen.row, screen.col) };
        assert_eq!((srow, scol), (row, col), "cursor after {data:?}");
    }

    #[test]
    fn typing_and_enter_submit_the_line() {
        let mut ed = ld(80);
        assert_eq!(type_keys(&mut ed, "print(1)\r"), "print(1)\n");
        assert!(ed.needs_line_start());
    }

    #[test]
    fn editing_keys_change_the_right_characters() {
        let mut ed = ld(80);
        // Left twice, insert, Home, Delete, End, Backspace.
        assert_eq!(type_keys(&mut ed, "abcd\x1b[D\x1b[DX\x01\x1b[3~\x05\x7f\r"), "bXc\n");
        assert_eq!(type_keys(&mut ed, "one two three\x17\x17four\r"), "one four\n");
        assert_eq!(type_keys(&mut ed, "hello world\x01\x1b[1;5C\x0b\r"), "hello\n");
        assert_eq!(type_keys(&mut ed, "hello world\x1b[1;5D\x15\r"), "world\n");
        assert_eq!(type_keys(&mut ed, "ab\x04\x01\x04\r"), "b\n");
    }

    #[test]
    fn tab_indents() {
        let mut ed = ld(80);
        assert_eq!(type_keys(&mut ed, "\tpass\r"), "    pass\n");
    }

    #[test]
    fn history_moves_and_skips_duplicates() {
        let mut ed = ld(80);
        type_keys(&mut ed, "a = 1\r");
        type_keys(&mut ed, "a = 1\r");
        type_keys(&mut ed, "b = 2\r");
        assert_eq!(
            ed.take_history_change().map(|h| h.entries().to_vec()),
            Some(vec!["a = 1".into(), "b = 2".into()])
        );
        assert!(ed.take_history_change().is_none());
        assert_eq!(type_keys(&mut ed, "draft\x1b[A\x1b[A\r"), "a = 1\n");
        assert_eq!(type_keys(&mut ed, "draft\x1b[A\x1b[B\r"), "draft\n");
    }

    #[test]
    fn history_keeps_the_newest_entries_up_to_its_limit() {
        let lines: Vec<String> = (0..History::LIMIT + 5).map(|i| format!("x = {i}")).collect();
        let loaded = History::from_entries(lines.clone());
        assert_eq!(loaded.entries().len(), History::LIMIT);
        assert_eq!(loaded.entries()[0], "x = 5");
        let mut pushed = History::default();
        for line in &lines {
            pushed.push(line);
        }
        assert_eq!(pushed.entries(), loaded.entries());
    }

    #[test]
    fn ctrl_l_clears_the_screen_and_redraws_the_prompt_and_line() {
        let mut ed = ld(80);
        let mut echoed = String::new();
        for key in parse("print(1)\x1b[D\x0c") {
            for effect in ed.handle(key) {
                if let Effect::Echo(s) = effect {
                    echoed = s; // the last echo is Ctrl+L's
                }
            }
        }
        assert!(echoed.starts_with("\x1b[H\x1b[2J>>> print(1)"), "{echoed:?}");
        // The cursor goes back before ")" (column 11) and the line is kept.
        assert!(echoed.ends_with("\r\x1b[11C"), "{echoed:?}");
        assert_eq!(type_keys(&mut ed, "2\r"), "print(12)\n");
    }

    #[test]
    fn set_cols_changes_where_the_line_wraps() {
        let mut ed = ld(80);
        type_keys(&mut ed, "abcdefgh");
        assert_eq!(ed.position(ed.line(), ed.cursor), (0, 12));
        ed.set_cols(10);
        assert_eq!(ed.position(ed.line(), ed.cursor), (1, 2));
        ed.set_cols(0); // never zero columns
        assert_eq!(ed.cols, 1);
    }

    #[test]
    fn output_moves_the_line_start_unless_the_user_typed_ahead() {
        let mut ed = ld(80);
        ed.output_arrived();
        assert!(ed.needs_line_start(), "an empty line starts wherever output left the cursor");
        ed.set_line_start(LineStart { col: 0, prompt: String::new() });
        type_keys(&mut ed, "typed");
        ed.output_arrived();
        assert!(!ed.needs_line_start(), "typed-ahead text keeps its place");
    }

    #[test]
    fn interrupt_says_whether_python_was_waiting_for_input() {
        let mut ed = ld(80);
        assert!(ed.input_wanted().is_empty());
        type_keys(&mut ed, "half a li");
        assert!(ed.handle(Key::Interrupt).contains(&Effect::Interrupt { python_was_waiting: true }));
        // The interrupt was sent; until Python asks again, it is not waiting.
        assert!(ed.handle(Key::Interrupt).contains(&Effect::Interrupt { python_was_waiting: false }));
    }

    #[test]
    fn interrupt_and_eof() {
        let mut ed = ld(80);
        let effects = parse("abc\x03").into_iter().flat_map(|k| ed.handle(k)).collect::<Vec<_>>();
        assert!(effects.contains(&Effect::Interrupt { python_was_waiting: false }));
        assert_eq!(ed.line(), "");
        ed.set_line_start(LineStart::default());
        assert_eq!(ed.handle(Key::EndOfFile), vec![Effect::EndOfFile]);
    }

    /// Delivers a paste the way the page does: one line per request for input.
    fn deliver_paste(ed: &mut LineDiscipline) -> (String, String) {
        let (mut echoed, mut sent) = (String::new(), String::new());
        loop {
            let effects = ed.input_wanted();
            if effects.is_empty() {
                break;
            }
            for effect in effects {
                match effect {
                    Effect::Echo(s) => echoed.push_str(&s),
                    Effect::Submit(s) => sent.push_str(&s),
                    other => panic!("unexpected {other:?}"),
                }
            }
        }
        (echoed, sent)
    }

    #[test]
    fn paste_waits_for_each_input_request_then_types_the_tail() {
        let mut ed = ld(80);
        assert_eq!(type_keys(&mut ed, "\x1b[200~def f():\n    return 1\n\nf()\x1b[201~"), "");
        // Keys typed meanwhile wait for the paste.
        assert!(ed.handle(Key::Text("!".into())).is_empty());
        let (echoed, sent) = deliver_paste(&mut ed);
        assert_eq!(sent, "def f():\n    return 1\n\n");
        assert_eq!(echoed, "def f():\r\n    return 1\r\n\r\n");
        let replay = ed.take_deferred();
        assert_eq!(replay, vec![Key::Text("f()".into()), Key::Text("!".into())]);
        for key in replay {
            ed.set_line_start(LineStart::default());
            ed.handle(key);
        }
        assert_eq!(ed.line(), "f()!");
    }

    #[test]
    fn paste_while_python_waits_sends_the_first_line_at_once() {
        let mut ed = ld(80);
        assert!(ed.input_wanted().is_empty());
        let effects = ed.handle(Key::Paste("a = 1\nb = 2\n".into()));
        assert!(effects.contains(&Effect::Submit("a = 1\n".into())), "{effects:?}");
        assert_eq!(deliver_paste(&mut ed).1, "b = 2\n");
    }

    #[test]
    fn paste_into_a_started_line_completes_it_first() {
        let mut ed = ld(80);
        assert_eq!(type_keys(&mut ed, "x = \x1b[200~1\ny = 2\n\x1b[201~"), "x = 1\n");
        assert_eq!(deliver_paste(&mut ed).1, "y = 2\n");
    }

    #[test]
    fn interrupt_drops_the_rest_of_a_paste() {
        let mut ed = ld(80);
        type_keys(&mut ed, "\x1b[200~a\nb\nc\n\x1b[201~");
        assert_eq!(ed.input_wanted().len(), 2);
        assert!(ed.handle(Key::Interrupt).contains(&Effect::Interrupt { python_was_waiting: false }));
        assert!(ed.input_wanted().is_empty());
    }

    #[test]
    fn megabyte_paste_arrives_whole_and_in_order() {
        let mut ed = ld(80);
        let text: String = (0..70_000).map(|i| format!("x = {i:010}\n")).collect();
        assert!(text.len() > 1_000_000);
        assert!(ed.handle(Key::Paste(text.clone())).is_empty());
        assert_eq!(deliver_paste(&mut ed).1, text);
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
