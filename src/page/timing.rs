//! User Timing entries (`performance.measure`, `performance.mark`) for the page's work and
//! the boot's milestones that the benchmarks report, read there with
//! `performance.getEntriesByName` and `getEntriesByType`.

use std::cell::Cell;

thread_local! {
    /// Numbers the start marks, so that spans of one name may overlap (two saves at once).
    static STARTED: Cell<u32> = const { Cell::new(0) };
}

/// A span of the page's time, recorded under its name when finished.
pub struct Span {
    name: &'static str,
    start_mark: String,
}

impl Span {
    /// Starts the span `name`.
    pub fn start(name: &'static str) -> Self {
        let number = STARTED.with(|started| {
            started.set(started.get().wrapping_add(1));
            started.get()
        });
        let start_mark = format!("{name}:start:{number}");
        if let Some(performance) = gloo::utils::window().performance() {
            let _ = performance.mark(&start_mark);
        }
        Self { name, start_mark }
    }

    /// Records the span from its start until now.
    pub fn finish(self) {
        let Some(performance) = gloo::utils::window().performance() else { return };
        let _ = performance.measure_with_start_mark(self.name, &self.start_mark);
        performance.clear_marks_with_mark_name(&self.start_mark);
    }
}

/// Marks a moment of the boot (`boot: ...`), for the benchmark's waterfall.
pub fn mark(name: &str) {
    if let Some(performance) = gloo::utils::window().performance() {
        let _ = performance.mark(name);
    }
}
