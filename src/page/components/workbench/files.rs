//! The workbench's file commands (open, new, rename, delete, upload, download one file or
//! all as a zip, share, reset, a shared link opened) and keeping the workspace in the browser.

use super::Parts;
use crate::logic::archive;
use crate::logic::documents::STARTER;
use crate::logic::share::{self, ShareError, SharedFile};
use crate::logic::workspace::{Workspace, WorkspaceFile};
use crate::page::editor::Editor;
use crate::page::timing::Span;
use crate::page::workspace_channel::Kept;
use crate::page::workspace_store::{self, StoreError, WorkspaceStore};
use crate::page::{file_transfer, share_link};
use gloo::timers::callback::Timeout;
use leptos::prelude::*;
use std::rc::Rc;

/// How long after the last edit the file is saved.
const SAVE_DELAY_MS: u32 = 300;

/// The User Timing name of a save to IndexedDB, from its start until the browser has it.
const SAVED: &str = "workspace: saved in IndexedDB";

/// What the file commands work on: the workbench's parts and the signals they update.
#[derive(Clone, Copy)]
pub(super) struct Files {
    pub parts: StoredValue<Parts, LocalStorage>,
    /// A message under the file's name (an error, or what just happened).
    pub set_note: WriteSignal<Option<String>>,
    pub set_names: WriteSignal<Vec<String>>,
    pub set_current: WriteSignal<String>,
    /// A share link made for the student to copy.
    pub set_link: WriteSignal<Option<String>>,
}

fn ask(question: &str) -> bool {
    gloo::utils::window().confirm_with_message(question).unwrap_or(false)
}

impl Files {
    fn note(self, text: impl Into<String>) {
        self.set_note.set(Some(text.into()));
    }

    fn store(self) -> Option<Rc<WorkspaceStore>> {
        self.parts.with_value(|p| p.store.clone())
    }

    /// The student's change: Python's working directory follows (at its next prompt or
    /// `input()`), and the browser keeps it.
    pub fn keep(self, files: Vec<WorkspaceFile>, removed: Vec<String>) {
        self.tell_python(files.clone(), &removed);
        self.keep_in_browser(files, removed);
    }

    fn tell_python(self, files: Vec<WorkspaceFile>, removed: &[String]) {
        self.parts.with_value(|p| p.console.as_ref().map(|c| c.push_workspace(files, removed)));
    }

    /// Keeps `files` and forgets `removed` in the browser (Python has them already), in the
    /// background; a refusal is shown, with how much of the browser's storage the site uses
    /// when it is full.
    pub fn keep_in_browser(self, files: Vec<WorkspaceFile>, removed: Vec<String>) {
        let Some(store) = self.store() else { return };
        self.saving(true);
        leptos::task::spawn_local(async move {
            let span = Span::start(SAVED);
            match store.save(&files, &removed).await {
                Ok(()) => {
                    span.finish();
                    self.announce(Kept { written: files, removed, replaced_all: false });
                }
                Err(error) => self.refused(error).await,
            }
            self.saving(false);
        });
    }

    /// Counts the saves under way (see the workbench's `beforeunload` listener).
    fn saving(self, started: bool) {
        self.parts.update_value(|p| {
            p.saves_in_flight =
                if started { p.saves_in_flight + 1 } else { p.saves_in_flight.saturating_sub(1) };
        });
    }

    /// Tells other tabs of this site what was kept.
    fn announce(self, kept: Kept) {
        self.parts.with_value(|p| p.channel.as_ref().map(|c| c.announce(&kept)));
    }

