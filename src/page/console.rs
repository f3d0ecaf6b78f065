//! Wires the terminal, the line discipline and the Python session together.

use crate::logic::canvas_protocol::CanvasEvent;
use crate::logic::input_event;
use crate::logic::line_discipline::{Effect, LineDiscipline, LineStart, at_row_start_after};
use crate::logic::protocol::{BootConfig, FailureKind, Program, ReplKind, RunRequest};
use crate::logic::traceback::{self, ErrorLocation};
use crate::logic::workspace::WorkspaceFile;
use crate::page::output_decoder::OutputDecoder;
use crate::page::python_downloads::{Download, PythonDownloads};
use crate::page::session::{MirrorTaker, Mode, Session, SessionEvent};
use crate::page::text_input::TextInput;
use crate::page::timing;
use crate::page::xterm_ext::{self, FitAddon};
use crate::page::{history_store, page_url};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::render::{AnimationFrame, request_animation_frame};
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use xterm_js_rs::{Terminal, TerminalOptions, Theme};

/// Bytes received of one download, and its size when known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Transfer {
    pub received: u64,
    pub total: Option<u64>,
}

/// What the page shows about the interpreter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Downloading and compiling Python.
    Loading { wasm: Transfer, stdlib: Transfer },
    /// Python is running (at a prompt or busy).
    Ready,
    /// Python exited; Enter or the button restarts it.
    Exited(i32),
    /// Python could not start or crashed.
    Failed { kind: FailureKind, message: String },
}

impl Status {
    /// Loading, with nothing received yet.
    pub fn loading() -> Self {
        Self::Loading { wasm: Transfer::default(), stdlib: Transfer::default() }
    }
}

/// What the rest of the page hears from the console besides the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConsoleEvent {
    /// Python's first prompt is on screen: what waited so as not to delay it may load now.
    FirstPrompt,
    /// A program started by Run started (a fresh interpreter runs it).
    ProgramStarted,
    /// The program ended, at the prompt with its variables, or with the interpreter gone;
    /// `error` is where its traceback points in the file, if it ended with one.
    ProgramEnded { error: Option<ErrorLocation> },
    /// Python wrote or removed files in its working directory.
    FilesChanged { written: Vec<WorkspaceFile>, removed: Vec<String> },
    /// Python asks for a web page to be opened (`webbrowser.open`).
    OpenUrl(String),
    /// A fresh interpreter started (a previous one's drawing is gone with it).
    InterpreterStarted,
    /// Turtle graphics: a batch of drawing operations (JSON, see `canvas_protocol`).
    Drawing(String),
    /// A paste too large to type at the prompt of CPython's new REPL: the text, to keep.
    PasteTooLarge(String),
}

/// The workspace's files as they are now, for a new interpreter.
pub type FilesSource = Box<dyn Fn() -> Vec<WorkspaceFile>>;

/// A program being run: where its file is, and what it printed so far (for its traceback).
struct ProgramRun {
    path: String,
    output: Vec<u8>,
}

/// Most output kept to find a program's traceback in: its end is what matters.
const PROGRAM_OUTPUT_KEPT: usize = 256 * 1024;

/// Python's working directory (`layout.json`), where a program's file is written.
const WORKING_DIRECTORY: &str = "/home/user";

struct Inner {
    terminal: Terminal,
    fit: FitAddon,
    discipline: LineDiscipline,
    mode: Mode,
    session: Option<Session>,
    /// python.wasm and the core standard library, downloaded once for every worker.
    downloads: PythonDownloads,
    status: Status,
    on_status: Box<dyn Fn(Status)>,
    on_event: Box<dyn Fn(ConsoleEvent)>,
    files: FilesSource,
    /// Whether Python's first prompt has been shown.
    prompted: bool,
    /// The generation of interpreter wanted (see `word::RUN_GENERATION`).
    generation: u32,
    /// The program started by the latest run, until it ends.
    program: Option<ProgramRun>,
    /// An interpreter has started in this console (downloads are done).
    booted: bool,
    /// This generation's interpreter takes SIGINT as `KeyboardInterrupt` (its startup is
    /// past the point where a SIGINT would be lost).
    signals_ready: bool,
    /// xterm's `onData` subscription, disposed on drop, and the callback it calls.
    data_listener: Option<(xterm_js_rs::Disposable, DataCallback)>,
    /// Joins a surrogate pair that arrives split across two `onData` calls.
    utf16: input_event::Utf16Joiner,
    /// Python's output as text (one per interpreter: a character cut short by a restart is
    /// not joined to the next one's output).
    output: OutputDecoder,
    /// Keeps the mouse wheel from typing arrow keys on the alternate screen (xterm's way to
    /// scroll a full-screen program); removed with the terminal.
    _wheel_filter: WheelFilter,
    /// Typed text from the browser's committed input (after `terminal`'s disposal on drop).
    _text_input: Option<TextInput>,
    /// The restart that follows unless Python gets there first: after Ctrl+C in
    /// compatibility mode or Stop (unless Python takes the interrupt), after asking a waiting
    /// interpreter to give way (unless the new one starts). Dropping it cancels it.
    pending_restart: Option<Timeout>,
    /// Output writes handed to the terminal so far (wrapping): what is typed ahead is drawn
    /// again once the latest is on screen.
    output_writes: u32,
    /// The interactive prompt the next interpreter offers.
    repl: ReplKind,
    /// Whether Python's latest output ended a line (a prompt drawn after it starts a row).
    output_ends_line: bool,
    /// Takes the session's answers to typing from shared memory (see `message_mirror`).
    mirror: Option<MirrorTaker>,
    /// The animation frame that takes them, asked for at a key press.
    frame_take: Option<AnimationFrame>,
}

