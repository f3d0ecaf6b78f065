//! Browser tests (wasm-bindgen-test in headless Chromium): the shared region over a real
//! SharedArrayBuffer with Atomics, as page and worker use it, first on one thread, then with a
//! real worker thread that blocks in `Atomics.wait` and polls the signal byte as CPython does.
//!
//! wasm-bindgen-test-runner serves the test page with the COOP and COEP headers (unless
//! `WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION` is set), so it is cross-origin isolated and
//! SharedArrayBuffer exists.
#![cfg(target_arch = "wasm32")]

use futures::StreamExt;
use futures::channel::mpsc;
use futures::future::{Either, select};
use gloo::timers::future::TimeoutFuture;
use js_sys::{Array, Atomics, Date, Object, Reflect, SharedArrayBuffer};
use py_repl_web::logic::protocol::FromWorker;
use py_repl_web::logic::shared_memory::{self, Ring, SharedCells, word};
use py_repl_web::page_and_worker::shared_region::SharedRegion;
use py_repl_web::worker::page_link::{PageLink, SharedLink};
use py_repl_web::worker::port::post;
use py_repl_web::worker::tty_bridge::TtyBridge;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
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

// ---- Across threads: a real worker over the same buffer -------------------------------------

/// This test binary's JS glue, by the name wasm-bindgen-test-runner serves it beside the page.
/// A worker imports it to run one of this file's exported functions (which call the worker's
/// own code) on its own thread.
const TEST_GLUE: &str = "wasm-bindgen-test.js";

/// The worker's script: it loads the glue over the page's compiled module (under the runner
/// the glue has no default address for its wasm), runs the function it is told to over the
/// buffer, and reports as the real worker reports an interpreter: the function's result as
/// `Exited`, a throw (a panic is one) as `Failed`.
const WORKER_SCRIPT: &str = r#"
self.onmessage = async ({ data: { glue, wasm, run, buffer, argument } }) => {
  try {
    const module = await import(glue);
    await module.default({ module_or_path: wasm });
    self.postMessage({ type: "Exited", code: module[run](buffer, argument) });
  } catch (error) {
    self.postMessage({ type: "Failed", reason: "Crash", message: String(error?.stack ?? error) });
  }
};
"#;

/// How long the page waits for any one message from the worker before the test fails: well
/// within the runner's limit for the whole file (`WASM_BINDGEN_TEST_TIMEOUT`, 20 s), so a
/// worker that never wakes fails its own test with a message instead of the whole run.
const ANSWER_MS: u32 = 5_000;

/// A worker thread running one exported function of this file.
struct TestWorker {
    worker: web_sys::Worker,
    script_url: String,
    messages: mpsc::UnboundedReceiver<Result<FromWorker, String>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(JsValue)>,
}

