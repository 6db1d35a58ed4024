//! Expressions, following the precedence of Spark's `booleanExpression` and
//! `valueExpression` rules (lowest first): OR, AND, NOT, predicates and
//! comparisons, `|`, `^`, `&`, `+ - ||`, `* / % DIV`, unary, `::`, postfix.

use spark_plan::{CastMode, DataType, Expr, Literal};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::{ParseError, ParseResult};

fn not(e: Expr) -> Expr {
    Expr::func("not", vec![e])
}

impl Parser {
    /// An expression with an optional alias (`a + 1 AS b`, `a b`, `x AS (k, v)`).
    pub fn parse_named_expression(&mut self) -> ParseResult<Expr> {
        let e = self.parse_expression()?;
        self.parse_optional_alias(e)
    }

    pub(crate) fn parse_optional_alias(&mut self, e: Expr) -> ParseResult<Expr> {
        if self.eat_word("as") {
            if self.eat_sym("(") {
                let names = self.parse_comma_separated(|p| p.parse_identifier())?;
                self.expect_sym(")")?;
                return Ok(Expr::Alias { expr: Box::new(e), names, metadata: None });
            }
            let name = self.parse_identifier_or_keyword()?;
            return Ok(e.alias(&name));
        }
        match self.peek().clone() {
            Tok::Quoted(name) => {
                self.advance();
                Ok(e.alias(&name))
            }
            Tok::Word(w) if !crate::parser::is_reserved(&w) && !is_clause_word(&w) => {
                self.advance();
                Ok(e.alias(&w))
            }
            // A keyword that ends the statement (`SELECT 1 LIMIT`) can only
            // be an alias; Spark's keywords are not reserved by default.
            Tok::Word(w) if matches!(self.peek_at(1), Tok::Eof | Tok::Sym(";")) => {
                self.advance();
                Ok(e.alias(&w))
            }
            _ => Ok(e),
        }
    }

    pub fn parse_expression(&mut self) -> ParseResult<Expr> {
        self.enter_expression()?;
        let r = self.parse_or();
        self.leave_expression();
        r
    }

    fn parse_or(&mut self) -> ParseResult<Expr> {
        let mut terms = vec![self.parse_and()?];
        while self.eat_word("or") {
            terms.push(self.parse_and()?);
        }
        Ok(balanced("or", terms))
    }

    fn parse_and(&mut self) -> ParseResult<Expr> {
        let mut terms = vec![self.parse_not()?];
        while self.eat_word("and") {
            terms.push(self.parse_not()?);
        }
        Ok(balanced("and", terms))
    }

    fn parse_not(&mut self) -> ParseResult<Expr> {
        if self.is_word("not") || self.is_sym("!") {
            self.advance();
            self.enter_expression()?;
            let e = self.parse_not();
            self.leave_expression();
            return Ok(not(e?));
        }
        // EXISTS (query); `exists(array, x -> ...)` is the function.
        let subquery_follows = matches!(self.peek_at(2), Tok::Word(w) if ["select", "with", "from", "values", "table"].iter().any(|k| w.eq_ignore_ascii_case(k)))
            || matches!(self.peek_at(2), Tok::Sym("("));
        if self.is_word("exists") && matches!(self.peek_at(1), Tok::Sym("(")) && subquery_follows {
            self.advance();
            self.advance();
            let q = self.parse_query()?;
            self.expect_sym(")")?;
            return Ok(Expr::Exists { plan: Box::new(q), negated: false });
        }
        self.parse_predicate()
    }

