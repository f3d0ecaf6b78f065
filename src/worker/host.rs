//! The worker's entry point: takes the page's `Boot`, `Python` and `Run` messages, starts
//! CPython from what the page downloaded, and connects its tty to the page.
//!
//! Python's `callMain` blocks this worker for the whole session, so after `Boot` the page
//! reaches Python only through a `PageLink`: the shared region, or in compatibility mode the
//! service worker's relay (stdin bytes, EOF marks, SIGINT, the terminal size, output flow
//! control).

use crate::logic::crash::crash_words;
use crate::logic::protocol::{BootConfig, FailureKind, FromWorker, RunRequest, ToWorker};
use crate::logic::python_layout::PythonLayout;
use crate::page_and_worker::dynamic_import;
use crate::page_and_worker::js_error::describe;
use crate::page_and_worker::shared_region::SharedRegion;
use crate::worker::emscripten::EmModule;
use crate::worker::error::LoadError;
use crate::worker::page_link::{PageLink, RelayLink, SharedLink};
use crate::worker::port::{self, post, scope};
use crate::worker::python_io::{PythonIo, SUPERSEDED, Stdlib, python_layout};
use crate::worker::tty_bridge::TtyBridge;
use futures::channel::oneshot;
use gloo::events::EventListener;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array, WebAssembly};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use web_sys::MessageEvent;

thread_local! {
    /// The worker's message listener lives as long as the worker.
    static LISTENER: RefCell<Option<EventListener>> = const { RefCell::new(None) };
}

/// What a restart reuses: nothing is imported or compiled twice.
#[derive(Clone)]
struct Loaded {
    factory: Function,
    wasm: WebAssembly::Module,
    stdlib: Stdlib,
    layout: Rc<PythonLayout>,
}

/// The page's downloads, as they came beside `Python`.
struct PythonFromPage {
    wasm: WebAssembly::Module,
    core: Uint8Array,
}

#[derive(Default)]
struct HostState {
    loaded: Option<Loaded>,
    /// Where `Python`'s downloads go, until `boot` takes them.
    python: Option<oneshot::Sender<PythonFromPage>>,
    /// How the page reaches this worker once Python blocks it; kept across restarts (the
    /// terminal size lives in it).
    link: Option<Rc<dyn PageLink>>,
    /// The page's first `Run`, when it came before Python was loaded.
    waiting: Option<RunRequest>,
}

fn fail(reason: FailureKind, error: &LoadError) {
    post(&FromWorker::Failed { reason, message: error.to_string() });
}

/// Entry point of the worker binary: waits for `Boot`, `Python` and `Run` messages.
pub fn start() {
    let state = Rc::new(RefCell::new(HostState::default()));
    let (python_sender, python) = oneshot::channel();
    state.borrow_mut().python = Some(python_sender);
    let mut python = Some(python);
    let listener = EventListener::new(&scope(), "message", move |event| {
        let Some(event) = event.dyn_ref::<MessageEvent>() else {
            return;
        };
        let data = event.data();
        let message = Reflect::get(&data, &"msg".into())
            .ok()
            .and_then(|m| serde_wasm_bindgen::from_value::<ToWorker>(m).ok());
        match message {
            Some(ToWorker::Boot { config }) => {
                let shared = Reflect::get(&data, &"shared".into()).ok().and_then(SharedRegion::from_js);
                state.borrow_mut().link = match (shared, &config.relay_url) {
                    (Some(region), _) => {
                        port::mirror_into(region.clone());
                        Some(Rc::new(SharedLink::new(region)))
                    }
                    (None, Some(url)) => Some(Rc::new(RelayLink::new(url.clone()))),
                    (None, None) => None,
                };
                if let Some(python) = python.take() {
                    spawn_local(boot(state.clone(), config, python));
                }
            }
            Some(ToWorker::Python) => {
                let field = |name: &str| Reflect::get(&data, &name.into()).ok();
                let wasm = field("wasm").and_then(|w| w.dyn_into::<WebAssembly::Module>().ok());
                let core = field("core").and_then(|c| c.dyn_into::<Uint8Array>().ok());
                let sender = state.borrow_mut().python.take();
                match (wasm, core, sender) {
                    (Some(wasm), Some(core), Some(sender)) => {
                        let _ = sender.send(PythonFromPage { wasm, core });
                    }
                    (_, _, None) => {}
                    _ => fail(
                        FailureKind::Crash,
                        &LoadError::Js {
                            context: "starting Python",
                            detail: "Python came without its files".into(),
                        },
                    ),
                }
            }
            // Before Python is loaded, the request waits (a newer one replaces it).
            Some(ToWorker::Run(request)) if state.borrow().loaded.is_none() => {
                state.borrow_mut().waiting = Some(request);
            }
            Some(ToWorker::Run(request)) => spawn_local(run(state.clone(), request)),
            None => {}
        }
    });
    LISTENER.with(|slot| *slot.borrow_mut() = Some(listener));
    post(&FromWorker::Listening);
}

