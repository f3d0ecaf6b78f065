//! Pure logic, shared by the page and the worker: no browser API, so it builds and is tested
//! natively (`cargo test`).

pub mod archive;
pub mod canvas_protocol;
pub mod canvas_scene;
pub mod crash;
pub mod documents;
pub mod input_event;
pub mod line_discipline;
pub mod message_mirror;
pub mod output_batch;
pub mod protocol;
pub mod python_layout;
pub mod relay_state;
pub mod share;
pub mod shared_memory;
pub mod termios;
pub mod tk_keys;
pub mod traceback;
pub mod web_address;
pub mod workbench;
pub mod workspace;
pub mod workspace_push;
