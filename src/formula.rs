//! Functions the user types: `x^3`, `abs(x-500)`, `sin(x/100)*1000`, `x1*x2`, `max(x1,x2)`.
//!
//! A small recursive-descent parser of our own (`formula/parse.rs`) into a tree, evaluated in
//! f64. Not a crate: the expression crates on crates.io either carry a scripting language we
//! would have to fence off (evalexpr: assignments, `;` chains, strings, integer division),
//! are unmaintained (meval on nom 1, fasteval since 2020), or report no character positions.
//! Ours is a few hundred lines with exact positions, hard bounds, and the tree in hand to
//! write it out again as numpy for the Keras export (`formula/write.rs`).
//!
//! The language: numbers (`2`, `0.5`, `1e3`), the constants `pi` and `e`, the variables `x`
//! (one input) or `x1` and `x2` (two inputs; `x` is not mixed with them), `+ - * / ^`,
//! unary minus, parentheses, and `sin cos tan exp log sqrt abs floor` of one argument and
//! `min max` of two. `^` is right-associative and binds tighter than unary minus, as in
//! mathematics and Python: `-x^2 = -(x^2)`, `2^3^2 = 2^9`. `log` is the natural logarithm.
//! No loops, assignments or user-defined functions: every formula is a finite tree of at
//! most `MAX_CHARS` tokens, so it evaluates in bounded time and stack.

mod parse;
mod write;

pub use write::python_float;

use std::fmt;

/// Longest formula, in characters (after trimming surrounding spaces).
pub const MAX_CHARS: usize = 200;
/// Deepest nesting of parentheses, function calls, signs and exponents. The tree itself has
/// at most one node per character, so evaluating it recurses at most `MAX_CHARS` deep.
pub const MAX_DEPTH: usize = 32;
/// What a malformed formula falls back to: the question's own function.
pub const DEFAULT_SOURCE: &str = "x^2";

/// A parsed formula: the text as typed (trimmed) and its tree.
#[derive(Clone, PartialEq)]
pub struct Formula {
    source: String,
    expr: Expr,
    inputs: usize,
}

/// The tree of a formula. Literals are finite; variables are input indices (x and x1 are 0).
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Number(f64),
    Constant(Constant),
    Variable(usize),
    Neg(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Call(Function, Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Constant {
    Pi,
    E,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Function {
    Sin,
    Cos,
    Tan,
    Exp,
    Log,
    Sqrt,
    Abs,
    Floor,
    Min,
    Max,
}

impl Constant {
    pub const ALL: [Constant; 2] = [Constant::Pi, Constant::E];

    pub fn name(self) -> &'static str {
        match self {
            Constant::Pi => "pi",
            Constant::E => "e",
        }
    }

    pub fn value(self) -> f64 {
        match self {
            Constant::Pi => std::f64::consts::PI,
            Constant::E => std::f64::consts::E,
        }
    }
}

impl BinaryOp {
    pub fn symbol(self) -> char {
        match self {
            BinaryOp::Add => '+',
            BinaryOp::Sub => '-',
            BinaryOp::Mul => '*',
            BinaryOp::Div => '/',
            BinaryOp::Pow => '^',
        }
    }

    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            BinaryOp::Add => a + b,
            BinaryOp::Sub => a - b,
            BinaryOp::Mul => a * b,
            BinaryOp::Div => a / b,
            BinaryOp::Pow => a.powf(b),
        }
    }
}

