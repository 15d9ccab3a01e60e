//! Oracles: closed-form least squares, power sums, and the network itself (a collapsed or
//! merged network must compute what the original computes).

use ndarray::{array, Array2};
use squares_playground::analysis::{self, least_squares, merge_groups, square_floor_on_grid};
use squares_playground::snapshot::{self, exact_of};
use squares_playground::train::rng_stream;
use squares_playground::{curves, Snapshotter, View};
use squares_playground::{Activation, Dataset, Experiment, LayerSpec, Network, Normalization, Task, Trainer};
use Activation::{Linear, Relu, Tanh};

#[test]
fn fits_a_line_through_two_dots_exactly() {
    let fit = least_squares(array![[1.0], [3.0]].view(), &array![2.0, 6.0]);
    assert_eq!(fit.line.weights, vec![2.0]);
    assert!(fit.line.bias.abs() < 1e-12 && fit.rmse < 1e-12);
}

#[test]
fn recovers_a_plane_through_noise_free_points() {
    let x = array![[1.0, 2.0], [2.0, 1.0], [3.0, 5.0], [4.0, 3.0], [0.5, 9.0]];
    let y = x.rows().into_iter().map(|r| 3.0 * r[0] - 0.5 * r[1] + 7.0).collect();
    let fit = least_squares(x.view(), &y);
    assert!((fit.line.weights[0] - 3.0).abs() < 1e-9 && (fit.line.weights[1] + 0.5).abs() < 1e-9);
    assert!((fit.line.bias - 7.0).abs() < 1e-9 && fit.rmse < 1e-9);
}

#[test]
fn the_floor_of_x_squared_on_1_to_1000_is_74535() {
    let fit = square_floor_on_grid(1000);
    assert_eq!(fit.rmse.round(), 74_535.0, "{}", fit.rmse);
    // Closed form from power sums: S_k = Σ x^k over 1..=N.
    let n = 1000.0f64;
    let s1 = n * (n + 1.0) / 2.0;
    let s2 = n * (n + 1.0) * (2.0 * n + 1.0) / 6.0;
    let s3 = s1 * s1;
    let s4 = n * (n + 1.0) * (2.0 * n + 1.0) * (3.0 * n * n + 3.0 * n - 1.0) / 30.0;
    let var_x = s2 / n - (s1 / n).powi(2);
    let cov = s3 / n - (s1 / n) * (s2 / n);
    let var_y = s4 / n - (s2 / n).powi(2);
    let slope = cov / var_x;
    assert!((fit.line.weights[0] - slope).abs() < 1e-6, "slope {} vs {slope}", fit.line.weights[0]);
    assert!((fit.line.bias - (s2 / n - slope * s1 / n)).abs() < 1e-3);
    assert!((fit.rmse - (var_y - cov * cov / var_x).sqrt()).abs() < 1e-3);
}

#[test]
fn the_floor_on_random_training_data_is_its_own_least_squares_line() {
    let e = Experiment { task: Task::Square, normalization: Normalization::Question, ..Experiment::default() };
    let data = Dataset::generate(&e, &mut rng_stream(5, 0));
    let fit = analysis::best_line(&data);
    // No other line does better: nudging slope or intercept only raises the RMSE.
    let rmse_of = |a: f64, b: f64| {
        let sse: f64 = data.raw_x.column(0).iter().zip(&data.raw_y).map(|(x, y)| (y - (a * x + b)).powi(2)).sum();
        (sse / data.len() as f64).sqrt()
    };
    let (a, b) = fit.line.along_diagonal();
    assert!((rmse_of(a, b) - fit.rmse).abs() < 1e-6);
    for (da, db) in [(1.0, 0.0), (-1.0, 0.0), (0.0, 500.0), (0.0, -500.0)] {
        assert!(rmse_of(a + da, b + db) > fit.rmse);
    }
    assert!((fit.rmse / 74_535.0 - 1.0).abs() < 0.05, "close to the grid's floor: {}", fit.rmse);
}