async fn boot(state: Rc<RefCell<HostState>>, config: BootConfig, python: oneshot::Receiver<PythonFromPage>) {
    if state.borrow().link.is_none() {
        let detail = "Boot came with neither a shared buffer nor a relay".to_owned();
        fail(FailureKind::Crash, &LoadError::Js { context: "starting Python", detail });
        return;
    }
    // The module factory loads here while the page downloads and compiles python.wasm.
    let (factory, python) = futures::join!(import_factory(&config.module_url), python);
    let Ok(python) = python else {
        return; // the page ends this worker (it could not download Python, and says why)
    };
    let loaded = factory.and_then(|factory| {
        Ok(Loaded {
            wasm: python.wasm,
            stdlib: Stdlib {
                core: python.core,
                extra_url: config.stdlib_extra_url.clone(),
                extra: Rc::default(),
            },
            factory,
            layout: Rc::new(python_layout()?),
        })
    });
    match loaded {
        Ok(loaded) => {
            state.borrow_mut().loaded = Some(loaded);
            let waiting = state.borrow_mut().waiting.take();
            if let Some(request) = waiting {
                run(state, request).await;
            }
        }
        Err(error @ LoadError::Download { .. }) => fail(FailureKind::Download, &error),
        Err(error) => fail(FailureKind::Corrupt, &error),
    }
}

/// Imports the Emscripten module at `url`; its default export makes an interpreter.
async fn import_factory(url: &str) -> Result<Function, LoadError> {
    let namespace = JsFuture::from(dynamic_import::import_module(url))
        .await
        .map_err(|e| LoadError::Download { url: url.into(), detail: describe(&e) })?;
    Reflect::get(&namespace, &"default".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(|| LoadError::Corrupt { what: "python.mjs".into(), detail: "no default export".into() })
}

/// Starts one interpreter and runs it until it exits, crashes or gives way to a newer one.
async fn run(state: Rc<RefCell<HostState>>, request: RunRequest) {
    let (loaded, link) = {
        let state = state.borrow();
        match (state.loaded.clone(), state.link.clone()) {
            (Some(l), Some(link)) => (l, link),
            _ => return,
        }
    };
    link.reset();
    let bridge = Rc::new(TtyBridge::new(link.clone(), request.generation, request.changes_taken));
    if bridge.superseded() {
        return; // the page already wants a newer one, whose Run follows
    }
    let generation = request.generation;
    let io = Rc::new(PythonIo::new(&bridge, loaded.stdlib, loaded.layout, request));

    let wasm = loaded.wasm.clone();
    let instantiate =
        Closure::<dyn FnMut(Object, Function) -> JsValue>::new(move |imports: Object, success: Function| {
            let wasm = wasm.clone();
            spawn_local(async move {
                match JsFuture::from(WebAssembly::instantiate_module(&wasm, &imports)).await {
                    Ok(instance) => {
                        if let Err(e) = success.call2(&JsValue::NULL, &instance, &wasm) {
                            let detail = describe(&e);
                            fail(
                                FailureKind::Corrupt,
                                &LoadError::Corrupt { what: "python.mjs".into(), detail },
                            );
                        }
                    }
                    Err(e) => fail(
                        FailureKind::Corrupt,
                        &LoadError::Corrupt { what: "python.wasm".into(), detail: describe(&e) },
                    ),
                }
            });
            Object::new().into()
        });
    let setup_error: Rc<RefCell<Option<LoadError>>> = Rc::default();
    let pre_run = {
        let (io, setup_error) = (io.clone(), setup_error.clone());
        Closure::<dyn FnMut(EmModule)>::new(move |module: EmModule| {
            if let Err(e) = io.install(&module) {
                *setup_error.borrow_mut() = Some(LoadError::js("preparing Python's file system", e));
            }
        })
    };

    let config = Object::new();
    for (key, value) in [
        ("instantiateWasm", instantiate.as_ref()),
        ("preRun", &Array::of1(pre_run.as_ref())),
        ("printErr", io.print_err()),
        ("print", io.print_err()),
        ("arguments", &Array::new()),
    ] {
        if let Err(e) = Reflect::set(&config, &key.into(), value) {
            fail(FailureKind::Crash, &LoadError::js("configuring Python", e));
            return;
        }
    }
    let module = match loaded.factory.call1(&JsValue::NULL, &config) {
        Ok(promise) => JsFuture::from(Promise::resolve(&promise)).await,
        Err(e) => Err(e),
    };
    let module: EmModule = match module {
        Ok(module) => module.unchecked_into(),
        Err(e) => {
            fail(
                FailureKind::Corrupt,
                &LoadError::Corrupt { what: "python.mjs".into(), detail: describe(&e) },
            );
            return;
        }
    };
    if let Some(error) = setup_error.borrow_mut().take() {
        fail(FailureKind::Corrupt, &error);
        return;
    }
    // Ctrl+C sets this byte; Python checks it between bytecodes and when a read is cut short.
    module.set_signal_buffer(&link.signal_buffer());
    module.heap_u8().set_index(module.signal_handling_flag(), 1);
    post(&FromWorker::Started { generation });

    let result = module.call_main(&io.arguments());
    if result.as_ref().is_err_and(|e| e.as_string().as_deref() == Some(SUPERSEDED)) {
        // Its output and state are of no interest any more; the page's next Run is queued.
        drop((instantiate, pre_run, io));
        return;
    }
    bridge.flush(false);
    io.report_files();
    match (result, bridge.take_lost()) {
        (_, Some(problem)) => post(&FromWorker::Failed {
            reason: FailureKind::Disconnected,
            message: format!("Python lost contact with the page: {problem}"),
        }),
        (Ok(code), None) => post(&FromWorker::Exited { code }),
        (Err(e), None) => {
            post(&FromWorker::Failed { reason: FailureKind::Crash, message: crash_words(&describe(&e)) })
        }
    }
    // The callbacks must outlive callMain; they are dropped only now.
    drop((instantiate, pre_run, io));
}
