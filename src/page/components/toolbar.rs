//! The workbench's buttons: Run (Stop while a program runs), Clear, Restart, the new REPL
//! and the editor's visibility; each tooltip names its shortcut.

use leptos::prelude::*;

/// Buttons for the program and the terminal.
#[component]
pub fn Toolbar(
    /// Whether a program started by Run is still running (Run becomes Stop).
    running: ReadSignal<bool>,
    /// Whether Python can take a command now (not while it downloads the first time).
    ready: Signal<bool>,
    /// Whether the editor is shown.
    editor_shown: RwSignal<bool>,
    /// Run the editor's file.
    on_run: Callback<()>,
    /// Stop the running program.
    on_stop: Callback<()>,
    /// Clear the terminal.
    on_clear: Callback<()>,
    /// A fresh interpreter without running the file.
    on_restart: Callback<()>,
    /// Show or hide the editor.
    on_toggle_editor: Callback<()>,
    /// Whether CPython's new REPL (PyREPL) is chosen over the basic one.
    new_repl: ReadSignal<bool>,
    /// Switch between them (a fresh interpreter).
    on_toggle_repl: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="toolbar" role="toolbar" aria-label="Program">
            <Show
                when=move || running.get()
                fallback=move || view! {
                    <button class="run" data-testid="run" disabled=move || !ready.get() || !editor_shown.get()
                        title="Run the file in a fresh Python (F5 or Ctrl+Enter)"
                        on:click=move |_| on_run.run(())>
                        "▶ Run"
                    </button>
                }
            >
                <button class="stop" data-testid="stop"
                    title="Stop the program (Ctrl+F2, or Ctrl+C in the terminal)"
                    on:click=move |_| on_stop.run(())>
                    "■ Stop"
                </button>
            </Show>
            <button class="clear" title="Clear the terminal (Ctrl+L in the terminal)"
                on:click=move |_| on_clear.run(())>
                "Clear"
            </button>
            <button class="restart" title="A fresh Python prompt, without running the file (Ctrl+Shift+F2)"
                on:click=move |_| on_restart.run(())>
                "Restart"
            </button>
            <button class="toggle-repl" data-testid="new-repl" aria-pressed=move || new_repl.get().to_string()
                title="CPython's new REPL at the prompt (colours, Tab completion, blocks edited and \
                       recalled whole): restarts Python"
                on:click=move |_| on_toggle_repl.run(())>
                "New REPL"
            </button>
            <button class="toggle-editor" aria-pressed=move || editor_shown.get().to_string()
                title="Show or hide the editor (Ctrl+Shift+E)"
                on:click=move |_| on_toggle_editor.run(())>
                "Editor"
            </button>
        </div>
    }
}
