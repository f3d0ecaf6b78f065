//! The Web Worker that hosts CPython: waits for the page's `Boot` message.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    py_repl_web::worker::host::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The worker runs in a browser: build it with `make serve` (trunk).");
}
