//! Where a one-input network bends. With relu-like activations (relu, leaky relu) and
//! linear ones, the network is piecewise linear in x; each kink is an x where some hidden
//! unit's pre-activation crosses zero. We find them exactly, layer by layer: on every piece
//! where a layer's input is affine in x, each unit's pre-activation is affine too, and has
//! at most one zero.
//!
//! How the work stays bounded:
//! - The pieces are walked depth first, left to right, with one piece per layer held at a
//!   time: kinks come out sorted, and `KinkTracer` allocates its buffers once.
//! - Between two neighbouring sub-pieces only the unit that switched changes, so the next
//!   layer's pre-activations are updated by one row of its weights (a rank-1 update)
//!   rather than recomputed: a kink costs about the width of the layer after it.
//! - The walk is resumable: `KinkTracer::advance` does at most a given number of
//!   multiply-adds and returns, so a worker can answer messages between slices; and a
//!   whole trace is bounded by `WORK_BUDGET` and `MAX_KINKS`, beyond which the network is
//!   reported as too large to trace rather than traced for seconds.

use crate::activation::Activation;
use crate::data::Scaling;
use crate::network::Network;
use ndarray::{Array2, ArrayView2};

/// Multiply-adds one whole trace may take (a fraction of a second in wasm, in slices).
pub const WORK_BUDGET: u64 = 64_000_000;
/// Kinks one trace may list; more than this and the network is reported too large.
pub const MAX_KINKS: usize = 4096;

/// One kink: where unit `unit` of hidden layer `layer` switches on or off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Breakpoint {
    /// In the user's units.
    pub x: f64,
    pub layer: usize,
    pub unit: usize,
}

/// What tracing found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Traced {
    /// `Kinks::breakpoints` and `Kinks::pieces` hold the answer.
    Exactly,
    /// Several inputs, or a smooth activation (tanh, elu, …) that bends everywhere rather
    /// than at kinks.
    NotPiecewiseLinear,
    /// Tracing would take more than `WORK_BUDGET` multiply-adds or list more than
    /// `MAX_KINKS` kinks: stopped, nothing reported.
    TooLarge,
}

/// The kinks of a one-input network over the traced range, sorted by x, and the number of
/// straight pieces the curve has over the data.
#[derive(Clone, Debug, PartialEq)]
pub struct Kinks {
    pub traced: Traced,
    pub breakpoints: Vec<Breakpoint>,
    /// Pieces of the *output* over the data range: adjacent pieces with the same slope (a
    /// kink that later layers ignore) count once. 0 unless `traced` is `Exactly`.
    pub pieces: usize,
}

impl Kinks {
    /// Room for the most kinks a trace may list, so that tracing into it never allocates.
    pub fn with_capacity() -> Kinks {
        Kinks { traced: Traced::NotPiecewiseLinear, breakpoints: Vec::with_capacity(MAX_KINKS), pieces: 0 }
    }
}

/// A sub-interval [start, end) of the normalised input u with the output's slope on it.
#[derive(Clone, Copy, Debug)]
struct Leaf {
    start: f64,
    end: f64,
    slope: f64,
}

/// Where the walk is in one hidden layer: the piece it is on, its cuts, and which of the
/// sub-pieces between them comes next.
#[derive(Clone, Debug, Default)]
struct Frame {
    /// The pre-activation on the current piece, per unit, as slope·u + intercept.
    z_slope: Vec<f64>,
    z_intercept: Vec<f64>,
    /// The layer's output on the current sub-piece, affine in u.
    a_slope: Vec<f64>,
    a_intercept: Vec<f64>,
    /// Where its units switch inside the current piece, (u, unit), sorted.
    cuts: Vec<(f64, usize)>,
    /// The current sub-piece: the one between cut `next − 1` and cut `next`.
    next: usize,
    from: f64,
    end: f64,
    /// The next layer is being walked on the current sub-piece.
    inside: bool,
    /// `z_*` were made from this layer's input as it is now (so neighbouring sub-pieces
    /// of the previous layer may update them by rank 1).
    fresh: bool,
}

