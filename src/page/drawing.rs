//! Turtle graphics on the page: the [`Scene`] Python builds, drawn on `<canvas>` elements (one
//! per Tk canvas, fitted to the panel), and the student's clicks and keys on them turned into
//! [`CanvasEvent`]s for Python. Saving as PNG and SVG starts here too.

use crate::logic::canvas_protocol::{CanvasEvent, CanvasOp, ItemKind};
use crate::logic::canvas_scene::{
    Applied, CanvasView, DEFAULT_FONT, Item, Picture, Question, Scene, TextMetrics, corners, line_cap,
    text_box,
};
use crate::logic::tk_keys::{key_char, keysym};
use crate::page::file_transfer::{self, TransferError};
use crate::page_and_worker::js_error::describe;
use base64::Engine;
use gloo::events::{EventListener, EventListenerOptions};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{
    CanvasRenderingContext2d, CanvasWindingRule, HtmlCanvasElement, HtmlElement, HtmlImageElement,
};

/// What the panel shows besides the drawing; the board reports each change.
#[derive(Debug, Clone, PartialEq)]
pub enum BoardNews {
    /// Python drew (the first time after a while, the panel opens) with this window title.
    Shown { title: String },
    /// The drawing went away (`bye()`, a fresh interpreter).
    Hidden,
    /// Python asks the student a question.
    Ask(Question),
    /// The drawing area changed size (the student resized the panel): the terminal beside
    /// it did too.
    Resized,
}

/// One Tk canvas on the page, and its listeners (removed with it).
struct CanvasElement {
    element: HtmlCanvasElement,
    context: CanvasRenderingContext2d,
    _listeners: Vec<EventListener>,
}

struct Inner {
    scene: Scene,
    /// Where the canvases go (the panel's drawing area), once the panel is there.
    host: Option<HtmlElement>,
    elements: BTreeMap<u32, CanvasElement>,
    /// Pictures, each with the listener that redraws once it has loaded.
    pictures: HashMap<u32, (HtmlImageElement, EventListener)>,
    /// A frame is requested: drawing happens once per frame however many batches arrive.
    frame: Option<gloo::render::AnimationFrame>,
    /// The student closed the drawing and Python has not yet taken it in: what it still
    /// draws meanwhile does not reopen the panel.
    closed_by_student: bool,
    /// `listen()` asked for the keyboard before this canvas's element existed.
    focus_wanted: Option<u32>,
    /// Frames drawn so far (shown on each canvas, so that the bench can pace them).
    renders: u64,
    /// When pointer motion was last sent (motion is sent at most once a frame, as Tk
    /// compresses it).
    motion_sent: f64,
    send: Box<dyn Fn(CanvasEvent)>,
    news: Box<dyn Fn(BoardNews)>,
    _resize: Option<Resize>,
}

/// The drawing board: cheap to clone, shared by the workbench and the panel.
#[derive(Clone)]
pub struct DrawingBoard(Rc<RefCell<Inner>>);

/// A resize observer on the drawing area, disconnected on drop.
struct Resize {
    observer: web_sys::ResizeObserver,
    _callback: Closure<dyn FnMut()>,
}

impl Drop for Resize {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// How long between two motion events sent while a button is held.
const MOTION_INTERVAL_MS: f64 = 16.0;

impl DrawingBoard {
    /// A board that sends the student's events with `send` and tells the panel with `news`.
    pub fn new(send: impl Fn(CanvasEvent) + 'static, news: impl Fn(BoardNews) + 'static) -> Self {
        Self(Rc::new(RefCell::new(Inner {
            scene: Scene::default(),
            host: None,
            elements: BTreeMap::new(),
            pictures: HashMap::new(),
            frame: None,
            closed_by_student: false,
            focus_wanted: None,
            renders: 0,
            motion_sent: 0.0,
            send: Box::new(send),
            news: Box::new(news),
            _resize: None,
        })))
    }

    /// The panel's drawing area is `host`: canvases go there, refitted when it resizes.
    pub fn attach(&self, host: HtmlElement) {
        let weak = Rc::downgrade(&self.0);
        let callback = Closure::<dyn FnMut()>::new(move || {
            if let Some(inner) = weak.upgrade() {
                request_frame(&inner);
                (inner.borrow().news)(BoardNews::Resized);
            }
        });
        let resize = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok().map(|observer| {
            observer.observe(&host);
            Resize { observer, _callback: callback }
        });
        let mut inner = self.0.borrow_mut();
        inner.host = Some(host);
        inner._resize = resize;
        drop(inner);
        request_frame(&self.0);
    }

