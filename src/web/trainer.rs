//! The wasm trainer handle: training state stays in wasm memory; the worker steps it and
//! reads small results (typed arrays, numbers, strings).

use crate::analysis::{self, LineFit};
use crate::curves;
use crate::pieces;
use crate::{Experiment, Status, Trainer};
use js_sys::{Float32Array, Float64Array};
use wasm_bindgen::prelude::*;

/// Hidden layers up to this width get unit thumbnails on the page.
const MAX_THUMBNAIL_UNITS: usize = 64;

/// Interleaved `[x0, y0, x1, y1, …]` for JS typed arrays.
fn interleave(pairs: &[(f64, f64)]) -> Float64Array {
    let flat: Vec<f64> = pairs.iter().flat_map(|&(x, y)| [x, y]).collect();
    Float64Array::from(&flat[..])
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
