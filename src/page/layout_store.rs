//! The workbench's arrangement (split, editor shown) kept in local storage.

use crate::logic::workbench::LayoutPrefs;
use crate::page::storage::{self, Area};

const KEY: &str = "py-repl-web.layout";

/// The saved arrangement, or the default.
pub fn load() -> LayoutPrefs {
    storage::get(Area::Local, KEY).unwrap_or_default()
}

/// Saves the arrangement; a refusal only loses it for the next visit.
pub fn save(prefs: LayoutPrefs) {
    storage::set(Area::Local, KEY, &prefs);
}
