//! The terminal's termios settings as a program sets them (`tcsetattr`), and what they mean
//! for the line discipline: canonical or raw input, echo, signal keys.
//!
//! Values are Linux's (musl's, which Emscripten uses), so `termios` in Python reads and
//! writes them unchanged.

use serde::{Deserialize, Serialize};

/// `c_lflag` bits the line discipline honours.
pub mod lflag {
    /// Ctrl+C (VINTR) raises SIGINT.
    pub const ISIG: u32 = 0o1;
    /// Canonical input: line editing, a line is read when Enter is pressed.
    pub const ICANON: u32 = 0o2;
    /// Typed characters are echoed.
    pub const ECHO: u32 = 0o10;
}

/// `c_iflag` bits the line discipline honours.
pub mod iflag {
    /// Enter (carriage return) reaches the program as a newline.
    pub const ICRNL: u32 = 0o400;
}

/// Number of control characters (`NCCS`).
pub const NCCS: usize = 32;

/// A tty's settings, as `struct termios` holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Termios {
    pub iflag: u32,
    pub oflag: u32,
    pub cflag: u32,
    pub lflag: u32,
    pub cc: [u8; NCCS],
}

impl Default for Termios {
    /// A fresh tty's settings (Emscripten's own defaults, which are Linux's `stty sane`):
    /// canonical, echo, signals, Ctrl+C interrupts, Ctrl+D ends input.
    fn default() -> Self {
        let mut cc = [0; NCCS];
        let defaults = [3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22];
        cc[..defaults.len()].copy_from_slice(&defaults);
        Self { iflag: 0x6500, oflag: 0x5, cflag: 0xbf, lflag: 0x8a3b, cc }
    }
}

impl Termios {
    /// What the line discipline does with keys under these settings.
    pub fn modes(&self) -> TerminalModes {
        TerminalModes {
            canonical: self.lflag & lflag::ICANON != 0,
            echo: self.lflag & lflag::ECHO != 0,
            signals: self.lflag & lflag::ISIG != 0,
            enter_as_newline: self.iflag & iflag::ICRNL != 0,
        }
    }

    /// How many of the waiting `bytes` one read takes: in canonical mode a line at most (a
    /// kernel tty never returns two lines from one read, and the page shows each line after
    /// the prompt that read it), otherwise all of them.
    pub fn read_length(&self, bytes: &[u8]) -> usize {
        if !self.modes().canonical {
            return bytes.len();
        }
        bytes.iter().position(|&b| b == b'\n').map_or(bytes.len(), |at| at + 1)
    }
}

/// What the page's line discipline must do, from the program's termios settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminalModes {
    /// Line editing and whole lines (`ICANON`); otherwise each key goes to the program as
    /// its bytes, at once.
    pub canonical: bool,
    /// Typed characters are echoed (`ECHO`); `getpass` turns it off.
    pub echo: bool,
    /// Ctrl+C raises `KeyboardInterrupt` (`ISIG`) rather than being read as byte 3.
    pub signals: bool,
    /// Enter's carriage return is read as a newline (`ICRNL`, on unless `tty.setraw`).
    pub enter_as_newline: bool,
}

impl Default for TerminalModes {
    fn default() -> Self {
        Termios::default().modes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_tty_is_canonical_with_echo_and_signals() {
        let modes = Termios::default().modes();
        assert_eq!(
            modes,
            TerminalModes { canonical: true, echo: true, signals: true, enter_as_newline: true }
        );
        assert_eq!(Termios::default().cc[0], 3, "VINTR is Ctrl+C");
        assert_eq!(Termios::default().cc[4], 4, "VEOF is Ctrl+D");
    }

    #[test]
    fn setraw_and_getpass_settings_read_as_modes() {
        // tty.setraw: ICANON, ECHO, ISIG and IEXTEN off, and ICRNL.
        let mut raw = Termios::default();
        raw.lflag &= !(lflag::ICANON | lflag::ECHO | lflag::ISIG | 0o100000);
        raw.iflag &= !iflag::ICRNL;
        let expected =
            TerminalModes { canonical: false, echo: false, signals: false, enter_as_newline: false };
        assert_eq!(raw.modes(), expected);
        // getpass: only ECHO off.
        let mut hidden = Termios::default();
        hidden.lflag &= !lflag::ECHO;
        assert_eq!(hidden.modes(), TerminalModes { echo: false, ..TerminalModes::default() });
    }

    #[test]
    fn a_canonical_read_takes_one_line_and_a_raw_one_everything() {
        let cooked = Termios::default();
        assert_eq!(cooked.read_length(b"print(1)\nx = 5\n"), 9);
        assert_eq!(cooked.read_length(b"half a li"), 9, "a piece of a line the reader's buffer cut");
        let mut raw = Termios::default();
        raw.lflag &= !lflag::ICANON;
        assert_eq!(raw.read_length(b"ab\ncd"), 5);
    }
}
