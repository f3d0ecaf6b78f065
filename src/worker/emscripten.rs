//! Typed bindings to CPython's Emscripten module (`python.mjs`): the factory, the module
//! object, its file system and its tty layer.

use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The Emscripten `Module` object after the factory resolved.
    #[derive(Clone)]
    pub type EmModule;

    #[wasm_bindgen(method, getter = FS, structural)]
    pub fn fs(this: &EmModule) -> EmFs;

    #[wasm_bindgen(method, getter = TTY, structural)]
    pub fn tty(this: &EmModule) -> EmTty;

    #[wasm_bindgen(method, getter = ENV, structural)]
    pub fn env(this: &EmModule) -> js_sys::Object;

    #[wasm_bindgen(method, getter = HEAPU8, structural)]
    pub fn heap_u8(this: &EmModule) -> js_sys::Uint8Array;

    /// Address of CPython's `Py_EMSCRIPTEN_SIGNAL_HANDLING` flag in the wasm memory.
    #[wasm_bindgen(method, getter = _Py_EMSCRIPTEN_SIGNAL_HANDLING, structural)]
    pub fn signal_handling_flag(this: &EmModule) -> u32;

    #[wasm_bindgen(method, setter = Py_EmscriptenSignalBuffer, structural)]
    pub fn set_signal_buffer(this: &EmModule, buffer: &js_sys::Uint8Array);

    /// Runs `main` with these arguments; returns the exit status.
    #[wasm_bindgen(method, js_name = callMain, structural, catch)]
    pub fn call_main(this: &EmModule, args: &js_sys::Array) -> Result<i32, JsValue>;

    /// The Emscripten file system.
    #[derive(Clone)]
    pub type EmFs;

    #[wasm_bindgen(method, js_name = mkdirTree, structural, catch)]
    pub fn mkdir_tree(this: &EmFs, path: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, js_name = writeFile, structural, catch)]
    pub fn write_file(this: &EmFs, path: &str, data: &js_sys::Uint8Array) -> Result<(), JsValue>;

    /// `FS.readdir(path)`: the names in a directory, with `.` and `..`.
    #[wasm_bindgen(method, structural, catch)]
    pub fn readdir(this: &EmFs, path: &str) -> Result<js_sys::Array, JsValue>;

    /// `FS.stat(path)`: `{ mode, size, mtime, … }`.
    #[wasm_bindgen(method, structural, catch)]
    pub fn stat(this: &EmFs, path: &str) -> Result<EmStat, JsValue>;

    /// `FS.isFile(mode)`: whether a stat's mode is a regular file's.
    #[wasm_bindgen(method, structural, js_name = isFile)]
    pub fn is_file(this: &EmFs, mode: u32) -> bool;

    /// `FS.readFile(path)`: the file's bytes.
    #[wasm_bindgen(method, structural, catch, js_name = readFile)]
    pub fn read_file(this: &EmFs, path: &str) -> Result<js_sys::Uint8Array, JsValue>;

    /// `FS.unlink(path)`: removes a file.
    #[wasm_bindgen(method, structural, catch)]
    pub fn unlink(this: &EmFs, path: &str) -> Result<(), JsValue>;

    /// `FS.chdir(path)`: the process's working directory.
    #[wasm_bindgen(method, structural, catch)]
    pub fn chdir(this: &EmFs, path: &str) -> Result<(), JsValue>;

    #[wasm_bindgen(method, js_name = writeFile, structural, catch)]
    pub fn write_text_file(this: &EmFs, path: &str, data: &str) -> Result<(), JsValue>;

    /// `FS.registerDevice(dev, ops)`: stream operations (`read`, `write`) for a device number.
    #[wasm_bindgen(method, js_name = registerDevice, structural)]
    pub fn register_device(this: &EmFs, dev: u32, ops: &js_sys::Object);

    /// `FS.mkdev(path, dev)`: a character device node.
    #[wasm_bindgen(method, structural, catch)]
    pub fn mkdev(this: &EmFs, path: &str, dev: u32) -> Result<JsValue, JsValue>;

    /// `FS.ErrnoError`, the exception type the file system layer turns into errno values.
    #[wasm_bindgen(method, getter = ErrnoError, structural)]
    pub fn errno_error(this: &EmFs) -> js_sys::Function;

    /// What `FS.stat` returns.
    pub type EmStat;

    #[wasm_bindgen(method, getter, structural)]
    pub fn mode(this: &EmStat) -> u32;
    #[wasm_bindgen(method, getter, structural)]
    pub fn size(this: &EmStat) -> f64;
    #[wasm_bindgen(method, getter, structural)]
    pub fn mtime(this: &EmStat) -> js_sys::Date;

    /// Emscripten's tty layer; its `stream_ops` serve /dev/tty (stdin, stdout, stderr).
    pub type EmTty;

    #[wasm_bindgen(method, getter = stream_ops, structural)]
    pub fn stream_ops(this: &EmTty) -> TtyStreamOps;

    /// The read/write functions of the tty device.
    pub type TtyStreamOps;

    #[wasm_bindgen(method, setter = read, structural)]
    pub fn set_read(this: &TtyStreamOps, f: &js_sys::Function);

    #[wasm_bindgen(method, setter = write, structural)]
    pub fn set_write(this: &TtyStreamOps, f: &js_sys::Function);
}

impl EmFs {
    /// An `FS.ErrnoError` for `errno`, to throw from a stream operation.
    pub fn errno(&self, errno: i32) -> JsValue {
        let args = js_sys::Array::of1(&JsValue::from(errno));
        js_sys::Reflect::construct(&self.errno_error(), &args).unwrap_or_else(|e| e)
    }
}

/// Emscripten's errno for an interrupted call.
pub const EINTR: i32 = 27;

/// Emscripten's errno for an invalid argument.
pub const EINVAL: i32 = 28;
