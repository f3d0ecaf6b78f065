//! The drawing as the page keeps it: the canvases and their items in stacking order, built
//! from Python's [`CanvasOp`]s, drawn by `page::drawing` and saved as SVG from here.

use crate::logic::canvas_protocol::{AskKind, CanvasOp, ItemKind, ItemOptions};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

/// One canvas: what part of canvas space it shows, and its items bottom to top.
#[derive(Debug, Clone, PartialEq)]
pub struct CanvasView {
    pub width: f64,
    pub height: f64,
    pub bg: String,
    /// The canvas point at the top-left corner.
    pub x0: f64,
    pub y0: f64,
    /// Item ids, bottom to top.
    pub order: Vec<u32>,
}

/// An item as drawn: its kind, points and options (every option set, Tk's defaults where
/// Python gave none).
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub cv: u32,
    pub kind: ItemKind,
    pub coords: Vec<f64>,
    pub style: ItemOptions,
}

impl Item {
    /// Whether the item is drawn (`state` is not `hidden`).
    pub fn visible(&self) -> bool {
        self.style.state.as_deref() != Some("hidden")
    }

    /// A colour option, `None` for none.
    fn colour(value: &Option<String>) -> Option<&str> {
        value.as_deref().filter(|c| !c.is_empty())
    }

    /// The fill colour, if the item is filled.
    pub fn fill(&self) -> Option<&str> {
        Self::colour(&self.style.fill)
    }

    /// The outline colour, if it has one.
    pub fn outline(&self) -> Option<&str> {
        Self::colour(&self.style.outline)
    }

    /// The line or outline width.
    pub fn width(&self) -> f64 {
        self.style.width.unwrap_or(1.0)
    }
}

/// A picture: size and encoded file (empty for a transparent one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub mime: String,
    pub data: String,
}

/// The picture formats a `PhotoImage` may carry (Tk reads GIF and PNG).
const PICTURE_TYPES: [&str; 3] = ["image/png", "image/gif", "image/jpeg"];

impl Picture {
    /// The picture as a `data:` URL, if it has a file of a picture format in base64 (what
    /// Python sends goes into an attribute of a saved SVG: nothing else passes).
    pub fn data_url(&self) -> Option<String> {
        let base64 = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=');
        let valid = PICTURE_TYPES.contains(&self.mime.as_str())
            && !self.data.is_empty()
            && self.data.chars().all(base64);
        valid.then(|| format!("data:{};base64,{}", self.mime, self.data))
    }
}

/// A dialog Python waits on.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub ask: u32,
    pub title: String,
    pub prompt: String,
    pub kind: AskKind,
    pub initial: Option<String>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl Question {
    /// Checks a typed answer as Tk's dialogs do; the answer to send, or why it is refused.
    pub fn check(&self, typed: &str) -> Result<String, String> {
        let number = match self.kind {
            AskKind::String => return Ok(typed.to_owned()),
            AskKind::Float => typed.trim().parse::<f64>().ok().filter(|v| v.is_finite()),
            AskKind::Integer => typed.trim().parse::<i64>().ok().map(|v| v as f64),
        };
        let Some(number) = number else {
            let what = if self.kind == AskKind::Integer { "an integer" } else { "a number" };
            return Err(format!("Not {what}: please try again."));
        };
        if let Some(min) = self.min.filter(|min| number < *min) {
            return Err(format!("The allowed minimum value is {min}: please try again."));
        }
        if let Some(max) = self.max.filter(|max| number > *max) {
            return Err(format!("The allowed maximum value is {max}: please try again."));
        }
        Ok(typed.trim().to_owned())
    }
}

/// What an op means for the page beyond the drawing itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// The drawing changed (or nothing the page must act on).
    Drawn,
    /// Python asks a question.
    Ask(Question),
    /// Keyboard focus to this canvas.
    Focus(u32),
    /// The window was destroyed.
    Closed,
}

/// The whole drawing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scene {
    pub title: String,
    pub canvases: BTreeMap<u32, CanvasView>,
    pub items: HashMap<u32, Item>,
    pub pictures: HashMap<u32, Picture>,
}

