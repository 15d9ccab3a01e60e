//! Training as Keras `fit` does it, and the question's experiments reproduced.

use squares_playground::analysis::{self, best_line};
use squares_playground::snapshot::exact_of;
use squares_playground::train::epoch_orders;
use squares_playground::{preset, Activation, Experiment, LayerSpec, Normalization, OptimizerKind, Status, Trainer};

fn trained(experiment: &Experiment) -> Trainer {
    let mut t = Trainer::new(experiment).unwrap();
    t.run(|_| {});
    t
}

fn rmse(t: &Trainer) -> f64 {
    exact_of(t).report.rmse
}

#[test]
fn the_same_config_and_seed_give_bit_identical_weights_and_losses() {
    let e = Experiment { epochs: 20, ..Experiment::default() };
    let (a, b) = (trained(&e), trained(&e));
    assert_eq!(a.network(), b.network());
    let bits = |t: &Trainer| t.loss_history().iter().map(|l| l.to_bits()).collect::<Vec<_>>();
    assert_eq!(bits(&a), bits(&b));
    let c = trained(&Experiment { seed: 2, ..e });
    assert_ne!(a.network(), c.network(), "another seed is another run");
}

#[test]
fn twins_that_differ_only_in_activations_see_the_same_data_and_batches() {
    let relu = Experiment { epochs: 1, ..Experiment::default() };
    let linear = Experiment {
        hidden: relu.hidden.iter().map(|l| LayerSpec::new(l.units, Activation::Linear)).collect(),
        ..relu.clone()
    };
    let (mut a, mut b) = (Trainer::new(&relu).unwrap(), Trainer::new(&linear).unwrap());
    assert_eq!(a.data().raw_x, b.data().raw_x);
    a.step_batch();
    b.step_batch();
    assert_eq!(a.order(), b.order());
}

#[test]
fn an_epoch_is_ceil_n_over_batch_steps_with_a_partial_last_batch_and_a_fresh_shuffle() {
    let e = Experiment { examples: 1000, batch_size: 300, epochs: 3, ..Experiment::default() };
    let mut t = Trainer::new(&e).unwrap();
    assert_eq!(t.batches_per_epoch(), 4);
    for _ in 0..3 {
        t.step_batch();
        assert_eq!(t.epoch(), 0);
    }
    let first_order = t.order().to_vec();
    assert_eq!(t.step_batch(), Status::Running);
    assert_eq!((t.epoch(), t.loss_history().len()), (1, 1), "the 100-row remainder ends the epoch");
    t.step_batch();
    assert_ne!(t.order(), &first_order[..], "reshuffled every epoch");
    let mut sorted = t.order().to_vec();
    sorted.sort();
    assert_eq!(sorted, (0..1000).collect::<Vec<u32>>(), "a permutation: every example once per epoch");
    assert_eq!(t.step_epoch(), Status::Running);
    assert_eq!(t.epoch(), 2);
    assert_eq!(t.step_batches(100), Status::Finished);
    assert_eq!((t.epoch(), t.loss_history().len()), (3, 3));
    assert_eq!(t.step_batch(), Status::Finished, "a finished run stays finished");
}

#[test]
fn the_trainer_trains_on_the_orders_that_epoch_orders_lists() {
    let e = Experiment { examples: 50, batch_size: 7, epochs: 5, seed: 4, ..Experiment::default() };
    let orders = epoch_orders(&e);
    assert_eq!(orders.len(), 5);
    let mut trainer = Trainer::new(&e).unwrap();
    for order in &orders {
        trainer.step_batch();
        assert_eq!(trainer.order(), &order[..]);
        trainer.step_epoch();
    }
    assert_ne!(orders[0], orders[1], "a new permutation every epoch");
}

#[test]
fn a_diverging_learning_rate_stops_at_the_first_non_finite_value() {
    let mut e = Experiment { epochs: 50, ..Experiment::default() };
    e.optimizer.kind = OptimizerKind::Sgd;
    e.optimizer.learning_rate = 10.0;
    let mut t = Trainer::new(&e).unwrap();
    let status = t.run(|_| {});
    let Status::Diverged { epoch } = status else { panic!("lr 10 should diverge, got {status:?}") };
    assert!(epoch <= 5, "caught early, in epoch {epoch}");
    assert_eq!(t.epoch(), epoch - 1, "the diverging epoch is not counted as completed");
    assert!(t.loss_history().iter().all(|l| l.is_finite()));
    assert_eq!(t.step_batches(10), status, "training stays stopped");
}

#[test]
fn the_question_sum_preset_is_learned_exactly_without_any_activation() {
    // The outcome of 500 epochs (RMSE 0) is already reached after 30.
    let e = Experiment { epochs: 30, ..preset("question-sum").unwrap().experiment() };
    let t = trained(&e);
    assert!(rmse(&t) < 1.0, "RMSE {}", rmse(&t));
    assert!(analysis::collapse(t.network()).is_some(), "an all-linear network is one unit");
}

