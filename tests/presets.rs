//! Each teaching preset shows what its caption says.

use squares_playground::analysis::best_line;
use squares_playground::pieces::{breakpoints, dead_units};
use squares_playground::snapshot::exact_of;
use squares_playground::{preset, Experiment, Trainer, PRESETS};

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
