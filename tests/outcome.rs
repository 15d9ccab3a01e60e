//! What a run became, decided on hand-built networks whose shape is known, and on real
//! short runs.

use ndarray::{Array1, Array2};
use squares_playground::layer::Dense;
use squares_playground::outcome::{Evidence, Outcome};
use squares_playground::snapshot::exact_of;
use squares_playground::train::{rng_stream, streams};
use squares_playground::{preset, Activation, Dataset, Experiment, LayerSpec, Network, Normalization, Trainer};

/// The default task's data (y = x², 1000 integers in 1..=1000) with x and y scaled to (0, 1],
/// so that a network computes u ↦ u² exactly when it fits.
fn data() -> Dataset {
    let e = Experiment { normalization: Normalization::Largest, ..Experiment::default() };
    Dataset::generate(&e, &mut rng_stream(7, streams::DATA))
}

fn dense(weights: Vec<f32>, fan_in: usize, bias: Vec<f32>, activation: Activation) -> Dense {
    let units = bias.len();
    Dense { weights: Array2::from_shape_vec((fan_in, units), weights).unwrap(), bias: Array1::from(bias), activation }
}

/// u ↦ Σ s_k relu(u − k/K): the straight-line interpolation of u² at K + 1 knots on [0, 1]
/// (slope (2k + 1)/K on the k-th piece), within 1/(4K²) of it.
fn relu_interpolating_the_square(knots: usize) -> Network {
    let k = knots as f32;
    let bias = (0..knots).map(|i| -(i as f32) / k).collect();
    let slopes = (0..knots).map(|i| if i == 0 { 1.0 / k } else { 2.0 / k }).collect();
    Network {
        layers: vec![
            dense(vec![1.0; knots], 1, bias, Activation::Relu),
            dense(slopes, knots, vec![0.0], Activation::Linear),
        ],
    }
}

fn outcome(network: &Network) -> (Outcome, Evidence) {
    let evidence = Evidence::of(network, &data(), false);
    (Outcome::of(&evidence), evidence)
}

#[test]
fn a_relu_network_that_interpolates_the_square_bends_far_below_the_floor() {
    let (o, e) = outcome(&relu_interpolating_the_square(16));
    assert_eq!(o, Outcome::Bends);
    // Within 1/(4·16²) of x², in units of 1e6.
    assert!(e.rmse < 1e6 / (4.0 * 256.0), "{e:?}");
    assert!(e.bend > 0.9 * e.floor, "it reproduces nearly all of the parabola's bend: {e:?}");
}

#[test]
fn every_relu_dead_gives_one_constant_output() {
    // Both units are off for every u in (0, 1]: the output is the output bias, 0.3, everywhere.
    let net = Network {
        layers: vec![
            dense(vec![1.0, -2.0], 1, vec![-1.5, -0.1], Activation::Relu),
            dense(vec![4.0, 5.0], 2, vec![0.3], Activation::Linear),
        ],
    };
    let (o, e) = outcome(&net);
    assert_eq!(o, Outcome::Constant);
    assert!(e.dead_relu_layer);
    assert_eq!(e.spread, 0.0, "exactly one value");
    assert!(e.rmse > e.floor, "a constant is a flat line: never below the floor");
}

#[test]
fn a_dead_layer_in_the_middle_makes_the_output_constant_though_earlier_units_live() {
    let net = Network {
        layers: vec![
            dense(vec![1.0, 1.0], 1, vec![0.0, 0.1], Activation::Relu),
            // Off for every output of the first layer (which stays below 1.1).
            dense(vec![-1.0, -1.0], 2, vec![-0.01], Activation::Relu),
            dense(vec![2.0], 1, vec![0.5], Activation::Linear),
        ],
    };
    let (o, e) = outcome(&net);
    assert_eq!((o, e.dead_relu_layer), (Outcome::Constant, true));
}

#[test]
fn an_all_linear_network_is_a_straight_line_on_or_above_the_floor() {
    // y = 0.9 u + 0.05 through two linear layers: a line, but not the best one.
    let net = Network {
        layers: vec![
            dense(vec![3.0, -1.0], 1, vec![0.1, 0.2], Activation::Linear),
            dense(vec![0.5, 0.6], 2, vec![0.12], Activation::Linear),
        ],
    };
    let (o, e) = outcome(&net);
    assert_eq!(o, Outcome::Straight);
    assert!(e.rmse > e.floor && e.bend < 1e-3 * e.floor, "{e:?}");
}

#[test]
fn the_best_straight_line_itself_is_straight_and_on_the_floor_not_below_it() {
    let d = data();
    let line = squares_playground::analysis::best_line(&d).line;
    // In normalised units: y/1e6 = (a·1000 u + b)/1e6.
    let (a, b) = ((line.weights[0] * 1000.0 / 1e6) as f32, (line.bias / 1e6) as f32);
    let net = Network { layers: vec![dense(vec![a], 1, vec![b], Activation::Linear)] };
    let (o, e) = outcome(&net);
    assert_eq!(o, Outcome::Straight);
    assert!((e.rmse / e.floor - 1.0).abs() < 1e-4, "{e:?}");
}

