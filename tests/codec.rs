//! The share-link codec: exact round trips, and hostile input that yields clear notes or
//! documented clamps — never a panic, never an invalid experiment.

use squares_playground::codec::MAX_LINK_BYTES;
use squares_playground::{
    limits, parse_query, Activation, ConfigNote, Experiment, Formula, LayerSpec, Normalization, OptimizerKind, Task,
    PRESETS,
};

fn notes_for(query: &str) -> (Experiment, Vec<ConfigNote>) {
    let parsed = parse_query(query);
    assert_eq!(parsed.experiment.validate(), Ok(()), "parse_query({query:?}) produced an invalid experiment");
    (parsed.experiment, parsed.notes)
}

#[test]
fn every_preset_and_the_default_round_trip_exactly() {
    let mut experiments: Vec<Experiment> = PRESETS.iter().map(|p| p.experiment()).collect();
    experiments.push(Experiment::default());
    for e in experiments {
        let query = e.to_query();
        assert_eq!(Experiment::from_query(&query), Ok(e.clone()), "{query}");
        assert_eq!(Experiment::from_query(&query).unwrap().to_query(), query);
    }
}

#[test]
fn varied_experiments_round_trip_exactly() {
    // A deterministic sweep over every field's interesting values.
    let lrs = [1e-6f32, 0.001, 0.0003, 0.1234567, 10.0];
    // Formulas with what a link must encode: spaces, ^ + / %-free text, non-ASCII.
    let formulas = ["x^3 + 1", "x1 * x2 − 3", "(x+1)/2", "max(x1, x2)", "sin(x/100)*1000"];
    let mut count = 0;
    for (i, task) in Task::ALL.into_iter().enumerate() {
        for (j, norm) in Normalization::ALL.into_iter().enumerate() {
            for (k, kind) in OptimizerKind::ALL.into_iter().enumerate() {
                for (m, &lr) in lrs.iter().enumerate() {
                    let act = Activation::ALL[(i + j + k + m) % Activation::ALL.len()];
                    let formula = Formula::parse(formulas[(i + m) % formulas.len()]).unwrap();
                    let e = Experiment { task, formula, ..Experiment::default() };
                    let mut e = Experiment {
                        inputs: e.fixed_inputs().unwrap_or(1 + m),
                        normalization: norm,
                        hidden: (0..m).map(|u| LayerSpec::new(1 + 7 * u, act)).collect(),
                        examples: 1 + 997 * m,
                        largest: 1 + 12_345 * m as u32,
                        epochs: 1 + 99 * k,
                        seed: u32::MAX - m as u32,
                        ..e
                    };
                    e.batch_size = e.examples.min(1 + 31 * j);
                    e.optimizer.kind = kind;
                    e.optimizer.learning_rate = lr;
                    e.optimizer.momentum = 0.5 * k as f32;
                    e.optimizer.beta1 = 0.8 + 0.01 * m as f32;
                    e.optimizer.epsilon = 1e-8 * (1 + j) as f32;
                    assert_eq!(e.validate(), Ok(()));
                    assert_eq!(Experiment::from_query(&e.to_query()), Ok(e.clone()), "{}", e.to_query());
                    count += 1;
                }
            }
        }
    }
    assert_eq!(count, 120);
}

#[test]
fn an_empty_link_gives_the_default_without_notes() {
    for q in ["", "?", "v=1", "&&", "?v=1&"] {
        assert_eq!(notes_for(q), (Experiment::default(), vec![]), "{q:?}");
    }
}

#[test]
fn a_bare_width_means_keras_default_linear_and_none_means_no_hidden_layer() {
    let (e, notes) = notes_for("layers=20,100:relu");
    assert!(notes.is_empty());
    assert_eq!(e.hidden, vec![LayerSpec::new(20, Activation::Linear), LayerSpec::new(100, Activation::Relu)]);
    assert!(notes_for("layers=none").0.hidden.is_empty());
}

#[test]
fn huge_numbers_are_clamped_and_reported_with_the_field() {
    let (e, notes) = notes_for("examples=1e300&largest=99999999999999999999999&epochs=-5&lr=1e9&seed=4294967296");
    assert_eq!(e.examples, limits::MAX_EXAMPLES);
    assert_eq!(e.largest, limits::MAX_LARGEST);
    assert_eq!(e.epochs, 1);
    assert_eq!(e.optimizer.learning_rate, limits::MAX_LEARNING_RATE);
    assert_eq!(e.seed, u32::MAX);
    let fields: Vec<&str> = notes.iter().map(|n| n.field()).collect();
    assert_eq!(fields, ["examples", "largest", "lr", "epochs", "seed"]);
    assert!(notes.iter().all(|n| matches!(n, ConfigNote::Clamped { .. })));
    assert!(notes[0].to_string().starts_with("examples: \"1e300\" is outside 1..=10000; using 10000"), "{}", notes[0]);
}

