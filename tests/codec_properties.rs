//! Property tests: no string, however hostile, makes the codec panic or produce an invalid
//! experiment, and every canonical link round-trips. Every note starts with the field it
//! is about. The long fuzzing run: `PROPTEST_CASES=1000000 cargo test --release --test codec_properties`.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use squares_playground::{parse_query, ConfigNote, Experiment};

/// Keys the codec knows, mixed with near-misses, so generated links reach deep into it.
const KEYS: &[&str] = &[
    "v", "task", "inputs", "examples", "largest", "norm", "layers", "opt", "lr", "beta1", "beta2", "eps", "momentum",
    "batch", "epochs", "seed", "seeds", "twin", "extent", "Task", "layer", "",
];
const VALUES: &[&str] = &[
    "square",
    "sum",
    "product",
    "question",
    "largest",
    "standard",
    "adam",
    "sgd",
    "none",
    "0",
    "1",
    "-1",
    "1e308",
    "NaN",
    "inf",
    "0.001",
    "10",
    "2048",
    "64:relu,64:relu",
    "5:tanh",
    "%ff",
    "%",
    "<script>",
    "1,2,3",
    "3:swish,",
];

fn link() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        proptest::sample::select(VALUES).prop_map(String::from),
        "[ -~]{0,12}",                                   // printable ASCII
        "\\PC{0,8}",                                     // any Unicode
        "[0-9.e+-]{1,10}",                               // number-like
        "([0-9]{1,4}(:[a-z_]{2,10})?,){0,20}[0-9]{1,4}", // layer-like
    ];
    let pair = (proptest::sample::select(KEYS), value).prop_map(|(k, v)| format!("{k}={v}"));
    prop_oneof![
        proptest::collection::vec(pair, 0..12).prop_map(|p| p.join("&")),
        "\\PC{0,64}",
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

proptest! {
    // 3000 cases in the suite; PROPTEST_CASES=1000000 for a long run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000)
    ))]

    #[test]
    fn any_link_parses_to_a_valid_experiment_with_named_notes(query in link()) {
        let parsed = parse_query(&query);
        prop_assert_eq!(parsed.experiment.validate(), Ok(()));
        for note in &parsed.notes {
            prop_assert!(!note.field().is_empty());
            // Keys from the link are quoted (escaped, shortened); known fields are named plainly.
            let quoted = matches!(note, ConfigNote::UnknownKey { .. } | ConfigNote::DuplicateKey { .. });
            let named = if quoted { note.to_string().starts_with('"') } else { note.to_string().starts_with(note.field()) };
            prop_assert!(named, "starts with its field: {}", note);
            let text = note.to_string();
            prop_assert!(text.chars().count() < 400, "short: {}", text);
        }
        // What the page puts in the address bar reads back to the same experiment, silently.
        let canonical = parsed.experiment.to_query();
        prop_assert_eq!(Experiment::from_query(&canonical), Ok(parsed.experiment));
    }
}