    /// Another tab kept files: this tab's copy follows, except the file this tab is editing
    /// right now (its own text is kept, and saved over the other tab's, which then follows).
    pub fn heard(self, kept: Kept) {
        let Kept { mut written, removed, replaced_all } = kept;
        let editing =
            self.parts.with_value(|p| p.save_timer.is_some().then(|| p.workspace.current().to_owned()));
        if let Some(name) = &editing
            && let Some(at) = written.iter().position(|f| f.name == *name)
        {
            written.remove(at);
            self.note(format!("{name} was also changed in another tab; the text here is kept."));
        }
        let gone =
            if replaced_all { self.parts.with_value(|p| p.workspace.names()) } else { removed.clone() };
        self.tell_python(written.clone(), &gone);
        let current_changed = self.parts.try_update_value(|p| {
            if replaced_all {
                p.save_timer = None;
                p.workspace = Workspace::new(written, Some(p.workspace.current().to_owned()));
                true
            } else {
                p.workspace.apply(written, &removed)
            }
        });
        self.show_changes(current_changed == Some(true));
    }

    /// Shows what changed: the editor's file too if `current_changed`, else the list.
    pub fn show_changes(self, current_changed: bool) {
        if current_changed {
            self.show_current();
        } else {
            self.show_files();
        }
    }

    async fn refused(self, error: StoreError) {
        let usage = match workspace_store::usage().await {
            Some((used, quota)) => format!(
                " The browser's storage for this site holds {:.1} MB of at most {:.1} MB: \
                 delete or download large files.",
                used / 1e6,
                quota / 1e6
            ),
            None => String::new(),
        };
        self.note(format!(
            "{error}: the last change is not kept.{usage} Download your work before you leave."
        ));
    }

    /// Shows the list of files and the one open.
    pub fn show_files(self) {
        self.parts.with_value(|p| {
            self.set_names.set(p.workspace.names());
            self.set_current.set(p.workspace.current().to_owned());
        });
    }

    /// Shows the workspace's current file in the editor.
    pub fn show_current(self) {
        self.parts.with_value(|p| {
            if let Some(editor) = &p.editor {
                editor.set_text(&p.workspace.current_text());
            }
            workspace_store::set_current_file(p.workspace.current());
        });
        self.show_files();
    }

    /// Keeps the file the editor shows now.
    pub fn save_current(self) {
        let file = self.parts.with_value(|p| {
            let name = p.workspace.current().to_owned();
            let bytes = p.workspace.bytes(&name).unwrap_or_default().to_vec();
            WorkspaceFile { name, bytes }
        });
        self.parts.update_value(|p| p.save_timer = None);
        self.keep(vec![file], Vec::new());
    }

    /// Saves an edit whose save still waits for its delay.
    pub fn save_pending(self) {
        if self.parts.with_value(|p| p.save_timer.is_some()) {
            self.save_current();
        }
    }

    /// The editor's text changed: kept after a short quiet spell.
    pub fn edited(self, text: &str) {
        self.parts.update_value(|p| {
            p.workspace.set_current_text(text);
            p.save_timer = Some(Timeout::new(SAVE_DELAY_MS, move || self.save_current()));
        });
    }

    /// Shows `name` in the editor.
    pub fn open(self, name: &str) {
        self.save_pending();
        match self.parts.try_update_value(|p| p.workspace.open(name)) {
            Some(Ok(())) => self.show_current(),
            Some(Err(error)) => self.note(error.to_string()),
            None => {}
        }
    }

    /// Asks for a name and makes a new empty file.
    pub fn create(self) {
        let window = gloo::utils::window();
        let Ok(Some(name)) = window.prompt_with_message_and_default("Name of the new file:", "helpers.py")
        else {
            return;
        };
        self.save_pending();
        match self.parts.try_update_value(|p| p.workspace.create(&name)) {
            Some(Ok(())) => {
                self.show_current();
                self.save_current();
                self.parts.with_value(|p| p.editor.as_ref().map(Editor::focus));
            }
            Some(Err(error)) => self.note(error.to_string()),
            None => {}
        }
    }

