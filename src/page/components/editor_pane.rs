//! The editor's pane: the file's name, a note when something is wrong with the editor or
//! with keeping the file, and the place the editor opens in.

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
) -> impl IntoView {
    view! {
        <div class="editor-column">
            <div class="pane-title">
                <span class="file-name" data-testid="file-name">{move || file_name.get()}</span>
                {move || note.get().map(|n| view! { <span class="editor-note" role="status" data-testid="editor-note">{n}</span> })}
            </div>
            <div class="editor" node_ref=container data-testid="editor"></div>
        </div>
    }
}
