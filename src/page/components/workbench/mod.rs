//! The workbench: the files and the editor beside the terminal (stacked on a narrow screen),
//! the toolbar, and the commands that tie them: Run, Stop, Clear, Restart (the file
//! commands and keeping the workspace are in `files`).

use crate::logic::canvas_protocol::CanvasEvent;
use crate::logic::canvas_scene::Question;
use crate::logic::protocol::{Program, ReplKind};
use crate::logic::workbench::{Chord, Command, LayoutPrefs, Split, command_for};
use crate::logic::workspace::{Workspace, WorkspaceFile};
use crate::page::components::drawing_panel::DrawingPanel;
use crate::page::components::editor_pane::EditorPane;
use crate::page::components::file_list::FileList;
use crate::page::components::link_offer::LinkOffer;
use crate::page::components::split_divider::SplitDivider;
use crate::page::components::status_bar::StatusBar;
use crate::page::components::toolbar::Toolbar;
use crate::page::console::{Console, ConsoleEvent, FilesSource, Status};
use crate::page::drawing::{self, BoardNews, DrawingBoard};
use crate::page::editor::Editor;
use crate::page::isolation::PageMode;
use crate::page::share_link;
use crate::page::timing::Span;
use crate::page::workspace_channel::WorkspaceChannel;
use crate::page::workspace_store::{self, WorkspaceStore};
use crate::page::{documents_store, layout_store};
use files::Files;
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Timeout;
use leptos::html;
use leptos::prelude::*;
use std::rc::Rc;
use wasm_bindgen::JsCast;

mod files;

/// The User Timing name of the time from the terminal's opening until the first interpreter
/// is asked for (Python may still be downloading then).
const FIRST_RUN_ASKED: &str = "workspace: first interpreter asked for";

/// The editor pane's note while the editor loads.
const LOADING_EDITOR: &str = "Loading the editor…";

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
    workspace: Workspace,
    /// Where the workspace is kept; `None` where the browser refuses (then it lasts as long as
    /// the tab).
    store: Option<Rc<WorkspaceStore>>,
    save_timer: Option<Timeout>,
    /// Saves to the browser's storage under way: closing the tab now would lose them.
    saves_in_flight: u32,
    /// The workspace has been read from the browser's storage.
    workspace_read: bool,
    /// What other tabs of the site keep, and what this one tells them.
    channel: Option<WorkspaceChannel>,
    _listeners: Vec<EventListener>,
}

/// The files a first visit starts with: the editor's text from before the workspace (kept
/// in local storage), or the starter program.
fn first_files() -> Vec<WorkspaceFile> {
    let documents = documents_store::load();
    let document = documents.current();
    vec![WorkspaceFile { name: document.name.clone(), bytes: document.text.clone().into_bytes() }]
}

