//! Explains, in plain words, why the REPL cannot start without cross-origin isolation.

use leptos::prelude::*;

/// Shown instead of the terminal when `SharedArrayBuffer` is unavailable.
#[component]
pub fn IsolationHelp() -> impl IntoView {
    view! {
        <section class="isolation-help" role="alert">
            <h1>"Python cannot start on this page"</h1>
            <p>
                "This REPL needs "<code>"SharedArrayBuffer"</code>" so that "<code>"input()"</code>
                " can wait for your typing and Ctrl+C can stop running code. Browsers only allow it on pages that are "
                <em>"cross-origin isolated"</em>", and this page is not."
            </p>
            <h2>"How to fix it"</h2>
            <ul>
                <li>
                    "If you run the server: send these two headers with every file: "
                    <code>"Cross-Origin-Opener-Policy: same-origin"</code>" and "
                    <code>"Cross-Origin-Embedder-Policy: require-corp"</code>
                    " (the project's "<code>"make serve"</code>" does this)."
                </li>
                <li>
                    "On GitHub Pages, which cannot send headers: use a browser with service workers enabled "
                    "(not a private window), then reload the page."
                </li>
                <li>"Use a current Chrome, Edge, Firefox or Safari."</li>
            </ul>
        </section>
    }
}
