//! Where Keras's arithmetic differs from the obvious Rust by construction, we follow Keras:
//! its (1 − β) is a Python double rounded to f32, Python's `round` sends halves to even, and
//! its epoch loss is a float32 running mean.

use ndarray::Axis;
use squares_playground::loss::mse;
use squares_playground::optimizer::{keras_one_minus, Optimizer};
use squares_playground::train::epoch_orders;
use squares_playground::{Experiment, OptimizerSpec, Scaling, Trainer};

#[test]
fn one_minus_beta_is_the_python_double_rounded_to_f32_as_in_keras() {
    // Python: 1 - 0.9 = 0.09999999999999998, float32 → 0.1 (0x3DCCCCCD);
    // Rust's 1.0 - 0.9f32 = 0.10000002 (0x3DCCCCD0).
    assert_eq!(keras_one_minus(0.9).to_bits(), 0.1f32.to_bits());
    assert_ne!(keras_one_minus(0.9), 1.0 - 0.9f32);
    // 1 - 0.999 = 0.0010000000000000009 → 0.001f32, where 1.0 - 0.999f32 = 0.00099998713.
    assert_eq!(keras_one_minus(0.999).to_bits(), 0.001f32.to_bits());
    assert!(((1.0 - 0.999f32) / 0.001 - 1.0).abs() > 1e-5, "the difference this fixes is not rounding noise");
    assert_eq!(keras_one_minus(0.0), 1.0);
}

#[test]
fn adams_first_moment_takes_the_keras_rounded_one_minus_beta1() {
    let mut opt = Optimizer::new(OptimizerSpec { learning_rate: 1.0, ..OptimizerSpec::default() }, &[1]);
    let mut w = [0.0f32];
    assert!(opt.step(std::iter::once(&mut w[..]), std::iter::once(&[1.0f32][..])));
    // t = 1: m = 0.1f32·g, v = 0.001f32·g², α = lr·√(1 − β2)/(1 − β1) in f32, w = −α m/(√v + ε).
    let (m, v) = (0.1f32, 0.001f32);
    let alpha = 1.0f32 * (1.0 - 0.999f32.powf(1.0)).sqrt() / (1.0 - 0.9f32.powf(1.0));
    assert_eq!(w[0], -(m * alpha) / (v.sqrt() + 1e-7));
}

fn unit_scaling() -> Scaling {
    Scaling { x_offset: vec![0.0], x_scale: vec![1.0], y_offset: 0.0, y_scale: 1.0 }
}

#[test]
fn invert_rounds_halves_to_even_like_pythons_round() {
    let s = unit_scaling();
    for (value, python_round) in [(0.5, 0.0), (1.5, 2.0), (2.5, 2.0), (3.5, 4.0), (-0.5, 0.0), (-2.5, -2.0), (2.4, 2.0)]
    {
        assert_eq!(s.invert(value), python_round, "round({value})");
    }
    // Away from halves nothing changes: 1e6 · 0.1234567f32 = 123456.70…
    let question = Scaling { y_scale: 1e6, ..unit_scaling() };
    assert_eq!(question.invert(0.123_456_7), 123_457.0);
}

#[test]
fn the_epoch_loss_is_keras_float32_running_mean_of_batch_loss_times_rows() {
    // 10 examples in batches of 4, 4 and 2 (Keras' tracker: total += loss · rows, in f32).
    let e = Experiment { examples: 10, batch_size: 4, epochs: 1, twin: None, ..Experiment::default() };
    let order = &epoch_orders(&e)[0];
    let mut trainer = Trainer::new(&e).unwrap();
    let mut total = 0.0f32;
    for batch in order.chunks(4) {
        let rows: Vec<usize> = batch.iter().map(|&i| i as usize).collect();
        let (x, y) = (trainer.data().x.select(Axis(0), &rows), trainer.data().y.select(Axis(0), &rows));
        // The batch's loss is taken before its step, on the weights the step starts from.
        total += mse(trainer.network().predict(x.view()).view(), y.view()) * rows.len() as f32;
        trainer.step_batch();
    }
    assert_eq!(trainer.loss_history(), &[total / 10.0]);
}
