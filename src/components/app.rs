//! The whole page: the REPL, or an explanation when the browser cannot run it.

use crate::components::isolation_help::IsolationHelp;
use crate::components::repl::Repl;
use leptos::prelude::*;

/// Whether the page is cross-origin isolated (SharedArrayBuffer available).
fn cross_origin_isolated() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Root component.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <main class="app">
            <Show when=cross_origin_isolated fallback=|| view! { <IsolationHelp/> }>
                <Repl/>
            </Show>
        </main>
    }
}
