//! A Keras `Sequential` of Dense layers ending in a linear `Dense(1)`, and the reusable
//! buffers that let a training step run without allocating.

use crate::activation::Activation;
use crate::experiment::Experiment;
use crate::layer::Dense;
use crate::loss::{mse_gradient, squared_errors};
use ndarray::{s, Array1, Array2, ArrayView2, ArrayViewMut2};
use rand::Rng;
use std::ops::Range;

#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    pub layers: Vec<Dense>,
}

impl Network {
    /// The experiment's hidden layers plus the linear output unit, initialised in order
    /// from `rng` (Glorot-uniform kernels, zero biases).
    pub fn new<R: Rng>(experiment: &Experiment, rng: &mut R) -> Network {
        let widths = experiment.widths();
        let activations = experiment.hidden.iter().map(|l| l.activation).chain([Activation::Linear]);
        let layers =
            widths.windows(2).zip(activations).map(|(w, act)| Dense::glorot_uniform(w[0], w[1], act, rng)).collect();
        Network { layers }
    }

    pub fn inputs(&self) -> usize {
        self.layers[0].fan_in()
    }

    pub fn parameter_count(&self) -> usize {
        self.layers.iter().map(|l| l.weights.len() + l.bias.len()).sum()
    }

    /// Forward pass on any number of rows (allocates; for tests and one-off use — the page
    /// and the CLI go through `infer` and reusable `Inference` buffers).
    pub fn predict(&self, x: ArrayView2<f32>) -> Array2<f32> {
        let mut buffers = Inference::new(self, x.nrows());
        self.infer(x, &mut buffers, |_, _| {}).to_owned()
    }

    /// The widest layer's width, inputs included: what one row of `Inference` must hold.
    pub fn max_width(&self) -> usize {
        self.layers.iter().map(Dense::units).chain([self.inputs()]).max().unwrap_or(1)
    }

    /// Forward pass of `x` (m ≤ `buffers.rows()` rows) through reusable buffers: no
    /// allocation. `visit(l, a)` sees every layer's output a (m × units) as it is made, so
    /// one pass can also count dead units or record hidden-unit outputs. Returns the
    /// network's output, m × 1.
    pub fn infer<'b>(
        &self,
        x: ArrayView2<f32>,
        buffers: &'b mut Inference,
        mut visit: impl FnMut(usize, ArrayView2<f32>),
    ) -> ArrayView2<'b, f32> {
        let m = x.nrows();
        assert!(m <= buffers.rows, "{m} rows exceed the inference buffers' {}", buffers.rows);
        for (l, layer) in self.layers.iter().enumerate() {
            let (input, output) = (&buffers.input, &mut buffers.output);
            let input = if l == 0 { x } else { view(input, m, layer.fan_in()) };
            let mut out = ArrayViewMut2::from_shape((m, layer.units()), &mut output[..m * layer.units()])
                .expect("buffers sized for the widest layer");
            layer.infer(input, out.view_mut());
            visit(l, out.view());
            // This layer's output is the next one's input.
            std::mem::swap(&mut buffers.input, &mut buffers.output);
        }
        view(&buffers.input, m, 1)
    }

    /// Every trainable tensor, kernel then bias, layer by layer (the optimizer's order).
    pub fn parameters_mut(&mut self) -> impl Iterator<Item = &mut [f32]> {
        self.layers.iter_mut().flat_map(|l| {
            [l.weights.as_slice_mut().expect("standard layout"), l.bias.as_slice_mut().expect("standard layout")]
        })
    }

    pub fn parameter_sizes(&self) -> Vec<usize> {
        self.layers.iter().flat_map(|l| [l.weights.len(), l.bias.len()]).collect()
    }
}

/// ∂L/∂W and ∂L/∂b for every layer, shaped like the network.
#[derive(Clone, Debug, Default)]
pub struct Gradients {
    pub weights: Vec<Array2<f32>>,
    pub biases: Vec<Array1<f32>>,
}

impl Gradients {
    /// Zeros shaped like `network`'s parameters.
    pub fn zeros(network: &Network) -> Gradients {
        Gradients {
            weights: network.layers.iter().map(|l| Array2::zeros(l.weights.raw_dim())).collect(),
            biases: network.layers.iter().map(|l| Array1::zeros(l.units())).collect(),
        }
    }

    /// In the same order as `Network::parameters_mut`.
    pub fn tensors(&self) -> impl Iterator<Item = &[f32]> {
        self.weights
            .iter()
            .zip(&self.biases)
            .flat_map(|(w, b)| [w.as_slice().expect("standard layout"), b.as_slice().expect("standard layout")])
    }
}

/// A batch's gradient is summed over blocks of its rows, in block order: at most this many.
/// The order is fixed by the batch's size alone; it was chosen so that workers could each
/// compute some blocks, and is kept so that every run gives the bits it always gave.
pub const GRADIENT_BLOCKS: usize = 8;

