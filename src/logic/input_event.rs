//! Turns the terminal's input strings (xterm's `onData`) into plain key events.
//!
//! This is the edge between the browser and the line discipline: everything after it is
//! plain Rust, testable with `cargo test`. It also decides which keyboard events produce
//! text through the browser's own text input and what of that input becomes terminal input
//! (see `web::text_input`), and joins UTF-16 surrogate pairs that arrive split across two
//! data events.

/// One thing the user did at the keyboard (or a paste).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// Printable text typed (one or more characters, no control characters).
    Text(String),
    /// A bracketed paste; newlines inside are normalised to `\n`.
    Paste(String),
    Enter,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    WordLeft,
    WordRight,
    Tab,
    /// Ctrl+C.
    Interrupt,
    /// Ctrl+D.
    EndOfFile,
    /// Ctrl+K: delete from the cursor to the end of the line.
    KillToEnd,
    /// Ctrl+U: delete from the start of the line to the cursor.
    KillToStart,
    /// Ctrl+W or Alt+Backspace: delete the word before the cursor.
    KillWordBack,
    /// Ctrl+L.
    ClearScreen,
    /// A key this terminal does not act on.
    Ignored,
}

const PASTE_START: &str = "\x1b[200~";
const PASTE_END: &str = "\x1b[201~";

/// Splits one `onData` string into keys, in order.
pub fn parse(data: &str) -> Vec<Key> {
    let mut keys = Vec::new();
    let mut rest = data;
    let mut text = String::new();
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix(PASTE_START) {
            flush_text(&mut text, &mut keys);
            let (pasted, remaining) = match after.find(PASTE_END) {
                Some(end) => (&after[..end], &after[end + PASTE_END.len()..]),
                None => (after, ""),
            };
            keys.push(Key::Paste(normalise_newlines(pasted)));
            rest = remaining;
            continue;
        }
        if c == '\x1b' {
            flush_text(&mut text, &mut keys);
            let (key, len) = parse_escape(rest);
            keys.push(key);
            rest = &rest[len..];
            continue;
        }
        let key = match c {
            '\r' | '\n' => Some(Key::Enter),
            '\x7f' | '\x08' => Some(Key::Backspace),
            '\t' => Some(Key::Tab),
            '\x01' => Some(Key::Home),
            '\x05' => Some(Key::End),
            '\x02' => Some(Key::Left),
            '\x06' => Some(Key::Right),
            '\x03' => Some(Key::Interrupt),
            '\x04' => Some(Key::EndOfFile),
            '\x0b' => Some(Key::KillToEnd),
            '\x15' => Some(Key::KillToStart),
            '\x17' => Some(Key::KillWordBack),
            '\x0c' => Some(Key::ClearScreen),
            '\x10' => Some(Key::Up),
            '\x0e' => Some(Key::Down),
            c if c.is_control() => Some(Key::Ignored),
            _ => None,
        };
        match key {
            Some(key) => {
                flush_text(&mut text, &mut keys);
                // A CR LF pair from a non-bracketed paste is one Enter.
                if key == Key::Enter && c == '\r' && rest[1..].starts_with('\n') {
                    rest = &rest[1..];
                }
                keys.push(key);
            }
            None => text.push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    flush_text(&mut text, &mut keys);
    keys
}

fn flush_text(text: &mut String, keys: &mut Vec<Key>) {
    if !text.is_empty() {
        keys.push(Key::Text(std::mem::take(text)));
    }
}

fn normalise_newlines(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Parses an escape sequence at the start of `s` (which starts with ESC); returns the key
/// and how many bytes it used.
fn parse_escape(s: &str) -> (Key, usize) {
    let bytes = s.as_bytes();
    match bytes.get(1) {
        Some(b'[') => {
            // CSI: parameters and intermediates up to a final byte in 0x40..=0x7e.
            let end = bytes[2..].iter().position(|b| (0x40..=0x7e).contains(b)).map(|p| p + 2);
            let Some(end) = end else {
                return (Key::Ignored, s.len());
            };
            let params = &s[2..end];
            let key = match (params, bytes[end]) {
                ("", b'A') => Key::Up,
                ("", b'B') => Key::Down,
                ("", b'C') => Key::Right,
                ("", b'D') => Key::Left,
                ("", b'H') | ("1", b'~') | ("7", b'~') => Key::Home,
                ("", b'F') | ("4", b'~') | ("8", b'~') => Key::End,
                ("3", b'~') => Key::Delete,
                ("1;5", b'C') | ("1;3", b'C') => Key::WordRight,
                ("1;5", b'D') | ("1;3", b'D') => Key::WordLeft,
                _ => Key::Ignored,
            };
            (key, end + 1)
        }
        Some(b'O') => {
            let key = match bytes.get(2) {
                Some(b'A') => Key::Up,
                Some(b'B') => Key::Down,
                Some(b'C') => Key::Right,
                Some(b'D') => Key::Left,
                Some(b'H') => Key::Home,
                Some(b'F') => Key::End,
                _ => Key::Ignored,
            };
            (key, 3.min(s.len()))
        }
        Some(b'b') => (Key::WordLeft, 2),
        Some(b'f') => (Key::WordRight, 2),
        Some(0x7f) => (Key::KillWordBack, 2),
        Some(_) => {
            let next = s[1..].chars().next().map_or(0, char::len_utf8);
            (Key::Ignored, 1 + next)
        }
        None => (Key::Ignored, 1),
    }
}

/// Who turns a keyboard event into terminal input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRoute {
    /// The terminal: control keys, arrows, Enter, shortcuts, Alt as Meta.
    Terminal,
    /// The browser's own handling: printable characters, dead keys and input-method
    /// composition (the text is taken from the input element once it is committed, so every
    /// engine delivers it exactly once, however it orders its key, input and composition
    /// events), and Ctrl+V, which pastes (a terminal would send it as ^V).
    Browser,
}

/// What the router needs to know of a `keydown` or `keypress` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyInfo<'a> {
    /// `KeyboardEvent.key`: a printable string, or a name such as `"Enter"` or `"Dead"`.
    pub key: &'a str,
    /// `KeyboardEvent.keyCode`: 229 while an input method processes the key.
    pub key_code: u32,
    pub ctrl: bool,
    pub alt: bool,
    pub meta: bool,
    /// `KeyboardEvent.isComposing`.
    pub composing: bool,
}

