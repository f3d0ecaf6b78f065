//! The editor's pane: the file's name, a note when something is wrong with the editor or
//! with keeping the file (or what just happened), a share link to copy, and the place the
//! editor opens in.

use leptos::html;
use leptos::prelude::*;

/// The editor's pane; the editor itself is opened in `container` by the workbench.
#[component]
pub fn EditorPane(
    /// Where the editor opens.
    container: NodeRef<html::Div>,
    /// The file being edited, such as `main.py`.
    file_name: Signal<String>,
    /// A message about the editor ("loading", an error), if any.
    note: ReadSignal<Option<String>>,
    /// A share link for the student to copy, if one was just made.
    link: ReadSignal<Option<String>>,
    /// The student is done with the link.
    on_close_link: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="editor-column">
            <div class="pane-title">
                <span class="file-name" data-testid="file-name">{move || file_name.get()}</span>
                {move || note.get().map(|n| view! { <span class="editor-note" role="status" data-testid="editor-note">{n}</span> })}
            </div>
            {move || link.get().map(|link| view! {
                <div class="share-link" role="group" aria-label="Share link">
                    <input readonly data-testid="share-link" aria-label="Share link" prop:value=link
                        on:focus=move |event| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        }/>
                    <button class="close-link" title="Close" aria-label="Close the link"
                        on:click=move |_| on_close_link.run(())>"×"</button>
                </div>
            })}
            <div class="editor" node_ref=container data-testid="editor"></div>
        </div>
    }
}