impl Scene {
    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.canvases.is_empty()
    }

    /// Takes in one op. Ops naming an item or canvas that does not exist are ignored, as Tk
    /// ignores a deleted item's id.
    pub fn apply(&mut self, op: CanvasOp) -> Applied {
        match op {
            CanvasOp::Window { title } => self.title = title,
            CanvasOp::Canvas { cv, width, height, bg, x0, y0 } => {
                let view = self.canvases.entry(cv).or_insert_with(|| CanvasView {
                    width,
                    height,
                    bg: String::new(),
                    x0,
                    y0,
                    order: Vec::new(),
                });
                (view.width, view.height, view.bg, view.x0, view.y0) = (width, height, bg, x0, y0);
            }
            CanvasOp::Create { cv, id, kind, coords, options } => {
                let Some(view) = self.canvases.get_mut(&cv) else { return Applied::Drawn };
                view.order.retain(|other| *other != id);
                view.order.push(id);
                self.items.insert(id, Item { cv, kind, coords, style: options });
            }
            CanvasOp::Coords { id, coords } => {
                if let Some(item) = self.items.get_mut(&id) {
                    item.coords = coords;
                }
            }
            CanvasOp::Config { id, options } => {
                if let Some(item) = self.items.get_mut(&id) {
                    merge(&mut item.style, options);
                }
            }
            CanvasOp::Delete { id } => {
                if let Some(item) = self.items.remove(&id) {
                    self.order_of(item.cv, |order| order.retain(|other| *other != id));
                }
            }
            CanvasOp::Raise { id } => self.restack(id, |order, id| order.push(id)),
            CanvasOp::Lower { id } => self.restack(id, |order, id| order.insert(0, id)),
            CanvasOp::Image { image, width, height, mime, data } => {
                self.pictures.insert(image, Picture { width, height, mime, data });
            }
            CanvasOp::Ask { ask, title, prompt, kind, initial, min, max } => {
                return Applied::Ask(Question { ask, title, prompt, kind, initial, min, max });
            }
            CanvasOp::Focus { cv } => return Applied::Focus(cv),
            CanvasOp::Close => {
                *self = Self::default();
                return Applied::Closed;
            }
        }
        Applied::Drawn
    }

    fn order_of(&mut self, cv: u32, change: impl FnOnce(&mut Vec<u32>)) {
        if let Some(view) = self.canvases.get_mut(&cv) {
            change(&mut view.order);
        }
    }

    fn restack(&mut self, id: u32, place: impl FnOnce(&mut Vec<u32>, u32)) {
        let Some(cv) = self.items.get(&id).map(|item| item.cv) else { return };
        self.order_of(cv, |order| {
            // Turtle raises its own shape after every move: usually it is on top already.
            if order.last() == Some(&id) {
                return;
            }
            order.retain(|other| *other != id);
            place(order, id);
        });
    }

    /// The visible items of canvas `cv`, bottom to top.
    pub fn items_of(&self, cv: u32) -> impl Iterator<Item = &Item> {
        let order = self.canvases.get(&cv).map(|view| view.order.as_slice()).unwrap_or_default();
        order.iter().filter_map(|id| self.items.get(id)).filter(|item| item.visible())
    }

    /// The drawing as an SVG document: the canvases one below the other, as on the page.
    pub fn to_svg(&self) -> String {
        let width = self.canvases.values().map(|v| v.width).fold(0.0, f64::max);
        let height: f64 = self.canvases.values().map(|v| v.height).sum();
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{width}\" height=\"{height}\" \
             viewBox=\"0 0 {width} {height}\">\n<title>{}</title>\n",
            escape(&self.title)
        );
        let mut top = 0.0;
        for (cv, view) in &self.canvases {
            let _ = writeln!(
                svg,
                "<svg x=\"0\" y=\"{top}\" width=\"{}\" height=\"{}\" viewBox=\"{} {} {} {}\">",
                view.width, view.height, view.x0, view.y0, view.width, view.height
            );
            if !view.bg.is_empty() {
                let _ = writeln!(
                    svg,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                    view.x0,
                    view.y0,
                    view.width,
                    view.height,
                    escape(&view.bg)
                );
            }
            for item in self.items_of(*cv) {
                self.item_svg(&mut svg, item);
            }
            svg.push_str("</svg>\n");
            top += view.height;
        }
        svg.push_str("</svg>\n");
        svg
    }

    fn item_svg(&self, svg: &mut String, item: &Item) {
        let points = || {
            item.coords.chunks_exact(2).map(|p| format!("{},{}", p[0], p[1])).collect::<Vec<_>>().join(" ")
        };
        let stroke = |colour: Option<&str>| match colour {
            Some(colour) => format!(
                "stroke=\"{}\" stroke-width=\"{}\" stroke-linecap=\"{}\" stroke-linejoin=\"{}\"",
                escape(colour),
                item.width(),
                line_cap(item.style.capstyle.as_deref()),
                escape(item.style.joinstyle.as_deref().unwrap_or("round"))
            ),
            None => "stroke=\"none\"".to_owned(),
        };
        let fill = |colour: Option<&str>| escape(colour.unwrap_or("none"));
        let [x0, y0, x1, y1] = corners(&item.coords);
        let _ = match item.kind {
            ItemKind::Line if item.coords.len() >= 4 => {
                writeln!(svg, "<polyline points=\"{}\" fill=\"none\" {}/>", points(), stroke(item.fill()))
            }
            ItemKind::Polygon if item.coords.len() >= 4 => writeln!(
                svg,
                "<polygon points=\"{}\" fill=\"{}\" {}/>",
                points(),
                fill(item.fill()),
                stroke(item.outline())
            ),
            ItemKind::Oval => writeln!(
                svg,
                "<ellipse cx=\"{}\" cy=\"{}\" rx=\"{}\" ry=\"{}\" fill=\"{}\" {}/>",
                (x0 + x1) / 2.0,
                (y0 + y1) / 2.0,
                (x1 - x0).abs() / 2.0,
                (y1 - y0).abs() / 2.0,
                fill(item.fill()),
                stroke(item.outline())
            ),
            ItemKind::Rectangle => writeln!(
                svg,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" {}/>",
                x0.min(x1),
                y0.min(y1),
                (x1 - x0).abs(),
                (y1 - y0).abs(),
                fill(item.fill()),
                stroke(item.outline())
            ),
            ItemKind::Text => {
                let font = item.style.font.as_deref().unwrap_or(DEFAULT_FONT);
                let lines: Vec<&str> = item.style.text.as_deref().unwrap_or_default().split('\n').collect();
                // No text metrics here: the font's usual proportions (the page measures).
                let size = font_pixels(font);
                let width = lines.iter().map(|l| l.chars().count() as f64 * 0.6 * size).fold(0.0, f64::max);
                let metrics =
                    TextMetrics { width, ascent: (0.8 * size).ceil(), descent: (0.2 * size).ceil() };
                let (left, top) = text_box(item.style.anchor.as_deref(), x0, y0, &metrics, lines.len());
                let decoration =
                    if item.style.underline == Some(true) { " text-decoration=\"underline\"" } else { "" };
                let mut result = Ok(());
                for (i, line) in lines.iter().enumerate() {
                    result = result.and(writeln!(
                        svg,
                        "<text x=\"{left}\" y=\"{}\" fill=\"{}\" style=\"font: {}\"{decoration} xml:space=\"preserve\">{}</text>",
                        top + metrics.line_height() * i as f64 + metrics.ascent,
                        fill(item.fill()),
                        escape(font),
                        escape(line)
                    ));
                }
                result
            }
            ItemKind::Image => {
                let picture = item.style.image.and_then(|image| self.pictures.get(&image));
                match picture.and_then(|p| p.data_url().map(|url| (p, url))) {
                    Some((picture, url)) => writeln!(
                        svg,
                        "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" href=\"{url}\"/>",
                        x0 - f64::from(picture.width) / 2.0,
                        y0 - f64::from(picture.height) / 2.0,
                        picture.width,
                        picture.height
                    ),
                    None => Ok(()),
                }
            }
            ItemKind::Line | ItemKind::Polygon => Ok(()),
        };
    }
}

