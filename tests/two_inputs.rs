//! Two-input tasks: the best plane against closed forms, the collapse as one plane equation,
//! first-layer kink lines, the grid the heatmaps are drawn from, and 1-D slices.

use ndarray::{array, Array1, Array2};
use squares_playground::analysis::{self, least_squares, Affine};
use squares_playground::equation::equation;
use squares_playground::layer::Dense;
use squares_playground::slice::Slice;
use squares_playground::surface::{
    clip_line, first_layer_kinks, grid_size_for, residual_into, target_into, training_inputs, SurfaceEvaluator,
    SurfaceGrid, GRID_WORK, MAX_GRID, MIN_GRID,
};
use squares_playground::train::{rng_stream, streams};
use squares_playground::{curves, Activation, Dataset, Experiment, Formula, LayerSpec, Network, Scaling, Task};
use Activation::{Linear, Relu, Tanh};

fn product() -> Experiment {
    Experiment { task: Task::Product, inputs: 2, ..Experiment::default() }
}

fn dense(weights: Array2<f32>, bias: Array1<f32>, activation: Activation) -> Dense {
    Dense { weights, bias, activation }
}

fn scaling(x_scale: f64, y_scale: f64) -> Scaling {
    Scaling { x_offset: vec![0.0; 2], x_scale: vec![x_scale; 2], y_offset: 0.0, y_scale }
}

#[test]
fn the_best_plane_through_the_product_on_a_full_grid_leaves_the_saddle() {
    // On every (x₁, x₂) in 1..=N, with m = (N+1)/2 and v = (N²−1)/12 the variance of one input,
    // x₁x₂ = m·x₁ + m·x₂ − m² + (x₁−m)(x₂−m): the last term is uncorrelated with x₁ and x₂, so
    // the best plane is y = m·x₁ + m·x₂ − m² and what it leaves, the saddle, has RMSE v.
    let n = 200usize;
    let x = Array2::from_shape_fn((n * n, 2), |(i, j)| (if j == 0 { i % n } else { i / n } + 1) as f64);
    let y = x.rows().into_iter().map(|r| r[0] * r[1]).collect();
    let fit = least_squares(x.view(), &y);
    let (m, v) = ((n as f64 + 1.0) / 2.0, ((n * n) as f64 - 1.0) / 12.0);
    assert!((fit.line.weights[0] - m).abs() < 1e-9 && (fit.line.weights[1] - m).abs() < 1e-9, "{:?}", fit.line);
    assert!((fit.line.bias + m * m).abs() < 1e-6, "{}", fit.line.bias);
    assert!((fit.rmse - v).abs() < 1e-6, "{} vs {v}", fit.rmse);
}