#[test]
fn ten_thousand_layers_are_cut_to_the_limit_with_a_note() {
    let query = format!("layers={}", vec!["1:relu"; 10_000].join(","));
    assert!(query.len() > MAX_LINK_BYTES);
    let (e, notes) = notes_for(&query);
    assert_eq!(e, Experiment::default());
    assert!(matches!(notes[..], [ConfigNote::TooLong { .. }]));

    let query = format!("layers={}", vec!["2"; 1_000].join(","));
    let (e, notes) = notes_for(&query);
    assert_eq!(e.hidden.len(), limits::MAX_HIDDEN_LAYERS);
    assert_eq!(notes.len(), 1);
    assert!(notes[0].to_string().contains("has 1000 layers, more than 16"), "{}", notes[0]);
}

#[test]
fn too_many_parameters_fall_back_to_the_default_layers() {
    let (e, notes) = notes_for("layers=2048,2048,2048");
    assert_eq!(e.hidden, Experiment::default().hidden);
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].field(), "layers");
    assert!(notes[0].to_string().contains("parameters, more than 1000000"), "{}", notes[0]);
}

#[test]
fn a_batch_larger_than_the_data_or_too_heavy_for_the_network_is_clamped() {
    let (e, notes) = notes_for("examples=50&batch=100");
    assert_eq!(e.batch_size, 50);
    assert_eq!(notes[0].field(), "batch");
    let (e, notes) = notes_for("examples=10000&batch=10000&layers=1000:relu,900:relu");
    assert!(e.batch_size * e.parameter_count() <= limits::MAX_BATCH_WORK);
    assert!(notes[0].to_string().contains("too heavy"), "{}", notes[0]);
}

#[test]
fn nan_inf_and_words_where_numbers_belong_are_malformed() {
    for bad in ["NaN", "inf", "-inf", "abc", "1.5", "0x10", "", "1_000"] {
        let (e, notes) = notes_for(&format!("examples={bad}"));
        assert_eq!(e.examples, Experiment::default().examples);
        assert_eq!(notes.len(), 1, "{bad:?}");
        assert!(matches!(&notes[0], ConfigNote::Malformed { field: "examples", .. }), "{bad:?}: {:?}", notes[0]);
    }
    let (_, notes) = notes_for("lr=NaN");
    assert_eq!(notes[0].to_string(), "lr: \"NaN\" is not a finite number; using the default");
}

#[test]
fn unknown_keys_versions_duplicates_and_bad_names_are_reported() {
    let (e, notes) = notes_for("v=7&colour=red&task=cube&task=sum&opt=rmsprop&layers=4:gelu&norm=");
    assert_eq!(e.task, Task::Sum);
    let messages: Vec<String> = notes.iter().map(|n| n.to_string()).collect();
    assert_eq!(
        messages,
        [
            "\"colour\": unknown setting, ignored",
            "\"task\": given more than once; the last value is used",
            "v: version \"7\" is not known; read as version 1",
            "norm: \"\" is not a known name; using the default",
            "layers: \"4:gelu\" is not a list like 32:relu,32:relu; using the default",
            "opt: \"rmsprop\" is not a known name; using the default",
        ]
    );
}

#[test]
fn percent_escapes_decode_and_invalid_or_non_utf8_escapes_are_reported() {
    let (e, notes) = notes_for("layers=8%3Arelu%2C8%3Atanh&task=%73quare");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(e.hidden, vec![LayerSpec::new(8, Activation::Relu), LayerSpec::new(8, Activation::Tanh)]);
    for bad in ["task=%ff%fe", "task=%C3%28", "task=%zz", "task=%4", "task=%+1", "%ff=1"] {
        let (e, notes) = notes_for(bad);
        assert_eq!(e, Experiment::default(), "{bad}");
        assert_eq!(notes.len(), 1, "{bad}");
        assert!(matches!(&notes[0], ConfigNote::Malformed { .. }), "{bad}: {:?}", notes[0]);
    }
}

