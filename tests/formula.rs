//! The formula language: values against closed forms, errors at the right character, the
//! bounds, and the numpy it writes.

use squares_playground::formula::{ErrorKind, Formula, FormulaError, MAX_CHARS, MAX_DEPTH};
use std::f64::consts::{E, PI};

fn value(text: &str, inputs: &[f64]) -> f64 {
    Formula::parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).eval(inputs)
}

fn error(text: &str) -> FormulaError {
    Formula::parse(text).expect_err(text)
}

#[test]
fn arithmetic_follows_the_usual_precedence() {
    assert_eq!(value("1 + 2*3", &[0.0]), 7.0);
    assert_eq!(value("(1 + 2)*3", &[0.0]), 9.0);
    assert_eq!(value("10 - 4 - 3", &[0.0]), 3.0, "left-associative");
    assert_eq!(value("64 / 4 / 2", &[0.0]), 8.0);
    assert_eq!(value("2^3^2", &[0.0]), 512.0, "right-associative, as in mathematics");
    assert_eq!(value("-x^2", &[3.0]), -9.0, "^ binds tighter than unary minus");
    assert_eq!(value("2^-1", &[0.0]), 0.5);
    assert_eq!(value("--x", &[3.0]), 3.0);
    assert_eq!(value("+x", &[3.0]), 3.0);
    assert_eq!(value("2*-x", &[3.0]), -6.0);
    assert_eq!(value("1.5e3 + .5 + 2E-1", &[0.0]), 1500.7);
}

#[test]
fn the_examples_of_the_issue_evaluate_to_their_closed_forms() {
    assert_eq!(value("x^3", &[7.0]), 343.0);
    assert_eq!(value("abs(x)", &[-4.0]), 4.0);
    assert_eq!(value("abs(x-500)", &[1.0]), 499.0);
    assert_eq!(value("sin(x/100)*1000", &[50.0]), (0.5f64).sin() * 1000.0);
    assert_eq!(value("x1*x2", &[3.0, 4.0]), 12.0);
    assert_eq!(value("max(x1,x2)", &[3.0, 4.0]), 4.0);
    assert_eq!(value("min(x1, x2)", &[3.0, 4.0]), 3.0);
}

#[test]
fn every_function_and_constant_is_the_f64_one() {
    let x = 0.7f64;
    let cases: [(&str, f64); 10] = [
        ("sin(x)", x.sin()),
        ("cos(x)", x.cos()),
        ("tan(x)", x.tan()),
        ("exp(x)", x.exp()),
        ("log(x)", x.ln()),
        ("sqrt(x)", x.sqrt()),
        ("abs(-x)", x),
        ("floor(x*10)", 7.0),
        ("pi", PI),
        ("e", E),
    ];
    for (text, expected) in cases {
        assert_eq!(value(text, &[x]), expected, "{text}");
    }
}

#[test]
fn undefined_points_are_nan_or_infinite_not_a_panic() {
    assert!(value("log(x - 1)", &[1.0]).is_infinite());
    assert!(value("1/(x-5)", &[5.0]).is_infinite());
    assert!(value("sqrt(x)", &[-1.0]).is_nan());
    assert!(value("max(x, sqrt(-1))", &[1.0]).is_nan(), "NaN propagates through max, as numpy's maximum");
}

#[test]
fn the_variables_decide_the_number_of_inputs() {
    assert_eq!(Formula::parse("x^2").unwrap().inputs(), 1);
    assert_eq!(Formula::parse("x1^2").unwrap().inputs(), 1);
    assert_eq!(Formula::parse("42").unwrap().inputs(), 1);
    assert_eq!(Formula::parse("x1*x2").unwrap().inputs(), 2);
    assert_eq!(Formula::parse("x2").unwrap().inputs(), 2);
    assert_eq!(Formula::parse("x1*x2").unwrap().signature(), "f(x1, x2)");
}

#[test]
fn the_source_is_kept_as_typed_but_trimmed() {
    let f = Formula::parse("  sin( x/100 ) * 1000 ").unwrap();
    assert_eq!(f.source(), "sin( x/100 ) * 1000");
    assert_eq!(f.normalized(), "sin(x/100)*1000");
    assert_eq!(f.to_string(), "sin( x/100 ) * 1000");
}

#[test]
fn typographic_operators_read_as_their_ascii_ones() {
    assert_eq!(value("3 − x", &[1.0]), 2.0);
    assert_eq!(value("3 × x · 2 ÷ 4", &[2.0]), 3.0);
}