    /// Asks for a new name for `name`.
    pub fn rename(self, name: &str) {
        let window = gloo::utils::window();
        let Ok(Some(new_name)) = window.prompt_with_message_and_default(&format!("Rename {name} to:"), name)
        else {
            return;
        };
        self.save_pending();
        match self.parts.try_update_value(|p| p.workspace.rename(name, &new_name)) {
            Some(Ok(())) => {
                let renamed = self.parts.with_value(|p| {
                    let to = new_name.trim();
                    p.workspace
                        .bytes(to)
                        .map(|bytes| WorkspaceFile { name: to.to_owned(), bytes: bytes.to_vec() })
                });
                if let Some(file) = renamed.filter(|f| f.name != name) {
                    self.keep(vec![file], vec![name.to_owned()]);
                }
                self.show_current();
            }
            Some(Err(error)) => self.note(error.to_string()),
            None => {}
        }
    }

    /// Deletes `name`, after asking.
    pub fn delete(self, name: &str) {
        if !ask(&format!("Delete {name}? This cannot be undone.")) {
            return;
        }
        match self.parts.try_update_value(|p| p.workspace.delete(name)) {
            Some(Ok(())) => {
                self.show_current();
                self.keep(Vec::new(), vec![name.to_owned()]);
                self.save_current();
            }
            Some(Err(error)) => self.note(error.to_string()),
            None => {}
        }
    }

    /// Takes uploaded files in (asking before replacing one).
    pub fn upload(self, files: Vec<web_sys::File>) {
        leptos::task::spawn_local(async move {
            let (mut kept, mut problems) = (Vec::new(), Vec::new());
            for outcome in file_transfer::read_files(files).await {
                let file = match outcome {
                    Ok(file) => file,
                    Err(error) => {
                        problems.push(error.to_string());
                        continue;
                    }
                };
                if self.parts.with_value(|p| p.workspace.contains(&file.name))
                    && !ask(&format!("Replace {} with the uploaded file?", file.name))
                {
                    continue;
                }
                match self.parts.try_update_value(|p| p.workspace.add(file.clone())) {
                    Some(Ok(_)) => kept.push(file),
                    Some(Err(error)) => problems.push(error.to_string()),
                    None => {}
                }
            }
            self.show_changes(
                kept.iter().any(|f| self.parts.with_value(|p| p.workspace.current() == f.name)),
            );
            let names: Vec<String> = kept.iter().map(|f| f.name.clone()).collect();
            self.keep(kept, Vec::new());
            if !names.is_empty() {
                problems.insert(0, format!("Added {}.", names.join(", ")));
            }
            self.set_note.set((!problems.is_empty()).then(|| problems.join(" ")));
        });
    }

    /// Hands `name` to the browser's download, with its exact bytes.
    pub fn download(self, name: &str) {
        let outcome = self
            .parts
            .with_value(|p| p.workspace.bytes(name).map(|bytes| file_transfer::download(name, bytes)));
        if let Some(Err(error)) = outcome {
            self.note(error.to_string());
        }
    }

    /// Hands every file to the browser's download, as `workspace.zip`.
    pub fn download_all(self) {
        self.save_pending();
        let zipped = self.parts.with_value(|p| archive::zip(&p.workspace.files()));
        let outcome = zipped
            .map_err(|e| e.to_string())
            .and_then(|bytes| file_transfer::download("workspace.zip", &bytes).map_err(|e| e.to_string()));
        if let Err(error) = outcome {
            self.note(error);
        }
    }

    /// Makes a link that carries `name`, shows it and copies it.
    pub fn share(self, name: &str) {
        self.save_pending();
        let fragment =
            self.parts.with_value(|p| p.workspace.bytes(name).map(|b| share::fragment_for(name, b)));
        let link = match fragment {
            Some(Ok(fragment)) => share_link::link_with(&fragment),
            Some(Err(error)) => {
                self.set_link.set(None);
                self.note(error.to_string());
                return;
            }
            None => return,
        };
        self.set_link.set(Some(link.clone()));
        let name = name.to_owned();
        leptos::task::spawn_local(async move {
            self.note(if share_link::copy(&link).await {
                format!("A link to {name} is copied: whoever opens it gets the file, without running it.")
            } else {
                format!("Copy this link to {name}: whoever opens it gets the file, without running it.")
            });
        });
    }

