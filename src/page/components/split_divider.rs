//! The bar between editor and terminal: drag it, or focus it and use the arrow keys.

use crate::logic::workbench::Split;
use leptos::ev::{KeyboardEvent, PointerEvent};
use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Whether the panes are stacked (a narrow screen): then the divider moves up and down.
fn stacked(divider: &web_sys::Element) -> bool {
    let rect = divider.get_bounding_client_rect();
    rect.width() > rect.height()
}

/// A draggable, keyboard-operable separator.
#[component]
pub fn SplitDivider(
    /// The editor's share, updated while dragging.
    split: RwSignal<Split>,
    /// Called when a drag or key press ends, to keep the new split.
    on_settled: Callback<()>,
) -> impl IntoView {
    let divider = NodeRef::<html::Div>::new();
    let dragging = RwSignal::new(false);
    let move_to = move |event: &PointerEvent| {
        let Some(element) = divider.get() else { return };
        let Some(workbench) = element.parent_element() else { return };
        let area = workbench.get_bounding_client_rect();
        split.set(if stacked(&element) {
            Split::at_pointer(f64::from(event.client_y()), area.top(), area.height())
        } else {
            Split::at_pointer(f64::from(event.client_x()), area.left(), area.width())
        });
    };
    let on_pointer_down = move |event: PointerEvent| {
        if let Some(target) = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            // The pointer keeps reporting to the divider however fast it moves.
            let _ = target.set_pointer_capture(event.pointer_id());
        }
        dragging.set(true);
        event.prevent_default();
    };
    let on_pointer_move = move |event: PointerEvent| {
        if dragging.get_untracked() {
            move_to(&event);
        }
    };
    let on_pointer_up = move |_: PointerEvent| {
        if dragging.get_untracked() {
            dragging.set(false);
            on_settled.run(());
        }
    };
    let on_key = move |event: KeyboardEvent| {
        let grow = match event.key().as_str() {
            "ArrowRight" | "ArrowDown" => true,
            "ArrowLeft" | "ArrowUp" => false,
            _ => return,
        };
        event.prevent_default();
        split.update(|s| *s = s.stepped(grow));
        on_settled.run(());
    };
    view! {
        <div class="divider" node_ref=divider role="separator" tabindex="0" data-testid="divider"
            aria-label="Resize the editor and the terminal (arrow keys)"
            aria-valuemin="15" aria-valuemax="85"
            aria-valuenow=move || format!("{:.0}", split.get().fraction() * 100.0)
            class:dragging=move || dragging.get()
            on:pointerdown=on_pointer_down on:pointermove=on_pointer_move
            on:pointerup=on_pointer_up on:pointercancel=on_pointer_up on:keydown=on_key>
        </div>
    }
}
