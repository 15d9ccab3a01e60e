//! What the charts plot, in the user's units. One-input tasks are drawn over x; tasks with
//! several inputs along the diagonal x₁ = … = xₙ = x, where the sum is n·x and the product x².
//! (The network's own curve is made by `snapshot`, through reusable buffers; other lines
//! through input space by `slice`.)

use crate::data::Dataset;
use crate::target::Target;

/// `points` evenly spaced x in [x_min, x_max] (at least two).
pub fn grid(x_min: f64, x_max: f64, points: usize) -> Vec<f64> {
    let points = points.max(2);
    (0..points).map(|i| x_min + (x_max - x_min) * i as f64 / (points - 1) as f64).collect()
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
