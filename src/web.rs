//! The only wasm-bindgen file: opaque handles and small results for the page's JavaScript
//! (see docs/wasm-api.md). Errors become JS `Error`s here, once, at the edge.

use crate::analysis::{self, LineFit};
use crate::curves;
use crate::pieces;
use crate::plot::{self, FitChart, LossChart, ResidualChart, Series, UnitsChart};
use crate::{parse_query, preset, Experiment, Status, Trainer, PRESETS};
use js_sys::{Float32Array, Float64Array};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen(start)]
fn start() {
    // A panic aborts into a bare "unreachable executed" trap; the hook first logs its
    // message to the console and hands it to the host, so the page can say what happened.
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        report_panic(&info.to_string());
    }));
}

/// Calls `globalThis.onWasmPanic(message)` when the host defines it (the training worker
/// does, and forwards the message to the page before it is replaced).
fn report_panic(message: &str) {
    let global = js_sys::global();
    if let Ok(callback) = js_sys::Reflect::get(&global, &JsValue::from_str("onWasmPanic")) {
        if let Some(callback) = callback.dyn_ref::<js_sys::Function>() {
            let _ = callback.call1(&global, &JsValue::from_str(message));
        }
    }
}

/// Panics on purpose. Nothing on the page calls it: the end-to-end test does, through the
/// worker's `panic` message, to prove that a panic is reported and the worker replaced.
#[wasm_bindgen]
pub fn panic_on_purpose() {
    panic!("a deliberate panic, to test crash recovery");
}

/// A lenient parse: the canonical query and what was changed on the way.
#[wasm_bindgen]
pub struct LinkResult {
    query: String,
    notes: Vec<String>,
}

#[wasm_bindgen]
impl LinkResult {
    #[wasm_bindgen(getter)]
    pub fn query(&self) -> String {
        self.query.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
}

#[wasm_bindgen]
pub fn parse_link(query: &str) -> LinkResult {
    let parsed = parse_query(query);
    LinkResult { query: parsed.experiment.to_query(), notes: parsed.notes.iter().map(|n| n.to_string()).collect() }
}

#[wasm_bindgen]
pub fn preset_names() -> Vec<String> {
    PRESETS.iter().map(|p| p.name.to_string()).collect()
}

#[wasm_bindgen]
pub fn preset_caption(name: &str) -> String {
    preset(name).map_or(String::new(), |p| p.caption.to_string())
}

#[wasm_bindgen]
pub fn preset_query(name: &str) -> String {
    preset(name).map_or(String::new(), |p| p.experiment().to_query())
}

/// The twin run's own canonical query (same data, seed and batches; the twin's layers),
/// or "" when the experiment has no twin.
#[wasm_bindgen]
pub fn twin_query(query: &str) -> String {
    parse_query(query).experiment.twin_experiment().map_or(String::new(), |t| t.to_query())
}

/// The query with twin mode on (the contrasting twin: relu ↔ linear) or off.
#[wasm_bindgen]
pub fn with_twin(query: &str, on: bool) -> String {
    let mut e = parse_query(query).experiment;
    e.twin = on.then(|| e.contrasting_layers());
    e.to_query()
}

/// "Copy as Keras code".
#[wasm_bindgen]
pub fn keras_script(query: &str) -> String {
    crate::keras_export::keras_script(&parse_query(query).experiment)
}

/// A fresh seed from the browser's crypto (getrandom's wasm_js backend).
#[wasm_bindgen]
pub fn random_seed() -> Result<u32, JsError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| JsError::new(&format!("no randomness available: {e}")))?;
    Ok(u32::from_le_bytes(bytes))
}

/// Bytes of this module's linear memory (it only grows): the benchmark's soak watches it.
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

