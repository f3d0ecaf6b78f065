//! The dialog of turtle's `textinput` and `numinput` (Tk's `simpledialog`): a question over
//! the drawing, its answer checked as Tk checks it before Python gets it.

use crate::logic::canvas_scene::Question;
use leptos::html;
use leptos::prelude::*;

/// Shown while Python waits for an answer; nothing otherwise.
#[component]
pub fn DrawingQuestion(
    /// The question Python asks, if it asks one.
    question: ReadSignal<Option<Question>>,
    /// The student answered (`Some`, checked) or cancelled (`None`).
    on_answer: Callback<Option<String>>,
) -> impl IntoView {
    move || {
        let asked = question.get()?;
        let (typed, set_typed) = signal(asked.initial.clone().unwrap_or_default());
        let (problem, set_problem) = signal(None::<String>);
        let input = NodeRef::<html::Input>::new();
        Effect::new(move |_| {
            if let Some(input) = input.get() {
                let _ = input.focus();
                input.select();
            }
        });
        let checked = asked.clone();
        let submit = move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            match checked.check(&typed.get_untracked()) {
                Ok(answer) => on_answer.run(Some(answer)),
                Err(why) => set_problem.set(Some(why)),
            }
        };
        let escape = move |event: leptos::ev::KeyboardEvent| {
            if event.key() == "Escape" {
                event.prevent_default();
                on_answer.run(None);
            }
        };
        Some(view! {
            <div class="drawing-question" role="dialog" aria-modal="true" aria-label=asked.title.clone()
                data-testid="drawing-question">
                <form on:submit=submit>
                    <p class="question-title">{asked.title.clone()}</p>
                    <label>
                        <span class="question-prompt">{asked.prompt.clone()}</span>
                        <input node_ref=input prop:value=typed on:keydown=escape
                            on:input=move |event| set_typed.set(event_target_value(&event))/>
                    </label>
                    <p class="question-problem" role="alert">{move || problem.get()}</p>
                    <div class="question-buttons">
                        <button type="submit">"OK"</button>
                        <button type="button" on:click=move |_| on_answer.run(None)>"Cancel"</button>
                    </div>
                </form>
            </div>
        })
    }
}
