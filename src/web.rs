//! The only wasm-bindgen file: opaque handles and small results for the page's JavaScript
//! (see docs/wasm-api.md). Errors become JS `Error`s here, once, at the edge.

use crate::analysis::{self, LineFit};
use crate::curves;
use crate::plot::{self, FitChart, LossChart};
use crate::{parse_query, preset, Experiment, Status, Trainer, PRESETS};
use js_sys::{Float32Array, Float64Array};
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen(start)]
fn start() {
    // Panics reach the console (and the page's error handler) with a message, not just
    // "unreachable executed".
    console_error_panic_hook::set_once();
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

/// A fresh seed from the browser's crypto (getrandom's wasm_js backend).
#[wasm_bindgen]
pub fn random_seed() -> Result<u32, JsError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| JsError::new(&format!("no randomness available: {e}")))?;
    Ok(u32::from_le_bytes(bytes))
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

    pub fn effective_depth(&self) -> u32 {
        analysis::effective_depth(self.trainer.network()) as u32
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

    pub fn x_max(&self) -> f64 {
        self.trainer.experiment().largest as f64
    }

    pub fn y_max(&self) -> f64 {
        let e = self.trainer.experiment();
        e.task.target_max(e.inputs, e.largest)
    }
}

fn canvas_area(
    canvas: HtmlCanvasElement,
) -> Result<plotters::drawing::DrawingArea<CanvasBackend, plotters::coord::Shift>, JsError> {
    CanvasBackend::with_canvas_object(canvas)
        .map(|b| b.into_drawing_area())
        .ok_or_else(|| JsError::new("no 2d context on this canvas"))
}

#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_fit_chart(
    canvas: HtmlCanvasElement,
    target_label: &str,
    x_max: f64,
    y_max: f64,
    target: &[f64],
    points: &[f64],
    prediction: &[f64],
    floor_line: &[f64],
    collapse_line: &[f64],
) -> Result<(), JsError> {
    let (target, points, prediction) = (pairs(target), pairs(points), pairs(prediction));
    let chart = FitChart {
        target_label,
        x_max,
        y_max,
        target: &target,
        points: &points,
        prediction: &prediction,
        floor_line: line(floor_line),
        collapse_line: line(collapse_line),
    };
    plot::draw_fit_chart(&canvas_area(canvas)?, &chart).map_err(|e| JsError::new(&e.to_string()))
}

#[wasm_bindgen]
pub fn draw_loss_chart(canvas: HtmlCanvasElement, rmse_history: &[f32], floor_rmse: f64) -> Result<(), JsError> {
    let chart = LossChart { rmse_history, floor_rmse: floor_rmse.is_finite().then_some(floor_rmse) };
    plot::draw_loss_chart(&canvas_area(canvas)?, &chart).map_err(|e| JsError::new(&e.to_string()))
}