/// Buffers and the resumable state of tracing one network.
#[derive(Clone, Debug)]
pub struct KinkTracer {
    frames: Vec<Frame>,
    /// Hidden layers currently entered, outermost first (a stack of layer indices).
    depth: usize,
    leaves: Vec<Leaf>,
    /// Breakpoints in normalised u, in order.
    found: Vec<Breakpoint>,
    work: u64,
    over: bool,
    /// The data's range in u, for counting pieces.
    data_range: (f64, f64),
    scaling: (f64, f64),
}

impl KinkTracer {
    pub fn new(network: &Network) -> KinkTracer {
        let hidden = &network.layers[..network.layers.len() - 1];
        let frames = hidden
            .iter()
            .map(|l| {
                let units = l.units();
                Frame {
                    z_slope: vec![0.0; units],
                    z_intercept: vec![0.0; units],
                    a_slope: vec![0.0; units],
                    a_intercept: vec![0.0; units],
                    cuts: Vec::with_capacity(units),
                    ..Frame::default()
                }
            })
            .collect();
        KinkTracer {
            frames,
            depth: 0,
            leaves: Vec::with_capacity(MAX_KINKS + 1),
            found: Vec::with_capacity(MAX_KINKS),
            work: 0,
            over: false,
            data_range: (0.0, 0.0),
            scaling: (1.0, 0.0),
        }
    }

    /// Starts tracing `network` over x in [x_min, x_max] (user units); the pieces will be
    /// counted over [data_min, data_max]. Returns false when the network is not piecewise
    /// linear in one input (nothing to trace).
    pub fn begin(
        &mut self,
        network: &Network,
        scaling: &Scaling,
        (x_min, x_max): (f64, f64),
        (data_min, data_max): (f64, f64),
    ) -> bool {
        let piecewise = |a: Activation| matches!(a, Activation::Linear | Activation::Relu | Activation::LeakyRelu);
        self.leaves.clear();
        self.found.clear();
        self.work = 0;
        self.over = false;
        self.depth = 0;
        if network.inputs() != 1 || !network.layers.iter().all(|l| piecewise(l.activation)) {
            return false;
        }
        // Work in normalised input u; x = u · scale + offset.
        let (scale, offset) = (scaling.x_scale[0], scaling.x_offset[0]);
        self.scaling = (scale, offset);
        let to_u = |x: f64| (x - offset) / scale;
        self.data_range = (to_u(data_min), to_u(data_max));
        let (start, end) = (to_u(x_min), to_u(x_max));
        if start < end {
            if self.frames.is_empty() {
                // No hidden layer: the output layer alone, one straight line.
                self.leaves.push(Leaf { start, end, slope: network.layers[0].weights[[0, 0]] as f64 });
            } else {
                self.frames.iter_mut().for_each(|f| f.fresh = false);
                self.enter(network, 0, start, end);
            }
        }
        true
    }

    /// Walks on for at most about `max_work` multiply-adds; true when the trace is done
    /// (finished or stopped as too large).
    pub fn advance(&mut self, network: &Network, max_work: u64) -> bool {
        let stop_at = self.work.saturating_add(max_work.max(1));
        while self.depth > 0 {
            // Checked before every step, each of which adds at most one kink or one leaf: the
            // buffers' capacity is never exceeded.
            if self.work > WORK_BUDGET || self.found.len() >= MAX_KINKS || self.leaves.len() > MAX_KINKS {
                self.over = true;
                self.depth = 0;
                break;
            }
            if self.work >= stop_at {
                return false;
            }
            self.walk(network);
        }
        true
    }

    /// The result of a finished trace, in the user's units.
    pub fn result(&self, out: &mut Kinks) {
        out.breakpoints.clear();
        out.pieces = 0;
        if self.over {
            out.traced = Traced::TooLarge;
            return;
        }
        out.traced = Traced::Exactly;
        let (scale, offset) = self.scaling;
        out.breakpoints.extend(self.found.iter().map(|b| Breakpoint { x: b.x * scale + offset, ..*b }));
        out.pieces = self.pieces_in_data();
    }

