//! Why the question's network cannot bend, in numbers: the linear collapse, the floor of
//! the best straight line, and the question's own report.

use crate::activation::Activation;
use crate::data::{Dataset, Scaling};
use crate::layer::Dense;
use crate::network::Network;
use ndarray::{Array1, Array2, ArrayView2};
use std::fmt;
use std::ops::Range;

/// y = Σ wᵢ xᵢ + b.
#[derive(Clone, Debug, PartialEq)]
pub struct Affine {
    pub weights: Vec<f64>,
    pub bias: f64,
}

impl Affine {
    pub fn eval(&self, x: &[f64]) -> f64 {
        self.weights.iter().zip(x).map(|(w, x)| w * x).sum::<f64>() + self.bias
    }

    /// Slope and intercept along the diagonal x₁ = … = xₙ = x (for one input, the line itself).
    pub fn along_diagonal(&self) -> (f64, f64) {
        (self.weights.iter().sum(), self.bias)
    }
}

/// The best straight line (least squares) and its RMSE: the floor no linear network beats.
#[derive(Clone, Debug, PartialEq)]
pub struct LineFit {
    pub line: Affine,
    pub rmse: f64,
}

/// Closed-form least squares of `y` on the columns of `x` with an intercept, in f64:
/// centred normal equations Cov(x) β = Cov(x, y), b = ȳ − β·x̄.
pub fn least_squares(x: ArrayView2<f64>, y: &Array1<f64>) -> LineFit {
    let (n, k) = (x.nrows().max(1) as f64, x.ncols());
    let x_mean: Vec<f64> = x.columns().into_iter().map(|c| c.sum() / n).collect();
    let y_mean = y.sum() / n;
    let mut cov = Array2::<f64>::zeros((k, k));
    let mut cov_y = vec![0.0; k];
    for (row, &t) in x.rows().into_iter().zip(y) {
        for i in 0..k {
            let di = row[i] - x_mean[i];
            cov_y[i] += di * (t - y_mean);
            for j in 0..k {
                cov[[i, j]] += di * (row[j] - x_mean[j]);
            }
        }
    }
    let weights = solve(cov, cov_y);
    let bias = y_mean - weights.iter().zip(&x_mean).map(|(w, m)| w * m).sum::<f64>();
    let line = Affine { weights, bias };
    let sse: f64 = x.rows().into_iter().zip(y).map(|(row, &t)| (t - line.eval(&row.to_vec())).powi(2)).sum();
    LineFit { rmse: (sse / n).sqrt(), line }
}

/// Gaussian elimination with partial pivoting; a direction with no variance gets weight 0.
fn solve(mut a: Array2<f64>, mut b: Vec<f64>) -> Vec<f64> {
    let k = b.len();
    let scale = a.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let tiny = scale * 1e-12;
    let mut pivots = vec![None; k];
    let mut row = 0;
    for col in 0..k {
        let Some(p) = (row..k).max_by(|&i, &j| a[[i, col]].abs().total_cmp(&a[[j, col]].abs())) else {
            break;
        };
        if a[[p, col]].abs() <= tiny {
            continue;
        }
        for j in 0..k {
            a.swap([row, j], [p, j]);
        }
        b.swap(row, p);
        for i in 0..k {
            if i != row {
                let f = a[[i, col]] / a[[row, col]];
                for j in 0..k {
                    a[[i, j]] -= f * a[[row, j]];
                }
                b[i] -= f * b[row];
            }
        }
        pivots[col] = Some(row);
        row += 1;
    }
    pivots.iter().enumerate().map(|(col, p)| p.map_or(0.0, |r| b[r] / a[[r, col]])).collect()
}

/// The floor on the training data (the test set left out), in the user's units.
pub fn best_line(data: &Dataset) -> LineFit {
    let rows = data.train_rows;
    least_squares(data.raw_x.slice(ndarray::s![..rows, ..]), &data.raw_y.slice(ndarray::s![..rows]).to_owned())
}

/// The floor for y = x² over every integer 1..=largest: 74,535 for 1..1000, the number the
/// question's all-linear network can never beat.
pub fn square_floor_on_grid(largest: u32) -> LineFit {
    let x = Array2::from_shape_fn((largest as usize, 1), |(i, _)| (i + 1) as f64);
    let y = x.column(0).mapv(|v| v * v);
    least_squares(x.view(), &y)
}

/// Composes a run of layers *ignoring their activations*: x·W₁·W₂… with the biases carried
/// through, b = ((b₁W₂ + b₂)W₃ + b₃)…, in f64.
pub fn compose(layers: &[Dense]) -> (Array2<f64>, Array1<f64>) {
    let first = &layers[0];
    let mut w = first.weights.mapv(f64::from);
    let mut b = first.bias.mapv(f64::from);
    for layer in &layers[1..] {
        let wl = layer.weights.mapv(f64::from);
        w = w.dot(&wl);
        b = b.dot(&wl) + layer.bias.mapv(f64::from);
    }
    (w, b)
}

/// The single equivalent unit of an all-linear network, in normalised units; `None` as
/// soon as one activation is not linear.
pub fn collapse(network: &Network) -> Option<Affine> {
    let mut unit = Affine { weights: Vec::new(), bias: 0.0 };
    collapse_into(network, &mut CollapseScratch::new(network), &mut unit).then_some(unit)
}

/// The row vectors `collapse_into` pushes through the layers (one per input and one for the
/// bias), each as wide as the widest layer, and the next layer's.
#[derive(Clone, Debug)]
pub struct CollapseScratch {
    width: usize,
    rows: Vec<f64>,
    next: Vec<f64>,
}

