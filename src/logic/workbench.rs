//! The workbench's keyboard commands and the editor/terminal split, as plain Rust: the page
//! turns key events into a [`Chord`] at its edge, and pointer positions into fractions.

use serde::{Deserialize, Serialize};

/// How the student arranged the workbench, kept across visits.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LayoutPrefs {
    /// The editor's share of the width (or height, stacked on a narrow screen).
    pub split: f64,
    /// Whether the editor is shown (hidden: the terminal alone, as when embedded).
    pub editor_shown: bool,
    /// Whether the student chose CPython's new REPL (PyREPL) over the basic one.
    #[serde(default)]
    pub new_repl: bool,
}

impl Default for LayoutPrefs {
    fn default() -> Self {
        Self { split: Split::default().fraction(), editor_shown: true, new_repl: false }
    }
}

/// What a toolbar button or its shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Run the editor's file in a fresh interpreter.
    Run,
    /// Stop the running program.
    Stop,
    /// A fresh interpreter at the prompt, without running the file.
    Restart,
    /// Show or hide the editor.
    ToggleEditor,
}

/// A key press with its modifiers (`key` as `KeyboardEvent.key` names it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chord<'a> {
    pub key: &'a str,
    pub ctrl: bool,
    pub shift: bool,
    pub alt: bool,
    pub meta: bool,
}

/// The page-wide shortcut `chord` stands for, if any: F5 or Ctrl+Enter (Cmd+Enter on a Mac)
/// runs, as in IDLE and Thonny; Ctrl+F2 stops (Thonny's); Ctrl+Shift+F2 restarts;
/// Ctrl+Shift+E shows or hides the editor.
pub fn command_for(chord: Chord<'_>) -> Option<Command> {
    let command_key = chord.ctrl || chord.meta;
    match (chord.key, command_key, chord.shift, chord.alt) {
        ("F5", false, false, false) | ("Enter", true, false, false) => Some(Command::Run),
        ("F2", true, false, false) => Some(Command::Stop),
        ("F2", true, true, false) => Some(Command::Restart),
        ("E" | "e", true, true, false) => Some(Command::ToggleEditor),
        _ => None,
    }
}

/// The editor's share of the workbench (the terminal has the rest), kept usable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split(f64);

impl Split {
    /// Least share either pane keeps.
    const MIN: f64 = 0.15;
    /// One keyboard step (arrow keys on the divider).
    const STEP: f64 = 0.05;

    /// A split at `fraction`, clamped so neither pane vanishes (NaN gives the default).
    pub fn new(fraction: f64) -> Self {
        if fraction.is_nan() { Self::default() } else { Self(fraction.clamp(Self::MIN, 1.0 - Self::MIN)) }
    }

    /// The split where the pointer is: `position` along a workbench starting at `start`
    /// and `length` long.
    pub fn at_pointer(position: f64, start: f64, length: f64) -> Self {
        if length <= 0.0 { Self::default() } else { Self::new((position - start) / length) }
    }

    /// One keyboard step towards the terminal (`grow`) or the editor.
    pub fn stepped(self, grow: bool) -> Self {
        Self::new(if grow { self.0 + Self::STEP } else { self.0 - Self::STEP })
    }

    /// The editor's share.
    pub fn fraction(self) -> f64 {
        self.0
    }
}

impl Default for Split {
    fn default() -> Self {
        Self(0.5)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chord(key: &str, ctrl: bool, shift: bool) -> Chord<'_> {
        Chord { key, ctrl, shift, alt: false, meta: false }
    }

    #[test]
    fn shortcuts_are_those_the_tooltips_name() {
        assert_eq!(command_for(chord("F5", false, false)), Some(Command::Run));
        assert_eq!(command_for(chord("Enter", true, false)), Some(Command::Run));
        assert_eq!(
            command_for(Chord { key: "Enter", ctrl: false, shift: false, alt: false, meta: true }),
            Some(Command::Run)
        );
        assert_eq!(command_for(chord("F2", true, false)), Some(Command::Stop));
        assert_eq!(command_for(chord("F2", true, true)), Some(Command::Restart));
        assert_eq!(command_for(chord("E", true, true)), Some(Command::ToggleEditor));
    }

    #[test]
    fn ordinary_keys_are_left_alone() {
        for c in [
            chord("Enter", false, false),
            chord("F5", true, false),
            chord("e", true, false),
            chord("c", true, false),
        ] {
            assert_eq!(command_for(c), None, "{c:?}");
        }
    }

    #[test]
    fn the_split_keeps_both_panes_visible() {
        assert_eq!(Split::new(0.0).fraction(), 0.15);
        assert_eq!(Split::new(2.0).fraction(), 0.85);
        assert_eq!(Split::new(f64::NAN), Split::default());
        assert_eq!(Split::at_pointer(300.0, 100.0, 800.0).fraction(), 0.25);
        assert_eq!(Split::at_pointer(5.0, 0.0, 0.0), Split::default());
        let stepped = Split::default().stepped(true).stepped(true).stepped(false);
        assert!((stepped.fraction() - 0.55).abs() < 1e-9);
    }
}