    /// Layer `l`'s input is affine in u on [start, end) (u itself for l = 0, else layer
    /// l − 1's current output): find where its units switch on that piece.
    fn enter(&mut self, network: &Network, l: usize, start: f64, end: f64) {
        let layer = &network.layers[l];
        let (before, from_l) = self.frames.split_at_mut(l);
        let frame = &mut from_l[0];
        if !frame.fresh {
            // z_j(u) = Σ_i (slope_i u + intercept_i) W_ij + b_j.
            frame.z_slope.fill(0.0);
            frame.z_intercept.iter_mut().zip(&layer.bias).for_each(|(z, &b)| *z = b as f64);
            for i in 0..layer.fan_in() {
                let (s, c) = before.last().map_or((1.0, 0.0), |p| (p.a_slope[i], p.a_intercept[i]));
                let (zs, zi) = (&mut frame.z_slope, &mut frame.z_intercept);
                for ((zs, zi), &w) in zs.iter_mut().zip(zi.iter_mut()).zip(layer.weights.row(i)) {
                    *zs += s * w as f64;
                    *zi += c * w as f64;
                }
            }
            self.work += (layer.fan_in() * layer.units()) as u64;
            frame.fresh = true;
        }
        frame.cuts.clear();
        if !layer.activation.is_linear() {
            for (j, (&zs, &zi)) in frame.z_slope.iter().zip(&frame.z_intercept).enumerate() {
                if zs != 0.0 {
                    let u = -zi / zs;
                    if u > start && u < end {
                        frame.cuts.push((u, j));
                    }
                }
            }
            // Unstable sort: no scratch allocation.
            frame.cuts.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        }
        self.work += layer.units() as u64;
        (frame.next, frame.from, frame.end, frame.inside) = (0, start, end, false);
        // A new piece here changes this layer's output everywhere: the next layer must
        // recompute its pre-activations from scratch.
        if let Some(next) = from_l.get_mut(1) {
            next.fresh = false;
        }
        self.depth = l + 1;
    }

    /// One step of the walk in the deepest entered layer.
    fn walk(&mut self, network: &Network) {
        let l = self.depth - 1;
        let hidden = self.frames.len();
        let frame = &self.frames[l];
        if frame.inside {
            // Back from the next layer: this sub-piece is done.
            self.close_subpiece(l);
            return;
        }
        if frame.next > frame.cuts.len() {
            // Every sub-piece of this piece is done: back to the layer above.
            self.depth = l;
            return;
        }
        let to = frame.cuts.get(frame.next).map_or(frame.end, |c| c.0);
        let from = frame.from;
        if to <= from {
            self.close_subpiece(l);
            return;
        }
        self.activate(network, l, 0.5 * (from + to));
        if l + 1 == hidden {
            self.leaf(network, from, to);
            self.close_subpiece(l);
        } else {
            self.frames[l].inside = true;
            self.enter(network, l + 1, from, to);
        }
    }

    /// The current sub-piece of layer l is done: record the kink that ends it, move on.
    fn close_subpiece(&mut self, l: usize) {
        let frame = &mut self.frames[l];
        frame.inside = false;
        if let Some(&(u, unit)) = frame.cuts.get(frame.next) {
            self.found.push(Breakpoint { x: u, layer: l, unit });
            frame.from = u;
        }
        frame.next += 1;
    }