/// The benchmark's "matmul peak": `reps` products of two n×n f32 matrices through the same
/// ndarray kernel training uses. Returns a checksum so the work cannot be optimised away.
#[wasm_bindgen]
pub fn matmul_benchmark(n: u32, reps: u32) -> f32 {
    let n = n.clamp(1, 2048) as usize;
    let a = ndarray::Array2::from_shape_fn((n, n), |(i, j)| ((i * 7 + j * 3) % 11) as f32 * 0.1);
    let b = ndarray::Array2::from_shape_fn((n, n), |(i, j)| ((i * 5 + j) % 13) as f32 * 0.1);
    let mut c = ndarray::Array2::<f32>::zeros((n, n));
    for _ in 0..reps {
        ndarray::linalg::general_mat_mul(1.0, &a, &b, 0.0, &mut c);
    }
    c.sum()
}

/// Interleaved `[x0, y0, x1, y1, …]` for JS typed arrays.
fn interleave(pairs: &[(f64, f64)]) -> Float64Array {
    let flat: Vec<f64> = pairs.iter().flat_map(|&(x, y)| [x, y]).collect();
    Float64Array::from(&flat[..])
}

fn pairs(flat: &[f64]) -> Vec<(f64, f64)> {
    flat.chunks_exact(2).map(|c| (c[0], c[1])).collect()
}

/// `[slope, intercept]` or nothing.
fn line(flat: &[f64]) -> Option<(f64, f64)> {
    (flat.len() == 2).then(|| (flat[0], flat[1]))
}

/// The wasm trainer: training state stays in wasm memory; JS steps it and reads results.
#[wasm_bindgen(js_name = Trainer)]
pub struct WebTrainer {
    trainer: Trainer,
    floor: LineFit,
}

