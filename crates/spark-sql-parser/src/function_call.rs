//! Function calls in SQL: `f(DISTINCT a, b)`, named and lambda
//! arguments, the special syntaxes (`TRIM(BOTH c FROM s)`, `POSITION(a IN
//! b)`, `OVERLAY`, `SUBSTRING(s FROM i FOR n)`, ...), and the clauses that
//! follow a call: `WITHIN GROUP`, `FILTER`, `IGNORE NULLS`, `OVER`.

use spark_plan::{Expr, FrameType, Literal, ReadSource, Relation, RelationKind, SortOrder, TableArgument, WindowFrame, WindowFrameBound};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::{ParseError, ParseResult};

impl Parser {
    pub(crate) fn after_name(&mut self, name: String) -> ParseResult<Expr> {
        if self.eat_sym("->") {
            let body = self.parse_expression()?;
            return Ok(Expr::Lambda { params: vec![name], body: Box::new(body) });
        }
        Ok(Expr::Column { name: vec![name], plan_id: None })
    }

    pub(crate) fn parse_function_call(&mut self, mut name: String) -> ParseResult<Expr> {
        self.expect_sym("(")?;
        let lower = name.to_ascii_lowercase();
        // Lambda with several parameters: (x, y) -> body
        if self.is_sym(")") {
            self.advance();
            return self.finish_function(name, vec![], false);
        }
        if let Some(e) = self.parse_special_call(&lower)? {
            self.expect_sym(")")?;
            return Ok(e);
        }
        let distinct = self.eat_word("distinct");
        if !distinct {
            self.eat_word("all");
        }
        let mut args = Vec::new();
        loop {
            // `struct(1 AS a, b)`: struct's arguments may carry aliases (field names).
            args.push(if lower == "struct" { self.parse_named_expression()? } else { self.parse_function_argument()? });
            if !self.eat_sym(",") {
                break;
            }
        }
        // `extract(field FROM e)`, `substring(s FROM pos [FOR len])`.
        if lower == "extract" && self.eat_word("from") {
            let source = self.parse_expression()?;
            args.push(source);
        }
        if matches!(lower.as_str(), "substring" | "substr") && args.len() == 1 && self.eat_word("from") {
            // The FROM form is printed as `substring(...)` whichever name was used.
            name = "substring".to_string();
            args.push(self.parse_expression()?);
            if self.eat_word("for") {
                args.push(self.parse_expression()?);
            }
        }
        if (lower == "position" || lower == "locate") && args.len() == 1 {
            if let Some(Expr::Function { name, args: inner, .. }) = args.first() {
                if name == "in" && inner.len() == 2 {
                    args = inner.clone();
                }
            }
        }
        self.expect_sym(")")?;
        self.finish_function(name, args, distinct)
    }

    /// The SQL-standard call forms: `POSITION(a IN b)`,
    /// `TRIM([BOTH|LEADING|TRAILING] [chars] FROM s)` and
    /// `OVERLAY(s PLACING r FROM p [FOR n])`. `None` for ordinary calls.
    fn parse_special_call(&mut self, lower: &str) -> ParseResult<Option<Expr>> {
        match lower {
            "position" => {
                let save = self.position();
                let needle = self.parse_bit_or()?;
                if !self.eat_word("in") {
                    self.reset(save);
                    return Ok(None);
                }
                let haystack = self.parse_bit_or()?;
                Ok(Some(Expr::func("locate", vec![needle, haystack])))
            }
            "trim" => {
                let save = self.position();
                let side = ["both", "leading", "trailing"].into_iter().find(|w| self.is_word(w));
                if side.is_some() {
                    self.advance();
                }
                let side = side.unwrap_or("both");
                if self.eat_word("from") {
                    let s = self.parse_expression()?;
                    let f = match side {
                        "leading" => "ltrim",
                        "trailing" => "rtrim",
                        _ => "trim",
                    };
                    return Ok(Some(Expr::func(f, vec![s])));
                }
                let chars = self.parse_bit_or()?;
                if !self.eat_word("from") {
                    self.reset(save);
                    return Ok(None);
                }
                let s = self.parse_expression()?;
                // Spark's two-argument trim functions take the characters
                // first: `TRIM(LEADING c FROM s)` is `ltrim(c, s)`.
                let f = match side {
                    "leading" => "ltrim",
                    "trailing" => "rtrim",
                    _ => "trim",
                };
                Ok(Some(Expr::func(f, vec![chars, s])))
            }
            "overlay" => {
                let save = self.position();
                let input = self.parse_bit_or()?;
                if !self.eat_word("placing") {
                    self.reset(save);
                    return Ok(None);
                }
                let replace = self.parse_bit_or()?;
                self.expect_word("from")?;
                let pos = self.parse_bit_or()?;
                let mut args = vec![input, replace, pos];
                if self.eat_word("for") {
                    args.push(self.parse_bit_or()?);
                }
                Ok(Some(Expr::func("overlay", args)))
            }
            _ => Ok(None),
        }
    }