#[test]
fn hostile_values_are_shown_short_escaped_and_inert() {
    let script = "<script>alert(1)</script>";
    let (_, notes) = notes_for(&format!("task={script}&{}=1&seed=\u{7}", "k".repeat(300)));
    let text: Vec<String> = notes.iter().map(|n| n.to_string()).collect();
    assert!(text[0].starts_with("\"kkkkkkkk") && text[0].contains('…') && text[0].len() < 100, "{}", text[0]);
    assert!(text.iter().any(|t| t.contains(script)), "values are quoted verbatim (the page inserts text, never HTML)");
    assert!(text.iter().any(|t| t.contains("\\u{7}")), "control characters are escaped: {text:?}");
}

#[test]
fn strict_parsing_rejects_any_note() {
    assert!(Experiment::from_query("v=1&examples=0").is_err());
    assert!(Experiment::from_query("v=1&bogus=1").is_err());
    assert!(Experiment::from_query(&Experiment::default().to_query()).is_ok());
}

#[test]
fn validate_names_the_field_and_the_allowed_range() {
    let e = Experiment { epochs: 0, ..Experiment::default() };
    let err = e.validate().unwrap_err();
    assert_eq!(err.field, "epochs");
    assert_eq!(err.to_string(), "epochs: 0 is not allowed (expected 1..=10000)");
    let e = Experiment { task: Task::Square, inputs: 2, ..Experiment::default() };
    assert_eq!(e.validate().unwrap_err().field, "inputs");
}

#[test]
fn a_twin_and_an_extended_axis_round_trip_and_obey_the_same_bounds() {
    let (e, notes) = notes_for("layers=8:relu,8:relu&twin=8:linear,8:linear&extent=2");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!(e.twin, Some(vec![LayerSpec::new(8, Activation::Linear); 2]));
    assert_eq!(e.extent, 2.0);
    assert!(e.to_query().ends_with("&seed=1&twin=8:linear,8:linear&extent=2"), "{}", e.to_query());
    let solo = Experiment { twin: None, ..e.clone() };
    assert!(solo.to_query().contains("&twin=off"), "no twin is said explicitly: the default has one");
    assert_eq!(Experiment::from_query(&solo.to_query()), Ok(solo));
    assert_eq!(Experiment::from_query(&e.to_query()), Ok(e.clone()));
    assert_eq!(e.twin_experiment().unwrap().hidden, e.twin.clone().unwrap());
    assert_eq!(e.contrasting_layers(), Some(vec![LayerSpec::new(8, Activation::Linear); 2]));

    let (e, notes) = notes_for("twin=2048,2048,2048&extent=100");
    assert_eq!((e.twin.clone(), e.extent), (None, limits::MAX_EXTENT));
    let fields: Vec<&str> = notes.iter().map(|n| n.field()).collect();
    assert_eq!(fields, ["extent", "twin"]);
    assert!(notes_for("twin=off").0.twin.is_none());
    // The batch bound holds for the heavier of the two networks.
    let (e, _) = notes_for("examples=10000&batch=10000&layers=4&twin=1000:relu,900:relu");
    assert!(e.batch_size * e.twin_experiment().unwrap().parameter_count() <= limits::MAX_BATCH_WORK);
}

#[test]
fn a_typed_function_round_trips_percent_encoded() {
    let (e, notes) = notes_for("task=f&f=x%5E2%20%2B%201");
    assert!(notes.is_empty(), "{notes:?}");
    assert_eq!((e.task, e.formula.source(), e.inputs), (Task::Function, "x^2 + 1", 1));
    let query = e.to_query();
    assert!(query.contains("&task=f&f=x%5E2%20%2B%201&"), "{query}");
    assert_eq!(Experiment::from_query(&query), Ok(e));
    // Readable where it can be: letters, digits, ( ) * / , stay as they are.
    let (e, _) = notes_for("task=f&f=sin(x/100)*1000");
    assert!(e.to_query().contains("&f=sin(x/100)*1000&"), "{}", e.to_query());
    let (e, _) = notes_for("task=f&f=max(x1,%20x2)%20%E2%88%92%203");
    assert_eq!((e.formula.source(), e.inputs), ("max(x1, x2) − 3", 2));
    assert_eq!(Experiment::from_query(&e.to_query()), Ok(e));
}