/// How long Python may take to reach a prompt after Ctrl+C in compatibility mode before it
/// counts as running code that only a restart stops.
const INTERRUPT_GRACE_MS: u32 = 1000;

/// How long an interpreter asked to give way (it waited for input) may take before its
/// worker is ended instead: a safety net, since a waiting one gives way at once (`make bench`
/// times Run to a program's first output), generous for a slow engine.
const GIVE_WAY_GRACE_MS: u32 = 3000;

/// What xterm calls with typed or pasted text: the JS string as it is (it may end in half a
/// surrogate pair, which a Rust `String` parameter would turn into U+FFFD).
type DataCallback = Closure<dyn FnMut(js_sys::JsString)>;
/// What xterm asks, for each wheel event, whether it may handle it.
type WheelFilter = Closure<dyn FnMut(JsValue) -> bool>;

/// What Restart and Run write before their banner, so that nothing a program did to the
/// terminal outlives it: back from the alternate screen (1047, which unlike 1049 restores
/// no saved cursor: there may be none), a soft reset (colours, cursor, modes), mouse
/// reporting off, and bracketed paste on again (the page's own setting).
const TERMINAL_RESET: &str = "\x1b[?1047l\x1b[!p\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004h";

/// How much of an output chunk's end is looked at to know whether it ended a row.
const OUTPUT_TAIL_SCANNED: u32 = 256;

/// xterm marks pastes (so that the line discipline runs them line by line, not typed).
const BRACKETED_PASTE_ON: &str = "\x1b[?2004h";

/// What goes before each interactive prompt, as a shell makes the terminal sane for its
/// prompt whatever a program left: attributes off (colours, concealed text), cursor shown,
/// the main screen, insert mode off, autowrap on, the ASCII character set. Nothing a program
/// wrote is changed: its output is on screen as written.
const PROMPT_RESET: &str = "\x1b[0m\x1b[?25h\x1b[?1047l\x1b[4l\x1b[?7h\x1b(B";

/// The REPL console: owns everything; dropping it stops Python and removes listeners.
pub struct Console {
    inner: Rc<RefCell<Inner>>,
    _resize: EventListener,
    /// Key presses, seen before xterm handles them (see `take_answers_at_next_frame`).
    _keys: EventListener,
}

const THEME: [(&str, &str); 3] =
    [("background", "#1e1e2e"), ("foreground", "#e6e6e6"), ("cursor", "#f5c542")];

/// Downloads the rest of the standard library in the background after the first prompt, so the
/// worker's synchronous fetch on the first import that needs it is served from the cache.
fn warm_http_cache(url: String) {
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(response) =
            wasm_bindgen_futures::JsFuture::from(gloo::utils::window().fetch_with_str(&url)).await
        else {
            return;
        };
        if let Ok(body) = response.unchecked_into::<web_sys::Response>().array_buffer() {
            let _ = wasm_bindgen_futures::JsFuture::from(body).await;
        }
    });
}

fn boot_config() -> BootConfig {
    BootConfig {
        module_url: page_url("python/python.mjs"),
        stdlib_extra_url: page_url("python/python313-extra.zip"),
        relay_url: None,
    }
}

