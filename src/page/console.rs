//! Wires the terminal, the line discipline and the Python session together.

use crate::logic::input_event;
use crate::logic::line_discipline::{Effect, LineDiscipline, LineStart};
use crate::logic::protocol::{BootConfig, Download, FailureKind};
use crate::page::session::{Mode, Session, SessionEvent};
use crate::page::text_input::TextInput;
use crate::page::xterm_ext::{self, FitAddon};
use crate::page::{history_store, page_url};
use gloo::events::EventListener;
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

struct Inner {
    terminal: Terminal,
    fit: FitAddon,
    discipline: LineDiscipline,
    mode: Mode,
    session: Option<Session>,
    status: Status,
    on_status: Box<dyn Fn(Status)>,
    /// xterm's `onData` subscription, disposed on drop, and the callback it calls.
    data_listener: Option<(xterm_js_rs::Disposable, DataCallback)>,
    /// Joins a surrogate pair that arrives split across two `onData` calls.
    utf16: input_event::Utf16Joiner,
    /// Typed text from the browser's committed input (after `terminal`'s disposal on drop).
    _text_input: Option<TextInput>,
    /// Compatibility mode, Ctrl+C while Python ran: the restart that follows unless Python
    /// asks for input first (and so takes the interrupt). Dropping it cancels it.
    pending_restart: Option<Timeout>,
}

/// How long Python may take to reach a prompt after Ctrl+C in compatibility mode before it
/// counts as running code that only a restart stops.
const INTERRUPT_GRACE_MS: u32 = 1000;

/// What xterm calls with typed or pasted text: the JS string as it is (it may end in half a
/// surrogate pair, which a Rust `String` parameter would turn into U+FFFD).
type DataCallback = Closure<dyn FnMut(js_sys::JsString)>;

/// The REPL console: owns everything; dropping it stops Python and removes listeners.
pub struct Console {
    inner: Rc<RefCell<Inner>>,
    _resize: EventListener,
}

const THEME: [(&str, &str); 3] =
    [("background", "#1e1e2e"), ("foreground", "#e6e6e6"), ("cursor", "#f5c542")];

/// Downloads the rest of the standard library in the background once Python runs, so the
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
        wasm_url: page_url("python/python.wasm"),
        stdlib_url: page_url("python/python313.zip"),
        stdlib_extra_url: page_url("python/python313-extra.zip"),
        relay_url: None,
    }
}

