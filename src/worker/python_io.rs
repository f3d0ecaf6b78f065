//! Python's I/O in the worker, as Emscripten stream operations over a [`TtyBridge`]: the tty
//! (stdin, stdout, stderr) and devices of ours (terminal size, an interruptible sleep, the
//! lazily fetched rest of the standard library, the session's news, turtle graphics'
//! canvas), and the file system they live in.

use crate::logic::protocol::{FromWorker, Program, ReplKind, RunRequest};
use crate::logic::python_layout::{DeviceRole, FileContent, PythonLayout};
use crate::logic::workspace::{Snapshot, WorkspaceFile, changes};
use crate::logic::workspace_push::WorkspaceChanges;
use crate::page_and_worker::js_error::describe;
use crate::worker::emscripten::{self, EmModule};
use crate::worker::error::LoadError;
use crate::worker::port::post;
use crate::worker::sync_get;
use crate::worker::text_measure::TextMeasure;
use crate::worker::tty_bridge::TtyBridge;
use crate::worker::tty_ioctl::TtyIoctls;
use js_sys::{Function, Int8Array, Object, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// How the file system is laid out (shared with `python-dist/node-loader.mjs`).
const LAYOUT_JSON: &str = include_str!("python/layout.json");

/// The text of a file that `layout.json` names as a source beside it.
fn layout_source(name: &str) -> Option<&'static str> {
    match name {
        // CPython's Emscripten build has no `os.get_terminal_size` and its `time.sleep`
        // busy-waits where Ctrl+C cannot reach it: both are routed to our devices.
        "sitecustomize.py" => Some(include_str!("python/sitecustomize.py")),
        // Colours the code typed at PyREPL 3.13 (as 3.14 does), and redraws at a resize.
        "pyrepl_additions.py" => Some(include_str!("python/pyrepl_additions.py")),
        // The Tk that CPython's turtle module draws with: a canvas in the page.
        "tkinter_init.py" => Some(include_str!("python/tkinter_init.py")),
        "tkinter_simpledialog.py" => Some(include_str!("python/tkinter_simpledialog.py")),
        "tkinter_colors.py" => Some(include_str!("python/tkinter_colors.py")),
        _ => None,
    }
}

/// The layout every interpreter of this worker starts with.
pub fn python_layout() -> Result<PythonLayout, LoadError> {
    let corrupt = |detail: String| LoadError::Corrupt { what: "the worker's layout.json".into(), detail };
    let value = js_sys::JSON::parse(LAYOUT_JSON).map_err(|e| corrupt(describe(&e)))?;
    serde_wasm_bindgen::from_value(value).map_err(|e| corrupt(e.to_string()))
}

/// What a stream operation throws once the page wants a newer interpreter: no errno, so
/// Emscripten rethrows it and `callMain` unwinds (the host recognises it).
pub const SUPERSEDED: &str = "py-repl: this interpreter gave way to a newer one";

/// The interruption of a blocking call: a newer interpreter, or else Ctrl+C (`EINTR`).
fn cut_short(bridge: &TtyBridge) -> JsValue {
    if bridge.superseded() { JsValue::from_str(SUPERSEDED) } else { EmFsHandle::errno(emscripten::EINTR) }
}

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
    tty_write: StreamOp<Result<u32, JsValue>>,
    size_read: StreamOp<u32>,
    sleep_write: StreamOp<Result<u32, JsValue>>,
    extra_read: StreamOp<u32>,
    session_write: StreamOp<Result<u32, JsValue>>,
    canvas_write: StreamOp<Result<u32, JsValue>>,
    canvas_read: StreamOp<u32>,
    tty_ioctls: TtyIoctls,
    print_err: Closure<dyn FnMut(String)>,
    stdlib: Stdlib,
    layout: Rc<PythonLayout>,
    program: Option<Program>,
    repl: ReplKind,
    /// The student's input history, for PyREPL's history file.
    history: Vec<String>,
    /// The workspace's files until `install` writes them.
    files: RefCell<Vec<WorkspaceFile>>,
    /// What the working directory held when last reported to the page.
    reported: Rc<RefCell<Snapshot>>,
}

