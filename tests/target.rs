//! The function a task learns: the question's tasks keep their closed forms, a typed function
//! is scaled by its largest value on the data, and the same function typed or built in gives
//! the very same data.

use squares_playground::train::{rng_stream, streams};
use squares_playground::{Dataset, Experiment, Formula, Normalization, Task};

fn typed(text: &str) -> Experiment {
    let formula = Formula::parse(text).unwrap();
    Experiment { task: Task::Function, inputs: formula.inputs(), formula, ..Experiment::default() }
}

#[test]
fn the_question_tasks_keep_their_closed_forms() {
    let task = |task, inputs| Experiment { task, inputs, ..Experiment::default() };
    assert_eq!(task(Task::Square, 1).target().max_abs(1000), 1e6);
    assert_eq!(task(Task::Sum, 3).target().max_abs(1000), 3000.0);
    assert_eq!(task(Task::Product, 2).target().max_abs(1000), 1e6);
    assert_eq!(task(Task::Sum, 3).target().eval(&[1.0, 2.0, 3.0]), 6.0);
    assert_eq!(task(Task::Square, 1).target().label(), "y = x²");
    assert_eq!(task(Task::Sum, 3).target().label(), "y = x₁ + x₂ + x₃");
    assert_eq!(task(Task::Product, 2).target().label(), "y = x₁·x₂");
    assert_eq!(typed("abs(x - 500)").target().label(), "f(x) = abs(x - 500)");
    assert_eq!(typed("x1*x2").target().label(), "f(x1, x2) = x1*x2");
}

#[test]
fn a_typed_function_is_scaled_by_its_largest_value_on_the_data() {
    assert_eq!(typed("x^3").target().max_abs(1000), 1e9);
    assert_eq!(typed("abs(x-500)").target().max_abs(1000), 500.0, "|1 − 500| = 499 < |1000 − 500|");
    assert_eq!(typed("-x").target().max_abs(1000), 1000.0, "a magnitude");
    assert_eq!(typed("x1*x2").target().max_abs(1000), 1e6);
    assert_eq!(typed("x1-x2").target().max_abs(1000), 999.0);
    // sin(k/100) peaks nearest k = 100·π/2 among the integers 1..=1000 (every one is sampled).
    let peak = (1..=1000).map(|k| (k as f64 / 100.0).sin().abs() * 1000.0).fold(0.0, f64::max);
    assert_eq!(typed("sin(x/100)*1000").target().max_abs(1000), peak);
    // Beyond 4096 integers the sample is an even grid with both ends: x² peaks at the end.
    assert_eq!(typed("x^2").target().max_abs(1_000_000), 1e12);
    // Dividing by it is always safe.
    assert_eq!(typed("0").target().max_abs(1000), 1.0);
    assert_eq!(typed("x-x").target().max_abs(1000), 1.0);
}

#[test]
fn each_normalisation_scales_a_typed_function_as_documented() {
    let generate = |e: &Experiment| Dataset::generate(e, &mut rng_stream(e.seed, streams::DATA));
    let cube = |normalization| Experiment { normalization, ..typed("x^3") };
    let data = generate(&cube(Normalization::Largest));
    assert_eq!((data.scaling.x_scale[0], data.scaling.y_scale), (1000.0, 1e9));
    let data = generate(&cube(Normalization::Question));
    assert_eq!((data.scaling.x_scale[0], data.scaling.y_scale), (1e6, 1e6), "largest² for x and y, as for x²");
    let data = generate(&cube(Normalization::Standard));
    let mean = data.y.mean().unwrap();
    let std = data.y.std(0.0);
    assert!(mean.abs() < 1e-5 && (std - 1.0).abs() < 1e-4, "z-scores: mean {mean}, std {std}");
    assert_eq!(data.raw_y[0], data.raw_x[[0, 0]].powi(3));
}

#[test]
fn a_product_typed_as_a_formula_gives_the_very_same_data_as_the_product_task() {
    for normalization in Normalization::ALL {
        let product = Experiment { task: Task::Product, inputs: 2, normalization, ..Experiment::default() };
        let typed = Experiment { normalization, ..typed("x1*x2") };
        let a = Dataset::generate(&product, &mut rng_stream(1, streams::DATA));
        let b = Dataset::generate(&typed, &mut rng_stream(1, streams::DATA));
        assert_eq!((&a.raw_x, &a.raw_y, &a.scaling), (&b.raw_x, &b.raw_y, &b.scaling), "{normalization:?}");
        assert_eq!(a.y, b.y);
    }
}

#[test]
fn validation_checks_the_data_this_seed_draws_beyond_the_sample_grid() {
    // 1/(x − 777777) on 1..=1e6: the grid (4096 points) misses 777777, so only a training
    // input equal to it would be a problem; with 1000 draws from a million, none is.
    let e = Experiment { largest: 1_000_000, ..typed("1/(x-777777)") };
    assert_eq!(e.validate(), Ok(()));
    let inputs = squares_playground::data::training_inputs(&e);
    let first = inputs[[0, 0]];
    // The same function centred on the first training input is refused, naming that x.
    let e = Experiment { largest: 1_000_000, ..typed(&format!("1/(x-{first})")) };
    let error = e.validate().unwrap_err();
    assert!(error.to_string().contains(&format!("is not finite at x = {first}")), "{error}");
}
