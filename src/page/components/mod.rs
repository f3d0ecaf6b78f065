//! Leptos components, one per file.

pub mod app;
pub mod drawing_panel;
pub mod drawing_question;
pub mod editor_pane;
pub mod file_list;
pub mod isolation_help;
pub mod link_offer;
pub mod split_divider;
pub mod status_bar;
pub mod toolbar;
pub mod workbench;
