//! Turtle graphics' messages: the drawing Python sends to the page's canvas, and the
//! events (clicks, keys, dialog answers) the page sends back.
//!
//! CPython's own `turtle.py` draws through our small `tkinter` (`src/worker/python/
//! tkinter_init.py`), which talks to the worker's `/dev/canvas` device:
//! - writing `D` + a JSON array of [`CanvasOp`]s sends them to the page (the worker posts the
//!   text as it is, in one `FromWorker::Canvas`; Python batches them, never one per item);
//! - writing `W` + seconds waits until the page has an event, the time passed, or Ctrl+C
//!   (`EINTR`, with the sleep device's convention: the retried write returns 0);
//! - writing `M` + JSON `{"font", "text"}` measures text with the browser's canvas; the
//!   next read answers `"WIDTH ASCENT DESCENT"`;
//! - writing `H` (once a SIGUSR1 handler that takes the events is in place) has events that
//!   arrive while Python waits for input interrupt that wait with SIGUSR1, as Tk's input
//!   hook handles them at a desktop's prompt;
//! - reading otherwise takes the page's pending [`CanvasEvent`]s, whole JSON lines.
//!
//! Coordinates are Tk canvas coordinates (y grows downwards). Colours are `#rrggbb`, or
//! empty for none: Python resolves Tk's colour names.

use serde::{Deserialize, Serialize};

/// One drawing operation, from Python to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum CanvasOp {
    /// The window's title.
    Window { title: String },
    /// Creates or reconfigures canvas `cv`: its visible size in pixels, its background, and
    /// the canvas point shown at its top-left corner (turtle centres its view on 0, 0).
    Canvas { cv: u32, width: f64, height: f64, bg: String, x0: f64, y0: f64 },
    /// A new item on top of canvas `cv` (item ids are unique across canvases).
    Create {
        cv: u32,
        id: u32,
        kind: ItemKind,
        coords: Vec<f64>,
        #[serde(flatten)]
        options: ItemOptions,
    },
    /// An item's new coordinates.
    Coords { id: u32, coords: Vec<f64> },
    /// Changes the options given, keeps the rest.
    Config {
        id: u32,
        #[serde(flatten)]
        options: ItemOptions,
    },
    /// Removes an item.
    Delete { id: u32 },
    /// Puts an item above the others of its canvas.
    Raise { id: u32 },
    /// Puts an item below the others of its canvas.
    Lower { id: u32 },
    /// A picture (`PhotoImage`): its encoded file in base64, or an empty `data` for a
    /// transparent one of that size.
    Image { image: u32, width: u32, height: u32, mime: String, data: String },
    /// Asks the student for a value (`textinput`, `numinput`): a dialog on the page, answered
    /// by [`CanvasEvent::Answer`] with the same `ask`.
    Ask {
        ask: u32,
        title: String,
        prompt: String,
        kind: AskKind,
        initial: Option<String>,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// Keyboard focus to canvas `cv` (`listen()`).
    Focus { cv: u32 },
    /// The window was destroyed (`bye()`): the drawing goes away.
    Close,
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A polyline through its points.
    Line,
    /// A closed polygon.
    Polygon,
    /// Text at one point, placed by its anchor.
    Text,
    /// A picture centred on one point.
    Image,
    /// An ellipse inside the box of two points.
    Oval,
    /// The box of two points.
    Rectangle,
}

/// An item's options, all optional (a `Create` gives every one its item uses).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemOptions {
    /// Fill colour (a line's colour), `#rrggbb`, or empty for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill: Option<String>,
    /// Outline colour, or empty for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outline: Option<String>,
    /// Line or outline width in pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<f64>,
    /// `round`, `butt` or `projecting`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capstyle: Option<String>,
    /// `round`, `bevel` or `miter`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joinstyle: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// A CSS font (Python converts Tk's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub underline: Option<bool>,
    /// Tk's anchor: `n`, `ne`, `e`, `se`, `s`, `sw`, `w`, `nw` or `center`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// The picture an image item shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<u32>,
    /// `normal` or `hidden`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// What kind of value a dialog asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AskKind {
    String,
    Float,
    Integer,
}

/// One event, from the page to Python (a JSON line each).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ev", rename_all = "snake_case")]
pub enum CanvasEvent {
    /// A mouse button (1 left, 2 middle, 3 right) went down at `x`, `y` pixels from the
    /// canvas's top-left corner.
    Press { cv: u32, button: u32, x: f64, y: f64 },
    /// It went up.
    Release { cv: u32, button: u32, x: f64, y: f64 },
    /// The pointer moved with `button` held.
    Motion { cv: u32, button: u32, x: f64, y: f64 },
    /// A key went down or up: Tk's name for it and the character it types, if any.
    Key { cv: u32, down: bool, keysym: String, char: String },
    /// The answer to dialog `ask`; `None` when cancelled.
    Answer { ask: u32, value: Option<String> },
    /// The student closed the drawing (as a window's close button).
    Close,
}

impl CanvasEvent {
    /// The event as the line Python reads.
    pub fn to_line(&self) -> String {
        let mut line = event_json(self);
        line.push('\n');
        line
    }
}

