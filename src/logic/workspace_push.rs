//! The student's changes to the workspace (an upload, an edit, a rename, a deletion) on their
//! way into a running interpreter's working directory, so that `open()` and `import` at the
//! prompt see them without a restart.
//!
//! The page cannot post to a worker that blocks in Python, so it puts the changes into a
//! blob and tells the worker the blob's URL (through shared memory, or the relay); Python's
//! worker fetches it when Python next waits for input. Changes accumulate until the worker
//! says it took them, so a newer blob always holds every change not yet taken.

use crate::logic::documents::is_file_name;
use crate::logic::workspace::WorkspaceFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The changes in one blob: files written (whole) and names removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceChanges {
    pub written: Vec<WorkspaceFile>,
    pub removed: Vec<String>,
}

/// Why a blob of changes could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PushError {
    #[error("the workspace's changes arrived damaged ({0})")]
    Damaged(String),
    #[error("“{0}” is not a usable file name")]
    BadName(String),
}

impl WorkspaceChanges {
    /// The blob's bytes.
    pub fn encode(&self) -> Vec<u8> {
        // Serializing owned strings and byte vectors cannot fail.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// Changes out of a blob, refusing names that could leave the working directory.
    pub fn decode(bytes: &[u8]) -> Result<Self, PushError> {
        let changes: Self = postcard::from_bytes(bytes).map_err(|e| PushError::Damaged(e.to_string()))?;
        let names = changes.written.iter().map(|f| &f.name).chain(&changes.removed);
        if let Some(bad) = names.into_iter().find(|name| !is_file_name(name)) {
            return Err(PushError::BadName(bad.clone()));
        }
        Ok(changes)
    }

    /// Whether there is nothing to change.
    pub fn is_empty(&self) -> bool {
        self.written.is_empty() && self.removed.is_empty()
    }
}

/// The page's changes not yet taken by the interpreter, and the number of the latest set
/// posted (0: none; numbers count up from 1 and skip 0 when they wrap).
#[derive(Debug, Default)]
pub struct PendingChanges {
    /// Each name's latest state: its bytes, or `None` once removed.
    files: BTreeMap<String, Option<Vec<u8>>>,
    latest: u32,
}

impl PendingChanges {
    /// Records `written` and `removed` (later changes of a name replace earlier ones) and
    /// returns the new set's number and every change not yet taken.
    pub fn record(&mut self, written: Vec<WorkspaceFile>, removed: &[String]) -> (u32, WorkspaceChanges) {
        for name in removed {
            self.files.insert(name.clone(), None);
        }
        for file in written {
            self.files.insert(file.name, Some(file.bytes));
        }
        self.latest = next_number(self.latest);
        (self.latest, self.all())
    }

    fn all(&self) -> WorkspaceChanges {
        let mut changes = WorkspaceChanges::default();
        for (name, state) in &self.files {
            match state {
                Some(bytes) => {
                    changes.written.push(WorkspaceFile { name: name.clone(), bytes: bytes.clone() })
                }
                None => changes.removed.push(name.clone()),
            }
        }
        changes
    }

    /// The interpreter took set `number`: if it is the latest, nothing is pending any more
    /// (an older one leaves the newer set, which holds the same changes and more, pending).
    /// Returns whether nothing is pending now.
    pub fn taken(&mut self, number: u32) -> bool {
        if number == self.latest {
            self.files.clear();
        }
        self.files.is_empty()
    }

    /// A new interpreter starts with every file: nothing is pending, and it must not take
    /// the sets posted so far. Returns the number it starts from.
    pub fn restart(&mut self) -> u32 {
        self.files.clear();
        self.latest
    }

    /// The number of the latest set posted (0 if none).
    pub fn latest(&self) -> u32 {
        self.latest
    }
}

fn next_number(number: u32) -> u32 {
    match number.wrapping_add(1) {
        0 => 1,
        next => next,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logic::workspace::tests::file;

    #[test]
    fn changes_round_trip_through_a_blob_with_any_bytes() {
        let changes = WorkspaceChanges {
            written: vec![
                file("data.csv", "a,b\n1,2\n"),
                WorkspaceFile { name: "img.png".into(), bytes: (0..=255).collect() },
            ],
            removed: vec!["old.txt".into()],
        };
        assert_eq!(WorkspaceChanges::decode(&changes.encode()), Ok(changes));
    }

    #[test]
    fn a_damaged_blob_or_a_name_outside_the_directory_is_refused() {
        let blob = WorkspaceChanges { written: vec![file("a.py", "x = 1")], removed: vec![] }.encode();
        assert!(matches!(WorkspaceChanges::decode(&blob[..blob.len() - 2]), Err(PushError::Damaged(_))));
        let escaping = WorkspaceChanges { written: vec![file("../etc/passwd", "")], removed: vec![] };
        assert_eq!(
            WorkspaceChanges::decode(&escaping.encode()),
            Err(PushError::BadName("../etc/passwd".into()))
        );
        let removing = WorkspaceChanges { written: vec![], removed: vec!["a/b".into()] };
        assert_eq!(WorkspaceChanges::decode(&removing.encode()), Err(PushError::BadName("a/b".into())));
    }

    #[test]
    fn pending_changes_accumulate_until_the_latest_set_is_taken() {
        let mut pending = PendingChanges::default();
        let (first, changes) = pending.record(vec![file("a.py", "1")], &[]);
        assert_eq!((first, changes.written.len()), (1, 1));
        // A rename: the old name removed, the new one written; then a later edit of it.
        let (_, changes) = pending.record(vec![file("b.py", "1")], &["a.py".into()]);
        assert_eq!(changes.removed, vec!["a.py".to_owned()]);
        let (third, changes) = pending.record(vec![file("b.py", "2")], &[]);
        assert_eq!(changes.written, vec![file("b.py", "2")]);
        assert!(!pending.taken(first), "an older set taken leaves the newer pending");
        assert!(pending.taken(third));
        let (fourth, changes) = pending.record(vec![], &["b.py".into()]);
        assert_eq!(
            (fourth, changes),
            (4, WorkspaceChanges { written: vec![], removed: vec!["b.py".into()] })
        );
    }

    #[test]
    fn a_new_interpreter_starts_after_the_sets_posted_and_numbers_skip_zero() {
        let mut pending = PendingChanges::default();
        pending.record(vec![file("a.py", "1")], &[]);
        assert_eq!(pending.restart(), 1);
        assert!(pending.all().is_empty());
        pending.latest = u32::MAX;
        assert_eq!(pending.record(vec![], &[]).0, 1);
    }
}
