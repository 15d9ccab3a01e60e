//! The wasm trainer handle: the training state and the snapshot buffers stay in wasm
//! memory; the worker steps it and reads typed snapshots (plain JS objects of numbers,
//! strings and typed arrays, the same keys every time — see docs/wasm-api.md).

use super::js::JsObject;
use crate::analysis::{self, Affine, LineFit};
use crate::curves;
use crate::equation;
use crate::pieces::Traced;
use crate::slice::Slice;
use crate::snapshot::{self, Snapshotter, View};
use crate::surface::{self, SurfaceEvaluator, SurfaceGrid};
use crate::{Activation, Experiment, Status, Trainer};
use js_sys::{Float32Array, Float64Array, Uint32Array};
use wasm_bindgen::prelude::*;

/// Training examples drawn on the charts (subsampled evenly).
const SHOWN_POINTS: usize = 300;

/// A two-input network's prediction over the (x₁, x₂) square, with its buffers.
struct Surface {
    evaluator: SurfaceEvaluator,
    target: Vec<f64>,
    prediction: Vec<f64>,
    residual: Vec<f64>,
}

/// The wasm trainer: training state stays in wasm memory; JS steps it and reads results.
#[wasm_bindgen(js_name = Trainer)]
pub struct WebTrainer {
    trainer: Trainer,
    snapshots: Snapshotter,
    floor: LineFit,
    /// The loss histories as RMSE, rebuilt every frame in place: a vector that grew a
    /// little every epoch would, over a long run, ask the allocator for ever larger blocks
    /// and grow the wasm memory.
    rmse_history: Vec<f32>,
    test_history: Vec<f32>,
    surface: Option<Surface>,
}

/// `[slope, intercept]` along the chart's x (the view's slice for several inputs), or empty.
fn line_array(line: Option<&Affine>, slice: Slice) -> Float64Array {
    match line {
        Some(unit) => {
            let (a, b) = slice.line(unit);
            Float64Array::from(&[a, b][..])
        }
        None => Float64Array::new_with_length(0),
    }
}