    fn parse_predicate(&mut self) -> ParseResult<Expr> {
        let mut e = self.parse_comparison()?;
        loop {
            let save = self.position();
            let negated = self.eat_word("not");
            if self.eat_word("between") {
                let lo = self.parse_comparison()?;
                self.expect_word("and")?;
                let hi = self.parse_comparison()?;
                let b = Expr::func("between", vec![e, lo, hi]);
                e = if negated { not(b) } else { b };
            } else if self.eat_word("in") {
                self.expect_sym("(")?;
                if self.is_word("select") || self.is_word("with") || self.is_word("values") {
                    let q = self.parse_query()?;
                    self.expect_sym(")")?;
                    e = Expr::InSubquery { values: vec![e], plan: Box::new(q), negated };
                } else {
                    if self.is_sym(")") {
                        return Err(crate::ParseError::other(
                            "INVALID_SQL_SYNTAX.EMPTY_IN_PREDICATE",
                            "42000",
                            "Invalid SQL syntax: IN predicate requires at least one value.",
                        ));
                    }
                    let mut args = vec![e];
                    args.extend(self.parse_comma_separated(|p| p.parse_expression())?);
                    self.expect_sym(")")?;
                    let i = Expr::func("in", args);
                    e = if negated { not(i) } else { i };
                }
            } else if self.is_word("like") || self.is_word("ilike") {
                let name = if self.eat_word("like") { "like" } else { self.advance(); "ilike" };
                if self.is_word("any") || self.is_word("all") || self.is_word("some") {
                    let quant = if self.eat_word("all") { "all" } else { self.advance(); "any" };
                    self.expect_sym("(")?;
                    let pats = self.parse_comma_separated(|p| p.parse_expression())?;
                    self.expect_sym(")")?;
                    // `NOT LIKE ANY (p, ...)`: some pattern does not match.
                    let quantifier = if quant == "all" { spark_plan::Quantifier::All } else { spark_plan::Quantifier::Any };
                    e = Expr::LikeQuantified { value: Box::new(e), patterns: pats, quantifier, case_insensitive: name == "ilike", negated };
                } else {
                    let pat = self.parse_comparison()?;
                    let mut args = vec![e, pat];
                    if self.eat_word("escape") {
                        match self.advance() {
                            Tok::Str(s) if s.chars().count() == 1 => args.push(Expr::Literal(Literal::String(s))),
                            Tok::Str(s) => {
                                return Err(crate::ParseError::other(
                                    "INVALID_ESC",
                                    "42604",
                                    format!("Found an invalid escape string: '{s}'. The escape string must contain only one character."),
                                ));
                            }
                            _ => return self.error(),
                        }
                    }
                    let f = Expr::func(name, args);
                    e = if negated { not(f) } else { f };
                }
            } else if self.is_word("rlike") || self.is_word("regexp") {
                self.advance();
                let pat = self.parse_comparison()?;
                let f = Expr::func("rlike", vec![e, pat]);
                e = if negated { not(f) } else { f };
            } else if !negated && self.eat_word("is") {
                let neg = self.eat_word("not");
                if self.eat_word("null") {
                    e = Expr::func(if neg { "isnotnull" } else { "isnull" }, vec![e]);
                } else if self.eat_word("unknown") {
                    e = Expr::func(if neg { "isnotnull" } else { "isnull" }, vec![e]);
                } else if self.is_word("true") || self.is_word("false") {
                    let what = match self.advance() {
                        Tok::Word(w) if w.eq_ignore_ascii_case("true") => Literal::Boolean(true),
                        Tok::Word(w) if w.eq_ignore_ascii_case("false") => Literal::Boolean(false),
                        _ => Literal::Null(DataType::Boolean),
                    };
                    let f = Expr::func("<=>", vec![e, Expr::Literal(what)]);
                    e = if neg { not(f) } else { f };
                } else if self.eat_words(&["distinct", "from"]) {
                    let other = self.parse_comparison()?;
                    let f = Expr::func("<=>", vec![e, other]);
                    e = if neg { f } else { not(f) };
                } else {
                    return self.error();
                }
            } else {
                self.reset(save);
                return Ok(e);
            }
        }
    }