/// Input methods mark the keys they consume with this key code.
const IME_PROCESS_KEY_CODE: u32 = 229;

/// Decides who handles a key event.
pub fn route_key(event: KeyInfo<'_>) -> KeyRoute {
    if event.composing
        || event.key_code == IME_PROCESS_KEY_CODE
        || matches!(event.key, "Dead" | "Process" | "Compose")
    {
        return KeyRoute::Browser;
    }
    // Named keys ("Enter", "ArrowUp", "Unidentified") are ASCII words; a printable key is one
    // character or, for emoji and the like, one non-ASCII grapheme.
    let printable = !event.key.is_empty()
        && !event.key.chars().any(char::is_control)
        && (event.key.chars().count() == 1 || !event.key.is_ascii());
    // AltGr arrives as Ctrl+Alt on Windows: the character it gives is text.
    let altgr = event.ctrl && event.alt && !event.meta;
    let shortcut = (event.ctrl || event.alt || event.meta) && !altgr;
    let paste = event.ctrl && !event.alt && !event.meta && event.key.eq_ignore_ascii_case("v");
    if (printable && !shortcut) || paste { KeyRoute::Browser } else { KeyRoute::Terminal }
}

/// Escape then Tab moves the keyboard out of the terminal, as CodeMirror's editor does (Tab
/// alone indents in both): keyboard users are never trapped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TabEscape {
    armed: bool,
}

impl TabEscape {
    /// Takes a key press (`KeyboardEvent.key`); true when it is the Tab that leaves.
    pub fn leaves(&mut self, key: &str) -> bool {
        if matches!(key, "Shift" | "Control" | "Alt" | "Meta") {
            return false; // Shift+Tab leaves backwards: its Shift press keeps the Escape
        }
        let leave = self.armed && key == "Tab";
        self.armed = key == "Escape";
        leave
    }
}

