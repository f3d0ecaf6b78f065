//! The line being edited: its text and a cursor that moves by grapheme and by word, as a
//! terminal's line editor does (a combining accent or an emoji is one step).

use unicode_segmentation::UnicodeSegmentation;

/// Text and cursor; the cursor is a byte offset, always on a grapheme boundary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EditLine {
    text: String,
    cursor: usize,
}

impl EditLine {
    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor's byte offset in the text.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Whether nothing is typed.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Replaces the text, with the cursor at its end.
    pub fn set(&mut self, text: String) {
        self.cursor = text.len();
        self.text = text;
    }

    /// Empties the line.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }

    /// Inserts `text` at the cursor and moves the cursor after it.
    pub fn insert(&mut self, text: &str) {
        self.text.insert_str(self.cursor, text);
        self.cursor += text.len();
        // Combining marks join the grapheme before them: keep the cursor on a boundary.
        if !self.is_boundary(self.cursor) {
            self.cursor = self.next_boundary(self.cursor).unwrap_or(self.text.len());
        }
    }

    /// Deletes the grapheme before the cursor.
    pub fn delete_back(&mut self) {
        if let Some(prev) = self.prev_boundary(self.cursor) {
            self.text.replace_range(prev..self.cursor, "");
            self.cursor = prev;
        }
    }

    /// Deletes the grapheme under the cursor.
    pub fn delete_forward(&mut self) {
        if let Some(next) = self.next_boundary(self.cursor) {
            self.text.replace_range(self.cursor..next, "");
        }
    }

    /// One grapheme left.
    pub fn left(&mut self) {
        self.cursor = self.prev_boundary(self.cursor).unwrap_or(self.cursor);
    }

    /// One grapheme right.
    pub fn right(&mut self) {
        self.cursor = self.next_boundary(self.cursor).unwrap_or(self.cursor);
    }

    /// To the start of the line.
    pub fn home(&mut self) {
        self.cursor = 0;
    }

    /// To the end of the line.
    pub fn end(&mut self) {
        self.cursor = self.text.len();
    }

    /// To the start of the word before the cursor.
    pub fn word_left(&mut self) {
        self.cursor = self.word_start_before(self.cursor);
    }

    /// To the end of the word after the cursor.
    pub fn word_right(&mut self) {
        let after = &self.text[self.cursor..];
        let skip = after.len() - after.trim_start_matches(|c: char| !is_word_char(c)).len();
        let rest = &after[skip..];
        self.cursor += skip + rest.find(|c: char| !is_word_char(c)).unwrap_or(rest.len());
    }

    /// Deletes from the cursor to the end (Ctrl+K).
    pub fn kill_to_end(&mut self) {
        self.text.truncate(self.cursor);
    }

    /// Deletes from the start to the cursor (Ctrl+U).
    pub fn kill_to_start(&mut self) {
        self.text.replace_range(..self.cursor, "");
        self.cursor = 0;
    }

    /// Deletes the word before the cursor (Ctrl+W).
    pub fn kill_word_back(&mut self) {
        let start = self.word_start_before(self.cursor);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    fn is_boundary(&self, at: usize) -> bool {
        at == 0 || at == self.text.len() || self.text.grapheme_indices(true).any(|(i, _)| i == at)
    }

    fn prev_boundary(&self, at: usize) -> Option<usize> {
        self.text[..at].grapheme_indices(true).next_back().map(|(i, _)| i)
    }

    fn next_boundary(&self, at: usize) -> Option<usize> {
        self.text[at..].graphemes(true).next().map(|g| at + g.len())
    }

    fn word_start_before(&self, at: usize) -> usize {
        let trimmed = self.text[..at].trim_end_matches(|c: char| !is_word_char(c));
        trimmed
            .rfind(|c: char| !is_word_char(c))
            .map_or(0, |i| i + trimmed[i..].chars().next().map_or(1, char::len_utf8))
    }
}

/// Letters, digits and `_` make words, as in Python identifiers.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str) -> EditLine {
        let mut line = EditLine::default();
        line.insert(text);
        line
    }

    #[test]
    fn a_combining_accent_and_an_emoji_are_one_step() {
        let mut l = line("e\u{301}😀x");
        l.left();
        l.left();
        assert_eq!(&l.text()[l.cursor()..], "😀x");
        l.delete_back();
        assert_eq!(l.text(), "😀x");
        l.delete_forward();
        assert_eq!(l.text(), "x");
    }

    #[test]
    fn a_combining_mark_typed_alone_joins_the_letter_before() {
        let mut l = line("e");
        l.insert("\u{301}");
        assert_eq!(l.cursor(), l.text().len());
        l.left();
        assert_eq!(l.cursor(), 0);
    }

    #[test]
    fn words_are_identifiers() {
        let mut l = line("print(my_var, élève)");
        l.word_left();
        assert_eq!(&l.text()[l.cursor()..], "élève)");
        l.word_left();
        assert_eq!(&l.text()[l.cursor()..], "my_var, élève)");
        l.word_right();
        assert_eq!(&l.text()[l.cursor()..], ", élève)");
        l.kill_word_back();
        assert_eq!(l.text(), "print(, élève)");
        l.kill_to_end();
        assert_eq!(l.text(), "print(");
        l.home();
        l.kill_to_start();
        assert_eq!((l.text(), l.cursor()), ("print(", 0));
    }
}
