//! Sweeps in the browser: a finished run's outcome (measured in its worker), and on the page
//! a report that gathers the seeds, recomputes each outcome from its evidence (so the page
//! cannot mislabel a run), words the summary, writes the CSV and draws the chart.

use super::js::JsObject;
use crate::outcome::{Evidence, Outcome};
use crate::plot::{self, Look, SweepChart, SweepPoint};
use crate::sweep::{self, RunResult, SeedResult, Summary};
use crate::{equation, parse_query};
use js_sys::Float64Array;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// A finished run's result as the page receives it from its worker.
pub(super) fn result_object(result: &RunResult) -> JsValue {
    let e = &result.evidence;
    JsObject::new()
        .string("outcome", result.outcome.name())
        .number("epochsRun", result.epochs_run as f64)
        .value("diverged", JsValue::from_bool(e.diverged))
        .number("rmse", e.rmse)
        .number("floor", e.floor)
        .number("bend", e.bend)
        .number("spread", e.spread)
        .number("targetSpread", e.target_spread)
        .value("deadReluLayer", JsValue::from_bool(e.dead_relu_layer))
        .into()
}

/// The evidence back from the page's object; the outcome is decided again from it.
fn run_result(object: &JsValue) -> Result<RunResult, JsError> {
    let get = |key: &str| js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let number = |key: &str| get(key).as_f64().ok_or_else(|| JsError::new(&format!("a run result lacks {key}")));
    let evidence = Evidence {
        diverged: get("diverged").is_truthy(),
        rmse: number("rmse")?,
        floor: number("floor")?,
        bend: number("bend")?,
        spread: number("spread")?,
        target_spread: number("targetSpread")?,
        dead_relu_layer: get("deadReluLayer").is_truthy(),
    };
    let epochs_run = number("epochsRun")? as usize;
    Ok(RunResult { outcome: Outcome::of(&evidence), evidence, epochs_run, loss_history: Vec::new() })
}

/// The seeds of a sweep gathered so far.
#[wasm_bindgen]
pub struct SweepReport {
    results: Vec<SeedResult>,
    inputs: usize,
}

#[wasm_bindgen]
impl SweepReport {
    /// An empty report for the sweep of `query` (its seeds' results come in with `add`).
    #[wasm_bindgen(constructor)]
    pub fn new(query: &str) -> SweepReport {
        SweepReport { results: Vec::new(), inputs: parse_query(query).experiment.inputs }
    }

    /// A seed's result, and its twin's (`undefined` without a twin), as `Trainer.result()`
    /// gave them. Kept in seed order.
    pub fn add(&mut self, seed: u32, run: JsValue, twin: JsValue) -> Result<(), JsError> {
        let run = run_result(&run)?;
        let twin = if twin.is_undefined() || twin.is_null() { None } else { Some(run_result(&twin)?) };
        let result = SeedResult { seed, floor_rmse: run.evidence.floor, run, twin };
        let at = self.results.partition_point(|r| r.seed < seed);
        self.results.insert(at, result);
        Ok(())
    }

    pub fn count(&self) -> u32 {
        self.results.len() as u32
    }

    /// The summary in words: one sentence per outcome and the spread; the twins' after.
    pub fn sentences(&self) -> Vec<String> {
        let mut out = Summary::of_runs(&self.results).sentences();
        if let Some(twins) = Summary::of_twins(&self.results) {
            out.extend(twins.sentences().into_iter().map(|s| format!("Twins: {s}")));
        }
        out
    }

    /// `seed,final_rmse,floor_rmse,outcome,epochs` (and the twin's columns).
    pub fn csv(&self) -> String {
        sweep::csv(&self.results)
    }

    /// Per seed, in order: `[seed, rmse, floor, outcome code, twin rmse (NaN), twin code (-1)]`.
    pub fn points(&self) -> Float64Array {
        let flat: Vec<f64> = self
            .results
            .iter()
            .flat_map(|r| {
                let (twin_rmse, twin_code) =
                    r.twin.as_ref().map_or((f64::NAN, -1.0), |t| (t.final_rmse(), t.outcome.code() as f64));
                [r.seed as f64, r.run.final_rmse(), r.floor_rmse, r.run.outcome.code() as f64, twin_rmse, twin_code]
            })
            .collect();
        Float64Array::from(&flat[..])
    }

    /// Draws the chart of the seeds so far on a canvas with room for `seeds` dots; returns
    /// its frame (x: the seed's place, y: log RMSE).
    pub fn draw(&self, canvas: HtmlCanvasElement, seeds: u32, scale: f64) -> Result<Float64Array, JsError> {
        let points: Vec<SweepPoint> = self
            .results
            .iter()
            .map(|r| SweepPoint {
                seed: r.seed,
                rmse: r.run.final_rmse(),
                floor: r.floor_rmse,
                outcome: r.run.outcome,
                twin: r.twin.as_ref().map(|t| (t.final_rmse(), t.outcome)),
            })
            .collect();
        let chart =
            SweepChart { points: &points, seeds: seeds as usize, floor_name: equation::floor_name(self.inputs) };
        let area = super::charts::canvas_area(canvas)?;
        let frame = plot::draw_sweep_chart(&area, &chart, &Look { scale }).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Float64Array::from(&frame.to_array()[..]))
    }
}

/// The seeds of the sweep in `query` (empty without one).
#[wasm_bindgen]
pub fn sweep_seeds(query: &str) -> Vec<u32> {
    let e = parse_query(query).experiment;
    if e.seeds.is_some() {
        e.sweep_seeds()
    } else {
        Vec::new()
    }
}

/// One seed's own link: the sweep's settings, that seed, and no sweep.
#[wasm_bindgen]
pub fn member_query(query: &str, seed: u32) -> String {
    let e = parse_query(query).experiment;
    crate::Experiment { seed, seeds: None, ..e }.to_query()
}
