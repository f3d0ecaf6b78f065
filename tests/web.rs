//! Browser tests (wasm-bindgen-test in headless Chromium): the shared region over a real
//! SharedArrayBuffer with Atomics, as page and worker use it.
#![cfg(target_arch = "wasm32")]

use py_repl_web::logic::shared_memory::{self, Ring, SharedCells, word};
use py_repl_web::page_and_worker::shared_region::SharedRegion;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn region() -> SharedRegion {
    SharedRegion::create().expect("the test page must be cross-origin isolated (SharedArrayBuffer)")
}

#[wasm_bindgen_test]
fn a_second_view_of_the_buffer_reads_what_the_first_wrote() {
    let page = region();
    let worker = SharedRegion::from_buffer(page.buffer().clone());
    let line = "print('Élève')\n".as_bytes();
    assert_eq!(Ring::new(&page).push(line), line.len());
    let mut out = vec![0; 64];
    let n = Ring::new(&worker).pop(&mut out);
    assert_eq!(&out[..n], line);
    assert!(Ring::new(&page).is_empty());
}

#[wasm_bindgen_test]
fn sigint_sets_the_byte_python_reads_and_bumps_the_wake_word() {
    let page = region();
    let wake = page.load(word::WAKE);
    assert!(!page.signal_pending());
    page.raise_sigint();
    assert!(page.signal_pending());
    assert_eq!(page.signal_view().get_index(0), shared_memory::SIGINT);
    assert_eq!(page.load(word::WAKE), wake + 1);
    // CPython clears the byte through the same view after reading it.
    page.signal_view().set_index(0, 0);
    assert!(!page.signal_pending());
}

#[wasm_bindgen_test]
fn new_regions_start_in_canonical_mode() {
    assert_eq!(region().load(word::TTY_FLAGS) & shared_memory::tty::CANONICAL, shared_memory::tty::CANONICAL);
}
