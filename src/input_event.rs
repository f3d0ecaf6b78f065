//! Turns the terminal's input strings (xterm's `onData`) into plain key events.
//!
//! This is the edge between the browser and the line discipline: everything after it is
//! plain Rust, testable with `cargo test`.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
