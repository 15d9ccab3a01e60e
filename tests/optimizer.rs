//! Oracle: hand-computed updates from the formulas in Keras' adam.py and sgd.py, and
//! Glorot's limit.

use squares_playground::layer::{glorot_limit, Dense};
use squares_playground::optimizer::Optimizer;
use squares_playground::train::rng_stream;
use squares_playground::{Activation, OptimizerKind, OptimizerSpec};

fn step(opt: &mut Optimizer, w: &mut [f32], g: &[f32]) {
    assert!(opt.step(std::iter::once(w), std::iter::once(g)), "the weights stay finite");
}

#[test]
fn adam_first_two_steps_match_the_keras_formula_by_hand() {
    let spec = OptimizerSpec::default();
    assert_eq!((spec.learning_rate, spec.beta1, spec.beta2, spec.epsilon), (0.001, 0.9, 0.999, 1e-7));
    let mut opt = Optimizer::new(spec, &[2]);
    let mut w = [1.0f32, -2.0];
    step(&mut opt, &mut w, &[0.5, -4.0]);
    // t=1: m = 0.1 g, v = 0.001 g², α = 0.001·√(1−0.999)/(1−0.9) = 0.000316227766
    // w −= α m/(√v + ε): 1 − 0.000316227766·0.05/(0.0158113883+1e-7) = 0.999000006325
    let expected_1 = [0.999_000_006_325_f64, -2.0 + 0.000_316_227_766 * 0.4 / (0.126_491_106_4 + 1e-7)];
    for (got, want) in w.iter().zip(expected_1) {
        assert!((*got as f64 - want).abs() < 2e-7, "step 1: got {got}, want {want}");
    }
    step(&mut opt, &mut w, &[0.25, 1.0]);
    // t=2 for the first weight: m = 0.9·0.05 + 0.1·0.25 = 0.07, v = 0.999·0.00025 + 0.001·0.0625
    //   = 0.00031225, α = 0.001·√(1−0.999²)/(1−0.9²) = 0.001·0.0447101778/0.19
    let alpha2 = 0.001 * (1.0f64 - 0.999f64.powi(2)).sqrt() / (1.0 - 0.9f64.powi(2));
    let want = expected_1[0] - alpha2 * 0.07 / (0.000_312_25f64.sqrt() + 1e-7);
    assert!((w[0] as f64 - want).abs() < 2e-7, "step 2: got {}, want {want}", w[0]);
    assert_eq!(opt.iterations(), 2);
}

#[test]
fn plain_sgd_steps_against_the_gradient() {
    let spec = OptimizerSpec { kind: OptimizerKind::Sgd, learning_rate: 0.1, ..OptimizerSpec::default() };
    let mut opt = Optimizer::new(spec, &[2]);
    let mut w = [1.0f32, 2.0];
    step(&mut opt, &mut w, &[0.5, -1.0]);
    assert_eq!(w, [0.95, 2.1]);
}

#[test]
fn sgd_with_momentum_accumulates_velocity() {
    let spec =
        OptimizerSpec { kind: OptimizerKind::Sgd, learning_rate: 0.1, momentum: 0.9, ..OptimizerSpec::default() };
    let mut opt = Optimizer::new(spec, &[1]);
    let mut w = [1.0f32];
    step(&mut opt, &mut w, &[1.0]); // v = −0.1, w = 0.9
    step(&mut opt, &mut w, &[1.0]); // v = 0.9·(−0.1) − 0.1 = −0.19, w = 0.71
    assert!((w[0] - 0.71).abs() < 1e-6, "got {}", w[0]);
}

#[test]
fn glorot_uniform_fills_plus_minus_sqrt_6_over_fan_in_plus_fan_out_and_zero_bias() {
    assert!((glorot_limit(1000, 100) - (6.0f32 / 1100.0).sqrt()).abs() < 1e-9);
    let layer = Dense::glorot_uniform(1000, 100, Activation::Relu, &mut rng_stream(1, 1));
    let limit = glorot_limit(1000, 100);
    assert!(layer.weights.iter().all(|w| w.abs() <= limit));
    let max = layer.weights.iter().fold(0.0f32, |m, w| m.max(w.abs()));
    assert!(max > 0.999 * limit, "the whole range is used: max {max} of {limit}");
    // U(−l, l) has mean 0 and variance l²/3.
    let n = layer.weights.len() as f64;
    let mean = layer.weights.iter().map(|&w| w as f64).sum::<f64>() / n;
    let var = layer.weights.iter().map(|&w| (w as f64 - mean).powi(2)).sum::<f64>() / n;
    assert!(mean.abs() < 0.01 * limit as f64);
    assert!((var / (limit as f64).powi(2) - 1.0 / 3.0).abs() < 0.01);
    assert!(layer.bias.iter().all(|&b| b == 0.0));
}

#[test]
fn a_step_reports_a_weight_that_is_no_longer_finite_whichever_tensor_holds_it() {
    let adam = OptimizerSpec::default();
    let sgd = OptimizerSpec { kind: OptimizerKind::Sgd, learning_rate: 0.1, ..adam };
    let momentum = OptimizerSpec { momentum: 0.9, ..sgd };
    for spec in [adam, sgd, momentum] {
        // Three tensors; the last weight of the middle one is pushed to infinity (Adam: by
        // a NaN gradient; SGD: by an infinite one).
        let sizes = [40, 3, 100];
        for bad in [None, Some(f32::NAN), Some(f32::INFINITY)] {
            let mut opt = Optimizer::new(spec, &sizes);
            let mut weights: Vec<Vec<f32>> = sizes.iter().map(|&n| vec![1.0; n]).collect();
            let mut grads: Vec<Vec<f32>> = sizes.iter().map(|&n| vec![0.5; n]).collect();
            if let Some(bad) = bad {
                grads[1][2] = bad;
            }
            let finite = opt.step(weights.iter_mut().map(|w| &mut w[..]), grads.iter().map(|g| &g[..]));
            assert_eq!(finite, bad.is_none(), "{spec:?}, gradient {bad:?}");
            assert_eq!(finite, weights.iter().flatten().all(|w| w.is_finite()), "{spec:?}: the report is the weights'");
        }
    }
}
