//! The canvas backend, with the sizes of text remembered. plotters' web font measures a
//! label by adding a `<span>` to the page and reading its size, which lays out the whole
//! page: a forced layout for every tick label and legend entry of every chart, every frame
//! (a sixth of the page's main thread while the question's network trained). Labels repeat
//! from frame to frame, so each (text, font, size) is measured once, the same way.

use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind};
use plotters_canvas::CanvasBackend;
use std::cell::RefCell;
use std::collections::HashMap;
use web_sys::HtmlCanvasElement;

/// Entries kept before the memory of sizes starts afresh (labels of zoomed or changed axes
/// pile up; a page uses a few hundred).
const MAX_REMEMBERED: usize = 4096;

/// A label: its text, its font ("style family") and the bits of its size in pixels.
type Label = (String, String, u64);

thread_local! {
    static TEXT_SIZES: RefCell<HashMap<Label, (u32, u32)>> = RefCell::new(HashMap::new());
}

/// `CanvasBackend` with `estimate_text_size` remembered; everything else passes through.
pub struct Canvas(CanvasBackend);

impl Canvas {
    pub fn new(canvas: HtmlCanvasElement) -> Option<Canvas> {
        CanvasBackend::with_canvas_object(canvas).map(Canvas)
    }
}

type Result<T> = std::result::Result<T, DrawingErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

impl DrawingBackend for Canvas {
    type ErrorType = <CanvasBackend as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<()> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<()> {
        self.0.present()
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result<()> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result<()> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(&mut self, a: BackendCoord, b: BackendCoord, style: &S, fill: bool) -> Result<()> {
        self.0.draw_rect(a, b, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Result<()> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(&mut self, center: BackendCoord, r: u32, style: &S, fill: bool) -> Result<()> {
        self.0.draw_circle(center, r, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<()> {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(&mut self, text: &str, style: &S, pos: BackendCoord) -> Result<()> {
        self.0.draw_text(text, style, pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(&self, text: &str, style: &S) -> Result<(u32, u32)> {
        let font = format!("{} {}", style.style().as_str(), style.family().as_str());
        let key = (text.to_owned(), font, style.size().to_bits());
        if let Some(size) = TEXT_SIZES.with_borrow(|sizes| sizes.get(&key).copied()) {
            return Ok(size);
        }
        let size = self.0.estimate_text_size(text, style)?;
        TEXT_SIZES.with_borrow_mut(|sizes| {
            if sizes.len() >= MAX_REMEMBERED {
                sizes.clear();
            }
            sizes.insert(key, size);
        });
        Ok(size)
    }
}
