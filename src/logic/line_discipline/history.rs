//! The line discipline's input history: what Up and Down browse, saved by the page.

/// Input history, newest last, without consecutive duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    entries: Vec<String>,
}

impl History {
    /// Most entries kept.
    pub const LIMIT: usize = 1000;

    /// A history holding `entries` (oldest first), trimmed to the limit.
    pub fn from_entries(mut entries: Vec<String>) -> Self {
        entries.retain(|e| !e.trim().is_empty());
        if entries.len() > Self::LIMIT {
            entries.drain(..entries.len() - Self::LIMIT);
        }
        Self { entries }
    }

    /// The entries, oldest first.
    pub fn entries(&self) -> &[String] {
        &self.entries
    }

    /// Records a submitted line unless it is blank or repeats the previous entry.
    pub fn push(&mut self, line: &str) -> bool {
        if line.trim().is_empty() || self.entries.last().is_some_and(|last| last == line) {
            return false;
        }
        self.entries.push(line.to_owned());
        if self.entries.len() > Self::LIMIT {
            self.entries.remove(0);
        }
        true
    }
}

/// Where Up and Down have moved in the history, and the draft line to come back to.
#[derive(Debug, Clone)]
pub struct Browsing {
    index: usize,
    draft: String,
}

impl Browsing {
    /// One step (`-1` older, `+1` newer) from `browsing` (or from the draft `line` when not
    /// browsing yet): the line to show and the new state, or `None` at either end.
    pub fn step(
        history: &History,
        browsing: Option<Browsing>,
        line: &str,
        step: isize,
    ) -> Option<(String, Option<Browsing>)> {
        let len = history.entries.len();
        let current = browsing.as_ref().map_or(len, |b| b.index);
        let target = current.checked_add_signed(step).filter(|&t| t <= len)?;
        let draft = browsing.map_or_else(|| line.to_owned(), |b| b.draft);
        if target == len {
            Some((draft, None))
        } else {
            Some((history.entries[target].clone(), Some(Browsing { index: target, draft })))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_and_repeats_are_not_recorded() {
        let mut history = History::default();
        assert!(history.push("a = 1"));
        assert!(!history.push("a = 1"));
        assert!(!history.push("   "));
        assert!(history.push("b = 2"));
        assert!(history.push("a = 1"));
        assert_eq!(history.entries(), ["a = 1", "b = 2", "a = 1"]);
    }

    #[test]
    fn history_keeps_the_newest_entries_up_to_its_limit() {
        let lines: Vec<String> = (0..History::LIMIT + 5).map(|i| format!("x = {i}")).collect();
        let loaded = History::from_entries(lines.clone());
        assert_eq!(loaded.entries().len(), History::LIMIT);
        assert_eq!(loaded.entries()[0], "x = 5");
        let mut pushed = History::default();
        for line in &lines {
            pushed.push(line);
        }
        assert_eq!(pushed.entries(), loaded.entries());
    }

    #[test]
    fn browsing_stops_at_both_ends_and_returns_to_the_draft() {
        let history = History::from_entries(vec!["one".into(), "two".into()]);
        assert!(Browsing::step(&history, None, "draft", 1).is_none(), "nothing newer than the draft");
        let (line, state) = Browsing::step(&history, None, "draft", -1).expect("older");
        assert_eq!(line, "two");
        let (line, state) = Browsing::step(&history, state, &line, -1).expect("older");
        assert_eq!(line, "one");
        assert!(Browsing::step(&history, state.clone(), &line, -1).is_none(), "nothing older");
        let (line, state) = Browsing::step(&history, state, &line, 1).expect("newer");
        assert_eq!(line, "two");
        let (line, state) = Browsing::step(&history, state, &line, 1).expect("back to the draft");
        assert_eq!((line.as_str(), state.is_none()), ("draft", true));
    }
}
