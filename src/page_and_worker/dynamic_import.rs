//! `import()` for Rust: loads an ES module when it is needed rather than before the page
//! starts (the page's editor) or from a URL known only at run time (the worker's Python).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/page_and_worker/js/import_module.js")]
extern "C" {
    /// `import(specifier)`: resolves to the module namespace.
    #[wasm_bindgen(js_name = importModule)]
    pub fn import_module(specifier: &str) -> js_sys::Promise;
}