impl Console {
    /// Opens a terminal in `parent` and starts downloading Python, reached as `mode` says
    /// (the interpreter starts at [`start_python`](Self::start_python)); reports the
    /// interpreter's status to `on_status`, and the first prompt and the programs' course to
    /// `on_event`.
    pub fn open(
        parent: web_sys::HtmlElement,
        mode: Mode,
        files: FilesSource,
        on_status: impl Fn(Status) + 'static,
        on_event: impl Fn(ConsoleEvent) + 'static,
    ) -> Self {
        let options = TerminalOptions::new();
        options.set_cursor_blink(true);
        options.set_font_size(15);
        options
            .set_font_family("ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace");
        options.set_scrollback(5000);
        // Python writes "\n"; a tty's ONLCR would make it "\r\n".
        options.set_convert_eol(true);
        let theme = Theme::new();
        for (key, value) in THEME {
            let _ = js_sys::Reflect::set(&theme, &key.into(), &value.into());
        }
        options.set_theme(&theme);
        // Python's big downloads first: they take longest, and the terminal needs none of them.
        let progress_to: Rc<RefCell<Weak<RefCell<Inner>>>> = Rc::default();
        let downloads = start_downloads(progress_to.clone());
        let terminal = Terminal::construct(Some(&options));
        let fit = FitAddon::new();
        xterm_ext::load_fit(&terminal, &fit);
        terminal.open(parent.clone());
        fit.fit();
        let text_input = TextInput::attach(&terminal, &parent);
        xterm_ext::write(&terminal, BRACKETED_PASTE_ON);
        terminal.focus();
        let cols = terminal.get_cols() as usize;
        let wheel_filter = {
            let terminal = shared_terminal(&terminal);
            WheelFilter::new(move |_| !xterm_ext::in_alternate_screen(&terminal))
        };
        xterm_ext::attach_custom_wheel_event_handler(&terminal, wheel_filter.as_ref().unchecked_ref());
        let inner = Rc::new(RefCell::new(Inner {
            terminal,
            fit,
            discipline: LineDiscipline::new(cols, history_store::load()),
            mode,
            session: None,
            downloads,
            status: Status::loading(),
            on_status: Box::new(on_status),
            on_event: Box::new(on_event),
            files,
            prompted: false,
            generation: 0,
            program: None,
            booted: false,
            signals_ready: false,
            data_listener: None,
            utf16: input_event::Utf16Joiner::default(),
            output: OutputDecoder::default(),
            _wheel_filter: wheel_filter,
            _text_input: text_input,
            pending_restart: None,
            output_writes: 0,
            repl: ReplKind::default(),
            output_ends_line: true,
            mirror: None,
            frame_take: None,
        }));
        *progress_to.borrow_mut() = Rc::downgrade(&inner);
        let weak = Rc::downgrade(&inner);
        let on_data = DataCallback::new(move |data: js_sys::JsString| {
            // Empty input is how writes are made to parse at once (see `xterm_ext::write`),
            // possibly while the console is borrowed.
            if data.length() == 0 {
                return;
            }
            if let Some(inner) = weak.upgrade() {
                let units: Vec<u16> = data.iter().collect();
                let text = inner.borrow_mut().utf16.push(&units);
                if !text.is_empty() {
                    on_input(&inner, &text);
                }
            }
        });
        {
            let mut state = inner.borrow_mut();
            let listener = state.terminal.on_data(on_data.as_ref().unchecked_ref());
            state.data_listener = Some((listener, on_data));
        }
        let weak = Rc::downgrade(&inner);
        let resize = EventListener::new(&gloo::utils::window(), "resize", move |_| {
            if let Some(inner) = weak.upgrade() {
                fit_terminal(&inner);
            }
        });
        let weak = Rc::downgrade(&inner);
        let keys = EventListener::new_with_options(
            &parent,
            "keydown",
            EventListenerOptions::run_in_capture_phase(),
            move |_| {
                if let Some(inner) = weak.upgrade() {
                    take_answers_at_next_frame(&inner);
                }
            },
        );
        start_session(&inner, 0);
        Self { inner, _resize: resize, _keys: keys }
    }

    /// Starts the first interpreter (Python downloads from [`open`](Self::open) on and
    /// waits for this) with `files`. With `kept_workspace_follows`, the page is still reading
    /// the workspace kept in the browser: Python starts without it, and what is typed waits
    /// for [`deliver_kept_workspace`](Self::deliver_kept_workspace).
    pub fn start_python(&self, files: Vec<WorkspaceFile>, kept_workspace_follows: bool) {
        let state = self.inner.borrow();
        let run = run_request(&state, None, files);
        if let Some(session) = &state.session {
            session.run(run, kept_workspace_follows);
        }
    }

    /// The workspace kept in the browser, now read: into Python's directory before it reads
    /// its first line (see [`start_python`](Self::start_python)).
    pub fn deliver_kept_workspace(&self, files: Vec<WorkspaceFile>) {
        if let Some(session) = &self.inner.borrow().session {
            session.deliver_kept_workspace(files);
        }
    }