#[wasm_bindgen(js_class = Trainer)]
impl WebTrainer {
    /// Strict: the query must be canonical and valid (run `parse_link` first).
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str) -> Result<WebTrainer, JsError> {
        let experiment = Experiment::from_query(query).map_err(|notes| {
            let messages: Vec<String> = notes.iter().map(|n| n.to_string()).collect();
            JsError::new(&messages.join("; "))
        })?;
        let trainer = Trainer::new(&experiment);
        let floor = analysis::best_line(trainer.data());
        Ok(WebTrainer { trainer, floor })
    }

    /// Trains up to `max_batches` mini-batches; "running", "finished" or "diverged".
    pub fn step(&mut self, max_batches: u32) -> String {
        match self.trainer.step_batches(max_batches as usize) {
            Status::Running => "running",
            Status::Finished => "finished",
            Status::Diverged { .. } => "diverged",
        }
        .into()
    }

    /// Trains to the end of the current epoch (the page's "step one epoch").
    pub fn step_epoch(&mut self) -> String {
        self.trainer.step_epoch();
        self.step(0)
    }

    pub fn epoch(&self) -> u32 {
        self.trainer.epoch() as u32
    }

    pub fn epochs(&self) -> u32 {
        self.trainer.experiment().epochs as u32
    }

    pub fn batches_per_epoch(&self) -> u32 {
        self.trainer.batches_per_epoch() as u32
    }

    pub fn diverged_epoch(&self) -> i32 {
        match self.trainer.status() {
            Status::Diverged { epoch } => epoch as i32,
            _ => -1,
        }
    }

    pub fn loss_history(&self) -> Float32Array {
        Float32Array::from(self.trainer.loss_history())
    }

    /// Epoch loss in user units: √MSE · y scale.
    pub fn rmse_history(&self) -> Float32Array {
        let scale = self.trainer.data().scaling.y_scale as f32;
        let rmse: Vec<f32> = self.trainer.loss_history().iter().map(|l| l.sqrt() * scale).collect();
        Float32Array::from(&rmse[..])
    }

    /// The question's RMSE over the training set (de-normalised, rounded predictions).
    pub fn rmse(&self) -> f64 {
        analysis::report(self.trainer.network(), self.trainer.data()).rmse
    }

    pub fn floor_rmse(&self) -> f64 {
        self.floor.rmse
    }

    pub fn floor_line(&self) -> Float64Array {
        let (a, b) = self.floor.line.along_diagonal();
        Float64Array::from(&[a, b][..])
    }

    pub fn collapse_line(&self) -> Float64Array {
        match analysis::collapse_in_user_units(self.trainer.network(), &self.trainer.data().scaling) {
            Some(unit) => {
                let (a, b) = unit.along_diagonal();
                Float64Array::from(&[a, b][..])
            }
            None => Float64Array::new_with_length(0),
        }
    }

    pub fn collapse_gap(&self) -> f64 {
        analysis::collapse_gap(self.trainer.network(), self.trainer.data()).unwrap_or(f64::NAN)
    }

    /// Which Dense layers merge, 1-based and inclusive, e.g. "1–3, 4, 5–6".
    pub fn merged_layers(&self) -> String {
        let activations: Vec<_> = self.trainer.network().layers.iter().map(|l| l.activation).collect();
        let groups = analysis::merge_groups(&activations);
        let name = |g: &std::ops::Range<usize>| {
            if g.len() == 1 {
                format!("{}", g.start + 1)
            } else {
                format!("{}–{}", g.start + 1, g.end)
            }
        };
        groups.iter().map(name).collect::<Vec<_>>().join(", ")
    }

    pub fn effective_depth(&self) -> u32 {
        analysis::effective_depth(self.trainer.network()) as u32
    }

    /// x of the relu kinks in [x_min, x_max] (empty for smooth or multi-input networks).
    pub fn breakpoints(&self, x_min: f64, x_max: f64) -> Float64Array {
        let found = pieces::breakpoints(self.trainer.network(), &self.trainer.data().scaling, x_min, x_max);
        let xs: Vec<f64> = found.map(|p| p.breakpoints.iter().map(|b| b.x).collect()).unwrap_or_default();
        Float64Array::from(&xs[..])
    }

    /// Linear pieces of the curve over the data, or -1 when it is not piecewise linear.
    pub fn pieces_in_data(&self) -> i32 {
        let largest = self.trainer.experiment().largest as f64;
        pieces::breakpoints(self.trainer.network(), &self.trainer.data().scaling, 1.0, largest)
            .map_or(-1, |p| p.pieces as i32)
    }

    /// Relu units that are off for every training example.
    pub fn dead_units(&self) -> u32 {
        pieces::dead_units(self.trainer.network(), &self.trainer.data().x).len() as u32
    }

    pub fn relu_units(&self) -> u32 {
        let layers = &self.trainer.network().layers;
        layers.iter().filter(|l| l.activation == crate::Activation::Relu).map(|l| l.units() as u32).sum()
    }

    /// RMSE against the target on a grid over [from, to]: beyond the data, extrapolation.
    pub fn rmse_between(&self, from: f64, to: f64, points: u32) -> f64 {
        let e = self.trainer.experiment();
        curves::rmse_between(
            self.trainer.network(),
            self.trainer.data(),
            e.task,
            from,
            to,
            points.clamp(2, 4096) as usize,
        )
    }

    /// Widths of the hidden layers whose units `unit_outputs` returns (0: too wide to show).
    pub fn unit_layers(&self) -> Vec<u32> {
        let hidden = &self.trainer.network().layers[..self.trainer.network().layers.len() - 1];
        hidden.iter().map(|l| if l.units() <= MAX_THUMBNAIL_UNITS { l.units() as u32 } else { 0 }).collect()
    }

    /// Each shown layer's outputs on the grid (points × units, row-major), concatenated.
    pub fn unit_outputs(&self, x_min: f64, x_max: f64, points: u32) -> Float32Array {
        let xs = curves::grid(x_min, x_max, points.clamp(2, 512) as usize);
        let layers = curves::hidden_unit_outputs(self.trainer.network(), self.trainer.data(), &xs, MAX_THUMBNAIL_UNITS);
        let flat: Vec<f32> = layers.iter().flat_map(|a| a.iter().copied()).collect();
        Float32Array::from(&flat[..])
    }

    pub fn curve(&self, x_min: f64, x_max: f64, points: u32) -> Float64Array {
        let xs = curves::grid(x_min, x_max, points.min(4096) as usize);
        interleave(&curves::prediction(self.trainer.network(), self.trainer.data(), &xs))
    }

    pub fn target_curve(&self, x_min: f64, x_max: f64, points: u32) -> Float64Array {
        let xs = curves::grid(x_min, x_max, points.min(4096) as usize);
        let e = self.trainer.experiment();
        interleave(&curves::target(e.task, e.inputs, &xs))
    }

    pub fn points(&self, max: u32) -> Float64Array {
        interleave(&curves::training_points(self.trainer.data(), max as usize))
    }

    pub fn report(&self) -> String {
        analysis::report(self.trainer.network(), self.trainer.data()).to_string()
    }

    /// How far the chart's x axis reaches, as a multiple of x_max().
    pub fn extent(&self) -> f64 {
        self.trainer.experiment().extent as f64
    }

    pub fn x_max(&self) -> f64 {
        self.trainer.experiment().largest as f64
    }

    pub fn y_max(&self) -> f64 {
        let e = self.trainer.experiment();
        e.task.target_max(e.inputs, e.largest)
    }
}

