//! The terminal's line discipline: echo, line editing, history, as a kernel tty does.
//!
//! It runs on the page, so keys are echoed at once even while Python is busy (type-ahead),
//! and only complete lines go to Python's stdin. What is typed ahead and not read yet is
//! redrawn after output that arrives meanwhile (as readline redisplays), so each line reads
//! after the prompt that read it. The program's termios settings choose canonical or raw
//! input, echo and signal keys. Pure Rust over [`Key`] events: it returns [`Effect`]s and
//! never touches the browser. The line and its cursor are in `edit_line`, Up/Down history
//! in `history`, and where things are on screen in `screen`.

mod edit_line;
mod history;
mod screen;

pub use history::History;
pub use screen::at_row_start_after;

use crate::logic::input_event::Key;
use crate::logic::termios::TerminalModes;
use edit_line::EditLine;
use history::Browsing;
use screen::Layout;
use std::collections::VecDeque;
use std::fmt::Write;

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
    /// A paste too large for the program's own line editor (PyREPL renders every line of
    /// its buffer, and CPython 3.13's fails on very tall ones): nothing was typed; the page
    /// keeps the text another way.
    PasteTooLarge(String),
}

/// Most a paste in raw mode may hold (bytes, lines) to be typed into the program's editor.
pub const RAW_PASTE_LIMIT: (usize, usize) = (64 * 1024, 2000);

/// What xterm puts around pasted text (bracketed paste mode).
const PASTE_START: &str = "\x1b[200~";
const PASTE_END: &str = "\x1b[201~";

/// Where the terminal's cursor is when a new line of input begins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineStart {
    /// Column of the cursor (0-based).
    pub col: usize,
    /// Text on the row before the cursor: the prompt, redrawn after Ctrl+L.
    pub prompt: String,
}

/// The line being edited and everything needed to redraw it.
#[derive(Debug, Clone)]
pub struct LineDiscipline {
    line: EditLine,
    /// Where the line began, once its first key arrived.
    start: Option<LineStart>,
    cols: usize,
    history: History,
    browsing: Option<Browsing>,
    history_changed: bool,
    /// Pasted lines not yet given to Python: each is echoed and sent when Python asks for
    /// input, so a paste shows prompt, line, output, as if typed line by line.
    paste_queue: VecDeque<String>,
    /// Keys that arrived while a paste was being delivered, replayed after it.
    deferred: Vec<Key>,
    /// Python is blocked reading and nothing has been sent since it asked.
    python_waiting: bool,
    /// Lines sent that Python has not read yet (`None`: typed without echo, so not on
    /// screen), and the column where the first begins: redrawn after output, which belongs
    /// before them.
    unread: VecDeque<Option<String>>,
    unread_col: usize,
    /// What is typed ahead is off the screen until output being written is done, and is
    /// then drawn again ([`redraw_typed_ahead`](Self::redraw_typed_ahead)): no echo now.
    hidden: bool,
    /// What the program's termios settings say to do with keys.
    modes: TerminalModes,
}

const INDENT: &str = "    ";