    pub(crate) fn parse_comparison(&mut self) -> ParseResult<Expr> {
        let mut left = self.parse_bit_or()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("=") | Tok::Sym("==") => "==",
                Tok::Sym("<") => "<",
                Tok::Sym("<=") => "<=",
                Tok::Sym(">") => ">",
                Tok::Sym(">=") => ">=",
                Tok::Sym("<=>") => "<=>",
                Tok::Sym("!=") | Tok::Sym("<>") => "!=",
                _ => return Ok(left),
            };
            self.advance();
            let right = self.parse_bit_or()?;
            left = if op == "!=" {
                not(Expr::func("==", vec![left, right]))
            } else {
                Expr::func(op, vec![left, right])
            };
        }
    }

    pub(crate) fn parse_bit_or(&mut self) -> ParseResult<Expr> {
        let mut left = self.parse_bit_xor()?;
        while self.is_sym("|") {
            self.advance();
            let right = self.parse_bit_xor()?;
            left = Expr::func("|", vec![left, right]);
        }
        Ok(left)
    }

    fn parse_bit_xor(&mut self) -> ParseResult<Expr> {
        let mut left = self.parse_bit_and()?;
        while self.eat_sym("^") {
            let right = self.parse_bit_and()?;
            left = Expr::func("^", vec![left, right]);
        }
        Ok(left)
    }

    fn parse_bit_and(&mut self) -> ParseResult<Expr> {
        let mut left = self.parse_shift()?;
        while self.eat_sym("&") {
            let right = self.parse_shift()?;
            left = Expr::func("&", vec![left, right]);
        }
        Ok(left)
    }

    /// `<<`, `>>` and `>>>` (lexed as `>>` then `>`).
    fn parse_shift(&mut self) -> ParseResult<Expr> {
        let mut left = self.parse_additive()?;
        loop {
            let op = if self.eat_sym("<<") {
                "<<"
            } else if self.eat_sym(">>") {
                if self.eat_sym(">") { ">>>" } else { ">>" }
            } else {
                return Ok(left);
            };
            let right = self.parse_additive()?;
            left = Expr::func(op, vec![left, right]);
        }
    }

    pub(crate) fn parse_additive(&mut self) -> ParseResult<Expr> {
        let mut left = self.parse_multiplicative()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("+") => "+",
                Tok::Sym("-") => "-",
                Tok::Sym("||") => "concat",
                _ => return Ok(left),
            };
            self.advance();
            let right = self.parse_multiplicative()?;
            left = Expr::func(op, vec![left, right]);
        }
    }

    fn parse_multiplicative(&mut self) -> ParseResult<Expr> {
        let mut left = self.parse_unary()?;
        loop {
            let op = match self.peek() {
                Tok::Sym("*") => "*",
                Tok::Sym("/") => "/",
                Tok::Sym("%") => "%",
                Tok::Word(w) if w.eq_ignore_ascii_case("div") => "div",
                _ => return Ok(left),
            };
            self.advance();
            let right = self.parse_unary()?;
            left = Expr::func(op, vec![left, right]);
        }
    }

    fn parse_unary(&mut self) -> ParseResult<Expr> {
        if self.eat_sym("-") {
            // `-1` is a negative literal (its range that of the negative
            // number: `-9223372036854775808L`); `-(1)` and `-x` are the
            // unary minus.
            if let Tok::Number(n) = self.peek().clone() {
                if !matches!(self.peek_at(1), Tok::Sym("::") | Tok::Sym("[") | Tok::Sym(".")) {
                    self.advance();
                    return Ok(Expr::Literal(crate::literal::parse_negative_number(&n)?));
                }
            }
            let number = matches!(self.peek(), Tok::Number(_));
            self.enter_expression()?;
            let e = self.parse_unary();
            self.leave_expression();
            let e = e?;
            return Ok(match e {
                Expr::Literal(l) if number => match negate_literal(l) {
                    Ok(l) => Expr::Literal(l),
                    Err(l) => Expr::func("-", vec![Expr::Literal(l)]),
                },
                // A one-argument `-` is the unary minus, printed `(- x)`.
                other => Expr::func("-", vec![other]),
            });
        }
        if self.eat_sym("+") {
            let e = self.parse_unary()?;
            return Ok(Expr::func("+", vec![e]));
        }
        if self.eat_sym("~") {
            let e = self.parse_unary()?;
            return Ok(Expr::func("~", vec![e]));
        }
        self.parse_postfix()
    }

    fn parse_postfix(&mut self) -> ParseResult<Expr> {
        let mut e = self.parse_primary()?;
        loop {
            if self.eat_sym("[") {
                let idx = self.parse_expression()?;
                self.expect_sym("]")?;
                e = Expr::ExtractValue { child: Box::new(e), extraction: Box::new(idx) };
            } else if self.is_sym(".") && matches!(self.peek_at(1), Tok::Word(_) | Tok::Quoted(_)) {
                self.advance();
                let field = self.parse_identifier_or_keyword()?;
                e = match e {
                    Expr::Column { mut name, plan_id } => {
                        name.push(field);
                        Expr::Column { name, plan_id }
                    }
                    other => Expr::ExtractValue {
                        child: Box::new(other),
                        extraction: Box::new(Expr::Literal(Literal::String(field))),
                    },
                };
            } else if self.is_sym(".") && matches!(self.peek_at(1), Tok::Sym("*")) {
                self.advance();
                self.advance();
                e = match e {
                    Expr::Column { name, plan_id } => Expr::star(Some(name), plan_id),
                    _ => return self.error(),
                };
            } else if self.is_sym(":")
                && !matches!(e, Expr::Literal(_))
                && matches!(self.peek_at(1), Tok::Word(_) | Tok::Quoted(_) | Tok::Sym("["))
            {
                self.advance();
                e = self.parse_variant_path(e)?;
            } else if self.eat_sym("::") {
                let t = self.parse_data_type()?;
                e = Expr::Cast { expr: Box::new(e), to: t, mode: CastMode::Default, explicit: true };
            } else if self.is_word("collate") && matches!(self.peek_at(1), Tok::Word(_) | Tok::Quoted(_)) {
                // `expr COLLATE name` is the call `collate(expr, 'name')`.
                self.advance();
                let collation = self.parse_identifier_or_keyword()?;
                e = Expr::func("collate", vec![e, Expr::Literal(Literal::String(collation))]);
            } else {
                return Ok(e);
            }
        }
    }

    /// The path of `v:a.b['c'][0]` (the colon read): the VARIANT
    /// extraction it stands for.
    fn parse_variant_path(&mut self, child: Expr) -> ParseResult<Expr> {
        let mut path = String::from("$");
        let mut name = None;
        let mut first = true;
        loop {
            let key = if self.eat_sym("[") {
                let segment = match self.peek().clone() {
                    Tok::Str(k) => Some(k),
                    Tok::Number(n) if n.bytes().all(|c| c.is_ascii_digit()) => {
                        path.push_str(&format!("[{n}]"));
                        None
                    }
                    _ => return self.error(),
                };
                self.advance();
                self.expect_sym("]")?;
                if let Some(k) = &segment {
                    path.push_str(&bracket_key(k));
                }
                segment
            } else if first || self.eat_sym(".") {
                let k = self.parse_identifier_or_keyword()?;
                if k.is_empty() || k.contains(['.', '[']) {
                    path.push_str(&bracket_key(&k));
                } else {
                    path.push('.');
                    path.push_str(&k);
                }
                Some(k)
            } else {
                break;
            };
            if key.is_some() {
                name = key;
            }
            first = false;
            if !(self.is_sym("[") || (self.is_sym(".") && matches!(self.peek_at(1), Tok::Word(_) | Tok::Quoted(_)))) {
                break;
            }
        }
        let name = name.unwrap_or_else(|| path.clone());
        Ok(Expr::VariantExtract { child: Box::new(child), path, name })
    }

    fn parse_primary(&mut self) -> ParseResult<Expr> {
        match self.peek().clone() {
            Tok::Number(n) => {
                self.advance();
                Ok(Expr::Literal(crate::literal::parse_number(&n)?))
            }
            Tok::Str(s) => {
                self.advance();
                let mut s = s;
                // Adjacent string literals concatenate.
                while let Tok::Str(next) = self.peek().clone() {
                    self.advance();
                    s.push_str(&next);
                }
                Ok(Expr::Literal(Literal::String(s)))
            }
            Tok::Hex(h) => {
                self.advance();
                Ok(Expr::Literal(Literal::Binary(crate::literal::parse_hex(&h)?)))
            }
            Tok::NamedParam(name) => {
                self.advance();
                match self.named_args.get(&name) {
                    Some(e) => Ok(e.clone()),
                    None => Err(ParseError::other(
                        "UNBOUND_SQL_PARAMETER",
                        "42P02",
                        format!("Found the unbound parameter: {name}. Please, fix `args` and provide a mapping of the parameter to either a SQL literal or collection constructor functions such as `map()`, `array()`, `struct()`."),
                    )),
                }
            }
            Tok::PositionalParam => {
                self.advance();
                let i = self.next_positional;
                self.next_positional += 1;
                match self.positional_args.get(i) {
                    Some(e) => Ok(e.clone()),
                    None => Err(ParseError::other(
                        "UNBOUND_SQL_PARAMETER",
                        "42P02",
                        format!("Found the unbound parameter: _{}. Please, fix `args` and provide a mapping of the parameter to either a SQL literal or collection constructor functions such as `map()`, `array()`, `struct()`.", i + 1),
                    )),
                }
            }
            Tok::Sym("*") => {
                self.advance();
                Ok(Expr::star(None, None))
            }
            Tok::Sym("(") => {
                self.advance();
                if self.is_word("select") || self.is_word("with") {
                    let q = self.parse_query()?;
                    self.expect_sym(")")?;
                    return Ok(Expr::ScalarSubquery(Box::new(q)));
                }
                let first = self.parse_expression()?;
                if self.eat_sym(",") {
                    let mut values = vec![first];
                    values.extend(self.parse_comma_separated(|p| p.parse_expression())?);
                    self.expect_sym(")")?;
                    return Ok(row_constructor(values));
                }
                self.expect_sym(")")?;
                if self.eat_sym("->") {
                    let name = match &first {
                        Expr::Column { name, .. } if name.len() == 1 => name[0].clone(),
                        _ => return self.error(),
                    };
                    let body = self.parse_expression()?;
                    return Ok(Expr::Lambda { params: vec![name], body: Box::new(body) });
                }
                Ok(first)
            }
            Tok::Quoted(name) => {
                self.advance();
                self.after_name(name)
            }
            Tok::Word(w) => self.parse_word_primary(w),
            _ => self.error(),
        }
    }

    fn parse_word_primary(&mut self, w: String) -> ParseResult<Expr> {
        if let Some(mut parts) = self.parse_identifier_clause()? {
            // IDENTIFIER('f')(args) calls f; IDENTIFIER('t.c') names a column.
            if self.is_sym("(") && parts.len() == 1 {
                return self.parse_function_call(parts.remove(0));
            }
            return Ok(Expr::Column { name: parts, plan_id: None });
        }
        let lower = w.to_ascii_lowercase();
        let next_is_paren = matches!(self.peek_at(1), Tok::Sym("("));
        let next_is_str = matches!(self.peek_at(1), Tok::Str(_));
        match lower.as_str() {
            "null" => {
                self.advance();
                return Ok(Expr::Literal(Literal::Null(DataType::Null)));
            }
            "true" | "false" => {
                self.advance();
                return Ok(Expr::Literal(Literal::Boolean(lower == "true")));
            }
            "case" => return self.parse_case(),
            "cast" | "try_cast" if next_is_paren => {
                self.advance();
                self.advance();
                let e = self.parse_expression()?;
                self.expect_word("as")?;
                let t = self.parse_data_type()?;
                self.expect_sym(")")?;
                let mode = if lower == "try_cast" { CastMode::Try } else { CastMode::Default };
                return Ok(Expr::Cast { expr: Box::new(e), to: t, mode, explicit: true });
            }
            "date" | "time" | "timestamp" | "timestamp_ntz" | "timestamp_ltz" if next_is_str => {
                self.advance();
                let Tok::Str(text) = self.advance() else { return self.error() };
                let data_type = match lower.as_str() {
                    "date" => DataType::Date,
                    "time" => DataType::Time(6),
                    "timestamp_ntz" => DataType::TimestampNtz,
                    _ => DataType::Timestamp,
                };
                return Ok(Expr::TypedLiteral { data_type, text });
            }
            // `X 'F0'`: Spark's type constructor for a hex binary literal.
            "x" if next_is_str => {
                self.advance();
                let Tok::Str(text) = self.advance() else { return self.error() };
                return Ok(Expr::Literal(Literal::Binary(crate::literal::parse_hex(&text)?)));
            }
            "interval"
                if !next_is_paren
                    && (!matches!(self.peek_at(1), Tok::Sym(_) | Tok::Eof)
                        || (matches!(self.peek_at(1), Tok::Sym("-") | Tok::Sym("+")) && matches!(self.peek_at(2), Tok::Str(_) | Tok::Number(_)))) =>
            {
                return self.parse_interval();
            }
            _ => {}
        }
        self.advance();
        if self.is_sym("(") {
            return self.parse_function_call(w);
        }
        // `db.f(...)` or `spark_catalog.db.f(...)`: a persistent function.
        if self.is_sym(".") && matches!(self.peek_at(1), Tok::Word(_)) {
            let two = matches!(self.peek_at(2), Tok::Sym("("));
            let three = matches!(self.peek_at(2), Tok::Sym(".")) && matches!(self.peek_at(3), Tok::Word(_)) && matches!(self.peek_at(4), Tok::Sym("("));
            if two || three {
                let mut name = w;
                while self.eat_sym(".") {
                    let Tok::Word(part) = self.advance() else { return self.error() };
                    name = format!("{name}.{part}");
                }
                return self.parse_function_call(name);
            }
        }
        if self.eat_sym("->") {
            let body = self.parse_expression()?;
            return Ok(Expr::Lambda { params: vec![w], body: Box::new(body) });
        }
        let lambda_param = self.lambda_params.iter().any(|p| p.eq_ignore_ascii_case(&w));
        // `window` names the time-window column (`window.start`) unless a
        // WINDOW clause starts here (`WINDOW w AS (...)`).
        let window_column = lower == "window" && !(matches!(self.peek(), Tok::Word(_)) && matches!(self.peek_at(1), Tok::Word(a) if a.eq_ignore_ascii_case("as")));
        if crate::parser::is_reserved(&w) && !matches!(lower.as_str(), "all" | "distinct") && !lambda_param && !window_column {
            self.reset(self.position() - 1);
            return self.error();
        }
        self.after_name(w)
    }

    fn parse_case(&mut self) -> ParseResult<Expr> {
        self.expect_word("case")?;
        let operand = if self.is_word("when") { None } else { Some(self.parse_expression()?) };
        let mut args = Vec::new();
        while self.eat_word("when") {
            let cond = self.parse_expression()?;
            self.expect_word("then")?;
            let value = self.parse_expression()?;
            args.push(match &operand {
                Some(o) => Expr::func("==", vec![o.clone(), cond]),
                None => cond,
            });
            args.push(value);
        }
        if args.is_empty() {
            return self.error();
        }
        if self.eat_word("else") {
            args.push(self.parse_expression()?);
        }
        self.expect_word("end")?;
        Ok(Expr::func("when", args))
    }

    fn parse_interval(&mut self) -> ParseResult<Expr> {
        self.expect_word("interval")?;
        let mut text = String::new();
        // INTERVAL '1 day' | INTERVAL '1' DAY | INTERVAL 1 DAY 2 HOURS | INTERVAL '1-2' YEAR TO MONTH
        loop {
            match self.peek().clone() {
                Tok::Str(s) => {
                    self.advance();
                    text.push_str(&format!("'{s}' "));
                }
                Tok::Number(n) => {
                    self.advance();
                    text.push_str(&n);
                    text.push(' ');
                }
                Tok::Sym("-") if matches!(self.peek_at(1), Tok::Number(_) | Tok::Str(_)) => {
                    self.advance();
                    text.push('-');
                }
                Tok::Word(w) if is_interval_unit(&w) || w.eq_ignore_ascii_case("to") => {
                    self.advance();
                    text.push_str(&w.to_ascii_uppercase());
                    text.push(' ');
                }
                _ => break,
            }
        }
        if text.is_empty() {
            return self.error();
        }
        Ok(Expr::TypedLiteral { data_type: DataType::CalendarInterval, text: text.trim().to_string() })
    }
}

