//! What `xterm-js-rs` (written for xterm.js 4) lacks for xterm.js 6: writing with a
//! completion callback or parsed at once, the cursor position, row text, which screen is
//! shown, the input element, typed input, key and wheel filtering, redrawing a row, and the
//! fit addon's new home.

use js_sys::{Function, JsString};
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use xterm_js_rs::Terminal;

thread_local! {
    /// Whether writes are parsed at once, inside this task (see [`parsing_writes_at_once`]).
    static PARSE_AT_ONCE: Cell<bool> = const { Cell::new(false) };
}

/// The longest write parsed at once (in UTF-16 units, or bytes of a Rust string): longer
/// ones (a pasted line echoed, a burst of output) are parsed as xterm schedules them, in
/// slices between other tasks, rather than in the frame where they would delay the page's
/// timers and input.
const PARSE_AT_ONCE_MAX: u32 = 4096;

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

    #[wasm_bindgen(method, structural, js_name = refresh)]
    fn refresh(this: &TerminalExt, start: u32, end: u32);

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
    parse_next_write_at_once_if_asked(terminal, data.length());
    terminal.unchecked_ref::<TerminalExt>().write_text_then(data, done);
}

/// `terminal.write(text)`.
pub fn write(terminal: &Terminal, text: &str) {
    parse_next_write_at_once_if_asked(terminal, text.len() as u32);
    terminal.write(text);
}

/// Runs `f`, during which [`write`] and [`write_text_then`] parse what they write at once
/// (short writes), so that an animation frame callback's writes are drawn by xterm's own
/// callback later in the same frame (xterm otherwise parses in a task after the frame).
pub fn parsing_writes_at_once(f: impl FnOnce()) {
    let before = PARSE_AT_ONCE.with(|flag| flag.replace(true));
    f();
    PARSE_AT_ONCE.with(|flag| flag.set(before));
}

fn parse_next_write_at_once_if_asked(terminal: &Terminal, length: u32) {
    if length <= PARSE_AT_ONCE_MAX && PARSE_AT_ONCE.with(Cell::get) {
        // xterm parses the first write after user input at once (to echo keys without
        // delay); empty input is such input, and reaches no `onData` listener of ours.
        terminal.unchecked_ref::<TerminalExt>().input("", true);
    }
}

/// Asks xterm to redraw the cursor's row at the next animation frame: its drawing callback
/// is then registered after any the caller registered before, and runs after them.
pub fn redraw_cursor_row_at_next_frame(terminal: &Terminal) {
    let row = active_buffer(terminal).cursor_y();
    terminal.unchecked_ref::<TerminalExt>().refresh(row, row);
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