/// Editor, files, terminal and toolbar over one Python session.
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
    let (names, set_names) = signal(Vec::<String>::new());
    let (current, set_current) = signal(String::new());
    let editor_shown = RwSignal::new(prefs.editor_shown && !repl_only);
    let split = RwSignal::new(Split::new(prefs.split));
    let new_repl = RwSignal::new(prefs.new_repl);
    let terminal_ref = NodeRef::<html::Div>::new();
    let editor_ref = NodeRef::<html::Div>::new();
    let parts = StoredValue::new_local(Parts {
        console: None,
        editor: None,
        workspace: Workspace::new([], None),
        store: None,
        save_timer: None,
        saves_in_flight: 0,
        workspace_read: false,
        channel: None,
        _listeners: Vec::new(),
    });
    let (link, set_link) = signal(None::<String>);
    let (web_page, set_web_page) = signal(None::<String>);
    // Turtle graphics: the drawing Python makes, in a panel above the terminal.
    let (drawing_shown, set_drawing_shown) = signal(false);
    let (drawing_title, set_drawing_title) = signal(String::new());
    let (question, set_question) = signal(None::<Question>);
    let drawing_area = NodeRef::<html::Div>::new();
    let send_to_python = move |event: CanvasEvent| {
        parts.with_value(|p| p.console.as_ref().map(|c| c.send_canvas_event(&event)));
    };
    let board_news = move |news: BoardNews| match news {
        BoardNews::Shown { title } => {
            // Every batch says so: only a change redraws the title.
            if drawing_title.get_untracked() != title {
                set_drawing_title.set(title);
            }
            if !drawing_shown.get_untracked() {
                set_drawing_shown.set(true);
            }
        }
        BoardNews::Hidden => {
            set_drawing_shown.set(false);
            set_question.set(None);
        }
        BoardNews::Ask(asked) => {
            set_drawing_shown.set(true);
            set_question.set(Some(asked));
        }
        BoardNews::Resized => {
            parts.with_value(|p| p.console.as_ref().map(Console::fit));
        }
    };
    let board = StoredValue::new_local(DrawingBoard::new(send_to_python, board_news));
    let answer = move |value: Option<String>| {
        let Some(asked) = question.get_untracked() else { return };
        set_question.set(None);
        board.with_value(|b| b.send(CanvasEvent::Answer { ask: asked.ask, value }));
    };
    let close_drawing = move || {
        // A question open stays unanswered no longer: closing cancels it, as Tk's does.
        answer(None);
        board.with_value(DrawingBoard::close);
    };
    let save_drawing = move |svg: bool| {
        if let Err(error) = board.with_value(|b| drawing::save(b, svg)) {
            set_note.set(Some(error.to_string()));
        }
    };
    let files = Files { parts, set_note, set_names, set_current, set_link };
    let run = move || {
        let program = parts.with_value(|p| {
            let text = p.editor.as_ref().map_or_else(|| p.workspace.current_text(), Editor::text);
            if let Some(editor) = &p.editor {
                editor.clear_marks();
            }
            Program { name: p.workspace.current().to_owned(), text }
        });
        parts.update_value(|p| p.workspace.set_current_text(&program.text));
        files.save_current();
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
            new_repl: new_repl.get_untracked(),
        });
    };
    let repl_kind = move || if new_repl.get_untracked() { ReplKind::PyRepl } else { ReplKind::Basic };
    // The other prompt, in a fresh interpreter at once (as choosing another Python would).
    let toggle_repl = move || {
        new_repl.update(|chosen| *chosen = !*chosen);
        save_layout();
        parts.with_value(|p| {
            if let Some(console) = &p.console {
                console.set_repl(repl_kind());
                console.restart();
            }
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
    let on_event = move |event: ConsoleEvent| match event {
        ConsoleEvent::FirstPrompt => set_prompted.set(true),
        ConsoleEvent::ProgramStarted => set_running.set(true),
        ConsoleEvent::ProgramEnded { error } => {
            set_running.set(false);
            if let Some(error) = error {
                parts.with_value(|p| p.editor.as_ref().map(|e| e.mark_error(error.line, &error.message)));
            }
        }
        ConsoleEvent::OpenUrl(url) => set_web_page.set(Some(url)),
        ConsoleEvent::PasteTooLarge(text) => {
            if !editor_shown.get_untracked() {
                toggle_editor();
            }
            files.receive_paste(text);
        }
        ConsoleEvent::InterpreterStarted => board.with_value(DrawingBoard::reset),
        ConsoleEvent::Drawing(ops) => board.with_value(|b| b.apply(&ops)),
        ConsoleEvent::FilesChanged { written, removed } => {
            let kept = written.clone();
            let current_changed =
                parts.try_update_value(|p| p.workspace.apply(written, &removed)).unwrap_or(false);
            files.keep_in_browser(kept, removed);
            files.show_changes(current_changed);
        }
    };

    // The terminal opens and Python downloads while the workspace is read; the first
    // interpreter gets the workspace before its first line of input. The editor loads once
    // the first prompt is on screen, so that it never delays it.
    Effect::new(move |_| {
        let Some(element) = terminal_ref.get() else { return };
        if parts.with_value(|p| p.console.is_some()) {
            return;
        }
        let source: FilesSource = Box::new(move || parts.with_value(|p| p.workspace.files()));
        let console =
            Console::open(element.into(), mode.session_mode(), source, move |s| set_status.set(s), on_event);
        console.set_repl(repl_kind());
        parts.update_value(|p| p.console = Some(console));
        leptos::task::spawn_local(async move {
            let mut span = Some(Span::start(FIRST_RUN_ASKED));
            let mut start_python = move |files: Vec<WorkspaceFile>, kept_workspace_follows: bool| {
                parts.with_value(|p| {
                    p.console.as_ref().map(|c| c.start_python(files, kept_workspace_follows))
                });
                if let Some(span) = span.take() {
                    span.finish();
                }
            };
            // Python starts as soon as it is loaded, without waiting for the files kept here
            // (megabytes, maybe): the page reads them meanwhile and hands them over as a set
            // of changes, which Python takes before its first line of input (a first visit's
            // are the starter program). A shared file's name depends on the files here, so
            // then Python waits for them.
            let shared = share_link::take_shared();
            let kept_follows = shared.is_none();
            if kept_follows {
                start_python(Vec::new(), true);
            }
            let store = match WorkspaceStore::open().await {
                Ok(store) => Some(Rc::new(store)),
                Err(error) => {
                    set_note.set(Some(format!("{error}: your files last only as long as this tab.")));
                    None
                }
            };
            let kept = match &store {
                Some(store) => store.load().await.unwrap_or_else(|error| {
                    set_note.set(Some(format!("{error}: your files last only as long as this tab.")));
                    Vec::new()
                }),
                None => Vec::new(),
            };
            let first_visit = kept.is_empty();
            let kept = if first_visit { first_files() } else { kept };
            parts.update_value(|p| {
                p.workspace = Workspace::new(kept, workspace_store::current_file());
                p.store = store;
                p.workspace_read = true;
            });
            if kept_follows {
                parts.with_value(|p| {
                    p.console.as_ref().map(|c| c.deliver_kept_workspace(p.workspace.files()))
                });
            }
            if first_visit {
                files.keep_in_browser(parts.with_value(|p| p.workspace.files()), Vec::new());
            }
            let channel = WorkspaceChannel::open(move |kept| files.heard(kept));
            parts.update_value(|p| p.channel = channel);
            if let Some(shared) = shared {
                files.open_shared(shared);
            }
            files.show_files();
            if !kept_follows {
                start_python(parts.with_value(|p| p.workspace.files()), false);
            }
        });
    });
    Effect::new(move |_| {
        if !prompted.get() || !editor_shown.get() {
            return;
        }
        let Some(element) = editor_ref.get() else { return };
        if parts.with_value(|p| p.editor.is_some()) {
            return;
        }
        if note.get_untracked().is_none() {
            set_note.set(Some(LOADING_EDITOR.into()));
        }
        let text = parts.with_value(|p| p.workspace.current_text());
        let on_edit = move |text: String| files.edited(&text);
        leptos::task::spawn_local(async move {
            match Editor::open(&element.into(), &text, on_edit, run).await {
                Ok(editor) => {
                    if note.get_untracked().as_deref() == Some(LOADING_EDITOR) {
                        set_note.set(None);
                    }
                    parts.update_value(|p| {
                        // A file that arrived while the editor loaded (a teacher's link).
                        let current = p.workspace.current_text();
                        if current != text {
                            editor.set_text(&current);
                        }
                        p.editor = Some(editor);
                    });
                }
                Err(error) => set_note.set(Some(format!("{error}; the terminal still works."))),
            }
        });
    });
    Effect::new(move |_| {
        if let Some(area) = drawing_area.get() {
            board.with_value(|b| b.attach(area.into()));
        }
    });
    // A resized pane refits the terminal.
    Effect::new(move |_| {
        split.track();
        editor_shown.track();
        drawing_shown.track();
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
        if gloo::utils::document().visibility_state() == web_sys::VisibilityState::Hidden {
            files.save_pending();
        }
    });
    // A share link opened while the page is open (only its fragment differs: no reload).
    let shared = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
        if parts.with_value(|p| p.workspace_read) {
            files.open_shared_link();
        }
    });
    // Closing the tab while a save is under way (a file Python has just written, an edit of
    // the last moment): the browser asks first, and the save completes meanwhile.
    let window = gloo::utils::window();
    let leaving = EventListener::new_with_options(
        &window,
        "beforeunload",
        EventListenerOptions::enable_prevent_default(),
        move |event| {
            files.save_pending();
            if parts.with_value(|p| p.saves_in_flight > 0) {
                event.prevent_default();
                if let Some(event) = event.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                    event.set_return_value("Your files are still being saved.");
                }
            }
        },
    );
    parts.update_value(|p| p._listeners = vec![keys, hidden, shared, leaving]);

    let ready = Signal::derive(move || !matches!(status.get(), Status::Loading { .. }));
    view! {
        <StatusBar status=status mode=mode notice=notice>
            <Toolbar running=running ready=ready editor_shown=editor_shown
                on_run=Callback::new(move |()| run()) on_stop=Callback::new(move |()| { stop(); })
                on_clear=Callback::new(move |()| { clear(); }) on_restart=Callback::new(move |()| { restart(); })
                on_toggle_editor=Callback::new(move |()| toggle_editor())
                new_repl=new_repl.read_only() on_toggle_repl=Callback::new(move |()| toggle_repl())/>
        </StatusBar>
        <LinkOffer offer=web_page on_done=Callback::new(move |()| set_web_page.set(None))/>
        <div class="workbench" class:editor-hidden=move || !editor_shown.get()
            style=move || format!("--split: {:.4}", split.get().fraction())>
            <section class="editor-pane" aria-label="Editor">
                <FileList names=names current=current
                    on_open=Callback::new(move |name: String| files.open(&name))
                    on_new=Callback::new(move |()| files.create())
                    on_rename=Callback::new(move |name: String| files.rename(&name))
                    on_delete=Callback::new(move |name: String| files.delete(&name))
                    on_upload=Callback::new(move |list| files.upload(list))
                    on_download=Callback::new(move |name: String| files.download(&name))
                    on_download_all=Callback::new(move |()| files.download_all())
                    on_share=Callback::new(move |name: String| files.share(&name))
                    on_reset=Callback::new(move |()| files.reset())/>
                <EditorPane container=editor_ref file_name=current.into() note=note link=link
                    on_close_link=Callback::new(move |()| set_link.set(None))/>
            </section>
            <SplitDivider split=split on_settled=Callback::new(move |()| save_layout())/>
            <section class="terminal-pane" aria-label="Python terminal">
                <DrawingPanel shown=drawing_shown title=drawing_title question=question area=drawing_area
                    on_answer=Callback::new(answer) on_save=Callback::new(save_drawing)
                    on_close=Callback::new(move |()| close_drawing())/>
                <div class="terminal" node_ref=terminal_ref data-testid="terminal"></div>
            </section>
        </div>
    }
}
