//! The whole page: the workbench (in full or compatibility mode), or an explanation.

use crate::page::components::isolation_help::IsolationHelp;
use crate::page::components::workbench::Workbench;
use crate::page::isolation::{self, Isolation, PageMode};
use leptos::prelude::*;

/// Root component.
#[component]
pub fn App() -> impl IntoView {
    let (isolation, set_isolation) = signal(None::<Isolation>);
    leptos::task::spawn_local(async move { set_isolation.set(Some(isolation::ensure().await)) });
    let notice = isolation::just_updated().then(|| "Updated to the newest version.".to_owned());
    view! {
        <main class="app">
            {move || match isolation.get() {
                Some(Isolation::Isolated) => {
                    view! { <Workbench mode=PageMode::Full notice=notice.clone()/> }.into_any()
                }
                Some(Isolation::Compatibility(why)) => {
                    view! { <Workbench mode=PageMode::Compatibility(why) notice=notice.clone()/> }.into_any()
                }
                Some(Isolation::Unavailable(reason)) => view! { <IsolationHelp reason=reason/> }.into_any(),
                Some(Isolation::Reloading) | None => {
                    view! { <p class="preparing" role="status">"Preparing the page…"</p> }.into_any()
                }
            }}
        </main>
    }
}
