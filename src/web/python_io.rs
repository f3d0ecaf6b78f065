//! Python's I/O in the worker, as Emscripten stream operations: the tty (stdin from the
//! page's link, stdout/stderr batched to the page) and three devices of ours (terminal size,
//! an interruptible sleep, the lazily fetched rest of the standard library).

use crate::output_batch::OutputBatch;
use crate::protocol::FromWorker;
use crate::shared_memory::within_output_window;
use crate::web::downloads::fetch_sync;
use crate::web::emscripten::{self, EmModule};
use crate::web::error::describe;
use crate::web::page_link::PageLink;
use js_sys::{Function, Int8Array, Object, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::python_host::post;

/// Python's stdout/stderr and stdin, bridged to the page.
pub struct TtyBridge {
    link: Rc<dyn PageLink>,
    batch: RefCell<OutputBatch>,
    /// Output bytes posted so far (wrapping), compared with what the page rendered.
    sent: Cell<u32>,
    /// Why the page became unreachable, if it did (Python then got end of file).
    lost: RefCell<Option<String>>,
}

impl TtyBridge {
    /// A bridge over `link`.
    pub fn new(link: Rc<dyn PageLink>) -> Self {
        let sent = Cell::new(link.output_rendered());
        Self { link, batch: RefCell::default(), sent, lost: RefCell::default() }
    }

    /// Why the page became unreachable during the run, if it did.
    pub fn lost(&self) -> Option<String> {
        self.lost.borrow().clone()
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    fn send(&self, chunk: Vec<u8>) {
        self.sent.set(self.sent.get().wrapping_add(chunk.len() as u32));
        post(&FromWorker::Output { bytes: chunk });
        // Flow control: an endless print loop must not fill the page's memory.
        loop {
            let epoch = self.link.epoch();
            if within_output_window(self.sent.get(), self.link.output_rendered())
                || self.link.signal_pending()
            {
                break;
            }
            if let Err(problem) = self.link.wait(epoch, Some(50.0)) {
                *self.lost.borrow_mut() = Some(problem);
                break; // the page is gone: nothing to wait for
            }
        }
    }

    /// Takes bytes Python wrote.
    pub fn write(&self, bytes: &[u8]) {
        let chunk = self.batch.borrow_mut().write(bytes, Self::now());
        if let Some(chunk) = chunk {
            self.send(chunk);
        }
    }

    /// Sends what output waits (all of it, even a split character, unless `keep_partial`).
    pub fn flush(&self, keep_partial: bool) {
        let chunk = self.batch.borrow_mut().flush(keep_partial);
        if let Some(chunk) = chunk {
            self.send(chunk);
        }
    }

    /// Blocks until stdin has bytes, an EOF mark or a signal. Returns bytes read (0 at EOF)
    /// or `None` when a signal interrupts the read.
    fn read(&self, max: usize) -> Option<Vec<u8>> {
        // musl reads with a zero-length first buffer, then its own: answer that at once, or
        // it would take an EOF mark meant for the real read.
        if max == 0 {
            return Some(Vec::new());
        }
        self.flush(true);
        // Typed-ahead input may already wait at the page's end (compatibility mode): take
        // it in first, and only tell the page Python waits when there is none.
        let mut refreshed = false;
        let mut asked = false;
        loop {
            let epoch = self.link.epoch();
            if self.link.signal_pending() {
                return None;
            }
            if let Some(bytes) = self.link.take_input(max) {
                return Some(bytes);
            }
            if self.link.take_end_of_file() {
                return Some(Vec::new());
            }
            let outcome = if !refreshed {
                refreshed = true;
                self.link.refresh()
            } else {
                if !asked {
                    post(&FromWorker::InputWanted { inputs_seen: self.link.inputs_seen() });
                    asked = true;
                }
                self.link.wait(epoch, None)
            };
            if let Err(problem) = outcome {
                // Python gets end of file and exits; the host reports why.
                *self.lost.borrow_mut() = Some(problem);
                return Some(Vec::new());
            }
        }
    }

    /// Sleeps without burning the CPU; returns false when a signal cut it short.
    fn sleep(&self, seconds: f64) -> bool {
        // Output printed before the sleep must be visible during it.
        self.flush(true);
        let deadline = Self::now() + seconds * 1000.0;
        loop {
            let epoch = self.link.epoch();
            if self.link.signal_pending() {
                return false;
            }
            let remaining = deadline - Self::now();
            if remaining <= 0.0 {
                return true;
            }
            if let Err(problem) = self.link.wait(epoch, Some(remaining)) {
                *self.lost.borrow_mut() = Some(problem);
                return true;
            }
        }
    }

    /// "COLS ROWS" for the terminal-size device.
    fn size_text(&self) -> String {
        let (rows, cols) = self.link.terminal_size();
        format!("{cols} {rows}\n")
    }
}

/// Python-side adaptations, installed as `sitecustomize`: CPython's Emscripten build has no
/// `os.get_terminal_size` (so `shutil.get_terminal_size()` would always say 80x24), and its
/// `time.sleep` busy-waits where Ctrl+C cannot reach it. Both are routed to devices served by
/// this worker from shared memory.
const SITECUSTOMIZE: &str = include_str!("sitecustomize.py");

/// Device numbers of our character devices (major 64 is unused by Emscripten).
const TERMINAL_SIZE_DEVICE: u32 = 64 << 8;
const SLEEP_DEVICE: u32 = (64 << 8) | 1;
const STDLIB_EXTRA_DEVICE: u32 = (64 << 8) | 2;

/// Where the core stdlib's import hook expects the rest of the library.
const STDLIB_EXTRA_PATH: &str = "/lib/python313-extra.zip";

/// An Emscripten stream operation: `(stream, HEAP8, offset, length, position)`.
type StreamOp<R> = Closure<dyn FnMut(JsValue, Int8Array, u32, u32, JsValue) -> R>;

/// The standard library as files: the core zip, and the extra one once fetched (kept so a
/// restart does not fetch it again).
#[derive(Clone)]
pub struct Stdlib {
    pub core: Uint8Array,
    pub extra_url: String,
    pub extra: Rc<RefCell<Option<Uint8Array>>>,
}

/// The stream operations of one interpreter; they must live as long as it runs.
pub struct PythonIo {
    tty_read: StreamOp<Result<u32, JsValue>>,
    tty_write: StreamOp<u32>,
    size_read: StreamOp<u32>,
    sleep_write: StreamOp<Result<u32, JsValue>>,
    extra_read: StreamOp<u32>,
    print_err: Closure<dyn FnMut(String)>,
    stdlib: Stdlib,
}

impl PythonIo {
    /// The operations of an interpreter that talks to the page through `bridge`.
    pub fn new(bridge: &Rc<TtyBridge>, stdlib: Stdlib) -> Self {
        let b = bridge.clone();
        let tty_read = StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, _| {
            match b.read(length as usize) {
                Some(bytes) => {
                    copy_to_heap(&heap, offset, &bytes);
                    Ok(bytes.len() as u32)
                }
                None => Err(EmFsHandle::errno(emscripten::EINTR)),
            }
        });
        let b = bridge.clone();
        let tty_write = StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, _| {
            b.write(&heap_bytes(&heap, offset, length));
            length
        });
        let b = bridge.clone();
        let size_read =
            StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, position: JsValue| {
                read_at(&heap, offset, length, &position, b.size_text().as_bytes())
            });
        let b = bridge.clone();
        let sleep_write = StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, _| {
            let text = heap_bytes(&heap, offset, length);
            let seconds: f64 =
                std::str::from_utf8(&text).ok().and_then(|t| t.trim().parse().ok()).unwrap_or(0.0);
            if b.sleep(seconds) { Ok(length) } else { Err(EmFsHandle::errno(emscripten::EINTR)) }
        });
        // Reading /dev/stdlib-extra installs the rest of the stdlib and answers "ok" or why not.
        let (b, cache, url) = (bridge.clone(), stdlib.extra.clone(), stdlib.extra_url.clone());
        let extra_read =
            StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, position: JsValue| {
                if position.as_f64().unwrap_or(0.0) > 0.0 {
                    return 0;
                }
                b.flush(true);
                let cached = cache.borrow().clone();
                let answer = match cached.map_or_else(|| fetch_sync(&url), Ok) {
                    Ok(bytes) => {
                        *cache.borrow_mut() = Some(bytes.clone());
                        EmFsHandle::write_file(STDLIB_EXTRA_PATH, &bytes)
                            .map_or_else(|e| e, |()| "ok".to_owned())
                    }
                    Err(e) => e,
                };
                read_at(&heap, offset, length, &JsValue::from(0), answer.as_bytes())
            });
        let b = bridge.clone();
        let print_err =
            Closure::<dyn FnMut(String)>::new(move |text: String| b.write(format!("{text}\n").as_bytes()));
        Self { tty_read, tty_write, size_read, sleep_write, extra_read, print_err, stdlib }
    }

    /// Emscripten's `printErr` (its own messages, such as an abort's reason).
    pub fn print_err(&self) -> &JsValue {
        self.print_err.as_ref()
    }

    /// Sets up the file system, the tty, our devices and the environment (in `preRun`).
    pub fn install(&self, module: &EmModule) -> Result<(), JsValue> {
        let fs = module.fs();
        EmFsHandle::set(&fs);
        fs.mkdir_tree("/lib/python3.13/lib-dynload")?;
        fs.mkdir_tree("/lib/python3.13/site-packages")?;
        fs.mkdir_tree("/home/user")?;
        fs.write_file("/lib/python313.zip", &self.stdlib.core)?;
        if let Some(extra) = self.stdlib.extra.borrow().as_ref() {
            fs.write_file(STDLIB_EXTRA_PATH, extra)?;
        }
        // getpath's landmark; the real os module is in the zip, earlier on sys.path.
        fs.write_text_file(
            "/lib/python3.13/os.py",
            "# landmark: the standard library is in /lib/python313.zip\n",
        )?;
        fs.write_text_file("/lib/python3.13/site-packages/stdlib-extra.pth", "import _stdlib_extra\n")?;
        fs.write_text_file("/lib/python3.13/site-packages/sitecustomize.py", SITECUSTOMIZE)?;
        for (path, device, op, closure) in [
            ("/dev/terminal-size", TERMINAL_SIZE_DEVICE, "read", self.size_read.as_ref()),
            ("/dev/sleep", SLEEP_DEVICE, "write", self.sleep_write.as_ref()),
            ("/dev/stdlib-extra", STDLIB_EXTRA_DEVICE, "read", self.extra_read.as_ref()),
        ] {
            let ops = Object::new();
            Reflect::set(&ops, &op.into(), closure)?;
            fs.register_device(device, &ops);
            fs.mkdev(path, device)?;
        }
        let ops = module.tty().stream_ops();
        ops.set_read(self.tty_read.as_ref().unchecked_ref::<Function>());
        ops.set_write(self.tty_write.as_ref().unchecked_ref::<Function>());
        let env = module.env();
        for (key, value) in [
            ("HOME", "/home/user"),
            ("LANG", "C.UTF-8"),
            ("TERM", "xterm-256color"),
            // The page's line discipline edits lines; PyREPL would need raw mode.
            ("PYTHON_BASIC_REPL", "1"),
        ] {
            Reflect::set(&env, &key.into(), &value.into())?;
        }
        Ok(())
    }
}

