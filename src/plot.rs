//! Every plotters call: the fit chart and the RMSE chart, generic over `DrawingBackend`, so
//! the page draws them on a canvas (plotters-canvas) and native tests render them to SVG.
//! Nothing here may panic on any input: NaN, infinities, empty series and huge values are
//! skipped or clipped to the view.

use plotters::coord::Shift;
use plotters::prelude::*;
use std::fmt;

/// Everything the main chart needs, in the user's units.
pub struct FitChart<'a> {
    /// Legend label of the true function, e.g. "target y = x²".
    pub target_label: &'a str,
    /// The x axis spans [0, x_max].
    pub x_max: f64,
    /// The target at x_max: the chart's natural height.
    pub y_max: f64,
    pub target: &'a [(f64, f64)],
    pub points: &'a [(f64, f64)],
    pub prediction: &'a [(f64, f64)],
    /// Best straight line (slope, intercept): the floor.
    pub floor_line: Option<(f64, f64)>,
    /// The network's own collapsed line, when every activation is linear.
    pub collapse_line: Option<(f64, f64)>,
}

pub struct LossChart<'a> {
    /// RMSE per epoch in user units; non-finite entries are skipped.
    pub rmse_history: &'a [f32],
    /// Drawn as a horizontal reference line.
    pub floor_rmse: Option<f64>,
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

fn failed<E: fmt::Display>(e: E) -> PlotError {
    PlotError(e.to_string())
}

// Colours chosen to stay distinct on a washed-out projector and for red-green colour blindness.
const TARGET: RGBColor = RGBColor(40, 40, 40);
const POINTS: RGBColor = RGBColor(90, 120, 160);
const NETWORK: RGBColor = RGBColor(230, 85, 13);
const FLOOR: RGBColor = RGBColor(31, 119, 180);
const COLLAPSE: RGBColor = RGBColor(148, 52, 190);
const GRID: RGBColor = RGBColor(225, 225, 225);

/// Text size that scales with the canvas, so a 2× (HiDPI) canvas gets 2× text.
fn font_size(height: u32) -> u32 {
    (height / 30).clamp(11, 40)
}

/// 1 234 567 → "1.23M": axis labels that fit and read at a glance.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    let (scaled, suffix) = match a {
        a if a >= 1e12 => (v / 1e12, "T"),
        a if a >= 1e9 => (v / 1e9, "G"),
        a if a >= 1e6 => (v / 1e6, "M"),
        a if a >= 1e3 => (v / 1e3, "k"),
        _ => (v, ""),
    };
    let text = if scaled.fract().abs() < 1e-9 || scaled.abs() >= 100.0 {
        format!("{scaled:.0}")
    } else if scaled.abs() >= 10.0 {
        format!("{scaled:.1}")
    } else {
        format!("{scaled:.2}")
    };
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    format!("{text}{suffix}")
}

/// The part of y = a·x + b with x in [x0, x1] and y in [lo, hi], if any.
fn clip_line(a: f64, b: f64, x0: f64, x1: f64, lo: f64, hi: f64) -> Option<[(f64, f64); 2]> {
    if !(a.is_finite() && b.is_finite()) {
        return None;
    }
    let (mut from, mut to) = (x0, x1);
    if a != 0.0 {
        let (xa, xb) = ((lo - b) / a, (hi - b) / a);
        from = from.max(xa.min(xb));
        to = to.min(xa.max(xb));
    } else if b < lo || b > hi {
        return None;
    }
    (from < to).then(|| [(from, a * from + b), (to, a * to + b)])
}

