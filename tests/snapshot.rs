//! One pass for everything the page shows: sliced or in one go, the same figures; a pass
//! that sees the weights change starts over; work that could take seconds is bounded.

use squares_playground::pieces::{self, KinkTracer, Kinks, Traced};
use squares_playground::snapshot::exact_of;
use squares_playground::train::rng_stream;
use squares_playground::{Experiment, Network, Scaling, Snapshotter, Trainer, View};

fn trainer(query: &str, batches: usize) -> Trainer {
    let e = Experiment::from_query(query).unwrap_or_else(|notes| panic!("{query}: {notes:?}"));
    let mut t = Trainer::new(&e).unwrap();
    t.step_batches(batches);
    t
}

#[test]
fn an_exact_pass_in_slices_gives_the_figures_of_one_in_one_go() {
    let t = trainer("v=1&layers=32:relu,16:relu&extent=3&twin=off&lr=0.01", 300);
    let whole = exact_of(&t);
    assert_eq!(whole.kinks.traced, Traced::Exactly);
    assert!(whole.kinks.breakpoints.len() > 3, "a trained relu net bends: {:?}", whole.kinks);
    let mut snapshots = Snapshotter::new(&t, View::of(&t));
    snapshots.begin_exact(&t);
    let mut slices = 1;
    while !snapshots.advance_exact(&t, 500) {
        slices += 1;
    }
    assert!(slices > 20, "the pass was cut into {slices} slices");
    assert_eq!(snapshots.exact(), &whole);
}

#[test]
fn a_pass_that_sees_the_weights_change_starts_over_on_the_new_ones() {
    let mut t = trainer("v=1&layers=16:relu&twin=off", 5);
    let mut snapshots = Snapshotter::new(&t, View::of(&t));
    snapshots.begin_exact(&t);
    assert!(!snapshots.advance_exact(&t, 2_000));
    t.step_batches(1);
    while !snapshots.advance_exact(&t, 2_000) {}
    assert_eq!(snapshots.exact().steps, 6);
    assert_eq!(snapshots.exact(), &Snapshotter::new(&t, View::of(&t)).exact_now(&t).clone());
}

#[test]
fn the_live_figures_follow_the_trainer() {
    let t = trainer("v=1&layers=8:linear&examples=1000&batch=300&twin=off", 6);
    let mut snapshots = Snapshotter::new(&t, View { x_max: 2000.0, curve_points: 11, ..View::of(&t) });
    let live = snapshots.live(&t);
    assert_eq!((live.epoch, live.batch, live.steps), (1, 2, 6), "6 batches of 4 per epoch");
    assert_eq!(live.curve.first().unwrap()[0], 0.0);
    assert_eq!(live.curve.last().unwrap()[0], 2000.0);
    assert!(live.collapse.is_some());
}

#[test]
fn a_network_too_wide_to_trace_is_reported_as_such_after_bounded_work() {
    // 1000 relu units, unit i switching on at u = i/250; the 900 units of the next layer
    // weigh them +1, −2, +2, −2, … so their input zigzags between 0 and 1/250 and, with a
    // bias of −1/500, crosses zero on every piece: 900 000 kinks, far beyond the bound.
    let e = Experiment::from_query("v=1&layers=1000:relu,900:relu&batch=50&twin=off").unwrap();
    let mut net = Network::new(&e, &mut rng_stream(1, 1));
    for i in 0..1000 {
        net.layers[0].weights[[0, i]] = 1.0;
        net.layers[0].bias[i] = -(i as f32) / 250.0;
        let zigzag = if i == 0 {
            1.0
        } else if i % 2 == 1 {
            -2.0
        } else {
            2.0
        };
        net.layers[1].weights.row_mut(i).fill(zigzag);
    }
    net.layers[1].bias.fill(-1.0 / 500.0);
    let scaling = Scaling { x_offset: vec![0.0], x_scale: vec![1.0], y_offset: 0.0, y_scale: 1.0 };
    let mut tracer = KinkTracer::new(&net);
    assert!(tracer.begin(&net, &scaling, (0.0, 4.0), (0.0, 4.0)));
    let mut slices = 0;
    while !tracer.advance(&net, 1_000_000) {
        slices += 1;
        assert!(slices <= pieces::WORK_BUDGET / 1_000_000 + 2, "each slice is bounded, and so is the whole");
    }
    let mut kinks = Kinks::with_capacity();
    tracer.result(&mut kinks);
    assert_eq!(kinks.traced, Traced::TooLarge);
    assert!(kinks.breakpoints.is_empty());
}

#[test]
fn a_resumed_trace_finds_what_one_uninterrupted_trace_finds() {
    let t = trainer("v=1&layers=24:relu,24:leaky_relu,12:relu&twin=off&lr=0.01&extent=2", 200);
    let (net, scaling) = (t.network(), &t.data().scaling);
    let whole = pieces::breakpoints(net, scaling, 0.0, 2000.0);
    let mut tracer = KinkTracer::new(net);
    tracer.begin(net, scaling, (0.0, 2000.0), (0.0, 2000.0));
    while !tracer.advance(net, 50) {}
    let mut sliced = Kinks::with_capacity();
    tracer.result(&mut sliced);
    assert_eq!(sliced, whole);
    assert!(whole.breakpoints.windows(2).all(|w| w[0].x <= w[1].x), "kinks come out sorted");
}
