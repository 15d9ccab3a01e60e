//! One `Dense(units, activation)` layer, Keras-faithful: Glorot-uniform kernel, zero bias.
//!
//! Shapes (m = rows in the batch): input x is m × fan_in, kernel W is fan_in × units,
//! bias b is units, pre-activation z = x·W + b and output a = act(z) are m × units.

use crate::activation::Activation;
use crate::gemm::gemm_block_sums;
use crate::parallel::{self, SharedOutput, SharedSlice};
use ndarray::{s, Array1, Array2, ArrayView2, ArrayViewMut2};
use rand::Rng;
use std::ops::Range;

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

/// An element of δ ⊙ act'(z) costs about as much as this many multiply-adds of a matrix
/// product (two loads, a derivative, a store: memory-bound, where a product runs from
/// registers), for `parallel::parts_for`: the 1000-wide layer's 100k elements are then
/// shared rather than leaving the helpers idle (and asleep) while one thread does them.
const DERIVATIVE_WORK: usize = 10;

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
    /// `z += b`, then a `Zip`, took a quarter of a small network's step in Chromium). Shared
    /// between the pool's threads as `parallel::product` shares it.
    ///
    /// Where backpropagation reads the output instead (linear and relu layers, see
    /// `Activation::derivative_reads_output`), only a is written and z is left alone: on
    /// two threads writing z cost the question's 1000-wide layer a quarter of its forward
    /// pass.
    pub fn forward(&self, x: ArrayView2<f32>, mut z: ArrayViewMut2<f32>, mut a: ArrayViewMut2<f32>) {
        if self.activation.derivative_reads_output() {
            return self.infer(x, a);
        }
        let (z, a) = (SharedOutput::new(&mut z), SharedOutput::new(&mut a));
        parallel::product(x, self.weights.view(), z, |rows, cols| {
            // SAFETY: `product` hands each block of the output to one call, and z and a
            // outlive it.
            let (mut z, mut a) = unsafe { (z.block(rows.clone(), cols.clone()), a.block(rows, cols.clone())) };
            let bias = &self.bias.as_slice().expect(ROW_MAJOR)[cols];
            specialised!(self.activation, |act| {
                for (mut z, mut a) in z.rows_mut().into_iter().zip(a.rows_mut()) {
                    let (z, a) = (z.as_slice_mut().expect(ROW_MAJOR), a.as_slice_mut().expect(ROW_MAJOR));
                    for ((z, a), &b) in z.iter_mut().zip(a).zip(bias) {
                        *z += b;
                        *a = act.apply(*z);
                    }
                }
            });
        });
    }

    /// Inference only: a = act(x·W + b) written straight into row-major `a` (no pre-activation
    /// kept); bias and activation in one pass over a plain slice, as in `forward`.
    pub fn infer(&self, x: ArrayView2<f32>, mut a: ArrayViewMut2<f32>) {
        let a = SharedOutput::new(&mut a);
        parallel::product(x, self.weights.view(), a, |rows, cols| {
            // SAFETY: as in `forward`.
            let mut a = unsafe { a.block(rows, cols.clone()) };
            let bias = &self.bias.as_slice().expect(ROW_MAJOR)[cols];
            specialised!(self.activation, |act| {
                for mut row in a.rows_mut() {
                    for (a, &b) in row.as_slice_mut().expect(ROW_MAJOR).iter_mut().zip(bias) {
                        *a = act.apply(*a + b);
                    }
                }
            });
        });
    }

    /// Backpropagation, first step: δ ← δ ⊙ act'(z), ∂L/∂a becomes ∂L/∂z in place (`z`, `a`
    /// and `delta` row-major, as the workspace's are), element by element. Reads the output
    /// a where the activation allows (as `forward` then wrote no z), else z.
    pub fn delta_through_activation(&self, z: ArrayView2<f32>, a: ArrayView2<f32>, mut delta: ArrayViewMut2<f32>) {
        if self.activation.is_linear() {
            return;
        }
        // Where act'(a(z)) = act'(z), the derivative is taken at the output.
        let at = if self.activation.derivative_reads_output() { a } else { z };
        let (delta, at) = (delta.as_slice_mut().expect(ROW_MAJOR), at.as_slice().expect(ROW_MAJOR));
        let len = delta.len();
        let delta = SharedSlice::new(delta);
        parallel::split(parallel::parts_for(DERIVATIVE_WORK * len), |part, parts| {
            let range = parallel::share(len, part, parts, 16);
            // SAFETY: the parts' ranges are disjoint.
            let delta = unsafe { delta.range(range.clone()) };
            specialised!(self.activation, |act| {
                delta.iter_mut().zip(&at[range]).for_each(|(d, &at)| *d *= act.derivative(at))
            });
        });
    }

    /// ∂L/∂x = ∂L/∂z · Wᵀ, shared as `parallel::product` shares it.
    pub fn input_gradient(&self, delta: ArrayView2<f32>, mut dx: ArrayViewMut2<f32>) {
        parallel::product(delta, self.weights.t(), SharedOutput::new(&mut dx), |_, _| {});
    }

    /// The weight and bias gradients of a batch whose rows are summed block by block
    /// (`blocks`, in order): ∂L/∂W = Σ_blocks xᵀ·∂L/∂z and ∂L/∂b = Σ_blocks Σ_rows ∂L/∂z,
    /// the first block written into the gradients, the others added. Each block's rows are
    /// summed into `row_sum` before it is added. Shared by blocks of ∂L/∂W; every element
    /// is summed in the same order whoever computes it.
    pub fn gradients(
        &self,
        x: ArrayView2<f32>,
        delta: ArrayView2<f32>,
        blocks: &[Range<usize>],
        grad_weights: &mut Array2<f32>,
        grad_bias: &mut Array1<f32>,
        row_sum: &mut [f32],
    ) {
        let (fan_in, units, m) = (self.fan_in(), self.units(), x.nrows());
        let grad_weights = SharedOutput::new(&mut grad_weights.view_mut());
        let grad_bias = SharedSlice::new(grad_bias.as_slice_mut().expect(ROW_MAJOR));
        let row_sum = SharedSlice::new(&mut row_sum[..units]);
        parallel::split(parallel::parts_for(m * fan_in * units), |part, parts| {
            let (rows, cols) = parallel::tile(fan_in, units, part, parts);
            // SAFETY: as in `forward`.
            let mut grad_weights = unsafe { grad_weights.block(rows.clone(), cols.clone()) };
            gemm_block_sums(
                &x.slice(s![.., rows.clone()]).t(),
                &delta.slice(s![.., cols.clone()]),
                blocks,
                &mut grad_weights,
            );
            if rows.start == 0 {
                // SAFETY: the parts that hold row 0 of ∂L/∂W have disjoint columns, and
                // only they write these columns of the bias's sums.
                let (row_sum, grad_bias) = unsafe { (row_sum.range(cols.clone()), grad_bias.range(cols.clone())) };
                for (i, block) in blocks.iter().cloned().enumerate() {
                    row_sum.fill(0.0);
                    for row in delta.slice(s![block, cols.clone()]).rows() {
                        // As a plain slice, so the sum vectorises (through ndarray's
                        // iterator it went element by element: 3 % of the question's step).
                        let row = row.to_slice().expect(ROW_MAJOR);
                        row_sum.iter_mut().zip(row).for_each(|(s, &d)| *s += d);
                    }
                    if i > 0 {
                        grad_bias.iter_mut().zip(&*row_sum).for_each(|(g, &s)| *g += s);
                    } else {
                        grad_bias.copy_from_slice(row_sum);
                    }
                }
            }
        });
    }
}
