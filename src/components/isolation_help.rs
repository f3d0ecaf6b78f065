//! Explains, in plain words, why the REPL cannot start without cross-origin isolation.

use crate::web::isolation::Unavailable;
use leptos::prelude::*;

fn cause(reason: &Unavailable) -> String {
    match reason {
        Unavailable::NoServiceWorker => {
            "This browser has service workers turned off (a private window, or a \
            setting), so this site cannot add the headers itself."
                .to_owned()
        }
        Unavailable::RegistrationFailed(detail) => {
            format!("The site's service worker could not start: {detail}.")
        }
        Unavailable::StillNotIsolated => {
            "The site's service worker is running, but the browser still does not isolate the page."
                .to_owned()
        }
    }
}

/// Shown instead of the terminal when `SharedArrayBuffer` is unavailable.
#[component]
pub fn IsolationHelp(
    /// Why isolation failed here.
    reason: Unavailable,
) -> impl IntoView {
    view! {
        <section class="isolation-help" role="alert">
            <h1>"Python cannot start on this page"</h1>
            <p>
                "This REPL needs "<code>"SharedArrayBuffer"</code>" so that "<code>"input()"</code>
                " can wait for your typing and Ctrl+C can stop running code. Browsers only allow it on pages that are "
                <em>"cross-origin isolated"</em>", and this page is not."
            </p>
            <p class="cause">{cause(&reason)}</p>
            <button class="reload" on:click=|_| {
                let _ = gloo::utils::window().location().reload();
            }>"Reload the page"</button>
            <h2>"How to fix it"</h2>
            <ul>
                <li>
                    "If you run the server: send these two headers with every file: "
                    <code>"Cross-Origin-Opener-Policy: same-origin"</code>" and "
                    <code>"Cross-Origin-Embedder-Policy: require-corp"</code>
                    " (the project's "<code>"make serve"</code>" does this)."
                </li>
                <li>
                    "On GitHub Pages, which cannot send headers, the site adds them with a service worker: "
                    "open it in a normal (not private) window with service workers allowed, then reload."
                </li>
                <li>"Use a current Chrome, Edge, Firefox or Safari."</li>
            </ul>
        </section>
    }
}