    /// Deletes every file, after asking, and starts again with the starter program.
    pub fn reset(self) {
        let count = self.parts.with_value(|p| p.workspace.names().len());
        if !ask(&format!(
            "Delete all {count} files of the workspace and start again? This cannot be undone \
             (download them as a zip first to keep them)."
        )) {
            return;
        }
        let gone = self.parts.with_value(|p| p.workspace.names());
        self.parts.update_value(|p| {
            p.save_timer = None;
            p.workspace.reset(STARTER);
        });
        self.show_current();
        let (files, store) = self.parts.with_value(|p| (p.workspace.files(), p.store.clone()));
        self.tell_python(files.clone(), &gone);
        let Some(store) = store else { return };
        self.saving(true);
        leptos::task::spawn_local(async move {
            match store.replace_all(&files).await {
                Ok(()) => self.announce(Kept { written: files, removed: Vec::new(), replaced_all: true }),
                Err(error) => self.refused(error).await,
            }
            self.saving(false);
        });
    }

    /// Opens the file a shared link in the page's address brings, if any: it joins the
    /// workspace (never overwriting a file) and shows in the editor, and never runs.
    pub fn open_shared_link(self) {
        if let Some(shared) = share_link::take_shared() {
            self.open_shared(shared);
        }
    }

    /// Opens what a shared link brought (taken from the address already).
    pub fn open_shared(self, shared: Result<SharedFile, ShareError>) {
        match shared {
            Err(error) => self.note(error.to_string()),
            Ok(SharedFile::Inline { name, bytes }) => self.receive_shared(WorkspaceFile { name, bytes }),
            Ok(SharedFile::Published { path, name }) => {
                self.note(format!("Opening {path}…"));
                leptos::task::spawn_local(async move {
                    match share_link::fetch_published(&path).await {
                        Ok(bytes) => self.receive_shared(WorkspaceFile { name, bytes }),
                        Err(error) => self.note(error.to_string()),
                    }
                });
            }
        }
    }

    fn receive_shared(self, file: WorkspaceFile) {
        let shared_name = file.name.clone();
        if let Some(name) = self.receive(file) {
            let renamed = if name == shared_name {
                String::new()
            } else {
                format!(" as {name} (you already have a different {shared_name})")
            };
            self.note(format!("Opened {shared_name}{renamed} from a shared link. It has not run: press Run when you want to."));
        }
    }

    /// A paste too large for the prompt of CPython's new REPL: kept as a new file, opened.
    pub fn receive_paste(self, text: String) {
        let (size, lines) = (text.len(), text.lines().count());
        if let Some(name) = self.receive(WorkspaceFile { name: "pasted.py".into(), bytes: text.into_bytes() })
        {
            self.note(format!(
                "That paste ({lines} lines, {:.1} KB) is too large to edit at the >>> prompt, so it \
                 is in {name}: press Run to run it. (Without New REPL chosen, pastes of any size run \
                 line by line at the prompt.)",
                size as f64 / 1024.0
            ));
        }
    }

    /// Adds `file` to the workspace (renamed if its name is taken by another), opens it, and
    /// keeps it in the browser; its name, or `None` when it could not be added (said).
    fn receive(self, file: WorkspaceFile) -> Option<String> {
        let received = self.parts.try_update_value(|p| {
            let name = p.workspace.receive(file)?;
            // A text file opens in the editor; another kind only joins the list.
            let _ = p.workspace.open(&name);
            Ok::<_, crate::logic::workspace::FileError>(name)
        });
        match received {
            Some(Ok(name)) => {
                let kept = self.parts.with_value(|p| {
                    p.workspace.bytes(&name).map(|b| WorkspaceFile { name: name.clone(), bytes: b.to_vec() })
                });
                self.keep(kept.into_iter().collect(), Vec::new());
                self.show_current();
                Some(name)
            }
            Some(Err(error)) => {
                self.note(error.to_string());
                None
            }
            None => None,
        }
    }
}