impl PythonIo {
    /// The operations of an interpreter that talks to the page through `bridge` and runs
    /// `program` first, if there is one.
    pub fn new(
        bridge: &Rc<TtyBridge>,
        stdlib: Stdlib,
        layout: Rc<PythonLayout>,
        request: RunRequest,
    ) -> Self {
        let reported: Rc<RefCell<Snapshot>> = Rc::default();
        let (b, seen, directory) = (bridge.clone(), reported.clone(), layout.working_directory.clone());
        let tty_read = StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, _| {
            // Python waits for input (a prompt, input()): what it wrote is kept now. (musl's
            // zero-length first read of each pair answers at once: no need to look twice.)
            if length > 0 {
                report_files(&directory, &seen);
            }
            let take_changes = |url: &str| take_workspace_changes(&directory, &seen, url);
            match b.read(length as usize, &take_changes) {
                Some(bytes) => {
                    copy_to_heap(&heap, offset, &bytes);
                    Ok(bytes.len() as u32)
                }
                None => Err(cut_short(&b)),
            }
        });
        let b = bridge.clone();
        let tty_write = StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, _| {
            b.write(&heap_bytes(&heap, offset, length));
            if b.superseded() { Err(JsValue::from_str(SUPERSEDED)) } else { Ok(length) }
        });
        let b = bridge.clone();
        let size_read =
            StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, position: JsValue| {
                read_at(&heap, offset, length, &position, b.size_text().as_bytes())
            });
        // A sleep cut short by a signal fails with EINTR, so CPython runs the handler at once.
        // If the handler returns (asyncio's does: it cancels the main task), CPython writes
        // again (PEP 475): that write returns 0 at once, so the caller learns it was woken
        // (time.sleep then sleeps what is left; asyncio's selector returns to its loop).
        let (b, cut) = (bridge.clone(), Cell::new(false));
        let sleep_write = StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, _| {
            if cut.replace(false) {
                return Ok(0);
            }
            let text = heap_bytes(&heap, offset, length);
            let seconds: f64 =
                std::str::from_utf8(&text).ok().and_then(|t| t.trim().parse().ok()).unwrap_or(0.0);
            if b.sleep(seconds) {
                return Ok(length);
            }
            cut.set(!b.superseded());
            Err(cut_short(&b))
        });
        // Reading /dev/stdlib-extra installs the rest of the stdlib and answers "ok" or why not.
        let (b, cache, url) = (bridge.clone(), stdlib.extra.clone(), stdlib.extra_url.clone());
        let extra_path = layout.extra_zip.clone();
        let extra_read =
            StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, position: JsValue| {
                if position.as_f64().unwrap_or(0.0) > 0.0 {
                    return 0;
                }
                b.flush(true);
                let cached = cache.borrow().clone();
                let fetched = cached.map_or_else(|| sync_get::get_bytes(&url).map_err(|e| e.to_string()), Ok);
                let answer = match fetched {
                    Ok(bytes) => {
                        *cache.borrow_mut() = Some(bytes.clone());
                        EmFsHandle::write_file(&extra_path, &bytes).map_or_else(|e| e, |()| "ok".to_owned())
                    }
                    Err(e) => e,
                };
                read_at(&heap, offset, length, &JsValue::from(0), answer.as_bytes())
            });
        // Emscripten's own messages; an abort's is reported once, in words, as the crash.
        let b = bridge.clone();
        let print_err = Closure::<dyn FnMut(String)>::new(move |text: String| {
            if !text.starts_with("Aborted(") {
                b.write(format!("{text}\n").as_bytes());
            }
        });
        // Writing "repl-started" to /dev/session tells the page the prompt begins (after the
        // program, if one ran): output first, so a traceback is on screen before.
        // "signals-ready": startup is past the point where a SIGINT would be lost.
        // "prompt": an interactive prompt follows (the page resets the terminal's state).
        // "history E1\0E2…": PyREPL's history gained these entries.
        // "open-url URL": webbrowser.open(URL).
        let b = bridge.clone();
        let session_write = StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, _| {
            match heap_bytes(&heap, offset, length).trim_ascii() {
                b"repl-started" => {
                    b.flush(false);
                    post(&FromWorker::ReplStarted);
                }
                b"signals-ready" => post(&FromWorker::SignalsReady),
                b"prompt" => b.prompt(),
                news if news.starts_with(b"history ") => {
                    let entries = String::from_utf8_lossy(&news[b"history ".len()..]);
                    let entries = entries.split('\0').map(str::to_owned).collect();
                    post(&FromWorker::History { entries });
                }
                news => {
                    if let Some(url) = news.strip_prefix(b"open-url ") {
                        post(&FromWorker::OpenUrl { url: String::from_utf8_lossy(url).into_owned() });
                    }
                }
            }
            if b.superseded() { Err(JsValue::from_str(SUPERSEDED)) } else { Ok(length) }
        });
        let (canvas_write, canvas_read) = canvas_device(bridge);
        Self {
            tty_read,
            tty_write,
            size_read,
            sleep_write,
            extra_read,
            session_write,
            canvas_write,
            canvas_read,
            tty_ioctls: TtyIoctls::new(bridge),
            print_err,
            stdlib,
            layout,
            program: request.program,
            repl: request.repl,
            history: request.history,
            files: RefCell::new(request.files),
            reported,
        }
    }

    /// Reports what Python wrote or removed in its working directory since the last report.
    pub fn report_files(&self) {
        report_files(&self.layout.working_directory, &self.reported);
    }

    /// The arguments of `main`: `-i NAME` runs the program, then the prompt.
    pub fn arguments(&self) -> js_sys::Array {
        match &self.program {
            Some(program) => js_sys::Array::of2(&"-i".into(), &program.name.as_str().into()),
            None => js_sys::Array::new(),
        }
    }

    /// Emscripten's `printErr` (its own messages, such as an abort's reason).
    pub fn print_err(&self) -> &JsValue {
        self.print_err.as_ref()
    }

    /// Sets up the file system, the tty, our devices and the environment (in `preRun`), as
    /// `layout.json` says.
    pub fn install(&self, module: &EmModule) -> Result<(), JsValue> {
        let (fs, layout) = (module.fs(), &self.layout);
        EmFsHandle::set(&fs);
        for directory in &layout.directories {
            fs.mkdir_tree(directory)?;
        }
        fs.write_file(&layout.core_zip, &self.stdlib.core)?;
        if let Some(extra) = self.stdlib.extra.borrow().as_ref() {
            fs.write_file(&layout.extra_zip, extra)?;
        }
        for file in &layout.files {
            let text = match &file.content {
                FileContent::Text(text) => text.as_str(),
                FileContent::Source(name) => layout_source(name)
                    .ok_or_else(|| JsValue::from(format!("{name} is not built into the worker")))?,
            };
            fs.write_text_file(&file.path, text)?;
        }
        for device in &layout.devices {
            let served: &[(&str, &JsValue)] = match device.serves {
                DeviceRole::TerminalSize => &[("read", self.size_read.as_ref())],
                DeviceRole::Sleep => &[("write", self.sleep_write.as_ref())],
                DeviceRole::StdlibExtra => &[("read", self.extra_read.as_ref())],
                DeviceRole::Session => &[("write", self.session_write.as_ref())],
                DeviceRole::Canvas => {
                    &[("write", self.canvas_write.as_ref()), ("read", self.canvas_read.as_ref())]
                }
            };
            let ops = Object::new();
            for (op, closure) in served {
                Reflect::set(&ops, &(*op).into(), closure)?;
            }
            fs.register_device(layout.device_number(device), &ops);
            fs.mkdev(&device.path, layout.device_number(device))?;
        }
        let ops = module.tty().stream_ops();
        ops.set_read(self.tty_read.as_ref().unchecked_ref::<Function>());
        ops.set_write(self.tty_write.as_ref().unchecked_ref::<Function>());
        self.tty_ioctls.install(module)?;
        fs.chdir(&layout.working_directory)?;
        for file in self.files.take() {
            fs.write_file(&file.name, &Uint8Array::from(file.bytes.as_slice()))?;
        }
        if let Some(program) = &self.program {
            fs.write_text_file(&program.name, &program.text)?;
        }
        *self.reported.borrow_mut() = snapshot(&fs, &layout.working_directory);
        let env = module.env();
        for (key, value) in &layout.environment {
            Reflect::set(&env, &key.into(), &value.into())?;
        }
        // PyREPL reads its history from PYTHON_HISTORY (site.register_readline): the page's.
        if let (ReplKind::PyRepl, Some(path)) = (self.repl, layout.environment.get("PYTHON_HISTORY")) {
            fs.write_text_file(path, &pyrepl_history_file(&self.history))?;
        }
        // The environment outlives an interpreter in the same worker: set or cleared each time.
        let basic = JsValue::from("PYTHON_BASIC_REPL");
        match self.repl {
            ReplKind::Basic => Reflect::set(&env, &basic, &"1".into()).map(drop)?,
            ReplKind::PyRepl => Reflect::delete_property(&env, &basic).map(drop)?,
        }
        Ok(())
    }
}

