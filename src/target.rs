//! The function an experiment asks the network to learn, ready to evaluate: the question's
//! square, sum and product, or a formula the user typed. `Experiment::target()` hands out
//! this cheap view, used everywhere the true function is needed (data, curves, floor, export).

use crate::equation::subscripted;
use crate::experiment::{limits, Experiment, Task};
use crate::formula::Formula;
use std::fmt;

/// A task with what it needs to be evaluated: the number of inputs (for the sum) and the
/// formula (for `Task::Function`).
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    task: Task,
    inputs: usize,
    formula: &'a Formula,
}

impl Experiment {
    /// The function this experiment learns.
    pub fn target(&self) -> Target<'_> {
        Target { task: self.task, inputs: self.inputs, formula: &self.formula }
    }
}

/// Points along each axis at which a typed function is sampled for its largest |value| and
/// checked: every integer when the data range is this short, else this many evenly spaced.
const AXIS_SAMPLES_ONE_INPUT: usize = 4096;
const AXIS_SAMPLES_TWO_INPUTS: usize = 64;

/// A point of the data range where the target is unusable (NaN, ±inf, or beyond
/// `limits::MAX_TARGET`), with the offending inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Unusable {
    /// "f(x) = log(x - 1)".
    pub function: String,
    pub inputs: Vec<f64>,
    pub value: f64,
}

impl Unusable {
    /// What is wrong, without the function: "is not finite at x = 1 (it is -inf)".
    pub fn problem(&self) -> String {
        let at: Vec<String> = if self.inputs.len() == 1 {
            vec![format!("x = {}", self.inputs[0])]
        } else {
            self.inputs.iter().enumerate().map(|(i, v)| format!("x{} = {v}", i + 1)).collect()
        };
        let at = at.join(", ");
        if self.value.is_finite() {
            format!("reaches {:.3e} at {at}, beyond ±{:e}", self.value, limits::MAX_TARGET)
        } else {
            format!("is not finite at {at} (it is {})", self.value)
        }
    }
}

impl fmt::Display for Unusable {
    /// "f(x) = log(x - 1) is not finite at x = 1 (it is -inf)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.function, self.problem())
    }
}

impl Target<'_> {
    pub fn task(&self) -> Task {
        self.task
    }

    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// The formula, for `Task::Function`.
    pub fn formula(&self) -> Option<&Formula> {
        (self.task == Task::Function).then_some(self.formula)
    }

    /// y at the raw inputs (user units).
    pub fn eval(&self, x: &[f64]) -> f64 {
        match self.task {
            Task::Square => x[0] * x[0],
            Task::Sum => x[..self.inputs].iter().sum(),
            Task::Product => x[..self.inputs].iter().product(),
            Task::Function => self.formula.eval(x),
        }
    }

    /// How the page and the CLI name the function: "y = x²", "y = x₁ + x₂", "y = x₁·x₂",
    /// "f(x) = abs(x - 500)" (a typed formula as typed).
    pub fn label(&self) -> String {
        let names: Vec<String> = (1..=self.inputs).map(subscripted).collect();
        match self.task {
            Task::Square => "y = x²".into(),
            Task::Sum => format!("y = {}", names.join(" + ")),
            Task::Product => format!("y = {}", names.join("·")),
            Task::Function => format!("{} = {}", self.formula.signature(), self.formula.source()),
        }
    }

    /// The largest |y| over the data range [1, largest]ⁿ: the chart's natural height and the
    /// `largest` normalisation's y scale. For the question's tasks, y at every input = largest.
    /// For a typed function, the largest finite |f| over `sample_points` (every integer of a
    /// short range, else an even grid including both ends); 1 when that is 0 or nothing is
    /// finite, so that dividing by it is always safe.
    pub fn max_abs(&self, largest: u32) -> f64 {
        match self.task {
            Task::Function => {
                let mut top = 0.0f64;
                self.for_each_sample_point(largest, |x| {
                    let y = self.eval(x).abs();
                    if y.is_finite() {
                        top = top.max(y);
                    }
                    true
                });
                if top > 0.0 {
                    top
                } else {
                    1.0
                }
            }
            _ => self.eval(&vec![largest as f64; self.inputs]),
        }
    }

    /// The first point — of the sample grid, then of `rows` (the training inputs) — where y is
    /// not finite or beyond `limits::MAX_TARGET`. Training on such data would be a NaN run.
    pub fn first_unusable<'r>(&self, largest: u32, rows: impl IntoIterator<Item = &'r [f64]>) -> Option<Unusable> {
        let usable = |y: f64| y.is_finite() && y.abs() <= limits::MAX_TARGET;
        let mut found = None;
        self.for_each_sample_point(largest, |x| {
            let y = self.eval(x);
            if !usable(y) {
                found = Some((x.to_vec(), y));
            }
            found.is_none()
        });
        if found.is_none() {
            found =
                rows.into_iter().map(|x| (x, self.eval(x))).find(|&(_, y)| !usable(y)).map(|(x, y)| (x.to_vec(), y));
        }
        let (inputs, value) = found?;
        let function = match self.task {
            Task::Function => format!("{} = {}", self.formula.signature(), self.formula.source()),
            _ => self.label(),
        };
        Some(Unusable { function, inputs, value })
    }

    /// Calls `visit` on the sample grid over [1, largest]ⁿ, row by row, until it returns
    /// false. Only typed functions are sampled, and they have one or two inputs.
    fn for_each_sample_point(&self, largest: u32, mut visit: impl FnMut(&[f64]) -> bool) {
        debug_assert!(self.inputs <= 2, "typed functions have one or two inputs");
        let per_axis = if self.inputs == 1 { AXIS_SAMPLES_ONE_INPUT } else { AXIS_SAMPLES_TWO_INPUTS };
        let axis = sample_axis(largest, per_axis);
        let rows = if self.inputs == 1 { 1 } else { axis.len() };
        for &x2 in &axis[..rows] {
            for &x1 in &axis {
                if !visit(&[x1, x2][..self.inputs]) {
                    return;
                }
            }
        }
    }
}

/// Every integer in 1..=largest when there are at most `points`, else `points` evenly spaced
/// values from 1 to largest.
fn sample_axis(largest: u32, points: usize) -> Vec<f64> {
    let largest = largest.max(1) as usize;
    if largest <= points {
        (1..=largest).map(|v| v as f64).collect()
    } else {
        (0..points).map(|i| 1.0 + (largest - 1) as f64 * i as f64 / (points - 1) as f64).collect()
    }
}