impl LineDiscipline {
    /// A line discipline for a terminal `cols` wide with the given history.
    pub fn new(cols: usize, history: History) -> Self {
        Self {
            line: EditLine::default(),
            start: None,
            cols: cols.max(1),
            history,
            browsing: None,
            history_changed: false,
            paste_queue: VecDeque::new(),
            deferred: Vec::new(),
            python_waiting: false,
            unread: VecDeque::new(),
            unread_col: 0,
            hidden: false,
            modes: TerminalModes::default(),
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
        if self.line.is_empty() && !self.unread_shown() {
            self.start = None;
        }
    }

    /// Whether something typed ahead is on screen (lines not read yet, or a line begun).
    fn typed_ahead_shown(&self) -> bool {
        !self.hidden && (self.unread_shown() || (self.start.is_some() && !self.line.is_empty()))
    }

    /// Whether some line not read yet was echoed.
    fn unread_shown(&self) -> bool {
        self.unread.iter().any(Option::is_some)
    }

    /// Output is about to be written: what takes what is typed ahead off the screen (from
    /// the cursor back to where it began), if anything is there. Until
    /// [`redraw_typed_ahead`](Self::redraw_typed_ahead), keys are taken in but not echoed.
    pub fn hide_typed_ahead(&mut self) -> Option<String> {
        let shown = self.typed_ahead_shown();
        self.hidden = true;
        if !shown {
            return None;
        }
        let mut rows = 0;
        let mut col = self.unread_col;
        for line in self.unread.iter().flatten() {
            rows += Layout { start_col: col, cols: self.cols }.position(line, line.len()).0 + 1;
            col = 0;
        }
        let (start_col, line_row) = if self.start.is_some() && !self.line.is_empty() {
            (self.line_start_col(), self.cursor_position().0)
        } else {
            (self.unread_col, 0)
        };
        let first_col = if self.unread_shown() { self.unread_col } else { start_col };
        let mut out = String::new();
        let up = rows + line_row;
        if up > 0 {
            let _ = write!(out, "\x1b[{up}A");
        }
        out.push('\r');
        if first_col > 0 {
            let _ = write!(out, "\x1b[{first_col}C");
        }
        out.push_str("\x1b[J");
        Some(out)
    }

    /// The output is on screen and the cursor at `start`: what draws what is typed ahead
    /// again (the lines Python has not read, then the line being edited, with its cursor).
    pub fn redraw_typed_ahead(&mut self, start: LineStart) -> String {
        self.hidden = false;
        self.unread_col = start.col;
        let mut out = String::new();
        let mut col = start.col;
        for line in self.unread.iter().flatten() {
            let layout = Layout { start_col: col, cols: self.cols };
            out.push_str(line);
            layout.wrap_if_row_full(&mut out, line);
            out.push_str("\r\n");
            col = 0;
        }
        self.start = Some(if self.unread_shown() { LineStart::default() } else { start });
        let line = self.line.text();
        self.layout().redraw_into(&mut out, "", 0, line, self.line.cursor());
        out
    }

    /// Python read the first line typed ahead: it stays where it is, after the prompt that
    /// read it, and no longer moves with later output. Returns what to write when it is off
    /// the screen (output is being written): it goes there, after the prompt and before
    /// whatever Python prints next.
    pub fn line_read(&mut self) -> Option<String> {
        let line = self.unread.pop_front()?;
        self.unread_col = 0;
        let line = line.filter(|_| self.hidden)?;
        let mut out = line.clone();
        // Its row began wherever the output left the cursor: wrapping is the terminal's.
        out.push_str("\r\n");
        Some(out)
    }

    /// The program changed its tty's settings. Leaving canonical mode, what is typed ahead
    /// is the program's to show: our echo of it is taken back, and the line being edited goes
    /// to the program as typed (lines already sent wait for it in stdin).
    pub fn set_modes(&mut self, modes: TerminalModes) -> Vec<Effect> {
        let was_canonical = std::mem::replace(&mut self.modes, modes).canonical;
        if !was_canonical || modes.canonical {
            return Vec::new();
        }
        let mut effects = Vec::new();
        let was_hidden = self.hidden;
        if let Some(erase) = self.hide_typed_ahead() {
            effects.push(Effect::Echo(erase));
        }
        self.hidden = was_hidden;
        self.unread.clear();
        let typed = self.line.text().to_owned();
        self.reset_line();
        if !typed.is_empty() {
            self.python_waiting = false;
            effects.push(Effect::Submit(typed));
        }
        effects
    }

    /// What the program's termios settings say to do with keys.
    pub fn modes(&self) -> TerminalModes {
        self.modes
    }

    /// Raw (non-canonical) input: the keys' bytes go to the program as they are (Enter as a
    /// newline unless it asked otherwise), Ctrl+C still interrupts when the program asked for
    /// signals, and they are echoed only when it asked for echo.
    pub fn raw_input(&mut self, data: &str) -> Vec<Effect> {
        if let Some(text) = data.strip_prefix(PASTE_START).and_then(|rest| rest.strip_suffix(PASTE_END)) {
            // xterm sends a paste's line ends as Enter (CR), as if typed.
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            let (bytes, lines) = RAW_PASTE_LIMIT;
            if text.len() > bytes || text.lines().count() > lines {
                return vec![Effect::PasteTooLarge(text)];
            }
        }
        let mapped;
        let data = if self.modes.enter_as_newline {
            mapped = data.replace('\r', "\n");
            mapped.as_str()
        } else {
            data
        };
        let mut effects = Vec::new();
        let pieces: Vec<&str> = if self.modes.signals { data.split('\x03').collect() } else { vec![data] };
        let last = pieces.len() - 1;
        for (i, piece) in pieces.into_iter().enumerate() {
            if !piece.is_empty() {
                if self.modes.echo && !self.hidden {
                    effects.push(Effect::Echo(piece.replace('\n', "\r\n")));
                }
                self.python_waiting = false;
                effects.push(Effect::Submit(piece.to_owned()));
            }
            if i < last {
                let python_was_waiting = std::mem::replace(&mut self.python_waiting, false);
                effects.push(Effect::Interrupt { python_was_waiting });
            }
        }
        effects
    }

    fn line_start_col(&self) -> usize {
        self.start.as_ref().map_or(0, |s| s.col)
    }

    /// Whether Python is blocked reading and nothing was sent since it asked.
    pub fn python_waiting(&self) -> bool {
        self.python_waiting
    }

    /// The line typed so far (not yet sent).
    pub fn line(&self) -> &str {
        self.line.text()
    }

    /// The cursor's screen position (row offset from the line's first row, column).
    pub fn cursor_position(&self) -> (usize, usize) {
        self.layout().position(self.line.text(), self.line.cursor())
    }

    /// The input history.
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Entries the program's own line editor (PyREPL) added to its history.
    pub fn add_history(&mut self, entries: &[String]) {
        for entry in entries {
            self.history_changed |= self.history.push(entry);
        }
    }

    /// The history, and whether it changed since the last call (so the page saves it).
    pub fn take_history_change(&mut self) -> Option<&History> {
        std::mem::take(&mut self.history_changed).then_some(&self.history)
    }

    /// Handles one key and says what to do.
    pub fn handle(&mut self, key: Key) -> Vec<Effect> {
        let mut effects = self.edit(key);
        if self.hidden || !self.modes.echo {
            effects.retain(|effect| !matches!(effect, Effect::Echo(_)));
        }
        effects
    }

    fn edit(&mut self, key: Key) -> Vec<Effect> {
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
        let before = self.line.clone();
        match key {
            Key::Text(text) => self.line.insert(&text),
            Key::Tab => self.line.insert(INDENT),
            Key::Paste(text) => return self.paste(&text),
            Key::Enter => return self.submit(),
            Key::Backspace => self.line.delete_back(),
            Key::Delete => self.line.delete_forward(),
            Key::Left => self.line.left(),
            Key::Right => self.line.right(),
            Key::Home => self.line.home(),
            Key::End => self.line.end(),
            Key::WordLeft => self.line.word_left(),
            Key::WordRight => self.line.word_right(),
            Key::KillToEnd => self.line.kill_to_end(),
            Key::KillToStart => self.line.kill_to_start(),
            Key::KillWordBack => self.line.kill_word_back(),
            Key::Up => self.browse(-1),
            Key::Down => self.browse(1),
            Key::ClearScreen => return vec![Effect::Echo(self.clear_screen())],
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
                self.line.delete_forward();
            }
            Key::Ignored => {}
        }
        if self.line == before {
            return Vec::new();
        }
        let mut out = String::new();
        self.layout().redraw_into(
            &mut out,
            before.text(),
            before.cursor(),
            self.line.text(),
            self.line.cursor(),
        );
        vec![Effect::Echo(out)]
    }

