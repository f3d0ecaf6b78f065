//! The workspace's files beside the editor: open one, make a new one, upload, rename, share,
//! download (one, or all as a zip), delete, reset. Names are shown as text, never as markup.

use crate::page::file_transfer::files_of;
use leptos::html;
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
    /// Rename this file (asks for the new name).
    on_rename: Callback<String>,
    /// Delete this file (asks first).
    on_delete: Callback<String>,
    /// Take these files into the workspace.
    on_upload: Callback<Vec<web_sys::File>>,
    /// Hand this file to the browser's download.
    on_download: Callback<String>,
    /// Hand every file to the browser's download, as one zip file.
    on_download_all: Callback<()>,
    /// Make a link that carries this file.
    on_share: Callback<String>,
    /// Delete every file and start again (asks first).
    on_reset: Callback<()>,
) -> impl IntoView {
    let picker = NodeRef::<html::Input>::new();
    view! {
        <nav class="file-list" aria-label="Files" data-testid="files"
            on:dragover=move |event: web_sys::DragEvent| event.prevent_default()
            on:drop=move |event: web_sys::DragEvent| {
                event.prevent_default();
                if let Some(files) = event.data_transfer().and_then(|d| d.files()) {
                    on_upload.run(files_of(&files));
                }
            }>
            <button class="new-file" title="A new file in the workspace" on:click=move |_| on_new.run(())>
                "+ New file"
            </button>
            <button class="upload" title="Add files from this device (or drop them on this list)"
                on:click=move |_| { if let Some(input) = picker.get() { input.click(); } }>
                "⤒ Upload"
            </button>
            <button class="download-all" title="Download every file, as workspace.zip"
                on:click=move |_| on_download_all.run(())>
                "⤓ Zip"
            </button>
            <button class="reset-workspace" title="Delete every file and start again (asks first)"
                on:click=move |_| on_reset.run(())>
                "Reset…"
            </button>
            <input type="file" multiple class="upload-picker" node_ref=picker hidden
                on:change=move |_| {
                    if let Some(input) = picker.get() {
                        if let Some(files) = input.files() {
                            on_upload.run(files_of(&files));
                        }
                        input.set_value("");
                    }
                }/>
            <ul>
                <For each=move || names.get() key=|name| name.clone() let:name>
                    {
                        let (open_name, label) = (name.clone(), name.clone());
                        let action = |class, title: String, verb: &str, glyph, on: Callback<String>| {
                            file_action(class, title, format!("{verb} {label}"), glyph, on, label.clone())
                        };
                        let actions = (
                            action("rename-file", format!("Rename {label}"), "Rename", "✎", on_rename),
                            action("share-file", format!("A link that carries {label}"), "Share", "↗", on_share),
                            action("download-file", format!("Download {label}"), "Download", "⤓", on_download),
                            action("delete-file", format!("Delete {label}"), "Delete", "×", on_delete),
                        );
                        let is_current = Signal::derive(move || current.get() == name);
                        view! {
                            <li class:current=is_current>
                                <button class="file" aria-current=move || is_current.get().then_some("page")
                                    title="Open in the editor" on:click=move |_| on_open.run(open_name.clone())>
                                    {label.clone()}
                                </button>
                                {actions}
                            </li>
                        }
                    }
                </For>
            </ul>
        </nav>
    }
}

/// A button acting on the file `name`: its visible glyph, and its purpose as title and label.
fn file_action(
    class: &'static str,
    title: String,
    label: String,
    glyph: &'static str,
    on_click: Callback<String>,
    name: String,
) -> impl IntoView {
    view! {
        <button class=class title=title aria-label=label on:click=move |_| on_click.run(name.clone())>
            {glyph}
        </button>
    }
}
