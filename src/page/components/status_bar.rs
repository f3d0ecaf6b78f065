//! The bar at the top: what Python is doing, download progress, the mode, and the toolbar.

use crate::logic::protocol::FailureKind;
use crate::page::console::{Status, Transfer};
use crate::page::isolation::PageMode;
use leptos::prelude::*;

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

fn transfer_text(name: &str, t: Transfer) -> String {
    match t.total {
        Some(total) => format!("{name} {} / {}", megabytes(t.received), megabytes(total)),
        None => format!("{name} {}", megabytes(t.received)),
    }
}

/// Fraction done over both downloads, when both sizes are known.
fn fraction(wasm: Transfer, stdlib: Transfer) -> Option<f64> {
    let total = wasm.total? + stdlib.total?;
    (total > 0).then(|| (wasm.received + stdlib.received) as f64 / total as f64)
}

/// Status line with a progress bar while loading, and the toolbar given as children.
#[component]
pub fn StatusBar(
    /// The interpreter's current status.
    status: ReadSignal<Status>,
    /// How the page runs Python and why, shown so users know what Ctrl+C does.
    mode: PageMode,
    /// A one-off message shown beside the status.
    notice: Option<String>,
    /// The buttons shown at the bar's end.
    children: Children,
) -> impl IntoView {
    let text = move || match status.get() {
        Status::Loading { wasm, stdlib } if wasm.received == 0 && stdlib.received == 0 => {
            "Starting Python…".to_owned()
        }
        Status::Loading { wasm, stdlib } => {
            format!(
                "Loading Python: {}, {}",
                transfer_text("interpreter", wasm),
                transfer_text("library", stdlib)
            )
        }
        Status::Ready => "Python 3.13 ready".to_owned(),
        Status::Exited(code) => format!("Python exited (status {code})"),
        // A crash's message says so itself ("Python stopped abruptly: …").
        Status::Failed { kind: FailureKind::Crash, message } => message,
        Status::Failed { message, .. } => format!("Python stopped: {message}"),
    };
    let progress = move || match status.get() {
        Status::Loading { wasm, stdlib } => Some(fraction(wasm, stdlib)),
        _ => None,
    };
    let state_class = move || match status.get() {
        Status::Loading { .. } => "status loading",
        Status::Ready => "status ready",
        Status::Exited(_) => "status exited",
        Status::Failed { .. } => "status failed",
    };
    let (mode_text, mode_title) = match mode {
        PageMode::Full => (
            "Full mode".to_owned(),
            "This page shares memory with Python's worker: input() waits for you and Ctrl+C \
             interrupts running code."
                .to_owned(),
        ),
        PageMode::Compatibility(why) => (
            format!("Compatibility mode ({}): Ctrl+C on running code restarts Python", why.short()),
            format!(
                "{} What you type is relayed by the site's service worker. Ctrl+C works as usual \
                     where Python waits (a prompt, input(), a sleep, printing); computation cannot be \
                     interrupted, so there Ctrl+C starts a fresh interpreter.",
                why.explanation()
            ),
        ),
    };
    view! {
        <header class=state_class data-testid="status">
            <span class="title">"Python REPL"</span>
            <span class="status-text" aria-live="polite">{text}</span>
            <span class="mode" data-testid="mode" title=mode_title>{mode_text}</span>
            {notice.map(|n| view! { <span class="notice" data-testid="notice">{n}</span> })}
            {move || progress().map(|f| match f {
                Some(f) => view! { <progress max="1" value=f.to_string()></progress> }.into_any(),
                None => view! { <progress></progress> }.into_any(),
            })}
            {children()}
        </header>
    }
}
