//! Adam and SGD exactly as Keras 3 writes their updates (`keras/src/optimizers/adam.py`,
//! `sgd.py`), in f32 — down to which constants Keras rounds from a Python double.

use crate::experiment::{OptimizerKind, OptimizerSpec};
use crate::parallel::{self, SharedSlice};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

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
    /// Adam's views of every tensor (weights, gradient, moments), filled at the start of a
    /// step and emptied at its end: kept only so that a step allocates nothing.
    adam_tensors: Vec<[SharedSlice; 4]>,
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
            adam_tensors: Vec::with_capacity(sizes.len()),
        }
    }

    pub fn iterations(&self) -> u32 {
        self.iterations
    }

    /// Applies one update to every tensor; `params` and `grads` pair up in order. Returns
    /// whether every weight is still finite (each is updated, so each is checked as it is
    /// written, instead of in another pass over the network).
    pub fn step<'p, 'g>(
        &mut self,
        params: impl Iterator<Item = &'p mut [f32]>,
        grads: impl Iterator<Item = &'g [f32]>,
    ) -> bool {
        self.iterations += 1;
        let s = self.spec;
        let finite = |w: &[f32]| w.iter().fold(true, |ok, w| ok & w.is_finite());
        match s.kind {
            OptimizerKind::Adam => self.adam(params, grads),
            OptimizerKind::Sgd if s.momentum != 0.0 => {
                params.zip(grads).zip(&mut self.m).fold(true, |ok, ((w, g), velocity)| {
                    for ((w, &g), velocity) in w.iter_mut().zip(g).zip(velocity.iter_mut()) {
                        // v ← μ v − lr g;  w ← w + v
                        *velocity = *velocity * s.momentum - g * s.learning_rate;
                        *w += *velocity;
                    }
                    ok & finite(w)
                })
            }
            OptimizerKind::Sgd => params.zip(grads).fold(true, |ok, (w, g)| {
                // w ← w − lr g
                w.iter_mut().zip(g).for_each(|(w, g)| *w -= g * s.learning_rate);
                ok & finite(w)
            }),
        }
    }

    /// Adam's update of every tensor, in one parallel region: the tensors are laid end to
    /// end and each part updates its range of them, so the small tensors are shared too and
    /// the helper threads are not left waiting between one tensor and the next.
    fn adam<'p, 'g>(
        &mut self,
        params: impl Iterator<Item = &'p mut [f32]>,
        grads: impl Iterator<Item = &'g [f32]>,
    ) -> bool {
        let s = self.spec;
        // α_t = lr · sqrt(1 − β2^t) / (1 − β1^t)   (bias correction folded into α)
        let t = self.iterations as f32;
        let alpha = s.learning_rate * (1.0 - s.beta2.powf(t)).sqrt() / (1.0 - s.beta1.powf(t));
        let (keep1, keep2) = (self.one_minus_beta1, self.one_minus_beta2);
        let moments = self.m.iter_mut().zip(&mut self.v);
        let tensors = &mut self.adam_tensors;
        for ((w, g), (m, v)) in params.zip(grads).zip(moments) {
            tensors.push([SharedSlice::new(w), SharedSlice::read_only(g), SharedSlice::new(m), SharedSlice::new(v)]);
        }
        let total = tensors.iter().map(|[w, ..]| w.len()).sum();
        let all_finite = AtomicBool::new(true);
        parallel::split(parallel::parts_for(ADAM_WORK * total), |part, parts| {
            let mut finite = true;
            for (tensor, range) in ranges_of(tensors, parallel::share(total, part, parts, 16)) {
                let [w, g, m, v] = tensor;
                // SAFETY: the parts' ranges are disjoint, and the tensors outlive the region.
                let (w, g, m, v) =
                    unsafe { (w.range(range.clone()), g.read(range.clone()), m.range(range.clone()), v.range(range)) };
                // Zipped slices, no indexing: no bounds checks, so the loop vectorises.
                for (((w, &g), m), v) in w.iter_mut().zip(g).zip(m.iter_mut()).zip(v.iter_mut()) {
                    // m ← m + (g − m)(1 − β1);  v ← v + (g² − v)(1 − β2)
                    *m += (g - *m) * keep1;
                    *v += (g * g - *v) * keep2;
                    // w ← w − α m / (√v + ε)
                    *w -= (*m * alpha) / (v.sqrt() + s.epsilon);
                    finite &= w.is_finite();
                }
            }
            if !finite {
                all_finite.store(false, Relaxed);
            }
        });
        tensors.clear();
        all_finite.into_inner()
    }
}

/// The pieces of `range` (of the tensors laid end to end) that fall in each tensor: the
/// tensor and the range within it.
fn ranges_of(
    tensors: &[[SharedSlice; 4]],
    range: Range<usize>,
) -> impl Iterator<Item = ([SharedSlice; 4], Range<usize>)> + '_ {
    let starts = tensors.iter().scan(0, |start, [w, ..]| {
        *start += w.len();
        Some(*start - w.len())
    });
    tensors.iter().zip(starts).filter_map(move |(&tensor, start)| {
        let (from, to) = (range.start.max(start), range.end.min(start + tensor[0].len()));
        (from < to).then(|| (tensor, from - start..to - start))
    })
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