/// History entries in the format of PyREPL's history file: one entry per line, the lines of
/// a block joined by "\r\n" (what `_pyrepl.readline.write_history_file` writes).
fn pyrepl_history_file(entries: &[String]) -> String {
    entries.iter().map(|entry| format!("{}\n", entry.replace('\n', "\r\n"))).collect()
}

/// Turtle graphics' `/dev/canvas` (see `canvas_protocol`): its write and read operations.
fn canvas_device(bridge: &Rc<TtyBridge>) -> (StreamOp<Result<u32, JsValue>>, StreamOp<u32>) {
    // The answer to a measure, for the read that follows it.
    let answer: Rc<RefCell<Option<Vec<u8>>>> = Rc::default();
    let mut measure = TextMeasure::default();
    let (b, said, cut) = (bridge.clone(), answer.clone(), Cell::new(false));
    let write = StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, _| {
        let request = heap_bytes(&heap, offset, length);
        let (kind, body) = request.split_first().map_or((0, &[][..]), |(k, rest)| (*k, rest));
        match kind {
            b'D' => b.draw(String::from_utf8_lossy(body).into_owned()),
            b'W' => {
                // As the sleep device: cut short by a signal, EINTR; CPython's retry after a
                // handler that returned gets 0 at once.
                if cut.replace(false) {
                    return Ok(0);
                }
                let seconds =
                    std::str::from_utf8(body).ok().and_then(|t| t.trim().parse().ok()).unwrap_or(0.0);
                if !b.wait_for_canvas_event(seconds) {
                    cut.set(!b.superseded());
                    return Err(cut_short(&b));
                }
            }
            b'H' => b.handle_canvas_events_at_input(),
            b'M' => {
                let (font, text) = measure_request(body);
                *said.borrow_mut() = Some(measure.measure(&font, &text).answer().into_bytes());
            }
            _ => return Err(EmFsHandle::errno(emscripten::EINVAL)),
        }
        if b.superseded() { Err(JsValue::from_str(SUPERSEDED)) } else { Ok(length) }
    });
    let b = bridge.clone();
    let read = StreamOp::new(move |_, heap: Int8Array, offset: u32, length: u32, _| {
        let bytes = match answer.borrow_mut().take() {
            Some(mut bytes) => {
                bytes.truncate(length as usize);
                bytes
            }
            None => b.take_canvas_events(length as usize),
        };
        copy_to_heap(&heap, offset, &bytes);
        bytes.len() as u32
    });
    (write, read)
}

