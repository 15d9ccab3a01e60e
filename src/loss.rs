//! Mean squared error, as Keras' `loss='mean_squared_error'`: the true mean over the batch
//! (not half of it), so our loss numbers are the ones `model.evaluate` prints.

use ndarray::{ArrayView2, ArrayViewMut2, Zip};

/// Σ (ŷ − y)² over rows of one output, in f64 and in row order.
pub fn squared_errors(prediction: ArrayView2<f32>, target: ArrayView2<f32>) -> f64 {
    Zip::from(&prediction).and(&target).fold(0.0, |acc, &p, &t| acc + ((p - t) as f64).powi(2))
}

/// L = (1/m) Σ (ŷ − y)² over m rows of one output.
pub fn mse(prediction: ArrayView2<f32>, target: ArrayView2<f32>) -> f32 {
    (squared_errors(prediction, target) / prediction.len().max(1) as f64) as f32
}

/// ∂L/∂ŷ = 2 (ŷ − y) / m for these rows of a batch of `batch_rows` = m, written into
/// `gradient` (a part of the batch gets the whole batch's scale).
pub fn mse_gradient(
    prediction: ArrayView2<f32>,
    target: ArrayView2<f32>,
    batch_rows: usize,
    mut gradient: ArrayViewMut2<f32>,
) {
    let scale = 2.0 / batch_rows.max(1) as f32;
    Zip::from(&mut gradient).and(&prediction).and(&target).for_each(|g, &p, &t| *g = scale * (p - t));
}
