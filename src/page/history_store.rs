//! Keeps the input history across page reloads in local storage.

use crate::logic::line_discipline::History;
use crate::page::storage::{self, Area};

const KEY: &str = "py-repl-web.history";

/// The saved history, or an empty one (private windows may refuse storage).
pub fn load() -> History {
    History::from_entries(storage::get::<Vec<String>>(Area::Local, KEY).unwrap_or_default())
}

/// Saves the history; failure (quota, private window) only loses persistence.
pub fn save(history: &History) {
    storage::set(Area::Local, KEY, history.entries());
}
