//! Oracle: central finite differences. Every activation's derivative and every layer's
//! backpropagated gradient must agree with them.

use ndarray::{array, Array2};
use squares_playground::network::{Network, Workspace};
use squares_playground::train::rng_stream;
use squares_playground::{Activation, Experiment, LayerSpec};

/// |a − b| ≤ abs + rel · max(|a|, |b|)
fn close(a: f64, b: f64, abs: f64, rel: f64) -> bool {
    (a - b).abs() <= abs + rel * a.abs().max(b.abs())
}

#[test]
fn every_activation_derivative_matches_central_differences() {
    let h = 1e-3f64;
    for act in Activation::ALL {
        // Avoid the kink at 0, where relu-like derivatives are one-sided by definition.
        for &z in &[-6.0f32, -2.5, -0.7, -0.05, 0.05, 0.3, 1.0, 2.5, 6.0] {
            let numeric =
                (act.apply((z as f64 + h) as f32) as f64 - act.apply((z as f64 - h) as f32) as f64) / (2.0 * h);
            let analytic = act.derivative(z) as f64;
            assert!(close(numeric, analytic, 2e-3, 1e-2), "{act}: d/dz at {z}: analytic {analytic}, numeric {numeric}");
        }
    }
}

#[test]
fn activations_match_their_keras_definitions_at_known_points() {
    assert_eq!(Activation::Relu.apply(-3.0), 0.0);
    assert_eq!(Activation::Relu.apply(2.0), 2.0);
    assert_eq!(Activation::LeakyRelu.apply(-1.0), -0.2);
    assert!((Activation::Elu.apply(-1.0) - (-0.632_120_56)).abs() < 1e-6);
    assert!((Activation::Sigmoid.apply(0.0) - 0.5).abs() < 1e-7);
    assert!((Activation::Softplus.apply(0.0) - std::f32::consts::LN_2).abs() < 1e-7);
    assert!((Activation::Swish.apply(1.0) - 0.731_058_6).abs() < 1e-6);
    // Stable at extremes: no overflow to inf or NaN.
    for act in Activation::ALL {
        for z in [-1e30f32, -100.0, 100.0, 1e30] {
            assert!(!act.apply(z).is_nan() && !act.derivative(z).is_nan(), "{act} at {z}");
        }
    }
    assert_eq!(Activation::Softplus.apply(1e30), 1e30);
}

#[test]
fn an_activation_reads_its_output_for_its_derivative_only_where_that_gives_the_same_bits() {
    // The forward pass of these writes no pre-activation: backpropagation evaluates the
    // derivative at a(z) instead of z, which must be the very same value everywhere,
    // the kink, signed zeros, subnormals, infinities and NaN included.
    let zs = [
        -1e30f32,
        -6.0,
        -1.0,
        -1e-40,
        -0.0,
        0.0,
        1e-40,
        1e-30,
        0.5,
        6.0,
        1e30,
        f32::NEG_INFINITY,
        f32::INFINITY,
        f32::NAN,
        f32::MIN_POSITIVE,
        -f32::MIN_POSITIVE,
    ];
    for act in Activation::ALL {
        let same = zs.iter().all(|&z| act.derivative(act.apply(z)).to_bits() == act.derivative(z).to_bits());
        if act.derivative_reads_output() {
            assert!(same, "{act} reads its output, but its derivative there differs from at z");
        } else {
            assert!(!same, "{act} could read its output: add it to derivative_reads_output");
        }
    }
}

fn mse_of(network: &Network, x: &Array2<f32>, y: &Array2<f32>) -> f64 {
    let p = network.predict(x.view());
    p.iter().zip(y.iter()).map(|(p, t)| ((p - t) as f64).powi(2)).sum::<f64>() / y.len() as f64
}

fn gradients_match_finite_differences(activation: Activation) {
    let experiment = Experiment {
        inputs: 2,
        task: squares_playground::Task::Sum,
        hidden: vec![LayerSpec::new(4, activation), LayerSpec::new(3, activation)],
        ..Experiment::default()
    };
    let mut network = Network::new(&experiment, &mut rng_stream(7, 1));
    // Non-zero biases so that their gradients are exercised away from the initial zeros.
    for (l, layer) in network.layers.iter_mut().enumerate() {
        layer.bias.iter_mut().enumerate().for_each(|(i, b)| *b = 0.1 * (i as f32 - 1.0) + 0.05 * l as f32);
    }
    let x = array![[0.3f32, -0.8], [1.2, 0.4], [-0.5, 0.9], [0.7, 0.1], [-1.1, -0.3]];
    let y = array![[0.5f32], [-0.2], [0.9], [0.1], [-0.7]];
    let mut workspace = Workspace::new(&network, 8);
    let loss = workspace.loss_and_gradients(&network, x.view(), y.view());
    assert!(close(loss as f64, mse_of(&network, &x, &y), 1e-6, 1e-5), "loss is the true mean of squared errors");
    let analytic: Vec<f32> = workspace.gradients.tensors().flat_map(|t| t.to_vec()).collect();

    let h = 1e-3f32;
    let mut index = 0;
    for t in 0..network.parameter_sizes().len() {
        for j in 0..network.parameter_sizes()[t] {
            let probe = |delta: f32| {
                let mut n = network.clone();
                n.parameters_mut().nth(t).unwrap()[j] += delta;
                mse_of(&n, &x, &y)
            };
            let numeric = (probe(h) - probe(-h)) / (2.0 * h as f64);
            let a = analytic[index] as f64;
            assert!(
                close(numeric, a, 1e-4, 1e-2),
                "{activation}: tensor {t} entry {j}: backprop {a}, finite difference {numeric}"
            );
            index += 1;
        }
    }
    assert_eq!(index, network.parameter_count());
}

#[test]
fn dense_gradients_match_finite_differences_for_every_activation() {
    for activation in Activation::ALL {
        gradients_match_finite_differences(activation);
    }
}

#[test]
fn a_partial_batch_uses_only_its_own_rows() {
    let experiment = Experiment::default();
    let network = Network::new(&experiment, &mut rng_stream(3, 1));
    let x = array![[0.2f32], [0.9], [0.4]];
    let y = array![[0.04f32], [0.81], [0.16]];
    let mut big = Workspace::new(&network, 100);
    let mut exact = Workspace::new(&network, 3);
    // Fill the big workspace with a different batch first: stale rows must not leak in.
    big.loss_and_gradients(
        &network,
        array![[5.0f32], [6.0], [7.0], [8.0]].view(),
        array![[1.0f32], [2.0], [3.0], [4.0]].view(),
    );
    let l1 = big.loss_and_gradients(&network, x.view(), y.view());
    let l2 = exact.loss_and_gradients(&network, x.view(), y.view());
    assert_eq!(l1, l2);
    assert!(big.gradients.tensors().zip(exact.gradients.tensors()).all(|(a, b)| a == b));
}
