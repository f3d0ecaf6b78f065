//! The editor's text as kept before the workspace existed (local storage): read once, on a
//! first visit with an empty workspace, so nothing a student typed is lost.

use crate::logic::documents::Documents;
use crate::page::storage::{self, Area};

const KEY: &str = "py-repl-web.documents";

/// The documents saved in this browser, or the starter.
pub fn load() -> Documents {
    Documents::restore(storage::get(Area::Local, KEY))
}
