//! Every plotters call — the fit, RMSE, residual and hidden-unit charts — generic over `DrawingBackend`, so
//! the page draws them on a canvas (plotters-canvas) and native tests render them to SVG.
//!
//! Nothing here may panic on any input: NaN, infinities, empty series and huge values are
//! skipped or clipped to the view *before* plotters sees them, because plotters clips
//! nothing itself — an off-chart point becomes a saturated pixel coordinate, and a dashed
//! line to it would take billions of dashes.
//!
//! Text needs no font feature: the backends draw it (SVG `<text>`, canvas `fillText`) and
//! plotters measures it with a crude estimate natively and a DOM `<span>` in the browser —
//! so on wasm32 these functions need a `window` (the main thread, not a worker), and legend
//! labels use no-break spaces (see `unbreakable`).
//!
//! One file per chart (`fit`, `loss`, `residual`, `units`, and `heatmap` for two inputs, with
//! its colour scales in `colormap`); this one holds what they share: colours, text size,
//! clipping, axes, legends.

mod colormap;
mod fit;
mod heatmap;
mod loss;
mod residual;
mod sweep;
mod units;

pub use colormap::{diverging, sequential};
pub use fit::{draw_fit_chart, FitChart};
pub use heatmap::{draw_residual_surface_chart, draw_surface_chart, ResidualSurfaceChart, SurfaceChart};
pub use loss::{draw_loss_chart, LossChart, LossRun};
pub use residual::{draw_residual_chart, ResidualChart};
pub use sweep::{draw_sweep_chart, outcome_colour, SweepChart, SweepPoint};
pub use units::{draw_units_chart, UnitsChart};

use plotters::coord::ranged1d::Ranged;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::fmt;

/// One network's curve with its legend label; non-finite values break the line.
#[derive(Clone, Copy)]
pub struct Series<'a> {
    pub label: &'a str,
    pub points: &'a [(f64, f64)],
}

/// A drawing failure, with the backend's message.
#[derive(Debug, Clone, PartialEq)]
pub struct PlotError(pub String);

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "drawing failed: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

/// plotters' errors are generic over the backend's error type; keep only the message.
fn failed<E: fmt::Display>(e: E) -> PlotError {
    PlotError(e.to_string())
}

// Colours chosen to stay distinct on a washed-out projector and for red-green colour blindness.
const TARGET: RGBColor = RGBColor(40, 40, 40);
const POINTS: RGBColor = RGBColor(60, 140, 200);
const NETWORK: RGBColor = RGBColor(230, 85, 13);
const FLOOR: RGBColor = RGBColor(31, 90, 180);
const COLLAPSE: RGBColor = RGBColor(148, 52, 190);
const TWIN: RGBColor = RGBColor(0, 150, 136);
/// The network's and the twin's colours, in `networks` order.
const RUNS: [RGBColor; 2] = [NETWORK, TWIN];
const UNSEEN: RGBColor = RGBColor(120, 120, 140);
const GRID: RGBColor = RGBColor(225, 225, 225);

/// How big the charts' text and lines are drawn, beyond what the canvas size implies.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Look {
    /// 1 on a screen; larger for a projector (the page's presentation mode).
    pub scale: f64,
}

impl Default for Look {
    fn default() -> Look {
        Look { scale: 1.0 }
    }
}

/// Text size that scales with the canvas, so a 2× (HiDPI) canvas gets 2× text, and with
/// the look's scale.
fn font_size(height: u32, look: &Look) -> u32 {
    let scale = if look.scale.is_finite() { look.scale.clamp(0.5, 3.0) } else { 1.0 };
    ((height / 30).clamp(13, 36) as f64 * scale).round() as u32
}

/// Where a chart's plot area landed on the canvas and what it shows, so the page can map a
/// pointer to data (readouts) and data to pixels (annotations).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// The plot area in canvas pixels: left, top, right, bottom.
    pub pixels: [f64; 4],
    /// The data shown: x from, x to, y from (bottom), y to (top).
    pub data: [f64; 4],
    /// y is on a log axis.
    pub log_y: bool,
}

impl Frame {
    fn of<DB: DrawingBackend, X: Ranged, Y: Ranged>(
        plot: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
        data: [f64; 4],
        log_y: bool,
    ) -> Frame {
        let (xs, ys) = plot.plotting_area().get_pixel_range();
        Frame { pixels: [xs.start as f64, ys.start as f64, xs.end as f64, ys.end as f64], data, log_y }
    }

    /// As the page reads it: `[left, top, right, bottom, x0, x1, y0, y1, log_y]`.
    pub fn to_array(&self) -> [f64; 9] {
        let [l, t, r, b] = self.pixels;
        let [x0, x1, y0, y1] = self.data;
        [l, t, r, b, x0, x1, y0, y1, if self.log_y { 1.0 } else { 0.0 }]
    }
}

