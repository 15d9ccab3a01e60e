//! Sweeps: the seeds a sweep trains, each run bit-identical to its seed's own link, the
//! summary and its words, the CSV, and the CLI's `--seeds`.

use squares_playground::outcome::{Evidence, Outcome};
use squares_playground::sweep::{self, csv, parse_seeds, SeedsArg, Spread};
use squares_playground::{limits, preset, Activation, Experiment, LayerSpec, RunResult, SeedResult, Summary, Trainer};

/// A sweep small enough for a test: 4 seeds of a 1-6-6-1 relu net and its linear twin.
fn small_sweep() -> Experiment {
    Experiment {
        examples: 200,
        batch_size: 50,
        epochs: 15,
        hidden: vec![LayerSpec::new(6, Activation::Relu); 2],
        twin: Some(vec![LayerSpec::new(6, Activation::Linear); 2]),
        seed: 11,
        seeds: Some(4),
        ..Experiment::default()
    }
}

#[test]
fn a_sweep_trains_seed_to_seed_plus_n_minus_one_each_as_its_own_link() {
    let e = small_sweep();
    assert_eq!(e.sweep_seeds(), vec![11, 12, 13, 14]);
    for (member, seed) in e.members().iter().zip(11..) {
        let own_link = e.to_query().replace("seed=11&seeds=4", &format!("seed={seed}"));
        assert_eq!(Experiment::from_query(&own_link).as_ref(), Ok(member), "{own_link}");
    }
}

#[test]
fn seeds_wrap_past_the_largest_u32_to_zero() {
    let e = Experiment { seed: u32::MAX - 1, seeds: Some(4), ..Experiment::default() };
    assert_eq!(e.sweep_seeds(), vec![u32::MAX - 1, u32::MAX, 0, 1]);
    assert_eq!(Experiment::default().sweep_seeds(), vec![1], "no sweep: the one seed");
}

#[test]
fn a_seeds_run_in_a_sweep_is_bit_identical_to_the_same_seed_trained_alone() {
    let e = small_sweep();
    let mut order = Vec::new();
    let results = sweep::run(&e, 3, |r| order.push(r.seed)).unwrap();
    assert_eq!(order, e.sweep_seeds(), "reported in seed order");
    let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for (result, member) in results.iter().zip(e.members()) {
        for (got, alone) in
            [(Some(&result.run), Some(member.clone())), (result.twin.as_ref(), member.twin_experiment())]
        {
            let (got, alone) = (got.unwrap(), alone.unwrap());
            let mut t = Trainer::new(&alone).unwrap();
            t.run(|_| {});
            let own = RunResult::of(&t);
            assert_eq!(bits(&got.loss_history), bits(t.loss_history()), "seed {}", result.seed);
            assert_eq!(got.final_rmse().to_bits(), own.final_rmse().to_bits(), "seed {}", result.seed);
            assert_eq!(got, &own);
        }
    }
}

#[test]
fn one_thread_and_many_give_the_same_results() {
    let e = Experiment { twin: None, ..small_sweep() };
    assert_eq!(sweep::run(&e, 1, |_| {}).unwrap(), sweep::run(&e, 8, |_| {}).unwrap());
}

#[test]
fn an_invalid_experiment_is_refused_before_any_training() {
    let e = Experiment { seeds: Some(51), ..small_sweep() };
    let error = sweep::run(&e, 2, |_| panic!("nothing may be trained")).unwrap_err();
    assert_eq!(error.field, "seeds");
}

fn run(outcome: Outcome, rmse: f64, floor: f64, dead_relu_layer: bool) -> RunResult {
    let evidence =
        Evidence { diverged: false, rmse, floor, bend: 0.0, spread: 1.0, target_spread: 1.0, dead_relu_layer };
    RunResult { outcome, evidence, epochs_run: 500, loss_history: vec![] }
}

fn seeds(runs: Vec<RunResult>) -> Vec<SeedResult> {
    runs.into_iter()
        .zip(1..)
        .map(|(run, seed)| SeedResult { seed, floor_rmse: run.evidence.floor, run, twin: None })
        .collect()
}

#[test]
fn the_median_of_an_even_count_is_the_mean_of_the_middle_two_and_nan_is_left_out() {
    let s = Spread::of([4.0, 1.0, f64::NAN, 3.0, 10.0]).unwrap();
    assert_eq!(s, Spread { median: 3.5, min: 1.0, max: 10.0 });
    assert_eq!(Spread::of([2.0, 9.0, 5.0]).unwrap().median, 5.0);
    assert_eq!(Spread::of([f64::NAN]), None);
}

