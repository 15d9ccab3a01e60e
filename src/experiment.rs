//! The one `Experiment` config: everything that defines a run. It flows from the share
//! link (see `codec`) through validation to the trainer, the CLI and the page.
//!
//! Validate once, then trust: `Trainer::new` takes an `Experiment` that `validate()`
//! accepted, and the codec only ever produces such experiments.

use crate::activation::Activation;
use crate::formula::Formula;
use std::fmt;

/// Which function the network is asked to learn, with the question's data generator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    /// y = x², one input (the question's second experiment).
    Square,
    /// y = x₁ + … + xₙ (the question's first experiment, n_numbers = 2).
    Sum,
    /// y = x₁ · x₂ (the title says "multiplication").
    Product,
    /// y = f(x) or f(x₁, x₂), a formula the user typed (`Experiment::formula`).
    Function,
}

/// How inputs and targets are scaled before training.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Normalization {
    /// The question's choice: x and y divided by the same factor, `largest · n_numbers`
    /// for the sum and `largest²` for square and product — which squeezes x into (0, 0.001].
    Question,
    /// x / largest, y / (largest target): both in (0, 1].
    Largest,
    /// z-scores: (v − mean) / std per column, statistics of the training data.
    Standard,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerKind {
    Adam,
    Sgd,
}

/// Optimizer and its hyper-parameters; the unused ones are kept so that switching
/// optimizers on the page does not lose them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OptimizerSpec {
    pub kind: OptimizerKind,
    pub learning_rate: f32,
    pub beta1: f32,
    pub beta2: f32,
    pub epsilon: f32,
    pub momentum: f32,
}

impl Default for OptimizerSpec {
    /// Keras defaults: Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7).
    fn default() -> Self {
        OptimizerSpec {
            kind: OptimizerKind::Adam,
            learning_rate: 0.001,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-7,
            momentum: 0.0,
        }
    }
}

/// One hidden `Dense(units, activation=…)` layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerSpec {
    pub units: usize,
    pub activation: Activation,
}

impl LayerSpec {
    pub fn new(units: usize, activation: Activation) -> Self {
        LayerSpec { units, activation }
    }
}

/// A complete, reproducible experiment. The output layer is always a linear `Dense(1)`
/// (regression), so `hidden` lists only the layers before it.
#[derive(Clone, Debug, PartialEq)]
pub struct Experiment {
    pub task: Task,
    /// The typed function of `Task::Function` (x^2 by default). Like the optimizer's unused
    /// hyper-parameters it is kept under the other tasks, so switching back does not lose it.
    pub formula: Formula,
    /// Number of inputs: the question's `n_numbers`. Fixed at 1 for square, 2 for product,
    /// and by the variables of a formula (x: 1; x1 and x2: 2).
    pub inputs: usize,
    pub examples: usize,
    /// Inputs are `randint(1, largest)`, inclusive, as in the question.
    pub largest: u32,
    pub normalization: Normalization,
    pub hidden: Vec<LayerSpec>,
    pub optimizer: OptimizerSpec,
    pub batch_size: usize,
    pub epochs: usize,
    pub seed: u32,
    /// A second run trained beside this one — same data, seed and batch order — that
    /// differs only in its hidden layers (by default: the same widths, all linear).
    pub twin: Option<Vec<LayerSpec>>,
    /// How far the chart's x axis reaches, as a multiple of `largest` (1 = the data only);
    /// beyond the data the page shows how each network extrapolates.
    pub extent: f32,
    /// Gaussian noise added to the targets, σ as a share of their range (max − min); 0: none.
    pub noise: f32,
    /// The share of the examples held out as a test set — Keras' `validation_split`: the
    /// last rows, never trained on, their loss measured after every epoch; 0: none.
    pub test_split: f32,
    /// A sweep: the experiment trained once per seed, `seed`, `seed + 1`, …, `seed + N − 1`
    /// (wrapping past u32::MAX to 0), N in `MIN_SEEDS..=MAX_SEEDS`; `None`: one run. See
    /// `sweep` (its members, its work and its bound).
    pub seeds: Option<u32>,
}

