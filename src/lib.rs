//! # Squares Playground
//!
//! Why can't my network learn y = x²? Because a stack of Dense layers without activations
//! is one linear map, and no straight line gets closer to the parabola than the least-squares
//! floor (RMSE ≈ 74,535 on 1..1000). This crate trains the question's networks exactly as
//! Keras would and measures that collapse.
//!
//! The core (`experiment` … `analysis`) knows nothing of the browser; `plot` holds every
//! plotters call; `web` is the only wasm-bindgen module.

pub mod activation;
pub mod analysis;
pub mod codec;
pub mod contour;
pub mod curves;
pub mod data;
pub mod equation;
pub mod experiment;
pub mod formula;
pub mod gemm;
pub mod keras_export;
pub mod keras_replay;
pub mod layer;
pub mod loss;
pub mod network;
pub mod optimizer;
pub mod outcome;
pub mod parallel;
pub mod pieces;
pub mod plot;
pub mod presets;
pub mod run_json;
pub mod slice;
pub mod snapshot;
pub mod surface;
pub mod sweep;
pub mod target;
pub mod train;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use activation::Activation;
pub use codec::{parse_query, ConfigNote, ParsedLink};
pub use data::{Dataset, Scaling};
pub use experiment::{limits, ConfigError, Experiment, LayerSpec, Normalization, OptimizerKind, OptimizerSpec, Task};
pub use formula::Formula;
pub use network::Network;
pub use outcome::{Evidence, Outcome};
pub use presets::{preset, Preset, PRESETS};
pub use snapshot::{Exact, Live, Snapshotter, View};
pub use sweep::{RunResult, SeedResult, Summary};
pub use target::Target;
pub use train::{Status, Trainer};
