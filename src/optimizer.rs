//! Adam and SGD exactly as Keras 3 writes their updates (`keras/src/optimizers/adam.py`,
//! `sgd.py`), in f32 — down to which constants Keras rounds from a Python double.

use crate::experiment::{OptimizerKind, OptimizerSpec};
use crate::parallel::{self, SharedSlice};

/// An Adam update costs about as much as this many multiply-adds (a square root, a
/// division and a few more), for `parallel::parts_for`.
const ADAM_WORK: usize = 10;

/// Optimizer state: one moment buffer (two for Adam) per parameter tensor.
#[derive(Clone, Debug)]
pub struct Optimizer {
    spec: OptimizerSpec,
    /// Adam's (1 − β1) and (1 − β2), rounded as Keras rounds them (see `keras_one_minus`).
    one_minus_beta1: f32,
    one_minus_beta2: f32,
    /// Updates applied so far (Keras' `iterations`).
    iterations: u32,
    /// First moment (Adam) or velocity (SGD with momentum), per tensor.
    m: Vec<Vec<f32>>,
    /// Second moment (Adam only), per tensor.
    v: Vec<Vec<f32>>,
}

impl Optimizer {
    /// `sizes`: the length of every parameter tensor, in the order `step` will see them.
    pub fn new(spec: OptimizerSpec, sizes: &[usize]) -> Optimizer {
        let zeros = || sizes.iter().map(|&n| vec![0.0; n]).collect::<Vec<_>>();
        let v = if spec.kind == OptimizerKind::Adam { zeros() } else { Vec::new() };
        Optimizer {
            spec,
            one_minus_beta1: keras_one_minus(spec.beta1),
            one_minus_beta2: keras_one_minus(spec.beta2),
            iterations: 0,
            m: zeros(),
            v,
        }
    }

    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// Applies one update to every tensor; `params` and `grads` pair up in order.
    pub fn step<'p, 'g>(
        &mut self,
        params: impl Iterator<Item = &'p mut [f32]>,
        grads: impl Iterator<Item = &'g [f32]>,
    ) {
        self.iterations += 1;
        let s = self.spec;
        match s.kind {
            OptimizerKind::Adam => {
                // α_t = lr · sqrt(1 − β2^t) / (1 − β1^t)   (bias correction folded into α)
                let t = self.iterations as f32;
                let alpha = s.learning_rate * (1.0 - s.beta2.powf(t)).sqrt() / (1.0 - s.beta1.powf(t));
                let (keep1, keep2) = (self.one_minus_beta1, self.one_minus_beta2);
                let moments = self.m.iter_mut().zip(&mut self.v);
                for ((w, g), (m, v)) in params.zip(grads).zip(moments) {
                    let (len, w, m, v) = (w.len(), SharedSlice::new(w), SharedSlice::new(m), SharedSlice::new(v));
                    // The big kernels' updates are shared by ranges of elements.
                    parallel::split(parallel::parts_for(ADAM_WORK * len), |part, parts| {
                        let range = parallel::share(len, part, parts, 16);
                        // SAFETY: the parts' ranges are disjoint.
                        let (w, m, v) =
                            unsafe { (w.range(range.clone()), m.range(range.clone()), v.range(range.clone())) };
                        // Zipped slices, no indexing: no bounds checks, so the loop vectorises.
                        for (((w, &g), m), v) in w.iter_mut().zip(&g[range]).zip(m.iter_mut()).zip(v.iter_mut()) {
                            // m ← m + (g − m)(1 − β1);  v ← v + (g² − v)(1 − β2)
                            *m += (g - *m) * keep1;
                            *v += (g * g - *v) * keep2;
                            // w ← w − α m / (√v + ε)
                            *w -= (*m * alpha) / (v.sqrt() + s.epsilon);
                        }
                    });
                }
            }
            OptimizerKind::Sgd if s.momentum != 0.0 => {
                for ((w, g), velocity) in params.zip(grads).zip(&mut self.m) {
                    for ((w, &g), velocity) in w.iter_mut().zip(g).zip(velocity.iter_mut()) {
                        // v ← μ v − lr g;  w ← w + v
                        *velocity = *velocity * s.momentum - g * s.learning_rate;
                        *w += *velocity;
                    }
                }
            }
            OptimizerKind::Sgd => {
                for (w, g) in params.zip(grads) {
                    // w ← w − lr g
                    w.iter_mut().zip(g).for_each(|(w, g)| *w -= g * s.learning_rate);
                }
            }
        }
    }
}

/// 1 − β as Keras computes it: `1 - self.beta_1` is Python arithmetic on the double that the
/// script's literal (`beta_1=0.9`, our f32 written as its shortest decimal) denotes, and the
/// result is rounded to f32 only when it meets the float32 tensor. For β = 0.9 that is
/// 0.1f32, where `1.0 - 0.9f32` would be 0.10000002 (and for 0.999, 1.0e-3f32 against
/// 9.99987e-4: a 1.3e-5 relative difference in every second-moment update).
pub fn keras_one_minus(beta: f32) -> f32 {
    // Rust's `Display` for f32 is the shortest decimal that reads back as the same f32: the
    // text our links and Keras scripts carry.
    let as_python_double: f64 = beta.to_string().parse().expect("a finite f32 prints as a decimal");
    (1.0 - as_python_double) as f32
}
