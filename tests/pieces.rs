//! Breakpoints of relu networks: a hand-built net with known kinks, and random nets checked
//! against the slopes of their own output on a fine grid.

use ndarray::{array, Array2};
use squares_playground::layer::Dense;
use squares_playground::pieces::{breakpoints, dead_units, Traced};
use squares_playground::train::rng_stream;
use squares_playground::{Activation, Experiment, LayerSpec, Network, Scaling};

fn identity() -> Scaling {
    Scaling { x_offset: vec![0.0], x_scale: vec![1.0], y_offset: 0.0, y_scale: 1.0 }
}

fn hand_built() -> Network {
    Network {
        layers: vec![
            Dense {
                weights: array![[1.0f32, 1.0, -1.0, 1.0]],
                bias: array![-0.2f32, -0.5, 0.7, -3.0],
                activation: Activation::Relu,
            },
            Dense {
                weights: array![[1.0f32], [2.0], [1.0], [5.0]],
                bias: array![0.0f32],
                activation: Activation::Linear,
            },
        ],
    }
}

#[test]
fn a_hand_built_relu_layer_bends_where_each_unit_switches() {
    let p = breakpoints(&hand_built(), &identity(), 0.0, 1.0);
    let xs: Vec<f64> = p.breakpoints.iter().map(|b| b.x).collect();
    assert_eq!(xs.len(), 3, "the unit switching at x = 3 is outside [0, 1]: {xs:?}");
    for (x, want) in xs.iter().zip([0.2, 0.5, 0.7]) {
        assert!((x - want).abs() < 1e-6, "{x} vs {want}");
    }
    assert_eq!(p.breakpoints.iter().map(|b| b.unit).collect::<Vec<_>>(), vec![0, 1, 2]);
    // Output slopes −1, 0, 2, 3 on the four pieces.
    assert_eq!(p.pieces, 4);
    // Over [0, 5] the fourth unit adds a kink too.
    assert_eq!(breakpoints(&hand_built(), &identity(), 0.0, 5.0).pieces, 5);
}

#[test]
fn kinks_outside_the_data_leave_a_single_straight_piece() {
    let p = breakpoints(&hand_built(), &identity(), 0.75, 0.95);
    assert!(p.breakpoints.is_empty());
    assert_eq!(p.pieces, 1);
}

#[test]
fn breakpoints_are_reported_in_the_users_units() {
    let scaling = Scaling { x_offset: vec![0.0], x_scale: vec![1000.0], y_offset: 0.0, y_scale: 1e6 };
    let p = breakpoints(&hand_built(), &scaling, 1.0, 1000.0);
    assert!((p.breakpoints[0].x - 200.0).abs() < 1e-3);
}

#[test]
fn smooth_activations_and_several_inputs_have_no_breakpoints() {
    let mut net = hand_built();
    net.layers[0].activation = Activation::Tanh;
    assert_eq!(breakpoints(&net, &identity(), 0.0, 1.0).traced, Traced::NotPiecewiseLinear);
}

#[test]
fn piece_counts_of_deep_random_nets_match_the_slopes_of_their_output() {
    for seed in 1..6 {
        let e = Experiment {
            hidden: vec![
                LayerSpec::new(8, Activation::Relu),
                LayerSpec::new(6, Activation::LeakyRelu),
                LayerSpec::new(5, Activation::Relu),
            ],
            ..Experiment::default()
        };
        let mut net = Network::new(&e, &mut rng_stream(seed, 1));
        for layer in &mut net.layers {
            layer.bias.iter_mut().enumerate().for_each(|(i, b)| *b = 0.3 * ((i * 7 + seed as usize) % 5) as f32 - 0.6);
        }
        let p = breakpoints(&net, &identity(), -2.0, 2.0);
        assert_eq!(p.traced, Traced::Exactly);
        let f = |x: f64| net.predict(array![[x as f32]].view())[[0, 0]] as f64;
        // Between consecutive kinks the output must be exactly straight, and the number of
        // slope changes between neighbouring pieces must be the reported piece count − 1.
        let mut edges = vec![-2.0];
        edges.extend(p.breakpoints.iter().map(|b| b.x));
        edges.push(2.0);
        let mut slopes = Vec::new();
        for w in edges.windows(2) {
            let (a, b) = (w[0] + 1e-4, w[1] - 1e-4);
            if b - a < 1e-3 {
                continue;
            }
            let mid = 0.5 * (a + b);
            assert!((f(mid) - 0.5 * (f(a) + f(b))).abs() < 1e-5, "seed {seed}: bent inside [{a}, {b}]");
            slopes.push((f(b) - f(a)) / (b - a));
        }
        let changes = slopes.windows(2).filter(|s| (s[0] - s[1]).abs() > 1e-3 * (1.0 + s[0].abs())).count();
        assert_eq!(changes + 1, p.pieces, "seed {seed}: {} kinks, slopes {slopes:?}", p.breakpoints.len());
    }
}

#[test]
fn a_relu_unit_that_is_off_on_all_the_data_is_dead() {
    let x = Array2::from_shape_fn((10, 1), |(i, _)| i as f32 / 10.0);
    // Unit 2 (−x + 0.7) is on for x < 0.7; unit 3 (x − 3) is never on inside [0, 1).
    assert_eq!(dead_units(&hand_built(), &x), vec![(0, 3)]);
}
