//! A Keras `Sequential` of Dense layers ending in a linear `Dense(1)`, and the reusable
//! buffers that let a training step run without allocating.

use crate::activation::Activation;
use crate::experiment::Experiment;
use crate::layer::Dense;
use crate::loss::{mse, mse_gradient};
use ndarray::{s, Array1, Array2, ArrayView2, ArrayViewMut2};
use rand::Rng;

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

    /// Checked after every batch, so it folds without short-circuiting: the loop vectorises.
    pub fn all_finite(&self) -> bool {
        let finite = |values: &[f32]| values.iter().fold(true, |ok, v| ok & v.is_finite());
        self.layers.iter().all(|l| {
            finite(l.weights.as_slice().expect("standard layout"))
                && finite(l.bias.as_slice().expect("standard layout"))
        })
    }
}

/// ∂L/∂W and ∂L/∂b for every layer, shaped like the network.
#[derive(Clone, Debug)]
pub struct Gradients {
    pub weights: Vec<Array2<f32>>,
    pub biases: Vec<Array1<f32>>,
}

impl Gradients {
    /// In the same order as `Network::parameters_mut`.
    pub fn tensors(&self) -> impl Iterator<Item = &[f32]> {
        self.weights
            .iter()
            .zip(&self.biases)
            .flat_map(|(w, b)| [w.as_slice().expect("standard layout"), b.as_slice().expect("standard layout")])
    }
}

/// Buffers for a forward and backward pass over up to `capacity` rows, allocated once.
#[derive(Clone, Debug)]
pub struct Workspace {
    capacity: usize,
    /// Per layer: z (pre-activation), a (output) and δ (∂L/∂a, then ∂L/∂z); capacity × units.
    z: Vec<Array2<f32>>,
    a: Vec<Array2<f32>>,
    delta: Vec<Array2<f32>>,
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
            gradients: Gradients {
                weights: network.layers.iter().map(|l| Array2::zeros(l.weights.raw_dim())).collect(),
                biases: network.layers.iter().map(|l| Array1::zeros(l.units())).collect(),
            },
        }
    }

    /// One forward and backward pass on a batch (m ≤ capacity rows): returns the MSE loss
    /// and leaves ∂L/∂θ in `self.gradients`.
    pub fn loss_and_gradients(&mut self, network: &Network, x: ArrayView2<f32>, y: ArrayView2<f32>) -> f32 {
        let m = x.nrows();
        assert!(m <= self.capacity, "batch of {m} rows exceeds workspace capacity {}", self.capacity);
        let last = network.layers.len() - 1;
        for (l, layer) in network.layers.iter().enumerate() {
            let (before, from_l) = self.a.split_at_mut(l);
            let input = if l == 0 { x } else { before[l - 1].slice(s![..m, ..]) };
            layer.forward(input, self.z[l].slice_mut(s![..m, ..]), from_l[0].slice_mut(s![..m, ..]));
        }
        let prediction = self.a[last].slice(s![..m, ..]);
        let loss = mse(prediction, y);
        mse_gradient(prediction, y, self.delta[last].slice_mut(s![..m, ..]));
        for l in (0..=last).rev() {
            let input = if l == 0 { x } else { self.a[l - 1].slice(s![..m, ..]) };
            let (below, from_l) = self.delta.split_at_mut(l);
            let grad_input = (l > 0).then(|| below[l - 1].slice_mut(s![..m, ..]));
            network.layers[l].backward(
                input,
                self.z[l].slice(s![..m, ..]),
                from_l[0].slice_mut(s![..m, ..]),
                &mut self.gradients.weights[l],
                &mut self.gradients.biases[l],
                grad_input,
            );
        }
        loss
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
