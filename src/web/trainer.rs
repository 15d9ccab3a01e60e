//! The wasm trainer handle: the training state and the snapshot buffers stay in wasm
//! memory; the worker steps it and reads typed snapshots (plain JS objects of numbers,
//! strings and typed arrays, the same keys every time — see docs/wasm-api.md).

use super::js::JsObject;
use crate::analysis::{self, LineFit};
use crate::pieces::Traced;
use crate::snapshot::{self, Snapshotter, View};
use crate::{curves, Activation, Experiment, Status, Trainer};
use js_sys::{Float32Array, Float64Array, Uint32Array};
use wasm_bindgen::prelude::*;

/// The wasm trainer: training state stays in wasm memory; JS steps it and reads results.
#[wasm_bindgen(js_name = Trainer)]
pub struct WebTrainer {
    trainer: Trainer,
    snapshots: Snapshotter,
    floor: LineFit,
}

/// `[slope, intercept]` along the chart's x (the diagonal for several inputs), or empty.
fn line_array(line: Option<&analysis::Affine>) -> Float64Array {
    match line {
        Some(unit) => {
            let (a, b) = unit.along_diagonal();
            Float64Array::from(&[a, b][..])
        }
        None => Float64Array::new_with_length(0),
    }
}

fn status_name(status: Status) -> &'static str {
    match status {
        Status::Running => "running",
        Status::Finished => "finished",
        Status::Diverged { .. } => "diverged",
    }
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
        let trainer = Trainer::new(&experiment).map_err(|e| JsError::new(&e.to_string()))?;
        let snapshots = Snapshotter::new(&trainer, View::of(&trainer));
        let floor = analysis::best_line(trainer.data());
        Ok(WebTrainer { trainer, snapshots, floor })
    }

    /// What does not change during a run: axes, the target and the data, the floor, and
    /// what the activations fix (effective depth, which layers merge, relu units).
    pub fn info(&self) -> JsValue {
        let (e, network) = (self.trainer.experiment(), self.trainer.network());
        let view = self.snapshots.view();
        let xs = curves::grid(0.0, view.x_max, view.curve_points);
        let target: Vec<f64> = curves::target(e.task, e.inputs, &xs).into_iter().flat_map(|(x, y)| [x, y]).collect();
        let points: Vec<f64> =
            curves::training_points(self.trainer.data(), 300).into_iter().flat_map(|(x, y)| [x, y]).collect();
        let activations: Vec<Activation> = network.layers.iter().map(|l| l.activation).collect();
        let thumbnails: Vec<u32> = snapshot::thumbnail_widths(network).into_iter().map(|w| w as u32).collect();
        let relu_units: usize =
            network.layers.iter().filter(|l| l.activation == Activation::Relu).map(|l| l.units()).sum();
        JsObject::new()
            .number("xMax", e.largest as f64)
            .number("xAxis", view.x_max)
            .number("yMax", e.task.target_max(e.inputs, e.largest))
            .number("epochs", e.epochs as f64)
            .number("batchesPerEpoch", self.trainer.batches_per_epoch() as f64)
            .number("parameters", e.parameter_count() as f64)
            .number("denseLayers", network.layers.len() as f64)
            .number("floorRmse", self.floor.rmse)
            .value("floorLine", line_array(Some(&self.floor.line)))
            .value("target", Float64Array::from(&target[..]))
            .value("points", Float64Array::from(&points[..]))
            .value("thumbnailWidths", Uint32Array::from(&thumbnails[..]))
            .number("reluUnits", relu_units as f64)
            .number("effectiveDepth", analysis::effective_depth(network) as f64)
            .string("mergedLayers", &merged_layers(&activations))
            .into()
    }

    /// Trains up to `max_batches` mini-batches; "running", "finished" or "diverged".
    pub fn step(&mut self, max_batches: u32) -> String {
        status_name(self.trainer.step_batches(max_batches as usize)).into()
    }

    /// Like `step`, but stops at the end of the current epoch (the page's "Step epoch").
    pub fn step_in_epoch(&mut self, max_batches: u32) -> String {
        let left = self.trainer.batches_per_epoch() - self.trainer.batch_in_epoch();
        status_name(self.trainer.step_batches(left.min(max_batches as usize))).into()
    }

    pub fn epoch(&self) -> u32 {
        self.trainer.epoch() as u32
    }

    /// The figures cheap enough for every frame:
    /// `{ epoch, batch, steps, status, divergedEpoch, curve, collapseLine, rmseHistory }`.
    pub fn live(&mut self) -> JsValue {
        let scale = self.trainer.data().scaling.y_scale as f32;
        let rmse: Vec<f32> = self.trainer.loss_history().iter().map(|l| l.sqrt() * scale).collect();
        let diverged = match self.trainer.status() {
            Status::Diverged { epoch } => epoch as f64,
            _ => -1.0,
        };
        let live = self.snapshots.live(&self.trainer);
        JsObject::new()
            .number("epoch", live.epoch as f64)
            .number("batch", live.batch as f64)
            .number("steps", live.steps as f64)
            .string("status", status_name(live.status))
            .number("divergedEpoch", diverged)
            .value("curve", Float64Array::from(live.curve.as_flattened()))
            .value("collapseLine", line_array(live.collapse.as_ref()))
            .value("rmseHistory", Float32Array::from(&rmse[..]))
            .into()
    }

    /// Starts an exact pass over the current weights (see `advance_exact`).
    pub fn begin_exact(&mut self) {
        self.snapshots.begin_exact(&self.trainer);
    }

    /// Does up to about `max_work` multiply-adds of the exact pass; true when it is done.
    pub fn advance_exact(&mut self, max_work: f64) -> bool {
        self.snapshots.advance_exact(&self.trainer, max_work.max(1.0) as u64)
    }

    pub fn exact_pending(&self) -> bool {
        self.snapshots.exact_pending()
    }

    /// The latest exact figures: `{ count, epoch, steps, rmse, report, collapseGap, deadUnits,
    /// kinks, breakpoints, pieces, rmseInside, rmseOutside, units }` (count 0: none yet;
    /// NaN where a figure does not apply).
    pub fn exact(&self) -> JsValue {
        let exact = self.snapshots.exact();
        let kinks = match exact.kinks.traced {
            Traced::Exactly => "traced",
            Traced::NotPiecewiseLinear => "not-piecewise-linear",
            Traced::TooLarge => "too-large",
        };
        let breakpoints: Vec<f64> = exact.kinks.breakpoints.iter().map(|b| b.x).collect();
        JsObject::new()
            .number("count", exact.count as f64)
            .number("epoch", exact.epoch as f64)
            .number("steps", exact.steps as f64)
            .number("rmse", exact.report.rmse)
            .string("report", &exact.report.to_string())
            .number("collapseGap", exact.collapse_gap.unwrap_or(f64::NAN))
            .number("deadUnits", exact.dead_units as f64)
            .string("kinks", kinks)
            .value("breakpoints", Float64Array::from(&breakpoints[..]))
            .number("pieces", exact.kinks.pieces as f64)
            .number("rmseInside", exact.rmse_inside)
            .number("rmseOutside", exact.rmse_outside.unwrap_or(f64::NAN))
            .value("units", Float32Array::from(&exact.units[..]))
            .into()
    }
}

/// Which Dense layers merge, 1-based and inclusive, e.g. "1–3, 4, 5–6".
fn merged_layers(activations: &[Activation]) -> String {
    let name = |g: &std::ops::Range<usize>| {
        if g.len() == 1 {
            format!("{}", g.start + 1)
        } else {
            format!("{}–{}", g.start + 1, g.end)
        }
    };
    analysis::merge_groups(activations).iter().map(name).collect::<Vec<_>>().join(", ")
}