#[test]
fn the_variables_of_a_formula_set_the_inputs() {
    let (e, notes) = notes_for("task=f&f=x1*x2&inputs=3");
    assert_eq!(e.inputs, 2);
    assert_eq!(notes.len(), 1);
    assert!(notes[0].to_string().starts_with("inputs: \"3\" does not fit the f task; using 2"), "{}", notes[0]);
    assert_eq!(notes_for("f=x1*x2&task=f").0.inputs, 2, "the order of the keys does not matter");
}

#[test]
fn a_formula_is_kept_under_another_task_like_unused_settings() {
    let (e, notes) = notes_for("task=square&f=x%5E3");
    assert!(notes.is_empty());
    assert_eq!((e.task, e.formula.source(), e.inputs), (Task::Square, "x^3", 1));
    assert!(e.to_query().contains("&f=x%5E3&"));
    assert!(!Experiment::default().to_query().contains("&f="), "x^2 is implied");
}

#[test]
fn a_malformed_formula_is_noted_with_its_character_and_falls_back_to_x_squared() {
    let cases = [
        ("task=f&f=sin(x", "f: \"sin(x\" has an error at character 6: ')' is missing for the '(' at character 4; using x^2"),
        ("task=f&f=2x", "f: \"2x\" has an error at character 2: an operator is missing here (write 2*x, not 2x); using x^2"),
        // A + typed into an address bar reads as a space.
        ("task=f&f=x+1", "f: \"x 1\" has an error at character 3: an operator is missing here (write 2*x, not 2x) (a + in a link is written %2B); using x^2"),
        ("task=f&f=%3Cscript%3Ealert(1)%3C/script%3E", "f: \"<script>alert(1)</script>\" has an error at character 1: '<' is not part of the language; using x^2"),
    ];
    for (query, message) in cases {
        let (e, notes) = notes_for(query);
        assert_eq!((e.task, e.formula.source(), e.inputs), (Task::Function, "x^2", 1), "{query}");
        assert_eq!(notes.iter().map(|n| n.to_string()).collect::<Vec<_>>(), vec![message.to_string()], "{query}");
    }
    let deep = format!("task=f&f={}x{}", "(".repeat(50), ")".repeat(50));
    let notes = notes_for(&deep).1;
    assert!(notes[0].to_string().contains("at character 33: nested more than 32 deep"), "{}", notes[0]);
    let long = format!("task=f&f={}", "x%2B".repeat(150));
    assert!(notes_for(&long).1[0].to_string().contains("longer than 200"), "{:?}", notes_for(&long).1);
    let huge = format!("task=f&f={}", "(".repeat(10_000));
    assert_eq!(notes_for(&huge).1, vec![ConfigNote::TooLong { bytes: huge.len() }]);
}

#[test]
fn a_formula_not_finite_on_the_data_names_the_offending_x_and_falls_back() {
    let cases = [
        ("task=f&f=log(x-1)", "f: \"log(x-1)\" is not finite at x = 1 (it is -inf); using x^2"),
        // Every integer of 1..=1000 is checked, whatever this seed draws.
        ("task=f&f=1/(x-500)", "f: \"1/(x-500)\" is not finite at x = 500 (it is inf); using x^2"),
        ("task=f&f=exp(x)", "f: \"exp(x)\" reaches 1.586e15 at x = 35, beyond ±1e15; using x^2"),
        ("task=f&f=exp(x)-exp(x)", "f: \"exp(x)-exp(x)\" is not finite at x = 710 (it is NaN); using x^2"),
        ("task=f&f=sqrt(300-x)", "f: \"sqrt(300-x)\" is not finite at x = 301 (it is NaN); using x^2"),
        ("task=f&f=exp(x/20)", "f: \"exp(x/20)\" reaches 1.011e15 at x = 691, beyond ±1e15; using x^2"),
        ("task=f&f=x1/(x2-3)&largest=10", "f: \"x1/(x2-3)\" is not finite at x1 = 1, x2 = 3 (it is inf); using x^2"),
    ];
    for (query, message) in cases {
        let (e, notes) = notes_for(query);
        assert_eq!((e.formula.source(), e.inputs), ("x^2", 1), "{query}");
        assert_eq!(notes.iter().map(|n| n.to_string()).collect::<Vec<_>>(), vec![message.to_string()], "{query}");
    }
    // The strict form (the CLI's --link) refuses it; validate names the field and the x.
    assert!(Experiment::from_query("task=f&f=log(x-1)").is_err());
    let e = Experiment { task: Task::Function, formula: Formula::parse("log(x-1)").unwrap(), ..Experiment::default() };
    let error = e.validate().unwrap_err();
    assert_eq!(error.field, "f");
    assert!(error.to_string().contains("f(x) = log(x-1) is not finite at x = 1"), "{error}");
    // Only the f task is checked: under another task the formula is not used.
    assert!(notes_for("task=square&f=log(x-1)").1.is_empty());
}

