//! What a finished run became, in one word a sweep can colour a dot by: it bends below the
//! best straight line, it is a straight line, it collapsed to a constant, it is curved but
//! no better than a straight line, or it diverged.
//!
//! The rules rest on one identity. Split any prediction p over the data into its own best
//! straight line L_p and what is left, r_p (orthogonal to every line); split the target y
//! the same way, y = L_y + r_y, where ‖r_y‖ is the floor. Then
//!
//! ```text
//! ‖y − p‖² = ‖L_y − L_p‖² + ‖r_y − r_p‖²
//! ```
//!
//! so a straight line (r_p = 0) can never get below the floor, and beating the floor needs
//! a bend. `Evidence::bend` is ‖r_p‖ as an RMS — how far the prediction is from being a
//! straight line — and bend ÷ floor is the share of the parabola's bend the network
//! reproduces: 0 for a line, 1 for y itself. Both are measured directly on the
//! predictions, so the rules hold for every activation and any number of inputs (a
//! "line" is then a plane), without tracing kinks.

use crate::analysis::{best_line, least_squares};
use crate::data::Dataset;
use crate::network::{Inference, Network};
use crate::pieces::mark_alive;
use crate::train::{Status, Trainer};
use crate::Activation;
use ndarray::{s, Array1};

/// Rows pushed through the network at a time — the same chunks as the snapshot's exact
/// pass, so the RMSE here is the one the run's own report prints, to the bit.
const CHUNK_ROWS: usize = 128;

/// A straight line may reproduce at most this share of the floor's bend (bend ≤ 1% of the
/// floor): less than a pixel on the fit chart, and an all-linear network's float32
/// rounding (about 1e-7 of the targets) is far below it.
pub const STRAIGHT_BEND: f64 = 0.01;
/// A constant's predictions span at most this share of the targets' range (0.1%: a flat
/// line to the eye). A dead layer makes them exactly equal.
pub const CONSTANT_SPREAD: f64 = 0.001;
/// Relative slack for float noise in the comparisons with the floor and with zero.
const NOISE: f64 = 1e-6;

/// What a run became. The order is the order of the words and the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// RMSE below the floor: by the identity above, it bends.
    Bends,
    /// A straight line (or plane) over the data, on or above the floor: every all-linear
    /// network, and a relu network whose kinks all sit outside the data.
    Straight,
    /// Curved, yet not below the floor: still training (a learning rate too small, too few
    /// epochs) or bent in the wrong places.
    Curved,
    /// One value for every example: a whole relu layer off for every input (dead relus),
    /// or a saturated smooth activation.
    Constant,
    /// The loss or a weight became NaN or infinite.
    Diverged,
}

impl Outcome {
    pub const ALL: [Outcome; 5] =
        [Outcome::Bends, Outcome::Straight, Outcome::Curved, Outcome::Constant, Outcome::Diverged];

    /// A stable key for links, CSV and the page's CSS classes.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Bends => "bends",
            Outcome::Straight => "straight",
            Outcome::Curved => "curved",
            Outcome::Constant => "constant",
            Outcome::Diverged => "diverged",
        }
    }

    /// A short label for a legend or a table.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Bends => "bends below the floor",
            Outcome::Straight => "a straight line",
            Outcome::Curved => "curved, not below the floor",
            Outcome::Constant => "a constant",
            Outcome::Diverged => "diverged",
        }
    }

    /// Its index in `ALL` (a small code for typed arrays).
    pub fn code(self) -> u8 {
        Outcome::ALL.iter().position(|&o| o == self).expect("every outcome is in ALL") as u8
    }

    pub fn from_code(code: u8) -> Option<Outcome> {
        Outcome::ALL.get(code as usize).copied()
    }

    pub fn from_name(name: &str) -> Option<Outcome> {
        Outcome::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The rules, in order (the first that holds wins):
    /// 1. `Diverged`: training diverged, or the RMSE is not finite.
    /// 2. `Constant`: the predictions span at most `CONSTANT_SPREAD` of the targets' range.
    ///    Checked before the floor: a constant is a (flat) straight line, but "dead relus"
    ///    is the lesson, not "a line".
    /// 3. `Bends`: RMSE below the floor by more than the report's rounding (the RMSE is of
    ///    predictions rounded to integers, which moves it by at most 0.5) and float noise.
    /// 4. `Straight`: bend ≤ `STRAIGHT_BEND` × floor — however far above the floor it
    ///    ended (an all-linear net still converging is a straight line all the same; its
    ///    distance from the floor is the dot's height, not its colour).
    /// 5. `Curved`: everything else — bent, but not enough in the right places.
    pub fn of(e: &Evidence) -> Outcome {
        if e.diverged || !e.rmse.is_finite() || !e.spread.is_finite() || !e.bend.is_finite() {
            return Outcome::Diverged;
        }
        let noise = NOISE * e.target_spread;
        if e.spread <= CONSTANT_SPREAD * e.target_spread + noise {
            Outcome::Constant
        } else if e.rmse < e.floor - 0.5 - NOISE * e.floor {
            Outcome::Bends
        } else if e.bend <= STRAIGHT_BEND * e.floor + noise {
            Outcome::Straight
        } else {
            Outcome::Curved
        }
    }
}