/// Hard bounds that keep any config — and so any link — from taking unbounded memory or
/// time. Chosen so the question's 20-100-1000-100-20-1 network fits with room to spare.
pub mod limits {
    pub const MAX_INPUTS: usize = 8;
    pub const MAX_EXAMPLES: usize = 10_000;
    pub const MAX_LARGEST: u32 = 1_000_000;
    pub const MAX_HIDDEN_LAYERS: usize = 16;
    pub const MAX_UNITS: usize = 2_048;
    /// Trainable parameters in the whole network (the question's net has 205,281).
    pub const MAX_PARAMETERS: usize = 1_000_000;
    /// batch_size × parameters: bounds the work of one training step (≈ 6 flops each),
    /// so a worker always answers "pause" within a fraction of a second.
    pub const MAX_BATCH_WORK: usize = 50_000_000;
    pub const MAX_EPOCHS: usize = 10_000;
    pub const MIN_LEARNING_RATE: f32 = 1e-6;
    pub const MAX_LEARNING_RATE: f32 = 10.0;
    pub const MAX_BETA1: f32 = 0.9999;
    pub const MAX_BETA2: f32 = 0.99999;
    pub const MIN_EPSILON: f32 = 1e-12;
    pub const MAX_EPSILON: f32 = 1.0;
    pub const MAX_MOMENTUM: f32 = 0.999;
    pub const MAX_EXTENT: f32 = 4.0;
    /// Noise up to half the targets' range, and up to half the examples held out.
    pub const MAX_NOISE: f32 = 0.5;
    pub const MAX_TEST_SPLIT: f32 = 0.5;
    /// Largest |target| a typed function may reach on the data (x² reaches 1e12 at the largest
    /// `largest`): keeps every normalisation's f32 values and the squared errors finite.
    pub const MAX_TARGET: f64 = 1e15;
    /// Seeds in a sweep: one seed is a run, not a sweep; fifty dots are still readable.
    pub const MIN_SEEDS: u32 = 2;
    pub const MAX_SEEDS: u32 = 50;
    /// Training work, in parameter·example passes (parameters × examples × epochs, about 3
    /// multiply-adds each), of the largest run allowed alone: every bound at its maximum,
    /// twin included.
    pub const MAX_RUN_WORK: u64 = 2 * MAX_PARAMETERS as u64 * MAX_EXAMPLES as u64 * MAX_EPOCHS as u64;
    /// A whole sweep is bounded like one run: it may not take more than the largest run
    /// allowed alone.
    pub const MAX_SWEEP_WORK: u64 = MAX_RUN_WORK;
}

/// A value that `validate` rejected: which field, what value, what was allowed.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigError {
    pub field: &'static str,
    pub value: String,
    pub allowed: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} is not allowed (expected {})", self.field, self.value, self.allowed)
    }
}

impl std::error::Error for ConfigError {}

impl Default for Experiment {
    /// What the page opens with: the question's square task and data, with inputs scaled
    /// to (0, 1], a small relu network that visibly bends within a second, and its
    /// all-linear twin that cannot.
    fn default() -> Self {
        Experiment {
            task: Task::Square,
            formula: Formula::default(),
            inputs: 1,
            examples: 1000,
            largest: 1000,
            normalization: Normalization::Largest,
            hidden: vec![LayerSpec::new(64, Activation::Relu), LayerSpec::new(64, Activation::Relu)],
            optimizer: OptimizerSpec::default(),
            batch_size: 100,
            epochs: 300,
            seed: 1,
            // Twin runs are the point of the page: relu next to its linear collapse.
            twin: Some(vec![LayerSpec::new(64, Activation::Linear), LayerSpec::new(64, Activation::Linear)]),
            extent: 1.0,
            noise: 0.0,
            test_split: 0.0,
            seeds: None,
        }
    }
}

impl Experiment {
    /// Layer widths from input to output: `[inputs, hidden…, 1]`.
    pub fn widths(&self) -> Vec<usize> {
        let mut widths = Vec::with_capacity(self.hidden.len() + 2);
        widths.push(self.inputs);
        widths.extend(self.hidden.iter().map(|l| l.units));
        widths.push(1);
        widths
    }

    /// Examples held out as the test set: ⌊examples × test_split⌋, as Keras' validation_split
    /// takes them (at least one is left to train on).
    pub fn test_examples(&self) -> usize {
        let held = (self.examples as f64 * self.test_split.clamp(0.0, 1.0) as f64).floor() as usize;
        held.min(self.examples.saturating_sub(1))
    }

    /// Examples trained on: the first `examples − test_examples()`.
    pub fn training_examples(&self) -> usize {
        self.examples - self.test_examples()
    }