impl TestWorker {
    /// Starts a module worker that calls the exported function `run(buffer, argument)`.
    fn start(run: &str, buffer: &SharedArrayBuffer, argument: u32) -> Self {
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/javascript");
        let blob =
            web_sys::Blob::new_with_str_sequence_and_options(&Array::of1(&WORKER_SCRIPT.into()), &options)
                .expect("a blob of the worker's script");
        let script_url = web_sys::Url::create_object_url_with_blob(&blob).expect("a blob URL");
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options(&script_url, &options).expect("a module worker");

        let (sender, messages) = mpsc::unbounded();
        let to_test = sender.clone();
        let on_message =
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let message = serde_wasm_bindgen::from_value(event.data()).map_err(|e| e.to_string());
                let _ = to_test.unbounded_send(message);
            });
        // A module worker that fails to load fires a plain Event, not an ErrorEvent.
        let on_error = Closure::<dyn FnMut(JsValue)>::new(move |event: JsValue| {
            let message = Reflect::get(&event, &"message".into()).ok().and_then(|m| m.as_string());
            let _ = sender.unbounded_send(Err(message.unwrap_or_else(|| "its script did not load".into())));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));

        let page = web_sys::window().expect("a page").location().href().expect("the page's address");
        let glue = web_sys::Url::new_with_base(TEST_GLUE, &page).expect("the glue's address").href();
        let start = Object::new();
        for (key, value) in [
            ("glue", JsValue::from(glue)),
            ("wasm", wasm_bindgen::module()),
            ("run", run.into()),
            ("buffer", buffer.clone().into()),
            ("argument", argument.into()),
        ] {
            Reflect::set(&start, &key.into(), &value).expect("a plain object takes a property");
        }
        worker.post_message(&start).expect("the shared buffer goes to the worker");
        Self { worker, script_url, messages, _on_message: on_message, _on_error: on_error }
    }

    /// The worker's next message; the test fails (and the worker ends) when `what` does not
    /// come within [`ANSWER_MS`] or the worker failed.
    async fn next(&mut self, what: &str) -> FromWorker {
        let outcome = match select(self.messages.next(), TimeoutFuture::new(ANSWER_MS)).await {
            Either::Left((Some(Ok(message)), _)) => return message,
            Either::Left((Some(Err(problem)), _)) => format!("the worker failed: {problem}"),
            Either::Left((None, _)) => "the worker's messages ended".to_owned(),
            Either::Right(_) => format!("no answer within {ANSWER_MS} ms"),
        };
        self.fail(&format!("waiting for {what}: {outcome}"))
    }

    /// Fails unless the worker's next message is `wanted`.
    async fn expect(&mut self, what: &str, wanted: FromWorker) {
        let message = self.next(what).await;
        if message != wanted {
            self.fail(&format!("waiting for {what}: {message:?} came instead of {wanted:?}"));
        }
    }

    /// Ends the worker, then the test (a panic aborts: `Drop` would not run).
    #[track_caller]
    fn fail(&self, why: &str) -> ! {
        self.worker.terminate();
        panic!("{why}");
    }
}

impl Drop for TestWorker {
    fn drop(&mut self) {
        self.worker.terminate();
        let _ = web_sys::Url::revoke_object_url(&self.script_url);
    }
}

/// Runs in the worker: Python's blocking stdin read (the worker's own [`TtyBridge`] over its
/// [`SharedLink`]) up to `reads` times, each line read posted back to the page as output.
/// Returns how many reads returned before one was cut short (by Ctrl+C).
#[wasm_bindgen]
pub fn worker_reads_stdin(buffer: SharedArrayBuffer, reads: u32) -> u32 {
    let bridge = TtyBridge::new(Rc::new(SharedLink::new(SharedRegion::from_buffer(buffer))), 0, 0);
    for done in 0..reads {
        let no_workspace_changes = |_: &str| -> Result<(), String> { Ok(()) };
        let Some(bytes) = bridge.read(4096, &no_workspace_changes) else { return done };
        post(&FromWorker::Output { bytes });
    }
    reads
}

#[wasm_bindgen_test]
async fn a_worker_blocked_on_stdin_is_woken_by_the_page_for_each_line_and_for_ctrl_c() {
    let page = region();
    let lines = ["print('Élève')\n", "x = 1\n", "\n"];
    let mut worker = TestWorker::start("worker_reads_stdin", page.buffer(), lines.len() as u32 + 1);
    let mut woken = 0;
    for line in lines {
        worker.expect("a request for input", FromWorker::InputWanted { inputs_seen: 0 }).await;
        // The request is posted just before the read blocks: by now it is in Atomics.wait.
        TimeoutFuture::new(50).await;
        assert_eq!(Ring::new(&page).push(line.as_bytes()), line.len());
        woken += page.wake();
        // A canonical read takes one whole line, and says so (the page's transcript needs it).
        worker.expect("the line's read reported", FromWorker::LineRead).await;
        worker.expect("the line read back", FromWorker::Output { bytes: line.as_bytes().to_vec() }).await;
    }
    worker.expect("a request for input", FromWorker::InputWanted { inputs_seen: 0 }).await;
    TimeoutFuture::new(50).await;
    page.raise_sigint();
    worker.expect("the read cut short by Ctrl+C", FromWorker::Exited { code: lines.len() as i32 }).await;
    // The read fails with EINTR and leaves the signal to CPython, which takes it then: a read
    // that cleared it would leave Python nothing to raise KeyboardInterrupt for.
    assert!(page.signal_pending(), "the interrupted read must leave the signal byte set");
    // A line may find the worker not yet asleep (it then reads it without waiting), but not
    // every one of them: none woken means the worker never blocked in Atomics.wait.
    assert!(woken >= 1, "no wake found the worker waiting in Atomics.wait");
}