    /// Takes in a batch of Python's drawing operations (JSON text).
    pub fn apply(&self, json: &str) {
        let ops = match js_sys::JSON::parse(json).map_err(|e| describe(&e)).and_then(|value| {
            serde_wasm_bindgen::from_value::<Vec<CanvasOp>>(value).map_err(|e| e.to_string())
        }) {
            Ok(ops) => ops,
            Err(error) => {
                web_sys::console::error_1(
                    &format!("turtle graphics: a batch was not understood: {error}").into(),
                );
                return;
            }
        };
        let mut news = Vec::new();
        {
            let mut inner = self.0.borrow_mut();
            for op in ops {
                if let CanvasOp::Image { image, width, height, mime, data } = &op {
                    let picture =
                        Picture { width: *width, height: *height, mime: mime.clone(), data: data.clone() };
                    load_picture(&self.0, &mut inner, *image, &picture);
                }
                match inner.scene.apply(op) {
                    Applied::Drawn => {}
                    Applied::Ask(question) => news.push(BoardNews::Ask(question)),
                    Applied::Focus(cv) => match inner.elements.get(&cv) {
                        Some(canvas) => {
                            let _ = canvas.element.focus();
                        }
                        None => inner.focus_wanted = Some(cv),
                    },
                    Applied::Closed => {
                        inner.closed_by_student = false;
                        inner.pictures.clear();
                        news.push(BoardNews::Hidden);
                    }
                }
            }
            if !inner.scene.is_empty() && !inner.closed_by_student {
                news.push(BoardNews::Shown { title: inner.scene.title.clone() });
            }
        }
        request_frame(&self.0);
        let inner = self.0.borrow();
        for news in news {
            (inner.news)(news);
        }
    }

    /// A fresh interpreter: the drawing goes.
    pub fn reset(&self) {
        let mut inner = self.0.borrow_mut();
        inner.scene = Scene::default();
        inner.pictures.clear();
        inner.closed_by_student = false;
        drop(inner);
        request_frame(&self.0);
        (self.0.borrow().news)(BoardNews::Hidden);
    }

    /// The student closed the drawing: Python hears it as its window's close button.
    pub fn close(&self) {
        self.0.borrow_mut().closed_by_student = true;
        self.send(CanvasEvent::Close);
        (self.0.borrow().news)(BoardNews::Hidden);
    }

    /// Sends an event to Python.
    pub fn send(&self, event: CanvasEvent) {
        (self.0.borrow().send)(event);
    }

    /// The drawing as an SVG document.
    pub fn svg(&self) -> String {
        self.0.borrow().scene.to_svg()
    }

    /// The drawing as a PNG at its own size (the canvases one below the other).
    pub fn png(&self) -> Result<Vec<u8>, String> {
        let inner = self.0.borrow();
        let views = &inner.scene.canvases;
        let width = views.values().map(|v| v.width).fold(0.0, f64::max);
        let height: f64 = views.values().map(|v| v.height).sum();
        let (element, context) = new_canvas().ok_or("this browser cannot draw on a canvas")?;
        element.set_width(width.max(1.0) as u32);
        element.set_height(height.max(1.0) as u32);
        let mut top = 0.0;
        for (cv, view) in views {
            draw_canvas(&context, &inner, *cv, view, 1.0, top);
            top += view.height;
        }
        let url = element.to_data_url().map_err(|e| describe(&e))?;
        let data = url.split_once(',').map(|(_, data)| data).unwrap_or_default();
        base64::engine::general_purpose::STANDARD.decode(data).map_err(|e| e.to_string())
    }
}

/// Saves the drawing as a download: PNG, or SVG.
pub fn save(board: &DrawingBoard, svg: bool) -> Result<(), TransferError> {
    if svg {
        return file_transfer::download("drawing.svg", board.svg().as_bytes());
    }
    let png = board.png().map_err(|detail| TransferError::Download { name: "drawing.png".into(), detail })?;
    file_transfer::download("drawing.png", &png)
}

fn request_frame(inner: &Rc<RefCell<Inner>>) {
    if inner.borrow().frame.is_some() {
        return;
    }
    let weak = Rc::downgrade(inner);
    let frame = gloo::render::request_animation_frame(move |_| {
        if let Some(inner) = weak.upgrade() {
            inner.borrow_mut().frame = None;
            render(&inner);
        }
    });
    inner.borrow_mut().frame = Some(frame);
}

/// A fresh canvas element and its 2D context.
fn new_canvas() -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let element: HtmlCanvasElement =
        gloo::utils::document().create_element("canvas").ok()?.dyn_into().ok()?;
    let context = element.get_context("2d").ok()??.dyn_into().ok()?;
    Some((element, context))
}