    /// Trainable parameters: Σ (fan_in + 1) · fan_out over the Dense layers. Counted in
    /// u64 and saturated: usize is 32 bits on wasm32, and an unvalidated config (a link
    /// being read) may be absurd.
    pub fn parameter_count(&self) -> usize {
        let count: u64 = self.widths().windows(2).map(|w| (w[0] as u64 + 1).saturating_mul(w[1] as u64)).sum();
        usize::try_from(count).unwrap_or(usize::MAX)
    }

    /// True when every hidden activation is linear: the network is one affine map.
    pub fn all_linear(&self) -> bool {
        self.hidden.iter().all(|l| l.activation.is_linear())
    }

    /// The twin run as an experiment of its own (with no twin).
    pub fn twin_experiment(&self) -> Option<Experiment> {
        let hidden = self.twin.clone()?;
        Some(Experiment { hidden, twin: None, ..self.clone() })
    }

    /// The default twin: the same widths with every activation linear — or relu, if this
    /// network is already all linear — so one of the pair always collapses. `None` without
    /// hidden layers: there is nothing to contrast.
    pub fn contrasting_layers(&self) -> Option<Vec<LayerSpec>> {
        let activation = if self.all_linear() { Activation::Relu } else { Activation::Linear };
        let layers: Vec<LayerSpec> = self.hidden.iter().map(|l| LayerSpec::new(l.units, activation)).collect();
        (!layers.is_empty()).then_some(layers)
    }

    /// The number of inputs the task dictates, if it dictates one (a formula by its variables).
    pub fn fixed_inputs(&self) -> Option<usize> {
        match self.task {
            Task::Square => Some(1),
            Task::Product => Some(2),
            Task::Function => Some(self.formula.inputs()),
            Task::Sum => None,
        }
    }

    /// Checks every bound in `limits`, then that a typed function is usable on the data; the
    /// first violation is returned.
    pub fn validate(&self) -> Result<(), ConfigError> {
        self.validate_bounds()?;
        if let Some(unusable) = self.unusable_target() {
            let allowed = format!("a function finite on the data; {unusable}");
            return Err(ConfigError { field: "f", value: self.formula.source().to_string(), allowed });
        }
        Ok(())
    }

