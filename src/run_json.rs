//! A run as JSON, for machines: what `scripts/keras-parity.sh` compares across Keras, our
//! native build and our wasm build. Hand-written (flat, numbers and one string), so the core
//! needs no serialisation dependency.

use crate::analysis;
use crate::train::{Status, Trainer};
use std::fmt::Write;

/// `{"query", "status", "loss": [per epoch], "rmse", "floor_rmse", "prediction": [per example]}`:
/// the epoch losses as Keras reports them, the question's RMSE and the best straight line's,
/// and the network's output on every training example, normalised (what `model.predict(X)`
/// returns). Floats are written as their shortest round-trip decimals; a non-finite one as
/// `null`.
pub fn run_json(trainer: &Trainer) -> String {
    let status = match trainer.status() {
        Status::Running => "running",
        Status::Finished => "finished",
        Status::Diverged { .. } => "diverged",
    };
    let prediction = trainer.network().predict(trainer.data().x.view());
    let report = crate::snapshot::exact_of(trainer).report;
    let mut json = String::new();
    let _ = write!(json, "{{\"query\": \"{}\", \"status\": \"{status}\", ", trainer.experiment().to_query());
    let _ = write!(json, "\"loss\": {}, ", array(trainer.loss_history()));
    let _ = write!(json, "\"rmse\": {}, ", number(report.rmse));
    let _ = write!(json, "\"floor_rmse\": {}, ", number(analysis::best_line(trainer.data()).rmse));
    let _ = write!(json, "\"prediction\": {}}}", array(prediction.as_slice().expect("standard layout")));
    json
}

fn array(values: &[f32]) -> String {
    let items: Vec<String> = values.iter().map(|&v| number(v)).collect();
    format!("[{}]", items.join(", "))
}

fn number(value: impl Into<f64> + std::fmt::Debug + Copy) -> String {
    if value.into().is_finite() {
        // Debug is the shortest decimal that reads back as the same float (1e-7, 0.5, 2.0).
        format!("{value:?}")
    } else {
        "null".into()
    }
}
