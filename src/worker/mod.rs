//! The Python worker's thread: CPython's `callMain` blocks it for a whole session, so after
//! boot the page reaches Python only through a [`page_link::PageLink`].
//!
//! From the top down: `host` (messages from the page, start, restart) uses `python_io` (stream operations and file-system setup), `tty_bridge` (stdin and
//! output flow control; `tty_ioctl` serves its termios settings), `text_measure` (turtle's text) and `page_link` (shared memory, or `relay_receiver`); at the bottom,
//! `port` (messages to the page), `sync_get` (blocking GETs), `emscripten` (typed bindings)
//! and `error`.

pub mod emscripten;
pub mod error;
pub mod host;
pub mod page_link;
pub mod port;
pub mod python_io;
pub mod relay_receiver;
pub mod sync_get;
pub mod text_measure;
pub mod tty_bridge;
pub mod tty_ioctl;