    /// A UDTF's table argument: `TABLE t`, `TABLE(t)` or `TABLE(query)`,
    /// then `WITH SINGLE PARTITION` or `PARTITION BY ...`, and `ORDER BY ...`.
    fn parse_table_argument(&mut self) -> ParseResult<Expr> {
        let plan = if self.eat_sym("(") {
            let plan = if self.is_word("select") || self.is_word("with") || self.is_word("values") || self.is_sym("(") {
                self.parse_query()?
            } else {
                let name = self.parse_multipart_identifier()?;
                Relation::new(RelationKind::Read(ReadSource::Table { name }))
            };
            self.expect_sym(")")?;
            plan
        } else {
            let name = self.parse_multipart_identifier()?;
            Relation::new(RelationKind::Read(ReadSource::Table { name }))
        };
        let mut arg = TableArgument { plan, partition_by: vec![], order_by: vec![], single_partition: false };
        if self.eat_words(&["with", "single", "partition"]) {
            arg.single_partition = true;
        } else if self.eat_words(&["partition", "by"]) || self.eat_words(&["distribute", "by"]) {
            let parenthesized = self.is_sym("(") && {
                let save = self.position();
                self.advance();
                let list = self.parse_comma_separated(|p| p.parse_expression());
                let closed = list.is_ok() && self.eat_sym(")");
                if closed {
                    arg.partition_by = list.unwrap_or_default();
                } else {
                    self.reset(save);
                }
                closed
            };
            if !parenthesized {
                arg.partition_by = self.parse_comma_separated(|p| p.parse_expression())?;
            }
        }
        if self.eat_words(&["order", "by"]) || self.eat_words(&["sort", "by"]) {
            arg.order_by = self.parse_comma_separated(|p| p.parse_sort_order())?;
        }
        Ok(Expr::TableArgument(Box::new(arg)))
    }

    pub(crate) fn parse_function_argument(&mut self) -> ParseResult<Expr> {
        if self.is_word("table") && !matches!(self.peek_at(1), Tok::Sym(",") | Tok::Sym(")") | Tok::Sym(".")) {
            self.advance();
            return self.parse_table_argument();
        }
        // Named argument: name => value
        if let (Tok::Word(n), Tok::Sym("=>")) = (self.peek().clone(), self.peek_at(1).clone()) {
            self.advance();
            self.advance();
            let value = self.parse_expression()?;
            return Ok(Expr::NamedArgument { name: n, value: Box::new(value) });
        }
        // Lambda with several parameters: (x, y) -> body
        if self.is_sym("(") {
            let save = self.position();
            self.advance();
            if let Ok(params) = self.parse_comma_separated(|p| p.parse_identifier_or_keyword()) {
                if self.eat_sym(")") && self.eat_sym("->") {
                    let outer = self.lambda_params.len();
                    self.lambda_params.extend(params.iter().cloned());
                    let body = self.parse_expression();
                    self.lambda_params.truncate(outer);
                    return Ok(Expr::Lambda { params, body: Box::new(body?) });
                }
            }
            self.reset(save);
        }
        // `extract(YEAR FROM d)`: the field is a bare word.
        self.parse_expression()
    }

