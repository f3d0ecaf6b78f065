//! Python's output bytes as the terminal's text: invalid UTF-8 shows as U+FFFD (as a
//! terminal with a UTF-8 decoder shows it; xterm.js would drop it silently), and a character
//! split across two chunks is joined.

use js_sys::{JsString, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The browser's `TextDecoder` (UTF-8, not fatal), returning JS strings so that output
    /// never crosses into Rust's memory.
    type JsTextDecoder;
    #[wasm_bindgen(constructor, js_class = "TextDecoder")]
    fn new() -> JsTextDecoder;
    #[wasm_bindgen(method, js_name = decode)]
    fn decode(this: &JsTextDecoder, data: &Uint8Array, options: &Object) -> JsString;
}

/// Decodes one interpreter's output stream.
pub struct OutputDecoder {
    decoder: JsTextDecoder,
    streaming: Object,
}

impl Default for OutputDecoder {
    fn default() -> Self {
        let streaming = Object::new();
        let _ = Reflect::set(&streaming, &"stream".into(), &JsValue::TRUE);
        Self { decoder: JsTextDecoder::new(), streaming }
    }
}

impl OutputDecoder {
    /// The text of `bytes`, keeping an incomplete last character for the next chunk.
    pub fn decode(&self, bytes: &Uint8Array) -> JsString {
        self.decoder.decode(bytes, &self.streaming)
    }
}