/// A chain of ANDs (or ORs) as a balanced tree, as Spark's parser builds it
/// (so that long generated conditions do not nest deeply); Spark prints it
/// so: `a AND b AND c AND d` is `((a AND b) AND (c AND d))`.
fn balanced(op: &str, mut terms: Vec<Expr>) -> Expr {
    fn build(op: &str, terms: &mut [Option<Expr>]) -> Expr {
        match terms {
            [one] => one.take().unwrap_or(Expr::Literal(Literal::Boolean(true))),
            _ => {
                let mid = (terms.len() - 1) / 2;
                let (low, high) = terms.split_at_mut(mid + 1);
                Expr::func(op, vec![build(op, low), build(op, high)])
            }
        }
    }
    if terms.len() == 1 {
        return terms.remove(0);
    }
    let mut slots: Vec<Option<Expr>> = terms.into_iter().map(Some).collect();
    build(op, &mut slots)
}

fn is_interval_unit(w: &str) -> bool {
    let l = w.to_ascii_lowercase();
    let l = l.strip_suffix('s').unwrap_or(&l);
    matches!(
        l,
        "year" | "month" | "week" | "day" | "hour" | "minute" | "second" | "millisecond" | "microsecond"
    )
}

fn is_clause_word(w: &str) -> bool {
    // `do` ends the query of a script's `FOR ... DO`.
    const CLAUSE: [&str; 15] = [
        "from", "where", "group", "having", "order", "limit", "offset", "sort", "cluster",
        "distribute", "lateral", "window", "pivot", "unpivot", "do",
    ];
    CLAUSE.iter().any(|c| c.eq_ignore_ascii_case(w))
}