/// 1 234 567 → "1.23M", 0.002 → "2e-3": axis labels that fit and read at a glance.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if !v.is_finite() || v == 0.0 {
        return if v == 0.0 { "0".into() } else { String::new() };
    }
    if !(1e-2..1e15).contains(&a) {
        // Beyond the suffixes: scientific, with the mantissa's trailing zeros dropped.
        let s = format!("{v:.2e}");
        let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
        return format!("{}e{exponent}", trim_zeros(mantissa));
    }
    let (scaled, suffix) = match a {
        a if a >= 1e12 => (v / 1e12, "T"),
        a if a >= 1e9 => (v / 1e9, "G"),
        a if a >= 1e6 => (v / 1e6, "M"),
        a if a >= 1e3 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    // Three significant digits at most.
    let decimals = if scaled.abs() >= 100.0 {
        0
    } else if scaled.abs() >= 10.0 {
        1
    } else {
        2
    };
    format!("{}{suffix}", trim_zeros(&format!("{scaled:.decimals$}")))
}

/// A tick a hair from zero (1.08e-19 on an axis spanning ±1M) is zero: float noise from
/// stepping the axis, not a value.
fn snap_to_zero(v: f64, span: f64) -> f64 {
    if v.abs() <= 1e-9 * span.abs() {
        0.0
    } else {
        v
    }
}

fn trim_zeros(number: &str) -> &str {
    if number.contains('.') {
        number.trim_end_matches('0').trim_end_matches('.')
    } else {
        number
    }
}

/// The part of y = a·x + b with x in [0, x_max] and y in [lo, hi], if any.
fn clip_line((a, b): (f64, f64), x_max: f64, (lo, hi): (f64, f64)) -> Option<Vec<(f64, f64)>> {
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let (mut from, mut to) = (0.0f64, x_max);
    if a != 0.0 {
        // Where the line leaves the view through its bottom and top edges.
        let (xa, xb) = ((lo - b) / a, (hi - b) / a);
        from = from.max(xa.min(xb));
        to = to.min(xa.max(xb));
    } else if !(lo..=hi).contains(&b) {
        return None;
    }
    (from < to).then(|| vec![(from, a * from + b), (to, a * to + b)])
}

