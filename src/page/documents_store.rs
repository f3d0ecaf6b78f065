//! The editor's documents kept in local storage, so a program survives a reload.

use crate::logic::documents::Documents;
use crate::page::storage::{self, Area};

const KEY: &str = "py-repl-web.documents";

/// The documents saved in this browser, or the starter.
pub fn load() -> Documents {
    Documents::restore(storage::get(Area::Local, KEY))
}

/// Saves `documents`; false when the browser refused (a frame inside another site's page,
/// storage full or disabled).
pub fn save(documents: &Documents) -> bool {
    storage::set(Area::Local, KEY, documents)
}