    fn finish_function(&mut self, name: String, args: Vec<Expr>, distinct: bool) -> ParseResult<Expr> {
        let (name, args) = datetime_unit_call(name, args)?;
        // `agg(...) WITHIN GROUP (ORDER BY x [DESC], ...)`.
        let mut within_group = vec![];
        if self.eat_words(&["within", "group"]) {
            self.expect_sym("(")?;
            self.expect_word("order")?;
            self.expect_word("by")?;
            within_group = self.parse_comma_separated(|p| p.parse_sort_order())?;
            self.expect_sym(")")?;
        }
        let mut filter = None;
        if self.eat_word("filter") {
            self.expect_sym("(")?;
            self.expect_word("where")?;
            filter = Some(Box::new(self.parse_expression()?));
            self.expect_sym(")")?;
        }
        let (mut name, mut args) = (name, args);
        if self.eat_words(&["ignore", "nulls"]) {
            // `first_value(x) IGNORE NULLS` is Spark's `first(x, true)`.
            let lower = name.to_ascii_lowercase();
            name = match lower.as_str() {
                "first" | "first_value" => "first".to_string(),
                "last" | "last_value" => "last".to_string(),
                _ => name,
            };
            match name.to_ascii_lowercase().as_str() {
                // `lag(x[, offset[, default]]) IGNORE NULLS`: the flag follows the default.
                "lag" | "lead" if (1..=3).contains(&args.len()) => {
                    if args.len() < 2 {
                        args.push(Expr::Literal(Literal::Integer(1)));
                    }
                    if args.len() < 3 {
                        args.push(Expr::Literal(Literal::Null(spark_plan::DataType::Null)));
                    }
                    args.push(Expr::Literal(Literal::Boolean(true)));
                }
                "nth_value" if args.len() == 2 => args.push(Expr::Literal(Literal::Boolean(true))),
                _ if args.len() == 1 => args.push(Expr::Literal(Literal::Boolean(true))),
                _ => {}
            }
        } else {
            self.eat_words(&["respect", "nulls"]);
        }
        let f = Expr::Function { name, args, distinct, filter, within_group };
        if self.eat_word("over") {
            return self.parse_window_spec(f);
        }
        Ok(f)
    }

    /// The `(...)` of a WINDOW clause definition, as a window over nothing.
    pub(crate) fn parse_named_window_spec(&mut self) -> ParseResult<Expr> {
        self.parse_window_spec(Expr::Literal(Literal::Null(spark_plan::DataType::Null)))
    }

    fn parse_window_spec(&mut self, function: Expr) -> ParseResult<Expr> {
        if !self.is_sym("(") {
            let window = self.parse_identifier()?;
            return Ok(Expr::NamedWindow { function: Box::new(function), window });
        }
        self.expect_sym("(")?;
        let mut partition_by = vec![];
        let mut order_by = vec![];
        let mut frame = None;
        if self.eat_words(&["partition", "by"]) || self.eat_words(&["distribute", "by"]) {
            partition_by = self.parse_comma_separated(|p| p.parse_expression())?;
        }
        if self.eat_words(&["order", "by"]) || self.eat_words(&["sort", "by"]) {
            order_by = self.parse_comma_separated(|p| p.parse_sort_order())?;
        }
        if self.is_word("rows") || self.is_word("range") {
            let frame_type = if self.eat_word("rows") { FrameType::Rows } else { self.advance(); FrameType::Range };
            let (lower, upper) = if self.eat_word("between") {
                let lower = self.parse_frame_bound()?;
                self.expect_word("and")?;
                let upper = self.parse_frame_bound()?;
                (lower, upper)
            } else {
                (self.parse_frame_bound()?, WindowFrameBound::CurrentRow)
            };
            frame = Some(WindowFrame { frame_type, lower, upper });
        }
        self.expect_sym(")")?;
        Ok(Expr::Window { function: Box::new(function), partition_by, order_by, frame })
    }

