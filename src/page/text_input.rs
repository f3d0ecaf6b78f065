//! Typed text reaches the terminal from one place: the text xterm's input element holds once
//! the browser has committed it.
//!
//! xterm.js sends a typed character from whichever of keydown, keypress, input or its
//! composition handling sees it first, and each engine orders those events differently:
//! WebKit ends a committed string (an emoji, an input method's text) with `compositionend`
//! but no `compositionstart`, and xterm then re-sent everything its input element had
//! accumulated ("élève 学生 🐍" arrived as "élève 学生 éè 学生 🐍"). Here keys that make text
//! are left to the browser ([`route_key`]), xterm never sees the input or composition events,
//! and whatever the element holds when no composition is in progress is sent once and
//! cleared. Text still being composed is shown in xterm's composition view at the cursor.
//! Dropping a [`TextInput`] removes its listeners.

use crate::logic::input_event::{KeyInfo, KeyRoute, TabEscape, TextAction, TextEntry, TextEvent, route_key};
use crate::page::xterm_ext;
use gloo::events::{EventListener, EventListenerOptions, EventListenerPhase};
use gloo::timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use xterm_js_rs::Terminal;

/// What xterm calls for each key event; `false` means "not mine".
type KeyFilter = Closure<dyn FnMut(web_sys::KeyboardEvent) -> bool>;

/// The listeners that route typed text; they live as long as this value.
pub struct TextInput {
    _listeners: Vec<EventListener>,
    _key_filter: KeyFilter,
    _state: Rc<State>,
}

/// What the listeners share.
struct State {
    terminal: Terminal,
    textarea: web_sys::HtmlTextAreaElement,
    entry: RefCell<TextEntry>,
    pending_flush: RefCell<Option<Timeout>>,
    tab_escape: RefCell<TabEscape>,
}

/// Who handles this key event.
fn route(event: &web_sys::KeyboardEvent) -> KeyRoute {
    let key = event.key();
    route_key(KeyInfo {
        key: &key,
        key_code: event.key_code(),
        ctrl: event.ctrl_key(),
        alt: event.alt_key(),
        meta: event.meta_key(),
        composing: event.is_composing(),
    })
}

/// The text-input event `event` is, if it is one on the input element.
fn text_event(event: &web_sys::Event) -> Option<TextEvent> {
    Some(match event.type_().as_str() {
        "compositionstart" => TextEvent::CompositionStart,
        "compositionupdate" => TextEvent::CompositionUpdate(
            event.dyn_ref::<web_sys::CompositionEvent>().and_then(|e| e.data()).unwrap_or_default(),
        ),
        "compositionend" => TextEvent::CompositionEnd,
        "input" => {
            let input = event.dyn_ref::<web_sys::InputEvent>()?;
            TextEvent::Input { input_type: input.input_type(), composing: input.is_composing() }
        }
        _ => return None,
    })
}

impl State {
    /// Sends what the input element holds as typed text, and empties it.
    fn flush(&self) {
        let held = self.textarea.value();
        if !held.is_empty() {
            self.textarea.set_value("");
            let text = self.entry.borrow_mut().take(&held);
            xterm_ext::input(&self.terminal, &text);
        }
    }

    fn apply(self: &Rc<Self>, action: TextAction) {
        match action {
            TextAction::Nothing => {}
            TextAction::ShowPreedit(text) => self.show_preedit(&text),
            TextAction::EndPreeditAndFlushSoon => {
                self.show_preedit("");
                // Some engines change the element only after `compositionend`.
                let state = Rc::downgrade(self);
                *self.pending_flush.borrow_mut() = Some(Timeout::new(0, move || {
                    if let Some(state) = state.upgrade()
                        && state.entry.borrow().flush_due()
                    {
                        state.flush();
                    }
                }));
            }
            TextAction::Flush => self.flush(),
            TextAction::Discard => self.textarea.set_value(""),
            TextAction::Backspace => xterm_ext::input(&self.terminal, "\x7f"),
        }
    }

    /// Shows `text` being composed (nothing: hides it) in xterm's composition view, at the
    /// cursor, where xterm keeps its input element.
    fn show_preedit(&self, text: &str) {
        let Some(view) = self
            .textarea
            .parent_element()
            .and_then(|parent| parent.query_selector(".composition-view").ok().flatten())
            .and_then(|view| view.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        view.set_text_content(Some(text));
        let (style, from) = (view.style(), self.textarea.style());
        for property in ["left", "top", "height", "line-height"] {
            let _ = style.set_property(property, &from.get_property_value(property).unwrap_or_default());
        }
        let _ = view.class_list().toggle_with_force("active", !text.is_empty());
    }
}

impl TextInput {
    /// Takes over text input for `terminal`, opened in `container`. `None` if the terminal
    /// has no input element (it is not open).
    pub fn attach(terminal: &Terminal, container: &web_sys::HtmlElement) -> Option<Self> {
        let state = Rc::new(State {
            // `xterm_js_rs::Terminal` is not `Clone`; its JS handle is.
            terminal: AsRef::<JsValue>::as_ref(terminal).clone().unchecked_into(),
            textarea: xterm_ext::textarea(terminal)?,
            entry: RefCell::new(TextEntry::default()),
            pending_flush: RefCell::new(None),
            tab_escape: RefCell::new(TabEscape::default()),
        });
        let key_filter = KeyFilter::new({
            let state = Rc::downgrade(&state);
            move |event: web_sys::KeyboardEvent| {
                let kind = event.type_();
                let Some(state) = state.upgrade() else { return true };
                if kind == "keydown" && state.tab_escape.borrow_mut().leaves(&event.key()) {
                    return false; // xterm leaves it alone: the browser moves the focus
                }
                let route = route(&event);
                if kind == "keydown" && route == KeyRoute::Browser {
                    let space_bar = event.key() == " ";
                    state.entry.borrow_mut().event(TextEvent::KeyToBrowser { space_bar });
                }
                kind == "keyup" || route == KeyRoute::Terminal
            }
        });
        xterm_ext::attach_custom_key_event_handler(terminal, key_filter.as_ref().unchecked_ref());

        // Capture on an ancestor runs before xterm's own listeners on the element, and
        // stopping propagation there keeps the events from them.
        let capture = EventListenerOptions { phase: EventListenerPhase::Capture, passive: false };
        let listeners = ["compositionstart", "compositionupdate", "compositionend", "input"]
            .into_iter()
            .map(|kind| {
                let state = Rc::downgrade(&state);
                EventListener::new_with_options(container, kind, capture, move |event| {
                    let Some(state) = state.upgrade() else { return };
                    let on_textarea = event
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
                        .is_some_and(|t| t == state.textarea);
                    let Some(text_event) = text_event(event).filter(|_| on_textarea) else { return };
                    event.stop_propagation();
                    let action = state.entry.borrow_mut().event(text_event);
                    state.apply(action);
                })
            })
            .collect();
        Some(Self { _listeners: listeners, _key_filter: key_filter, _state: state })
    }
}
