//! An affine map as the sentence the page and the CLI print: "y = 990.664640·x - 163324.026"
//! for one input, "y = 500.500000·x₁ + 500.500000·x₂ - 250500.000" for two — the collapse of an
//! all-linear network, or the best line or plane through the data.

use crate::analysis::Affine;

/// What the least-squares floor is for this many inputs: a line through the data, or a
/// plane (a hyperplane beyond two inputs, still called a plane on the page).
pub fn floor_name(inputs: usize) -> &'static str {
    if inputs == 1 {
        "best straight line"
    } else {
        "best plane"
    }
}

/// "y = a·x + b" (one input) or "y = a·x₁ + b·x₂ + c" (several): weights to 6 decimals, the
/// constant to 3, each sign written once between terms.
pub fn equation(affine: &Affine) -> String {
    let names: Vec<String> = if affine.weights.len() == 1 {
        vec!["x".into()]
    } else {
        (1..=affine.weights.len()).map(subscripted).collect()
    };
    let mut out = String::from("y =");
    for (i, (w, name)) in affine.weights.iter().zip(&names).enumerate() {
        let term = format!("{:.6}·{name}", w.abs());
        push_term(&mut out, *w, &term, i == 0);
    }
    push_term(&mut out, affine.bias, &format!("{:.3}", affine.bias.abs()), affine.weights.is_empty());
    out
}

/// " + term" or " - term"; the first term carries its own minus sign.
fn push_term(out: &mut String, value: f64, magnitude: &str, first: bool) {
    let negative = value < 0.0;
    match (first, negative) {
        (true, false) => out.push_str(&format!(" {magnitude}")),
        (true, true) => out.push_str(&format!(" -{magnitude}")),
        (false, false) => out.push_str(&format!(" + {magnitude}")),
        (false, true) => out.push_str(&format!(" - {magnitude}")),
    }
}

/// x₁, x₂, …, x₁₀.
pub(crate) fn subscripted(i: usize) -> String {
    const DIGITS: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    let digits: String = i.to_string().chars().map(|d| DIGITS[d.to_digit(10).unwrap_or(0) as usize]).collect();
    format!("x{digits}")
}
