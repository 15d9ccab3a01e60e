//! Where a one-input network bends. With relu-like activations (relu, leaky relu) and
//! linear ones, the network is piecewise linear in x; each kink is an x where some hidden
//! unit's pre-activation crosses zero. We find them exactly, layer by layer: on every piece
//! where a layer's input is affine in x, each unit's pre-activation is affine too, and has
//! at most one zero.

use crate::activation::Activation;
use crate::data::Scaling;
use crate::network::Network;

/// Pieces are never split further past this count (a guard for very wide networks).
pub const MAX_PIECES: usize = 4096;

/// One kink: where unit `unit` of hidden layer `layer` switches on or off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Breakpoint {
    /// In the user's units.
    pub x: f64,
    pub layer: usize,
    pub unit: usize,
}

/// The kinks of a one-input network inside [x_min, x_max] (user units), sorted by x, and
/// the number of linear pieces they cut that range into.
#[derive(Clone, Debug, PartialEq)]
pub struct Pieces {
    pub breakpoints: Vec<Breakpoint>,
    pub pieces: usize,
}

/// `None` when the network has several inputs or a smooth activation (tanh, elu, …),
/// which bends everywhere rather than at kinks.
pub fn breakpoints(network: &Network, scaling: &Scaling, x_min: f64, x_max: f64) -> Option<Pieces> {
    let piecewise = |a: Activation| matches!(a, Activation::Linear | Activation::Relu | Activation::LeakyRelu);
    if network.inputs() != 1 || !network.layers.iter().all(|l| piecewise(l.activation)) || x_min >= x_max {
        return None;
    }
    // Work in normalised input u; x = u · scale + offset.
    let to_u = |x: f64| (x - scaling.x_offset[0]) / scaling.x_scale[0];
    let to_x = |u: f64| u * scaling.x_scale[0] + scaling.x_offset[0];
    // Each piece [start, end) carries the layer input as slope·u + intercept per unit.
    let mut pieces = vec![Piece { start: to_u(x_min), end: to_u(x_max), slope: vec![1.0], intercept: vec![0.0] }];
    let mut found = Vec::new();
    let hidden = &network.layers[..network.layers.len() - 1];
    for (l, layer) in hidden.iter().enumerate() {
        let mut next = Vec::with_capacity(pieces.len());
        for piece in &pieces {
            // Pre-activation on this piece: z_j(u) = Σ_i (slope_i u + intercept_i) W_ij + b_j.
            let units = layer.units();
            let mut zs = vec![0.0; units];
            let mut zi = vec![0.0; units];
            for j in 0..units {
                zi[j] = layer.bias[j] as f64;
                for i in 0..layer.fan_in() {
                    let w = layer.weights[[i, j]] as f64;
                    zs[j] += piece.slope[i] * w;
                    zi[j] += piece.intercept[i] * w;
                }
            }
            let mut cuts: Vec<(f64, usize)> = Vec::new();
            if !layer.activation.is_linear() {
                for j in 0..units {
                    if zs[j] != 0.0 {
                        let u = -zi[j] / zs[j];
                        if u > piece.start && u < piece.end {
                            cuts.push((u, j));
                        }
                    }
                }
            }
            cuts.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut start = piece.start;
            for end in cuts.iter().map(|c| c.0).chain([piece.end]) {
                if end > start {
                    next.push(apply(layer.activation, start, end, &zs, &zi));
                }
                start = end;
            }
            found.extend(cuts.iter().map(|&(u, unit)| Breakpoint { x: to_x(u), layer: l, unit }));
            if next.len() > MAX_PIECES {
                return None;
            }
        }
        pieces = next;
    }
    found.sort_by(|a, b| a.x.total_cmp(&b.x));
    let count = merged_piece_count(network, &pieces);
    Some(Pieces { breakpoints: found, pieces: count })
}

/// A sub-interval of u on which a layer's input is affine in u.
struct Piece {
    start: f64,
    end: f64,
    slope: Vec<f64>,
    intercept: Vec<f64>,
}

/// The layer's output on [start, end): the activation is linear there, chosen at the midpoint.
fn apply(activation: Activation, start: f64, end: f64, zs: &[f64], zi: &[f64]) -> Piece {
    let mid = 0.5 * (start + end);
    let gains: Vec<f64> = zs.iter().zip(zi).map(|(s, i)| activation.derivative((s * mid + i) as f32) as f64).collect();
    Piece {
        start,
        end,
        slope: zs.iter().zip(&gains).map(|(s, g)| s * g).collect(),
        intercept: zi.iter().zip(&gains).map(|(i, g)| i * g).collect(),
    }
}

/// Pieces on which the *output* has a different slope: a kink in a unit that the next
/// layers ignore does not bend the curve, so adjacent pieces with the same output slope
/// count once.
fn merged_piece_count(network: &Network, pieces: &[Piece]) -> usize {
    let out = network.layers.last().expect("an output layer");
    let slopes: Vec<f64> =
        pieces.iter().map(|p| p.slope.iter().enumerate().map(|(i, s)| s * out.weights[[i, 0]] as f64).sum()).collect();
    let scale = slopes.iter().fold(0.0f64, |m, s| m.max(s.abs())).max(f64::MIN_POSITIVE);
    1 + slopes.windows(2).filter(|w| (w[0] - w[1]).abs() > 1e-6 * scale).count()
}

/// Relu units, as (layer, unit), that are off for every training input: dead units pass
/// no gradient, so they never come back, and never bend the curve.
pub fn dead_units(network: &Network, inputs: &ndarray::Array2<f32>) -> Vec<(usize, usize)> {
    let mut dead = Vec::new();
    let mut a = inputs.to_owned();
    for (l, layer) in network.layers[..network.layers.len() - 1].iter().enumerate() {
        let z = a.dot(&layer.weights) + &layer.bias;
        if layer.activation == Activation::Relu {
            dead.extend((0..layer.units()).filter(|&j| z.column(j).iter().all(|&v| v <= 0.0)).map(|j| (l, j)));
        }
        a = z.mapv(|v| layer.activation.apply(v));
    }
    dead
}
