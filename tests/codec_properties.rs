//! Property tests: no string, however hostile, makes the codec panic or produce an invalid
//! experiment, and every canonical link round-trips. Every note starts with the field it
//! is about. The long fuzzing run: `PROPTEST_CASES=1000000 cargo test --release --test codec_properties`.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use squares_playground::{parse_query, ConfigNote, Experiment, Formula, Task};

/// Keys the codec knows, mixed with near-misses, so generated links reach deep into it.
const KEYS: &[&str] = &[
    "v", "task", "inputs", "examples", "largest", "norm", "layers", "opt", "lr", "beta1", "beta2", "eps", "momentum",
    "batch", "epochs", "seed", "seeds", "twin", "extent", "f", "F", "Task", "layer", "", "noise", "test", "pace",
    "tour", "embed", "cores",
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
    "0.25",
    "0.5",
    "10",
    "2048",
    "64:relu,64:relu",
    "5:tanh",
    "%ff",
    "%",
    "<script>",
    "1,2,3",
    "3:swish,",
    "f",
    "x%5E2",
    "x1*x2",
    "max(x1,%20x2)",
    "sin(x/100)*1000",
    "log(x-1)",
    "1/(x-500)",
    "sin(x",
    "%E2%88%92x",
    "x+1",
    "x%2B1",
    "exp(x)",
    "x1/(x2-3)",
];

/// Valid formulas made of pieces that need encoding (spaces, + ^ / − ×): a canonical link must
/// carry them intact. Variables are all x, or all x1/x2.
fn formula() -> impl Strategy<Value = String> {
    let operand = proptest::sample::select(vec!["X", "1", "2.5", "pi", "e", "(X + 1)", "abs(X − 2)", "max(X, 3)"]);
    let operator = proptest::sample::select(vec!["+", "-", "*", "/", "^", " − ", " × ", " + "]);
    let chain = (operand.clone(), proptest::collection::vec((operator, operand), 0..8));
    (chain, any::<bool>()).prop_map(|((first, rest), indexed)| {
        let text = rest.into_iter().fold(first.to_string(), |t, (op, b)| format!("{t}{op}{b}"));
        let mut n = 0;
        text.split('X').fold(String::new(), |mut out, part| {
            if n > 0 {
                out.push_str(if !indexed {
                    "x"
                } else if n % 2 == 1 {
                    "x1"
                } else {
                    "x2"
                });
            }
            n += 1;
            out.push_str(part);
            out
        })
    })
}

fn link() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        proptest::sample::select(VALUES).prop_map(String::from),
        "[ -~]{0,12}",                                   // printable ASCII
        "\\PC{0,8}",                                     // any Unicode
        "[0-9.e+-]{1,10}",                               // number-like
        "([0-9]{1,4}(:[a-z_]{2,10})?,){0,20}[0-9]{1,4}", // layer-like
        formula().prop_map(|f| f.replace('%', "%25").replace('+', "%2B").replace('&', "%26")), // formula-like
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

proptest! {
    // Each case draws and checks a data set: 1000 cases in the suite.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000)
    ))]

    #[test]
    fn every_formula_round_trips_through_its_link_or_is_refused_there(text in formula(), largest in 1u32..2000) {
        let formula = Formula::parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        let inputs = formula.inputs();
        let e = Experiment { task: Task::Function, formula, inputs, largest, ..Experiment::default() };
        let query = e.to_query();
        prop_assert!(query.bytes().all(|b| b.is_ascii_graphic() && b != b'+' && b != b'#'), "{}", query);
        if e.validate().is_ok() {
            prop_assert_eq!(Experiment::from_query(&query), Ok(e));
        } else {
            // Not finite somewhere on the data: the link says where, and trains x^2 instead.
            let parsed = parse_query(&query);
            prop_assert_eq!(parsed.experiment.formula.source(), "x^2");
            prop_assert!(matches!(parsed.notes.as_slice(), [ConfigNote::BadFormula { .. }]), "{:?}", parsed.notes);
        }
    }
}