/// Copies the options given in `change` over `style`.
fn merge(style: &mut ItemOptions, change: ItemOptions) {
    fn take<T>(into: &mut Option<T>, from: Option<T>) {
        if from.is_some() {
            *into = from;
        }
    }
    take(&mut style.fill, change.fill);
    take(&mut style.outline, change.outline);
    take(&mut style.width, change.width);
    take(&mut style.capstyle, change.capstyle);
    take(&mut style.joinstyle, change.joinstyle);
    take(&mut style.text, change.text);
    take(&mut style.font, change.font);
    take(&mut style.underline, change.underline);
    take(&mut style.anchor, change.anchor);
    take(&mut style.image, change.image);
    take(&mut style.state, change.state);
}

/// The first two points of `coords` (zeros where missing).
pub fn corners(coords: &[f64]) -> [f64; 4] {
    let at = |i: usize| coords.get(i).copied().unwrap_or(0.0);
    [at(0), at(1), at(2), at(3)]
}

/// Tk's cap style as the browser's: `projecting` is `square`.
pub fn line_cap(capstyle: Option<&str>) -> &'static str {
    match capstyle {
        Some("butt") => "butt",
        Some("projecting") => "square",
        _ => "round",
    }
}

/// The font text items have when Python gives none.
pub const DEFAULT_FONT: &str = "13px sans-serif";