fn network(hidden: &[(usize, Activation)], inputs: usize, seed: u32) -> Network {
    let task = if inputs == 1 { Task::Square } else { Task::Sum };
    let e = Experiment {
        task,
        inputs,
        hidden: hidden.iter().map(|&(u, a)| LayerSpec::new(u, a)).collect(),
        ..Experiment::default()
    };
    let mut n = Network::new(&e, &mut rng_stream(seed, 1));
    for layer in &mut n.layers {
        layer.bias.iter_mut().enumerate().for_each(|(i, b)| *b = 0.05 * (i % 5) as f32 - 0.1);
    }
    n
}

fn grid(inputs: usize) -> Array2<f32> {
    Array2::from_shape_fn((50, inputs), |(i, j)| (i as f32 * 0.04 - 1.0) * (1.0 + j as f32))
}

#[test]
fn an_all_linear_stack_collapses_to_one_unit_that_reproduces_its_output() {
    for inputs in [1, 3] {
        let net = network(&[(20, Linear), (100, Linear), (1000, Linear), (100, Linear), (20, Linear)], inputs, 9);
        let unit = analysis::collapse(&net).expect("all linear");
        let x = grid(inputs);
        let out = net.predict(x.view());
        for (row, y) in x.rows().into_iter().zip(out.column(0)) {
            let row: Vec<f64> = row.iter().map(|&v| v as f64).collect();
            let line = unit.eval(&row);
            assert!((line - *y as f64).abs() < 1e-5 * (1.0 + line.abs()), "net {y} vs unit {line}");
        }
        assert_eq!(analysis::effective_depth(&net), 1);
    }
}

#[test]
fn one_relu_layer_breaks_the_collapse() {
    let net = network(&[(8, Linear), (8, Relu), (8, Linear)], 1, 2);
    assert!(analysis::collapse(&net).is_none());
    assert_eq!(analysis::effective_depth(&net), 2);
}

#[test]
fn consecutive_linear_layers_merge_into_the_next_layer() {
    // Layers: linear, linear, relu, linear, tanh, output(linear)
    let acts = [Linear, Linear, Relu, Linear, Tanh, Linear];
    assert_eq!(merge_groups(&acts), vec![0..3, 3..5, 5..6]);
    assert_eq!(merge_groups(&[Linear]), vec![0..1]);
    assert_eq!(merge_groups(&[Relu, Relu, Linear]), vec![0..1, 1..2, 2..3]);

    let net = network(&[(6, Linear), (7, Linear), (5, Relu), (4, Linear), (3, Tanh)], 2, 4);
    let merged = analysis::merge_linear_runs(&net);
    assert_eq!(merged.layers.len(), 3);
    assert_eq!(merged.layers.len(), analysis::effective_depth(&net));
    let x = grid(2);
    let (a, b) = (net.predict(x.view()), merged.predict(x.view()));
    for (p, q) in a.iter().zip(b.iter()) {
        assert!((p - q).abs() < 1e-5 * (1.0 + p.abs()), "original {p} vs merged {q}");
    }
}

#[test]
fn the_collapsed_line_in_user_units_matches_the_denormalised_network() {
    for norm in [Normalization::Question, Normalization::Largest, Normalization::Standard] {
        let e = Experiment {
            normalization: norm,
            hidden: vec![LayerSpec::new(5, Linear), LayerSpec::new(5, Linear)],
            epochs: 3,
            ..Experiment::default()
        };
        let mut trainer = Trainer::new(&e).unwrap();
        trainer.run(|_| {});
        let gap = exact_of(&trainer).collapse_gap.unwrap();
        // f32 network vs f64 line, in units where y reaches 10⁶.
        assert!(gap < 1.0, "{norm:?}: gap {gap}");
        assert!(gap > 0.0, "{norm:?}: the gap is measured, not assumed");
    }
}

