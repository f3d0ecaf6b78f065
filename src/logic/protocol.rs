//! Messages between the page and the Python worker; the one protocol both binaries share.
//!
//! Messages travel with `postMessage`, encoded by `serde-wasm-bindgen` (byte buffers become
//! `Uint8Array`s). The `SharedArrayBuffer` for stdin and signals travels beside `Boot` as a
//! raw JS value, because serde cannot carry it, and so do the compiled `python.wasm` and the
//! core standard library beside `Python` (the page downloads them). Without one (compatibility mode), the page's
//! events reach the busy worker as `RelayEvent`s through the site's service worker.

use crate::logic::termios::TerminalModes;
use crate::logic::workspace::WorkspaceFile;
use serde::{Deserialize, Serialize};

/// From the page to the worker. Once Python runs, the worker's event loop is blocked, so
/// everything after `Boot` goes through shared memory (see `shared_memory`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum ToWorker {
    /// Get ready (URLs relative to the page); the interpreter starts at the first `Run`
    /// (which may come before `Python`).
    Boot { config: BootConfig },
    /// The compiled `python.wasm` and the core standard library, which the page downloads
    /// and keeps for every worker, travel beside this message (`wasm`, `core`).
    Python,
    /// Start an interpreter as the request says: the first once Python is loaded, or a
    /// fresh one reusing the downloaded files, after the previous one exited or gave way
    /// because the page moved the run generation past it.
    Run(RunRequest),
}

/// One interpreter's start: its generation (the page moves the shared generation past a
/// running interpreter to make it give way at its next wait), and the program to run first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunRequest {
    pub generation: u32,
    /// Run this file as `__main__` (as `python -i NAME`), then the prompt with its variables;
    /// `None`: the prompt alone.
    pub program: Option<Program>,
    /// The workspace's files, written into Python's working directory first. (The first
    /// interpreter starts before the page has read the workspace kept in the browser: those
    /// files follow as a set of changes, taken before Python reads its first input.)
    #[serde(default)]
    pub files: Vec<WorkspaceFile>,
    /// The number of the latest set of workspace changes the page had posted (see
    /// `workspace_push`) when `files` were taken: those sets are in `files` already. The
    /// interpreter takes only later ones.
    #[serde(default)]
    pub changes_taken: u32,
    /// Which interactive prompt the interpreter offers.
    #[serde(default)]
    pub repl: ReplKind,
    /// The student's input history, oldest first: PyREPL's Up, Down and Ctrl+R browse it.
    #[serde(default)]
    pub history: Vec<String>,
}

/// The interactive prompt: CPython's basic REPL (`PYTHON_BASIC_REPL`), or its own new one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplKind {
    /// The basic REPL, line by line through the page's line discipline: the default while
    /// PyREPL's start and echo are slower (see the README's benchmark rows).
    #[default]
    Basic,
    /// PyREPL: colours, multi-line editing, Tab completion, history search (it falls back to
    /// the basic one by itself where it cannot run).
    PyRepl,
}

/// Whether generation `wanted` is newer than `current` (generations count up and wrap):
/// only a newer one makes an interpreter give way, as the relay may still report an older
/// one until it fetches the events queued behind it.
pub fn supersedes(wanted: u32, current: u32) -> bool {
    (wanted.wrapping_sub(current) as i32) > 0
}

/// A file the student runs: its name in Python's working directory and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    pub name: String,
    pub text: String,
}

/// Where the Python build lives and how the terminal looks at boot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BootConfig {
    /// URL of `python.mjs`, the Emscripten module factory.
    pub module_url: String,
    /// URL of the rest of the standard library, fetched on the first import that needs it.
    pub stdlib_extra_url: String,
    /// Compatibility mode: where the worker fetches the page's `RelayEvent`s. `None` when a
    /// shared buffer travels with `Boot`.
    pub relay_url: Option<String>,
}