impl Function {
    pub const ALL: [Function; 10] = [
        Function::Sin,
        Function::Cos,
        Function::Tan,
        Function::Exp,
        Function::Log,
        Function::Sqrt,
        Function::Abs,
        Function::Floor,
        Function::Min,
        Function::Max,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Function::Sin => "sin",
            Function::Cos => "cos",
            Function::Tan => "tan",
            Function::Exp => "exp",
            Function::Log => "log",
            Function::Sqrt => "sqrt",
            Function::Abs => "abs",
            Function::Floor => "floor",
            Function::Min => "min",
            Function::Max => "max",
        }
    }

    /// How many arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            Function::Min | Function::Max => 2,
            _ => 1,
        }
    }

    /// f(args); `args` has `arity()` values.
    pub fn apply(self, args: &[f64]) -> f64 {
        let a = args[0];
        match self {
            Function::Sin => a.sin(),
            Function::Cos => a.cos(),
            Function::Tan => a.tan(),
            Function::Exp => a.exp(),
            Function::Log => a.ln(),
            Function::Sqrt => a.sqrt(),
            Function::Abs => a.abs(),
            Function::Floor => a.floor(),
            // NaN in, NaN out (numpy's minimum/maximum), unlike f64::min.
            Function::Min => {
                if a.is_nan() || args[1].is_nan() {
                    f64::NAN
                } else {
                    a.min(args[1])
                }
            }
            Function::Max => {
                if a.is_nan() || args[1].is_nan() {
                    f64::NAN
                } else {
                    a.max(args[1])
                }
            }
        }
    }
}

impl Expr {
    /// The value at `inputs` (x₁, x₂, …), in f64; NaN or ±inf where the function is undefined.
    pub fn eval(&self, inputs: &[f64]) -> f64 {
        match self {
            Expr::Number(v) => *v,
            Expr::Constant(c) => c.value(),
            Expr::Variable(i) => inputs[*i],
            Expr::Neg(a) => -a.eval(inputs),
            Expr::Binary(op, a, b) => op.apply(a.eval(inputs), b.eval(inputs)),
            Expr::Call(f, args) => match args.as_slice() {
                [a] => f.apply(&[a.eval(inputs)]),
                [a, b] => f.apply(&[a.eval(inputs), b.eval(inputs)]),
                _ => unreachable!("the parser checks every call's arity"),
            },
        }
    }

    /// The number of inputs the variables reach: 2 if x2 appears, else 1.
    fn inputs(&self) -> usize {
        match self {
            Expr::Number(_) | Expr::Constant(_) => 1,
            Expr::Variable(i) => i + 1,
            Expr::Neg(a) => a.inputs(),
            Expr::Binary(_, a, b) => a.inputs().max(b.inputs()),
            Expr::Call(_, args) => args.iter().map(Expr::inputs).max().unwrap_or(1),
        }
    }
}

impl Formula {
    /// Parses a typed formula. Surrounding spaces are trimmed; error positions count
    /// characters from the start of `text` as given.
    pub fn parse(text: &str) -> Result<Formula, FormulaError> {
        let (expr, source) = parse::parse(text)?;
        let inputs = expr.inputs();
        Ok(Formula { source, expr, inputs })
    }

    /// The text as typed, trimmed: what the share link carries.
    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn expr(&self) -> &Expr {
        &self.expr
    }

    /// 1 for a function of x (or of x1 alone), 2 for a function of x1 and x2.
    pub fn inputs(&self) -> usize {
        self.inputs
    }

    /// True when no variable appears: the same value everywhere.
    pub fn is_constant(&self) -> bool {
        fn constant(e: &Expr) -> bool {
            match e {
                Expr::Number(_) | Expr::Constant(_) => true,
                Expr::Variable(_) => false,
                Expr::Neg(a) => constant(a),
                Expr::Binary(_, a, b) => constant(a) && constant(b),
                Expr::Call(_, args) => args.iter().all(constant),
            }
        }
        constant(&self.expr)
    }

    /// f(inputs); `inputs` holds at least `self.inputs()` values.
    pub fn eval(&self, inputs: &[f64]) -> f64 {
        self.expr.eval(inputs)
    }

    /// The formula written out again from its tree, with only the parentheses it needs:
    /// `sin(x/100)*1000`. Parsing it gives back the same tree.
    pub fn normalized(&self) -> String {
        write::ours(&self.expr, self.inputs)
    }

