//! Where a program's traceback points in the student's file: the line to mark in the editor
//! and the text to show beside it, read from what Python printed (as CPython prints it, with
//! or without colours).

/// A line of the student's file that an error points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLocation {
    /// 1-based line number.
    pub line: u32,
    /// The exception as printed ("ZeroDivisionError: division by zero").
    pub message: String,
}

/// A `File "PATH", line N` reference on one row of text: its span and line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileReference {
    /// Byte range of the reference in the row.
    pub start: usize,
    pub end: usize,
    /// 1-based line number.
    pub line: u32,
}

/// `text` without terminal escape sequences (CSI such as colours, and OSC).
pub fn strip_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        match chars.next() {
            // CSI: parameters and intermediates, then one final byte in @..~.
            Some('[') => {
                for c in chars.by_ref() {
                    if ('@'..='~').contains(&c) {
                        break;
                    }
                }
            }
            // OSC: up to BEL or ESC \.
            Some(']') => {
                while let Some(c) = chars.next() {
                    if c == '\x07' || (c == '\x1b' && chars.next_if_eq(&'\\').is_some()) {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// The `File "PATH", line N` reference on `row` (escape-free text), if there is one.
pub fn file_reference(row: &str, path: &str) -> Option<FileReference> {
    let head = format!("File \"{path}\", line ");
    let start = row.find(&head)?;
    let digits_at = start + head.len();
    let digits: String = row[digits_at..].chars().take_while(char::is_ascii_digit).collect();
    let line = digits.parse().ok().filter(|&n| n > 0)?;
    Some(FileReference { start, end: digits_at + digits.len(), line })
}

/// The innermost line of `path` in the last traceback of `output`, and its exception.
pub fn locate(output: &str, path: &str) -> Option<ErrorLocation> {
    let text = strip_escapes(output);
    let rows: Vec<&str> = text.lines().collect();
    let (at, reference) =
        rows.iter().enumerate().rev().find_map(|(i, row)| file_reference(row, path).map(|r| (i, r)))?;
    // The exception is the first unindented row after the frame (source lines, carets and
    // notes are indented); chained tracebacks' headers are not exceptions.
    let message = rows[at + 1..]
        .iter()
        .map(|row| row.trim_end())
        .find(|row| {
            !row.is_empty()
                && !row.starts_with(char::is_whitespace)
                && !row.starts_with("Traceback (most recent call last)")
        })
        .unwrap_or("error")
        .to_owned();
    Some(ErrorLocation { line: reference.line, message })
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAIN: &str = "/home/user/main.py";

    #[test]
    fn a_runtime_error_points_at_the_innermost_line_of_the_file() {
        let output = "start\nTraceback (most recent call last):\n  File \"/home/user/main.py\", line 5, in <module>\n    f()\n    ~^^\n  File \"/home/user/main.py\", line 2, in f\n    return 1 / 0\n           ~~^~~\nZeroDivisionError: division by zero\n>>> ";
        assert_eq!(
            locate(output, MAIN),
            Some(ErrorLocation { line: 2, message: "ZeroDivisionError: division by zero".into() })
        );
    }

    #[test]
    fn a_syntax_error_points_at_its_line() {
        let output = "  File \"/home/user/main.py\", line 3\n    print(\"a\"\n         ^\nSyntaxError: '(' was never closed\n";
        assert_eq!(
            locate(output, MAIN).map(|l| (l.line, l.message)),
            Some((3, "SyntaxError: '(' was never closed".into()))
        );
    }

    #[test]
    fn colours_are_ignored_and_frames_in_other_files_skipped() {
        let output = "Traceback (most recent call last):\n  File \x1b[35m\"/home/user/main.py\"\x1b[0m, line \x1b[35m4\x1b[0m, in \x1b[35m<module>\x1b[0m\n  File \"/lib/python313.zip/json/__init__.py\", line 346, in loads\n\x1b[1;35mjson.decoder.JSONDecodeError\x1b[0m: \x1b[35mExpecting value\x1b[0m\n";
        // CPython 3.13 colours the path and number separately; stripping joins them again.
        assert_eq!(
            locate(output, MAIN),
            Some(ErrorLocation { line: 4, message: "json.decoder.JSONDecodeError: Expecting value".into() })
        );
    }

    #[test]
    fn the_last_traceback_wins_and_no_traceback_is_none() {
        let output = "  File \"/home/user/main.py\", line 1, in <module>\nNameError: name 'x' is not defined\n  File \"/home/user/main.py\", line 9, in <module>\nKeyboardInterrupt\n";
        assert_eq!(locate(output, MAIN).map(|l| l.line), Some(9));
        assert_eq!(locate("all fine\n>>> ", MAIN), None);
        assert_eq!(locate("  File \"/home/user/other.py\", line 2\n", MAIN), None);
    }

    #[test]
    fn a_reference_on_a_row_gives_its_span() {
        let row = "  File \"/home/user/main.py\", line 12, in <module>";
        let reference = file_reference(row, MAIN).expect("a reference");
        assert_eq!(&row[reference.start..reference.end], "File \"/home/user/main.py\", line 12");
        assert_eq!(reference.line, 12);
        assert_eq!(file_reference("  File \"/home/user/main.py\", line x", MAIN), None);
    }

    #[test]
    fn escapes_of_every_kind_are_removed() {
        assert_eq!(strip_escapes("a\x1b[1;31mb\x1b[0mc\x1b]0;title\x07d\x1b]8;;x\x1b\\e"), "abcde");
    }
}
