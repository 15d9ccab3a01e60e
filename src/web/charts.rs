//! The page's charts: each `draw_*` turns JS typed arrays into a `plot` chart on a canvas.
//! They run on the main thread (plotters measures text with the DOM).

use super::canvas::Canvas;
use crate::curves;
use crate::plot::{
    self, FitChart, Frame, Look, LossChart, LossRun, ResidualChart, ResidualSurfaceChart, Series, SurfaceChart,
    UnitsChart,
};
use crate::surface::SurfaceGrid;
use js_sys::Float64Array;
use plotters::prelude::IntoDrawingArea;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

fn pairs(flat: &[f64]) -> Vec<(f64, f64)> {
    flat.chunks_exact(2).map(|c| (c[0], c[1])).collect()
}

/// `[slope, intercept]` or nothing.
fn line(flat: &[f64]) -> Option<(f64, f64)> {
    (flat.len() == 2).then(|| (flat[0], flat[1]))
}

/// A chart's frame as the page reads it: `[left, top, right, bottom, x0, x1, y0, y1, log_y]`.
fn frame_array(frame: Result<Frame, plot::PlotError>) -> Result<Float64Array, JsError> {
    frame.map(|f| Float64Array::from(&f.to_array()[..])).map_err(|e| JsError::new(&e.to_string()))
}

/// The whole canvas to draw a chart on (text sizes remembered: `canvas`).
pub(super) fn canvas_area(
    canvas: HtmlCanvasElement,
) -> Result<plotters::drawing::DrawingArea<Canvas, plotters::coord::Shift>, JsError> {
    Canvas::new(canvas).map(|b| b.into_drawing_area()).ok_or_else(|| JsError::new("no 2d context on this canvas"))
}

/// Up to two labelled curves: the network and, when `twin_label` is not empty, its twin.
fn networks<'a>(
    label: &'a str,
    curve: &'a [(f64, f64)],
    twin_label: &'a str,
    twin: &'a [(f64, f64)],
) -> Vec<Series<'a>> {
    let mut runs = vec![Series { label, points: curve }];
    if !twin_label.is_empty() {
        runs.push(Series { label: twin_label, points: twin });
    }
    runs
}

/// The main chart. Curves are interleaved `[x, y, …]`; lines `[slope, intercept]` or empty;
/// `scale` enlarges text and lines (presentation mode). Returns the chart's frame.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_fit_chart(
    canvas: HtmlCanvasElement,
    target_label: &str,
    x_max: f64,
    data_x_max: f64,
    y_max: f64,
    target: &[f64],
    points: &[f64],
    network_label: &str,
    prediction: &[f64],
    twin_label: &str,
    twin_prediction: &[f64],
    floor_line: &[f64],
    floor_name: &str,
    collapse_line: &[f64],
    breakpoints: &[f64],
    scale: f64,
) -> Result<Float64Array, JsError> {
    let (target, points, prediction, twin) = (pairs(target), pairs(points), pairs(prediction), pairs(twin_prediction));
    let chart = FitChart {
        target_label,
        x_max,
        data_x_max,
        y_max,
        target: &target,
        points: &points,
        networks: &networks(network_label, &prediction, twin_label, &twin),
        floor_line: line(floor_line),
        floor_name,
        collapse_line: line(collapse_line),
        breakpoints,
    };
    frame_array(plot::draw_fit_chart(&canvas_area(canvas)?, &chart, &Look { scale }))
}