/// The pixel size in a CSS font ("bold 16px Arial" → 16), 13 if none is found.
pub fn font_pixels(font: &str) -> f64 {
    font.split_whitespace()
        .find_map(|word| word.strip_suffix("px").and_then(|n| n.parse::<f64>().ok()))
        .unwrap_or(13.0)
}

/// A text's measures: its widest line, and the font's height above and below the baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextMetrics {
    pub width: f64,
    pub ascent: f64,
    pub descent: f64,
}

impl TextMetrics {
    /// The distance between two lines' baselines.
    pub fn line_height(&self) -> f64 {
        self.ascent.ceil() + self.descent.ceil()
    }
}

/// The top-left corner of the box of `lines` lines of text at `(x, y)`: Tk's anchor names
/// the side (or corner) of the whole box that lies at the point; lines are left-justified
/// inside it (Tk's default).
pub fn text_box(anchor: Option<&str>, x: f64, y: f64, metrics: &TextMetrics, lines: usize) -> (f64, f64) {
    let anchor = anchor.unwrap_or("center");
    let height = metrics.line_height() * lines.max(1) as f64;
    let vertical = anchor.trim_end_matches(['e', 'w']);
    let horizontal = anchor.trim_start_matches(['n', 's']);
    let left = match horizontal {
        "w" => x,
        "e" => x - metrics.width,
        _ => x - metrics.width / 2.0,
    };
    let top = match vertical {
        "n" => y,
        "s" => y - height,
        _ => y - height / 2.0,
    };
    (left, top)
}