/// A browser text-input event on the terminal's input element, as the page saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextEvent {
    /// A key went to the browser ([`KeyRoute::Browser`]); `space_bar` if it was the space bar.
    KeyToBrowser {
        space_bar: bool,
    },
    CompositionStart,
    /// The text an input method is composing now.
    CompositionUpdate(String),
    CompositionEnd,
    /// The element's text changed (`InputEvent.inputType`, `InputEvent.isComposing`).
    Input {
        input_type: String,
        composing: bool,
    },
}

/// What the page does about a [`TextEvent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextAction {
    Nothing,
    /// Show this text being composed at the cursor.
    ShowPreedit(String),
    /// Hide the composed text, and send what the element holds once the engine has finished
    /// changing it (some change it after `compositionend`): then ask [`TextEntry::flush_due`].
    EndPreeditAndFlushSoon,
    /// Send what the element holds (through [`TextEntry::take`]) and empty it.
    Flush,
    /// Empty the element without sending: xterm's paste handler has sent a paste already
    /// (bracketed, so it runs line by line), and the browser then also inserts it.
    Discard,
    /// A phone keyboard deleted through the element, not with a key event: send Backspace.
    Backspace,
}

/// Decides what becomes terminal input among the browser's text-input events: the text the
/// input element holds when no composition is in progress, once.
#[derive(Debug, Default)]
pub struct TextEntry {
    composing: bool,
    space_bar: bool,
}

impl TextEntry {
    /// What to do about `event`.
    pub fn event(&mut self, event: TextEvent) -> TextAction {
        match event {
            TextEvent::KeyToBrowser { space_bar } => {
                self.space_bar = space_bar;
                TextAction::Nothing
            }
            TextEvent::CompositionStart => {
                self.composing = true;
                TextAction::ShowPreedit(String::new())
            }
            TextEvent::CompositionUpdate(text) => TextAction::ShowPreedit(text),
            TextEvent::CompositionEnd => {
                self.composing = false;
                TextAction::EndPreeditAndFlushSoon
            }
            TextEvent::Input { composing, .. } if composing || self.composing => TextAction::Nothing,
            TextEvent::Input { input_type, .. } => match input_type.as_str() {
                "insertFromPaste" => TextAction::Discard,
                "deleteContentBackward" => TextAction::Backspace,
                _ => TextAction::Flush,
            },
        }
    }

    /// Whether a flush asked for by [`TextAction::EndPreeditAndFlushSoon`] is still due (no
    /// new composition began meanwhile).
    pub fn flush_due(&self) -> bool {
        !self.composing
    }

    /// The text to send for what the element held. WebKit turns a space typed at the end of
    /// the element's text (always, here: the element is emptied after every key) into a
    /// no-break space; the space bar means a space. A no-break space typed as one (AltGr and
    /// space on a French keyboard) stays one.
    pub fn take(&mut self, held: &str) -> String {
        if std::mem::take(&mut self.space_bar) { held.replace('\u{a0}', " ") } else { held.to_owned() }
    }
}

/// Joins UTF-16 text that arrives in pieces: a surrogate pair split across two pieces still
/// becomes one character. A lone surrogate becomes U+FFFD.
#[derive(Debug, Default)]
pub struct Utf16Joiner {
    /// A high surrogate that ended the previous piece.
    pending_high: Option<u16>,
}