    /// Layer l's output on a sub-piece where none of its units switches: the activation is
    /// linear there, with the gain it has at the midpoint. Units whose output changed since
    /// the previous sub-piece update the next layer's pre-activations by one weight row.
    fn activate(&mut self, network: &Network, l: usize, mid: f64) {
        let activation = network.layers[l].activation;
        let (this, after) = self.frames.split_at_mut(l + 1);
        let frame = &mut this[l];
        let mut next = after.first_mut().filter(|n| n.fresh);
        let weights = network.layers.get(l + 1).map(|n| &n.weights);
        let units = frame.z_slope.len();
        for j in 0..units {
            let (zs, zi) = (frame.z_slope[j], frame.z_intercept[j]);
            let gain = activation.derivative((zs * mid + zi) as f32) as f64;
            let (slope, intercept) = (zs * gain, zi * gain);
            if let (Some(next), Some(w)) = (next.as_deref_mut(), weights) {
                let (ds, dc) = (slope - frame.a_slope[j], intercept - frame.a_intercept[j]);
                if ds != 0.0 || dc != 0.0 {
                    for ((zs, zi), &w) in next.z_slope.iter_mut().zip(next.z_intercept.iter_mut()).zip(w.row(j)) {
                        *zs += ds * w as f64;
                        *zi += dc * w as f64;
                    }
                    self.work += next.z_slope.len() as u64;
                }
            }
            frame.a_slope[j] = slope;
            frame.a_intercept[j] = intercept;
        }
        self.work += units as u64;
    }

    /// A piece on which the whole network is one straight line: record its output slope.
    fn leaf(&mut self, network: &Network, start: f64, end: f64) {
        let out = network.layers.last().expect("an output layer");
        let a = &self.frames[self.frames.len() - 1].a_slope;
        let slope = a.iter().zip(out.weights.column(0)).map(|(s, &w)| s * w as f64).sum();
        self.work += a.len() as u64;
        self.leaves.push(Leaf { start, end, slope });
    }

    /// Straight pieces of the output over the data range: a change of slope between
    /// adjacent leaves inside it starts a new piece.
    fn pieces_in_data(&self) -> usize {
        let (lo, hi) = self.data_range;
        let inside = || self.leaves.iter().filter(|leaf| leaf.end > lo && leaf.start < hi);
        let scale = inside().fold(0.0f64, |m, leaf| m.max(leaf.slope.abs())).max(f64::MIN_POSITIVE);
        let mut pieces = 0;
        let mut previous: Option<f64> = None;
        for leaf in inside() {
            if previous.is_none_or(|p| (p - leaf.slope).abs() > 1e-6 * scale) {
                pieces += 1;
            }
            previous = Some(leaf.slope);
        }
        pieces.max(1)
    }
}

/// The kinks of a one-input network inside [x_min, x_max] (user units), sorted by x, and
/// the straight pieces over that same range, traced in one go (allocates a tracer: for
/// tests and one-offs).
pub fn breakpoints(network: &Network, scaling: &Scaling, x_min: f64, x_max: f64) -> Kinks {
    let mut kinks = Kinks::with_capacity();
    let mut tracer = KinkTracer::new(network);
    if tracer.begin(network, scaling, (x_min, x_max), (x_min, x_max)) {
        tracer.advance(network, u64::MAX);
        tracer.result(&mut kinks);
    }
    kinks
}

/// Relu units, as (layer, unit), that are off for every training input: dead units pass
/// no gradient, so they never come back, and never bend the curve. (Allocates; the
/// snapshot counts them in its own forward pass with `mark_alive`.)
pub fn dead_units(network: &Network, inputs: &Array2<f32>) -> Vec<(usize, usize)> {
    let mut alive: Vec<Vec<bool>> = network.layers.iter().map(|l| vec![false; l.units()]).collect();
    let mut buffers = crate::network::Inference::new(network, inputs.nrows());
    network.infer(inputs.view(), &mut buffers, |l, a| mark_alive(&mut alive[l], a));
    let hidden = network.layers.len() - 1;
    let relu = |l: &usize| network.layers[*l].activation == Activation::Relu;
    let dead_in = |l: usize| alive[l].iter().enumerate().filter(|(_, on)| !**on).map(move |(j, _)| (l, j));
    (0..hidden).filter(relu).flat_map(dead_in).collect()
}

/// Marks the units (columns of `a`) that output something positive on some row.
pub fn mark_alive(alive: &mut [bool], a: ArrayView2<f32>) {
    for row in a.rows() {
        for (on, &v) in alive.iter_mut().zip(row) {
            *on |= v > 0.0;
        }
    }
}