#[test]
fn the_summary_counts_each_outcome_and_says_so_in_words() {
    let mut runs: Vec<RunResult> = (0..17).map(|i| run(Outcome::Bends, 1000.0 + i as f64, 74_000.0, false)).collect();
    runs.extend((0..3).map(|_| run(Outcome::Constant, 290_000.0, 74_000.0, true)));
    let s = Summary::of_runs(&seeds(runs));
    assert_eq!((s.runs, s.count(Outcome::Bends), s.count(Outcome::Constant)), (20, 17, 3));
    assert_eq!(s.rmse.unwrap().max, 290_000.0);
    assert_eq!(
        s.sentences(),
        vec![
            "17 of 20 seeds bend below the best straight line.",
            "3 of 20 seeds collapsed to a constant: in each, every unit of a relu layer died.",
            "Final RMSE 1,000 to 290,000 (median 1,010): 0.0135× to 3.92× the best straight line (median 0.0136×).",
        ]
    );
}

#[test]
fn words_for_a_single_outcome_say_all_and_for_one_seed_use_the_singular() {
    let all: Vec<RunResult> = (0..20).map(|_| run(Outcome::Bends, 500.0, 74_000.0, false)).collect();
    assert_eq!(
        Summary::of_runs(&seeds(all)).words(),
        "All 20 seeds bend below the best straight line. Final RMSE 500: 0.00676× the best straight line."
    );
    let mut mixed: Vec<RunResult> = (0..19).map(|_| run(Outcome::Straight, 75_000.0, 74_000.0, false)).collect();
    mixed.push(run(Outcome::Curved, 80_000.0, 74_000.0, false));
    let words = Summary::of_runs(&seeds(mixed)).sentences();
    assert_eq!(words[0], "19 of 20 seeds end as a straight line, never below the best one.");
    assert_eq!(words[1], "1 of 20 seeds curves but stays above the best straight line.");
}

#[test]
fn constants_without_a_dead_relu_layer_are_not_blamed_on_dead_relus() {
    let runs = vec![
        run(Outcome::Constant, 290_000.0, 74_000.0, false),
        run(Outcome::Constant, 290_000.0, 74_000.0, true),
        run(Outcome::Bends, 900.0, 74_000.0, false),
    ];
    let words = Summary::of_runs(&seeds(runs)).sentences();
    assert_eq!(words[1], "2 of 3 seeds collapsed to a constant (1 with every unit of a relu layer dead).");
}

#[test]
fn diverged_runs_are_counted_and_left_out_of_the_rmse_figures() {
    let mut diverged = run(Outcome::Diverged, f64::NAN, 74_000.0, false);
    diverged.evidence.diverged = true;
    let runs = vec![diverged, run(Outcome::Bends, 900.0, 74_000.0, false), run(Outcome::Bends, 700.0, 74_000.0, false)];
    let s = Summary::of_runs(&seeds(runs));
    assert_eq!(s.rmse.unwrap(), Spread { median: 800.0, min: 700.0, max: 900.0 });
    assert_eq!(s.sentences()[1], "1 of 3 seeds diverged: the loss became NaN or infinite.");
}

#[test]
fn the_csv_has_one_row_per_seed_and_twin_columns_only_with_twins() {
    let mut results =
        seeds(vec![run(Outcome::Bends, 1234.5, 74_000.25, false), run(Outcome::Constant, 3e5, 7e4, true)]);
    assert_eq!(
        csv(&results),
        "seed,final_rmse,floor_rmse,outcome,epochs\n1,1234.5,74000.25,bends,500\n2,300000,70000,constant,500\n"
    );
    results[0].twin = Some(run(Outcome::Straight, 75_000.0, 74_000.25, false));
    let text = csv(&results);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "seed,final_rmse,floor_rmse,outcome,epochs,twin_final_rmse,twin_outcome,twin_epochs");
    assert_eq!(lines[1], "1,1234.5,74000.25,bends,500,75000,straight,500");
    assert_eq!(lines[2], "2,300000,70000,constant,500,,,");
}

#[test]
fn the_twins_are_summed_up_apart() {
    let results = sweep::run(&small_sweep(), 2, |_| {}).unwrap();
    let twins = Summary::of_twins(&results).unwrap();
    assert_eq!(twins.count(Outcome::Straight), 4, "a linear twin is a straight line: {}", twins.words());
    assert_eq!(Summary::of_twins(&seeds(vec![run(Outcome::Bends, 1.0, 2.0, false)])), None);
}

