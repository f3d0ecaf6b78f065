//! The workbench: the editor beside the terminal (stacked on a narrow screen), the toolbar,
//! and the commands that tie them: Run, Stop, Clear, Restart.

use crate::logic::documents::Documents;
use crate::logic::protocol::Program;
use crate::logic::workbench::{Chord, Command, LayoutPrefs, Split, command_for};
use crate::page::components::editor_pane::EditorPane;
use crate::page::components::split_divider::SplitDivider;
use crate::page::components::status_bar::StatusBar;
use crate::page::components::toolbar::Toolbar;
use crate::page::console::{Console, ConsoleEvent, Status};
use crate::page::editor::Editor;
use crate::page::isolation::PageMode;
use crate::page::{documents_store, layout_store};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Timeout;
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// How long after the last edit the file is saved.
const SAVE_DELAY_MS: u32 = 300;

/// Whether the page's address asks for the terminal alone (`?repl`), as when a course page
/// embeds it.
fn repl_only_requested() -> bool {
    let search = gloo::utils::window().location().search().unwrap_or_default();
    search.trim_start_matches('?').split('&').any(|p| p == "repl" || p.starts_with("repl="))
}

/// Everything the workbench keeps besides signals; it lives as long as the component.
struct Parts {
    console: Option<Console>,
    editor: Option<Editor>,
    documents: Documents,
    save_timer: Option<Timeout>,
    /// Whether the browser refused to keep the file last time.
    save_refused: bool,
    _listeners: Vec<EventListener>,
}