/// Hidden layers up to this width get unit thumbnails on the page.
const MAX_THUMBNAIL_UNITS: usize = 64;

fn canvas_area(
    canvas: HtmlCanvasElement,
) -> Result<plotters::drawing::DrawingArea<CanvasBackend, plotters::coord::Shift>, JsError> {
    CanvasBackend::with_canvas_object(canvas)
        .map(|b| b.into_drawing_area())
        .ok_or_else(|| JsError::new("no 2d context on this canvas"))
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

/// The main chart. Curves are interleaved `[x, y, …]`; lines `[slope, intercept]` or empty.
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
    collapse_line: &[f64],
    breakpoints: &[f64],
) -> Result<(), JsError> {
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
        collapse_line: line(collapse_line),
        breakpoints,
    };
    plot::draw_fit_chart(&canvas_area(canvas)?, &chart).map_err(|e| JsError::new(&e.to_string()))
}

/// RMSE per epoch of the network and (when `twin_label` is not empty) its twin.
#[wasm_bindgen]
pub fn draw_loss_chart(
    canvas: HtmlCanvasElement,
    network_label: &str,
    history: &[f32],
    twin_label: &str,
    twin_history: &[f32],
    floor_rmse: f64,
) -> Result<(), JsError> {
    let mut runs = vec![(network_label, history)];
    if !twin_label.is_empty() {
        runs.push((twin_label, twin_history));
    }
    let chart = LossChart { runs: &runs, floor_rmse: floor_rmse.is_finite().then_some(floor_rmse) };
    plot::draw_loss_chart(&canvas_area(canvas)?, &chart).map_err(|e| JsError::new(&e.to_string()))
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
) -> Result<(), JsError> {
    let (target, prediction, twin) = (pairs(target), pairs(prediction), pairs(twin_prediction));
    let chart = ResidualChart {
        x_max,
        data_x_max,
        target: &target,
        networks: &networks(network_label, &prediction, twin_label, &twin),
        floor_line: line(floor_line),
    };
    plot::draw_residual_chart(&canvas_area(canvas)?, &chart).map_err(|e| JsError::new(&e.to_string()))
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
) -> Result<(), JsError> {
    let points = values.len() / (units.max(1) as usize);
    let xs = curves::grid(x_min, x_max, points);
    let chart = UnitsChart { xs: &xs[..points.min(xs.len())], units: units as usize, values };
    plot::draw_units_chart(&canvas_area(canvas)?, &chart).map_err(|e| JsError::new(&e.to_string()))
}