/// How many Ctrl+C the page raises in the signal test (a poll that reads, then clears, lost
/// about a third of them when tried).
const INTERRUPTS: u32 = 300;

/// Runs in the worker, standing in for CPython's eval loop: polls the signal byte the worker
/// hands CPython (`SharedLink::signal_buffer`, which becomes `Module.Py_EmscriptenSignalBuffer`)
/// as fast as it can, taking each signal the way CPython's patched poll does
/// (`python-dist/patches/emscripten-signal-exchange.patch`: one `Atomics.exchange(buffer, 0,
/// 0)`), until the page wants a newer interpreter (as the real one gives way). Returns how
/// many SIGINTs it took.
#[wasm_bindgen]
pub fn worker_takes_interrupts(buffer: SharedArrayBuffer) -> u32 {
    let link = SharedLink::new(SharedRegion::from_buffer(buffer));
    let signal = link.signal_buffer();
    post(&FromWorker::SignalsReady);
    let mut taken = 0;
    while link.run_generation() == Some(0) {
        // CPython wraps this in try/catch and reads a throw as "no signal": it must not throw.
        match Atomics::exchange(&signal, 0, 0) {
            Ok(0) => {}
            Ok(signal) if signal == i32::from(shared_memory::SIGINT) => taken += 1,
            other => panic!("the signal byte held {other:?}"),
        }
    }
    taken
}

#[wasm_bindgen_test]
async fn no_ctrl_c_is_lost_while_the_worker_polls_and_clears_the_signal_byte() {
    let page = region();
    let mut worker = TestWorker::start("worker_takes_interrupts", page.buffer(), 0);
    worker.expect("the worker polling", FromWorker::SignalsReady).await;
    // Each Ctrl+C lands while the worker polls: a poll that reads, then clears in a second
    // step, wipes one stored between the two, and the count falls short.
    for round in 0..INTERRUPTS {
        page.raise_sigint();
        // The page's thread may not block in Atomics.wait: it spins until the worker took it.
        let deadline = Date::now() + 2_000.0;
        while page.signal_pending() {
            if Date::now() > deadline {
                worker.fail(&format!("Ctrl+C number {round} was never taken from the signal byte"));
            }
        }
    }
    // Its signal to stop: the page wants the next interpreter.
    page.store(word::RUN_GENERATION, 1);
    page.wake();
    let taken = match worker.next("the count of interrupts taken").await {
        FromWorker::Exited { code } => code,
        other => worker.fail(&format!("the worker answered {other:?}")),
    };
    assert_eq!(taken, INTERRUPTS as i32, "{} of {INTERRUPTS} Ctrl+C were lost", INTERRUPTS as i32 - taken);
}

// ---- index.html's early start names what the app takes over ---------------------------------

#[wasm_bindgen_test]
fn index_html_starts_the_worker_and_downloads_the_app_takes_over() {
    use py_repl_web::page::early_boot::{CORE_PATH, WASM_PATH, WORKER_SCRIPT};
    let html = include_str!("../index.html");
    for wanted in [
        format!("new Worker(\"{WORKER_SCRIPT}\""),
        format!("wasm: fetch(\"{WASM_PATH}\")"),
        format!("core: fetch(\"{CORE_PATH}\")"),
        "self.pythonBoot = ".to_owned(),
    ] {
        assert!(html.contains(&wanted), "index.html's inline script has no {wanted}");
    }
}
