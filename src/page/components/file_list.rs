//! The workspace's files beside the editor: open one, make a new one, delete one. Names are
//! shown as text, never as markup.

use leptos::prelude::*;

/// The list of files, the one open marked.
#[component]
pub fn FileList(
    /// File names, sorted.
    names: ReadSignal<Vec<String>>,
    /// The file the editor shows.
    current: ReadSignal<String>,
    /// Open this file in the editor.
    on_open: Callback<String>,
    /// Make a new file (asks for its name).
    on_new: Callback<()>,
    /// Delete this file (asks first).
    on_delete: Callback<String>,
) -> impl IntoView {
    view! {
        <nav class="file-list" aria-label="Files" data-testid="files">
            <button class="new-file" title="A new file in the workspace" on:click=move |_| on_new.run(())>
                "+ New file"
            </button>
            <ul>
                <For each=move || names.get() key=|name| name.clone() let:name>
                    {
                        let (open_name, delete_name, label) = (name.clone(), name.clone(), name.clone());
                        let is_current = Signal::derive(move || current.get() == name);
                        view! {
                            <li class:current=is_current>
                                <button class="file" aria-current=move || is_current.get().then_some("page")
                                    title="Open in the editor" on:click=move |_| on_open.run(open_name.clone())>
                                    {label.clone()}
                                </button>
                                <button class="delete-file" title=format!("Delete {label}")
                                    aria-label=format!("Delete {label}")
                                    on:click=move |_| on_delete.run(delete_name.clone())>
                                    "×"
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </nav>
    }
}
