//! Each teaching preset shows what its caption says.

use squares_playground::analysis::best_line;
use squares_playground::curves;
use squares_playground::pieces::{breakpoints, dead_units};
use squares_playground::snapshot::exact_of;
use squares_playground::train::{rng_stream, streams};
use squares_playground::{preset, Dataset, Experiment, Task, Trainer, PRESETS};

fn trained(name: &str) -> Trainer {
    let mut t = Trainer::new(&preset(name).unwrap().experiment()).unwrap();
    t.run(|_| {});
    t
}

#[test]
fn every_preset_is_a_valid_canonical_link_with_a_caption() {
    assert!(PRESETS.len() >= 9);
    for p in PRESETS {
        let e = p.experiment();
        assert_eq!(Experiment::from_query(&e.to_query()), Ok(e.clone()), "{}", p.name);
        assert!(p.caption.len() > 20 && p.caption.ends_with('.'), "{}", p.name);
    }
}

#[test]
fn kinks_outside_the_data_leave_a_relu_network_straight() {
    let t = trained("kinks-outside");
    let largest = t.experiment().largest as f64;
    let p = breakpoints(t.network(), &t.data().scaling, 1.0, largest);
    assert_eq!(p.pieces, 1, "one straight piece over the data: {:?}", p.breakpoints);
    assert!(exact_of(&t).report.rmse >= best_line(t.data()).rmse - 0.5);
}

#[test]
fn a_large_learning_rate_kills_most_relu_units() {
    let t = trained("dead-relus");
    let dead = dead_units(t.network(), &t.data().x).len();
    assert!(dead * 2 > 32, "{dead} of 32 dead");
}

#[test]
fn a_tiny_learning_rate_leaves_the_network_worse_than_a_straight_line() {
    let t = trained("lr-too-small");
    assert!(exact_of(&t).report.rmse > best_line(t.data()).rmse);
}

#[test]
fn twins_share_everything_but_their_hidden_layers() {
    let e = preset("twins").unwrap().experiment();
    let twin = e.twin_experiment().unwrap();
    assert!(twin.all_linear() && !e.all_linear());
    assert_eq!(Experiment { hidden: e.hidden.clone(), twin: None, ..twin }, Experiment { twin: None, ..e });
}

/// A preset and its twin, trained.
fn trained_pair(name: &str) -> (Trainer, Trainer) {
    let e = preset(name).unwrap().experiment();
    let mut twin = Trainer::new(&e.twin_experiment().expect("a twin")).unwrap();
    twin.run(|_| {});
    (trained(name), twin)
}

fn rmse(t: &Trainer) -> f64 {
    exact_of(t).report.rmse
}

#[test]
fn the_cube_curves_harder_than_the_square_and_relu_still_bends_through_its_floor() {
    let (relu, twin) = trained_pair("cube");
    let floor = best_line(relu.data()).rmse;
    let largest = relu.experiment().target().max_abs(1000);
    assert!((floor / largest - 0.116).abs() < 0.0005, "x³: {}", floor / largest);
    // x² on the very same inputs.
    let square = Experiment { task: Task::Square, ..relu.experiment().clone() };
    let square_data = Dataset::generate(&square, &mut rng_stream(square.seed, streams::DATA));
    assert_eq!(square_data.raw_x, relu.data().raw_x);
    assert!((best_line(&square_data).rmse / 1e6 - 0.076).abs() < 0.0005, "x²: {}", best_line(&square_data).rmse);
    assert!(rmse(&relu) < floor / 100.0, "relu {} vs floor {floor}", rmse(&relu));
    assert!((rmse(&twin) / floor - 1.0).abs() < 0.01, "the twin on the floor: {} vs {floor}", rmse(&twin));
}

#[test]
fn one_kink_needs_two_relu_units_and_they_get_it_exactly() {
    let (relu, twin) = trained_pair("one-kink");
    assert_eq!(relu.experiment().parameter_count(), 7);
    assert!(rmse(&relu) < 0.5, "{}", rmse(&relu));
    let p = breakpoints(relu.network(), &relu.data().scaling, 1.0, 1000.0);
    assert!(p.breakpoints.iter().all(|b| (b.x - 500.0).abs() < 1.0), "every kink at 500: {:?}", p.breakpoints);
    assert!(rmse(&twin) >= best_line(twin.data()).rmse - 0.5, "the linear twin cannot bend");
}

#[test]
fn a_sine_is_followed_over_the_data_and_lost_beyond_it() {
    let t = trained("sine-beyond");
    let e = t.experiment();
    assert_eq!(e.extent, 2.0);
    let exact = exact_of(&t);
    let (inside, beyond) = (exact.rmse_inside, exact.rmse_outside.expect("the axis reaches beyond the data"));
    // What predicting 0 everywhere beyond the data would score: the sine's own RMS there.
    let xs = curves::grid(1000.0, 2000.0, 500);
    let zero = (xs.iter().map(|&x| e.target().eval(&[x]).powi(2)).sum::<f64>() / 500.0).sqrt();
    assert!(inside < 5.0 && (rmse(&t) - 2.2).abs() < 0.5, "over the data: {inside}, {}", rmse(&t));
    assert!(beyond > zero, "beyond: {beyond} should be worse than predicting 0 ({zero})");
}

#[test]
fn the_saddle_defeats_every_plane_and_relu_bends_through_it() {
    let (relu, twin) = trained_pair("saddle");
    assert_eq!(relu.experiment().inputs, 2);
    let floor = best_line(relu.data()).rmse;
    assert!((80_000.0..90_000.0).contains(&floor), "{floor}");
    assert!(rmse(&relu) < floor / 20.0, "relu {}", rmse(&relu));
    assert!((rmse(&twin) / floor - 1.0).abs() < 0.01, "the twin on the plane: {} vs {floor}", rmse(&twin));
}

#[test]
fn squeezed_inputs_differ_from_small_relu_only_in_scaling_and_end_far_above_it() {
    let (squeezed, small) =
        (preset("squeezed-inputs").unwrap().experiment(), preset("small-relu").unwrap().experiment());
    assert_eq!(Experiment { normalization: small.normalization, ..squeezed.clone() }, small, "like for like");
    let (squeezed, small) = (trained("squeezed-inputs"), trained("small-relu"));
    let floor_loss = (best_line(squeezed.data()).rmse / squeezed.data().scaling.y_scale).powi(2);
    assert!(squeezed.loss_history()[100] as f64 > floor_loss, "still on the plateau after 100 epochs");
    let (squeezed, small) = (exact_of(&squeezed).report.rmse, exact_of(&small).report.rmse);
    assert!(squeezed > 10.0 * small, "squeezed {squeezed} vs small-relu {small}");
}
