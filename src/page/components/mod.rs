//! Leptos components, one per file.

pub mod app;
pub mod isolation_help;
pub mod repl;
pub mod status_bar;
