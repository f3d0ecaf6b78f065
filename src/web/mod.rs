//! Everything that touches browser APIs, behind Rust types: no `JsValue` leaves this module
//! except inside the types defined here.

pub mod console;
pub mod downloads;
pub mod emscripten;
pub mod error;
pub mod history_store;
pub mod isolation;
pub mod python_host;
pub mod python_io;
pub mod session;
pub mod shared_region;
pub mod xterm_ext;