    fn layout(&self) -> Layout {
        Layout { start_col: self.line_start_col(), cols: self.cols }
    }

    /// Ctrl+L: clears the screen, then redraws the prompt and the line with its cursor.
    fn clear_screen(&self) -> String {
        let prompt = self.start.as_ref().map(|s| s.prompt.as_str()).unwrap_or_default();
        let mut out = format!("\x1b[H\x1b[2J{prompt}");
        // Drawn as an edit from the (now empty) line with the cursor at its start.
        self.layout().redraw_into(&mut out, "", 0, self.line.text(), self.line.cursor());
        out
    }

    /// A message on its own row, then the prompt and the line being edited again, as they were.
    fn notice(&self, message: &str) -> String {
        let prompt = self.start.as_ref().map(|s| s.prompt.as_str()).unwrap_or_default();
        let line = self.line.text();
        let mut out = String::new();
        self.layout().redraw_into(&mut out, line, self.line.cursor(), line, line.len());
        let _ = write!(out, "\r\n\x1b[33m{message}\x1b[0m\r\n{prompt}");
        self.layout().redraw_into(&mut out, "", 0, line, self.line.cursor());
        out
    }

    fn submit(&mut self) -> Vec<Effect> {
        self.python_waiting = false;
        let mut echo = String::new();
        // Put the cursor after the whole line before the newline, as a terminal does.
        let line = self.line.text().to_owned();
        self.layout().redraw_into(&mut echo, &line, self.line.cursor(), &line, line.len());
        echo.push_str("\r\n");
        if self.unread.is_empty() {
            self.unread_col = self.line_start_col();
        }
        // What is typed without echo (a password) is neither kept nor shown again.
        if self.modes.echo {
            self.unread.push_back(Some(line.clone()));
            if self.history.push(&line) {
                self.history_changed = true;
            }
        } else {
            self.unread.push_back(None);
        }
        self.reset_line();
        vec![Effect::Echo(echo), Effect::Submit(format!("{line}\n"))]
    }