/// Compatibility mode (no SharedArrayBuffer): what the page tells a worker that Python
/// blocks. The page posts these to the service worker, which queues them until the worker
/// fetches them with a synchronous request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum RelayEvent {
    /// A line (or keys) for Python's stdin.
    Input { text: String },
    /// Ctrl+D on an empty line: the next read returns end of file.
    EndOfFile,
    /// Ctrl+C while Python waits for input (at a prompt, in `input()`, in `time.sleep`):
    /// KeyboardInterrupt. Running code never fetches events, so it cannot be interrupted.
    Interrupt,
    /// The terminal rendered this many more output bytes (flow control).
    OutputRendered { bytes: u32 },
    /// The terminal's new size.
    Resize { rows: u32, cols: u32 },
    /// A new interpreter is wanted: the one of an older generation gives way at its next wait.
    Supersede { generation: u32 },
    /// The student changed the workspace: the blob at `url` holds every change not yet
    /// taken (see `workspace_push`), set `number`.
    WorkspaceChanged { number: u32, url: String },
    /// A turtle graphics event (a click, a key, a dialog's answer): one JSON line of
    /// `canvas_protocol::CanvasEvent`.
    Canvas { line: String },
}

/// From the worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum FromWorker {
    /// The worker's code is loaded and listening: the page may send `Boot` now (messages
    /// sent earlier could arrive before anyone listens).
    Listening,
    /// Everything is loaded; the interpreter of this generation is starting.
    Started { generation: u32 },
    /// The interactive prompt begins (after the program, if one ran): output before this
    /// message is complete, so a program's traceback is on screen.
    ReplStarted,
    /// Python's signal handlers are in place: a SIGINT raised from now on becomes
    /// `KeyboardInterrupt` (during startup one would be lost).
    SignalsReady,
    /// Python is blocked reading stdin and nothing is waiting in the ring (output before
    /// this message is complete, so its prompt is on screen). `inputs_seen` counts the
    /// relayed lines and EOF marks taken in so far (compatibility mode; 0 with shared
    /// memory): a request that crossed a line in flight is stale.
    InputWanted { inputs_seen: u32 },
    /// Python read a whole line of input (canonical mode): the page's first typed-ahead line
    /// is now part of the transcript, after the prompt that read it.
    LineRead,
    /// The program changed its tty's settings (`tcsetattr`): how keys are to be handled.
    TerminalModes { modes: TerminalModes },
    /// An interactive prompt follows (output before it is complete): the page puts the
    /// terminal back in a sane state first, as a shell does.
    Prompt,
    /// PyREPL added these entries to its history (a block is one entry): the page keeps them.
    History { entries: Vec<String> },
    /// Bytes Python wrote to stdout or stderr, in order.
    Output {
        #[serde(with = "serde_bytes")]
        bytes: Vec<u8>,
    },
    /// Python wrote or removed these files in its working directory (reported when it next
    /// reads input, and when it exits).
    FilesChanged { written: Vec<WorkspaceFile>, removed: Vec<String> },
    /// Python asks for a web page to be opened (`webbrowser.open`): the page offers it, and
    /// opens it only when the student clicks.
    OpenUrl { url: String },
    /// Turtle graphics: a batch of drawing operations, the JSON array of
    /// `canvas_protocol::CanvasOp`s Python wrote, passed on as it is.
    Canvas { ops: String },
    /// Python's working directory now holds the page's changes of set `number` (see
    /// `workspace_push`).
    WorkspaceTaken { number: u32 },
    /// The interpreter exited with this status (after `exit()` or Ctrl+D).
    Exited { code: i32 },
    /// Python could not start or crashed (download failure, wasm trap, out of memory).
    Failed { reason: FailureKind, message: String },
}