impl Console {
    /// Opens a terminal in `parent` and starts Python, reached as `mode` says.
    pub fn open(parent: web_sys::HtmlElement, mode: Mode, on_status: impl Fn(Status) + 'static) -> Self {
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
        let terminal = Terminal::construct(Some(&options));
        let fit = FitAddon::new();
        xterm_ext::load_fit(&terminal, &fit);
        terminal.open(parent.clone());
        fit.fit();
        let text_input = TextInput::attach(&terminal, &parent);
        // Bracketed paste: xterm marks pastes so they are run line by line, not typed.
        terminal.write("\x1b[?2004h");
        terminal.focus();
        let cols = terminal.get_cols() as usize;
        let inner = Rc::new(RefCell::new(Inner {
            terminal,
            fit,
            discipline: LineDiscipline::new(cols, history_store::load()),
            mode,
            session: None,
            status: Status::loading(),
            on_status: Box::new(on_status),
            data_listener: None,
            utf16: input_event::Utf16Joiner::default(),
            _text_input: text_input,
            pending_restart: None,
        }));
        let weak = Rc::downgrade(&inner);
        let on_data = DataCallback::new(move |data: js_sys::JsString| {
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
        start_session(&inner);
        Self { inner, _resize: resize }
    }

    /// Restarts Python: in the same worker after a clean exit, in a new worker otherwise.
    pub fn restart(&self) {
        restart(&self.inner);
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        let mut state = self.inner.borrow_mut();
        if let Some((listener, _callback)) = state.data_listener.take() {
            listener.dispose();
        }
        state.session = None;
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

fn start_session(inner: &Rc<RefCell<Inner>>) {
    set_status(inner, Status::loading());
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(inner);
    let (mode, rows, cols) = {
        let state = inner.borrow();
        (state.mode, state.terminal.get_rows(), state.terminal.get_cols())
    };
    let session = Session::start(boot_config(), mode, rows, cols, move |event| {
        if let Some(inner) = weak.upgrade() {
            on_session_event(&inner, event);
        }
    });
    match session {
        Ok(session) => inner.borrow_mut().session = Some(session),
        Err(error) => {
            set_status(inner, Status::Failed { kind: FailureKind::Download, message: error.to_string() });
        }
    }
}

fn restart(inner: &Rc<RefCell<Inner>>) {
    inner.borrow_mut().pending_restart = None;
    let exited = matches!(inner.borrow().status, Status::Exited(_));
    inner.borrow().terminal.write("\r\n\x1b[2m--- restarting Python ---\x1b[0m\r\n");
    if exited {
        set_status(inner, Status::loading());
        if let Some(session) = &inner.borrow().session {
            session.restart_in_place();
        }
    } else {
        // A busy or crashed interpreter cannot be asked: end its worker, start another.
        inner.borrow_mut().session = None;
        start_session(inner);
    }
    let mut state = inner.borrow_mut();
    state.discipline = LineDiscipline::new(state.terminal.get_cols() as usize, history_store::load());
    state.terminal.focus();
}

fn on_input(inner: &Rc<RefCell<Inner>>, data: &str) {
    let status = inner.borrow().status.clone();
    match status {
        Status::Exited(_) | Status::Failed { .. } => {
            if input_event::parse(data).contains(&input_event::Key::Enter) {
                restart(inner);
            }
            return;
        }
        Status::Loading { .. } | Status::Ready => {}
    }
    for key in input_event::parse(data) {
        handle_key(inner, key);
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
    {
        let mut state = inner.borrow_mut();
        if let Some(history) = state.discipline.take_history_change() {
            history_store::save(history);
        }
        for effect in effects {
            match (effect, &state.session) {
                (Effect::Echo(text), _) => state.terminal.write(&text),
                (Effect::Submit(line), Some(session)) => session.send_input(&line),
                // Compatibility mode reaches Python only when it waits (for input, in a sleep,
                // for output to render): running code may get there soon, or never.
                (Effect::Interrupt { python_was_waiting }, Some(session)) => {
                    session.interrupt();
                    restart_unless_waiting |= !python_was_waiting && session.mode() == Mode::Compatibility;
                }
                (Effect::EndOfFile, Some(session)) => session.end_of_file(),
                (_, None) => {}
            }
        }
    }
    if restart_unless_waiting {
        let weak = Rc::downgrade(inner);
        let timer = Timeout::new(INTERRUPT_GRACE_MS, move || {
            let Some(inner) = weak.upgrade() else { return };
            inner.borrow().terminal.write(
                "\r\n\x1b[33mKeyboardInterrupt: in compatibility mode running code cannot be stopped, \
                 so Python restarts (your variables are gone).\x1b[0m",
            );
            restart(&inner);
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

fn on_session_event(inner: &Rc<RefCell<Inner>>, event: SessionEvent) {
    match event {
        SessionEvent::Progress { download, received, total } => {
            let status = inner.borrow().status.clone();
            if let Status::Loading { mut wasm, mut stdlib } = status {
                let transfer = Transfer { received, total };
                match download {
                    Download::Wasm => wasm = transfer,
                    Download::Stdlib => stdlib = transfer,
                }
                set_status(inner, Status::Loading { wasm, stdlib });
            }
        }
        SessionEvent::Started => {
            set_status(inner, Status::Ready);
            warm_http_cache(boot_config().stdlib_extra_url);
        }
        SessionEvent::InputWanted => {
            // Python reached a prompt: it took the interrupt, no restart is needed.
            inner.borrow_mut().pending_restart = None;
            on_input_wanted(inner);
        }
        SessionEvent::Output(chunk) => {
            let mut state = inner.borrow_mut();
            state.discipline.output_arrived();
            let len = chunk.len();
            let Some(acker) = state.session.as_ref().map(Session::output_acker) else { return };
            let done = Closure::once_into_js(move || acker.rendered(len));
            xterm_ext::write_bytes_then(&state.terminal, &chunk.0, done.unchecked_ref());
        }
        SessionEvent::Exited(code) => {
            inner.borrow_mut().pending_restart = None;
            inner.borrow().terminal.write(&format!(
                "\r\n\x1b[33mPython exited (status {code}). Press Enter or click Restart to start again.\x1b[0m\r\n"
            ));
            set_status(inner, Status::Exited(code));
        }
        SessionEvent::Failed(kind, message) => {
            inner.borrow_mut().pending_restart = None;
            let advice = match kind {
                FailureKind::Download => "Check your connection, then press Enter or click Restart to retry.",
                FailureKind::Corrupt => {
                    "The Python files look damaged; press Enter or click Restart to download them again."
                }
                FailureKind::Crash => {
                    "Python crashed (for example a C-level stack overflow or out of memory). Press Enter or click Restart."
                }
                FailureKind::Disconnected => {
                    "Press Enter or click Restart to start a new interpreter (reload the page if that fails)."
                }
            };
            inner.borrow().terminal.write(&format!("\r\n\x1b[31m{message}\r\n{advice}\x1b[0m\r\n"));
            set_status(inner, Status::Failed { kind, message });
        }
    }
}