/// Draws every canvas, fitted to the drawing area (sharing its height), sharp on the
/// screen's pixels.
fn render(rc: &Rc<RefCell<Inner>>) {
    let mut guard = rc.borrow_mut();
    let inner = &mut *guard;
    let Some(host) = inner.host.clone() else { return };
    // Canvases Python no longer has.
    inner.elements.retain(|cv, canvas| {
        let kept = inner.scene.canvases.contains_key(cv);
        if !kept {
            canvas.element.remove();
        }
        kept
    });
    inner.renders += 1;
    let count = inner.scene.canvases.len().max(1) as f64;
    let (room_width, room_height) = (f64::from(host.client_width()), f64::from(host.client_height()) / count);
    let pixel_ratio = gloo::utils::window().device_pixel_ratio().max(1.0);
    let views: Vec<(u32, CanvasView)> = inner.scene.canvases.iter().map(|(cv, v)| (*cv, v.clone())).collect();
    for (cv, view) in views {
        if let std::collections::btree_map::Entry::Vacant(slot) = inner.elements.entry(cv) {
            let Some(canvas) = canvas_element(rc, cv) else { continue };
            let _ = host.append_child(&canvas.element);
            slot.insert(canvas);
        }
        let Some(canvas) = inner.elements.get(&cv) else { continue };
        let fit = (room_width / view.width).min(room_height / view.height);
        let scale = if fit.is_finite() && fit > 0.0 { fit } else { 1.0 };
        let (css_width, css_height) = (view.width * scale, view.height * scale);
        // The view, for whoever reads the picture back (tests, the bench), how many frames
        // were drawn, and how many items the canvas has (hidden ones too, as Tk counts).
        for (name, value) in [
            ("data-width", view.width),
            ("data-height", view.height),
            ("data-x0", view.x0),
            ("data-y0", view.y0),
            ("data-items", view.order.len() as f64),
            ("data-renders", inner.renders as f64),
        ] {
            let _ = canvas.element.set_attribute(name, &value.to_string());
        }
        let style = canvas.element.style();
        let _ = style.set_property("width", &format!("{css_width}px"));
        let _ = style.set_property("height", &format!("{css_height}px"));
        let (backing_width, backing_height) = (
            (css_width * pixel_ratio).round().max(1.0) as u32,
            (css_height * pixel_ratio).round().max(1.0) as u32,
        );
        if canvas.element.width() != backing_width || canvas.element.height() != backing_height {
            canvas.element.set_width(backing_width);
            canvas.element.set_height(backing_height);
        }
        draw_canvas(&canvas.context, inner, cv, &view, f64::from(backing_width) / view.width, 0.0);
        if inner.focus_wanted == Some(cv) {
            inner.focus_wanted = None;
            let _ = canvas.element.focus();
        }
    }
}

/// Draws canvas `cv` onto `context` at `scale` device pixels per canvas pixel, `top` pixels
/// down.
fn draw_canvas(
    context: &CanvasRenderingContext2d,
    inner: &Inner,
    cv: u32,
    view: &CanvasView,
    scale: f64,
    top: f64,
) {
    let _ = context.set_transform(scale, 0.0, 0.0, scale, -view.x0 * scale, -view.y0 * scale + top * scale);
    context.set_fill_style_str(if view.bg.is_empty() { "#ffffff" } else { &view.bg });
    context.fill_rect(view.x0, view.y0, view.width, view.height);
    for item in inner.scene.items_of(cv) {
        draw_item(context, inner, item);
    }
}

