//! What `xterm-js-rs` (written for xterm.js 4) lacks for xterm.js 6: writing with a
//! completion callback, the cursor position, row text, which screen is shown, the input
//! element, typed input, key and wheel filtering, and the fit addon's new home.

use js_sys::{Function, JsString};
use wasm_bindgen::prelude::*;
use xterm_js_rs::Terminal;

#[wasm_bindgen]
extern "C" {
    /// The same xterm.js `Terminal` object, seen through the methods added here.
    type TerminalExt;

    #[wasm_bindgen(method, structural, js_name = write)]
    fn write_text_then(this: &TerminalExt, data: &JsString, done: &Function);

    #[wasm_bindgen(method, structural, js_name = attachCustomWheelEventHandler)]
    fn attach_custom_wheel_event_handler(this: &TerminalExt, handler: &Function);

    #[wasm_bindgen(method, structural, getter = textarea)]
    fn textarea(this: &TerminalExt) -> Option<web_sys::HtmlTextAreaElement>;

    #[wasm_bindgen(method, structural, js_name = input)]
    fn input(this: &TerminalExt, data: &str, was_user_input: bool);

    #[wasm_bindgen(method, structural, js_name = attachCustomKeyEventHandler)]
    fn attach_custom_key_event_handler(this: &TerminalExt, handler: &Function);

    #[wasm_bindgen(method, structural, getter = buffer)]
    fn buffer_namespace(this: &TerminalExt) -> JsValue;

    type Buffer;
    #[wasm_bindgen(method, structural, getter = cursorX)]
    fn cursor_x(this: &Buffer) -> u32;
    #[wasm_bindgen(method, structural, getter = cursorY)]
    fn cursor_y(this: &Buffer) -> u32;
    #[wasm_bindgen(method, structural, getter = type)]
    fn kind(this: &Buffer) -> String;
    #[wasm_bindgen(method, structural, getter = baseY)]
    fn base_y(this: &Buffer) -> u32;
    #[wasm_bindgen(method, structural, js_name = getLine)]
    fn get_line(this: &Buffer, y: u32) -> Option<BufferLine>;

    type BufferLine;
    #[wasm_bindgen(method, structural, js_name = translateToString)]
    fn translate_to_string(this: &BufferLine, trim_right: bool, start: u32, end: u32) -> String;
}

#[wasm_bindgen(module = "xterm-addon-fit")]
extern "C" {
    /// `@xterm/addon-fit`: sizes the terminal to its container.
    #[derive(Clone)]
    pub type FitAddon;
    #[wasm_bindgen(constructor)]
    pub fn new() -> FitAddon;
    #[wasm_bindgen(method)]
    pub fn fit(this: &FitAddon);
}

/// `terminal.write(text, done)`.
pub fn write_text_then(terminal: &Terminal, data: &JsString, done: &Function) {
    terminal.unchecked_ref::<TerminalExt>().write_text_then(data, done);
}

/// `handler(event)` decides for each wheel event whether xterm handles it (`true`).
pub fn attach_custom_wheel_event_handler(terminal: &Terminal, handler: &Function) {
    terminal.unchecked_ref::<TerminalExt>().attach_custom_wheel_event_handler(handler);
}

fn active_buffer(terminal: &Terminal) -> Buffer {
    let ext: &TerminalExt = terminal.unchecked_ref();
    js_sys::Reflect::get(&ext.buffer_namespace(), &"active".into())
        .unwrap_or(JsValue::UNDEFINED)
        .unchecked_into()
}

/// Whether the program switched the terminal to its alternate screen (no scrollback).
pub fn in_alternate_screen(terminal: &Terminal) -> bool {
    active_buffer(terminal).kind() == "alternate"
}

/// The cursor column and the text before it on the cursor's row.
pub fn cursor_line(terminal: &Terminal) -> (u32, String) {
    let buffer = active_buffer(terminal);
    let x = buffer.cursor_x();
    let row = buffer.base_y() + buffer.cursor_y();
    let text = buffer.get_line(row).map(|line| line.translate_to_string(false, 0, x)).unwrap_or_default();
    (x, text)
}

/// xterm's input element (where the browser puts typed text); `None` before `open`.
pub fn textarea(terminal: &Terminal) -> Option<web_sys::HtmlTextAreaElement> {
    terminal.unchecked_ref::<TerminalExt>().textarea()
}

/// Feeds `data` to the terminal as if typed: its `onData` listeners get it.
pub fn input(terminal: &Terminal, data: &str) {
    terminal.unchecked_ref::<TerminalExt>().input(data, true);
}

/// `handler(event)` decides for each key event whether xterm handles it (`true`).
pub fn attach_custom_key_event_handler(terminal: &Terminal, handler: &Function) {
    terminal.unchecked_ref::<TerminalExt>().attach_custom_key_event_handler(handler);
}

/// Loads the fit addon into a terminal.
pub fn load_fit(terminal: &Terminal, addon: &FitAddon) {
    terminal.load_addon(addon.clone().unchecked_into());
}

use wasm_bindgen::JsCast;
