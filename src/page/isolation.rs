//! Cross-origin isolation (SharedArrayBuffer): from the server's headers when it sends them,
//! otherwise from our service worker, which adds them to every response (GitHub Pages).
//!
//! Full mode is chosen from what the browser can do (construct a SharedArrayBuffer, share it
//! through a message port, block in `Atomics.wait`), not from `crossOriginIsolated` alone:
//! WebKitGTK as shipped is isolated but has no SharedArrayBuffer, and runs in compatibility
//! mode like an embedded page.
//!
//! The page reloads at most once to come under the service worker: a session flag stops a
//! second reload, so a browser where that fails gets an explanation, not a loop. A page under
//! the service worker that is still not isolated (embedded in a page that is not isolated
//! itself) runs in compatibility mode, its input relayed by the service worker.

use crate::page::session::Mode;
use crate::page::storage::{self, Area};
use gloo::timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

const RELOAD_FLAG: &str = "py-repl-web.isolation-reload";
const UPDATED_FLAG: &str = "py-repl-web.updated";
const SERVICE_WORKER: &str = "./sw.js";
/// Installing caches what a first prompt needs (not the rest of the standard library, which
/// is fetched later) before the worker becomes active.
const REGISTRATION_TIMEOUT_MS: u32 = 60_000;

/// `future`'s output, or `None` if it takes longer than `ms`.
async fn within<F: std::future::Future>(ms: u32, future: F) -> Option<F::Output> {
    use futures::future::{Either, select};
    match select(Box::pin(future), Box::pin(TimeoutFuture::new(ms))).await {
        Either::Left((output, _)) => Some(output),
        Either::Right(_) => None,
    }
}

/// Why the page cannot be isolated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unavailable {
    /// No service workers: a private window, a browser setting, or an old browser.
    NoServiceWorker,
    /// Registering ours failed.
    RegistrationFailed(String),
    /// After a reload meant to bring the page under our service worker, it is still not.
    NotControlled,
    /// The browser refuses this page storage (some private windows, a frame in another
    /// site's page), so the page cannot guard its one reload against a loop.
    StorageRefused,
}

/// Why the page runs in compatibility mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhyCompatibility {
    /// Not cross-origin isolated, though under our service worker: the page is embedded in
    /// a page that is not isolated itself.
    NotIsolated,
    /// Isolated, but this browser offers no SharedArrayBuffer (or cannot share one with a
    /// worker).
    NoSharedMemory,
}

impl WhyCompatibility {
    /// A few words for the status bar.
    pub fn short(self) -> &'static str {
        match self {
            Self::NotIsolated => "embedded page",
            Self::NoSharedMemory => "no SharedArrayBuffer in this browser",
        }
    }

    /// The whole reason, for the status bar's tooltip.
    pub fn explanation(self) -> &'static str {
        match self {
            Self::NotIsolated => {
                "This page is not cross-origin isolated (it is embedded in another page that is not), \
                 so it cannot share memory with Python's worker. Open the page on its own for full mode."
            }
            Self::NoSharedMemory => {
                "This page is cross-origin isolated, but this browser offers no SharedArrayBuffer \
                 (WebKitGTK as shipped, for example), so it cannot share memory with Python's worker."
            }
        }
    }
}

/// How the page runs Python, and why: what the status bar shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageMode {
    Full,
    Compatibility(WhyCompatibility),
}

impl PageMode {
    /// How the session reaches Python in this mode.
    pub fn session_mode(self) -> Mode {
        match self {
            Self::Full => Mode::Isolated,
            Self::Compatibility(_) => Mode::Compatibility,
        }
    }
}

/// Where isolation stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Isolation {
    /// SharedArrayBuffer is available and shareable with a worker: full mode.
    Isolated,
    /// Under our service worker without usable shared memory: input through the service
    /// worker.
    Compatibility(WhyCompatibility),
    /// The page is reloading to come under the service worker.
    Reloading,
    /// It cannot be had here.
    Unavailable(Unavailable),
}

/// Whether the page is cross-origin isolated now.
pub fn is_isolated() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Whether this page can share memory with a worker, as full mode needs: a
/// SharedArrayBuffer can be made and posted through a message port (which fails where the
/// page is not isolated), and `Atomics.wait` exists for the worker to block in.
pub fn shared_memory_usable() -> bool {
    let global = js_sys::global();
    let has = |object: &wasm_bindgen::JsValue, name: &str| {
        js_sys::Reflect::get(object, &name.into()).is_ok_and(|v| v.is_function())
    };
    if !is_isolated() || !has(&global, "SharedArrayBuffer") {
        return false;
    }
    let atomics = js_sys::Reflect::get(&global, &"Atomics".into()).unwrap_or_default();
    if !has(&atomics, "wait") {
        return false;
    }
    let buffer = js_sys::SharedArrayBuffer::new(8);
    web_sys::MessageChannel::new().is_ok_and(|channel| channel.port1().post_message(&buffer).is_ok())
}

