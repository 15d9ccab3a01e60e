//! The question's data: `randint(1, largest)` integers, their sum, square, product or typed
//! function, and the normalisations that map them to and from what the network sees.

use crate::experiment::{Experiment, Normalization, Task};
use crate::train::{rng_stream, streams};
use ndarray::{Array1, Array2, Axis};
use rand::Rng;

/// Per-column affine scaling: `normalised = (raw − offset) / scale`.
#[derive(Clone, Debug, PartialEq)]
pub struct Scaling {
    pub x_offset: Vec<f64>,
    pub x_scale: Vec<f64>,
    pub y_offset: f64,
    pub y_scale: f64,
}

impl Scaling {
    /// Raw inputs (user units) to the network's f32 inputs.
    pub fn normalize_x(&self, raw: &[f64], out: &mut [f32]) {
        for (j, (o, &r)) in out.iter_mut().zip(raw).enumerate() {
            *o = ((r - self.x_offset[j]) / self.x_scale[j]) as f32;
        }
    }

    pub fn normalize_y(&self, raw: f64) -> f32 {
        ((raw - self.y_offset) / self.y_scale) as f32
    }

    /// The network's output back in user units, unrounded.
    pub fn denormalize_y(&self, value: f32) -> f64 {
        value as f64 * self.y_scale + self.y_offset
    }

    /// The question's `invert`: de-normalise and round to the nearest integer with Python's
    /// `round`, which sends halves to the even neighbour (2.5 → 2), not away from zero.
    pub fn invert(&self, value: f32) -> f64 {
        self.denormalize_y(value).round_ties_even()
    }
}

/// A generated training set, in the user's units and normalised.
#[derive(Clone, Debug)]
pub struct Dataset {
    /// examples × inputs, integers in 1..=largest.
    pub raw_x: Array2<f64>,
    /// The exact targets (integers for the question's tasks).
    pub raw_y: Array1<f64>,
    /// examples × inputs, what the network is trained on.
    pub x: Array2<f32>,
    /// examples × 1.
    pub y: Array2<f32>,
    pub scaling: Scaling,
    /// The first `train_rows` examples are trained on; the rest are the test set.
    pub train_rows: usize,
}

/// The training inputs of an experiment — what `Trainer::new` trains on — drawn from its
/// seed's data stream (examples × inputs, integers in 1..=largest).
pub fn training_inputs(experiment: &Experiment) -> Array2<f64> {
    draw_inputs(experiment, &mut rng_stream(experiment.seed, streams::DATA))
}

/// `examples` rows of `inputs` integers in 1..=largest, row by row as the question's loop does.
fn draw_inputs<R: Rng>(experiment: &Experiment, rng: &mut R) -> Array2<f64> {
    let (n, k) = (experiment.examples, experiment.inputs);
    Array2::from_shape_fn((n, k), |_| rng.random_range(1..=experiment.largest) as f64)
}

impl Dataset {
    /// Draws `examples` rows of `inputs` integers in 1..=largest, row by row as the
    /// question's loop does, and normalises them as `experiment.normalization` says.
    pub fn generate<R: Rng>(experiment: &Experiment, rng: &mut R) -> Dataset {
        let (n, k) = (experiment.examples, experiment.inputs);
        let raw_x = draw_inputs(experiment, rng);
        let target = experiment.target();
        let mut raw_y: Array1<f64> = raw_x.rows().into_iter().map(|row| target.eval(row.as_slice().unwrap())).collect();
        if experiment.noise > 0.0 {
            // A stream of its own: without noise, everything else is drawn exactly as before.
            add_noise(&mut raw_y, experiment.noise as f64, &mut rng_stream(experiment.seed, streams::NOISE));
        }
        let scaling = Self::scaling_for(experiment, &raw_x, &raw_y);
        let mut x = Array2::<f32>::zeros((n, k));
        for (raw, mut out) in raw_x.rows().into_iter().zip(x.rows_mut()) {
            scaling.normalize_x(raw.as_slice().unwrap(), out.as_slice_mut().unwrap());
        }
        let y = raw_y.mapv(|v| scaling.normalize_y(v)).insert_axis(Axis(1));
        Dataset { raw_x, raw_y, x, y, scaling, train_rows: experiment.training_examples() }
    }

    /// The test set's size (0 without a split).
    pub fn test_rows(&self) -> usize {
        self.len() - self.train_rows
    }

    fn scaling_for(experiment: &Experiment, raw_x: &Array2<f64>, raw_y: &Array1<f64>) -> Scaling {
        let k = experiment.inputs;
        let largest = experiment.largest as f64;
        let target_max = experiment.target().max_abs(experiment.largest);
        match experiment.normalization {
            Normalization::Question => {
                // The question divides x and y by one factor: largest·n_numbers for the
                // sum, largest·largest for the square (and so for the product and any typed
                // function, whatever its size).
                let factor = match experiment.task {
                    Task::Sum => largest * k as f64,
                    Task::Square | Task::Product | Task::Function => largest * largest,
                };
                Scaling { x_offset: vec![0.0; k], x_scale: vec![factor; k], y_offset: 0.0, y_scale: factor }
            }
            // For a typed function, y / max |f| over the data range (see `Target::max_abs`).
            Normalization::Largest => {
                Scaling { x_offset: vec![0.0; k], x_scale: vec![largest; k], y_offset: 0.0, y_scale: target_max }
            }
            Normalization::Standard => {
                let (x_offset, x_scale) = raw_x.columns().into_iter().map(|c| mean_std(c.iter().copied())).unzip();
                let (y_offset, y_scale) = mean_std(raw_y.iter().copied());
                Scaling { x_offset, x_scale, y_offset, y_scale }
            }
        }
    }

    pub fn len(&self) -> usize {
        self.raw_y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.raw_y.is_empty()
    }

    pub fn inputs(&self) -> usize {
        self.raw_x.ncols()
    }
}

/// y ← y + N(0, (share × range)²), range = max y − min y: noise that scales with the task,
/// drawn by Box–Muller from uniform f64s.
fn add_noise<R: Rng>(y: &mut Array1<f64>, share: f64, rng: &mut R) {
    let (lo, hi) = y.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let sigma = share * (hi - lo);
    for v in y.iter_mut() {
        let (u1, u2) = (1.0 - rng.random::<f64>(), rng.random::<f64>()); // u1 in (0, 1]: ln is finite
        *v += sigma * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    }
}

/// Mean and population standard deviation (numpy's default, ddof = 0); a constant column
/// gets scale 1 so that normalising never divides by zero.
fn mean_std(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count().max(1) as f64;
    let mean = values.clone().sum::<f64>() / n;
    let var = values.map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
    let std = var.sqrt();
    (mean, if std > 0.0 { std } else { 1.0 })
}
