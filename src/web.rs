//! The only wasm-bindgen module: opaque handles and small results for the page's JavaScript
//! (see docs/wasm-api.md). Errors become JS `Error`s here, once, at the edge.
//!
//! This file holds start-up (the panic hook), links and presets, and the benchmark's probes;
//! `trainer` is the training handle the worker drives, `charts` the canvas drawing.

mod canvas;
mod charts;
mod js;
mod sweep;
mod trainer;

pub use charts::{
    draw_fit_chart, draw_loss_chart, draw_residual_chart, draw_residual_surface_chart, draw_surface_chart,
    draw_units_chart,
};
pub use sweep::{member_query, sweep_seeds, SweepReport};
pub use trainer::WebTrainer;

use crate::{parse_query, preset, PRESETS};
use wasm_bindgen::prelude::*;

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

/// A lenient parse: the canonical experiment, the page options, and what was changed.
#[wasm_bindgen]
pub struct LinkResult {
    query: String,
    page: crate::codec::PageOptions,
    notes: Vec<String>,
}

#[wasm_bindgen]
impl LinkResult {
    /// The experiment's canonical query (what a trainer takes).
    #[wasm_bindgen(getter)]
    pub fn query(&self) -> String {
        self.query.clone()
    }

    /// The whole canonical link: the experiment, then the page options that are set.
    #[wasm_bindgen(getter)]
    pub fn link(&self) -> String {
        format!("{}{}", self.query, self.page.to_query_suffix())
    }

    /// Epochs per second, or NaN for full speed.
    #[wasm_bindgen(getter)]
    pub fn pace(&self) -> f64 {
        self.page.pace.map_or(f64::NAN, f64::from)
    }

    /// The tour step to open at (1-based), or 0 for none.
    #[wasm_bindgen(getter)]
    pub fn tour(&self) -> u32 {
        self.page.tour.unwrap_or(0)
    }

    #[wasm_bindgen(getter)]
    pub fn embed(&self) -> bool {
        self.page.embed
    }

    /// Workers per run the link pins, or 0 to let the page decide.
    #[wasm_bindgen(getter)]
    pub fn cores(&self) -> u32 {
        self.page.cores.unwrap_or(0)
    }

    #[wasm_bindgen(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.notes.clone()
    }
}

#[wasm_bindgen]
pub fn parse_link(query: &str) -> LinkResult {
    let parsed = parse_query(query);
    LinkResult {
        query: parsed.experiment.to_query(),
        page: parsed.page,
        notes: parsed.notes.iter().map(|n| n.to_string()).collect(),
    }
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

/// The link with twin mode on (the contrasting twin: relu ↔ linear) or off; the page
/// options (pace, tour, embed, cores) are kept.
#[wasm_bindgen]
pub fn with_twin(query: &str, on: bool) -> String {
    let parsed = parse_query(query);
    let mut e = parsed.experiment;
    e.twin = if on { e.contrasting_layers() } else { None };
    format!("{}{}", e.to_query(), parsed.page.to_query_suffix())
}

/// "" when `text` is a function the playground can learn, else why not, with the position
/// ("at character 6: ')' is missing …"): the page checks as the user types.
#[wasm_bindgen]
pub fn check_formula(text: &str) -> String {
    crate::formula::Formula::parse(text).err().map_or(String::new(), |e| e.to_string())
}

/// `[parameters, multiply-adds of one training step]` of a query's network: what the page
/// needs to decide how many threads share a run's steps, before starting it.
#[wasm_bindgen]
pub fn run_costs(query: &str) -> Vec<f64> {
    let e = parse_query(query).experiment;
    let parameters = e.parameter_count() as f64;
    vec![parameters, 3.0 * e.batch_size as f64 * parameters]
}

/// "Copy as Keras code".
#[wasm_bindgen]
pub fn keras_script(query: &str) -> String {
    crate::keras_export::keras_script(&parse_query(query).experiment)
}

/// "Copy as Keras code — exact replay": a script in which Keras trains this very run (our
/// data, initial weights and batch order travel inside it; the twin is not included).
#[wasm_bindgen]
pub fn keras_exact_script(query: &str) -> Result<String, JsError> {
    crate::keras_replay::keras_exact_script(&parse_query(query).experiment).map_err(|e| JsError::new(&e.to_string()))
}

/// A fresh seed from the browser's crypto (getrandom's wasm_js backend).
#[wasm_bindgen]
pub fn random_seed() -> Result<u32, JsError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(|e| JsError::new(&format!("no randomness available: {e}")))?;
    Ok(u32::from_le_bytes(bytes))
}

/// Threads (this one included) that share each step of the trainers made on this thread,
/// 1 to 8. More than one needs the threaded build and its helpers (`serve_as_helper`).
#[wasm_bindgen]
pub fn set_threads(threads: u32) {
    crate::parallel::set_threads(threads as usize);
}

/// Where the flag that spares a core lies in this module's memory, in 32-bit words: the
/// page raises it while it draws a frame (www/parallel.js; `parallel::spare_a_core`).
#[wasm_bindgen]
pub fn spare_a_core_index() -> u32 {
    crate::parallel::spare_a_core().as_ptr() as u32 / 4
}

/// Helper threads serving this module instance, and the parts of shared regions they have
/// run so far: [helpers, parts]. Evidence, for the page and its tests, that steps really
/// were shared.
#[wasm_bindgen]
pub fn thread_counts() -> Vec<u32> {
    vec![crate::parallel::helpers() as u32, crate::parallel::helper_parts()]
}

/// The threaded build only: the life of a helper thread, in a Web Worker that instantiated
/// this module on the same shared memory (www/helper.js). Takes its part of every shared
/// region, forever: it never returns.
#[cfg(target_feature = "atomics")]
#[wasm_bindgen]
pub fn serve_as_helper() {
    crate::parallel::serve()
}

/// Bytes of this module's linear memory (it only grows): the benchmark's soak watches it.
#[wasm_bindgen]
pub fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as f64
}

/// The benchmark's "matmul peak": `reps` products of two n×n f32 matrices through the same
/// kernel training uses (`crate::gemm`). Returns a checksum so the work cannot be optimised away.
#[wasm_bindgen]
pub fn matmul_benchmark(n: u32, reps: u32) -> f32 {
    let n = n.clamp(1, 2048) as usize;
    let a = ndarray::Array2::from_shape_fn((n, n), |(i, j)| ((i * 7 + j * 3) % 11) as f32 * 0.1);
    let b = ndarray::Array2::from_shape_fn((n, n), |(i, j)| ((i * 5 + j) % 13) as f32 * 0.1);
    let mut c = ndarray::Array2::<f32>::zeros((n, n));
    for _ in 0..reps {
        crate::gemm::gemm(1.0, &a, &b, 0.0, &mut c);
    }
    c.sum()
}
