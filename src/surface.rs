//! Two-input tasks seen in 2-D: the network's prediction, the target and the residual over a
//! square of (x₁, x₂), and the lines along which a relu network's first layer bends.
//!
//! Everything is in the user's units. The page calls `SurfaceEvaluator::predict_into` live
//! while training, so it writes into buffers the caller owns and allocates nothing per call.

use crate::activation::Activation;
use crate::contour::Segment;
use crate::data::{Dataset, Scaling};
use crate::network::Network;
use crate::target::Target;
use ndarray::{s, Array2};

/// An n × n grid over the square [lo, hi]², sampled at cell centres,
/// x(i) = lo + (i + ½)·(hi − lo)/n, so the cells tile the square exactly. Values over it are
/// row-major: `values[row · n + col]` is at x₁ = x(col), x₂ = x(row).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SurfaceGrid {
    pub lo: f64,
    pub hi: f64,
    pub n: usize,
}

/// Multiply-adds one grid pass may cost (n² rows through every weight): a few milliseconds
/// of wasm, so a live heatmap never holds a thread for long.
pub const GRID_WORK: usize = 1 << 23;
/// Grid sides `grid_size_for` chooses between: coarse enough to draw n² cells every frame,
/// fine enough to show a kink.
pub const MIN_GRID: usize = 16;
pub const MAX_GRID: usize = 64;

/// The grid side for a network of this many parameters: the largest n with
/// n² · parameters ≤ `GRID_WORK`, within `MIN_GRID..=MAX_GRID`.
pub fn grid_size_for(parameters: usize) -> usize {
    let n = (GRID_WORK as f64 / parameters.max(1) as f64).sqrt().floor() as usize;
    n.clamp(MIN_GRID, MAX_GRID)
}

impl SurfaceGrid {
    /// At least a 1 × 1 grid; a reversed or non-finite square becomes [0, 1].
    pub fn new(lo: f64, hi: f64, n: usize) -> SurfaceGrid {
        let (lo, hi) = if lo.is_finite() && hi.is_finite() && lo < hi { (lo, hi) } else { (0.0, 1.0) };
        SurfaceGrid { lo, hi, n: n.max(1) }
    }

    /// The centre of cell `i` along either axis.
    pub fn coordinate(&self, i: usize) -> f64 {
        self.lo + (i as f64 + 0.5) * (self.hi - self.lo) / self.n as f64
    }

    pub fn coordinates(&self) -> Vec<f64> {
        (0..self.n).map(|i| self.coordinate(i)).collect()
    }

    /// n², the length of every buffer over this grid.
    pub fn cells(&self) -> usize {
        self.n * self.n
    }

    /// (x₁, x₂) of the value at `index` (row-major).
    pub fn point(&self, index: usize) -> [f64; 2] {
        [self.coordinate(index % self.n), self.coordinate(index / self.n)]
    }
}

/// The network's prediction over a grid, with the buffers of one forward pass kept between
/// calls: the grid's normalised inputs (n² × 2) and each layer's pre-activation and output
/// (n² × units).
pub struct SurfaceEvaluator {
    grid: SurfaceGrid,
    inputs: Array2<f32>,
    z: Vec<Array2<f32>>,
    a: Vec<Array2<f32>>,
}

impl SurfaceEvaluator {
    /// Buffers for `network`'s layer widths; the inputs normalised once with `scaling`.
    pub fn new(network: &Network, scaling: &Scaling, grid: SurfaceGrid) -> SurfaceEvaluator {
        assert_eq!(network.inputs(), 2, "a surface needs a two-input network");
        let rows = grid.cells();
        let mut inputs = Array2::zeros((rows, 2));
        for (index, mut row) in inputs.rows_mut().into_iter().enumerate() {
            scaling.normalize_x(&grid.point(index), row.as_slice_mut().expect("standard layout"));
        }
        let per_layer = || network.layers.iter().map(|l| Array2::zeros((rows, l.units()))).collect::<Vec<_>>();
        SurfaceEvaluator { grid, inputs, z: per_layer(), a: per_layer() }
    }

    pub fn grid(&self) -> SurfaceGrid {
        self.grid
    }

    /// Writes the prediction, de-normalised, into `out` (n² values, row-major). The network
    /// must have the widths this evaluator was made for.
    pub fn predict_into(&mut self, network: &Network, scaling: &Scaling, out: &mut [f64]) {
        assert_eq!(out.len(), self.grid.cells(), "one value per grid cell");
        assert_eq!(network.layers.len(), self.a.len(), "the network this evaluator was made for");
        for (l, layer) in network.layers.iter().enumerate() {
            let (before, from_l) = self.a.split_at_mut(l);
            let input = if l == 0 { self.inputs.view() } else { before[l - 1].view() };
            layer.forward(input, self.z[l].view_mut(), from_l[0].view_mut());
        }
        let output = self.a.last().expect("an output layer");
        for (o, &y) in out.iter_mut().zip(output.slice(s![.., 0])) {
            *o = scaling.denormalize_y(y);
        }
    }
}

