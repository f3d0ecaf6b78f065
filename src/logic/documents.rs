//! The editor's documents: one per file from the start (a workspace of several files comes
//! later), the one being edited, and what is kept across reloads.

use serde::{Deserialize, Serialize};

/// A file in the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// File name in Python's working directory, such as `main.py`.
    pub name: String,
    pub text: String,
}

/// The open documents and which one the editor shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Documents {
    files: Vec<Document>,
    current: usize,
}

/// What a new student finds in the editor.
pub const STARTER: &str = "# Write your program here, then press Run (Ctrl+Enter).\n\
name = input(\"What is your name? \")\n\
print(f\"Hello, {name}!\")\n";

impl Default for Documents {
    fn default() -> Self {
        Self { files: vec![Document { name: "main.py".into(), text: STARTER.into() }], current: 0 }
    }
}

impl Documents {
    /// Documents as saved, or the starter when what was saved is missing or unusable.
    pub fn restore(saved: Option<Documents>) -> Self {
        saved
            .filter(|d| d.current < d.files.len() && d.files.iter().all(|f| is_file_name(&f.name)))
            .unwrap_or_default()
    }

    /// The document the editor shows.
    pub fn current(&self) -> &Document {
        &self.files[self.current]
    }

    /// The editor's text changed.
    pub fn set_current_text(&mut self, text: String) {
        self.files[self.current].text = text;
    }
}

/// Whether `name` can be a file in Python's working directory (no folders, no dot names).
pub fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 255
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && name.chars().all(|c| !c.is_control())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_student_gets_main_py_with_a_starter_program() {
        let documents = Documents::restore(None);
        assert_eq!(documents.current().name, "main.py");
        assert!(documents.current().text.contains("print("));
    }

    #[test]
    fn edits_are_kept_and_survive_a_save_and_restore() {
        let mut documents = Documents::default();
        documents.set_current_text("print('élève')\n".into());
        let saved: Documents =
            serde_json::from_str(&serde_json::to_string(&documents).expect("save")).expect("load");
        assert_eq!(Documents::restore(Some(saved)).current().text, "print('élève')\n");
    }

    #[test]
    fn unusable_saved_documents_give_the_starter() {
        let bad_index = Documents { files: vec![], current: 0 };
        assert_eq!(Documents::restore(Some(bad_index)), Documents::default());
        let bad_name =
            Documents { files: vec![Document { name: "../x.py".into(), text: String::new() }], current: 0 };
        assert_eq!(Documents::restore(Some(bad_name)), Documents::default());
    }

    #[test]
    fn file_names_are_single_plain_names() {
        assert!(is_file_name("main.py") && is_file_name("données.csv"));
        for bad in ["", ".hidden", "a/b.py", "a\\b", "x\ny", "a\0"] {
            assert!(!is_file_name(bad), "{bad:?}");
        }
    }
}