fn draw_item(context: &CanvasRenderingContext2d, inner: &Inner, item: &Item) {
    let stroke = |colour: Option<&str>| {
        if let Some(colour) = colour {
            context.set_stroke_style_str(colour);
            context.set_line_width(item.width());
            context.set_line_cap(line_cap(item.style.capstyle.as_deref()));
            context.set_line_join(item.style.joinstyle.as_deref().unwrap_or("round"));
            context.stroke();
        }
    };
    let path = |points: &[f64], close: bool| {
        context.begin_path();
        for (i, point) in points.chunks_exact(2).enumerate() {
            if i == 0 { context.move_to(point[0], point[1]) } else { context.line_to(point[0], point[1]) }
        }
        if close {
            context.close_path();
        }
    };
    let [x0, y0, x1, y1] = corners(&item.coords);
    match item.kind {
        ItemKind::Line if is_point(&item.coords) => {
            // A line of no length is a dot in Tk (turtle's `dot` draws one); a canvas prunes
            // it, so its cap is drawn as a shape.
            let Some(colour) = item.fill() else { return };
            let size = item.width();
            context.set_fill_style_str(colour);
            match line_cap(item.style.capstyle.as_deref()) {
                "round" => {
                    context.begin_path();
                    let _ = context.arc(x0, y0, size / 2.0, 0.0, std::f64::consts::TAU);
                    context.fill();
                }
                "square" => context.fill_rect(x0 - size / 2.0, y0 - size / 2.0, size, size),
                _ => {}
            }
        }
        ItemKind::Line => {
            path(&item.coords, false);
            stroke(item.fill());
        }
        ItemKind::Polygon => {
            path(&item.coords, true);
            if let Some(fill) = item.fill() {
                context.set_fill_style_str(fill);
                // Tk fills by the even-odd rule: a star's middle stays empty, as on a desktop.
                context.fill_with_canvas_winding_rule(CanvasWindingRule::Evenodd);
            }
            stroke(item.outline());
        }
        ItemKind::Oval | ItemKind::Rectangle => {
            context.begin_path();
            if item.kind == ItemKind::Oval {
                let (rx, ry) = ((x1 - x0).abs() / 2.0, (y1 - y0).abs() / 2.0);
                let _ = context.ellipse(
                    (x0 + x1) / 2.0,
                    (y0 + y1) / 2.0,
                    rx,
                    ry,
                    0.0,
                    0.0,
                    std::f64::consts::TAU,
                );
            } else {
                context.rect(x0.min(x1), y0.min(y1), (x1 - x0).abs(), (y1 - y0).abs());
            }
            if let Some(fill) = item.fill() {
                context.set_fill_style_str(fill);
                context.fill();
            }
            stroke(item.outline());
        }
        ItemKind::Text => draw_text(context, item, x0, y0),
        ItemKind::Image => {
            let picture = item.style.image.and_then(|image| inner.pictures.get(&image)).map(|(p, _)| p);
            if let Some(picture) = picture.filter(|p| p.complete() && p.natural_width() > 0) {
                let (w, h) = (f64::from(picture.natural_width()), f64::from(picture.natural_height()));
                let _ = context.draw_image_with_html_image_element_and_dw_and_dh(
                    picture,
                    x0 - w / 2.0,
                    y0 - h / 2.0,
                    w,
                    h,
                );
            }
        }
    }
}

/// Whether every point of `coords` is the same one.
fn is_point(coords: &[f64]) -> bool {
    coords.len() >= 2 && coords.chunks_exact(2).all(|p| p[0] == coords[0] && p[1] == coords[1])
}

/// Text as Tk lays it out: lines left-justified in a box placed by the anchor, one line
/// height (the font's ascent and descent) apart.
fn draw_text(context: &CanvasRenderingContext2d, item: &Item, x: f64, y: f64) {
    let Some(text) = item.style.text.as_deref().filter(|t| !t.is_empty()) else { return };
    context.set_font(item.style.font.as_deref().unwrap_or(DEFAULT_FONT));
    context.set_text_align("left");
    context.set_text_baseline("alphabetic");
    let lines: Vec<&str> = text.split('\n').collect();
    let widths: Vec<f64> = lines.iter().map(|l| context.measure_text(l).map_or(0.0, |m| m.width())).collect();
    let Ok(font) = context.measure_text("") else { return };
    let metrics = TextMetrics {
        width: widths.iter().copied().fold(0.0, f64::max),
        ascent: font.font_bounding_box_ascent(),
        descent: font.font_bounding_box_descent(),
    };
    let (left, top) = text_box(item.style.anchor.as_deref(), x, y, &metrics, lines.len());
    context.set_fill_style_str(item.fill().unwrap_or("#000000"));
    for (i, (line, width)) in lines.iter().zip(&widths).enumerate() {
        let baseline = top + metrics.line_height() * i as f64 + metrics.ascent.ceil();
        let _ = context.fill_text(line, left, baseline);
        if item.style.underline == Some(true) {
            context.fill_rect(left, baseline + 1.0, *width, 1.0);
        }
    }
}