/// The target over the grid, into `out` (n² values, row-major).
pub fn target_into(target: Target, grid: SurfaceGrid, out: &mut [f64]) {
    assert_eq!(out.len(), grid.cells(), "one value per grid cell");
    for (index, o) in out.iter_mut().enumerate() {
        *o = target.eval(&grid.point(index));
    }
}

/// target − prediction, cell by cell, into `out`.
pub fn residual_into(target: &[f64], prediction: &[f64], out: &mut [f64]) {
    for ((o, t), p) in out.iter_mut().zip(target).zip(prediction) {
        *o = t - p;
    }
}

/// Up to `max` training inputs (x₁, x₂), evenly strided through the data so the subsample
/// is deterministic and spread like the data.
pub fn training_inputs(data: &Dataset, max: usize) -> Vec<(f64, f64)> {
    if data.inputs() < 2 {
        return Vec::new();
    }
    let stride = data.len().div_ceil(max.max(1)).max(1);
    (0..data.len()).step_by(stride).map(|i| (data.raw_x[[i, 0]], data.raw_x[[i, 1]])).collect()
}

/// Where unit `unit` of the first hidden layer switches on or off, inside the square.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KinkLine {
    pub unit: usize,
    pub from: (f64, f64),
    pub to: (f64, f64),
}

/// The kinks of a two-input network's first layer: unit j is off on one side of the line
/// w₁ⱼ·u₁ + w₂ⱼ·u₂ + bⱼ = 0 (u the normalised inputs) and on the other, so a relu network's
/// surface bends along it. In user units, u = (x − o)/s makes it a₁x₁ + a₂x₂ + c = 0 with
/// aᵢ = wᵢⱼ/sᵢ and c = bⱼ − Σ wᵢⱼ·oᵢ/sᵢ. Each line is clipped to [lo, hi]²; units whose line
/// misses the square are left out. `None` unless the network has two inputs and a first
/// hidden layer of relu or leaky relu (smooth activations bend everywhere, linear nowhere).
pub fn first_layer_kinks(network: &Network, scaling: &Scaling, lo: f64, hi: f64) -> Option<Vec<KinkLine>> {
    let first = network.layers.first()?;
    let kinked = matches!(first.activation, Activation::Relu | Activation::LeakyRelu);
    if network.inputs() != 2 || network.layers.len() < 2 || !kinked {
        return None;
    }
    let lines = (0..first.units()).filter_map(|unit| {
        let w = [first.weights[[0, unit]] as f64, first.weights[[1, unit]] as f64];
        let a = [w[0] / scaling.x_scale[0], w[1] / scaling.x_scale[1]];
        let c = first.bias[unit] as f64 - a[0] * scaling.x_offset[0] - a[1] * scaling.x_offset[1];
        let (from, to) = clip_line(a, c, lo, hi)?;
        Some(KinkLine { unit, from, to })
    });
    Some(lines.collect())
}

/// The part of the line a₁x₁ + a₂x₂ + c = 0 inside [lo, hi]², if any. Parametrised as
/// p(t) = p₀ + t·d with p₀ its point nearest the origin and d = (a₂, −a₁) along it, then
/// clipped on each axis (Liang–Barsky).
pub fn clip_line(a: [f64; 2], c: f64, lo: f64, hi: f64) -> Option<Segment> {
    let norm = a[0] * a[0] + a[1] * a[1];
    if !(norm > 0.0 && norm.is_finite() && c.is_finite() && lo < hi) {
        return None;
    }
    let p0 = [-c * a[0] / norm, -c * a[1] / norm];
    let d = [a[1], -a[0]];
    let (mut t0, mut t1) = (f64::NEG_INFINITY, f64::INFINITY);
    for k in 0..2 {
        if d[k] == 0.0 {
            if !(lo..=hi).contains(&p0[k]) {
                return None;
            }
        } else {
            let (ta, tb) = ((lo - p0[k]) / d[k], (hi - p0[k]) / d[k]);
            t0 = t0.max(ta.min(tb));
            t1 = t1.min(ta.max(tb));
        }
    }
    let at = |t: f64| (p0[0] + t * d[0], p0[1] + t * d[1]);
    (t0 < t1).then(|| (at(t0), at(t1)))
}

/// The heatmaps as CSV, one row per cell: `x1,x2,target,<run>…` with each run's prediction
/// (the download for two-input tasks, as the 1-D chart's CSV is one row per x). Labels are
/// quoted, with `"` doubled; runs shorter than the grid leave their cells empty.
pub fn grid_csv(grid: SurfaceGrid, target: &[f64], runs: &[(&str, &[f64])]) -> String {
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let mut header = vec![quote("x1"), quote("x2"), quote("target")];
    header.extend(runs.iter().map(|(label, _)| quote(label)));
    let mut out = header.join(",");
    out.push('\n');
    let cell = |values: &[f64], i: usize| values.get(i).map_or(String::new(), |v| v.to_string());
    for i in 0..grid.cells() {
        let [x1, x2] = grid.point(i);
        let mut row = vec![x1.to_string(), x2.to_string(), cell(target, i)];
        row.extend(runs.iter().map(|(_, values)| cell(values, i)));
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}
