//! What the charts plot, in the user's units. One-input tasks are drawn over x; tasks with
//! several inputs along the diagonal x₁ = … = xₙ = x, where the sum is n·x and the product x².

use crate::data::Dataset;
use crate::network::Network;
use crate::target::Target;
use ndarray::Array2;

/// `points` evenly spaced x in [x_min, x_max] (at least two).
pub fn grid(x_min: f64, x_max: f64, points: usize) -> Vec<f64> {
    let points = points.max(2);
    (0..points).map(|i| x_min + (x_max - x_min) * i as f64 / (points - 1) as f64).collect()
}

/// The network's prediction along the grid, de-normalised (unrounded).
pub fn prediction(network: &Network, data: &Dataset, xs: &[f64]) -> Vec<(f64, f64)> {
    let k = network.inputs();
    let mut inputs = Array2::<f32>::zeros((xs.len(), k));
    for (&x, mut row) in xs.iter().zip(inputs.rows_mut()) {
        data.scaling.normalize_x(&vec![x; k], row.as_slice_mut().expect("standard layout"));
    }
    let out = network.predict(inputs.view());
    xs.iter().zip(out.column(0)).map(|(&x, &y)| (x, data.scaling.denormalize_y(y))).collect()
}

/// The true function along the grid.
pub fn target(target: Target, xs: &[f64]) -> Vec<(f64, f64)> {
    let inputs = target.inputs();
    xs.iter().map(|&x| (x, target.eval(&vec![x; inputs]))).collect()
}

/// Up to `max` training points as (mean of the inputs, target), evenly strided through the
/// data so the subsample is deterministic and spread like the data.
pub fn training_points(data: &Dataset, max: usize) -> Vec<(f64, f64)> {
    let stride = data.len().div_ceil(max.max(1)).max(1);
    let k = data.inputs() as f64;
    (0..data.len()).step_by(stride).map(|i| (data.raw_x.row(i).sum() / k, data.raw_y[i])).collect()
}

/// RMSE between the network and the target on `points` grid x in [from, to] (user units):
/// with `from`/`to` inside the data range it measures the fit, beyond it extrapolation.
pub fn rmse_between(network: &Network, data: &Dataset, target: Target, from: f64, to: f64, points: usize) -> f64 {
    let xs = grid(from, to, points);
    let predicted = prediction(network, data, &xs);
    let inputs = network.inputs();
    let sse: f64 = predicted.iter().map(|&(x, y)| (target.eval(&vec![x; inputs]) - y).powi(2)).sum();
    (sse / xs.len() as f64).sqrt()
}

/// Every hidden unit's output along the grid, layer by layer: `result[layer]` is
/// points × units. Layers wider than `max_units` are left out (empty), to keep it cheap.
pub fn hidden_unit_outputs(network: &Network, data: &Dataset, xs: &[f64], max_units: usize) -> Vec<Array2<f32>> {
    let k = network.inputs();
    let mut a = Array2::<f32>::zeros((xs.len(), k));
    for (&x, mut row) in xs.iter().zip(a.rows_mut()) {
        data.scaling.normalize_x(&vec![x; k], row.as_slice_mut().expect("standard layout"));
    }
    let hidden = &network.layers[..network.layers.len() - 1];
    let mut outputs = Vec::with_capacity(hidden.len());
    for layer in hidden {
        let z = a.dot(&layer.weights) + &layer.bias;
        a = z.mapv(|v| layer.activation.apply(v));
        outputs.push(if layer.units() <= max_units { a.clone() } else { Array2::zeros((0, 0)) });
    }
    outputs
}