/// Editor, terminal and toolbar over one Python session.
#[component]
pub fn Workbench(
    /// How the page runs Python (shared memory, or the service worker's relay), and why.
    mode: PageMode,
    /// A one-off message for the status bar (for example "updated").
    notice: Option<String>,
) -> impl IntoView {
    let prefs = layout_store::load();
    let repl_only = repl_only_requested();
    let (status, set_status) = signal(Status::loading());
    let (running, set_running) = signal(false);
    let (note, set_note) = signal(None::<String>);
    let (prompted, set_prompted) = signal(false);
    let editor_shown = RwSignal::new(prefs.editor_shown && !repl_only);
    let split = RwSignal::new(Split::new(prefs.split));
    let terminal_ref = NodeRef::<html::Div>::new();
    let editor_ref = NodeRef::<html::Div>::new();
    let documents = documents_store::load();
    let file_name = RwSignal::new(documents.current().name.clone());
    let parts = StoredValue::new_local(Parts {
        console: None,
        editor: None,
        documents,
        save_timer: None,
        save_refused: false,
        _listeners: Vec::new(),
    });

    let save_now = move || {
        let kept = parts.with_value(|p| documents_store::save(&p.documents));
        let refused_before =
            parts.try_update_value(|p| std::mem::replace(&mut p.save_refused, !kept)).unwrap_or(false);
        if !kept && !refused_before {
            set_note.set(Some(
                "This browser refuses to keep your file (storage is blocked here): copy it before you leave."
                    .into(),
            ));
        } else if kept && refused_before {
            set_note.set(None);
        }
    };
    let on_edit = move |text: String| {
        parts.update_value(|p| {
            p.documents.set_current_text(text);
            p.save_timer = Some(Timeout::new(SAVE_DELAY_MS, save_now));
        });
    };
    let run = move || {
        let program = parts.with_value(|p| {
            let text = p.editor.as_ref().map_or_else(|| p.documents.current().text.clone(), Editor::text);
            if let Some(editor) = &p.editor {
                editor.clear_marks();
            }
            Program { name: p.documents.current().name.clone(), text }
        });
        parts.update_value(|p| {
            p.documents.set_current_text(program.text.clone());
            p.save_timer = None;
        });
        save_now();
        parts.with_value(|p| {
            if let Some(console) = &p.console {
                console.run(program);
            }
        });
    };
    let stop = move || parts.with_value(|p| p.console.as_ref().map(Console::stop));
    let clear = move || parts.with_value(|p| p.console.as_ref().map(Console::clear));
    let restart = move || parts.with_value(|p| p.console.as_ref().map(Console::restart));
    let save_layout = move || {
        layout_store::save(LayoutPrefs {
            split: split.get_untracked().fraction(),
            editor_shown: editor_shown.get_untracked(),
        });
    };
    let toggle_editor = move || {
        editor_shown.update(|shown| *shown = !*shown);
        save_layout();
        parts.with_value(|p| {
            if editor_shown.get_untracked() {
                p.editor.as_ref().map(Editor::focus);
            } else {
                p.console.as_ref().map(Console::focus);
            }
        });
    };

    // The terminal, and Python behind it, start first; the editor loads once the first
    // prompt is on screen, so that it never delays it.
    Effect::new(move |_| {
        let Some(element) = terminal_ref.get() else { return };
        if parts.with_value(|p| p.console.is_some()) {
            return;
        }
        let on_event = move |event: ConsoleEvent| match event {
            ConsoleEvent::FirstPrompt => set_prompted.set(true),
            ConsoleEvent::ProgramStarted => set_running.set(true),
            ConsoleEvent::ProgramEnded { error } => {
                set_running.set(false);
                if let Some(error) = error {
                    parts.with_value(|p| p.editor.as_ref().map(|e| e.mark_error(error.line, &error.message)));
                }
            }
        };
        let console =
            Console::open(element.into(), mode.session_mode(), move |s| set_status.set(s), on_event);
        parts.update_value(|p| p.console = Some(console));
    });
    Effect::new(move |_| {
        if !prompted.get() || !editor_shown.get() {
            return;
        }
        let Some(element) = editor_ref.get() else { return };
        if parts.with_value(|p| p.editor.is_some()) {
            return;
        }
        set_note.set(Some("Loading the editor…".into()));
        let text = parts.with_value(|p| p.documents.current().text.clone());
        leptos::task::spawn_local(async move {
            match Editor::open(&element.into(), &text, on_edit, run).await {
                Ok(editor) => {
                    set_note.set(None);
                    parts.update_value(|p| p.editor = Some(editor));
                }
                Err(error) => set_note.set(Some(format!("{error}; the terminal still works."))),
            }
        });
    });
    // A resized pane refits the terminal.
    Effect::new(move |_| {
        split.track();
        editor_shown.track();
        parts.with_value(|p| p.console.as_ref().map(Console::fit));
    });

    // Page-wide shortcuts, before the terminal or the editor sees the key.
    let options = EventListenerOptions::run_in_capture_phase();
    let keys = EventListener::new_with_options(&gloo::utils::window(), "keydown", options, move |event| {
        let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
        let key = event.key();
        let chord = Chord {
            key: &key,
            ctrl: event.ctrl_key(),
            shift: event.shift_key(),
            alt: event.alt_key(),
            meta: event.meta_key(),
        };
        let Some(command) = command_for(chord) else { return };
        event.prevent_default();
        event.stop_propagation();
        match command {
            Command::Run if editor_shown.get_untracked() && !running.get_untracked() => run(),
            Command::Run | Command::Stop if running.get_untracked() => {
                stop();
            }
            Command::Run | Command::Stop => {}
            Command::Restart => {
                restart();
            }
            Command::ToggleEditor => toggle_editor(),
        }
    });
    // Leaving the page (or the tab) saves a file edited in the last moments.
    let hidden = EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
        if gloo::utils::document().visibility_state() == web_sys::VisibilityState::Hidden
            && parts.with_value(|p| p.save_timer.is_some())
        {
            parts.update_value(|p| p.save_timer = None);
            save_now();
        }
    });
    parts.update_value(|p| p._listeners = vec![keys, hidden]);

    let ready = Signal::derive(move || !matches!(status.get(), Status::Loading { .. }));
    view! {
        <StatusBar status=status mode=mode notice=notice>
            <Toolbar running=running ready=ready editor_shown=editor_shown
                on_run=Callback::new(move |()| run()) on_stop=Callback::new(move |()| { stop(); })
                on_clear=Callback::new(move |()| { clear(); }) on_restart=Callback::new(move |()| { restart(); })
                on_toggle_editor=Callback::new(move |()| toggle_editor())/>
        </StatusBar>
        <div class="workbench" class:editor-hidden=move || !editor_shown.get()
            style=move || format!("--split: {:.4}", split.get().fraction())>
            <EditorPane container=editor_ref file_name=file_name.into() note=note/>
            <SplitDivider split=split on_settled=Callback::new(move |()| save_layout())/>
            <section class="terminal-pane" aria-label="Python terminal">
                <div class="terminal" node_ref=terminal_ref data-testid="terminal"></div>
            </section>
        </div>
    }
}