    /// Every bound in `limits` (the twin's too): cheap, and all the twin needs, since it
    /// shares the task and the data.
    fn validate_bounds(&self) -> Result<(), ConfigError> {
        use limits::*;
        let err = |field, value: String, allowed: String| Err(ConfigError { field, value, allowed });
        if let Some(n) = self.fixed_inputs() {
            if self.inputs != n {
                return err("inputs", self.inputs.to_string(), format!("{n} for this task"));
            }
        }
        if !(1..=MAX_INPUTS).contains(&self.inputs) {
            return err("inputs", self.inputs.to_string(), format!("1..={MAX_INPUTS}"));
        }
        if !(1..=MAX_EXAMPLES).contains(&self.examples) {
            return err("examples", self.examples.to_string(), format!("1..={MAX_EXAMPLES}"));
        }
        if !(1..=MAX_LARGEST).contains(&self.largest) {
            return err("largest", self.largest.to_string(), format!("1..={MAX_LARGEST}"));
        }
        if self.hidden.len() > MAX_HIDDEN_LAYERS {
            return err("layers", format!("{} layers", self.hidden.len()), format!("at most {MAX_HIDDEN_LAYERS}"));
        }
        if let Some(l) = self.hidden.iter().find(|l| !(1..=MAX_UNITS).contains(&l.units)) {
            return err("layers", format!("{} units", l.units), format!("1..={MAX_UNITS} units per layer"));
        }
        let params = self.parameter_count();
        if params > MAX_PARAMETERS {
            return err("layers", format!("{params} parameters"), format!("at most {MAX_PARAMETERS}"));
        }
        let o = &self.optimizer;
        let in_range = |v: f32, lo: f32, hi: f32| v.is_finite() && v >= lo && v <= hi;
        if !in_range(o.learning_rate, MIN_LEARNING_RATE, MAX_LEARNING_RATE) {
            return err("lr", o.learning_rate.to_string(), format!("{MIN_LEARNING_RATE}..={MAX_LEARNING_RATE}"));
        }
        if !in_range(o.beta1, 0.0, MAX_BETA1) {
            return err("beta1", o.beta1.to_string(), format!("0..={MAX_BETA1}"));
        }
        if !in_range(o.beta2, 0.0, MAX_BETA2) {
            return err("beta2", o.beta2.to_string(), format!("0..={MAX_BETA2}"));
        }
        if !in_range(o.epsilon, MIN_EPSILON, MAX_EPSILON) {
            return err("eps", o.epsilon.to_string(), format!("{MIN_EPSILON}..={MAX_EPSILON}"));
        }
        if !in_range(o.momentum, 0.0, MAX_MOMENTUM) {
            return err("momentum", o.momentum.to_string(), format!("0..={MAX_MOMENTUM}"));
        }
        if !in_range(self.noise, 0.0, MAX_NOISE) {
            return err("noise", self.noise.to_string(), format!("0..={MAX_NOISE}"));
        }
        if !in_range(self.test_split, 0.0, MAX_TEST_SPLIT) {
            return err("test", self.test_split.to_string(), format!("0..={MAX_TEST_SPLIT}"));
        }
        let training = self.training_examples();
        if !(1..=training).contains(&self.batch_size) {
            return err(
                "batch",
                self.batch_size.to_string(),
                format!("1..={training} (the number of training examples)"),
            );
        }
        // In u64: on wasm32, 10,000 × a 430,000-parameter network wraps a usize to 8.5M.
        if self.batch_size as u64 * params as u64 > MAX_BATCH_WORK as u64 {
            return err(
                "batch",
                self.batch_size.to_string(),
                format!("at most {} for a {params}-parameter network", Self::max_batch_for(params)),
            );
        }
        if !(self.extent.is_finite() && (1.0..=MAX_EXTENT).contains(&self.extent)) {
            return err("extent", self.extent.to_string(), format!("1..={MAX_EXTENT}"));
        }
        if let Some(twin) = self.twin_experiment() {
            // The twin obeys every bound of the main network; report it under its own key.
            twin.validate_bounds()
                .map_err(|e| ConfigError { field: if e.field == "layers" { "twin" } else { e.field }, ..e })?;
        }
        if !(1..=MAX_EPOCHS).contains(&self.epochs) {
            return err("epochs", self.epochs.to_string(), format!("1..={MAX_EPOCHS}"));
        }
        if let Some(n) = self.seeds {
            if !(MIN_SEEDS..=MAX_SEEDS).contains(&n) {
                return err("seeds", n.to_string(), format!("{MIN_SEEDS}..={MAX_SEEDS}"));
            }
            if self.sweep_work() > MAX_SWEEP_WORK {
                return err("seeds", n.to_string(), format!("at most {} for this experiment", self.max_seeds()));
            }
        }
        Ok(())
    }

    /// Where a typed function cannot be trained on: a point of the data range's sample grid
    /// or of this seed's training inputs where it is not finite (or beyond `MAX_TARGET`).
    /// None for the question's tasks, whose bounds `validate` already keeps.
    pub fn unusable_target(&self) -> Option<crate::target::Unusable> {
        if self.task != Task::Function || self.inputs != self.formula.inputs() {
            return None;
        }
        let inputs = crate::data::training_inputs(self);
        let rows = inputs.as_slice().expect("standard layout").chunks_exact(self.inputs);
        self.target().first_unusable(self.largest, rows)
    }

    /// The largest batch whose step stays within `MAX_BATCH_WORK` for this many parameters.
    pub fn max_batch_for(parameters: usize) -> usize {
        (limits::MAX_BATCH_WORK / parameters.max(1)).max(1)
    }
}

impl Task {
    pub const ALL: [Task; 4] = [Task::Square, Task::Sum, Task::Product, Task::Function];
    pub fn name(self) -> &'static str {
        match self {
            Task::Square => "square",
            Task::Sum => "sum",
            Task::Product => "product",
            Task::Function => "f",
        }
    }
}

impl Normalization {
    pub const ALL: [Normalization; 3] = [Normalization::Question, Normalization::Largest, Normalization::Standard];
    pub fn name(self) -> &'static str {
        match self {
            Normalization::Question => "question",
            Normalization::Largest => "largest",
            Normalization::Standard => "standard",
        }
    }
}

impl OptimizerKind {
    pub const ALL: [OptimizerKind; 2] = [OptimizerKind::Adam, OptimizerKind::Sgd];
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Adam => "adam",
            OptimizerKind::Sgd => "sgd",
        }
    }
}