/// The figures a run's outcome is decided on, all over the training data, in user units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Evidence {
    /// Training stopped on a NaN or infinite loss or weight.
    pub diverged: bool,
    /// The question's RMSE: of the predictions inverted and rounded (as the report prints it).
    pub rmse: f64,
    /// The best straight line's RMSE on this sample.
    pub floor: f64,
    /// RMS distance of the (unrounded) predictions from their own best straight line.
    pub bend: f64,
    /// Largest minus smallest prediction.
    pub spread: f64,
    /// Largest minus smallest target.
    pub target_spread: f64,
    /// Some relu layer is off (outputs 0) for every example, so everything after it — the
    /// output included — is one constant.
    pub dead_relu_layer: bool,
}

impl Evidence {
    /// Measures a finished (or stopped) run: one forward pass over the training data.
    pub fn of_trainer(trainer: &Trainer) -> Evidence {
        let diverged = matches!(trainer.status(), Status::Diverged { .. });
        Evidence::of(trainer.network(), trainer.data(), diverged)
    }

    /// Measures `network` on `data`'s training rows (a test set is left out, as the report
    /// and the floor leave it): one forward pass in chunks, then two least-squares fits (the
    /// target's line for the floor, the prediction's own line for the bend).
    pub fn of(network: &Network, data: &Dataset, diverged: bool) -> Evidence {
        let n = data.train_rows;
        let mut inference = Inference::new(network, CHUNK_ROWS);
        let mut alive: Vec<Vec<bool>> = network.layers.iter().map(|l| vec![false; l.units()]).collect();
        let mut predictions = Vec::with_capacity(n);
        let mut sse = 0.0;
        for start in (0..n).step_by(CHUNK_ROWS) {
            let end = (start + CHUNK_ROWS).min(n);
            let rows = data.x.slice(s![start..end, ..]);
            let out = network.infer(rows, &mut inference, |l, a| mark_alive(&mut alive[l], a));
            for (i, &y) in (start..end).zip(out.column(0)) {
                // The snapshot's report, term for term.
                sse += (data.raw_y[i] - data.scaling.invert(y)).powi(2);
                predictions.push(data.scaling.denormalize_y(y));
            }
        }
        let hidden = network.layers.len() - 1;
        let dead_relu_layer =
            (0..hidden).any(|l| network.layers[l].activation == Activation::Relu && alive[l].iter().all(|on| !on));
        let spread = range(&predictions);
        let finite = predictions.iter().all(|p| p.is_finite());
        let predictions = Array1::from(predictions);
        Evidence {
            diverged,
            rmse: (sse / n.max(1) as f64).sqrt(),
            floor: best_line(data).rmse,
            // Least squares of NaNs is NaN; say so without solving.
            bend: if finite { least_squares(data.raw_x.slice(s![..n, ..]), &predictions).rmse } else { f64::NAN },
            spread,
            target_spread: range(&data.raw_y.as_slice().expect("standard layout")[..n]),
            dead_relu_layer,
        }
    }

    /// RMSE over the floor: 1 on the floor, below 1 when it bends.
    pub fn ratio(&self) -> f64 {
        self.rmse / self.floor
    }
}

/// Largest minus smallest; NaN if any value is NaN, 0 for no values.
fn range(values: &[f64]) -> f64 {
    if values.iter().any(|v| v.is_nan()) {
        return f64::NAN;
    }
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    if values.is_empty() {
        0.0
    } else {
        hi - lo
    }
}