    /// The formula as a numpy expression over the columns of `columns` (e.g. `X_raw`):
    /// `np.sin(X_raw[:, 0] / 100.0) * 1000.0`. Written from the tree, never from the text.
    pub fn to_numpy(&self, columns: &str) -> String {
        write::numpy(&self.expr, columns)
    }

    /// "f(x)" or "f(x1, x2)": how the formula's variables are named.
    pub fn signature(&self) -> &'static str {
        if self.inputs == 1 {
            "f(x)"
        } else {
            "f(x1, x2)"
        }
    }
}

impl Default for Formula {
    /// `x^2`.
    fn default() -> Self {
        Formula::parse(DEFAULT_SOURCE).expect("the default formula parses")
    }
}

impl fmt::Debug for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Formula({:?})", self.source)
    }
}

impl fmt::Display for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

/// Why a formula was rejected, and where: `at` counts characters from 0, so the message says
/// "character {at + 1}".
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaError {
    pub at: usize,
    pub kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ErrorKind {
    Empty,
    TooLong {
        chars: usize,
    },
    TooDeep,
    UnexpectedCharacter(char),
    /// A number, variable, function or '(' was expected; `found` is what came instead.
    ExpectedOperand {
        found: Option<char>,
    },
    /// Two operands in a row, as in `2x`.
    MissingOperator,
    UnknownName(String),
    /// `sin x` instead of `sin(x)`.
    FunctionWithoutParentheses(Function),
    WrongArgumentCount {
        function: Function,
        found: usize,
    },
    /// An opening parenthesis (at `opened`) that is never closed.
    Unclosed {
        opened: usize,
    },
    UnmatchedClose,
    MalformedNumber,
    NumberTooLarge,
    /// `x` together with `x1` or `x2`.
    MixedVariables,
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at character {}: ", self.at + 1)?;
        let shown = |c: char| c.escape_debug().to_string();
        match &self.kind {
            ErrorKind::Empty => write!(f, "the formula is empty (try x^2)"),
            ErrorKind::TooLong { chars } => write!(f, "{chars} characters is longer than {MAX_CHARS}"),
            ErrorKind::TooDeep => write!(f, "nested more than {MAX_DEPTH} deep"),
            ErrorKind::UnexpectedCharacter(c) => write!(f, "'{}' is not part of the language", shown(*c)),
            ErrorKind::ExpectedOperand { found: None } => {
                write!(f, "the formula ends where a number, variable or '(' should follow")
            }
            ErrorKind::ExpectedOperand { found: Some(c) } => {
                write!(f, "'{}' where a number, variable or '(' should be", shown(*c))
            }
            ErrorKind::MissingOperator => write!(f, "an operator is missing here (write 2*x, not 2x)"),
            ErrorKind::UnknownName(name) => {
                let name: String = name.chars().take(20).flat_map(char::escape_debug).collect();
                write!(f, "unknown name '{name}' (variables: x, or x1 and x2; constants: pi, e)")
            }
            ErrorKind::FunctionWithoutParentheses(func) => {
                write!(f, "{} needs parentheses, as in {}(x)", func.name(), func.name())
            }
            ErrorKind::WrongArgumentCount { function, found } => {
                let n = function.arity();
                write!(f, "{} takes {n} argument{}, not {found}", function.name(), if n == 1 { "" } else { "s" })
            }
            ErrorKind::Unclosed { opened } => write!(f, "')' is missing for the '(' at character {}", opened + 1),
            ErrorKind::UnmatchedClose => write!(f, "')' without a matching '('"),
            ErrorKind::MalformedNumber => write!(f, "malformed number"),
            ErrorKind::NumberTooLarge => write!(f, "number too large"),
            ErrorKind::MixedVariables => write!(f, "x names the only input: with two inputs write x1 and x2"),
        }
    }
}

impl std::error::Error for FormulaError {}