#[test]
fn the_cli_reads_a_range_with_both_ends_included_or_a_count() {
    assert_eq!(parse_seeds("1..20"), Ok(SeedsArg::Range { first: 1, count: 20 }));
    assert_eq!(parse_seeds("1..=20"), Ok(SeedsArg::Range { first: 1, count: 20 }));
    assert_eq!(parse_seeds("4294967290..4294967295"), Ok(SeedsArg::Range { first: 4_294_967_290, count: 6 }));
    assert_eq!(parse_seeds("20"), Ok(SeedsArg::Count(20)));
    assert_eq!(parse_seeds("0..49"), Ok(SeedsArg::Range { first: 0, count: 50 }));
}

#[test]
fn the_cli_refuses_malformed_ranges_with_a_reason() {
    let refused = |text: &str, reason: &str| {
        let error = parse_seeds(text).unwrap_err();
        assert!(error.contains(reason), "{text:?}: {error}");
    };
    refused("20..1", "before the first");
    refused("1..51", "2 to 50 seeds, not 51");
    refused("5..5", "not 1");
    refused("1", "not 1");
    refused("0", "not 0");
    refused("51", "not 51");
    refused("1..", "last seed \"\"");
    refused("..20", "first seed \"\"");
    refused("1...20", "last seed \".20\"");
    refused("-1..5", "first seed \"-1\"");
    refused("+3", "count \"+3\"");
    refused(" 1..5", "first seed \" 1\"");
    refused("1..4294967296", "more than 4294967295");
    refused("a..b", "not a whole number");
    refused("", "count \"\"");
}

#[test]
fn the_sweeps_work_is_bounded_by_the_largest_run_allowed_alone() {
    // The largest run allowed alone: a million parameters, twin too, every other bound at its
    // maximum. Two inputs (sum), layers 2048 and 484: (2+1)·2048 + 2049·484 + 485 = 998,345.
    let largest = Experiment {
        task: squares_playground::Task::Sum,
        inputs: 2,
        examples: limits::MAX_EXAMPLES,
        epochs: limits::MAX_EPOCHS,
        batch_size: 50,
        hidden: vec![LayerSpec::new(2048, Activation::Relu), LayerSpec::new(484, Activation::Relu)],
        twin: Some(vec![LayerSpec::new(2048, Activation::Linear), LayerSpec::new(484, Activation::Linear)]),
        ..Experiment::default()
    };
    assert!(largest.parameter_count() <= limits::MAX_PARAMETERS && largest.parameter_count() > 998_000);
    assert_eq!(largest.validate(), Ok(()), "allowed alone");
    assert!(largest.sweep_work() <= limits::MAX_SWEEP_WORK);
    assert_eq!(largest.max_seeds(), 1, "but not twice");
    let error = Experiment { seeds: Some(2), ..largest }.validate().unwrap_err();
    assert_eq!((error.field, error.allowed.as_str()), ("seeds", "at most 1 for this experiment"));
    // The question's network may be swept over the most seeds.
    let question = squares_playground::preset("question-square").unwrap().experiment();
    assert_eq!(question.max_seeds(), limits::MAX_SEEDS);
}

#[test]
fn the_work_estimate_counts_every_seed_and_the_twin() {
    let e = small_sweep();
    let parameters = (2 * 6 + 7 * 6 + 7) as u64; // 1-6-6-1: 12 + 42 + 7 = 61
    assert_eq!(e.parameter_count() as u64, parameters);
    assert_eq!(e.seed_work(), 2 * parameters * 200 * 15);
    assert_eq!(e.sweep_work(), 4 * e.seed_work());
    // 3 multiply-adds, 6 flops, per unit of work.
    assert!((sweep::seconds_at(1_000_000_000, 6.0) - 1.0).abs() < 1e-12);
}

#[test]
fn the_sweep_presets_are_their_single_run_presets_over_seeds_one_to_twenty() {
    let sweep_of = |name: &str| preset(name).unwrap().experiment();
    for (sweep, single, epochs) in [("question-sweep", "question-square", 100), ("answer-fix-sweep", "answer-fix", 200)]
    {
        let e = sweep_of(sweep);
        assert_eq!((e.seed, e.seeds, e.epochs), (1, Some(20), epochs), "{sweep}");
        assert_eq!(Experiment { seed: 1, seeds: Some(20), epochs, ..sweep_of(single) }, e, "{sweep}");
    }
    let small = sweep_of("small-relu-sweep");
    assert_eq!(Experiment { seeds: Some(20), ..sweep_of("small-relu") }, small);
}

#[test]
fn small_relu_over_twenty_seeds_bends_every_time() {
    let results = sweep::run(&preset("small-relu-sweep").unwrap().experiment(), sweep::default_threads(), |_| {});
    let summary = Summary::of_runs(&results.unwrap());
    assert_eq!(summary.count(Outcome::Bends), 20, "{}", summary.words());
    assert!(summary.ratio.unwrap().max < 0.05, "{}", summary.words());
}