#[test]
fn the_best_plane_on_a_product_sample_solves_the_normal_equations() {
    let data = Dataset::generate(&product(), &mut rng_stream(7, streams::DATA));
    let fit = analysis::best_line(&data);
    // Independently: (XᵀX) β = Xᵀy with X = [1, x₁, x₂], solved by Cramer's rule.
    let mut xtx = [[0.0f64; 3]; 3];
    let mut xty = [0.0f64; 3];
    for (row, &y) in data.raw_x.rows().into_iter().zip(&data.raw_y) {
        let r = [1.0, row[0], row[1]];
        for i in 0..3 {
            xty[i] += r[i] * y;
            for j in 0..3 {
                xtx[i][j] += r[i] * r[j];
            }
        }
    }
    let det = |m: [[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let solved: Vec<f64> = (0..3)
        .map(|k| {
            let mut m = xtx;
            for i in 0..3 {
                m[i][k] = xty[i];
            }
            det(m) / det(xtx)
        })
        .collect();
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * b.abs().max(1.0);
    assert!(close(fit.line.bias, solved[0]), "{} vs {}", fit.line.bias, solved[0]);
    assert!(close(fit.line.weights[0], solved[1]) && close(fit.line.weights[1], solved[2]), "{:?} vs {solved:?}", fit);
    // The sample's floor is near the full grid's (1000² − 1)/12.
    assert!((fit.rmse / 83_333.25 - 1.0).abs() < 0.05, "{}", fit.rmse);
}

#[test]
fn an_all_linear_two_input_network_collapses_to_one_plane_equation() {
    // x·W₁·W₂ = x·(−1, −1)ᵀ; b₁·W₂ + b₂ = 0.5 + 1 + 0.25 = 1.75, in normalised units.
    let network = Network {
        layers: vec![
            dense(array![[1.0, 2.0], [3.0, 4.0]], array![0.5, -1.0], Linear),
            dense(array![[1.0], [-1.0]], array![0.25], Linear),
        ],
    };
    let s = scaling(1000.0, 1e6);
    let plane = analysis::collapse_in_user_units(&network, &s).unwrap();
    assert_eq!(equation(&plane), "y = -1000.000000·x₁ - 1000.000000·x₂ + 1750000.000");
    // The network itself is the oracle: it computes that plane everywhere.
    for point in [[1.0, 1.0], [250.0, 900.0], [1000.0, 3.0]] {
        let mut u = [0.0f32; 2];
        s.normalize_x(&point, &mut u);
        let predicted = s.denormalize_y(network.predict(ndarray::aview2(&[u]))[[0, 0]]);
        assert!(
            (predicted - plane.eval(&point)).abs() < 1e-6 * 1e6,
            "{point:?}: {predicted} vs {}",
            plane.eval(&point)
        );
    }
}

#[test]
fn the_equation_reads_like_the_one_input_line_it_generalises() {
    let line = Affine { weights: vec![990.66464], bias: -163324.026 };
    assert_eq!(equation(&line), "y = 990.664640·x - 163324.026");
    let plane = Affine { weights: vec![500.5, -0.25], bias: 0.0 };
    assert_eq!(equation(&plane), "y = 500.500000·x₁ - 0.250000·x₂ + 0.000");
    let sum = Affine { weights: vec![1.0; 3], bias: -2.0 };
    assert_eq!(equation(&sum), "y = 1.000000·x₁ + 1.000000·x₂ + 1.000000·x₃ - 2.000");
}

#[test]
fn first_layer_kinks_are_the_lines_where_each_relu_unit_switches() {
    // Unit 0: u₁ = 0.5, i.e. x₁ = 500. Unit 1: u₁ + u₂ = 1, i.e. x₁ + x₂ = 1000.
    // Unit 2: x₁ + x₂ = 5000 misses the square. Unit 3 never switches (no weights).
    let first = dense(array![[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, 1.0, 0.0]], array![-0.5, -1.0, -5.0, 1.0], Relu);
    let out = dense(Array2::ones((4, 1)), array![0.0], Linear);
    let network = Network { layers: vec![first.clone(), out.clone()] };
    let s = scaling(1000.0, 1.0);
    let kinks = first_layer_kinks(&network, &s, 0.0, 1000.0).unwrap();
    assert_eq!(kinks.len(), 2, "{kinks:?}");
    let near = |p: (f64, f64), q: (f64, f64)| (p.0 - q.0).abs() < 1e-9 && (p.1 - q.1).abs() < 1e-9;
    let k0 = kinks[0];
    assert_eq!(k0.unit, 0);
    assert!(near(k0.from, (500.0, 0.0)) && near(k0.to, (500.0, 1000.0)) || near(k0.to, (500.0, 0.0)), "{k0:?}");
    let k1 = kinks[1];
    assert_eq!(k1.unit, 1);
    let ends = [k1.from, k1.to];
    assert!(ends.iter().any(|&p| near(p, (0.0, 1000.0))) && ends.iter().any(|&p| near(p, (1000.0, 0.0))), "{k1:?}");
    // The unit's pre-activation changes sign across its line, in user units with an offset too.
    let s = Scaling { x_offset: vec![300.0, -20.0], x_scale: vec![50.0, 400.0], y_offset: 0.0, y_scale: 1.0 };
    let first = dense(array![[0.7, -0.2], [0.3, 0.9]], array![0.1, -0.4], Relu);
    let network = Network { layers: vec![first.clone(), dense(Array2::ones((2, 1)), array![0.0], Linear)] };
    for kink in first_layer_kinks(&network, &s, 0.0, 1000.0).unwrap() {
        let z = |x: (f64, f64)| {
            let mut u = [0.0f32; 2];
            s.normalize_x(&[x.0, x.1], &mut u);
            u[0] as f64 * first.weights[[0, kink.unit]] as f64
                + u[1] as f64 * first.weights[[1, kink.unit]] as f64
                + first.bias[kink.unit] as f64
        };
        let mid = ((kink.from.0 + kink.to.0) / 2.0, (kink.from.1 + kink.to.1) / 2.0);
        assert!(z(mid).abs() < 1e-4, "on the line: {}", z(mid));
        for end in [kink.from, kink.to] {
            assert!((0.0..=1000.0).contains(&end.0) && (0.0..=1000.0).contains(&end.1), "clipped: {end:?}");
        }
    }
    // Smooth or linear first layers, and one-input networks, have no kink lines.
    let smooth = Network { layers: vec![Dense { activation: Tanh, ..first.clone() }, out.clone()] };
    assert_eq!(first_layer_kinks(&smooth, &s, 0.0, 1.0), None);
    let one_input = Network::new(&Experiment::default(), &mut rng_stream(1, streams::INIT));
    assert_eq!(first_layer_kinks(&one_input, &s, 0.0, 1.0), None);
}

#[test]
fn clipping_keeps_exactly_the_part_inside_the_square() {
    // Either direction: the ends in order.
    let ends = |line: Option<((f64, f64), (f64, f64))>| {
        line.map(|(p, q)| if p.partial_cmp(&q) == Some(std::cmp::Ordering::Greater) { (q, p) } else { (p, q) })
    };
    // x₂ = x₁ (the diagonal): corner to corner.
    assert_eq!(ends(clip_line([1.0, -1.0], 0.0, 0.0, 10.0)), Some(((0.0, 0.0), (10.0, 10.0))));
    // Horizontal x₂ = 4, vertical x₁ = 7.
    let h = clip_line([0.0, 1.0], -4.0, 0.0, 10.0).unwrap();
    assert_eq!((h.0 .1, h.1 .1, h.0 .0.min(h.1 .0), h.0 .0.max(h.1 .0)), (4.0, 4.0, 0.0, 10.0));
    assert!(clip_line([1.0, 0.0], -7.0, 0.0, 10.0).is_some());
    assert_eq!(clip_line([1.0, 0.0], -11.0, 0.0, 10.0), None, "outside");
    assert_eq!(clip_line([1.0, 1.0], -30.0, 0.0, 10.0), None, "misses the corner");
    assert_eq!(clip_line([0.0, 0.0], 1.0, 0.0, 10.0), None, "no line");
    assert_eq!(clip_line([f64::NAN, 1.0], 1.0, 0.0, 10.0), None);
}

#[test]
fn the_grid_resolution_keeps_one_pass_within_its_budget() {
    assert_eq!(grid_size_for(10), MAX_GRID, "a tiny network gets the finest grid");
    assert_eq!(grid_size_for(205_281), MIN_GRID, "the question's network the coarsest");
    let default_two_inputs = Experiment { inputs: 2, task: Task::Product, ..Experiment::default() }.parameter_count();
    let n = grid_size_for(default_two_inputs);
    assert!((MIN_GRID..MAX_GRID).contains(&n), "{n}");
    for parameters in [1, 100, 4417, 20_000, 100_000, 1_000_000] {
        let n = grid_size_for(parameters);
        assert!(n == MIN_GRID || n * n * parameters <= GRID_WORK, "{parameters}: {n}");
        assert!(n == MAX_GRID || (n + 1) * (n + 1) * parameters > GRID_WORK, "{parameters}: {n} is the largest");
    }
    let grid = SurfaceGrid::new(0.0, 1000.0, 4);
    assert_eq!(grid.coordinates(), vec![125.0, 375.0, 625.0, 875.0], "cell centres");
    assert_eq!(grid.point(6), [625.0, 375.0], "row-major: column then row");
    assert_eq!(SurfaceGrid::new(f64::NAN, 1.0, 0), SurfaceGrid { lo: 0.0, hi: 1.0, n: 1 });
}

#[test]
fn the_surface_is_the_network_and_the_target_at_every_cell() {
    let e = Experiment { hidden: vec![LayerSpec::new(5, Relu), LayerSpec::new(3, Tanh)], ..product() };
    let data = Dataset::generate(&e, &mut rng_stream(1, streams::DATA));
    let a = Network::new(&e, &mut rng_stream(1, streams::INIT));
    let b = Network::new(&e, &mut rng_stream(2, streams::INIT));
    let grid = SurfaceGrid::new(0.0, 1000.0, 7);
    let mut evaluator = SurfaceEvaluator::new(&a, &data.scaling, grid);
    let (mut prediction, mut target, mut residual) = (vec![0.0; 49], vec![0.0; 49], vec![0.0; 49]);
    // Twice, with two networks of one shape: the buffers are reused, the answers independent.
    for network in [&a, &b, &a] {
        evaluator.predict_into(network, &data.scaling, &mut prediction);
        for (index, &p) in prediction.iter().enumerate() {
            let [x1, x2] = grid.point(index);
            let along = Slice::Fixed { x2 }.prediction(network, &data.scaling, &[x1]);
            assert!((p - along[0].1).abs() <= 1e-9 * p.abs().max(1.0), "{index}: {p} vs {:?}", along[0]);
        }
    }
    target_into(e.target(), grid, &mut target);
    assert_eq!(target[6 * 7 + 2], grid.coordinate(2) * grid.coordinate(6));
    residual_into(&target, &prediction, &mut residual);
    assert_eq!(residual[10], target[10] - prediction[10]);
    let points = training_inputs(&data, 100);
    assert_eq!(points.len(), 100);
    assert_eq!(points[0], (data.raw_x[[0, 0]], data.raw_x[[0, 1]]));
}

#[test]
fn a_slice_is_the_diagonal_or_a_cut_at_fixed_x2() {
    let e = Experiment { hidden: vec![LayerSpec::new(4, Relu)], ..product() };
    let data = Dataset::generate(&e, &mut rng_stream(1, streams::DATA));
    let network = Network::new(&e, &mut rng_stream(1, streams::INIT));
    let xs = curves::grid(1.0, 1000.0, 9);
    // The diagonal is what the one-input chart has always drawn for two inputs: the
    // network at (x, x).
    for (x, y) in Slice::Diagonal.prediction(&network, &data.scaling, &xs) {
        let mut u = [0.0f32; 2];
        data.scaling.normalize_x(&[x, x], &mut u);
        assert_eq!(y, data.scaling.denormalize_y(network.predict(ndarray::aview2(&[u]))[[0, 0]]), "{x}");
    }
    assert_eq!(Slice::Diagonal.target(e.target(), &xs), curves::target(e.target(), &xs));
    let across = Slice::Fixed { x2: 300.0 };
    assert_eq!(across.target(e.target(), &xs)[2], (xs[2], xs[2] * 300.0));
    // A plane along a slice: (a + b)·x + c on the diagonal, a·x + (b·x₂ + c) across.
    let plane = Affine { weights: vec![2.0, 5.0], bias: 1.0 };
    assert_eq!(Slice::Diagonal.line(&plane), (7.0, 1.0));
    assert_eq!(across.line(&plane), (2.0, 1501.0));
    // Training points within the band of the cut, at x = x₁.
    let points = across.training_points(&data, 20.0, 1000);
    assert!(!points.is_empty());
    for (x, y) in points {
        let x2 = y / x;
        assert!((x2 - 300.0).abs() <= 20.0 + 1e-9, "{x}, {y}");
    }
    let typed = Formula::parse("x1*x2").unwrap();
    let typed = Experiment { task: Task::Function, formula: typed, ..e.clone() };
    assert_eq!(across.target(typed.target(), &xs), across.target(e.target(), &xs));
}

#[test]
fn the_grid_downloads_as_one_csv_row_per_cell() {
    let grid = SurfaceGrid::new(0.0, 4.0, 2);
    let target = [1.0, 3.0, 3.0, 9.0];
    let csv = squares_playground::surface::grid_csv(
        grid,
        &target,
        &[("relu \"64\"", &[1.5, 2.5, 3.5, 8.0]), ("twin", &[0.0])],
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], r#""x1","x2","target","relu ""64""","twin""#);
    assert_eq!(lines[1..], ["1,1,1,1.5,0", "3,1,3,2.5,", "1,3,3,3.5,", "3,3,9,8,"]);
}