/// Folds a leading minus into a numeric literal, as Spark does for `-1`.
pub(crate) fn negate_literal(l: Literal) -> Result<Literal, Literal> {
    Ok(match l {
        Literal::Integer(v) => Literal::Integer(-v),
        // `-2147483648` is an INT in Spark: the sign is part of the literal.
        Literal::Long(v) => match i32::try_from(-v) {
            Ok(i) if v == 2_147_483_648 => Literal::Integer(i),
            _ => Literal::Long(-v),
        },
        Literal::Short(v) => Literal::Short(-v),
        Literal::Byte(v) => Literal::Byte(-v),
        Literal::Double(v) => Literal::Double(-v),
        Literal::Float(v) => Literal::Float(-v),
        Literal::Decimal { value, precision, scale } => Literal::Decimal { value: -value, precision, scale },
        other => return Err(other),
    })
}

/// `(a, b + 1)`: a struct whose fields are named after the columns, else
/// `colN`, which Spark shows as `named_struct(a, a, col2, (b + 1))`.
fn row_constructor(values: Vec<Expr>) -> Expr {
    let mut args = Vec::with_capacity(values.len() * 2);
    for (i, v) in values.into_iter().enumerate() {
        let name = match &v {
            Expr::Column { name, .. } => name.last().cloned().unwrap_or_default(),
            _ => format!("col{}", i + 1),
        };
        args.push(Expr::Literal(Literal::String(name)));
        args.push(v);
    }
    Expr::func("named_struct", args)
}

