//! A Python REPL in a browser tab. The crate's folders say which thread their code runs on:
//!
//! | folder | thread | what lives there |
//! |---|---|---|
//! | `logic/` | any (built and tested natively) | the page–worker protocol, the shared-memory layout and input ring, input events, the line discipline, output batching, compatibility mode's relayed state, the Python file-system layout |
//! | `page/` | the page (binary `app`, `src/main.rs`) | Leptos components, the console (terminal + line discipline), the session that owns the worker, isolation checks, storage, history, xterm.js bindings, the page's end of the relay |
//! | `worker/` | the Python worker (binary `worker`, `src/bin/worker.rs`) | downloading and starting CPython, its tty and devices, Emscripten bindings, the worker's end of the relay, the Python files installed into the interpreter (`worker/python/`) |
//! | `page_and_worker/` | linked into both binaries | the SharedArrayBuffer region (Atomics), describing JS exceptions |
//! | `service_worker/` | the service worker (plain JS, not Rust) | `sw.js`: isolation headers, the offline cache, the compatibility relay, and its generator |
//!
//! Dependencies point down the table's order of abstraction: `page/` and `worker/` use
//! `page_and_worker/` and `logic/`; `logic/` uses nothing of the crate's browser code; the page
//! and the worker never import each other.

pub mod logic;

#[cfg(target_arch = "wasm32")]
pub mod page;
#[cfg(target_arch = "wasm32")]
pub mod page_and_worker;
#[cfg(target_arch = "wasm32")]
pub mod worker;
