//! Explains, in plain words, why the REPL cannot start: neither cross-origin isolation nor
//! the service worker that would relay input in compatibility mode.

use crate::page::isolation::{self, Unavailable};
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
        Unavailable::StorageRefused => {
            "The browser refuses this page storage (a private window, or a page embedded in \
            another site), which the site needs to set itself up."
                .to_owned()
        }
        Unavailable::NotControlled => {
            "The site's service worker is installed, but the browser did not let it serve this page \
            (a hard reload does that); a normal reload usually fixes it."
                .to_owned()
        }
    }
}

/// Shown instead of the terminal when neither mode can run.
#[component]
pub fn IsolationHelp(
    /// Why isolation failed here.
    reason: Unavailable,
) -> impl IntoView {
    view! {
        <section class="isolation-help" role="alert">
            <h1>"Python cannot start on this page"</h1>
            <p>
                "Python runs in a background worker. For "<code>"input()"</code>
                " to wait for your typing, the page needs either "<code>"SharedArrayBuffer"</code>
                ", which browsers only give to "<em>"cross-origin isolated"</em>" pages, or the site's
                own service worker to relay what you type. Neither is available here."
            </p>
            <p class="cause">{cause(&reason)}</p>
            {isolation::is_framed().then(|| {
                let here = gloo::utils::window().location().href().unwrap_or_default();
                view! {
                    <p>
                        <a class="open-alone" href=here target="_blank" rel="noopener">
                            "Open the REPL in its own tab"
                        </a>
                        ", where it can set itself up."
                    </p>
                }
            })}
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