/// Text for XML content and attributes.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(json: &str) -> Vec<CanvasOp> {
        serde_json::from_str(json).expect("ops")
    }

    fn scene(json: &str) -> Scene {
        let mut scene = Scene::default();
        for op in ops(json) {
            scene.apply(op);
        }
        scene
    }

    const SQUARE: &str = r##"[
        {"op":"window","title":"Squares & <more>"},
        {"op":"canvas","cv":1,"width":200,"height":100,"bg":"#ffffff","x0":-100,"y0":-50},
        {"op":"create","cv":1,"id":1,"kind":"line","coords":[0,0,50,0,50,-50],"fill":"#ff0000","width":2,"capstyle":"round"},
        {"op":"create","cv":1,"id":2,"kind":"polygon","coords":[0,0,10,10,0,10],"fill":"#00ff00","outline":"#000000","width":1},
        {"op":"create","cv":1,"id":3,"kind":"text","coords":[5,5],"text":"a<b","font":"bold 16px \"Arial\"","anchor":"sw","fill":"#000000"}
    ]"##;

    #[test]
    fn items_stack_in_creation_order_and_raise_and_lower_move_them() {
        let mut scene = scene(SQUARE);
        let ids = |scene: &Scene| scene.canvases[&1].order.clone();
        assert_eq!(ids(&scene), [1, 2, 3]);
        scene.apply(CanvasOp::Raise { id: 1 });
        assert_eq!(ids(&scene), [2, 3, 1]);
        scene.apply(CanvasOp::Lower { id: 3 });
        assert_eq!(ids(&scene), [3, 2, 1]);
        scene.apply(CanvasOp::Delete { id: 2 });
        assert_eq!(ids(&scene), [3, 1]);
        assert!(!scene.items.contains_key(&2));
        scene.apply(CanvasOp::Delete { id: 99 });
        scene.apply(CanvasOp::Raise { id: 99 });
        assert_eq!(ids(&scene), [3, 1], "unknown ids are ignored, as Tk does");
    }

    #[test]
    fn config_changes_only_the_options_given_and_hidden_items_are_not_drawn() {
        let mut scene = scene(SQUARE);
        scene.apply(CanvasOp::Config {
            id: 1,
            options: ItemOptions { state: Some("hidden".into()), ..ItemOptions::default() },
        });
        scene.apply(CanvasOp::Coords { id: 2, coords: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0] });
        assert_eq!(scene.items[&1].fill(), Some("#ff0000"), "the colour stays");
        let drawn: Vec<ItemKind> = scene.items_of(1).map(|item| item.kind).collect();
        assert_eq!(drawn, [ItemKind::Polygon, ItemKind::Text]);
        assert_eq!(scene.items[&2].coords, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }

    #[test]
    fn the_svg_holds_every_visible_item_escaped_in_the_canvas_view() {
        let svg = scene(SQUARE).to_svg();
        assert!(svg.contains("viewBox=\"-100 -50 200 100\""), "{svg}");
        assert!(
            svg.contains("<rect x=\"-100\" y=\"-50\" width=\"200\" height=\"100\" fill=\"#ffffff\"/>"),
            "{svg}"
        );
        assert!(
            svg.contains(
                "<polyline points=\"0,0 50,0 50,-50\" fill=\"none\" stroke=\"#ff0000\" stroke-width=\"2\""
            ),
            "{svg}"
        );
        assert!(
            svg.contains("<polygon points=\"0,0 10,10 0,10\" fill=\"#00ff00\" stroke=\"#000000\""),
            "{svg}"
        );
        assert!(svg.contains(">a&lt;b</text>"), "{svg}");
        // Anchored "sw" at (5, 5): one line of 16 px, its baseline the box's descent above.
        assert!(
            svg.contains(
                "<text x=\"5\" y=\"1\" fill=\"#000000\" style=\"font: bold 16px &quot;Arial&quot;\""
            ),
            "{svg}"
        );
        assert!(svg.contains("<title>Squares &amp; &lt;more&gt;</title>"), "{svg}");
    }

    #[test]
    fn what_python_sends_cannot_break_out_of_the_svg_s_attributes() {
        let mut scene = scene(SQUARE);
        let hostile = "red\" onload=\"alert(1)";
        scene.apply(CanvasOp::Config {
            id: 1,
            options: ItemOptions {
                fill: Some(hostile.into()),
                joinstyle: Some(hostile.into()),
                ..ItemOptions::default()
            },
        });
        let picture =
            |mime: &str, data: &str| Picture { width: 1, height: 1, mime: mime.into(), data: data.into() };
        scene.pictures.insert(9, picture("image/png\" onload=\"x", "AAAA"));
        scene.apply(CanvasOp::Create {
            cv: 1,
            id: 4,
            kind: ItemKind::Image,
            coords: vec![0.0, 0.0],
            options: ItemOptions { image: Some(9), ..ItemOptions::default() },
        });
        let svg = scene.to_svg();
        assert!(!svg.contains("\" onload"), "{svg}");
        assert!(svg.contains("stroke=\"red&quot; onload=&quot;alert(1)\""), "{svg}");
        assert!(!svg.contains("<image"), "a picture of no picture format is left out: {svg}");
        assert_eq!(
            picture("image/gif", "R0lGOD+/=").data_url().as_deref(),
            Some("data:image/gif;base64,R0lGOD+/=")
        );
        assert_eq!(picture("image/gif", "R0l\"GOD").data_url(), None);
    }

    #[test]
    fn close_empties_the_drawing_and_asks_and_focus_reach_the_page() {
        let mut scene = scene(SQUARE);
        let ask = r#"{"op":"ask","ask":4,"title":"t","prompt":"p","kind":"integer","initial":"3","min":1,"max":10}"#;
        let Applied::Ask(question) = scene.apply(serde_json::from_str(ask).expect("ask")) else { panic!() };
        assert_eq!(question.check(" 7 "), Ok("7".to_owned()));
        assert!(question.check("7.5").is_err_and(|e| e.contains("integer")));
        assert!(question.check("11").is_err_and(|e| e.contains("maximum value is 10")));
        assert!(question.check("0").is_err_and(|e| e.contains("minimum value is 1")));
        assert_eq!(scene.apply(CanvasOp::Focus { cv: 1 }), Applied::Focus(1));
        assert_eq!(scene.apply(CanvasOp::Close), Applied::Closed);
        assert!(scene.is_empty() && scene.items.is_empty());
    }

    #[test]
    fn text_anchors_place_the_box_side_named() {
        let metrics = TextMetrics { width: 100.0, ascent: 15.2, descent: 4.1 };
        assert_eq!(metrics.line_height(), 21.0);
        assert_eq!(text_box(Some("sw"), 10.0, 50.0, &metrics, 1), (10.0, 29.0));
        assert_eq!(text_box(Some("s"), 10.0, 50.0, &metrics, 2), (-40.0, 8.0));
        assert_eq!(text_box(Some("ne"), 10.0, 50.0, &metrics, 1), (-90.0, 50.0));
        assert_eq!(text_box(Some("center"), 10.0, 50.0, &metrics, 1), (-40.0, 39.5));
        assert_eq!(text_box(Some("e"), 10.0, 50.0, &metrics, 1), (-90.0, 39.5));
        assert_eq!(text_box(None, 0.0, 0.0, &metrics, 1), (-50.0, -10.5));
        assert_eq!(font_pixels("italic bold 21.33px \"Arial\", sans-serif"), 21.33);
    }
}