/// (text, the 1-based character the error points at, a word the message contains).
#[test]
fn errors_point_at_the_character_at_fault() {
    let cases: &[(&str, usize, &str)] = &[
        ("", 1, "empty"),
        ("   ", 4, "empty"),
        ("x +", 4, "ends"),
        ("2x", 2, "operator is missing"),
        ("x x", 3, "operator is missing"),
        ("sin(x", 6, "')' is missing for the '(' at character 4"),
        ("(x + 1", 7, "at character 1"),
        ("x)", 2, "without a matching"),
        ("x $ 2", 3, "'$'"),
        ("<script>", 1, "'<'"),
        ("y + 1", 1, "unknown name 'y'"),
        ("sinh(x)", 1, "unknown name 'sinh'"),
        ("sin x", 1, "needs parentheses"),
        ("max(x)", 1, "takes 2 arguments, not 1"),
        ("sin(x, 2)", 1, "takes 1 argument, not 2"),
        ("sin()", 1, "not 0"),
        ("1.2.3", 1, "malformed number"),
        ("x * 1e999", 5, "too large"),
        ("x + x1", 5, "x1 and x2"),
        ("x2 * x", 6, "x1 and x2"),
        ("*x", 1, "'*' where"),
        ("(x, 1)", 3, "','"),
        ("  x +", 6, "ends"),
        ("pi(2)", 3, "operator is missing"),
    ];
    for &(text, character, word) in cases {
        let e = error(text);
        assert_eq!(e.at + 1, character, "{text:?}: {e}");
        let message = e.to_string();
        assert!(message.starts_with(&format!("at character {character}: ")), "{text:?}: {message}");
        assert!(message.contains(word), "{text:?}: {message} should mention {word:?}");
    }
}

#[test]
fn length_and_depth_are_bounded() {
    let longest = format!("x{}", "+1".repeat((MAX_CHARS - 1) / 2));
    assert!(longest.chars().count() <= MAX_CHARS);
    assert!(Formula::parse(&longest).is_ok());
    let too_long = format!("{longest}+1");
    assert_eq!(error(&too_long).kind, ErrorKind::TooLong { chars: too_long.chars().count() });
    assert_eq!(error(&"x".repeat(10_000)).at, MAX_CHARS, "a 10 kB value is rejected at the bound");

    let deep = |n: usize| format!("{}x{}", "(".repeat(n), ")".repeat(n));
    assert!(Formula::parse(&deep(MAX_DEPTH)).is_ok());
    let e = error(&deep(MAX_DEPTH + 1));
    assert_eq!((e.kind, e.at), (ErrorKind::TooDeep, MAX_DEPTH));
    assert_eq!(error(&format!("{}x", "-".repeat(MAX_DEPTH + 1))).kind, ErrorKind::TooDeep);
    assert_eq!(
        error(&format!("{}x{}", "sin(".repeat(MAX_DEPTH + 1), ")".repeat(MAX_DEPTH + 1))).kind,
        ErrorKind::TooDeep
    );
    // A long flat chain is not nesting: its tree is deep, but bounded by the length.
    assert_eq!(value(&longest, &[1.0]), 100.0);
}

#[test]
fn numpy_is_written_from_the_tree_with_the_parentheses_it_needs() {
    let numpy = |text: &str| Formula::parse(text).unwrap().to_numpy("X_raw");
    assert_eq!(numpy("x^3"), "X_raw[:, 0] ** 3.0");
    assert_eq!(numpy("abs(x - 500)"), "np.abs(X_raw[:, 0] - 500.0)");
    assert_eq!(numpy("sin(x/100)*1000"), "np.sin(X_raw[:, 0] / 100.0) * 1000.0");
    assert_eq!(numpy("x1*x2"), "X_raw[:, 0] * X_raw[:, 1]");
    assert_eq!(numpy("max(x1,x2)"), "np.maximum(X_raw[:, 0], X_raw[:, 1])");
    assert_eq!(numpy("-x^2"), "-X_raw[:, 0] ** 2.0");
    assert_eq!(numpy("(-x)^2"), "(-X_raw[:, 0]) ** 2.0");
    assert_eq!(numpy("2^3^2"), "2.0 ** 3.0 ** 2.0");
    assert_eq!(numpy("(2^3)^2"), "(2.0 ** 3.0) ** 2.0");
    assert_eq!(numpy("x - (x - 1)"), "X_raw[:, 0] - (X_raw[:, 0] - 1.0)");
    assert_eq!(numpy("pi*e + 1e300 + 0.25"), "np.pi * np.e + 1e300 + 0.25");
    assert_eq!(
        numpy("floor(log(sqrt(exp(tan(cos(x))))))"),
        "np.floor(np.log(np.sqrt(np.exp(np.tan(np.cos(X_raw[:, 0]))))))"
    );
}

#[test]
fn numpy_of_hostile_looking_input_is_only_ever_numpy() {
    // Nothing of the text survives but numbers, operators and known names.
    let f = Formula::parse("x__import__").expect_err("an unknown name");
    assert!(matches!(f.kind, ErrorKind::UnknownName(_)));
    let numpy = Formula::parse("min(x,1)").unwrap().to_numpy("X_raw");
    assert!(numpy.chars().all(|c| c.is_ascii_alphanumeric() || " .,:[]()*+-/_".contains(c)), "{numpy}");
}