/// The row ranges of a batch of `rows`: min(rows, GRADIENT_BLOCKS) contiguous, nearly equal
/// blocks — a function of the batch's size alone, never of how many threads there are.
pub fn gradient_blocks(rows: usize) -> impl Iterator<Item = Range<usize>> {
    let blocks = rows.clamp(1, GRADIENT_BLOCKS);
    (0..blocks).map(move |b| b * rows / blocks..(b + 1) * rows / blocks)
}

/// Buffers for a forward and backward pass over up to `capacity` rows, allocated once.
#[derive(Clone, Debug)]
pub struct Workspace {
    capacity: usize,
    /// Per layer: z (pre-activation; written only where backpropagation needs it, see
    /// `Dense::forward`), a (output) and δ (∂L/∂a, then ∂L/∂z); capacity × units.
    z: Vec<Array2<f32>>,
    a: Vec<Array2<f32>>,
    delta: Vec<Array2<f32>>,
    /// The batch's blocks (`gradient_blocks`), refilled each step in place.
    blocks: Vec<Range<usize>>,
    /// One block's Σ_rows ∂L/∂z (as wide as the widest layer).
    row_sum: Vec<f32>,
    pub gradients: Gradients,
}

impl Workspace {
    pub fn new(network: &Network, capacity: usize) -> Workspace {
        let per_layer = || network.layers.iter().map(|l| Array2::zeros((capacity, l.units()))).collect::<Vec<_>>();
        Workspace {
            capacity,
            z: per_layer(),
            a: per_layer(),
            delta: per_layer(),
            blocks: Vec::with_capacity(GRADIENT_BLOCKS),
            row_sum: vec![0.0; network.max_width()],
            gradients: Gradients::zeros(network),
        }
    }

    /// One forward and backward pass on a batch (m ≤ capacity rows): returns the MSE loss
    /// and leaves ∂L/∂θ in `self.gradients`, summed block by block (`gradient_blocks`).
    pub fn loss_and_gradients(&mut self, network: &Network, x: ArrayView2<f32>, y: ArrayView2<f32>) -> f32 {
        let m = x.nrows();
        assert!(m <= self.capacity, "{m} rows exceed workspace capacity {}", self.capacity);
        let last = network.layers.len() - 1;
        for (l, layer) in network.layers.iter().enumerate() {
            let (before, from_l) = self.a.split_at_mut(l);
            let input = if l == 0 { x } else { before[l - 1].slice(s![..m, ..]) };
            layer.forward(input, self.z[l].slice_mut(s![..m, ..]), from_l[0].slice_mut(s![..m, ..]));
        }
        let prediction = self.a[last].slice(s![..m, ..]);
        mse_gradient(prediction, y, m, self.delta[last].slice_mut(s![..m, ..]));
        for l in (0..=last).rev() {
            let layer = &network.layers[l];
            let (below, from_l) = self.delta.split_at_mut(l);
            let (z, a) = (self.z[l].slice(s![..m, ..]), self.a[l].slice(s![..m, ..]));
            layer.delta_through_activation(z, a, from_l[0].slice_mut(s![..m, ..]));
            if l > 0 {
                layer.input_gradient(from_l[0].slice(s![..m, ..]), below[l - 1].slice_mut(s![..m, ..]));
            }
        }
        self.blocks.clear();
        self.blocks.extend(gradient_blocks(m));
        for (l, layer) in network.layers.iter().enumerate() {
            let input = if l == 0 { x } else { self.a[l - 1].slice(s![..m, ..]) };
            layer.gradients(
                input,
                self.delta[l].slice(s![..m, ..]),
                &self.blocks,
                &mut self.gradients.weights[l],
                &mut self.gradients.biases[l],
                &mut self.row_sum,
            );
        }
        let sse = self.blocks.iter().fold(0.0, |sum, block| {
            sum + squared_errors(self.a[last].slice(s![block.clone(), ..]), y.slice(s![block.clone(), ..]))
        });
        (sse / m.max(1) as f64) as f32
    }
}

/// Two row-major buffers, rows × the widest layer, that a forward pass ping-pongs between.
#[derive(Clone, Debug)]
pub struct Inference {
    rows: usize,
    input: Vec<f32>,
    output: Vec<f32>,
}

impl Inference {
    /// Room for `rows` rows at a time through `network`.
    pub fn new(network: &Network, rows: usize) -> Inference {
        let len = rows.max(1) * network.max_width();
        Inference { rows: rows.max(1), input: vec![0.0; len], output: vec![0.0; len] }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }
}

/// The first m × width values of a buffer as a matrix.
fn view(buffer: &[f32], m: usize, width: usize) -> ArrayView2<'_, f32> {
    ArrayView2::from_shape((m, width), &buffer[..m * width]).expect("buffers sized for the widest layer")
}
