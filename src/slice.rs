//! A one-dimensional view of a task with several inputs: the network and the target along a
//! line through input space, drawn with the same chart as the one-input tasks.

use crate::analysis::Affine;
use crate::data::{Dataset, Scaling};
use crate::network::Network;
use crate::target::Target;
use ndarray::Array2;

/// Which line through input space x runs along.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Slice {
    /// x₁ = … = xₙ = x (where the sum is n·x and the product x²).
    Diagonal,
    /// x₂ held at a value, every other input = x: a cut across the surface.
    Fixed { x2: f64 },
}

impl Slice {
    /// The inputs at position x along the slice.
    pub fn inputs_at(&self, x: f64, inputs: usize, out: &mut [f64]) {
        out[..inputs].fill(x);
        if let Slice::Fixed { x2 } = *self {
            if inputs > 1 {
                out[1] = x2;
            }
        }
    }

    /// The network's prediction along the slice at each x, de-normalised.
    pub fn prediction(&self, network: &Network, scaling: &Scaling, xs: &[f64]) -> Vec<(f64, f64)> {
        let k = network.inputs();
        let mut raw = vec![0.0; k];
        let mut inputs = Array2::<f32>::zeros((xs.len(), k));
        for (&x, mut row) in xs.iter().zip(inputs.rows_mut()) {
            self.inputs_at(x, k, &mut raw);
            scaling.normalize_x(&raw, row.as_slice_mut().expect("standard layout"));
        }
        let out = network.predict(inputs.view());
        xs.iter().zip(out.column(0)).map(|(&x, &y)| (x, scaling.denormalize_y(y))).collect()
    }

    /// The target along the slice.
    pub fn target(&self, target: Target, xs: &[f64]) -> Vec<(f64, f64)> {
        let mut raw = vec![0.0; target.inputs()];
        xs.iter()
            .map(|&x| {
                self.inputs_at(x, target.inputs(), &mut raw);
                (x, target.eval(&raw))
            })
            .collect()
    }

    /// An affine map (a collapse, the best plane) along the slice: (slope, intercept) in x.
    pub fn line(&self, affine: &Affine) -> (f64, f64) {
        match *self {
            Slice::Diagonal => affine.along_diagonal(),
            Slice::Fixed { x2 } => {
                let slope = affine.weights.iter().enumerate().filter(|&(i, _)| i != 1).map(|(_, w)| w).sum();
                let pinned = affine.weights.get(1).map_or(0.0, |w| w * x2);
                (slope, affine.bias + pinned)
            }
        }
    }

    /// Up to `max` training examples within `band` of the slice (every input within `band`
    /// of the slice's point), as (x, target): x is x₁ across, the inputs' mean on the diagonal.
    pub fn training_points(&self, data: &Dataset, band: f64, max: usize) -> Vec<(f64, f64)> {
        let near = (0..data.len()).filter_map(|i| {
            let row = data.raw_x.row(i);
            let x = match *self {
                Slice::Diagonal => row.sum() / row.len() as f64,
                Slice::Fixed { .. } => row[0],
            };
            let mut on_slice = vec![0.0; row.len()];
            self.inputs_at(x, row.len(), &mut on_slice);
            let close = row.iter().zip(&on_slice).all(|(a, b)| (a - b).abs() <= band);
            close.then_some((x, data.raw_y[i]))
        });
        let near: Vec<(f64, f64)> = near.collect();
        let stride = near.len().div_ceil(max.max(1)).max(1);
        near.into_iter().step_by(stride).collect()
    }
}
