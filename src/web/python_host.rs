//! The worker side: downloads and starts CPython, and connects its tty to the page.
//!
//! Python's `callMain` blocks this worker for the whole session, so after `Boot` the page
//! reaches Python only through the shared region: stdin bytes, EOF marks, SIGINT, the
//! terminal size and output flow control.

use crate::output_batch::OutputBatch;
use crate::protocol::{BootConfig, Download, FailureKind, FromWorker, ToWorker};
use crate::shared_memory::{self, Ring, SharedCells, word};
use crate::web::emscripten::{self, EmModule};
use crate::web::error::{WebError, describe};
use crate::web::shared_region::SharedRegion;
use gloo::events::EventListener;
use js_sys::{Array, Function, Int8Array, Object, Promise, Reflect, Uint8Array, WebAssembly};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, Response};

thread_local! {
    /// The worker's message listener lives as long as the worker.
    static LISTENER: RefCell<Option<EventListener>> = const { RefCell::new(None) };
}

/// What a restart reuses: nothing is downloaded or compiled twice.
#[derive(Clone)]
struct Loaded {
    factory: Function,
    wasm: WebAssembly::Module,
    stdlib: Uint8Array,
    stdlib_extra_url: String,
    /// The extra stdlib once fetched, so a restart does not fetch it again.
    stdlib_extra: Rc<RefCell<Option<Uint8Array>>>,
}

#[derive(Default)]
struct HostState {
    loaded: Option<Loaded>,
    shared: Option<SharedRegion>,
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &FromWorker) {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_bytes_as_arrays(false);
    if let Ok(value) = serde::Serialize::serialize(message, &serializer) {
        let _ = scope().post_message(&value);
    }
}

fn fail(reason: FailureKind, error: &WebError) {
    post(&FromWorker::Failed { reason, message: error.to_string() });
}

/// Entry point of the worker binary: waits for `Boot` and `Restart` messages.
pub fn start() {
    let state = Rc::new(RefCell::new(HostState::default()));
    let listener = EventListener::new(&scope(), "message", move |event| {
        let Some(event) = event.dyn_ref::<MessageEvent>() else {
            return;
        };
        let data = event.data();
        let message = Reflect::get(&data, &"msg".into())
            .ok()
            .and_then(|m| serde_wasm_bindgen::from_value::<ToWorker>(m).ok());
        match message {
            Some(ToWorker::Boot(config)) => {
                state.borrow_mut().shared =
                    Reflect::get(&data, &"shared".into()).ok().and_then(SharedRegion::from_js);
                spawn_local(boot(state.clone(), config));
            }
            Some(ToWorker::Restart) => spawn_local(run(state.clone())),
            None => {}
        }
    });
    LISTENER.with(|slot| *slot.borrow_mut() = Some(listener));
    post(&FromWorker::Listening);
}

async fn boot(state: Rc<RefCell<HostState>>, config: BootConfig) {
    match load(&config).await {
        Ok(loaded) => {
            state.borrow_mut().loaded = Some(loaded);
            run(state).await;
        }
        Err(error @ WebError::Download { .. }) => fail(FailureKind::Download, &error),
        Err(error) => fail(FailureKind::Corrupt, &error),
    }
}

async fn load(config: &BootConfig) -> Result<Loaded, WebError> {
    let (wasm, stdlib, factory) = futures::join!(
        compile_wasm(&config.wasm_url),
        fetch_bytes(&config.stdlib_url, Download::Stdlib),
        import_factory(&config.module_url),
    );
    Ok(Loaded {
        wasm: wasm?,
        stdlib: stdlib?,
        factory: factory?,
        stdlib_extra_url: config.stdlib_extra_url.clone(),
        stdlib_extra: Rc::default(),
    })
}

async fn fetch_ok(url: &str) -> Result<(Response, Option<u64>), WebError> {
    let download_error = |detail: String| WebError::Download { url: url.to_owned(), detail };
    let response: Response = JsFuture::from(scope().fetch_with_str(url))
        .await
        .map_err(|e| download_error(describe(&e)))?
        .unchecked_into();
    if !response.ok() {
        return Err(download_error(format!("HTTP {} {}", response.status(), response.status_text())));
    }
    let headers = response.headers();
    // With content-encoding the length counts compressed bytes, not what the stream yields.
    let encoded = headers.get("content-encoding").ok().flatten().is_some_and(|e| e != "identity");
    let total = if encoded {
        None
    } else {
        headers.get("content-length").ok().flatten().and_then(|l| l.parse().ok())
    };
    Ok((response, total))
}