/// A read of `data` as a file: the part from `position` that fits in `length`.
fn read_at(heap: &Int8Array, offset: u32, length: u32, position: &JsValue, data: &[u8]) -> u32 {
    let start = (position.as_f64().unwrap_or(0.0) as usize).min(data.len());
    let n = (data.len() - start).min(length as usize);
    copy_to_heap(heap, offset, &data[start..start + n]);
    n as u32
}

/// Copies `length` bytes at `offset` out of Python's memory (the `HEAP8` a stream op gets).
fn heap_bytes(heap: &Int8Array, offset: u32, length: u32) -> Vec<u8> {
    let mut bytes = vec![0u8; length as usize];
    Uint8Array::new_with_byte_offset_and_length(&heap.buffer(), heap.byte_offset() + offset, length)
        .copy_to(&mut bytes);
    bytes
}

/// Copies `bytes` into Python's memory at `offset`.
fn copy_to_heap(heap: &Int8Array, offset: u32, bytes: &[u8]) {
    Uint8Array::new_with_byte_offset_and_length(
        &heap.buffer(),
        heap.byte_offset() + offset,
        bytes.len() as u32,
    )
    .copy_from(bytes);
}

thread_local! {
    static FS: RefCell<Option<emscripten::EmFs>> = const { RefCell::new(None) };
}

/// The current interpreter's file system, for building errno exceptions in stream ops.
struct EmFsHandle;

impl EmFsHandle {
    fn set(fs: &emscripten::EmFs) {
        FS.with(|slot| *slot.borrow_mut() = Some(fs.clone()));
    }

    fn write_file(path: &str, data: &Uint8Array) -> Result<(), String> {
        FS.with(|slot| match slot.borrow().as_ref() {
            Some(fs) => fs.write_file(path, data).map_err(|e| describe(&e)),
            None => Err("the file system is not ready".into()),
        })
    }

    fn errno(errno: i32) -> JsValue {
        FS.with(|slot| slot.borrow().as_ref().map_or_else(|| JsValue::from(errno), |fs| fs.errno(errno)))
    }
}
