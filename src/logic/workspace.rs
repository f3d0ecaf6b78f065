//! The student's files: what the editor shows, what Python's working directory holds, and
//! what changed there since the last look (so the page keeps what Python wrote).

use crate::logic::documents::{STARTER, is_file_name};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest file the workspace takes in (an upload), so that one file cannot fill the
/// browser's storage or the interpreter's memory.
pub const MAX_FILE_BYTES: u64 = 20_000_000;

/// One file of the workspace, as it travels between page and worker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceFile {
    pub name: String,
    #[serde(with = "serde_bytes")]
    pub bytes: Vec<u8>,
}

/// What the working directory held at one moment: each regular file's size and
/// modification time (milliseconds).
pub type Snapshot = BTreeMap<String, (u64, f64)>;

/// Files written (new or changed) and removed between two snapshots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

impl Changes {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// What changed from `before` to `after`.
pub fn changes(before: &Snapshot, after: &Snapshot) -> Changes {
    Changes {
        written: after
            .iter()
            .filter(|(name, stat)| before.get(*name) != Some(stat))
            .map(|(n, _)| n.clone())
            .collect(),
        removed: before.keys().filter(|name| !after.contains_key(*name)).cloned().collect(),
    }
}

/// Whether `bytes` can be edited as text (UTF-8 without NUL).
pub fn is_text(bytes: &[u8]) -> bool {
    !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok()
}

/// The workspace: every file by name, and the one the editor shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    files: BTreeMap<String, Vec<u8>>,
    current: String,
}

/// Why a file cannot be made or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("“{0}” is not a usable file name (no “/”, “\\”, leading dot or control characters)")]
    BadName(String),
    #[error("a file named “{0}” already exists")]
    Exists(String),
    #[error("“{0}” is not a text file, so the editor cannot show it")]
    NotText(String),
    #[error("there is no file named “{0}”")]
    Missing(String),
}

impl Workspace {
    /// The workspace of `files`, showing `current` if it is a text file among them (else the
    /// first Python file, or a new `main.py`).
    pub fn new(files: impl IntoIterator<Item = WorkspaceFile>, current: Option<String>) -> Self {
        let files: BTreeMap<String, Vec<u8>> =
            files.into_iter().filter(|f| is_file_name(&f.name)).map(|f| (f.name, f.bytes)).collect();
        let viewable = |name: &String| files.get(name).is_some_and(|b| is_text(b));
        let current = current
            .filter(viewable)
            .or_else(|| files.keys().find(|n| n.ends_with(".py") && viewable(n)).cloned())
            .unwrap_or_else(|| "main.py".to_owned());
        let mut workspace = Self { files, current };
        workspace.files.entry(workspace.current.clone()).or_default();
        workspace
    }

    /// The name of the file the editor shows.
    pub fn current(&self) -> &str {
        &self.current
    }

    /// The text of the file the editor shows.
    pub fn current_text(&self) -> String {
        String::from_utf8_lossy(self.files.get(&self.current).map_or(&[][..], Vec::as_slice)).into_owned()
    }

    /// The editor's text changed.
    pub fn set_current_text(&mut self, text: &str) {
        self.files.insert(self.current.clone(), text.as_bytes().to_vec());
    }