    /// A paste runs line by line, as if typed: complete lines wait for Python to ask for
    /// input (see [`input_wanted`](Self::input_wanted)); a last partial line is typed
    /// into the editor after them.
    fn paste(&mut self, text: &str) -> Vec<Effect> {
        if let Some(refusal) = refuse_paste(text) {
            return vec![Effect::Echo(self.notice(&refusal))];
        }
        let mut effects = Vec::new();
        let mut parts: Vec<&str> = text.split('\n').collect();
        let tail = parts.pop().unwrap_or_default();
        let mut parts = parts.into_iter();
        if !self.line.is_empty() {
            // The first pasted line completes the line being edited.
            if let Some(first) = parts.next() {
                self.line.insert(first);
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
        self.unread_col = 0;
        self.unread.push_back(Some(line.clone()));
        let echo = Effect::Echo(format!("{line}\r\n"));
        let submit = Effect::Submit(format!("{line}\n"));
        if self.hidden { vec![submit] } else { vec![echo, submit] }
    }

    /// Whether a paste is being delivered line by line (keys typed meanwhile wait for it).
    pub fn pasting(&self) -> bool {
        !self.paste_queue.is_empty()
    }

    /// Keys typed during a paste, to feed back through [`handle`](Self::handle) when Python
    /// asks for input after the paste is delivered (empty while it is not).
    pub fn take_deferred(&mut self) -> Vec<Key> {
        if self.paste_queue.is_empty() { std::mem::take(&mut self.deferred) } else { Vec::new() }
    }

    fn reset_line(&mut self) {
        self.line.clear();
        self.start = None;
        self.browsing = None;
    }

    fn browse(&mut self, step: isize) {
        if let Some((line, browsing)) =
            Browsing::step(&self.history, self.browsing.clone(), self.line.text(), step)
        {
            self.line.set(line);
            self.browsing = browsing;
        }
    }
}

/// Why a paste is not typed in, if it holds a control character other than tab and line
/// ends: a terminal would echo it as a command (an escape sequence moves the cursor, NUL
/// shows nothing) so the screen and what Python gets would differ, and CPython's line reader
/// stops at NUL. Nothing is lost: the clipboard still holds it, and a file takes any text.
fn refuse_paste(text: &str) -> Option<String> {
    let (line, row, found) = text.split('\n').enumerate().find_map(|(i, row)| {
        row.find(|c: char| c.is_control() && c != '\t' && c != '\r').map(|at| (i + 1, row, at))
    })?;
    let character = row[found..].chars().next()?;
    let shown = match character as u32 {
        code @ 0..0x20 => format!("^{}", char::from_u32(code + 0x40).unwrap_or('?')),
        0x7f => "^?".to_owned(),
        code => format!("U+{code:04X}"),
    };
    Some(format!(
        "Not pasted: line {line} holds the control character {shown}, which typed input cannot carry \
         as it is. Remove it, or put the text in a file."
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::input_event::parse;

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
        assert_eq!(ed.cursor_position(), (0, 12));
        ed.set_cols(10);
        assert_eq!(ed.cursor_position(), (1, 2));
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
    fn a_paste_with_a_control_character_is_refused_whole_and_the_line_is_kept() {
        let mut ed = ld(80);
        assert_eq!(type_keys(&mut ed, "x = "), "");
        let effects = ed.handle(Key::Paste("print(1)\nab\u{1b}[Dc\n".into()));
        let [Effect::Echo(echo)] = &effects[..] else { panic!("only a notice: {effects:?}") };
        assert!(echo.contains("line 2 holds the control character ^["), "{echo}");
        assert!(echo.ends_with("\r\n>>> x = "), "the prompt and the line are back: {echo:?}");
        let effects = ed.handle(Key::Paste("a\0b".into()));
        assert!(matches!(&effects[..], [Effect::Echo(e)] if e.contains("^@")), "{effects:?}");
        // Tabs and line ends are fine; typing goes on in the kept line.
        assert_eq!(type_keys(&mut ed, "1\r"), "x = 1\n");
        assert!(refuse_paste("if x:\r\n\tpass\n").is_none());
    }

    #[test]
    fn paste_waits_for_each_input_request_then_types_the_tail() {
        let mut ed = ld(80);
        assert!(!ed.pasting());
        assert_eq!(type_keys(&mut ed, "\x1b[200~def f():\n    return 1\n\nf()\x1b[201~"), "");
        assert!(ed.pasting());
        // Keys typed meanwhile wait for the paste.
        assert!(ed.handle(Key::Text("!".into())).is_empty());
        let (echoed, sent) = deliver_paste(&mut ed);
        assert!(!ed.pasting(), "delivered");
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
    fn without_echo_nothing_shows_and_the_line_stays_out_of_history() {
        let mut ed = ld(80);
        ed.set_modes(TerminalModes { echo: false, ..TerminalModes::default() });
        let effects: Vec<Effect> = parse("s3cret\r").into_iter().flat_map(|k| ed.handle(k)).collect();
        assert_eq!(effects, vec![Effect::Submit("s3cret\n".into())], "no echo at all, not even the newline");
        assert!(ed.take_history_change().is_none());
        assert!(ed.hide_typed_ahead().is_none(), "nothing typed ahead is on screen");
        ed.line_read();
        ed.set_modes(TerminalModes::default());
        assert_eq!(type_keys(&mut ed, "shown\r"), "shown\n");
        assert!(ed.take_history_change().is_some());
    }

    #[test]
    fn raw_input_passes_bytes_and_ctrl_c_interrupts_only_with_signals() {
        let mut ed = ld(80);
        type_keys(&mut ed, "x = 1\rab");
        let raw = TerminalModes { canonical: false, echo: false, signals: true, enter_as_newline: false };
        let effects = ed.set_modes(raw);
        assert!(effects.contains(&Effect::Submit("ab".into())), "the begun line goes as typed: {effects:?}");
        assert_eq!(
            effects.first(),
            Some(&Effect::Echo("\x1b[1A\r\x1b[4C\x1b[J".into())),
            "echo taken back: {effects:?}"
        );
        assert!(!ed.typed_ahead_shown(), "nothing of ours is left to redraw");
        assert_eq!(
            ed.raw_input("x\x1b[A\x03y"),
            vec![
                Effect::Submit("x\x1b[A".into()),
                Effect::Interrupt { python_was_waiting: false },
                Effect::Submit("y".into())
            ]
        );
        ed.set_modes(TerminalModes { signals: false, ..raw });
        assert_eq!(ed.raw_input("\x03"), vec![Effect::Submit("\x03".into())]);
        // A paste PyREPL could not take is not typed at all.
        let huge = "x = 1\n".repeat(RAW_PASTE_LIMIT.1 + 1);
        let pasted = format!("{PASTE_START}{}{PASTE_END}", huge.replace('\n', "\r"));
        assert_eq!(ed.raw_input(&pasted), vec![Effect::PasteTooLarge(huge)]);
        let small = format!("{PASTE_START}x = 1\n{PASTE_END}");
        assert_eq!(ed.raw_input(&small), vec![Effect::Submit(small.clone())]);
        ed.set_modes(TerminalModes { echo: true, enter_as_newline: true, ..raw });
        assert_eq!(ed.raw_input("k\r"), vec![Effect::Echo("k\r\n".into()), Effect::Submit("k\n".into())]);
    }

    #[test]
    fn megabyte_paste_arrives_whole_and_in_order() {
        let mut ed = ld(80);
        let text: String = (0..70_000).map(|i| format!("x = {i:010}\n")).collect();
        assert!(text.len() > 1_000_000);
        assert!(ed.handle(Key::Paste(text.clone())).is_empty());
        assert_eq!(deliver_paste(&mut ed).1, text);
    }
}