impl CollapseScratch {
    pub fn new(network: &Network) -> CollapseScratch {
        let (width, vectors) = (network.max_width(), network.inputs() + 1);
        CollapseScratch { width, rows: vec![0.0; vectors * width], next: vec![0.0; vectors * width] }
    }
}

/// The single equivalent unit of an all-linear network, in normalised units, written into
/// `unit` (no allocation once it has room for the inputs). Weight i is row i of
/// W₁·W₂·…, pushed through the layers as a row vector; the bias is b₁ pushed the same way
/// with each layer's bias added. All of them go through a layer together, its weights read
/// once, row by row as plain slices so that the sums vectorise: the page takes this for
/// every snapshot of an all-linear run (the question's among them), where one sweep per
/// vector through ndarray's iterator took 0.36 ms natively, as long as the curve's forward
/// pass; now 0.07 ms, with the same sums in the same order. False, and `unit` untouched, as
/// soon as one activation is not linear.
pub fn collapse_into(network: &Network, scratch: &mut CollapseScratch, unit: &mut Affine) -> bool {
    if !network.layers.iter().all(|l| l.activation.is_linear()) {
        return false;
    }
    let (first, rest) = network.layers.split_first().expect("an output layer");
    let inputs = first.fan_in();
    let CollapseScratch { width, rows, next } = scratch;
    // Vector i < inputs starts as row i of W₁, the last as b₁.
    let starts = (0..inputs).map(|i| first.weights.row(i)).chain([first.bias.view()]);
    for (row, start) in rows.chunks_exact_mut(*width).zip(starts) {
        row.iter_mut().zip(start).for_each(|(v, &w)| *v = w as f64);
    }
    // v ← v·W (+ b for the bias's vector), for each later layer; each result is v[0].
    for layer in rest {
        let units = layer.units();
        for (s, out) in next.chunks_exact_mut(*width).enumerate() {
            if s == inputs {
                out.iter_mut().zip(&layer.bias).for_each(|(o, &b)| *o = b as f64);
            } else {
                out[..units].fill(0.0);
            }
        }
        for i in 0..layer.fan_in() {
            let weights = layer.weights.row(i);
            let weights = weights.as_slice().expect("row-major weights");
            for (row, out) in rows.chunks_exact(*width).zip(next.chunks_exact_mut(*width)) {
                let v = row[i];
                out.iter_mut().zip(weights).for_each(|(o, &w)| *o += v * w as f64);
            }
        }
        std::mem::swap(rows, next);
    }
    unit.weights.clear();
    unit.weights.extend(rows.chunks_exact(*width).take(inputs).map(|row| row[0]));
    unit.bias = rows[inputs * *width];
    true
}

/// The same unit in the user's units: y = s_y (Σ wᵢ (xᵢ − oᵢ)/sᵢ + b) + o_y, in place.
pub fn to_user_units(unit: &mut Affine, scaling: &Scaling) {
    let shift: f64 =
        unit.weights.iter().zip(&scaling.x_offset).zip(&scaling.x_scale).map(|((w, o), s)| w * o / s).sum();
    unit.bias = scaling.y_offset + scaling.y_scale * (unit.bias - shift);
    for (w, s) in unit.weights.iter_mut().zip(&scaling.x_scale) {
        *w *= scaling.y_scale / s;
    }
}

/// The single equivalent unit in the user's units (allocates; the snapshot keeps its own).
pub fn collapse_in_user_units(network: &Network, scaling: &Scaling) -> Option<Affine> {
    let mut unit = collapse(network)?;
    to_user_units(&mut unit, scaling);
    Some(unit)
}

/// Groups of consecutive layers that merge into one: a linear layer composes into the
/// next one, so each group ends at a non-linear layer or at the output.
pub fn merge_groups(activations: &[Activation]) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let mut start = 0;
    for (i, a) in activations.iter().enumerate() {
        if !a.is_linear() || i + 1 == activations.len() {
            groups.push(start..i + 1);
            start = i + 1;
        }
    }
    groups
}

/// The equivalent network with every group of `merge_groups` fused into one Dense layer.
pub fn merge_linear_runs(network: &Network) -> Network {
    let activations: Vec<Activation> = network.layers.iter().map(|l| l.activation).collect();
    let layers = merge_groups(&activations)
        .into_iter()
        .map(|g| {
            let (w, b) = compose(&network.layers[g.clone()]);
            Dense { weights: w.mapv(|v| v as f32), bias: b.mapv(|v| v as f32), activation: activations[g.end - 1] }
        })
        .collect();
    Network { layers }
}

/// Layers that remain after merging: 1 for any all-linear stack, however deep.
pub fn effective_depth(network: &Network) -> usize {
    network.layers.iter().filter(|l| !l.activation.is_linear()).count() + 1
}

/// The question's printout: RMSE of the inverted (de-normalised, rounded) predictions, and
/// the first rows as `Expected=…, Predicted=… (err=…)`. Made by `snapshot`'s exact pass.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub rmse: f64,
    /// (expected, predicted) for the first `REPORT_ROWS` examples.
    pub rows: Vec<(f64, f64)>,
}

pub const REPORT_ROWS: usize = 20;

impl fmt::Display for Report {
    /// The question's format: `RMSE: %f` then `Expected=%d, Predicted=%d (err=%d)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "RMSE: {:.6}", self.rmse)?;
        for &(expected, predicted) in &self.rows {
            // `+ 0.0` turns a rounded −0 into 0, as Python's %d prints it.
            writeln!(
                f,
                "Expected={:.0}, Predicted={:.0} (err={:.0})",
                expected,
                predicted + 0.0,
                expected - predicted + 0.0
            )?;
        }
        Ok(())
    }
}
