//! Writing a formula's tree out again: in our own syntax (what parsing reads back to the same
//! tree) and as numpy (for the Keras export). Both put parentheses exactly where the tree
//! needs them, so evaluation order — and so every f64 rounding — is kept.

use super::{BinaryOp, Expr, Function};

/// Binding strength: + − < * / < unary minus < ^ < numbers, names and calls.
fn precedence(expr: &Expr) -> u8 {
    match expr {
        Expr::Binary(BinaryOp::Add | BinaryOp::Sub, ..) => 1,
        Expr::Binary(BinaryOp::Mul | BinaryOp::Div, ..) => 2,
        Expr::Neg(_) => 3,
        Expr::Binary(BinaryOp::Pow, ..) => 4,
        Expr::Number(_) | Expr::Constant(_) | Expr::Variable(_) | Expr::Call(..) => 5,
    }
}

/// How the two syntaxes spell the leaves and the operators.
struct Dialect<'a> {
    number: fn(f64) -> String,
    constant: fn(super::Constant) -> &'static str,
    variable: &'a dyn Fn(usize) -> String,
    function: fn(Function) -> &'static str,
    operator: fn(BinaryOp) -> &'static str,
}

fn write(expr: &Expr, d: &Dialect, out: &mut String) {
    // A child is wrapped when it binds more loosely than its place needs.
    let child = |e: &Expr, wrap: bool, out: &mut String| {
        if wrap {
            out.push('(');
            write(e, d, out);
            out.push(')');
        } else {
            write(e, d, out);
        }
    };
    match expr {
        Expr::Number(v) => out.push_str(&(d.number)(*v)),
        Expr::Constant(c) => out.push_str((d.constant)(*c)),
        Expr::Variable(i) => out.push_str(&(d.variable)(*i)),
        Expr::Neg(a) => {
            out.push('-');
            // -(-x) rather than --x; -x^2 needs none: ^ binds tighter on both sides.
            child(a, precedence(a) <= 3, out);
        }
        Expr::Binary(BinaryOp::Pow, a, b) => {
            // Right-associative: (a^b)^c and (-a)^b need them on the left, a^(b+c) on the right.
            child(a, precedence(a) <= 4, out);
            out.push_str((d.operator)(BinaryOp::Pow));
            child(b, precedence(b) < 3, out);
        }
        Expr::Binary(op, a, b) => {
            // Left-associative: a-(b-c) keeps its parentheses, (a-b)-c needs none.
            let p = precedence(expr);
            child(a, precedence(a) < p, out);
            out.push_str((d.operator)(*op));
            child(b, precedence(b) <= p, out);
        }
        Expr::Call(f, args) => {
            out.push_str((d.function)(*f));
            out.push('(');
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(arg, d, out);
            }
            out.push(')');
        }
    }
}

/// Our syntax: `sin(x/100)*1000`; variables `x` for one input, `x1`, `x2` for two.
pub(super) fn ours(expr: &Expr, inputs: usize) -> String {
    let variable = |i: usize| if inputs == 1 { "x".to_string() } else { format!("x{}", i + 1) };
    let dialect = Dialect {
        number: ours_number,
        constant: |c| c.name(),
        variable: &variable,
        function: Function::name,
        operator: |op| match op {
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Pow => "^",
        },
    };
    let mut out = String::new();
    write(expr, &dialect, &mut out);
    out
}

/// numpy over the columns of `columns`: `np.sin(X_raw[:, 0] / 100.0) * 1000.0`.
pub(super) fn numpy(expr: &Expr, columns: &str) -> String {
    let variable = |i: usize| format!("{columns}[:, {i}]");
    let dialect = Dialect {
        number: python_float,
        constant: |c| match c {
            super::Constant::Pi => "np.pi",
            super::Constant::E => "np.e",
        },
        variable: &variable,
        function: |f| match f {
            Function::Sin => "np.sin",
            Function::Cos => "np.cos",
            Function::Tan => "np.tan",
            Function::Exp => "np.exp",
            Function::Log => "np.log",
            Function::Sqrt => "np.sqrt",
            Function::Abs => "np.abs",
            Function::Floor => "np.floor",
            Function::Min => "np.minimum",
            Function::Max => "np.maximum",
        },
        operator: |op| match op {
            BinaryOp::Add => " + ",
            BinaryOp::Sub => " - ",
            BinaryOp::Mul => " * ",
            BinaryOp::Div => " / ",
            BinaryOp::Pow => " ** ",
        },
    };
    let mut out = String::new();
    write(expr, &dialect, &mut out);
    out
}

/// The shortest digits that read back to the same f64; exponent form far from 1, where
/// plain digits would run to hundreds of characters.
fn ours_number(v: f64) -> String {
    let a = v.abs();
    if a == 0.0 || (1e-4..1e15).contains(&a) {
        v.to_string()
    } else {
        format!("{v:e}")
    }
}

/// A Python float literal with the same value: `1000.0`, `0.5`, `1e300` — always a float, so
/// numpy computes in float64 as we do (no integer powers or integer overflow).
pub fn python_float(v: f64) -> String {
    if !v.is_finite() {
        return format!("float('{v}')");
    }
    let s = ours_number(v);
    if s.contains(['.', 'e']) {
        s
    } else {
        format!("{s}.0")
    }
}