/// The RMSE chart of the network and (when `twin_label` is not empty) its twin: each run's
/// epoch losses, its exact RMSEs (interleaved `[epoch, rmse, …]`) and its test losses.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_loss_chart(
    canvas: HtmlCanvasElement,
    network_label: &str,
    history: &[f32],
    exact: &[f64],
    test: &[f32],
    twin_label: &str,
    twin_history: &[f32],
    twin_exact: &[f64],
    twin_test: &[f32],
    floor_rmse: f64,
    floor_name: &str,
    scale: f64,
) -> Result<Float64Array, JsError> {
    let (exact, twin_exact) = (pairs(exact), pairs(twin_exact));
    let mut runs = vec![LossRun { label: network_label, epoch_loss: history, exact: &exact, test_loss: test }];
    if !twin_label.is_empty() {
        runs.push(LossRun { label: twin_label, epoch_loss: twin_history, exact: &twin_exact, test_loss: twin_test });
    }
    let chart = LossChart { runs: &runs, floor_rmse: floor_rmse.is_finite().then_some(floor_rmse), floor_name };
    frame_array(plot::draw_loss_chart(&canvas_area(canvas)?, &chart, &Look { scale }))
}

/// target − prediction along x; `target` and the predictions share one x grid.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_residual_chart(
    canvas: HtmlCanvasElement,
    x_max: f64,
    data_x_max: f64,
    target: &[f64],
    network_label: &str,
    prediction: &[f64],
    twin_label: &str,
    twin_prediction: &[f64],
    floor_line: &[f64],
    floor_name: &str,
    scale: f64,
) -> Result<Float64Array, JsError> {
    let (target, prediction, twin) = (pairs(target), pairs(prediction), pairs(twin_prediction));
    let chart = ResidualChart {
        x_max,
        data_x_max,
        target: &target,
        networks: &networks(network_label, &prediction, twin_label, &twin),
        floor_line: line(floor_line),
        floor_name,
    };
    frame_array(plot::draw_residual_chart(&canvas_area(canvas)?, &chart, &Look { scale }))
}

/// Thumbnails of one hidden layer's `units` over an evenly spaced x in [x_min, x_max];
/// `values` is points × units.
#[wasm_bindgen]
pub fn draw_units_chart(
    canvas: HtmlCanvasElement,
    x_min: f64,
    x_max: f64,
    units: u32,
    values: &[f32],
    scale: f64,
) -> Result<(), JsError> {
    let points = values.len() / (units.max(1) as usize);
    let xs = curves::grid(x_min, x_max, points);
    let chart = UnitsChart { xs: &xs[..points.min(xs.len())], units: units as usize, values };
    plot::draw_units_chart(&canvas_area(canvas)?, &chart, &Look { scale }).map_err(|e| JsError::new(&e.to_string()))
}

/// A two-input network's prediction over the square [lo, hi]² (n × n, row-major) with the
/// target's contours, the training inputs (`[x1, x2, …]`) and the first layer's kink lines
/// (`[x1, y1, x2, y2, …]`).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_surface_chart(
    canvas: HtmlCanvasElement,
    title: &str,
    lo: f64,
    hi: f64,
    n: u32,
    prediction: &[f64],
    target: &[f64],
    data_max: f64,
    points: &[f64],
    kinks: &[f64],
    scale: f64,
) -> Result<Float64Array, JsError> {
    let points = pairs(points);
    let kinks: Vec<_> = kinks.chunks_exact(4).map(|k| ((k[0], k[1]), (k[2], k[3]))).collect();
    let chart = SurfaceChart {
        title,
        grid: SurfaceGrid::new(lo, hi, n as usize),
        prediction,
        target,
        data_max,
        points: &points,
        kinks: &kinks,
    };
    frame_array(plot::draw_surface_chart(&canvas_area(canvas)?, &chart, &Look { scale }))
}

/// target − prediction over the square, on a diverging scale around 0.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_residual_surface_chart(
    canvas: HtmlCanvasElement,
    title: &str,
    lo: f64,
    hi: f64,
    n: u32,
    residual: &[f64],
    data_max: f64,
    scale: f64,
) -> Result<Float64Array, JsError> {
    let chart = ResidualSurfaceChart { title, grid: SurfaceGrid::new(lo, hi, n as usize), residual, data_max };
    frame_array(plot::draw_residual_surface_chart(&canvas_area(canvas)?, &chart, &Look { scale }))
}