#[test]
fn a_link_without_a_twin_twins_its_own_network() {
    let (e, notes) = notes_for("layers=16:relu");
    assert!(notes.is_empty());
    assert_eq!(e.twin, Some(vec![LayerSpec::new(16, Activation::Linear)]), "not the default's 64:linear,64:linear");
    let (e, _) = notes_for("layers=8:linear,4:linear");
    assert_eq!(e.twin, Some(vec![LayerSpec::new(8, Activation::Relu), LayerSpec::new(4, Activation::Relu)]));
    assert_eq!(notes_for("layers=none").0.twin, None, "no hidden layer, nothing to contrast");
    assert_eq!(notes_for("layers=16:relu&twin=off").0.twin, None);
    assert_eq!(notes_for("layers=16:relu&twin=3:tanh").0.twin, Some(vec![LayerSpec::new(3, Activation::Tanh)]));
}

#[test]
fn the_batch_work_bound_is_computed_without_overflow() {
    // 430,333 parameters × 10,000 rows wraps a 32-bit usize to about 8.5 million.
    let e = Experiment {
        examples: 10_000,
        batch_size: 10_000,
        hidden: vec![LayerSpec::new(654, Activation::Relu); 2],
        twin: None,
        ..Experiment::default()
    };
    assert_eq!(e.parameter_count(), 430_333);
    assert_eq!(e.validate().unwrap_err().field, "batch");
    let (e, notes) = notes_for("examples=10000&batch=10000&layers=654:relu,654:relu&twin=off");
    assert_eq!(e.batch_size, limits::MAX_BATCH_WORK / 430_333);
    assert!(notes[0].to_string().contains("too heavy"), "{}", notes[0]);
}

#[test]
fn page_options_ride_along_without_changing_the_experiment() {
    use squares_playground::codec::PageOptions;
    let plain = parse_query("layers=16:relu&epochs=30");
    let shown = parse_query("layers=16:relu&epochs=30&pace=10&tour=3&embed=1&cores=2");
    assert!(shown.notes.is_empty(), "{:?}", shown.notes);
    assert_eq!(shown.experiment, plain.experiment, "pace, tour, embed and cores never change the run");
    assert_eq!(shown.page, PageOptions { pace: Some(10.0), tour: Some(3), embed: true, cores: Some(2) });
    assert_eq!(shown.page.to_query_suffix(), "&pace=10&tour=3&embed=1&cores=2");
    assert_eq!(
        parse_query(&format!("{}{}", shown.experiment.to_query(), shown.page.to_query_suffix())).page,
        shown.page
    );
    assert_eq!(plain.page, PageOptions::default());
    assert_eq!(plain.page.to_query_suffix(), "", "a plain link stays plain");

    let (page, notes) = {
        let parsed = parse_query("pace=1e9&tour=0&embed=yes&cores=64");
        (parsed.page, parsed.notes)
    };
    assert_eq!(page.pace, Some(1000.0));
    assert_eq!(page.tour, Some(1));
    assert!(!page.embed);
    assert_eq!(page.cores, Some(8));
    let fields: Vec<&str> = notes.iter().map(|n| n.field()).collect();
    assert_eq!(fields, ["pace", "tour", "embed", "cores"]);
}

#[test]
fn noise_and_a_test_split_round_trip_and_keep_a_batch_within_the_training_rows() {
    let (e, notes) = notes_for("noise=0.05&test=0.2&examples=100&batch=100");
    assert_eq!((e.noise, e.test_split), (0.05, 0.2));
    assert_eq!(e.batch_size, 80, "batch clamped to the 80 training rows");
    assert!(notes[0].to_string().contains("80 training examples"), "{}", notes[0]);
    assert!(e.to_query().ends_with("&noise=0.05&test=0.2"), "{}", e.to_query());
    assert_eq!(Experiment::from_query(&e.to_query()), Ok(e));
    let (e, notes) = notes_for("noise=2&test=0.9");
    assert_eq!((e.noise, e.test_split), (limits::MAX_NOISE, limits::MAX_TEST_SPLIT));
    assert_eq!(notes.len(), 2);
    assert!(!Experiment::default().to_query().contains("noise"), "off by default, and not in the link");
}
