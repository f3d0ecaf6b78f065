//! A bar offering the web page Python asked to open (`webbrowser.open`): the page never opens
//! it by itself; the student clicks the link (a new tab) or dismisses it.

use crate::logic::web_address::web_address;
use leptos::prelude::*;

/// Shown while Python's latest request waits; nothing otherwise.
#[component]
pub fn LinkOffer(
    /// The address Python asked for, as it gave it (checked here: web pages only).
    offer: ReadSignal<Option<String>>,
    /// The student dismissed the offer (or followed it).
    on_done: Callback<()>,
) -> impl IntoView {
    move || {
        let asked = offer.get()?;
        Some(match web_address(&asked) {
            Ok(url) => view! {
                <div class="link-offer" role="status" data-testid="link-offer">
                    // One run of text, so that it wraps as a sentence on a narrow screen.
                    <span class="offer-text">"Python asks to open "
                        <a href=url.clone() target="_blank" rel="noopener noreferrer"
                            on:click=move |_| on_done.run(())>{url.clone()}</a>
                        " (in a new tab)"</span>
                    <button aria-label="Dismiss" title="Dismiss" on:click=move |_| on_done.run(())>"×"</button>
                </div>
            }
            .into_any(),
            Err(error) => view! {
                <div class="link-offer" role="status" data-testid="link-offer">
                    <span class="offer-text">{format!("Python asked to open a page: {error}.")}</span>
                    <button aria-label="Dismiss" title="Dismiss" on:click=move |_| on_done.run(())>"×"</button>
                </div>
            }
            .into_any(),
        })
    }
}
