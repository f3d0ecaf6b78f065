//! The REPL: status bar and terminal, backed by a `Console`.

use crate::page::components::status_bar::StatusBar;
use crate::page::console::{Console, Status};
use crate::page::isolation::PageMode;
use leptos::html;
use leptos::prelude::*;

/// Terminal with Python behind it; the console lives as long as this component.
#[component]
pub fn Repl(
    /// How the page runs Python (shared memory, or the service worker's relay), and why.
    mode: PageMode,
    /// A one-off message for the status bar (for example "updated").
    notice: Option<String>,
) -> impl IntoView {
    let (status, set_status) = signal(Status::loading());
    let container = NodeRef::<html::Div>::new();
    let console = StoredValue::new_local(None::<Console>);
    Effect::new(move |_| {
        if let Some(element) = container.get()
            && console.with_value(Option::is_none)
        {
            let opened = Console::open(element.into(), mode.session_mode(), move |s| set_status.set(s));
            console.set_value(Some(opened));
        }
    });
    let on_restart = Callback::new(move |()| {
        console.with_value(|c| {
            if let Some(c) = c {
                c.restart();
            }
        })
    });
    view! {
        <StatusBar status=status mode=mode notice=notice on_restart=on_restart/>
        <div class="terminal" node_ref=container data-testid="terminal"></div>
    }
}
