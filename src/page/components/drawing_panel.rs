//! The turtle graphics panel above the terminal: the drawing (`page::drawing` draws into
//! its area), its title, Save as PNG or SVG, full screen, close, and turtle's dialogs.

use crate::logic::canvas_scene::Question;
use crate::page::components::drawing_question::DrawingQuestion;
use leptos::html;
use leptos::prelude::*;

/// Shown while Python has a drawing; hidden (but in place) otherwise.
#[component]
pub fn DrawingPanel(
    /// Whether there is a drawing to show.
    shown: ReadSignal<bool>,
    /// Its window title (`Screen().title()`).
    title: ReadSignal<String>,
    /// A question Python waits on (`textinput`, `numinput`).
    question: ReadSignal<Option<Question>>,
    /// Where the canvases go.
    area: NodeRef<html::Div>,
    /// The question's answer, or `None` when cancelled.
    on_answer: Callback<Option<String>>,
    /// Save the drawing: as SVG (`true`) or PNG.
    on_save: Callback<bool>,
    /// The student closed the drawing.
    on_close: Callback<()>,
) -> impl IntoView {
    let panel = NodeRef::<html::Section>::new();
    let full_screen = move |_| {
        if let Some(panel) = panel.get() {
            let _ = panel.request_fullscreen();
        }
    };
    view! {
        <section class="drawing-panel" node_ref=panel hidden=move || !shown.get()
            aria-label="Turtle graphics" data-testid="drawing-panel">
            <div class="pane-title drawing-title">
                <span class="drawing-name">{move || title.get()}</span>
                <span class="drawing-actions">
                    <button title="Save the drawing as a PNG picture" on:click=move |_| on_save.run(false)>"PNG"</button>
                    <button title="Save the drawing as an SVG picture (lines stay sharp at any size)"
                        on:click=move |_| on_save.run(true)>"SVG"</button>
                    <button title="Show the drawing on the whole screen (Esc to come back)" on:click=full_screen>
                        "Full screen"
                    </button>
                    <button class="close-drawing" title="Close the drawing (as a window's close button)"
                        aria-label="Close the drawing" on:click=move |_| on_close.run(())>"×"</button>
                </span>
            </div>
            <div class="drawing-area" node_ref=area data-testid="drawing-area"></div>
            <DrawingQuestion question=question on_answer=on_answer/>
        </section>
    }
}