/// Runs of consecutive finite points, with y clipped into the view.
fn finite_runs(series: &[(f64, f64)], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for &(x, y) in series {
        if x.is_finite() && y.is_finite() {
            runs.last_mut().expect("never empty").push((x, y.clamp(lo, hi)));
        } else if !runs.last().expect("never empty").is_empty() {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| r.len() > 1);
    runs
}

/// The y range shown: the target's range, widened for a prediction that over- or
/// undershoots, but never more than half a chart beyond it, so a diverging network cannot
/// flatten everything else into a line.
fn fit_y_range(chart: &FitChart) -> (f64, f64) {
    let y_max = if chart.y_max.is_finite() && chart.y_max > 0.0 { chart.y_max } else { 1.0 };
    let ys = chart.prediction.iter().map(|p| p.1).filter(|y| y.is_finite());
    let (lo, hi) = ys.fold((0.0f64, y_max), |(lo, hi), y| (lo.min(y), hi.max(y)));
    (lo.max(-0.5 * y_max) - 0.02 * y_max, hi.min(1.5 * y_max) + 0.02 * y_max)
}

fn line_style(color: RGBColor, width: u32) -> ShapeStyle {
    ShapeStyle { color: color.to_rgba(), filled: true, stroke_width: width }
}

/// The main chart: target, training data, the network's curve and the straight lines.
pub fn draw_fit_chart<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &FitChart) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let (_, height) = root.dim_in_pixel();
    let size = font_size(height);
    let thick = (size / 6).max(2);
    let x_max = if chart.x_max.is_finite() && chart.x_max > 0.0 { chart.x_max } else { 1.0 };
    let (lo, hi) = fit_y_range(chart);
    let mut plot = ChartBuilder::on(root)
        .margin(size / 2)
        .x_label_area_size(size * 5 / 2)
        .y_label_area_size(size * 3)
        .build_cartesian_2d(0.0..x_max, lo..hi)
        .map_err(failed)?;
    plot.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(8)
        .y_labels(8)
        .label_style(("sans-serif", size))
        .x_label_formatter(&|v| compact(*v))
        .y_label_formatter(&|v| compact(*v))
        .x_desc("x")
        .draw()
        .map_err(failed)?;

    let dot = (size / 5).max(2);
    plot.draw_series(
        chart
            .points
            .iter()
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .map(|&p| Circle::new(p, dot, POINTS.mix(0.35).filled())),
    )
    .map_err(failed)?
    .label("training data")
    .legend(move |(x, y)| Circle::new((x + 10, y), dot + 1, POINTS.filled()));

    let mut series = |runs: Vec<Vec<(f64, f64)>>, style: ShapeStyle, label: &str| -> Result<(), PlotError> {
        let legend_style = style;
        let mut first = true;
        for run in runs {
            let drawn = plot.draw_series(LineSeries::new(run, style)).map_err(failed)?;
            if std::mem::take(&mut first) {
                drawn.label(label).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], legend_style));
            }
        }
        Ok(())
    };
    series(finite_runs(chart.target, lo, hi), line_style(TARGET, thick), chart.target_label)?;
    let straight = |line: Option<(f64, f64)>| {
        line.and_then(|(a, b)| clip_line(a, b, 0.0, x_max, lo, hi)).map(|ends| vec![ends.to_vec()]).unwrap_or_default()
    };
    series(straight(chart.floor_line), line_style(FLOOR, thick), "best straight line (the floor)")?;
    series(straight(chart.collapse_line), line_style(COLLAPSE, thick + 2), "network collapsed to one line")?;
    series(finite_runs(chart.prediction, lo, hi), line_style(NETWORK, thick + 1), "network")?;

    plot.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(GRID)
        .label_font(("sans-serif", size))
        .draw()
        .map_err(failed)?;
    root.present().map_err(failed)
}

/// RMSE per epoch on a log axis, with the floor as a horizontal line: a linear network
/// flattens onto it, a relu network goes through it.
pub fn draw_loss_chart<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, chart: &LossChart) -> Result<(), PlotError> {
    root.fill(&WHITE).map_err(failed)?;
    let (_, height) = root.dim_in_pixel();
    let size = font_size(height);
    let thick = (size / 6).max(2);
    let points: Vec<(f64, f64)> = chart
        .rmse_history
        .iter()
        .enumerate()
        .map(|(i, &r)| ((i + 1) as f64, r as f64))
        .filter(|p| p.1.is_finite() && p.1 > 0.0)
        .collect();
    let floor = chart.floor_rmse.filter(|f| f.is_finite() && *f > 0.0);
    let values = points.iter().map(|p| p.1).chain(floor);
    let (mut lo, mut hi) = values.fold((f64::INFINITY, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !(lo.is_finite() && hi > 0.0) {
        (lo, hi) = (1.0, 10.0);
    }
    let (lo, hi) = (lo / 1.5, (hi * 1.5).max(lo * 10.0));
    let epochs = (chart.rmse_history.len() as f64).max(2.0);
    let mut plot = ChartBuilder::on(root)
        .margin(size / 2)
        .x_label_area_size(size * 5 / 2)
        .y_label_area_size(size * 3)
        .build_cartesian_2d(1.0..epochs, (lo..hi).log_scale())
        .map_err(failed)?;
    plot.configure_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_labels(8)
        .y_labels(8)
        .label_style(("sans-serif", size))
        .x_label_formatter(&|v| compact(*v))
        .y_label_formatter(&|v| compact(*v))
        .x_desc("epoch")
        .y_desc("RMSE")
        .draw()
        .map_err(failed)?;
    if let Some(f) = floor {
        let style = line_style(FLOOR, thick);
        plot.draw_series(LineSeries::new(vec![(1.0, f), (epochs, f)], style))
            .map_err(failed)?
            .label(format!("best straight line: {}", compact(f)))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    if !points.is_empty() {
        let style = line_style(NETWORK, thick + 1);
        plot.draw_series(LineSeries::new(points, style))
            .map_err(failed)?
            .label("network RMSE per epoch")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
    }
    plot.configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(GRID)
        .label_font(("sans-serif", size))
        .draw()
        .map_err(failed)?;
    root.present().map_err(failed)
}