    fn parse_frame_bound(&mut self) -> ParseResult<WindowFrameBound> {
        if self.eat_words(&["unbounded", "preceding"]) {
            return Ok(WindowFrameBound::UnboundedPreceding);
        }
        if self.eat_words(&["unbounded", "following"]) {
            return Ok(WindowFrameBound::UnboundedFollowing);
        }
        if self.eat_words(&["current", "row"]) {
            return Ok(WindowFrameBound::CurrentRow);
        }
        let e = self.parse_additive()?;
        if references_columns(&e) {
            return Err(crate::ParseError::other(
                "INVALID_SQL_SYNTAX.INVALID_WINDOW_FRAME_BOUND",
                "42000",
                "Invalid SQL syntax: Frame bound value must be a literal.",
            ));
        }
        if self.eat_word("preceding") {
            // Kept as written (Spark's UnaryMinus), which Spark prints `n PRECEDING`.
            return Ok(WindowFrameBound::Value(Box::new(Expr::func("negative", vec![e]))));
        }
        self.expect_word("following")?;
        Ok(WindowFrameBound::Value(Box::new(e)))
    }

    pub(crate) fn parse_sort_order(&mut self) -> ParseResult<SortOrder> {
        let expr = self.parse_expression()?;
        let ascending = if self.eat_word("desc") {
            false
        } else {
            self.eat_word("asc");
            true
        };
        let nulls_first = if self.eat_words(&["nulls", "first"]) {
            Some(true)
        } else if self.eat_words(&["nulls", "last"]) {
            Some(false)
        } else {
            None
        };
        Ok(SortOrder { expr, ascending, nulls_first })
    }
}

/// Whether `e` names a column anywhere (a frame bound must be constant).
fn references_columns(e: &Expr) -> bool {
    if matches!(e, Expr::Column { .. }) {
        return true;
    }
    let (exprs, _) = e.children();
    exprs.into_iter().any(references_columns)
}

/// The units `timestampadd` and `timestampdiff` take, a bare word in SQL.
const DATETIME_UNITS: [&str; 11] = ["MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "DAYOFYEAR", "WEEK", "MONTH", "QUARTER", "YEAR"];

/// `timestampadd(unit, n, ts)` (`dateadd`, `date_add`) and
/// `timestampdiff(unit, start, end)` (`datediff`, `date_diff`): the unit
/// word becomes the string argument the DataFrame API sends. A quoted unit
/// is Spark's INVALID_PARAMETER_VALUE.DATETIME_UNIT; another word leaves
/// the call as written (an unknown function then).
fn datetime_unit_call(name: String, mut args: Vec<Expr>) -> ParseResult<(String, Vec<Expr>)> {
    let target = match name.to_ascii_lowercase().as_str() {
        "timestampadd" | "dateadd" | "date_add" if args.len() == 3 => "timestampadd",
        "timestampdiff" | "datediff" | "date_diff" if args.len() == 3 => "timestampdiff",
        _ => return Ok((name, args)),
    };
    match &args[0] {
        Expr::Column { name: unit, plan_id: None } if unit.len() == 1 && DATETIME_UNITS.iter().any(|u| u.eq_ignore_ascii_case(&unit[0])) => {
            args[0] = Expr::Literal(Literal::String(unit[0].clone()));
            Ok((target.to_string(), args))
        }
        Expr::Literal(Literal::String(unit)) => Err(ParseError::other(
            "INVALID_PARAMETER_VALUE.DATETIME_UNIT",
            "22023",
            format!("The value of parameter(s) `unit` in `{target}` is invalid: expects one of the units without quotes YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFYEAR, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND, but got the string literal '{unit}'."),
        )),
        _ => Ok((name, args)),
    }
}