/// Starts loading picture `image` (a `PhotoImage`); the drawing is redrawn once it is there.
fn load_picture(rc: &Rc<RefCell<Inner>>, inner: &mut Inner, image: u32, picture: &Picture) {
    let Some(url) = picture.data_url() else {
        inner.pictures.remove(&image);
        return;
    };
    let Ok(element) = HtmlImageElement::new() else { return };
    let weak: Weak<RefCell<Inner>> = Rc::downgrade(rc);
    let loaded = EventListener::once(&element, "load", move |_| {
        if let Some(inner) = weak.upgrade() {
            request_frame(&inner);
        }
    });
    element.set_src(&url);
    inner.pictures.insert(image, (element, loaded));
}

/// A canvas element for Tk canvas `cv`, sending the student's pointer and keys to Python.
fn canvas_element(rc: &Rc<RefCell<Inner>>, cv: u32) -> Option<CanvasElement> {
    let (element, context) = new_canvas()?;
    element.set_class_name("drawing-canvas");
    element.set_tab_index(0);
    let _ = element.set_attribute("aria-label", "Turtle graphics: click here for turtle's keys");
    let _ = element.set_attribute("data-cv", &cv.to_string());
    let weak = Rc::downgrade(rc);
    let on_pointer = |name: &'static str| {
        let (weak, target) = (weak.clone(), element.clone());
        EventListener::new(&element, name, move |event| {
            let Some(event) = event.dyn_ref::<web_sys::PointerEvent>() else { return };
            let Some(inner) = weak.upgrade() else { return };
            pointer(&inner, &target, cv, name, event);
        })
    };
    let on_key = |down: bool| {
        let weak = weak.clone();
        let name = if down { "keydown" } else { "keyup" };
        EventListener::new_with_options(
            &element,
            name,
            EventListenerOptions::enable_prevent_default(),
            move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                // The browser's and the page's own shortcuts stay theirs.
                if event.ctrl_key() || event.meta_key() || event.is_composing() {
                    return;
                }
                event.prevent_default();
                let Some(inner) = weak.upgrade() else { return };
                let key = event.key();
                (inner.borrow().send)(CanvasEvent::Key {
                    cv,
                    down,
                    keysym: keysym(&key),
                    char: key_char(&key),
                });
            },
        )
    };
    let no_menu = EventListener::new_with_options(
        &element,
        "contextmenu",
        EventListenerOptions::enable_prevent_default(),
        |event| event.prevent_default(),
    );
    let listeners = vec![
        on_pointer("pointerdown"),
        on_pointer("pointerup"),
        on_pointer("pointermove"),
        on_key(true),
        on_key(false),
        no_menu,
    ];
    Some(CanvasElement { element, context, _listeners: listeners })
}

/// A pointer event on canvas `cv`, as Tk's: canvas pixels from its top-left corner, buttons
/// numbered from 1.
fn pointer(
    inner: &Rc<RefCell<Inner>>,
    element: &HtmlCanvasElement,
    cv: u32,
    name: &str,
    event: &web_sys::PointerEvent,
) {
    let Some(view) = inner.borrow().scene.canvases.get(&cv).cloned() else { return };
    let (shown_width, shown_height) = (f64::from(element.client_width()), f64::from(element.client_height()));
    if shown_width <= 0.0 || shown_height <= 0.0 {
        return;
    }
    let x = f64::from(event.offset_x()) * view.width / shown_width;
    let y = f64::from(event.offset_y()) * view.height / shown_height;
    let button = u32::try_from(event.button()).map_or(1, |b| match b {
        1 => 2,
        2 => 3,
        _ => 1,
    });
    let sent = match name {
        "pointerdown" => {
            let _ = element.set_pointer_capture(event.pointer_id());
            let _ = element.focus();
            CanvasEvent::Press { cv, button, x, y }
        }
        "pointerup" => CanvasEvent::Release { cv, button, x, y },
        _ => {
            let held = event.buttons();
            let now = js_sys::Date::now();
            if held == 0 || now - inner.borrow().motion_sent < MOTION_INTERVAL_MS {
                return;
            }
            inner.borrow_mut().motion_sent = now;
            let button = if held & 1 != 0 {
                1
            } else if held & 4 != 0 {
                2
            } else {
                3
            };
            CanvasEvent::Motion { cv, button, x, y }
        }
    };
    (inner.borrow().send)(sent);
}