#[cfg(test)]
mod tests {
    use crate::parse_expression;
    use spark_plan::Expr;

    #[test]
    fn struct_arguments_take_aliases() {
        let Ok(Expr::Function { name, args, .. }) = parse_expression("struct(1 AS a, b c, d)") else { panic!("not a call") };
        assert_eq!(name, "struct");
        let names: Vec<Option<String>> = args
            .iter()
            .map(|a| match a {
                Expr::Alias { names, .. } => names.first().cloned(),
                _ => None,
            })
            .collect();
        assert_eq!(names, vec![Some("a".to_string()), Some("c".to_string()), None]);
        // Other functions do not: `array(1 AS a)` is a syntax error as in Spark.
        assert!(parse_expression("array(1 AS a)").is_err());
    }
}

#[cfg(test)]
mod window_column_tests {
    #[test]
    fn window_is_a_column_unless_a_clause_starts() {
        for q in ["SELECT window.start FROM t", "SELECT a, window, count(*) FROM t GROUP BY a, window(b, '5 minutes')", "SELECT * FROM t WINDOW w AS (PARTITION BY a)"] {
            assert!(crate::parse_statement(q).is_ok(), "{q}");
        }
    }
}

/// A key as a bracketed path segment, quoted with whichever quote it lacks.
fn bracket_key(k: &str) -> String {
    if k.contains('\'') { format!("[\"{k}\"]") } else { format!("['{k}']") }
}