fn service_workers() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = gloo::utils::window().navigator();
    let has = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    has.then(|| navigator.service_worker())
}

/// Makes the page isolated if it can be, reloading it once if needed.
pub async fn ensure() -> Isolation {
    if shared_memory_usable() {
        storage::remove(Area::Session, RELOAD_FLAG);
        watch_for_updates();
        return Isolation::Isolated;
    }
    // Isolation alone cannot help (no SharedArrayBuffer): the service worker's relay can.
    let why = if is_isolated() { WhyCompatibility::NoSharedMemory } else { WhyCompatibility::NotIsolated };
    let Some(container) = service_workers() else {
        return Isolation::Unavailable(Unavailable::NoServiceWorker);
    };
    if container.controller().is_some() {
        // The service worker already sent this page the headers; a reload cannot do more.
        storage::remove(Area::Session, RELOAD_FLAG);
        watch_for_updates();
        return Isolation::Compatibility(why);
    }
    if storage::get::<bool>(Area::Session, RELOAD_FLAG).unwrap_or(false) {
        // We reloaded once already: do not loop. A manual reload tries again.
        storage::remove(Area::Session, RELOAD_FLAG);
        return Isolation::Unavailable(Unavailable::NotControlled);
    }
    let options = web_sys::RegistrationOptions::new();
    options.set_scope("./");
    let registration = within(
        REGISTRATION_TIMEOUT_MS / 6,
        JsFuture::from(container.register_with_options(SERVICE_WORKER, &options)),
    )
    .await;
    match registration {
        // Blocked service workers can "succeed" with nothing registered.
        Some(Ok(value)) if value.is_instance_of::<web_sys::ServiceWorkerRegistration>() => {}
        Some(Ok(_)) => return Isolation::Unavailable(Unavailable::NoServiceWorker),
        Some(Err(error)) => {
            let detail = crate::page_and_worker::js_error::describe(&error);
            return Isolation::Unavailable(Unavailable::RegistrationFailed(
                detail.trim_end_matches('.').to_owned(),
            ));
        }
        None => return Isolation::Unavailable(Unavailable::RegistrationFailed("it did not answer".into())),
    }
    // Once a worker is active for this scope, a reload comes under it (this page may not:
    // a hard reload bypasses service workers).
    let ready = container.ready().map(JsFuture::from);
    let active = match ready {
        Ok(ready) => within(REGISTRATION_TIMEOUT_MS, ready).await.is_some_and(|r| r.is_ok()),
        Err(_) => false,
    };
    if !active {
        return Isolation::Unavailable(Unavailable::RegistrationFailed("it did not become active".into()));
    }
    if !storage::set(Area::Session, RELOAD_FLAG, &true) {
        // Without session storage the loop guard cannot work: do not reload.
        return Isolation::Unavailable(Unavailable::StorageRefused);
    }
    // A new navigation, not reload(): after a hard reload, Chromium's reload() would bypass
    // the service worker again.
    let location = gloo::utils::window().location();
    if let Ok(href) = location.href() {
        let _ = location.replace(&href);
    }
    Isolation::Reloading
}

/// Whether this page is shown inside another page (an iframe).
pub fn is_framed() -> bool {
    let window = gloo::utils::window();
    match window.top() {
        Ok(Some(top)) => top != window,
        _ => true, // a cross-origin top that cannot be read is another page
    }
}

/// When a new version's service worker takes over this page, reload into that version
/// (never a mix of old page and new files) and say so after the reload.
fn watch_for_updates() {
    let Some(container) = service_workers() else { return };
    if container.controller().is_none() {
        return; // isolated by the server's headers: no service worker involved
    }
    let listener = gloo::events::EventListener::once(&container, "controllerchange", |_| {
        storage::set(Area::Session, UPDATED_FLAG, &true);
        let _ = gloo::utils::window().location().reload();
    });
    // The page lives as long as this listener must.
    UPDATE_LISTENER.with(|slot| *slot.borrow_mut() = Some(listener));
}

thread_local! {
    static UPDATE_LISTENER: std::cell::RefCell<Option<gloo::events::EventListener>> =
        const { std::cell::RefCell::new(None) };
}

/// Whether this load follows an update to a new version (reported once).
pub fn just_updated() -> bool {
    let updated = storage::get::<bool>(Area::Session, UPDATED_FLAG).unwrap_or(false);
    storage::remove(Area::Session, UPDATED_FLAG);
    updated
}