/// `[x0, y0, x1, y1, …]` of (x, y) pairs.
fn flat(pairs: impl IntoIterator<Item = (f64, f64)>) -> Float64Array {
    let values: Vec<f64> = pairs.into_iter().flat_map(|(x, y)| [x, y]).collect();
    Float64Array::from(&values[..])
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
        let surface = (experiment.inputs == 2).then(|| {
            let (network, e) = (trainer.network(), trainer.experiment());
            let side = e.largest as f64 * e.extent as f64;
            let grid = SurfaceGrid::new(0.0, side, surface::grid_size_for(e.parameter_count()));
            let mut target = vec![0.0; grid.cells()];
            surface::target_into(e.target(), grid, &mut target);
            let evaluator = SurfaceEvaluator::new(network, &trainer.data().scaling, grid);
            Surface { evaluator, target, prediction: vec![0.0; grid.cells()], residual: vec![0.0; grid.cells()] }
        });
        let epochs = experiment.epochs;
        let test_epochs = if experiment.test_examples() > 0 { epochs } else { 0 };
        Ok(WebTrainer {
            trainer,
            snapshots,
            floor,
            surface,
            rmse_history: Vec::with_capacity(epochs),
            test_history: Vec::with_capacity(test_epochs),
        })
    }

    /// Looks along another line through input space: x₂ held at `x2`, or (NaN) the diagonal
    /// x₁ = x₂. Only for several inputs; the charts' curves follow from the next snapshot.
    pub fn set_slice(&mut self, x2: f64) {
        let slice = if x2.is_finite() { Slice::Fixed { x2 } } else { Slice::Diagonal };
        let view = View { slice, ..self.snapshots.view() };
        self.snapshots.set_view(&self.trainer, view);
    }

    /// What does not change during a run: axes, the target and the data, the floor, and
    /// what the activations fix (effective depth, which layers merge, relu units).
    pub fn info(&self) -> JsValue {
        let (e, network, data) = (self.trainer.experiment(), self.trainer.network(), self.trainer.data());
        let view = self.snapshots.view();
        let xs = curves::grid(0.0, view.x_max, view.curve_points);
        let target = view.slice.target(e.target(), &xs);
        let points = view.slice.training_points(data, 0.05 * e.largest as f64, SHOWN_POINTS);
        let activations: Vec<Activation> = network.layers.iter().map(|l| l.activation).collect();
        let thumbnails: Vec<u32> = snapshot::thumbnail_widths(network).into_iter().map(|w| w as u32).collect();
        let relu_units: usize =
            network.layers.iter().filter(|l| l.activation == Activation::Relu).map(|l| l.units()).sum();
        let info = JsObject::new()
            .number("inputs", e.inputs as f64)
            .string("targetLabel", &e.target().label())
            .number("xMax", e.largest as f64)
            .number("testExamples", e.test_examples() as f64)
            .number("xAxis", view.x_max)
            .number("yMax", e.target().max_abs(e.largest))
            .number("epochs", e.epochs as f64)
            .number("batchesPerEpoch", self.trainer.batches_per_epoch() as f64)
            .number("parameters", e.parameter_count() as f64)
            // Multiply-adds of one exact pass's forward passes, and of one training step
            // (forward, and two products backward): the worker plans with them.
            .number("exactWork", (self.snapshots.exact_rows(&self.trainer) * e.parameter_count()) as f64)
            .number("stepWork", (3 * e.batch_size * e.parameter_count()) as f64)
            .number("denseLayers", network.layers.len() as f64)
            .number("floorRmse", self.floor.rmse)
            .string("floorName", equation::floor_name(e.inputs))
            .string("floorEquation", &equation::equation(&self.floor.line))
            .value("floorLine", line_array(Some(&self.floor.line), view.slice))
            .number("sliceX2", if let Slice::Fixed { x2 } = view.slice { x2 } else { f64::NAN })
            .value("target", flat(target))
            .value("points", flat(points))
            .value("thumbnailWidths", Uint32Array::from(&thumbnails[..]))
            .number("reluUnits", relu_units as f64)
            .number("effectiveDepth", analysis::effective_depth(network) as f64)
            .string("mergedLayers", &merged_layers(&activations));
        match &self.surface {
            Some(surface) => {
                let grid = surface.evaluator.grid();
                let shown = surface::training_inputs(data, SHOWN_POINTS);
                info.value(
                    "surface",
                    JsObject::new()
                        .number("lo", grid.lo)
                        .number("hi", grid.hi)
                        .number("n", grid.n as f64)
                        .value("target", Float64Array::from(&surface.target[..]))
                        .value("points", flat(shown)),
                )
                .into()
            }
            None => info.value("surface", JsValue::NULL).into(),
        }
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

    /// Mini-batches trained since the start.
    pub fn steps(&self) -> f64 {
        self.trainer.steps() as f64
    }

    /// The figures cheap enough for every frame:
    /// `{ epoch, batch, steps, status, divergedEpoch, curve, collapseLine, rmseHistory }`.
    pub fn live(&mut self) -> JsValue {
        let scale = self.trainer.data().scaling.y_scale as f32;
        let as_rmse = |losses: &[f32], out: &mut Vec<f32>| {
            out.clear();
            out.extend(losses.iter().map(|l| l.sqrt() * scale));
        };
        as_rmse(self.trainer.loss_history(), &mut self.rmse_history);
        as_rmse(self.trainer.test_loss_history(), &mut self.test_history);
        let diverged = match self.trainer.status() {
            Status::Diverged { epoch } => epoch as f64,
            _ => -1.0,
        };
        let slice = self.snapshots.view().slice;
        let live = self.snapshots.live(&self.trainer);
        JsObject::new()
            .number("epoch", live.epoch as f64)
            .number("batch", live.batch as f64)
            .number("steps", live.steps as f64)
            .string("status", status_name(live.status))
            .number("divergedEpoch", diverged)
            .value("curve", Float64Array::from(live.curve.as_flattened()))
            .value("collapseLine", line_array(live.collapse.as_ref(), slice))
            .string("collapseEquation", &live.collapse.as_ref().map(equation::equation).unwrap_or_default())
            .value("rmseHistory", Float32Array::from(&self.rmse_history[..]))
            .value("testHistory", Float32Array::from(&self.test_history[..]))
            .into()
    }

    /// What the run became (a sweep's seed, once it has stopped): its outcome and the
    /// evidence it was decided on (one forward pass over the data).
    pub fn result(&self) -> JsValue {
        super::sweep::result_object(&crate::sweep::RunResult::of(&self.trainer))
    }

    /// The curve and collapsed line as they are now, for the page's replay: `{ epoch, curve,
    /// collapseLine }` (a forward pass over the curve's grid, cheap beside an epoch).
    pub fn frame(&mut self) -> JsValue {
        let slice = self.snapshots.view().slice;
        let live = self.snapshots.live(&self.trainer);
        JsObject::new()
            .number("epoch", live.epoch as f64)
            .value("curve", Float64Array::from(live.curve.as_flattened()))
            .value("collapseLine", line_array(live.collapse.as_ref(), slice))
            .into()
    }

    /// A two-input network over the (x₁, x₂) square: `{ prediction, residual, kinks }`
    /// (n × n row-major over `info().surface`, and the first layer's kink lines as
    /// `[x1, y1, x2, y2, …]`), or null for one input. A forward pass of n² rows: the worker
    /// asks for it a few times a second, not every frame.
    pub fn surface(&mut self) -> JsValue {
        let Some(surface) = &mut self.surface else { return JsValue::NULL };
        let (network, scaling) = (self.trainer.network(), &self.trainer.data().scaling);
        surface.evaluator.predict_into(network, scaling, &mut surface.prediction);
        surface::residual_into(&surface.target, &surface.prediction, &mut surface.residual);
        let grid = surface.evaluator.grid();
        let kinks = surface::first_layer_kinks(network, scaling, grid.lo, grid.hi).unwrap_or_default();
        let segments: Vec<f64> = kinks.iter().flat_map(|k| [k.from.0, k.from.1, k.to.0, k.to.1]).collect();
        JsObject::new()
            .value("prediction", Float64Array::from(&surface.prediction[..]))
            .value("residual", Float64Array::from(&surface.residual[..]))
            .value("kinks", Float64Array::from(&segments[..]))
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

    /// How far the exact pass under way is, 0..=1.
    pub fn exact_progress(&self) -> f64 {
        self.snapshots.exact_progress(&self.trainer)
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
            .number("testRmse", exact.test_rmse.unwrap_or(f64::NAN))
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
