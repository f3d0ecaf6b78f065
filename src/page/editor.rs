//! The code editor (CodeMirror 6 behind `src/page/js/editor.mjs`), loaded with `import()`
//! after Python has started so that it never delays the first prompt, and bound with Rust
//! types: text in, text out, a line to mark.

use crate::page_and_worker::dynamic_import::import_module;
use crate::page_and_worker::js_error::describe;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// The editor object `createEditor` returns.
    type PyEditor;

    #[wasm_bindgen(method, structural)]
    fn text(this: &PyEditor) -> String;
    #[wasm_bindgen(method, structural, js_name = setText)]
    fn set_text(this: &PyEditor, text: &str);
    #[wasm_bindgen(method, structural)]
    fn focus(this: &PyEditor);
    #[wasm_bindgen(method, structural, js_name = markLine)]
    fn mark_line(this: &PyEditor, line: u32, message: &str);
    #[wasm_bindgen(method, structural, js_name = clearMarks)]
    fn clear_marks(this: &PyEditor);
    #[wasm_bindgen(method, structural)]
    fn destroy(this: &PyEditor);
}

/// The import map's name for the bundled editor module.
const EDITOR_MODULE: &str = "codemirror";

/// Why the editor is not there.
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    /// The module did not download or did not load.
    #[error("the editor could not be loaded ({0})")]
    Load(String),
    /// The module loaded but refused to make an editor.
    #[error("the editor could not start ({0})")]
    Create(String),
}

/// An editor in the page; dropping it removes it and its callbacks.
pub struct Editor {
    view: PyEditor,
    _on_change: Closure<dyn FnMut(String)>,
    _on_run: Closure<dyn FnMut()>,
}

impl Editor {
    /// Loads the editor module and opens an editor holding `text` in `parent`; `on_change`
    /// gets the text after each edit, `on_run` is called for Ctrl+Enter and F5.
    pub async fn open(
        parent: &web_sys::HtmlElement,
        text: &str,
        on_change: impl FnMut(String) + 'static,
        on_run: impl FnMut() + 'static,
    ) -> Result<Self, EditorError> {
        let namespace = JsFuture::from(import_module(EDITOR_MODULE))
            .await
            .map_err(|e| EditorError::Load(describe(&e)))?;
        let create: Function = Reflect::get(&namespace, &"createEditor".into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| EditorError::Load("it has no createEditor".into()))?;
        let on_change = Closure::<dyn FnMut(String)>::new(on_change);
        let on_run = Closure::<dyn FnMut()>::new(on_run);
        let callbacks = Object::new();
        for (key, callback) in [("onChange", on_change.as_ref()), ("onRun", on_run.as_ref())] {
            Reflect::set(&callbacks, &key.into(), callback).map_err(|e| EditorError::Create(describe(&e)))?;
        }
        let view = create
            .call3(&JsValue::NULL, parent, &text.into(), &callbacks)
            .map_err(|e| EditorError::Create(describe(&e)))?
            .unchecked_into();
        Ok(Self { view, _on_change: on_change, _on_run: on_run })
    }

    /// The text being edited.
    pub fn text(&self) -> String {
        self.view.text()
    }

    /// Replaces the text (undo history and marks start afresh; `on_change` is not called).
    pub fn set_text(&self, text: &str) {
        self.view.set_text(text);
    }

    /// Gives the editor the keyboard.
    pub fn focus(&self) {
        self.view.focus();
    }

    /// Marks `line` (1-based) as where an error is, with `message`, and moves there.
    pub fn mark_error(&self, line: u32, message: &str) {
        self.view.mark_line(line, message);
    }

    /// Removes error marks.
    pub fn clear_marks(&self) {
        self.view.clear_marks();
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        self.view.destroy();
    }
}