/// Fetches `python.wasm` and compiles it while it streams in, reporting bytes received.
async fn compile_wasm(url: &str) -> Result<WebAssembly::Module, WebError> {
    let (response, total) = fetch_ok(url).await?;
    let body =
        response.body().ok_or_else(|| WebError::Download { url: url.into(), detail: "empty body".into() })?;
    let received = Rc::new(Cell::new(0u64));
    let counter = received.clone();
    let transform = Closure::<dyn FnMut(JsValue, web_sys::TransformStreamDefaultController)>::new(
        move |chunk: JsValue, controller: web_sys::TransformStreamDefaultController| {
            let len = Reflect::get(&chunk, &"byteLength".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
            counter.set(counter.get() + len as u64);
            post(&FromWorker::Progress { download: Download::Wasm, received: counter.get(), total });
            let _ = controller.enqueue_with_chunk(&chunk);
        },
    );
    let transformer = web_sys::Transformer::new();
    transformer.set_transform(transform.as_ref().unchecked_ref());
    let stream = web_sys::TransformStream::new_with_transformer(&transformer)
        .map_err(|e| WebError::js("creating a transform stream", e))?;
    let pair = web_sys::ReadableWritablePair::new(&stream.readable(), &stream.writable());
    let counted = body.pipe_through(&pair);
    let headers = web_sys::Headers::new().map_err(|e| WebError::js("headers", e))?;
    headers.set("content-type", "application/wasm").map_err(|e| WebError::js("headers", e))?;
    let init = web_sys::ResponseInit::new();
    init.set_headers(&headers);
    let counted_response = Response::new_with_opt_readable_stream_and_init(Some(&counted), &init)
        .map_err(|e| WebError::js("wrapping the wasm stream", e))?;
    let module =
        JsFuture::from(WebAssembly::compile_streaming(&Promise::resolve(&JsValue::from(counted_response))))
            .await
            .map_err(|e| {
                if received.get() == 0 || total.is_some_and(|t| received.get() < t) {
                    WebError::Download { url: url.into(), detail: describe(&e) }
                } else {
                    WebError::Corrupt { what: "python.wasm".into(), detail: describe(&e) }
                }
            })?;
    drop(transform);
    Ok(module.unchecked_into())
}

/// Fetches a file into memory, reporting bytes received.
async fn fetch_bytes(url: &str, download: Download) -> Result<Uint8Array, WebError> {
    let (response, total) = fetch_ok(url).await?;
    let body =
        response.body().ok_or_else(|| WebError::Download { url: url.into(), detail: "empty body".into() })?;
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut chunks: Vec<Uint8Array> = Vec::new();
    let mut received = 0u64;
    loop {
        let result = JsFuture::from(reader.read())
            .await
            .map_err(|e| WebError::Download { url: url.into(), detail: describe(&e) })?;
        if Reflect::get(&result, &"done".into()).ok().and_then(|d| d.as_bool()).unwrap_or(true) {
            break;
        }
        let chunk: Uint8Array = Reflect::get(&result, &"value".into())
            .map_err(|e| WebError::js("reading a download", e))?
            .unchecked_into();
        received += u64::from(chunk.length());
        chunks.push(chunk);
        post(&FromWorker::Progress { download, received, total });
    }
    if total.is_some_and(|t| t != received) {
        return Err(WebError::Download {
            url: url.into(),
            detail: format!("got {received} of {total:?} bytes"),
        });
    }
    let all = Uint8Array::new_with_length(received as u32);
    let mut offset = 0;
    for chunk in chunks {
        all.set(&chunk, offset);
        offset += chunk.length();
    }
    Ok(all)
}

async fn import_factory(url: &str) -> Result<Function, WebError> {
    let namespace = JsFuture::from(emscripten::import_module(url))
        .await
        .map_err(|e| WebError::Download { url: url.into(), detail: describe(&e) })?;
    Reflect::get(&namespace, &"default".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| WebError::Corrupt { what: "python.mjs".into(), detail: "no default export".into() })
}

/// Python's stdout/stderr and stdin, bridged to the page.
struct TtyBridge {
    shared: SharedRegion,
    batch: RefCell<OutputBatch>,
    /// Output bytes posted so far (wrapping), compared with the page's acknowledgements.
    sent: Cell<u32>,
}

impl TtyBridge {
    fn now() -> f64 {
        js_sys::Date::now()
    }

    fn send(&self, chunk: Vec<u8>) {
        self.sent.set(self.sent.get().wrapping_add(chunk.len() as u32));
        post(&FromWorker::Output { bytes: chunk });
        // Flow control: an endless print loop must not fill the page's memory.
        loop {
            let acked = self.shared.load(word::OUTPUT_ACKED);
            if self.sent.get().wrapping_sub(acked) <= shared_memory::OUTPUT_WINDOW
                || self.shared.signal_pending()
            {
                break;
            }
            self.shared.wait(word::OUTPUT_ACKED, acked, Some(50.0));
        }
    }

    fn write(&self, bytes: &[u8]) {
        let chunk = self.batch.borrow_mut().write(bytes, Self::now());
        if let Some(chunk) = chunk {
            self.send(chunk);
        }
    }

    fn flush(&self, keep_partial: bool) {
        let chunk = self.batch.borrow_mut().flush(keep_partial);
        if let Some(chunk) = chunk {
            self.send(chunk);
        }
    }

    /// Blocks until stdin has bytes, an EOF mark or a signal. Returns bytes read (0 at EOF)
    /// or `None` when a signal interrupts the read.
    fn read(&self, max: usize) -> Option<Vec<u8>> {
        self.flush(true);
        let ring = Ring::new(&self.shared);
        let mut asked = false;
        loop {
            let wake = self.shared.load(word::WAKE);
            if self.shared.signal_pending() {
                return None;
            }
            if !ring.is_empty() {
                let mut out = vec![0; max.min(ring.len())];
                let n = ring.pop(&mut out);
                out.truncate(n);
                return Some(out);
            }
            if self.shared.load(word::EOF_PENDING) > 0 {
                self.shared.add(word::EOF_PENDING, u32::MAX);
                return Some(Vec::new());
            }
            if !asked {
                post(&FromWorker::InputWanted);
                asked = true;
            }
            self.shared.wait(word::WAKE, wake, None);
        }
    }

    /// Sleeps without burning the CPU; returns false when a signal cut it short.
    fn sleep(&self, seconds: f64) -> bool {
        // Output printed before the sleep must be visible during it.
        self.flush(true);
        let deadline = Self::now() + seconds * 1000.0;
        loop {
            let wake = self.shared.load(word::WAKE);
            if self.shared.signal_pending() {
                return false;
            }
            let remaining = deadline - Self::now();
            if remaining <= 0.0 {
                return true;
            }
            self.shared.wait(word::WAKE, wake, Some(remaining));
        }
    }

    /// "COLS ROWS" for the terminal-size device.
    fn size_text(&self) -> String {
        format!("{} {}\n", self.shared.load(word::COLS), self.shared.load(word::ROWS))
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

/// Fetches the extra stdlib synchronously (Python is blocked in an import meanwhile; a
/// worker may do this) and returns it, or a message saying why not.
fn fetch_sync(url: &str) -> Result<Uint8Array, String> {
    let request = web_sys::XmlHttpRequest::new().map_err(|e| describe(&e))?;
    request.open_with_async("GET", url, false).map_err(|e| describe(&e))?;
    request.set_response_type(web_sys::XmlHttpRequestResponseType::Arraybuffer);
    request.send().map_err(|e| format!("network error: {}", describe(&e)))?;
    let status = request.status().map_err(|e| describe(&e))?;
    if status != 200 {
        return Err(format!("HTTP {status} for {url}"));
    }
    let body = request.response().map_err(|e| describe(&e))?;
    Ok(Uint8Array::new(&body))
}

/// Starts one interpreter and runs it until it exits or crashes.
async fn run(state: Rc<RefCell<HostState>>) {
    let (loaded, shared) = {
        let state = state.borrow();
        match (state.loaded.clone(), state.shared.clone()) {
            (Some(l), Some(s)) => (l, s),
            _ => return,
        }
    };
    // A fresh session starts with no stale signal, EOF or output debt.
    let _ = js_sys::Atomics::store(&shared.signal_view(), 0, 0);
    shared.store(word::EOF_PENDING, 0);
    let bridge = Rc::new(TtyBridge {
        shared: shared.clone(),
        batch: RefCell::default(),
        sent: Cell::new(shared.load(word::OUTPUT_ACKED)),
    });

    let wasm = loaded.wasm.clone();
    let instantiate =
        Closure::<dyn FnMut(Object, Function) -> JsValue>::new(move |imports: Object, success: Function| {
            let wasm = wasm.clone();
            spawn_local(async move {
                match JsFuture::from(WebAssembly::instantiate_module(&wasm, &imports)).await {
                    Ok(instance) => {
                        let _ = success.call2(&JsValue::NULL, &instance, &wasm);
                    }
                    Err(e) => fail(
                        FailureKind::Corrupt,
                        &WebError::Corrupt { what: "python.wasm".into(), detail: describe(&e) },
                    ),
                }
            });
            Object::new().into()
        });

    let read_bridge = bridge.clone();
    let read = Closure::<dyn FnMut(JsValue, Int8Array, u32, u32, JsValue) -> Result<u32, JsValue>>::new(
        move |_stream, buffer: Int8Array, offset: u32, length: u32, _position| match read_bridge
            .read(length as usize)
        {
            Some(bytes) => {
                copy_to_heap(&buffer, offset, &bytes);
                Ok(bytes.len() as u32)
            }
            None => Err(EmFsHandle::errno(emscripten::EINTR)),
        },
    );
    let write_bridge = bridge.clone();
    let write = Closure::<dyn FnMut(JsValue, Int8Array, u32, u32, JsValue) -> u32>::new(
        move |_stream, buffer: Int8Array, offset: u32, length: u32, _position| {
            let bytes = heap_bytes(&buffer, offset, length);
            write_bridge.write(&bytes);
            length
        },
    );
    let size_bridge = bridge.clone();
    let size_read = Closure::<dyn FnMut(JsValue, Int8Array, u32, u32, u32) -> u32>::new(
        move |_stream, buffer: Int8Array, offset: u32, length: u32, position: u32| {
            let text = size_bridge.size_text().into_bytes();
            let start = (position as usize).min(text.len());
            let n = (text.len() - start).min(length as usize);
            copy_to_heap(&buffer, offset, &text[start..start + n]);
            n as u32
        },
    );
    let sleep_bridge = bridge.clone();
    let sleep_write =
        Closure::<dyn FnMut(JsValue, Int8Array, u32, u32, JsValue) -> Result<u32, JsValue>>::new(
            move |_stream, buffer: Int8Array, offset: u32, length: u32, _position| {
                let text = heap_bytes(&buffer, offset, length);
                let seconds: f64 =
                    std::str::from_utf8(&text).ok().and_then(|t| t.trim().parse().ok()).unwrap_or(0.0);
                if sleep_bridge.sleep(seconds) {
                    Ok(length)
                } else {
                    Err(EmFsHandle::errno(emscripten::EINTR))
                }
            },
        );
    // Reading /dev/stdlib-extra installs the rest of the stdlib and answers "ok" or why not.
    let extra_cache = loaded.stdlib_extra.clone();
    let extra_url = loaded.stdlib_extra_url.clone();
    let extra_bridge = bridge.clone();
    let extra_read = Closure::<dyn FnMut(JsValue, Int8Array, u32, u32, u32) -> u32>::new(
        move |_stream, buffer: Int8Array, offset: u32, length: u32, position: u32| {
            if position > 0 {
                return 0;
            }
            extra_bridge.flush(true);
            let cached = extra_cache.borrow().clone();
            let fetched = cached.map_or_else(|| fetch_sync(&extra_url), Ok);
            let answer = match fetched {
                Ok(bytes) => {
                    *extra_cache.borrow_mut() = Some(bytes.clone());
                    match EmFsHandle::write_file(STDLIB_EXTRA_PATH, &bytes) {
                        Ok(()) => "ok".to_owned(),
                        Err(e) => e,
                    }
                }
                Err(e) => e,
            };
            let n = answer.len().min(length as usize);
            copy_to_heap(&buffer, offset, &answer.as_bytes()[..n]);
            n as u32
        },
    );
    let stderr_bridge = bridge.clone();
    let print_err = Closure::<dyn FnMut(String)>::new(move |text: String| {
        stderr_bridge.write(format!("{text}\n").as_bytes());
    });

    let stdlib = loaded.stdlib.clone();
    let (read_fn, write_fn): (Function, Function) =
        (read.as_ref().clone().unchecked_into(), write.as_ref().clone().unchecked_into());
    let size_ops = Object::new();
    let _ = Reflect::set(&size_ops, &"read".into(), size_read.as_ref());
    let sleep_ops = Object::new();
    let _ = Reflect::set(&sleep_ops, &"write".into(), sleep_write.as_ref());
    let extra_ops = Object::new();
    let _ = Reflect::set(&extra_ops, &"read".into(), extra_read.as_ref());
    let extra_already = loaded.stdlib_extra.borrow().clone();
    let setup_error: Rc<RefCell<Option<WebError>>> = Rc::default();
    let setup_error_slot = setup_error.clone();
    let pre_run = Closure::<dyn FnMut(EmModule)>::new(move |module: EmModule| {
        let result = (|| -> Result<(), JsValue> {
            let fs = module.fs();
            EmFsHandle::set(&fs);
            fs.mkdir_tree("/lib/python3.13/lib-dynload")?;
            fs.mkdir_tree("/lib/python3.13/site-packages")?;
            fs.mkdir_tree("/home/user")?;
            fs.write_file("/lib/python313.zip", &stdlib)?;
            if let Some(extra) = &extra_already {
                fs.write_file(STDLIB_EXTRA_PATH, extra)?;
            }
            // getpath's landmark; the real os module is in the zip, earlier on sys.path.
            fs.write_text_file(
                "/lib/python3.13/os.py",
                "# landmark: the standard library is in /lib/python313.zip\n",
            )?;
            fs.write_text_file("/lib/python3.13/site-packages/stdlib-extra.pth", "import _stdlib_extra\n")?;
            fs.write_text_file("/lib/python3.13/site-packages/sitecustomize.py", SITECUSTOMIZE)?;
            fs.register_device(TERMINAL_SIZE_DEVICE, &size_ops);
            fs.mkdev("/dev/terminal-size", TERMINAL_SIZE_DEVICE)?;
            fs.register_device(SLEEP_DEVICE, &sleep_ops);
            fs.mkdev("/dev/sleep", SLEEP_DEVICE)?;
            fs.register_device(STDLIB_EXTRA_DEVICE, &extra_ops);
            fs.mkdev("/dev/stdlib-extra", STDLIB_EXTRA_DEVICE)?;
            let ops = module.tty().stream_ops();
            ops.set_read(&read_fn);
            ops.set_write(&write_fn);
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
        })();
        if let Err(e) = result {
            *setup_error_slot.borrow_mut() = Some(WebError::js("preparing Python's file system", e));
        }
    });

    let config = Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = Reflect::set(&config, &key.into(), value);
    };
    set("instantiateWasm", instantiate.as_ref());
    set("preRun", &Array::of1(pre_run.as_ref()));
    set("printErr", print_err.as_ref());
    set("print", print_err.as_ref());
    set("arguments", &Array::new());

    let module = match loaded.factory.call1(&JsValue::NULL, &config) {
        Ok(promise) => JsFuture::from(Promise::resolve(&promise)).await,
        Err(e) => Err(e),
    };
    let module: EmModule = match module {
        Ok(module) => module.unchecked_into(),
        Err(e) => {
            fail(
                FailureKind::Corrupt,
                &WebError::Corrupt { what: "python.mjs".into(), detail: describe(&e) },
            );
            return;
        }
    };
    if let Some(error) = setup_error.borrow_mut().take() {
        fail(FailureKind::Corrupt, &error);
        return;
    }
    module.set_signal_buffer(&shared.signal_view());
    module.heap_u8().set_index(module.signal_handling_flag(), 1);
    post(&FromWorker::Started);

    let result = module.call_main(&Array::new());
    bridge.flush(false);
    match result {
        Ok(code) => post(&FromWorker::Exited { code }),
        Err(e) => post(&FromWorker::Failed { reason: FailureKind::Crash, message: describe(&e) }),
    }
    // The closures must outlive callMain; drop them only now.
    drop((instantiate, read, write, size_read, sleep_write, print_err, pre_run));
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