    /// The student changed the workspace: the running interpreter's directory follows (at
    /// its next prompt or `input()`); a later one starts with every file anyway.
    pub fn push_workspace(&self, written: Vec<WorkspaceFile>, removed: &[String]) {
        if let Some(session) = &self.inner.borrow().session {
            session.push_workspace(written, removed);
        }
    }

    /// Which interactive prompt interpreters offer from the next one on (before the first
    /// starts: the first too).
    pub fn set_repl(&self, repl: ReplKind) {
        self.inner.borrow_mut().repl = repl;
    }

    /// A fresh interpreter at the prompt, without running the file ("New REPL", Restart).
    pub fn restart(&self) {
        restart(&self.inner, None);
    }

    /// Runs `program` as `__main__` in a fresh interpreter, then its prompt.
    pub fn run(&self, program: Program) {
        restart(&self.inner, Some(program));
    }

    /// Stops the running program: KeyboardInterrupt, and a fresh interpreter when that has
    /// not stopped it within a second. A program whose interpreter is still starting (where
    /// a SIGINT would be lost) gives way to a fresh interpreter at once.
    pub fn stop(&self) {
        if !self.inner.borrow().signals_ready {
            xterm_ext::write(
                &self.inner.borrow().terminal,
                "^C\r\n\x1b[33mStopped before the program started.\x1b[0m",
            );
            restart(&self.inner, None);
            return;
        }
        handle_key(&self.inner, input_event::Key::Interrupt);
        let weak = Rc::downgrade(&self.inner);
        let timer = Timeout::new(INTERRUPT_GRACE_MS, move || {
            let Some(inner) = weak.upgrade() else { return };
            xterm_ext::write(
                &inner.borrow().terminal,
                "\r\n\x1b[33mThe program did not stop at KeyboardInterrupt, so Python restarts \
                 (its variables are gone).\x1b[0m",
            );
            restart(&inner, None);
        });
        self.inner.borrow_mut().pending_restart = Some(timer);
    }

    /// Sends a turtle graphics event (a click, a key, a dialog's answer) to Python.
    pub fn send_canvas_event(&self, event: &CanvasEvent) {
        if let Some(session) = &self.inner.borrow().session {
            session.send_canvas_event(event);
        }
    }

    /// Clears the terminal (the prompt line stays).
    pub fn clear(&self) {
        self.inner.borrow().terminal.clear();
    }

    /// Gives the terminal the keyboard.
    pub fn focus(&self) {
        self.inner.borrow().terminal.focus();
    }

    /// The terminal's size changed (its pane was resized): fit the terminal to it.
    pub fn fit(&self) {
        fit_terminal(&self.inner);
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let mut state = self.inner.borrow_mut();
        if let Some((listener, _callback)) = state.data_listener.take() {
            listener.dispose();
        }
        state.session = None;
        state.mirror = None;
        state.terminal.dispose();
    }
}

fn set_status(inner: &Rc<RefCell<Inner>>, status: Status) {
    let mut state = inner.borrow_mut();
    state.status = status.clone();
    (state.on_status)(status);
}

fn fit_terminal(inner: &Rc<RefCell<Inner>>) {
    let mut state = inner.borrow_mut();
    state.fit.fit();
    let (rows, cols) = (state.terminal.get_rows(), state.terminal.get_cols());
    state.discipline.set_cols(cols as usize);
    if let Some(session) = &state.session {
        session.resize(rows, cols);
    }
}

/// Starts Python's downloads; their progress goes to the console `progress_to` holds.
fn start_downloads(progress_to: Rc<RefCell<Weak<RefCell<Inner>>>>) -> PythonDownloads {
    let on_progress = move |download, received, total| {
        if let Some(inner) = progress_to.borrow().upgrade() {
            on_download_progress(&inner, download, Transfer { received, total });
        }
    };
    PythonDownloads::start(Rc::new(on_progress))
}

fn on_download_progress(inner: &Rc<RefCell<Inner>>, download: Download, transfer: Transfer) {
    let status = inner.borrow().status.clone();
    if let Status::Loading { mut wasm, mut stdlib } = status {
        match download {
            Download::Wasm => wasm = transfer,
            Download::Stdlib => stdlib = transfer,
        }
        set_status(inner, Status::Loading { wasm, stdlib });
    }
}