    /// File names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.files.keys().cloned().collect()
    }

    /// The bytes of `name`.
    pub fn bytes(&self, name: &str) -> Option<&[u8]> {
        self.files.get(name).map(Vec::as_slice)
    }

    /// Every file, to hand to a new interpreter.
    pub fn files(&self) -> Vec<WorkspaceFile> {
        self.files
            .iter()
            .map(|(name, bytes)| WorkspaceFile { name: name.clone(), bytes: bytes.clone() })
            .collect()
    }

    /// Python wrote or removed files; returns whether the editor's file was among them.
    pub fn apply(&mut self, written: Vec<WorkspaceFile>, removed: &[String]) -> bool {
        let mut current_changed = false;
        for file in written.into_iter().filter(|f| is_file_name(&f.name)) {
            current_changed |= file.name == self.current;
            self.files.insert(file.name, file.bytes);
        }
        for name in removed {
            // The editor's file stays (its text is on screen), as an editor keeps an open file.
            if *name != self.current {
                self.files.remove(name);
            }
        }
        current_changed
    }

    /// Adds `file` (an upload), replacing one of the same name; whether one was replaced.
    pub fn add(&mut self, file: WorkspaceFile) -> Result<bool, FileError> {
        if !is_file_name(&file.name) {
            return Err(FileError::BadName(file.name));
        }
        Ok(self.files.insert(file.name, file.bytes).is_some())
    }

    /// Whether a file is named `name`.
    pub fn contains(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    /// Shows `name` in the editor.
    pub fn open(&mut self, name: &str) -> Result<(), FileError> {
        let bytes = self.files.get(name).ok_or_else(|| FileError::Missing(name.to_owned()))?;
        if !is_text(bytes) {
            return Err(FileError::NotText(name.to_owned()));
        }
        self.current = name.to_owned();
        Ok(())
    }

    /// Adds an empty file `name` and shows it.
    pub fn create(&mut self, name: &str) -> Result<(), FileError> {
        let name = name.trim();
        if !is_file_name(name) {
            return Err(FileError::BadName(name.to_owned()));
        }
        if self.files.contains_key(name) {
            return Err(FileError::Exists(name.to_owned()));
        }
        self.files.insert(name.to_owned(), Vec::new());
        self.current = name.to_owned();
        Ok(())
    }

    /// Renames `from` to `to` (which must be free); the editor keeps showing it if it did.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), FileError> {
        let to = to.trim();
        if !is_file_name(to) {
            return Err(FileError::BadName(to.to_owned()));
        }
        if from == to {
            return Ok(());
        }
        if self.files.contains_key(to) {
            return Err(FileError::Exists(to.to_owned()));
        }
        let bytes = self.files.remove(from).ok_or_else(|| FileError::Missing(from.to_owned()))?;
        self.files.insert(to.to_owned(), bytes);
        if self.current == from {
            self.current = to.to_owned();
        }
        Ok(())
    }

    /// Takes in a shared file without overwriting another: under its own name when that is
    /// free, holds the same bytes or the untouched starter program, else under the first free
    /// `stem_2.ext`, `stem_3.ext`... (names Python can still import). Returns its name.
    pub fn receive(&mut self, file: WorkspaceFile) -> Result<String, FileError> {
        if !is_file_name(&file.name) {
            return Err(FileError::BadName(file.name));
        }
        let free = |name: &String| {
            self.files.get(name).is_none_or(|bytes| *bytes == file.bytes || bytes == STARTER.as_bytes())
        };
        let (stem, extension) = match file.name.rsplit_once('.') {
            Some((stem, extension)) if !stem.is_empty() => (stem, format!(".{extension}")),
            _ => (file.name.as_str(), String::new()),
        };
        let name = std::iter::once(file.name.clone())
            .chain((2..).map(|n| format!("{stem}_{n}{extension}")))
            .find(free)
            .unwrap_or_default();
        self.files.insert(name.clone(), file.bytes);
        Ok(name)
    }

    /// Removes every file: the workspace of a first visit, a `main.py` holding `starter`.
    pub fn reset(&mut self, starter: &str) {
        self.files.clear();
        self.current = "main.py".to_owned();
        self.files.insert(self.current.clone(), starter.as_bytes().to_vec());
    }

    /// Removes `name`; the editor then shows another file (a new `main.py` if none is left).
    pub fn delete(&mut self, name: &str) -> Result<(), FileError> {
        self.files.remove(name).ok_or_else(|| FileError::Missing(name.to_owned()))?;
        if self.current == name {
            let next = self.files.keys().find(|n| self.files.get(*n).is_some_and(|b| is_text(b))).cloned();
            self.current = next.unwrap_or_else(|| "main.py".to_owned());
            self.files.entry(self.current.clone()).or_default();
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A file of `text`, for tests.
    pub(crate) fn file(name: &str, text: &str) -> WorkspaceFile {
        WorkspaceFile { name: name.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn a_renamed_file_keeps_its_bytes_and_stays_open() {
        let mut workspace =
            Workspace::new([file("main.py", "x = 1\n"), file("b.py", "")], Some("main.py".into()));
        workspace.rename("main.py", " game.py ").expect("renamed");
        assert_eq!(workspace.names(), ["b.py", "game.py"]);
        assert_eq!(workspace.current(), "game.py");
        assert_eq!(workspace.current_text(), "x = 1\n");
        assert_eq!(workspace.rename("game.py", "b.py"), Err(FileError::Exists("b.py".into())));
        assert_eq!(workspace.rename("game.py", "../x.py"), Err(FileError::BadName("../x.py".into())));
        assert_eq!(workspace.rename("nope.py", "x.py"), Err(FileError::Missing("nope.py".into())));
        assert_eq!(workspace.names(), ["b.py", "game.py"]);
    }

    #[test]
    fn a_shared_file_never_overwrites_another() {
        let mut workspace =
            Workspace::new([file("main.py", "mine\n"), file("main_2.py", "also mine\n")], None);
        assert_eq!(workspace.receive(file("main.py", "theirs\n")), Ok("main_3.py".into()));
        assert_eq!(
            workspace.receive(file("main.py", "mine\n")),
            Ok("main.py".into()),
            "the same file: no copy"
        );
        assert_eq!(workspace.receive(file("notes", "a")), Ok("notes".into()));
        assert_eq!(workspace.receive(file("notes", "b")), Ok("notes_2".into()));
        assert_eq!(workspace.bytes("main.py"), Some(&b"mine\n"[..]));
        assert_eq!(workspace.bytes("main_3.py"), Some(&b"theirs\n"[..]));
        assert!(workspace.receive(file("a/b.py", "")).is_err());
        // A first visit's untouched starter program gives way.
        let mut workspace = Workspace::new([file("main.py", STARTER)], None);
        assert_eq!(workspace.receive(file("main.py", "theirs\n")), Ok("main.py".into()));
        assert_eq!(workspace.names(), ["main.py"]);
    }

    #[test]
    fn a_reset_leaves_only_the_starter_program() {
        let mut workspace = Workspace::new([file("a.py", "1"), file("b.csv", "2")], Some("b.csv".into()));
        workspace.reset("print('hi')\n");
        assert_eq!(workspace.names(), ["main.py"]);
        assert_eq!(workspace.current_text(), "print('hi')\n");
    }

    #[test]
    fn the_sync_decision_finds_new_changed_and_removed_files() {
        let before: Snapshot =
            [("a.txt".into(), (3, 10.0)), ("b.txt".into(), (4, 10.0)), ("c.txt".into(), (1, 5.0))].into();
        let after: Snapshot =
            [("a.txt".into(), (3, 10.0)), ("b.txt".into(), (4, 11.0)), ("d.csv".into(), (9, 12.0))].into();
        let found = changes(&before, &after);
        assert_eq!(found.written, ["b.txt", "d.csv"]);
        assert_eq!(found.removed, ["c.txt"]);
        assert!(changes(&after, &after).is_empty());
    }

    #[test]
    fn a_new_workspace_shows_main_py_and_keeps_what_python_writes() {
        let mut workspace = Workspace::new([], None);
        assert_eq!(workspace.current(), "main.py");
        workspace.set_current_text("print('é')\n");
        assert!(!workspace.apply(vec![file("notes.txt", "hello")], &[]));
        assert!(
            workspace.apply(vec![file("main.py", "print(2)\n")], &["notes.txt".into(), "main.py".into()])
        );
        assert_eq!(workspace.current_text(), "print(2)\n");
        assert_eq!(workspace.names(), ["main.py"]);
    }

    #[test]
    fn files_are_made_opened_and_deleted_by_name() {
        let mut workspace = Workspace::new(
            [
                file("main.py", "import helpers\n"),
                WorkspaceFile { name: "photo.png".into(), bytes: vec![0x89, 0, 1] },
            ],
            Some("photo.png".into()),
        );
        assert_eq!(workspace.current(), "main.py", "a binary file is not shown");
        assert_eq!(workspace.create("helpers.py"), Ok(()));
        assert_eq!(workspace.current(), "helpers.py");
        assert_eq!(workspace.create("helpers.py"), Err(FileError::Exists("helpers.py".into())));
        assert_eq!(workspace.create("../x.py"), Err(FileError::BadName("../x.py".into())));
        assert_eq!(workspace.open("photo.png"), Err(FileError::NotText("photo.png".into())));
        assert_eq!(workspace.open("main.py"), Ok(()));
        assert_eq!(workspace.delete("main.py"), Ok(()));
        assert_eq!(workspace.current(), "helpers.py");
        assert_eq!(workspace.delete("nope"), Err(FileError::Missing("nope".into())));
        assert!(is_text("é".as_bytes()) && !is_text(&[0xff]) && !is_text(b"a\0b"));
    }

    #[test]
    fn uploads_are_added_by_name_and_replace_only_their_namesake() {
        let mut workspace = Workspace::new([file("data.csv", "a,b\n")], None);
        assert_eq!(workspace.add(file("scores.csv", "x\n")), Ok(false));
        assert_eq!(workspace.add(file("data.csv", "c,d\n")), Ok(true));
        assert_eq!(workspace.bytes("data.csv"), Some(&b"c,d\n"[..]));
        assert_eq!(workspace.add(file(".bashrc", "")), Err(FileError::BadName(".bashrc".into())));
        assert!(workspace.contains("scores.csv") && !workspace.contains(".bashrc"));
    }
}
