//! A sweep in the share link: `seeds=N` round-trips, is omitted without a sweep, and a bad
//! or too heavy value is replaced and named in a note, with the estimate and the smaller N.

use squares_playground::{limits, parse_query, preset, ConfigNote, Experiment};

#[test]
fn seeds_round_trip_and_are_omitted_without_a_sweep() {
    let e = Experiment { seeds: Some(20), ..Experiment::default() };
    let query = e.to_query();
    assert!(query.contains("&seed=1&seeds=20&"), "{query}");
    assert_eq!(Experiment::from_query(&query), Ok(e));
    assert!(!Experiment::default().to_query().contains("seeds"));
    assert_eq!(parse_query("seeds=2").experiment.seeds, Some(2));
    assert_eq!(parse_query("seeds=50").experiment.seeds, Some(50));
}

#[test]
fn seeds_outside_two_to_fifty_are_clamped_and_noted() {
    for (value, to) in [("1", "2"), ("0", "2"), ("51", "50"), ("1e9", "50")] {
        let parsed = parse_query(&format!("seeds={value}"));
        assert_eq!(parsed.experiment.seeds, Some(to.parse().unwrap()));
        assert_eq!(parsed.notes.len(), 1);
        assert_eq!(parsed.notes[0].to_string(), format!("seeds: \"{value}\" is outside 2..=50; using {to}"));
    }
    let parsed = parse_query("seeds=many");
    assert_eq!(parsed.experiment.seeds, None, "malformed: no sweep");
    assert_eq!(parsed.notes[0].field(), "seeds");
}

#[test]
fn a_sweep_heavier_than_the_largest_single_run_is_cut_to_the_most_seeds_allowed() {
    // 998,345 parameters (and a twin as large) × 10,000 examples × 2,500 epochs per seed:
    // the largest single run allows 4 of them.
    let heavy = "task=sum&inputs=2&examples=10000&batch=50&epochs=2500&layers=2048:relu,484:relu\
                 &twin=2048:linear,484:linear";
    let parsed = parse_query(&format!("{heavy}&seeds=50"));
    assert_eq!(parsed.experiment.seeds, Some(4));
    assert_eq!(parsed.experiment.validate(), Ok(()));
    let seed_work = parsed.experiment.seed_work();
    assert_eq!(seed_work, 2 * 998_345 * 10_000 * 2_500);
    assert_eq!(
        parsed.notes,
        vec![ConfigNote::Clamped {
            field: "seeds",
            value: "50".into(),
            to: "4".into(),
            why: "would take about 7.5e15 multiply-adds (1.5e14 per seed), more than the 6.0e14 allowed".into(),
        }]
    );
    // Even two seeds are too many for the largest run: no sweep.
    let parsed = parse_query(&(heavy.replace("epochs=2500", "epochs=10000") + "&seeds=2"));
    assert_eq!(parsed.experiment.seeds, None);
    assert!(parsed.notes[0].to_string().ends_with("; using no sweep (one run)"), "{}", parsed.notes[0]);
    assert!(Experiment::from_query(&format!("{heavy}&seeds=50")).is_err(), "strict: an error");
}

#[test]
fn the_bound_lets_the_question_be_swept_over_fifty_seeds() {
    let question = preset("question-square").unwrap().experiment();
    let e = Experiment { seeds: Some(limits::MAX_SEEDS), ..question };
    assert_eq!(Experiment::from_query(&e.to_query()), Ok(e));
}