/// Runs of consecutive drawable points, cut where the curve leaves the view: a NaN or an x
/// outside [0, x_max] breaks the line, and a segment that crosses the top or bottom edge
/// is cut at the edge — never pinned along it, which would draw a step that is not there.
fn runs(series: &[(f64, f64)], x_max: f64, (lo, hi): (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let drawable = |&(x, y): &(f64, f64)| (0.0..=x_max).contains(&x) && y.is_finite();
    for pair in series.windows(2) {
        let inside = drawable(&pair[0]) && drawable(&pair[1]);
        match inside.then(|| clip_segment(pair[0], pair[1], (lo, hi))).flatten() {
            Some((from, to)) => {
                if current.last() != Some(&from) {
                    runs.push(std::mem::take(&mut current));
                    current.push(from);
                }
                current.push(to);
                if to != pair[1] {
                    runs.push(std::mem::take(&mut current)); // it left the view here
                }
            }
            None => runs.push(std::mem::take(&mut current)),
        }
    }
    runs.push(current);
    runs.retain(|r| r.len() > 1);
    runs
}

/// The part of the segment a–b with lo ≤ y ≤ hi, if any; an end inside the view is
/// returned exactly as given, so that consecutive segments join.
fn clip_segment(a: (f64, f64), b: (f64, f64), (lo, hi): (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
    let dy = b.1 - a.1;
    if dy == 0.0 {
        return (lo..=hi).contains(&a.1).then_some((a, b));
    }
    if !dy.is_finite() {
        return None;
    }
    let (t_lo, t_hi) = ((lo - a.1) / dy, (hi - a.1) / dy);
    let (t0, t1) = (t_lo.min(t_hi).max(0.0), t_lo.max(t_hi).min(1.0));
    if t0 >= t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * (b.0 - a.0), a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

fn line_style(color: RGBColor, width: u32) -> ShapeStyle {
    ShapeStyle { color: color.to_rgba(), filled: true, stroke_width: width }
}

/// Dashes scale with the line so they read at any canvas size.
fn dashed<C: Clone>(points: Vec<C>, width: u32, style: ShapeStyle) -> DashedPathElement<std::vec::IntoIter<C>, i32> {
    DashedPathElement::new(points, 4 * width as i32, 3 * width as i32, style)
}

type XyChart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Axes over x in [0, x_max] and y in (lo, hi), with compact labels and a light grid.
fn x_chart<'a, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    size: u32,
    x_max: f64,
    (lo, hi): (f64, f64),
    y_desc: &str,
    y_labels: usize,
) -> Result<XyChart<'a, DB>, PlotError> {
    let mut plot = ChartBuilder::on(root)
        .margin(size / 2)
        .margin_right(size * 3 / 2) // room for half of the last x label
        .x_label_area_size(size * 3)
        .y_label_area_size(size * 4)
        .build_cartesian_2d(0.0..x_max, lo..hi)
        .map_err(failed)?;
    let y_span = hi - lo;
    plot.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(8)
        .y_labels(y_labels)
        .label_style(("sans-serif", size))
        .x_label_formatter(&|v| compact(snap_to_zero(*v, x_max)))
        .y_label_formatter(&|v| compact(snap_to_zero(*v, y_span)))
        .x_desc("x")
        .y_desc(y_desc)
        .draw()
        .map_err(failed)?;
    Ok(plot)
}

/// Shades x beyond the training data: what a network draws there is extrapolation.
fn shade_unseen<DB: DrawingBackend>(
    plot: &mut XyChart<'_, DB>,
    data_x_max: f64,
    x_max: f64,
    (lo, hi): (f64, f64),
) -> Result<(), PlotError> {
    let shade = UNSEEN.mix(0.1).filled();
    plot.draw_series(std::iter::once(Rectangle::new([(data_x_max.max(0.0), lo), (x_max, hi)], shade)))
        .map_err(failed)?;
    Ok(())
}

/// A legend label with no-break spaces. In the browser plotters sizes text with a `<span>`
/// appended to `<body>`; that span wraps at spaces whenever the body's flow leaves it little
/// room, and the measured width then comes out too narrow for the text.
fn unbreakable(label: &str) -> String {
    label.replace(' ', "\u{a0}")
}

/// How a legend entry shows its series.
#[derive(Clone, Copy, Debug)]
pub enum Swatch {
    Line(RGBColor, u32),
    Dashed(RGBColor, u32),
    Dot(RGBAColor, u32),
    Ring(RGBColor, u32),
    Shade(RGBAColor),
    /// Light dashes on a dark line one pixel wider (the heatmap's relu kinks).
    Cased {
        under: RGBColor,
        over: RGBColor,
        width: u32,
    },
}

/// The entries of a chart's legend, gathered before drawing: the legend gets a strip of its
/// own above the plot, so it never covers data.
#[derive(Default)]
pub struct Legend(Vec<(String, Swatch)>);

impl Legend {
    pub fn add(&mut self, label: &str, swatch: Swatch) {
        self.0.push((unbreakable(label), swatch));
    }
}

/// Draws the legend in a strip along the top of `root`, entries left to right, wrapping
/// onto more rows when the canvas is narrow, and returns the area below it for the chart.
/// No entries, no strip.
fn legend_strip<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    legend: &Legend,
    size: u32,
) -> Result<DrawingArea<DB, Shift>, PlotError> {
    if legend.0.is_empty() {
        return Ok(root.clone());
    }
    // A little smaller than the axes' text: the legend reads at a glance, and wraps less.
    let size = (size * 7 / 8).max(12);
    let font = TextStyle::from(("sans-serif", size).into_font()).color(&TARGET).pos(Pos::new(HPos::Left, VPos::Center));
    let (width, row_height) = (root.dim_in_pixel().0 as i32, (size * 3 / 2) as i32);
    let (sample, gap, pad) = (2 * size as i32, size as i32, (size / 2) as i32);
    // Where each entry goes: (x, row).
    let mut places = Vec::with_capacity(legend.0.len());
    let (mut x, mut row) = (pad, 0);
    for (label, _) in &legend.0 {
        let text = root.estimate_text_size(label, &font).map_err(failed)?.0 as i32;
        let entry = sample + pad + text;
        if x > pad && x + entry > width - pad {
            (x, row) = (pad, row + 1);
        }
        places.push((x, row));
        x += entry + gap;
    }
    let (strip, rest) = root.split_vertically((row + 1) * row_height + pad);
    for ((label, swatch), (x, row)) in legend.0.iter().zip(places) {
        let y = pad + row * row_height + row_height / 2;
        draw_swatch(&strip, *swatch, (x, y), sample)?;
        strip.draw(&Text::new(label.as_str(), (x + sample + pad, y), font.clone())).map_err(failed)?;
    }
    Ok(rest)
}

fn draw_swatch<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    swatch: Swatch,
    (x, y): (i32, i32),
    width: i32,
) -> Result<(), PlotError> {
    let ends = vec![(x, y), (x + width, y)];
    match swatch {
        Swatch::Line(color, thick) => area.draw(&PathElement::new(ends, line_style(color, thick))),
        Swatch::Dashed(color, thick) => area.draw(&dashed(ends, thick, line_style(color, thick))),
        Swatch::Dot(color, radius) => area.draw(&Circle::new((x + width / 2, y), radius as i32, color.filled())),
        Swatch::Ring(color, radius) => {
            let ring = ShapeStyle { color: color.to_rgba(), filled: false, stroke_width: 2 };
            area.draw(&Circle::new((x + width / 2, y), radius as i32, ring))
        }
        Swatch::Shade(color) => {
            area.draw(&Rectangle::new([(x, y - width / 4), (x + width, y + width / 4)], color.filled()))
        }
        Swatch::Cased { under, over, width: thick } => area
            .draw(&PathElement::new(ends.clone(), line_style(under, thick + 1)))
            .and_then(|_| area.draw(&dashed(ends, thick, line_style(over, thick)))),
    }
    .map_err(failed)
}