/// A new worker, given Python once it is downloaded; its interpreter starts at the
/// session's first run.
fn start_session(inner: &Rc<RefCell<Inner>>, generation: u32) {
    set_status(inner, Status::loading());
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(inner);
    // A failed download is tried again with the new worker.
    if inner.borrow().downloads.failed() {
        let downloads = start_downloads(Rc::new(RefCell::new(weak.clone())));
        inner.borrow_mut().downloads = downloads;
    }
    let (mode, rows, cols, downloads) = {
        let state = inner.borrow();
        (state.mode, state.terminal.get_rows(), state.terminal.get_cols(), state.downloads.clone())
    };
    let session = Session::start(boot_config(), &downloads, generation, mode, rows, cols, move |event| {
        if let Some(inner) = weak.upgrade() {
            on_session_event(&inner, event);
        }
    });
    match session {
        Ok(session) => {
            let mut state = inner.borrow_mut();
            state.mirror = session.mirror_taker();
            state.session = Some(session);
        }
        Err(error) => {
            set_status(inner, Status::Failed { kind: FailureKind::Download, message: error.to_string() });
        }
    }
}

/// A key is pressed: Python's answer to it (an echo, a redraw, the next prompt) is taken
/// from shared memory at the next animation frame and drawn in that frame. Chromium runs no
/// task after a key press (the worker's message included) until that frame is drawn, so the
/// posted answer would show a frame later (see `message_mirror`).
fn take_answers_at_next_frame(inner: &Rc<RefCell<Inner>>) {
    // A key the page itself dispatched while busy with the console needs no frame of its own.
    let Ok(mut state) = inner.try_borrow_mut() else { return };
    // During a paste's delivery a key waits for it, and the answers are the paste's: taken
    // in frames they would crowd out the page's other work.
    if state.frame_take.is_some() || state.mirror.is_none() || state.discipline.pasting() {
        return;
    }
    let weak = Rc::downgrade(inner);
    state.frame_take = Some(request_animation_frame(move |_| {
        let Some(inner) = weak.upgrade() else { return };
        let mirror = {
            let mut state = inner.borrow_mut();
            state.frame_take = None;
            state.mirror.clone()
        };
        if let Some(mirror) = mirror {
            xterm_ext::parsing_writes_at_once(|| mirror.take());
        }
    }));
    // xterm draws in an animation frame callback of its own: asked for after ours, it runs
    // after ours and draws what ours wrote.
    xterm_ext::redraw_cursor_row_at_next_frame(&state.terminal);
}

/// How a fresh interpreter starts.
enum Way {
    /// In the session's worker: the old interpreter exited or gives way at its next wait;
    /// a new worker after the delay unless the new interpreter started by then.
    InPlace { unless_started_within: Option<u32> },
    /// A new worker (the old one is busy, crashed or gone).
    NewWorker,
}

/// Starts a fresh interpreter that runs `program` first, if there is one. One that exited
/// restarts in its worker at once, and one that waits for input gives way there (what the
/// browser compiled and optimised is kept); a busy or crashed one loses its worker.
fn restart(inner: &Rc<RefCell<Inner>>, program: Option<Program>) {
    // A program still running is cut short: the editor hears it ended (its output so far
    // points nowhere: it did not end with a traceback).
    if inner.borrow_mut().program.take().is_some() {
        (inner.borrow().on_event)(ConsoleEvent::ProgramEnded { error: None });
    }
    let run = {
        let mut state = inner.borrow_mut();
        state.pending_restart = None;
        state.generation = state.generation.wrapping_add(1);
        state.signals_ready = false;
        let banner = match &program {
            Some(p) => format!("{TERMINAL_RESET}\r\n\x1b[2m--- running {} ---\x1b[0m\r\n", p.name),
            None => format!("{TERMINAL_RESET}\r\n\x1b[2m--- restarting Python ---\x1b[0m\r\n"),
        };
        xterm_ext::write(&state.terminal, &banner);
        state.output = OutputDecoder::default();
        state.program = program
            .as_ref()
            .map(|p| ProgramRun { path: format!("{WORKING_DIRECTORY}/{}", p.name), output: Vec::new() });
        let files = (state.files)();
        run_request(&state, program, files)
    };
    let running_program = run.program.is_some();
    let way = {
        let state = inner.borrow();
        match (&state.status, state.session.is_some()) {
            (Status::Failed { .. }, _) | (_, false) => Way::NewWorker,
            (Status::Exited(_), true) => Way::InPlace { unless_started_within: None },
            // Still downloading: the first interpreter honours the generation when it starts.
            (Status::Loading { .. }, true) if !state.booted => Way::InPlace { unless_started_within: None },
            (Status::Loading { .. }, true) => Way::InPlace { unless_started_within: Some(GIVE_WAY_GRACE_MS) },
            (Status::Ready, true) if state.discipline.python_waiting() => {
                Way::InPlace { unless_started_within: Some(GIVE_WAY_GRACE_MS) }
            }
            (Status::Ready, true) => Way::NewWorker,
        }
    };
    match way {
        Way::InPlace { unless_started_within } => {
            set_status(inner, Status::loading());
            if let Some(session) = &inner.borrow().session {
                session.run(run.clone(), false);
            }
            // An interpreter that does not come back to wait never gives way: then its
            // worker goes.
            if let Some(ms) = unless_started_within {
                let weak = Rc::downgrade(inner);
                let timer = Timeout::new(ms, move || {
                    if let Some(inner) = weak.upgrade() {
                        replace_session(&inner, run);
                    }
                });
                inner.borrow_mut().pending_restart = Some(timer);
            }
        }
        Way::NewWorker => replace_session(inner, run),
    }
    {
        let mut state = inner.borrow_mut();
        state.discipline = LineDiscipline::new(state.terminal.get_cols() as usize, history_store::load());
        state.terminal.focus();
    }
    if running_program {
        (inner.borrow().on_event)(ConsoleEvent::ProgramStarted);
    }
}

