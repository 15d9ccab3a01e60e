//! The recursive-descent parser, one function per precedence level:
//!
//! ```text
//! expr   = term   (("+" | "-") term)*
//! term   = unary  (("*" | "/") unary)*
//! unary  = ("-" | "+") unary | power
//! power  = atom ("^" unary)?                 right-associative; -x^2 = -(x^2)
//! atom   = number | constant | variable | function "(" expr ("," expr)* ")" | "(" expr ")"
//! ```
//!
//! Tokens are read on demand, so the first error in reading order is the one reported.
//! Positions count characters (not bytes) of the text as given.

use super::{BinaryOp, Constant, ErrorKind, Expr, FormulaError, Function, MAX_CHARS, MAX_DEPTH};

/// The tree and the trimmed source, or the first error.
pub(super) fn parse(text: &str) -> Result<(Expr, String), FormulaError> {
    let trimmed = text.trim();
    let leading = text[..text.len() - text.trim_start().len()].chars().count();
    if trimmed.is_empty() {
        return Err(FormulaError { at: leading, kind: ErrorKind::Empty });
    }
    // Counting stops just past the bound, so a huge value is never walked in full.
    if trimmed.chars().nth(MAX_CHARS).is_some() {
        let kind = ErrorKind::TooLong { chars: trimmed.chars().count() };
        return Err(FormulaError { at: leading + MAX_CHARS, kind });
    }
    let mut parser = Parser { chars: trimmed.chars().collect(), pos: 0, offset: leading, depth: 0, naming: None };
    let expr = parser.expr()?;
    let next = parser.next_token()?;
    match next.token {
        Token::End => Ok((expr, trimmed.to_string())),
        Token::Close => Err(parser.error(next.at, ErrorKind::UnmatchedClose)),
        Token::Comma => Err(parser.error(next.at, ErrorKind::UnexpectedCharacter(','))),
        _ => Err(parser.error(next.at, ErrorKind::MissingOperator)),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(f64),
    Name(String),
    /// One of `+ - * / ^` (with `− × · ÷` read as `- * * /`).
    Operator(char),
    Open,
    Close,
    Comma,
    End,
}

/// A token and the index of its first character in the trimmed text.
struct Spanned {
    token: Token,
    at: usize,
}

/// How the formula names its variables: `x`, or `x1`/`x2`. The first use decides.
#[derive(Clone, Copy, PartialEq)]
enum Naming {
    Single,
    Indexed,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Characters trimmed off the front: added to every reported position.
    offset: usize,
    depth: usize,
    naming: Option<Naming>,
}

impl Parser {
    fn error(&self, at: usize, kind: ErrorKind) -> FormulaError {
        FormulaError { at: self.offset + at, kind }
    }

    fn skip_spaces(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    /// The next token, consumed.
    fn next_token(&mut self) -> Result<Spanned, FormulaError> {
        self.skip_spaces();
        let at = self.pos;
        let Some(&c) = self.chars.get(at) else {
            return Ok(Spanned { token: Token::End, at });
        };
        let token = match c {
            '0'..='9' | '.' => self.number()?,
            'a'..='z' | 'A'..='Z' | '_' => {
                let start = self.pos;
                while self.chars.get(self.pos).is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_') {
                    self.pos += 1;
                }
                return Ok(Spanned { token: Token::Name(self.chars[start..self.pos].iter().collect()), at });
            }
            '+' | '-' | '*' | '/' | '^' => Token::Operator(c),
            '−' => Token::Operator('-'),
            '×' | '·' => Token::Operator('*'),
            '÷' => Token::Operator('/'),
            '(' => Token::Open,
            ')' => Token::Close,
            ',' => Token::Comma,
            other => return Err(self.error(at, ErrorKind::UnexpectedCharacter(other))),
        };
        if !matches!(token, Token::Number(_)) {
            self.pos += 1;
        }
        Ok(Spanned { token, at })
    }

    /// The next token, left in place.
    fn peek(&mut self) -> Result<Spanned, FormulaError> {
        let pos = self.pos;
        let next = self.next_token();
        self.pos = pos;
        next
    }

    /// Consumes the next token if it is one of `operators`.
    fn eat_operator(&mut self, operators: &[char]) -> Result<Option<(char, usize)>, FormulaError> {
        let next = self.peek()?;
        match next.token {
            Token::Operator(c) if operators.contains(&c) => {
                self.next_token()?;
                Ok(Some((c, next.at)))
            }
            _ => Ok(None),
        }
    }

    /// `12`, `0.5`, `.5`, `1e3`, `2.5E-3`. An `e` not followed by digits ends the number
    /// (so `2e` is 2 then the constant e, reported as a missing operator).
    fn number(&mut self) -> Result<Token, FormulaError> {
        let start = self.pos;
        let digits = |p: &mut Parser| {
            let from = p.pos;
            while p.chars.get(p.pos).is_some_and(char::is_ascii_digit) {
                p.pos += 1;
            }
            p.pos - from
        };
        let mut count = digits(self);
        if self.chars.get(self.pos) == Some(&'.') {
            self.pos += 1;
            count += digits(self);
        }
        if count == 0 || self.chars.get(self.pos) == Some(&'.') {
            return Err(self.error(start, ErrorKind::MalformedNumber));
        }
        if matches!(self.chars.get(self.pos), Some('e' | 'E')) {
            let sign = usize::from(matches!(self.chars.get(self.pos + 1), Some('+' | '-')));
            if self.chars.get(self.pos + 1 + sign).is_some_and(char::is_ascii_digit) {
                self.pos += 1 + sign;
                digits(self);
            }
        }
        let text: String = self.chars[start..self.pos].iter().collect();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Token::Number(v)),
            Ok(_) => Err(self.error(start, ErrorKind::NumberTooLarge)),
            Err(_) => Err(self.error(start, ErrorKind::MalformedNumber)),
        }
    }

    /// Runs `inner` one nesting level deeper; past `MAX_DEPTH` that is an error at `at`.
    fn nested<T>(
        &mut self,
        at: usize,
        inner: impl FnOnce(&mut Self) -> Result<T, FormulaError>,
    ) -> Result<T, FormulaError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(at, ErrorKind::TooDeep));
        }
        let result = inner(self);
        self.depth -= 1;
        result
    }

    fn expr(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.term()?;
        while let Some((c, _)) = self.eat_operator(&['+', '-'])? {
            let op = if c == '+' { BinaryOp::Add } else { BinaryOp::Sub };
            left = Expr::Binary(op, Box::new(left), Box::new(self.term()?));
        }
        Ok(left)
    }

    fn term(&mut self) -> Result<Expr, FormulaError> {
        let mut left = self.unary()?;
        while let Some((c, _)) = self.eat_operator(&['*', '/'])? {
            let op = if c == '*' { BinaryOp::Mul } else { BinaryOp::Div };
            left = Expr::Binary(op, Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, FormulaError> {
        match self.eat_operator(&['-', '+'])? {
            Some(('-', at)) => Ok(Expr::Neg(Box::new(self.nested(at, Self::unary)?))),
            // A unary plus changes nothing and leaves nothing in the tree.
            Some((_, at)) => self.nested(at, Self::unary),
            None => self.power(),
        }
    }

    fn power(&mut self) -> Result<Expr, FormulaError> {
        let base = self.atom()?;
        match self.eat_operator(&['^'])? {
            Some((_, at)) => {
                let exponent = self.nested(at, Self::unary)?;
                Ok(Expr::Binary(BinaryOp::Pow, Box::new(base), Box::new(exponent)))
            }
            None => Ok(base),
        }
    }

    fn atom(&mut self) -> Result<Expr, FormulaError> {
        let next = self.next_token()?;
        let at = next.at;
        match next.token {
            Token::Number(v) => Ok(Expr::Number(v)),
            Token::Name(name) => self.named(&name, at),
            Token::Open => self.nested(at, |p| {
                let inner = p.expr()?;
                p.close(at)?;
                Ok(inner)
            }),
            Token::Operator(c) => Err(self.error(at, ErrorKind::ExpectedOperand { found: Some(c) })),
            Token::Close => Err(self.error(at, ErrorKind::ExpectedOperand { found: Some(')') })),
            Token::Comma => Err(self.error(at, ErrorKind::ExpectedOperand { found: Some(',') })),
            Token::End => Err(self.error(at, ErrorKind::ExpectedOperand { found: None })),
        }
    }

    /// Expects the ')' of the '(' at `opened`.
    fn close(&mut self, opened: usize) -> Result<(), FormulaError> {
        let next = self.next_token()?;
        match next.token {
            Token::Close => Ok(()),
            Token::End => Err(self.error(next.at, ErrorKind::Unclosed { opened: self.offset + opened })),
            Token::Comma => Err(self.error(next.at, ErrorKind::UnexpectedCharacter(','))),
            _ => Err(self.error(next.at, ErrorKind::MissingOperator)),
        }
    }

    /// A constant, a variable or a function call, named at `at`.
    fn named(&mut self, name: &str, at: usize) -> Result<Expr, FormulaError> {
        if let Some(function) = Function::ALL.into_iter().find(|f| f.name() == name) {
            return self.call(function, at);
        }
        if let Some(constant) = Constant::ALL.into_iter().find(|c| c.name() == name) {
            return Ok(Expr::Constant(constant));
        }
        let (index, naming) = match name {
            "x" => (0, Naming::Single),
            "x1" => (0, Naming::Indexed),
            "x2" => (1, Naming::Indexed),
            _ => return Err(self.error(at, ErrorKind::UnknownName(name.to_string()))),
        };
        match self.naming {
            Some(seen) if seen != naming => Err(self.error(at, ErrorKind::MixedVariables)),
            _ => {
                self.naming = Some(naming);
                Ok(Expr::Variable(index))
            }
        }
    }

    /// `function(arg, …)`, the name at `at`; the argument count is checked against its arity.
    fn call(&mut self, function: Function, at: usize) -> Result<Expr, FormulaError> {
        let open = self.next_token()?;
        if open.token != Token::Open {
            return Err(self.error(at, ErrorKind::FunctionWithoutParentheses(function)));
        }
        self.nested(open.at, |p| {
            let mut args = Vec::with_capacity(function.arity());
            if p.peek()?.token == Token::Close {
                p.next_token()?;
            } else {
                loop {
                    args.push(p.expr()?);
                    let next = p.next_token()?;
                    match next.token {
                        Token::Comma => continue,
                        Token::Close => break,
                        Token::End => return Err(p.error(next.at, ErrorKind::Unclosed { opened: p.offset + open.at })),
                        _ => return Err(p.error(next.at, ErrorKind::MissingOperator)),
                    }
                }
            }
            if args.len() != function.arity() {
                return Err(p.error(at, ErrorKind::WrongArgumentCount { function, found: args.len() }));
            }
            Ok(Expr::Call(function, args))
        })
    }
}