/// The font and text of a measure request (`{"font": ..., "text": ...}`); empty if malformed.
fn measure_request(body: &[u8]) -> (String, String) {
    let parsed = js_sys::JSON::parse(&String::from_utf8_lossy(body)).unwrap_or(JsValue::NULL);
    let field =
        |name: &str| Reflect::get(&parsed, &name.into()).ok().and_then(|v| v.as_string()).unwrap_or_default();
    (field("font"), field("text"))
}

/// The regular files directly in `directory`: size and modification time of each.
fn snapshot(fs: &emscripten::EmFs, directory: &str) -> Snapshot {
    let Ok(names) = fs.readdir(directory) else { return Snapshot::new() };
    names
        .iter()
        .filter_map(|name| name.as_string())
        .filter(|name| name != "." && name != "..")
        .filter_map(|name| {
            let stat = fs.stat(&format!("{directory}/{name}")).ok()?;
            fs.is_file(stat.mode()).then(|| (name, (stat.size() as u64, stat.mtime().get_time())))
        })
        .collect()
}

/// Posts the files written or removed in `directory` since `reported`, and remembers them.
fn report_files(directory: &str, reported: &RefCell<Snapshot>) {
    let Some(fs) = EmFsHandle::get() else { return };
    let now = snapshot(&fs, directory);
    let found = changes(&reported.borrow(), &now);
    if found.is_empty() {
        return;
    }
    let written = found
        .written
        .into_iter()
        .filter_map(|name| {
            let bytes = fs.read_file(&format!("{directory}/{name}")).ok()?.to_vec();
            Some(WorkspaceFile { name, bytes })
        })
        .collect();
    post(&FromWorker::FilesChanged { written, removed: found.removed });
    *reported.borrow_mut() = now;
}

/// Puts the page's workspace changes in the blob at `url` into `directory`; they count as
/// reported (the page has them).
fn take_workspace_changes(directory: &str, reported: &RefCell<Snapshot>, url: &str) -> Result<(), String> {
    // Only the page's own blobs: nothing from the network.
    if !url.starts_with("blob:") {
        return Err(format!("{url} is not the page's"));
    }
    let blob = sync_get::get_bytes(url).map_err(|e| e.to_string())?.to_vec();
    let changes = WorkspaceChanges::decode(&blob).map_err(|e| e.to_string())?;
    let fs = EmFsHandle::get().ok_or("the file system is not ready")?;
    for name in &changes.removed {
        // Already gone (Python removed it too) is fine.
        let _ = fs.unlink(&format!("{directory}/{name}"));
    }
    for file in &changes.written {
        let path = format!("{directory}/{}", file.name);
        fs.write_file(&path, &Uint8Array::from(file.bytes.as_slice())).map_err(|e| describe(&e))?;
    }
    *reported.borrow_mut() = snapshot(&fs, directory);
    Ok(())
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

    fn get() -> Option<emscripten::EmFs> {
        FS.with(|slot| slot.borrow().clone())
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