/// What the interpreter of `state`'s current generation starts with: `program` first, if
/// any, the workspace's `files`, the chosen prompt, and for PyREPL (which reads it from a
/// file; the basic REPL's history is the line discipline's) the history.
fn run_request(state: &Inner, program: Option<Program>, files: Vec<WorkspaceFile>) -> RunRequest {
    let history = match state.repl {
        ReplKind::PyRepl => state.discipline.history().entries().to_vec(),
        ReplKind::Basic => Vec::new(),
    };
    RunRequest { generation: state.generation, program, files, changes_taken: 0, repl: state.repl, history }
}

/// Ends the session's worker and starts another that runs `run`.
fn replace_session(inner: &Rc<RefCell<Inner>>, run: RunRequest) {
    {
        let mut state = inner.borrow_mut();
        state.pending_restart = None;
        state.session = None;
        state.mirror = None;
    }
    start_session(inner, run.generation);
    if let Some(session) = &inner.borrow().session {
        session.run(run, false);
    }
}

/// The interpreter now takes SIGINT as `KeyboardInterrupt`.
fn signals_ready(inner: &Rc<RefCell<Inner>>) {
    let mut state = inner.borrow_mut();
    // Not from an interpreter before the one wanted (the wanted one has not started yet).
    if matches!(state.status, Status::Ready) {
        state.signals_ready = true;
    }
}

/// The program ended: says where its traceback points, if it ended with one.
fn program_ended(inner: &Rc<RefCell<Inner>>) {
    let Some(run) = inner.borrow_mut().program.take() else { return };
    let error = traceback::locate(&String::from_utf8_lossy(&run.output), &run.path);
    (inner.borrow().on_event)(ConsoleEvent::ProgramEnded { error });
}

fn on_input(inner: &Rc<RefCell<Inner>>, data: &str) {
    let status = inner.borrow().status.clone();
    match status {
        Status::Exited(_) | Status::Failed { .. } => {
            if input_event::parse(data).contains(&input_event::Key::Enter) {
                restart(inner, None);
            }
            return;
        }
        Status::Loading { .. } | Status::Ready => {}
    }
    let raw = {
        let mut state = inner.borrow_mut();
        (!state.discipline.modes().canonical).then(|| state.discipline.raw_input(data))
    };
    match raw {
        Some(effects) => apply(inner, effects),
        None => {
            for key in input_event::parse(data) {
                handle_key(inner, key);
            }
        }
    }
}

fn handle_key(inner: &Rc<RefCell<Inner>>, key: input_event::Key) {
    let effects = {
        let mut state = inner.borrow_mut();
        if state.discipline.needs_line_start() {
            let (col, prompt) = xterm_ext::cursor_line(&state.terminal);
            state.discipline.set_line_start(LineStart { col: col as usize, prompt });
        }
        state.discipline.handle(key)
    };
    apply(inner, effects);
}