/// JSON of an event, without a JSON library in the page's binary: the few shapes above.
fn event_json(event: &CanvasEvent) -> String {
    let pointer = |kind: &str, cv: &u32, button: &u32, x: &f64, y: &f64| {
        format!(r#"{{"ev":"{kind}","cv":{cv},"button":{button},"x":{},"y":{}}}"#, number(*x), number(*y))
    };
    match event {
        CanvasEvent::Press { cv, button, x, y } => pointer("press", cv, button, x, y),
        CanvasEvent::Release { cv, button, x, y } => pointer("release", cv, button, x, y),
        CanvasEvent::Motion { cv, button, x, y } => pointer("motion", cv, button, x, y),
        CanvasEvent::Key { cv, down, keysym, char } => format!(
            r#"{{"ev":"key","cv":{cv},"down":{down},"keysym":{},"char":{}}}"#,
            json_string(keysym),
            json_string(char)
        ),
        CanvasEvent::Answer { ask, value } => {
            let value = value.as_deref().map_or_else(|| "null".to_owned(), json_string);
            format!(r#"{{"ev":"answer","ask":{ask},"value":{value}}}"#)
        }
        CanvasEvent::Close => r#"{"ev":"close"}"#.to_owned(),
    }
}

/// Takes from `pending` the whole lines (events) that fit in `max` bytes; a line longer
/// than `max` alone is taken cut, rather than blocking every later one.
pub fn take_whole_lines(pending: &mut Vec<u8>, max: usize) -> Vec<u8> {
    let fitting = pending[..pending.len().min(max)].iter().rposition(|b| *b == b'\n').map(|i| i + 1);
    let n = fitting.unwrap_or_else(|| pending.len().min(max));
    pending.drain(..n).collect()
}

/// A finite number as JSON (a non-finite one, which JSON lacks, as 0).
fn number(value: f64) -> String {
    if value.is_finite() { format!("{value}") } else { "0".to_owned() }
}

/// A string as a JSON string literal.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_s_ops_read_as_canvas_ops() {
        // As tkinter_init.py writes them.
        let batch = r##"[
            {"op":"window","title":"Python Turtle Graphics"},
            {"op":"canvas","cv":1,"width":640,"height":480,"bg":"#ffffff","x0":-320,"y0":-240},
            {"op":"create","cv":1,"id":3,"kind":"line","coords":[0,0,100,0],"fill":"#000000","width":1,"capstyle":"round"},
            {"op":"config","id":3,"fill":""},
            {"op":"ask","ask":1,"title":"Name","prompt":"Your name?","kind":"string","initial":null,"min":null,"max":null},
            {"op":"close"}
        ]"##;
        let ops: Vec<CanvasOp> = serde_json::from_str(batch).expect("ops");
        assert_eq!(ops.len(), 6);
        let CanvasOp::Create { kind, coords, options, .. } = &ops[2] else { panic!("{:?}", ops[2]) };
        assert_eq!((*kind, coords.as_slice()), (ItemKind::Line, &[0.0, 0.0, 100.0, 0.0][..]));
        assert_eq!(options.fill.as_deref(), Some("#000000"));
        assert_eq!(options.capstyle.as_deref(), Some("round"));
        let CanvasOp::Config { options, .. } = &ops[3] else { panic!("{:?}", ops[3]) };
        assert_eq!(options, &ItemOptions { fill: Some(String::new()), ..ItemOptions::default() });
        assert!(matches!(ops[4], CanvasOp::Ask { kind: AskKind::String, initial: None, .. }));
        assert_eq!(ops[5], CanvasOp::Close);
    }

    #[test]
    fn reads_take_whole_lines_only() {
        let mut pending = b"{\"ev\":\"close\"}\n{\"ev\":\"x\"}\n".to_vec();
        assert_eq!(take_whole_lines(&mut pending, 20), b"{\"ev\":\"close\"}\n");
        assert_eq!(take_whole_lines(&mut pending, 100), b"{\"ev\":\"x\"}\n");
        assert!(take_whole_lines(&mut pending, 100).is_empty());
        let mut long = b"0123456789\n".to_vec();
        assert_eq!(take_whole_lines(&mut long, 4), b"0123", "a line longer than the read is cut");
    }

    #[test]
    fn event_lines_are_the_json_serde_reads_back() {
        let events = [
            CanvasEvent::Press { cv: 1, button: 1, x: 10.5, y: -3.0 },
            CanvasEvent::Motion { cv: 2, button: 1, x: f64::NAN, y: 0.0 },
            CanvasEvent::Key { cv: 1, down: false, keysym: "quotedbl".into(), char: "\"".into() },
            CanvasEvent::Answer { ask: 7, value: Some("Zoë \\ 東京\n\u{1}".into()) },
            CanvasEvent::Answer { ask: 8, value: None },
            CanvasEvent::Close,
        ];
        for event in events {
            let line = event.to_line();
            assert!(line.ends_with('\n') && !line[..line.len() - 1].contains('\n'), "{line:?}");
            let back: CanvasEvent = serde_json::from_str(&line).expect("valid JSON");
            let expected = match event {
                CanvasEvent::Motion { cv, button, y, .. } => CanvasEvent::Motion { cv, button, x: 0.0, y },
                other => other,
            };
            assert_eq!(back, expected);
        }
    }
}
