//! Text measured as the page will draw it, for turtle's `write` (Tk's `bbox` of a text item):
//! the browser's own canvas in the worker, so the measure and the drawing agree.

use crate::logic::canvas_scene::font_pixels;
use wasm_bindgen::JsCast;
use web_sys::{OffscreenCanvas, OffscreenCanvasRenderingContext2d};

/// A text's width and the font's height above and below its baseline, in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    pub width: f64,
    pub ascent: f64,
    pub descent: f64,
}

impl Extent {
    /// The answer `/dev/canvas` gives Python: "WIDTH ASCENT DESCENT".
    pub fn answer(&self) -> String {
        format!("{} {} {}\n", self.width, self.ascent, self.descent)
    }
}

/// Measures text; one canvas for every measure.
#[derive(Default)]
pub struct TextMeasure {
    context: Option<OffscreenCanvasRenderingContext2d>,
}

impl TextMeasure {
    fn context(&mut self) -> Option<&OffscreenCanvasRenderingContext2d> {
        if self.context.is_none() {
            let canvas = OffscreenCanvas::new(1, 1).ok()?;
            self.context = canvas.get_context("2d").ok()??.dyn_into().ok();
        }
        self.context.as_ref()
    }

    /// `text` in the CSS `font`. A browser without a canvas in workers gets an estimate from
    /// the font's size, so that `write` still works.
    pub fn measure(&mut self, font: &str, text: &str) -> Extent {
        let size = font_pixels(font);
        let estimate = Extent {
            width: 0.6 * size * text.chars().count() as f64,
            ascent: 0.8 * size,
            descent: 0.2 * size,
        };
        let Some(context) = self.context() else { return estimate };
        context.set_font(font);
        let Ok(metrics) = context.measure_text(text) else { return estimate };
        let (ascent, descent) = (metrics.font_bounding_box_ascent(), metrics.font_bounding_box_descent());
        Extent {
            width: metrics.width(),
            // Older engines lack the font's box: the estimate's then.
            ascent: if ascent > 0.0 { ascent } else { estimate.ascent },
            descent: if descent > 0.0 { descent } else { estimate.descent },
        }
    }
}