#[test]
fn a_relu_network_whose_kinks_lie_outside_the_data_is_straight_not_bent() {
    // relu(u + 1) and relu(2 − u) are on for every u in (0, 1]: one straight piece.
    let net = Network {
        layers: vec![
            dense(vec![1.0, -1.0], 1, vec![1.0, 2.0], Activation::Relu),
            dense(vec![0.7, -0.2], 2, vec![0.0], Activation::Linear),
        ],
    };
    let (o, e) = outcome(&net);
    assert_eq!((o, e.dead_relu_layer), (Outcome::Straight, false));
}

#[test]
fn a_network_bent_the_wrong_way_is_curved_but_not_below_the_floor() {
    let mut net = relu_interpolating_the_square(16);
    net.layers[1].weights.mapv_inplace(|w| -w);
    let (o, e) = outcome(&net);
    assert_eq!(o, Outcome::Curved);
    assert!(e.rmse > e.floor && e.bend > 0.5 * e.floor, "{e:?}");
}

#[test]
fn a_saturated_tanh_network_is_constant_without_dead_relus() {
    let net = Network {
        layers: vec![
            dense(vec![1.0, 1.0], 1, vec![40.0, -40.0], Activation::Tanh),
            dense(vec![1.0, 1.0], 2, vec![0.2], Activation::Linear),
        ],
    };
    let (o, e) = outcome(&net);
    assert_eq!((o, e.dead_relu_layer), (Outcome::Constant, false));
}

#[test]
fn nan_weights_or_a_diverged_run_are_diverged() {
    let mut net = relu_interpolating_the_square(4);
    net.layers[1].bias[0] = f32::NAN;
    assert_eq!(outcome(&net).0, Outcome::Diverged);
    let healthy = relu_interpolating_the_square(4);
    assert_eq!(Outcome::of(&Evidence::of(&healthy, &data(), true)), Outcome::Diverged);
}

#[test]
fn the_rules_leave_room_for_the_reports_rounding_and_no_more() {
    let on_floor = Evidence {
        diverged: false,
        rmse: 1000.0,
        floor: 1000.0,
        bend: 0.0,
        spread: 5000.0,
        target_spread: 10_000.0,
        dead_relu_layer: false,
    };
    // Rounding predictions to integers moves the RMSE by at most 0.5.
    assert_eq!(Outcome::of(&Evidence { rmse: 999.6, ..on_floor }), Outcome::Straight);
    assert_eq!(Outcome::of(&Evidence { rmse: 999.4, bend: 40.0, ..on_floor }), Outcome::Bends);
    // Straight up to 1% of the floor's bend, however far above the floor.
    assert_eq!(Outcome::of(&Evidence { rmse: 5000.0, bend: 10.0, ..on_floor }), Outcome::Straight);
    assert_eq!(Outcome::of(&Evidence { rmse: 5000.0, bend: 10.1, ..on_floor }), Outcome::Curved);
    // Constant up to 0.1% of the targets' range.
    assert_eq!(Outcome::of(&Evidence { spread: 10.0, rmse: 3000.0, ..on_floor }), Outcome::Constant);
    assert_eq!(Outcome::of(&Evidence { spread: 10.1, rmse: 3000.0, ..on_floor }), Outcome::Straight);
}

#[test]
fn outcome_names_and_codes_round_trip() {
    for o in Outcome::ALL {
        assert_eq!(Outcome::from_name(o.name()), Some(o));
        assert_eq!(Outcome::from_code(o.code()), Some(o));
    }
    assert_eq!(Outcome::from_code(Outcome::ALL.len() as u8), None);
}

fn trained(e: &Experiment) -> Trainer {
    let mut t = Trainer::new(e).unwrap();
    t.run(|_| {});
    t
}

#[test]
fn the_evidence_rmse_is_the_reports_rmse_to_the_bit() {
    let t = trained(&Experiment { epochs: 5, twin: None, ..Experiment::default() });
    assert_eq!(Evidence::of_trainer(&t).rmse.to_bits(), exact_of(&t).report.rmse.to_bits());
}

#[test]
fn real_runs_a_small_relu_net_bends_and_its_linear_twin_is_straight() {
    let relu = preset("small-relu").unwrap().experiment();
    let e = Experiment { epochs: 100, ..relu };
    assert_eq!(Outcome::of(&Evidence::of_trainer(&trained(&e))), Outcome::Bends);
    let linear = Experiment { hidden: vec![LayerSpec::new(64, Activation::Linear); 2], ..e };
    assert_eq!(Outcome::of(&Evidence::of_trainer(&trained(&linear))), Outcome::Straight);
}

#[test]
fn real_runs_a_learning_rate_too_small_leaves_a_curve_above_the_floor() {
    // (After 20 epochs it is still within 1% of straight: Glorot's random start is nearly a
    // line over the data.)
    let evidence = Evidence::of_trainer(&trained(&preset("lr-too-small").unwrap().experiment()));
    assert_eq!(Outcome::of(&evidence), Outcome::Curved, "{evidence:?}");
}
