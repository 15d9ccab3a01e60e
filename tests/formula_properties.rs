//! Property tests of the formula parser: no text makes it panic, every error points inside the
//! text, and every valid formula written out again from its tree reads back to the same tree.
//! The long run: `PROPTEST_CASES=1000000 cargo test --release --test formula_properties`.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use squares_playground::formula::{ErrorKind, Formula};

/// Pieces formulas are made of, and near misses, so arbitrary text reaches deep into the parser.
const PIECES: &[&str] = &[
    "x", "x1", "x2", "x3", "pi", "e", "2", "0.5", ".5", "1e3", "1e", "1.2.3", "sin", "max", "log", "(", ")", ",", "+",
    "-", "*", "/", "^", " ", "−", "×", "<", "é", "\u{0}",
];

fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,64}",
        proptest::collection::vec(proptest::sample::select(PIECES), 0..40).prop_map(|p| p.concat()),
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

/// A valid formula in x1 and x2, with random spacing and optional parentheses.
fn valid() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("x1".to_string()),
        Just("x2".to_string()),
        Just("pi".to_string()),
        Just("e".to_string()),
        (0u32..2000).prop_map(|n| n.to_string()),
        (0u32..1000, 1u32..100).prop_map(|(a, b)| format!("{a}.{b}")),
        (1u32..10, -20i32..20).prop_map(|(a, b)| format!("{a}e{b}")),
    ];
    leaf.prop_recursive(5, 40, 2, |inner| {
        let space = proptest::sample::select(vec!["", " "]);
        prop_oneof![
            (inner.clone(), proptest::sample::select(vec!["+", "-", "*", "/", "^"]), inner.clone(), space.clone())
                .prop_map(|(a, op, b, s)| format!("{a}{s}{op}{s}{b}")),
            inner.clone().prop_map(|a| format!("({a})")),
            inner.clone().prop_map(|a| format!("-{a}")),
            (proptest::sample::select(vec!["sin", "cos", "tan", "exp", "log", "sqrt", "abs", "floor"]), inner.clone())
                .prop_map(|(f, a)| format!("{f}({a})")),
            (proptest::sample::select(vec!["min", "max"]), inner.clone(), inner, space)
                .prop_map(|(f, a, b, s)| format!("{f}({a},{s}{b})")),
        ]
    })
}

fn same_value(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000)
    ))]

    #[test]
    fn any_text_parses_or_names_a_character_inside_it(text in hostile()) {
        match Formula::parse(&text) {
            Ok(f) => {
                prop_assert_eq!(f.source(), text.trim());
                let _ = f.eval(&[1.5, -2.5]);
            }
            Err(e) => {
                prop_assert!(e.at <= text.chars().count(), "{} in {:?}", e, text);
                prop_assert!(e.to_string().chars().count() < 200, "short: {}", e);
                prop_assert!(e.to_string().chars().all(|c| !c.is_control()), "printable: {:?}", e.to_string());
            }
        }
    }

    #[test]
    fn a_valid_formula_written_out_again_reads_back_to_the_same_tree(text in valid(), single in any::<bool>()) {
        // One input: every variable is x.
        let text = if single { text.replace("x1", "x").replace("x2", "x") } else { text };
        let f = match Formula::parse(&text) {
            Ok(f) => f,
            Err(e) => {
                prop_assume!(!matches!(e.kind, ErrorKind::TooLong { .. } | ErrorKind::TooDeep));
                return Err(TestCaseError::fail(format!("{text:?}: {e}")));
            }
        };
        let normalized = f.normalized();
        let again = Formula::parse(&normalized).map_err(|e| TestCaseError::fail(format!("{normalized:?}: {e}")))?;
        prop_assert_eq!(again.expr(), f.expr(), "{} -> {}", text, normalized);
        prop_assert_eq!(again.normalized(), normalized.clone());
        prop_assert_eq!(again.inputs(), f.inputs());
        for point in [[3.0, 7.0], [0.25, -4.0]] {
            prop_assert!(same_value(again.eval(&point), f.eval(&point)), "{} at {:?}", normalized, point);
        }
    }
}