impl Utf16Joiner {
    /// The text of `units` (with what the previous piece left), keeping a trailing high
    /// surrogate for the next piece.
    pub fn push(&mut self, units: &[u16]) -> String {
        let mut all: Vec<u16> = self.pending_high.take().into_iter().collect();
        all.extend_from_slice(units);
        if let Some(&last) = all.last()
            && (0xD800..0xDC00).contains(&last)
        {
            self.pending_high = all.pop();
        }
        char::decode_utf16(all).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: &str) -> KeyInfo<'_> {
        KeyInfo { key, key_code: 0, ctrl: false, alt: false, meta: false, composing: false }
    }

    #[test]
    fn printable_keys_go_to_the_browser_and_named_keys_to_the_terminal() {
        for text in ["a", "A", " ", "é", "学", "🐍", "👍🏽", "~"] {
            assert_eq!(route_key(key(text)), KeyRoute::Browser, "{text}");
        }
        for name in ["Enter", "Backspace", "ArrowUp", "Tab", "Escape", "F5", "Unidentified", "Shift", ""] {
            assert_eq!(route_key(key(name)), KeyRoute::Terminal, "{name}");
        }
    }

    #[test]
    fn shortcuts_go_to_the_terminal_and_altgr_text_does_not() {
        assert_eq!(route_key(KeyInfo { ctrl: true, ..key("c") }), KeyRoute::Terminal);
        assert_eq!(route_key(KeyInfo { alt: true, ..key("b") }), KeyRoute::Terminal);
        assert_eq!(route_key(KeyInfo { meta: true, ..key("v") }), KeyRoute::Terminal);
        assert_eq!(route_key(KeyInfo { ctrl: true, alt: true, ..key("@") }), KeyRoute::Browser);
    }

    #[test]
    fn ctrl_v_pastes_instead_of_sending_a_control_character() {
        assert_eq!(route_key(KeyInfo { ctrl: true, ..key("v") }), KeyRoute::Browser);
        assert_eq!(route_key(KeyInfo { ctrl: true, ..key("V") }), KeyRoute::Browser);
    }

    #[test]
    fn dead_keys_and_input_methods_compose_in_the_browser() {
        assert_eq!(route_key(key("Dead")), KeyRoute::Browser);
        assert_eq!(route_key(KeyInfo { key_code: 229, ..key("Unidentified") }), KeyRoute::Browser);
        // Enter that confirms a candidate belongs to the input method, not the prompt.
        assert_eq!(route_key(KeyInfo { composing: true, ..key("Enter") }), KeyRoute::Browser);
    }

    fn input(input_type: &str, composing: bool) -> TextEvent {
        TextEvent::Input { input_type: input_type.into(), composing }
    }

    #[test]
    fn typed_text_is_sent_when_the_element_changes() {
        let mut entry = TextEntry::default();
        assert_eq!(entry.event(TextEvent::KeyToBrowser { space_bar: false }), TextAction::Nothing);
        assert_eq!(entry.event(input("insertText", false)), TextAction::Flush);
        assert_eq!(entry.take("é"), "é");
    }

    #[test]
    fn a_composition_is_sent_once_when_it_ends_and_shown_meanwhile() {
        let mut entry = TextEntry::default();
        assert_eq!(entry.event(TextEvent::CompositionStart), TextAction::ShowPreedit(String::new()));
        assert_eq!(
            entry.event(TextEvent::CompositionUpdate("xue".into())),
            TextAction::ShowPreedit("xue".into())
        );
        assert_eq!(entry.event(input("insertCompositionText", true)), TextAction::Nothing);
        // Some engines report the composition as over in the input event before its end.
        assert_eq!(entry.event(input("insertCompositionText", false)), TextAction::Nothing);
        assert!(!entry.flush_due());
        assert_eq!(entry.event(TextEvent::CompositionEnd), TextAction::EndPreeditAndFlushSoon);
        assert!(entry.flush_due());
    }

    #[test]
    fn webkits_committed_string_without_a_composition_start_is_sent_once() {
        let mut entry = TextEntry::default();
        assert_eq!(entry.event(input("insertFromComposition", true)), TextAction::Nothing);
        assert_eq!(entry.event(TextEvent::CompositionEnd), TextAction::EndPreeditAndFlushSoon);
        assert!(entry.flush_due());
    }

    #[test]
    fn a_new_composition_cancels_a_pending_flush() {
        let mut entry = TextEntry::default();
        entry.event(TextEvent::CompositionEnd);
        entry.event(TextEvent::CompositionStart);
        assert!(!entry.flush_due());
    }

    #[test]
    fn pastes_are_left_to_the_terminal_and_phone_deletes_become_backspace() {
        let mut entry = TextEntry::default();
        assert_eq!(entry.event(input("insertFromPaste", false)), TextAction::Discard);
        assert_eq!(entry.event(input("deleteContentBackward", false)), TextAction::Backspace);
    }

    #[test]
    fn the_space_bar_gives_a_space_even_where_webkit_inserts_a_no_break_space() {
        let mut entry = TextEntry::default();
        entry.event(TextEvent::KeyToBrowser { space_bar: true });
        assert_eq!(entry.take("\u{a0}"), " ");
        // The flag is used once.
        assert_eq!(entry.take("\u{a0}"), "\u{a0}");
        entry.event(TextEvent::KeyToBrowser { space_bar: false });
        assert_eq!(entry.take("\u{a0}"), "\u{a0}");
    }

    #[test]
    fn a_surrogate_pair_split_across_pieces_is_one_character() {
        let snake: Vec<u16> = "a🐍".encode_utf16().collect();
        let mut joiner = Utf16Joiner::default();
        assert_eq!(joiner.push(&snake[..2]), "a");
        assert_eq!(joiner.push(&snake[2..]), "🐍");
        assert_eq!(joiner.push(&"é".encode_utf16().collect::<Vec<_>>()), "é");
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let mut joiner = Utf16Joiner::default();
        assert_eq!(joiner.push(&[0xDC00, 0x41]), "\u{FFFD}A");
        assert_eq!(joiner.push(&[0xD800]), "");
        assert_eq!(joiner.push(&[0x42]), "\u{FFFD}B");
    }

    #[test]
    fn text_and_controls_split_in_order() {
        assert_eq!(
            parse("ab\x7fc\r"),
            vec![Key::Text("ab".into()), Key::Backspace, Key::Text("c".into()), Key::Enter]
        );
    }

    #[test]
    fn arrows_home_end_delete_and_word_moves() {
        assert_eq!(
            parse("\x1b[D\x1b[C\x1b[A\x1b[B\x1b[H\x1b[F\x1b[3~\x1b[1;5D\x1b[1;5C\x1bb\x1bf\x1bOH"),
            vec![
                Key::Left,
                Key::Right,
                Key::Up,
                Key::Down,
                Key::Home,
                Key::End,
                Key::Delete,
                Key::WordLeft,
                Key::WordRight,
                Key::WordLeft,
                Key::WordRight,
                Key::Home
            ]
        );
    }

    #[test]
    fn control_keys() {
        assert_eq!(
            parse("\x01\x05\x0b\x15\x17\x0c\x03\x04\t"),
            vec![
                Key::Home,
                Key::End,
                Key::KillToEnd,
                Key::KillToStart,
                Key::KillWordBack,
                Key::ClearScreen,
                Key::Interrupt,
                Key::EndOfFile,
                Key::Tab
            ]
        );
    }

    #[test]
    fn bracketed_paste_is_one_event_with_normalised_newlines() {
        assert_eq!(
            parse("x\x1b[200~a\r\nb\rc\x1b[201~y"),
            vec![Key::Text("x".into()), Key::Paste("a\nb\nc".into()), Key::Text("y".into())]
        );
    }

    #[test]
    fn unicode_text_stays_whole() {
        assert_eq!(parse("Élève 日本 😀 e\u{301}"), vec![Key::Text("Élève 日本 😀 e\u{301}".into())]);
    }

    #[test]
    fn crlf_is_one_enter_and_unknown_escapes_are_ignored() {
        assert_eq!(parse("a\r\nb"), vec![Key::Text("a".into()), Key::Enter, Key::Text("b".into())]);
        assert_eq!(parse("\x1b[99z"), vec![Key::Ignored]);
        assert_eq!(parse("\x1b"), vec![Key::Ignored]);
    }

    #[test]
    fn only_escape_then_tab_leaves_the_terminal() {
        let mut keys = TabEscape::default();
        assert!(!keys.leaves("Tab"), "Tab alone indents");
        assert!(!keys.leaves("Escape"));
        assert!(!keys.leaves("Shift"));
        assert!(keys.leaves("Tab"), "Escape, then (Shift+)Tab leaves");
        assert!(!keys.leaves("Tab"), "once");
        keys.leaves("Escape");
        keys.leaves("a");
        assert!(!keys.leaves("Tab"), "another key in between cancels it");
    }
}