#[test]
fn the_question_square_preset_cannot_beat_the_best_straight_line() {
    let t = trained(&preset("question-square").unwrap().experiment());
    let floor = best_line(t.data()).rmse;
    let r = rmse(&t);
    // Rounding predictions to integers (the question's invert) can shave < 0.5 off.
    assert!(r >= floor - 0.5, "RMSE {r} below the floor {floor}");
    assert!(r <= 1.10 * floor, "RMSE {r} not within 10 % of the floor {floor}");
    assert!((floor / 74_535.0 - 1.0).abs() < 0.05);
}

#[test]
fn a_small_relu_network_with_x_scaled_by_largest_fits_x_squared() {
    let t = trained(&preset("small-relu").unwrap().experiment());
    let floor = best_line(t.data()).rmse;
    assert!(rmse(&t) < 0.01 * floor, "RMSE {} vs floor {floor}", rmse(&t));
}

#[test]
fn the_answers_fix_on_squeezed_inputs_sits_on_a_plateau_that_scaled_inputs_skip() {
    // x in (0, 0.001]: the relu network predicts little more than the mean of y for tens of
    // epochs (about 85 with this seed), then breaks through. The page uses this to show
    // that input scaling matters; the same network with x / largest is below the floor
    // within 5 epochs.
    let squeezed = trained(&Experiment { epochs: 200, ..preset("answer-fix").unwrap().experiment() });
    let floor = best_line(squeezed.data()).rmse;
    let floor_loss = (floor / squeezed.data().scaling.y_scale).powi(2);
    assert!(squeezed.loss_history()[49] as f64 > 5.0 * floor_loss, "on the plateau at epoch 50");
    let r = rmse(&squeezed);
    assert!(r < 0.5 * floor, "bent below the floor by epoch 200: RMSE {r}, floor {floor}");

    let scaled =
        Experiment { epochs: 5, normalization: Normalization::Largest, ..preset("answer-fix").unwrap().experiment() };
    let scaled = trained(&scaled);
    let floor_loss = (best_line(scaled.data()).rmse / scaled.data().scaling.y_scale).powi(2);
    assert!((scaled.loss_history()[4] as f64) < floor_loss, "below the floor within 5 epochs");
}

#[test]
fn noise_is_drawn_apart_and_scales_with_the_targets_range() {
    let clean = Trainer::new(&Experiment { epochs: 1, ..Experiment::default() }).unwrap();
    let noisy = Trainer::new(&Experiment { epochs: 1, noise: 0.1, ..Experiment::default() }).unwrap();
    assert_eq!(clean.data().raw_x, noisy.data().raw_x, "the inputs are drawn as before");
    assert_eq!(clean.network(), noisy.network(), "so are the weights");
    let diffs: Vec<f64> = noisy.data().raw_y.iter().zip(&clean.data().raw_y).map(|(a, b)| a - b).collect();
    let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
    let sd = (diffs.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / diffs.len() as f64).sqrt();
    let range = clean.data().raw_y.iter().fold(f64::MIN, |m, &v| m.max(v))
        - clean.data().raw_y.iter().fold(f64::MAX, |m, &v| m.min(v));
    // 1000 draws: the sample's σ is within ~5 % of 0.1 × range, its mean near 0.
    assert!((sd / (0.1 * range) - 1.0).abs() < 0.08, "σ {sd} vs {}", 0.1 * range);
    assert!(mean.abs() < 0.01 * range, "mean {mean}");
}

#[test]
fn a_test_split_holds_out_the_last_rows_and_measures_them_after_every_epoch() {
    let e = Experiment { epochs: 3, test_split: 0.2, twin: None, ..Experiment::default() };
    let mut t = Trainer::new(&e).unwrap();
    assert_eq!((t.data().train_rows, t.data().test_rows()), (800, 200));
    assert_eq!(t.batches_per_epoch(), 8);
    for _ in 0..3 {
        t.step_epoch();
        assert!(t.order().iter().all(|&i| i < 800), "a test row was trained on");
    }
    assert_eq!(t.test_loss_history().len(), 3);
    // Keras' val_loss: the MSE over the held-out rows with the weights after the epoch.
    let predicted = t.network().predict(t.data().x.slice(ndarray::s![800.., ..]));
    let mse: f64 = predicted
        .column(0)
        .iter()
        .zip(t.data().y.slice(ndarray::s![800.., 0]))
        .map(|(&p, &y)| ((p - y) as f64).powi(2))
        .sum::<f64>()
        / 200.0;
    assert!(
        (t.test_loss_history()[2] as f64 - mse).abs() < 1e-6 * mse.max(1e-12),
        "{} vs {mse}",
        t.test_loss_history()[2]
    );
    // The floor and the report are the training set's; the test RMSE is measured apart.
    let floor = best_line(t.data());
    let x = t.data().raw_x.slice(ndarray::s![..800, ..]).to_owned();
    let y = t.data().raw_y.slice(ndarray::s![..800]).to_owned();
    assert_eq!(floor, analysis::least_squares(x.view(), &y));
    let exact = exact_of(&t);
    assert!(exact.test_rmse.unwrap() > 0.0 && exact.report.rmse > 0.0);
    assert_eq!(exact_of(&Trainer::new(&Experiment { test_split: 0.0, ..e }).unwrap()).test_rmse, None);
}
