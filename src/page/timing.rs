//! User Timing entries (`performance.measure`) for the page's work that the benchmarks
//! report, read there with `performance.getEntriesByName`.

/// A span of the page's time, recorded under its name when finished.
pub struct Span {
    name: &'static str,
}

impl Span {
    /// Starts the span `name`.
    pub fn start(name: &'static str) -> Self {
        if let Some(performance) = gloo::utils::window().performance() {
            let _ = performance.mark(&format!("{name}:start"));
        }
        Self { name }
    }

    /// Records the span from its start until now.
    pub fn finish(self) {
        let Some(performance) = gloo::utils::window().performance() else { return };
        let start = format!("{}:start", self.name);
        let _ = performance.measure_with_start_mark(self.name, &start);
        performance.clear_marks_with_mark_name(&start);
    }
}