/// Carries out what the line discipline decided, and saves the history when it changed.
fn apply(inner: &Rc<RefCell<Inner>>, effects: Vec<Effect>) {
    let mut restart_unless_waiting = false;
    let mut too_large = Vec::new();
    {
        let mut state = inner.borrow_mut();
        if let Some(history) = state.discipline.take_history_change() {
            history_store::save(history);
        }
        for effect in effects {
            match (effect, &state.session) {
                (Effect::Echo(text), _) => xterm_ext::write(&state.terminal, &text),
                (Effect::Submit(line), Some(session)) => session.send_input(&line),
                // Compatibility mode reaches Python only when it waits (for input, in a sleep,
                // for output to render): running code may get there soon, or never.
                (Effect::Interrupt { python_was_waiting }, Some(session)) => {
                    session.interrupt();
                    restart_unless_waiting |= !python_was_waiting && session.mode() == Mode::Compatibility;
                }
                (Effect::EndOfFile, Some(session)) => session.end_of_file(),
                (Effect::PasteTooLarge(text), _) => too_large.push(text),
                (_, None) => {}
            }
        }
    }
    for text in too_large {
        (inner.borrow().on_event)(ConsoleEvent::PasteTooLarge(text));
    }
    if restart_unless_waiting {
        let weak = Rc::downgrade(inner);
        let timer = Timeout::new(INTERRUPT_GRACE_MS, move || {
            let Some(inner) = weak.upgrade() else { return };
            xterm_ext::write(
                &inner.borrow().terminal,
                "\r\n\x1b[33mKeyboardInterrupt: in compatibility mode running code cannot be stopped, \
                 so Python restarts (your variables are gone).\x1b[0m",
            );
            restart(&inner, None);
        });
        inner.borrow_mut().pending_restart = Some(timer);
    }
}

/// Python asks for input: deliver the next pasted line, or else the keys held during a paste.
fn on_input_wanted(inner: &Rc<RefCell<Inner>>) {
    let effects = inner.borrow_mut().discipline.input_wanted();
    if !effects.is_empty() {
        apply(inner, effects);
        return;
    }
    // The paste is done and Python asks again: now the keys typed meanwhile.
    let deferred = inner.borrow_mut().discipline.take_deferred();
    for key in deferred {
        handle_key(inner, key);
    }
}

/// Another handle on the same xterm.js terminal, to use once the console is no longer borrowed.
fn shared_terminal(terminal: &Terminal) -> Terminal {
    JsValue::from(terminal).unchecked_into()
}

/// Writes `text` (output, or a line Python read) while what is typed ahead is off the screen;
/// `then` runs once it is on screen. Not while the console is borrowed: right after typing,
/// xterm writes at once and calls back before `write` returns.
fn write_before_typed_ahead(
    inner: &Rc<RefCell<Inner>>,
    text: &js_sys::JsString,
    then: impl FnOnce() + 'static,
) {
    let (terminal, write) = {
        let mut state = inner.borrow_mut();
        state.output_writes = state.output_writes.wrapping_add(1);
        (shared_terminal(&state.terminal), state.output_writes)
    };
    let weak = Rc::downgrade(inner);
    let done = Closure::once_into_js(move || {
        then();
        if let Some(inner) = weak.upgrade() {
            output_written(&inner, write);
        }
    });
    xterm_ext::write_text_then(&terminal, text, done.unchecked_ref());
}

/// Write number `write` is on screen: if it is the latest, what is typed ahead is drawn
/// again after it, where the output left the cursor.
fn output_written(inner: &Rc<RefCell<Inner>>, write: u32) {
    let mut state = inner.borrow_mut();
    if state.output_writes != write {
        return; // more output follows: drawn after that
    }
    let (col, prompt) = xterm_ext::cursor_line(&state.terminal);
    let redraw = state.discipline.redraw_typed_ahead(LineStart { col: col as usize, prompt });
    let terminal = shared_terminal(&state.terminal);
    drop(state);
    if !redraw.is_empty() {
        xterm_ext::write(&terminal, &redraw);
    }
}

