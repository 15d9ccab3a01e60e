//! One `Dense(units, activation)` layer, Keras-faithful: Glorot-uniform kernel, zero bias.
//!
//! Shapes (m = rows in the batch): input x is m × fan_in, kernel W is fan_in × units,
//! bias b is units, pre-activation z = x·W + b and output a = act(z) are m × units.

use crate::activation::Activation;
use crate::gemm::gemm;
use ndarray::{Array1, Array2, ArrayView2, ArrayViewMut2};
use rand::Rng;

/// Runs `$body` with `$act` bound to a constant variant: one match per matrix instead of one
/// per element, so each element-wise loop is specialised and vectorises (relu's `max`,
/// linear's copy).
macro_rules! specialised {
    ($activation:expr, |$act:ident| $body:expr) => {
        specialised!(@each $activation, $act, $body, Linear Relu LeakyRelu Elu Tanh Sigmoid Softplus Swish)
    };
    (@each $activation:expr, $act:ident, $body:expr, $($variant:ident)*) => {
        match $activation {
            $(Activation::$variant => {
                let $act = Activation::$variant;
                $body
            })*
        }
    };
}

/// The buffers a layer writes element by element are row-major (the workspace's, `predict`'s).
const ROW_MAJOR: &str = "Dense works on row-major (standard layout) buffers";

#[derive(Clone, Debug, PartialEq)]
pub struct Dense {
    /// fan_in × units, as Keras stores `kernel`.
    pub weights: Array2<f32>,
    pub bias: Array1<f32>,
    pub activation: Activation,
}

/// Glorot (Xavier) uniform limit: sqrt(6 / (fan_in + fan_out)).
pub fn glorot_limit(fan_in: usize, fan_out: usize) -> f32 {
    (6.0 / (fan_in + fan_out) as f32).sqrt()
}

impl Dense {
    /// `kernel_initializer='glorot_uniform'`: W ~ U(−limit, limit), drawn row-major;
    /// `bias_initializer='zeros'`.
    pub fn glorot_uniform<R: Rng>(fan_in: usize, units: usize, activation: Activation, rng: &mut R) -> Dense {
        let limit = glorot_limit(fan_in, units);
        let weights = Array2::from_shape_fn((fan_in, units), |_| limit * (2.0 * rng.random::<f32>() - 1.0));
        Dense { weights, bias: Array1::zeros(units), activation }
    }

    pub fn fan_in(&self) -> usize {
        self.weights.nrows()
    }

    pub fn units(&self) -> usize {
        self.weights.ncols()
    }

    /// z = x·W + b, a = act(z), written into caller-owned row-major buffers (no allocation).
    /// Bias and activation share one pass over plain slices, which vectorises (a broadcast
    /// `z += b`, then a `Zip`, took a quarter of a small network's step in Chromium).
    pub fn forward(&self, x: ArrayView2<f32>, mut z: ArrayViewMut2<f32>, mut a: ArrayViewMut2<f32>) {
        gemm(1.0, &x, &self.weights, 0.0, &mut z);
        let units = self.units();
        let bias = self.bias.as_slice().expect(ROW_MAJOR);
        let (z, a) = (z.as_slice_mut().expect(ROW_MAJOR), a.as_slice_mut().expect(ROW_MAJOR));
        specialised!(self.activation, |act| {
            for (z, a) in z.chunks_exact_mut(units).zip(a.chunks_exact_mut(units)) {
                for ((z, a), &b) in z.iter_mut().zip(a).zip(bias) {
                    *z += b;
                    *a = act.apply(*z);
                }
            }
        });
    }

    /// Inference only: a = act(x·W + b) written straight into row-major `a` (no pre-activation
    /// kept); bias and activation in one pass over a plain slice, as in `forward`.
    pub fn infer(&self, x: ArrayView2<f32>, mut a: ArrayViewMut2<f32>) {
        gemm(1.0, &x, &self.weights, 0.0, &mut a);
        let bias = self.bias.as_slice().expect(ROW_MAJOR);
        let a = a.as_slice_mut().expect(ROW_MAJOR);
        specialised!(self.activation, |act| {
            for row in a.chunks_exact_mut(self.units()) {
                for (a, &b) in row.iter_mut().zip(bias) {
                    *a = act.apply(*a + b);
                }
            }
        });
    }

    /// Backpropagation, first step: δ ← δ ⊙ act'(z), ∂L/∂a becomes ∂L/∂z in place (`z` and
    /// `delta` row-major, as the workspace's are). Row by row: any rows, in any split.
    pub fn delta_through_activation(&self, z: ArrayView2<f32>, mut delta: ArrayViewMut2<f32>) {
        if !self.activation.is_linear() {
            let (delta, z) = (delta.as_slice_mut().expect(ROW_MAJOR), z.as_slice().expect(ROW_MAJOR));
            specialised!(self.activation, |act| delta.iter_mut().zip(z).for_each(|(d, &z)| *d *= act.derivative(z)));
        }
    }

    /// ∂L/∂x = ∂L/∂z · Wᵀ, row by row.
    pub fn input_gradient(&self, delta: ArrayView2<f32>, mut dx: ArrayViewMut2<f32>) {
        gemm(1.0, &delta, &self.weights.t(), 0.0, &mut dx);
    }

    /// The weight and bias gradients of one block of rows: ∂L/∂W = xᵀ·∂L/∂z and
    /// ∂L/∂b = Σ_rows ∂L/∂z, written into the gradients (`add` false) or added to them.
    /// The block's rows are summed in order into `row_sum` before it is added, so a batch's
    /// gradient summed block by block is the same whoever computed which block.
    pub fn block_gradients(
        &self,
        x: ArrayView2<f32>,
        delta: ArrayView2<f32>,
        add: bool,
        grad_weights: &mut Array2<f32>,
        grad_bias: &mut Array1<f32>,
        row_sum: &mut [f32],
    ) {
        gemm(1.0, &x.t(), &delta, if add { 1.0 } else { 0.0 }, grad_weights);
        let row_sum = &mut row_sum[..self.units()];
        row_sum.fill(0.0);
        for row in delta.as_slice().expect(ROW_MAJOR).chunks_exact(self.units()) {
            row_sum.iter_mut().zip(row).for_each(|(s, &d)| *s += d);
        }
        let grad_bias = grad_bias.as_slice_mut().expect(ROW_MAJOR);
        if add {
            grad_bias.iter_mut().zip(&*row_sum).for_each(|(g, &s)| *g += s);
        } else {
            grad_bias.copy_from_slice(row_sum);
        }
    }
}