#[test]
fn the_report_prints_like_the_question() {
    let e = Experiment { epochs: 1, ..Experiment::default() };
    let trainer = Trainer::new(&e).unwrap();
    let report = exact_of(&trainer).report;
    let text = report.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 21);
    assert!(lines[0].starts_with("RMSE: ") && lines[0].split('.').nth(1).unwrap().len() == 6);
    let (expected, predicted) = report.rows[0];
    assert_eq!(lines[1], format!("Expected={expected}, Predicted={predicted} (err={})", expected - predicted));
    assert_eq!(expected, trainer.data().raw_y[0]);
    assert!(report.rows.iter().all(|(e, p)| e.fract() == 0.0 && p.fract() == 0.0), "inverted values are rounded");
    // The RMSE is the question's: over every example, of the rounded predictions.
    let predicted = trainer.network().predict(trainer.data().x.view());
    let sse: f64 = predicted
        .column(0)
        .iter()
        .zip(&trainer.data().raw_y)
        .map(|(&p, &y)| (y - trainer.data().scaling.invert(p)).powi(2))
        .sum();
    assert_eq!(report.rmse, (sse / 1000.0).sqrt());
}

#[test]
fn chart_curves_follow_the_diagonal_in_user_units() {
    let xs = curves::grid(1.0, 1000.0, 4);
    assert_eq!(xs, vec![1.0, 334.0, 667.0, 1000.0]);
    let task = |task, inputs| Experiment { task, inputs, ..Experiment::default() };
    assert_eq!(curves::target(task(Task::Square, 1).target(), &xs)[3], (1000.0, 1e6));
    assert_eq!(curves::target(task(Task::Sum, 3).target(), &xs)[1], (334.0, 1002.0));
    assert_eq!(curves::target(task(Task::Product, 2).target(), &xs)[2], (667.0, 667.0 * 667.0));

    // An all-linear network's curve lies on its collapsed line.
    let e = Experiment { hidden: vec![LayerSpec::new(4, Linear)], epochs: 2, ..Experiment::default() };
    let mut t = Trainer::new(&e).unwrap();
    t.run(|_| {});
    let line = analysis::collapse_in_user_units(t.network(), &t.data().scaling).unwrap();
    let mut snapshots = Snapshotter::new(&t, View { x_max: 1000.0, curve_points: 7, ..View::of(&t) });
    let live = snapshots.live(&t);
    assert_eq!(live.curve.len(), 7);
    assert_eq!(live.collapse.as_ref(), Some(&line), "the live collapse is the analysis' collapse");
    for &[x, y] in &live.curve {
        assert!((y - line.eval(&[x])).abs() < 1.0, "{x}: {y} vs {}", line.eval(&[x]));
    }
    let points = curves::training_points(t.data(), 300);
    assert!(points.len() <= 300 && points.len() >= 250);
    assert_eq!(points[0], (t.data().raw_x[[0, 0]], t.data().raw_y[0]));
}

#[test]
fn extrapolation_error_and_hidden_unit_outputs_follow_the_network() {
    // An all-linear net is a straight line: beyond the data the error to x² grows fast.
    let e = Experiment { hidden: vec![LayerSpec::new(3, Linear)], epochs: 30, extent: 2.0, ..Experiment::default() };
    let mut t = Trainer::new(&e).unwrap();
    t.run(|_| {});
    let exact = exact_of(&t);
    let (inside, outside) = (exact.rmse_inside, exact.rmse_outside.unwrap());
    assert!(outside > 5.0 * inside, "a line extrapolates x² badly: inside {inside}, outside {outside}");
    assert_eq!(exact_of(&Trainer::new(&Experiment { extent: 1.0, ..e }).unwrap()).rmse_outside, None);

    let e = Experiment { hidden: vec![LayerSpec::new(4, Relu), LayerSpec::new(80, Relu)], ..Experiment::default() };
    let t = Trainer::new(&e).unwrap();
    assert_eq!(snapshot::thumbnail_widths(t.network()), vec![4, 0], "an 80-unit layer is left out");
    let exact = exact_of(&t);
    assert_eq!(exact.units.len(), 4 * snapshot::UNIT_POINTS);
    // The first layer's outputs are relu(w·x + b) on the normalised x, on a grid over the axis.
    let xs = curves::grid(0.0, 1000.0, snapshot::UNIT_POINTS);
    let net = t.network();
    for (p, unit) in [(3, 2), (40, 0), (47, 3)] {
        let (w, b) = (net.layers[0].weights[[0, unit]], net.layers[0].bias[unit]);
        let want = (w * (xs[p] / 1000.0) as f32 + b).max(0.0);
        assert!((exact.units[p * 4 + unit] - want).abs() < 1e-6, "point {p}, unit {unit}");
    }
}