fn on_session_event(inner: &Rc<RefCell<Inner>>, event: SessionEvent) {
    match event {
        SessionEvent::Started { generation } => {
            {
                let mut state = inner.borrow_mut();
                if generation != state.generation {
                    return; // one the page no longer wants; the wanted one follows
                }
                state.pending_restart = None;
                if !std::mem::replace(&mut state.booted, true) {
                    timing::mark("boot: interpreter started");
                }
            }
            set_status(inner, Status::Ready);
            (inner.borrow().on_event)(ConsoleEvent::InterpreterStarted);
        }
        SessionEvent::Drawing(ops) => (inner.borrow().on_event)(ConsoleEvent::Drawing(ops)),
        SessionEvent::OpenUrl(url) => (inner.borrow().on_event)(ConsoleEvent::OpenUrl(url)),
        SessionEvent::FilesChanged { written, removed } => {
            (inner.borrow().on_event)(ConsoleEvent::FilesChanged { written, removed });
        }
        SessionEvent::SignalsReady => signals_ready(inner),
        SessionEvent::ReplStarted => {
            // The program ended (or was stopped) and its prompt begins.
            inner.borrow_mut().pending_restart = None;
            signals_ready(inner);
            program_ended(inner);
        }
        SessionEvent::InputWanted => {
            signals_ready(inner); // a read is interruptible, whether or not sitecustomize said so
            {
                let mut state = inner.borrow_mut();
                if matches!(state.status, Status::Ready) {
                    // Python reached a prompt: it took the interrupt, no restart is needed.
                    state.pending_restart = None;
                    if state.program.is_some() {
                        // The program reads: the keyboard goes to the terminal.
                        state.terminal.focus();
                    }
                }
            }
            on_input_wanted(inner);
            if !std::mem::replace(&mut inner.borrow_mut().prompted, true) {
                timing::mark("boot: first prompt");
                (inner.borrow().on_event)(ConsoleEvent::FirstPrompt);
                // Not before: the first prompt needs none of it.
                warm_http_cache(boot_config().stdlib_extra_url);
            }
        }
        SessionEvent::LineRead => {
            let line = inner.borrow_mut().discipline.line_read();
            if let Some(line) = line {
                write_before_typed_ahead(inner, &line.into(), || {});
            }
        }
        SessionEvent::TerminalModes(modes) => {
            let effects = inner.borrow_mut().discipline.set_modes(modes);
            apply(inner, effects);
            if modes.canonical {
                // PyREPL turns bracketed paste off when it hands the terminal back; the line
                // discipline runs pastes line by line with it.
                xterm_ext::write(&inner.borrow().terminal, BRACKETED_PASTE_ON);
            }
        }
        SessionEvent::Prompt => {
            let state = inner.borrow();
            // A prompt drawn by the program itself (PyREPL) starts at the row's start, over
            // output left without a newline: it goes on the next row, as shells make sure.
            if !state.discipline.modes().canonical && !state.output_ends_line {
                xterm_ext::write(&state.terminal, "\r\n");
            }
            xterm_ext::write(&state.terminal, PROMPT_RESET);
        }
        SessionEvent::History(entries) => {
            let mut state = inner.borrow_mut();
            state.discipline.add_history(&entries);
            if let Some(history) = state.discipline.take_history_change() {
                history_store::save(history);
            }
        }
        SessionEvent::Output(chunk) => {
            let mut state = inner.borrow_mut();
            let Some(acker) = state.session.as_ref().map(Session::output_acker) else { return };
            state.discipline.output_arrived();
            // Its end is enough (output can be megabytes); a long chunk's start is unknown.
            let (len, tail) = (chunk.0.length(), OUTPUT_TAIL_SCANNED);
            let before = state.output_ends_line && len <= tail;
            let end = chunk.0.subarray(len.saturating_sub(tail), len).to_vec();
            state.output_ends_line = at_row_start_after(before, &end);
            // What is typed ahead leaves the screen while the output is written, and comes
            // back after it (see `redraw_typed_ahead`).
            if let Some(erase) = state.discipline.hide_typed_ahead() {
                xterm_ext::write(&state.terminal, &erase);
            }
            if let Some(run) = state.program.as_mut() {
                let start = run.output.len();
                run.output.resize(start + chunk.len() as usize, 0);
                chunk.0.copy_to(&mut run.output[start..]);
                if run.output.len() > PROGRAM_OUTPUT_KEPT {
                    run.output.drain(..run.output.len() - PROGRAM_OUTPUT_KEPT);
                }
            }
            let len = chunk.len();
            let text = state.output.decode(&chunk.0);
            drop(state);
            write_before_typed_ahead(inner, &text, move || acker.rendered(len));
        }
        SessionEvent::Exited(code) => {
            inner.borrow_mut().pending_restart = None;
            xterm_ext::write(
                &inner.borrow().terminal,
                &format!(
                    "\r\n\x1b[33mPython exited (status {code}). Press Enter or click Restart to start again.\x1b[0m\r\n"
                ),
            );
            set_status(inner, Status::Exited(code));
            program_ended(inner);
        }
        SessionEvent::Failed(kind, message) => {
            inner.borrow_mut().pending_restart = None;
            let advice = match kind {
                FailureKind::Download => "Check your connection, then press Enter or click Restart to retry.",
                FailureKind::Corrupt => {
                    "The Python files look damaged; press Enter or click Restart to download them again."
                }
                FailureKind::Crash => {
                    "Press Enter or click Restart for a fresh Python (your variables are gone)."
                }
                FailureKind::Disconnected => {
                    "Press Enter or click Restart to start a new interpreter (reload the page if that fails)."
                }
            };
            xterm_ext::write(
                &inner.borrow().terminal,
                &format!("\r\n\x1b[31m{message}\r\n{advice}\x1b[0m\r\n"),
            );
            set_status(inner, Status::Failed { kind, message });
            program_ended(inner);
        }
    }
}