/// What went wrong, so the page can offer the right way back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FailureKind {
    /// A file could not be downloaded: retry may help.
    Download,
    /// The files downloaded but are not a working Python (corrupt or mismatched).
    Corrupt,
    /// The interpreter crashed: a WebAssembly trap, a stack overflow, out of memory.
    Crash,
    /// The worker lost its way to the page (compatibility mode: the service worker stopped
    /// relaying), so Python was given end of file.
    Disconnected,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_bytes_round_trip_unchanged() {
        let msg = FromWorker::Output { bytes: "é\u{1F600}\n".as_bytes().to_vec() };
        let text = serde_json::to_string(&msg).expect("serialize");
        assert!(text.contains(r#""type":"Output""#), "{text}");
        let back: FromWorker = serde_json::from_str(&text).expect("deserialize");
        assert_eq!(back, msg);
    }

    #[test]
    fn boot_and_restart_carry_urls_and_the_program() {
        let program = Program { name: "main.py".into(), text: "print('é')\n".into() };
        let files = vec![WorkspaceFile { name: "data.bin".into(), bytes: vec![0, 255, 1] }];
        let run = RunRequest {
            generation: 3,
            program: Some(program),
            files,
            changes_taken: 7,
            repl: ReplKind::PyRepl,
            history: vec!["def f():\n    return 1".into()],
        };
        let config = BootConfig {
            module_url: "a/python.mjs".into(),
            stdlib_extra_url: "a/python313-extra.zip".into(),
            relay_url: Some("a/__relay__?id=1".into()),
        };
        for msg in [ToWorker::Boot { config }, ToWorker::Run(run)] {
            let back: ToWorker =
                serde_json::from_str(&serde_json::to_string(&msg).expect("serialize")).expect("deserialize");
            assert_eq!(back, msg);
        }
    }

    #[test]
    fn relay_events_have_the_shape_the_service_worker_reads() {
        // sw.js merges consecutive OutputRendered events by these field names.
        let text = serde_json::to_string(&RelayEvent::OutputRendered { bytes: 7 }).expect("serialize");
        assert_eq!(text, r#"{"type":"OutputRendered","bytes":7}"#);
        let events: Vec<RelayEvent> = serde_json::from_str(
            r#"[{"type":"Input","text":"é\n"},{"type":"EndOfFile"},{"type":"Resize","rows":24,"cols":80}]"#,
        )
        .expect("deserialize");
        assert_eq!(events[0], RelayEvent::Input { text: "é\n".into() });
        assert_eq!(events[2], RelayEvent::Resize { rows: 24, cols: 80 });
    }

    #[test]
    fn the_service_worker_relays_every_kind_of_relay_event() {
        // sw.js drops events whose type it does not list: a new kind must be added there.
        let sw = include_str!("../service_worker/service-worker.js");
        let listed = sw.lines().find(|l| l.starts_with("const EVENT_TYPES")).expect("EVENT_TYPES in sw.js");
        let events = [
            RelayEvent::Input { text: String::new() },
            RelayEvent::EndOfFile,
            RelayEvent::Interrupt,
            RelayEvent::OutputRendered { bytes: 0 },
            RelayEvent::Resize { rows: 0, cols: 0 },
            RelayEvent::Supersede { generation: 0 },
            RelayEvent::WorkspaceChanged { number: 0, url: String::new() },
            RelayEvent::Canvas { line: String::new() },
        ];
        for event in events {
            let value = serde_json::to_value(&event).expect("serialize");
            let kind = value["type"].as_str().expect("a type");
            assert!(listed.contains(&format!("\"{kind}\"")), "sw.js does not relay {kind}");
        }
    }

    #[test]
    fn only_a_newer_generation_supersedes_even_across_the_wrap() {
        assert!(supersedes(4, 3));
        assert!(!supersedes(3, 3));
        assert!(!supersedes(2, 3), "an older generation the relay still reports");
        assert!(supersedes(1, u32::MAX), "the count wrapped");
        assert!(!supersedes(u32::MAX, 1));
    }
}
