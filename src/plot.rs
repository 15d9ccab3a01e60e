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
mod units;

pub use colormap::{diverging, sequential};
pub use fit::{draw_fit_chart, FitChart};
pub use heatmap::{draw_residual_surface_chart, draw_surface_chart, ResidualSurfaceChart, SurfaceChart};
pub use loss::{draw_loss_chart, LossChart};
pub use residual::{draw_residual_chart, ResidualChart};
pub use units::{draw_units_chart, UnitsChart};

use plotters::chart::SeriesAnno;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::{CoordTranslate, Shift};
use plotters::element::DashedPathElement;
use plotters::prelude::*;
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

/// Text size that scales with the canvas, so a 2× (HiDPI) canvas gets 2× text.
fn font_size(height: u32) -> u32 {
    (height / 28).clamp(13, 40)
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

/// Runs of consecutive drawable points: a NaN or an x outside [0, x_max] breaks the line,
/// and y is clamped to the view so a runaway value runs along the chart's edge.
fn runs(series: &[(f64, f64)], x_max: f64, (lo, hi): (f64, f64)) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for &(x, y) in series {
        if (0.0..=x_max).contains(&x) && y.is_finite() {
            runs.last_mut().expect("never empty").push((x, y.clamp(lo, hi)));
        } else if !runs.last().expect("never empty").is_empty() {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| r.len() > 1);
    runs
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
    plot.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(8)
        .y_labels(y_labels)
        .label_style(("sans-serif", size))
        .x_label_formatter(&|v| compact(*v))
        .y_label_formatter(&|v| compact(*v))
        .x_desc("x")
        .y_desc(y_desc)
        .draw()
        .map_err(failed)?;
    Ok(plot)
}

/// Shades x beyond the training data: what a network draws there is extrapolation.
fn shade_unseen<'a, 'p, DB: DrawingBackend + 'a>(
    plot: &'p mut XyChart<'a, DB>,
    data_x_max: f64,
    x_max: f64,
    (lo, hi): (f64, f64),
) -> Result<&'p mut SeriesAnno<'a, DB>, PlotError> {
    let shade = UNSEEN.mix(0.1).filled();
    plot.draw_series(std::iter::once(Rectangle::new([(data_x_max.max(0.0), lo), (x_max, hi)], shade))).map_err(failed)
}

/// A legend label with no-break spaces. In the browser plotters sizes text with a `<span>`
/// appended to `<body>`; that span wraps at spaces whenever the body's flow leaves it little
/// room, and the legend box then comes out too narrow and too tall for the text.
fn unbreakable(label: &str) -> String {
    label.replace(' ', "\u{a0}")
}

/// The legend, when anything was labelled: plotters would draw an empty box.
fn legend<'a, DB: DrawingBackend + 'a, CT: CoordTranslate>(
    plot: &mut ChartContext<'a, DB, CT>,
    labelled: bool,
    position: SeriesLabelPosition,
    size: u32,
) -> Result<(), PlotError> {
    if !labelled {
        return Ok(());
    }
    let mut style = plot.configure_series_labels();
    style.position(position).background_style(WHITE.mix(0.85)).border_style(GRID).label_font(("sans-serif", size));
    style.draw().map_err(failed)
}
