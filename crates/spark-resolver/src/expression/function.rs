//! Function calls and operators. All operators arrive as functions (`+`,
//! `==`, `and`, ...), as the Spark Connect client sends them; the SQL parser
//! produces the same names.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::{AggregateFunction, Case, InList, Like, ScalarFunction};
use datafusion::logical_expr::{BinaryExpr, Cast, Expr as DfExpr, Operator, lit};
use spark_functions::decimal::{DecimalOp, SparkDecimalArith, integral_decimal, literal_decimal, result_type};
use spark_functions::arithmetic::{IntOp, SparkDivide, SparkIntArith};
use spark_functions::{FunctionKind, FunctionRegistry};
use spark_plan::{Expr, Literal};

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

fn binary(l: DfExpr, op: Operator, r: DfExpr) -> DfExpr {
    DfExpr::BinaryExpr(BinaryExpr::new(Box::new(l), op, Box::new(r)))
}

fn cast(e: DfExpr, t: &ArrowType) -> DfExpr {
    DfExpr::Cast(Cast::new(Box::new(e), t.clone()))
}

/// Spark's numeric precedence for implicit widening.
fn numeric_rank(t: &ArrowType) -> Option<u8> {
    Some(match t {
        ArrowType::Int8 => 1,
        ArrowType::Int16 => 2,
        ArrowType::Int32 => 3,
        ArrowType::Int64 => 4,
        ArrowType::Decimal128(..) => 5,
        ArrowType::Float32 => 6,
        ArrowType::Float64 => 7,
        _ => return None,
    })
}

fn is_string(t: &ArrowType) -> bool {
    matches!(t, ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View)
}

/// The type two operands are widened to (Spark's `findWiderTypeForTwo` for
/// numbers; strings meet numbers as DOUBLE in arithmetic).
pub(crate) fn wider_type(l: &ArrowType, r: &ArrowType) -> Option<ArrowType> {
    if l == r {
        return Some(l.clone());
    }
    // `array()` (of NULLs) meets a typed array as that array.
    match (l, r) {
        (ArrowType::List(a), ArrowType::List(_)) if a.data_type().is_null() => return Some(r.clone()),
        (ArrowType::List(_), ArrowType::List(b)) if b.data_type().is_null() => return Some(l.clone()),
        _ => {}
    }
    match (numeric_rank(l), numeric_rank(r)) {
        (Some(a), Some(b)) => {
            if let (ArrowType::Decimal128(..), ArrowType::Decimal128(..)) = (l, r) {
                return None;
            }
            let (hi, lo) = if a >= b { (l, r) } else { (r, l) };
            if let ArrowType::Decimal128(p, s) = hi {
                // Integer meets decimal: the integer becomes a decimal wide enough.
                let int_digits: u8 = match lo {
                    ArrowType::Int8 => 3,
                    ArrowType::Int16 => 5,
                    ArrowType::Int32 => 10,
                    _ => 20,
                };
                let whole = (*p as i16 - *s as i16).max(int_digits as i16);
                let p = (whole + *s as i16).min(38) as u8;
                return Some(ArrowType::Decimal128(p, *s));
            }
            Some(hi.clone())
        }
        (Some(_), None) if is_string(r) || r.is_null() => Some(if r.is_null() { l.clone() } else { ArrowType::Float64 }),
        (None, Some(_)) if is_string(l) || l.is_null() => Some(if l.is_null() { r.clone() } else { ArrowType::Float64 }),
        _ => None,
    }
}

/// `f(DISTINCT ...)` of an aggregate built from the builtin table.
fn with_distinct(r: ResolvedExpr) -> ResolvedExpr {
    match r.expr {
        DfExpr::AggregateFunction(mut f) => {
            f.params.distinct = true;
            let name = match r.name.split_once('(') {
                Some((head, rest)) => format!("{head}(DISTINCT {rest}"),
                None => r.name,
            };
            let expr = if f.func.name() == "string_agg" {
                super::within_group::distinct_string_agg(f.clone()).unwrap_or(DfExpr::AggregateFunction(f))
            } else {
                DfExpr::AggregateFunction(f)
            };
            ResolvedExpr { expr, name, nullable: r.nullable }
        }
        expr => ResolvedExpr { expr, ..r },
    }
}

impl Resolver<'_> {
    pub(crate) fn resolve_function(
        &mut self,
        name: &str,
        args: &[Expr],
        distinct: bool,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        let lower = name.to_ascii_lowercase();
        // count(*) is count(1) in Spark, named so.
        if lower == "count" && matches!(args, [Expr::Star { target: None, .. }]) {
            let one = Expr::Literal(Literal::Integer(1));
            return self.resolve_function("count", &[one], distinct, scope);
        }
        // `mod(a, b)` is `a % b` under its own name.
        if lower == "mod" && args.len() == 2 {
            let shown = args.iter().map(|a| self.resolve_expr(a, scope).map(|r| r.name)).collect::<ResolveResult<Vec<_>>>()?;
            let r = self.resolve_function("%", args, distinct, scope)?;
            return Ok(ResolvedExpr { name: format!("mod({})", shown.join(", ")), ..r });
        }
        // `struct(*)`, `concat(t.*)`: a star argument stands for the columns.
        if lower != "count" && args.iter().any(|a| matches!(a, Expr::Star { .. })) {
            let mut expanded = Vec::with_capacity(args.len());
            for a in args {
                match a {
                    Expr::Star { target, plan_id } => {
                        for item in self.expand_star(target.as_deref(), *plan_id, scope, &[])? {
                            let mut name = item.passthrough.map(|c| c.qualifier).unwrap_or_default();
                            name.push(item.name);
                            expanded.push(Expr::Column { name, plan_id: None });
                        }
                    }
                    other => expanded.push(other.clone()),
                }
            }
            return self.resolve_function(name, &expanded, distinct, scope);
        }
        if lower == "__lateral_alias" {
            let [Expr::Literal(Literal::String(alias)), inner] = args else {
                return Err(ResolveError::invalid("bad lateral alias reference"));
            };
            let r = self.resolve_expr(inner, scope)?;
            return Ok(ResolvedExpr { name: format!("lateralAliasReference({alias})"), ..r });
        }
        if let Some(r) = self.resolve_like_quantified(&lower, args, scope)? {
            return Ok(r);
        }
        if lower == "__ordinal" {
            let [Expr::Literal(Literal::Integer(n))] = args else { return Err(ResolveError::invalid("bad ordinal")) };
            let visible: Vec<&crate::ResolvedColumn> = scope.visible().collect();
            let Some(c) = usize::try_from(*n).ok().filter(|i| *i >= 1).and_then(|i| visible.get(i - 1)) else {
                return Err(ResolveError::analysis(
                    "ORDER_BY_POS_OUT_OF_RANGE",
                    "42805",
                    format!("ORDER BY position {n} is not in select list (valid range is [1, {}]).", visible.len()),
                    &[("index", n.to_string()), ("size", visible.len().to_string())],
                ));
            };
            return Ok(ResolvedExpr { expr: crate::resolver::id_col(&c.id), name: c.name.clone(), nullable: c.nullable });
        }
        if lower == "__within_group" {
            return self.resolve_within_group(args, scope);
        }
        if lower == "__agg_filter" {
            return self.resolve_agg_filter(args, scope);
        }
        if let Some(r) = self.resolve_higher_order(&lower, args, scope)? {
            return Ok(r);
        }
        if matches!(lower.as_str(), "extract" | "date_part" | "datepart") {
            return self.resolve_extract(name, args, scope);
        }
        let resolved = args
            .iter()
            .map(|a| self.resolve_expr(a, scope))
            .collect::<ResolveResult<Vec<_>>>()?;
        let names: Vec<String> = resolved.iter().map(|r| r.name.clone()).collect();
        let child_nullable: Vec<bool> = resolved.iter().map(|r| self.is_nullable(r, scope)).collect();
        let any_nullable = child_nullable.iter().any(|n| *n);
        // Spark's TIME type is disabled by default: arithmetic and field
        // functions over TIME values fail analysis.
        if matches!(lower.as_str(), "+" | "-" | "try_add" | "try_subtract" | "hour" | "minute" | "second" | "time_add") {
            for r in &resolved {
                if matches!(self.arrow_type(&r.expr, scope)?, ArrowType::Time32(_) | ArrowType::Time64(_)) {
                    return Err(super::builtin::unsupported_time_type());
                }
            }
        }
        if (lower == "+" || lower == "-") && resolved.len() == 2 {
            if let Some((expr, name)) = self.resolve_datetime_arith(lower == "-", args, &resolved[0], &resolved[1], scope)? {
                return Ok(ResolvedExpr { expr, name, nullable: Some(any_nullable) });
            }
        }
        if let Some(b) = super::builtin::lookup(&lower) {
            let r = self.resolve_builtin(b, &lower, args, resolved, child_nullable, scope)?;
            return Ok(if distinct { with_distinct(r) } else { r });
        }
        let mut exprs: Vec<DfExpr> = resolved.into_iter().map(|r| r.expr).collect();
        let arity = |n: usize| -> ResolveResult<()> {
            if exprs.len() == n {
                Ok(())
            } else {
                Err(wrong_args(name, exprs.len(), &n.to_string()))
            }
        };
        let op_name = |sym: &str, names: &[String]| format!("({} {} {})", names[0], sym, names[1]);
        let expr_and_name: (DfExpr, String) = match lower.as_str() {
            "-" | "+" if exprs.len() == 1 => {
                let e = exprs.remove(0);
                if lower == "-" {
                    (DfExpr::Negative(Box::new(e)), format!("(- {})", names[0]))
                } else {
                    (e, format!("(+ {})", names[0]))
                }
            }
            "+" | "-" | "*" | "%" if exprs.len() == 2 && self.decimal_operands(&exprs[0], &exprs[1], scope)?.is_some() => {
                let op = match lower.as_str() {
                    "+" => DecimalOp::Add,
                    "-" => DecimalOp::Subtract,
                    "*" => DecimalOp::Multiply,
                    _ => DecimalOp::Remainder,
                };
                let r = exprs.remove(1);
                let l = exprs.remove(0);
                (self.decimal_arith(op, l, r, scope)?, op_name(&lower, &names))
            }
            "+" | "-" | "*" | "%" | "div" | "pmod_op" => {
                arity(2)?;
                let (l, r) = self.coerce_pair(exprs.remove(0), exprs.remove(0), scope)?;
                let op = match lower.as_str() {
                    "+" => Operator::Plus,
                    "-" => Operator::Minus,
                    "*" => Operator::Multiply,
                    "%" => Operator::Modulo,
                    _ => Operator::Divide,
                };
                let t = self.arrow_type(&l, scope)?;
                if lower == "div" {
                    let l = cast(l, &ArrowType::Int64);
                    let r = cast(r, &ArrowType::Int64);
                    let f = SparkIntArith::udf(IntOp::Div, self.config.ansi);
                    (DfExpr::ScalarFunction(ScalarFunction::new_udf(f, vec![l, r])), op_name("div", &names))
                } else if t.is_integer() && (self.config.ansi || lower == "%") {
                    // ANSI overflow checks, and Spark's NULL for `x % 0`.
                    let int_op = match lower.as_str() {
                        "+" => IntOp::Add,
                        "-" => IntOp::Subtract,
                        "*" => IntOp::Multiply,
                        _ => IntOp::Remainder,
                    };
                    let f = SparkIntArith::udf(int_op, self.config.ansi);
                    (DfExpr::ScalarFunction(ScalarFunction::new_udf(f, vec![l, r])), op_name(&lower, &names))
                } else {
                    (binary(l, op, r), op_name(&lower, &names))
                }
            }
            "/" => {
                arity(2)?;
                let l = exprs.remove(0);
                let r = exprs.remove(0);
                let e = if self.decimal_operands(&l, &r, scope)?.is_some() {
                    self.decimal_arith(DecimalOp::Divide, l, r, scope)?
                } else {
                    let f = SparkDivide::udf(self.config.ansi);
                    DfExpr::ScalarFunction(ScalarFunction::new_udf(
                        f,
                        vec![cast(l, &ArrowType::Float64), cast(r, &ArrowType::Float64)],
                    ))
                };
                (e, op_name("/", &names))
            }
            "==" | "<" | "<=" | ">" | ">=" | "<=>" | "!=" => {
                arity(2)?;
                let (l, r) = self.coerce_pair(exprs.remove(0), exprs.remove(0), scope)?;
                let (op, sym) = match lower.as_str() {
                    "==" => (Operator::Eq, "="),
                    "<" => (Operator::Lt, "<"),
                    "<=" => (Operator::LtEq, "<="),
                    ">" => (Operator::Gt, ">"),
                    ">=" => (Operator::GtEq, ">="),
                    "!=" => (Operator::NotEq, "!="),
                    _ => (Operator::IsNotDistinctFrom, "<=>"),
                };
                (binary(l, op, r), op_name(sym, &names))
            }
            "and" | "or" => {
                arity(2)?;
                let op = if lower == "and" { Operator::And } else { Operator::Or };
                let sym = if lower == "and" { "AND" } else { "OR" };
                let l = exprs.remove(0);
                let r = exprs.remove(0);
                (binary(l, op, r), op_name(sym, &names))
            }
            "&" | "|" | "^" => {
                arity(2)?;
                let (l, r) = self.coerce_pair(exprs.remove(0), exprs.remove(0), scope)?;
                let op = match lower.as_str() {
                    "&" => Operator::BitwiseAnd,
                    "|" => Operator::BitwiseOr,
                    _ => Operator::BitwiseXor,
                };
                (binary(l, op, r), op_name(&lower, &names))
            }
            "<<" | ">>" | ">>>" => {
                arity(2)?;
                let target = match lower.as_str() {
                    "<<" => "shiftleft",
                    ">>" => "shiftright",
                    _ => "shiftrightunsigned",
                };
                let (e, _) = self.call_registry(target, target, exprs, &names, false)?;
                (e, op_name(&lower, &names))
            }
            "~" => {
                arity(1)?;
                let (e, _) = self.call_registry("bitwise_not", "~", exprs, &names, false)?;
                (e, format!("~{}", names[0]))
            }
            "not" => {
                arity(1)?;
                (DfExpr::Not(Box::new(exprs.remove(0))), format!("(NOT {})", names[0]))
            }
            "negative" => {
                arity(1)?;
                (DfExpr::Negative(Box::new(exprs.remove(0))), format!("negative({})", names[0]))
            }
            "positive" => {
                arity(1)?;
                (exprs.remove(0), format!("(+ {})", names[0]))
            }
            "isnull" => {
                arity(1)?;
                (DfExpr::IsNull(Box::new(exprs.remove(0))), format!("({} IS NULL)", names[0]))
            }
            "isnotnull" => {
                arity(1)?;
                (DfExpr::IsNotNull(Box::new(exprs.remove(0))), format!("({} IS NOT NULL)", names[0]))
            }
            "in" => {
                if exprs.is_empty() {
                    return Err(wrong_args(name, 0, "> 0"));
                }
                let value = exprs.remove(0);
                let vt = self.arrow_type(&value, scope)?;
                let mut list = Vec::with_capacity(exprs.len());
                let mut target = vt.clone();
                for e in &exprs {
                    let t = self.arrow_type(e, scope)?;
                    if let Some(w) = wider_type(&target, &t) {
                        target = w;
                    }
                }
                for e in exprs {
                    list.push(self.cast_if_needed(e, &target, scope)?);
                }
                let value = self.cast_if_needed(value, &target, scope)?;
                let name = format!("({} IN ({}))", names[0], names[1..].join(", "));
                (DfExpr::InList(InList::new(Box::new(value), list, false)), name)
            }
            "between" => {
                arity(3)?;
                let v = exprs.remove(0);
                let lo = exprs.remove(0);
                let hi = exprs.remove(0);
                let (v1, lo) = self.coerce_pair(v.clone(), lo, scope)?;
                let (v2, hi) = self.coerce_pair(v, hi, scope)?;
                let e = binary(binary(v1, Operator::GtEq, lo), Operator::And, binary(v2, Operator::LtEq, hi));
                (e, format!("between({}, {}, {})", names[0], names[1], names[2]))
            }
            "like" | "ilike" => {
                if exprs.len() < 2 || exprs.len() > 3 {
                    return Err(wrong_args(name, exprs.len(), "2"));
                }
                let escape = match args.get(2) {
                    Some(Expr::Literal(Literal::String(s))) => s.chars().next(),
                    _ => Some('\\'),
                };
                let pattern = exprs.remove(1);
                let value = exprs.remove(0);
                let ci = lower == "ilike";
                let e = DfExpr::Like(Like::new(false, Box::new(value), Box::new(pattern), escape, ci));
                let n = if ci {
                    format!("ilike({}, {})", names[0], names[1])
                } else {
                    format!("{} LIKE {}", names[0], names[1])
                };
                (e, n)
            }
            "rlike" | "regexp" | "regexp_like" => {
                arity(2)?;
                let p = exprs.remove(1);
                let v = exprs.remove(0);
                (binary(v, Operator::RegexMatch, p), format!("{}({}, {})", lower.to_uppercase(), names[0], names[1]))
            }
            "when" => {
                if exprs.len() < 2 {
                    return Err(wrong_args(name, exprs.len(), "> 1"));
                }
                let else_expr = if exprs.len() % 2 == 1 { exprs.pop() } else { None };
                let mut n = String::from("CASE");
                for (i, pair) in names.chunks(2).enumerate() {
                    if pair.len() == 2 {
                        n.push_str(&format!(" WHEN {} THEN {}", pair[0], pair[1]));
                    } else if i * 2 < names.len() {
                        n.push_str(&format!(" ELSE {}", pair[0]));
                    }
                }
                n.push_str(" END");
                let mut results: Vec<DfExpr> = exprs.iter().skip(1).step_by(2).cloned().collect();
                let mut else_expr = else_expr;
                if let Some(e) = &else_expr {
                    results.push(e.clone());
                }
                let target = self.common_type(&results, scope)?;
                let mut whens = Vec::new();
                let mut it = exprs.into_iter();
                while let (Some(c), Some(v)) = (it.next(), it.next()) {
                    let v = match &target {
                        Some(t) => self.cast_if_needed(v, t, scope)?,
                        None => v,
                    };
                    whens.push((Box::new(c), Box::new(v)));
                }
                if let (Some(e), Some(t)) = (else_expr.take(), &target) {
                    else_expr = Some(self.cast_if_needed(e, t, scope)?);
                }
                (DfExpr::Case(Case::new(None, whens, else_expr.map(Box::new))), n)
            }
            "if" | "iff" => {
                arity(3)?;
                let c = exprs.remove(0);
                let a = exprs.remove(0);
                let b = exprs.remove(0);
                let (a, b) = self.coerce_pair(a, b, scope)?;
                let n = format!("(IF({}, {}, {}))", names[0], names[1], names[2]);
                (DfExpr::Case(Case::new(None, vec![(Box::new(c), Box::new(a))], Some(Box::new(b)))), n)
            }
            "coalesce" | "nvl" | "ifnull" | "greatest" | "least" | "nullif" => {
                let target = self.common_type(&exprs, scope)?;
                let exprs = match target {
                    Some(t) => exprs.into_iter().map(|e| self.cast_if_needed(e, &t, scope)).collect::<ResolveResult<Vec<_>>>()?,
                    None => exprs,
                };
                self.call_registry(&lower, name, exprs, &names, distinct)?
            }
            "struct" | "named_struct" => {
                // struct(1 AS a): an aliased field shows its expression and alias.
                let mut shown = names.clone();
                if lower == "struct" {
                    for (i, a) in args.iter().enumerate() {
                        if let Expr::Alias { expr, names: alias, .. } = a {
                            let inner = self.resolve_expr(expr, scope)?.name;
                            if let (Some(slot), Some(alias)) = (shown.get_mut(i), alias.first()) {
                                *slot = format!("{inner} AS {alias}");
                            }
                        }
                    }
                }
                self.resolve_struct(&lower, args, exprs, &shown)?
            }
            _ => self.call_registry(&lower, name, exprs, &names, distinct)?,
        };
        let nullable = match lower.as_str() {
            "/" | "%" | "div" => Some(true),
            "<=>" | "isnull" | "isnotnull" => Some(false),
            // Constructors and collecting aggregates never return NULL.
            "array" | "map" | "struct" | "named_struct" | "collect_list" | "collect_set" | "array_agg" => Some(false),
            "when" => Some(
                child_nullable.iter().enumerate().any(|(i, n)| *n && (i % 2 == 1 || (args.len() % 2 == 1 && i == args.len() - 1)))
                    || args.len() % 2 == 0,
            ),
            "coalesce" | "nvl" | "ifnull" => Some(child_nullable.iter().all(|n| *n)),
            "concat_ws" => Some(child_nullable.first().copied().unwrap_or(true)),
            _ if ALWAYS_NULLABLE.contains(&lower.as_str()) => Some(true),
            _ => match FunctionRegistry::global().get(&lower) {
                Some(FunctionKind::Aggregate(_)) | Some(FunctionKind::Window(_)) => None,
                _ => Some(any_nullable),
            },
        };
        let name = display_name(&lower, &names).unwrap_or(expr_and_name.1);
        // Spark has no unsigned integers: counts and positions are BIGINT
        // (sizes INT).
        let expr = match self.arrow_type(&expr_and_name.0, scope)? {
            ArrowType::UInt64 | ArrowType::UInt32 if matches!(lower.as_str(), "cardinality" | "size" | "array_size") => cast(expr_and_name.0, &ArrowType::Int32),
            ArrowType::UInt64 | ArrowType::UInt32 => cast(expr_and_name.0, &ArrowType::Int64),
            ArrowType::UInt8 | ArrowType::UInt16 => cast(expr_and_name.0, &ArrowType::Int32),
            _ => expr_and_name.0,
        };
        Ok(ResolvedExpr { expr, name, nullable })
    }

    /// The decimal types of two arithmetic operands when Spark computes them
    /// as decimals: at least one is a decimal and the other is a decimal or
    /// an integer (integer literals take only the digits they need).
    fn decimal_operands(&self, l: &DfExpr, r: &DfExpr, scope: &ResolvedRelation) -> ResolveResult<Option<((u8, i8), (u8, i8))>> {
        let lt = self.arrow_type(l, scope)?;
        let rt = self.arrow_type(r, scope)?;
        if !matches!(lt, ArrowType::Decimal128(..)) && !matches!(rt, ArrowType::Decimal128(..)) {
            return Ok(None);
        }
        let of = |e: &DfExpr, t: &ArrowType| match e {
            DfExpr::Literal(ScalarValue::Int8(Some(v)), _) => Some(literal_decimal(*v as i64)),
            DfExpr::Literal(ScalarValue::Int16(Some(v)), _) => Some(literal_decimal(*v as i64)),
            DfExpr::Literal(ScalarValue::Int32(Some(v)), _) => Some(literal_decimal(*v as i64)),
            DfExpr::Literal(ScalarValue::Int64(Some(v)), _) => Some(literal_decimal(*v)),
            _ if t.is_null() => Some((1, 0)),
            _ => integral_decimal(t),
        };
        Ok(of(l, &lt).zip(of(r, &rt)))
    }

    fn decimal_arith(&self, op: DecimalOp, l: DfExpr, r: DfExpr, scope: &ResolvedRelation) -> ResolveResult<DfExpr> {
        let Some((a, b)) = self.decimal_operands(&l, &r, scope)? else {
            return Err(ResolveError::invalid("decimal arithmetic on non-decimal operands"));
        };
        let l = self.cast_if_needed(l, &ArrowType::Decimal128(a.0, a.1), scope)?;
        let r = self.cast_if_needed(r, &ArrowType::Decimal128(b.0, b.1), scope)?;
        let f = SparkDecimalArith::udf(op, self.config.ansi, result_type(op, a, b));
        Ok(DfExpr::ScalarFunction(ScalarFunction::new_udf(f, vec![l, r])))
    }

    fn call_registry(
        &self,
        lower: &str,
        name: &str,
        exprs: Vec<DfExpr>,
        names: &[String],
        distinct: bool,
    ) -> ResolveResult<(DfExpr, String)> {
        let display = if distinct {
            format!("{lower}(DISTINCT {})", names.join(", "))
        } else {
            format!("{lower}({})", names.join(", "))
        };
        // count(DISTINCT a, b): the distinct rows of (a, b) with no NULL in them.
        let exprs = if lower == "count" && distinct && exprs.len() > 1 {
            let all_present = exprs.iter().map(|e| e.clone().is_not_null()).reduce(|a, b| a.and(b)).unwrap_or(lit(true));
            let mut fields = Vec::new();
            for (i, e) in exprs.into_iter().enumerate() {
                fields.push(lit(format!("c{i}")));
                fields.push(e);
            }
            let row = super::registry_scalar("named_struct", fields)?;
            vec![DfExpr::Case(Case::new(None, vec![(Box::new(all_present), Box::new(row))], None))]
        } else {
            exprs
        };
        match FunctionRegistry::global().get(lower) {
            Some(FunctionKind::Scalar(f)) => Ok((DfExpr::ScalarFunction(ScalarFunction::new_udf(f.clone(), exprs)), display)),
            Some(FunctionKind::Aggregate(f)) => Ok((
                DfExpr::AggregateFunction(AggregateFunction::new_udf(f.clone(), exprs, distinct, None, vec![], None)),
                display,
            )),
            Some(FunctionKind::Window(_)) => Err(ResolveError::analysis(
                "WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE",
                "42601",
                format!("Window function \"{lower}\" requires an OVER clause."),
                &[("funcName", format!("\"{lower}\""))],
            )),
            None if spark_functions::catalog::is_spark_function(lower) => Err(ResolveError::unsupported(format!(
                "the Spark function `{lower}`, which this server does not implement yet (see docs/functions.md)"
            ))),
            None => Err(ResolveError::unresolved_routine(name)),
        }
    }

    /// `v [NOT] [I]LIKE ANY|ALL (p, ...)`, named as Spark names it
    /// (`likeany(v)`; with a NULL pattern, the OR / AND of the LIKEs).
    fn resolve_like_quantified(&mut self, lower: &str, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<Option<ResolvedExpr>> {
        let (negated, rest) = match lower.strip_prefix("not_") {
            Some(r) => (true, r),
            None => (false, lower),
        };
        let (ci, all) = match rest {
            "like_any" => (false, false),
            "like_all" => (false, true),
            "ilike_any" => (true, false),
            "ilike_all" => (true, true),
            _ => return Ok(None),
        };
        let Some((value, patterns)) = args.split_first() else { return Err(wrong_args(lower, 0, "> 1")) };
        let v = self.resolve_expr(value, scope)?;
        let mut pats = Vec::with_capacity(patterns.len());
        for p in patterns {
            pats.push(self.resolve_expr(p, scope)?);
        }
        let has_null = patterns.iter().any(|p| matches!(p, Expr::Literal(Literal::Null(_))));
        let lower_case = |e: DfExpr| datafusion::functions::string::expr_fn::lower(e);
        let mut terms = Vec::with_capacity(pats.len());
        for p in &pats {
            let (value, pattern) = if ci { (lower_case(v.expr.clone()), lower_case(p.expr.clone())) } else { (v.expr.clone(), p.expr.clone()) };
            let like = DfExpr::Like(Like::new(negated, Box::new(value), Box::new(pattern), Some('\\'), false));
            terms.push(like);
        }
        let op = if all { Operator::And } else { Operator::Or };
        let Some(expr) = terms.into_iter().reduce(|a, b| binary(a, op, b)) else { return Err(wrong_args(lower, 1, "> 1")) };
        let shown_value = if ci { format!("lower({})", v.name) } else { v.name.clone() };
        let name = if has_null {
            let word = if negated { "NOT LIKE" } else { "LIKE" };
            let joined = pats.iter().map(|p| format!("{shown_value} {word} {}", p.name)).collect::<Vec<_>>().join(if all { " AND " } else { " OR " });
            format!("({joined})")
        } else {
            format!("{}like{}({shown_value})", if negated { "not" } else { "" }, if all { "all" } else { "any" })
        };
        Ok(Some(ResolvedExpr { expr, name, nullable: Some(true) }))
    }

    fn resolve_agg_filter(&mut self, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let [agg, cond] = args else { return Err(ResolveError::invalid("bad FILTER clause")) };
        let a = self.resolve_expr(agg, scope)?;
        let c = self.resolve_expr(cond, scope)?;
        match a.expr {
            DfExpr::AggregateFunction(mut f) => {
                f.params.filter = Some(Box::new(c.expr));
                Ok(ResolvedExpr::new(DfExpr::AggregateFunction(f), format!("{} FILTER (WHERE {})", a.name, c.name)))
            }
            _ => Err(ResolveError::analysis(
                "INVALID_SQL_SYNTAX.FUNCTION_WITH_UNSUPPORTED_SYNTAX",
                "42000",
                "FILTER is only allowed on aggregate functions.",
                &[],
            )),
        }
    }

    fn resolve_struct(
        &self,
        lower: &str,
        args: &[Expr],
        exprs: Vec<DfExpr>,
        names: &[String],
    ) -> ResolveResult<(DfExpr, String)> {
        let mut pairs = Vec::new();
        if lower == "named_struct" {
            if exprs.len() % 2 != 0 {
                return Err(wrong_args("named_struct", exprs.len(), "2n (n > 0)"));
            }
            let mut it = exprs.into_iter();
            while let (Some(k), Some(v)) = (it.next(), it.next()) {
                pairs.push(k);
                pairs.push(v);
            }
        } else {
            for (i, (e, a)) in exprs.into_iter().zip(args).enumerate() {
                let field = match a {
                    Expr::Column { name, .. } => name.last().cloned().unwrap_or_default(),
                    Expr::Alias { names, .. } => names.first().cloned().unwrap_or_default(),
                    _ => format!("col{}", i + 1),
                };
                pairs.push(lit(ScalarValue::Utf8(Some(field))));
                pairs.push(e);
            }
        }
        Ok((super::registry_scalar("named_struct", pairs)?, format!("{lower}({})", names.join(", "))))
    }

    /// Casts the two operands of a binary operator to their common type.
    pub(crate) fn coerce_pair(
        &self,
        l: DfExpr,
        r: DfExpr,
        scope: &ResolvedRelation,
    ) -> ResolveResult<(DfExpr, DfExpr)> {
        let lt = self.arrow_type(&l, scope)?;
        let rt = self.arrow_type(&r, scope)?;
        // ANSI mode: a string meets an integer as BIGINT ('5' + 1 is 6L).
        let integral = |t: &ArrowType| matches!(t, ArrowType::Int8 | ArrowType::Int16 | ArrowType::Int32 | ArrowType::Int64);
        if self.config.ansi && ((is_string(&lt) && integral(&rt)) || (integral(&lt) && is_string(&rt))) {
            return Ok((self.cast_if_needed(l, &ArrowType::Int64, scope)?, self.cast_if_needed(r, &ArrowType::Int64, scope)?));
        }
        match wider_type(&lt, &rt) {
            Some(t) => Ok((self.cast_if_needed(l, &t, scope)?, self.cast_if_needed(r, &t, scope)?)),
            None => Ok((l, r)),
        }
    }

    fn common_type(&self, exprs: &[DfExpr], scope: &ResolvedRelation) -> ResolveResult<Option<ArrowType>> {
        let mut target: Option<ArrowType> = None;
        for e in exprs {
            let t = self.arrow_type(e, scope)?;
            target = Some(match target {
                None => t,
                Some(cur) if cur.is_null() => t,
                Some(cur) => wider_type(&cur, &t).unwrap_or(cur),
            });
        }
        Ok(target)
    }

    pub(crate) fn cast_if_needed(&self, e: DfExpr, t: &ArrowType, scope: &ResolvedRelation) -> ResolveResult<DfExpr> {
        if &self.arrow_type(&e, scope)? == t {
            Ok(e)
        } else {
            Ok(cast(e, t))
        }
    }
}

/// Spark functions that can return NULL for non-NULL input.
const ALWAYS_NULLABLE: &[&str] = &[
    "sqrt", "cbrt", "exp", "expm1", "ln", "log", "log10", "log2", "log1p", "acos", "asin", "atan",
    "acosh", "asinh", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh", "cot", "sec", "csc",
    "degrees", "radians", "pow", "power", "atan2", "hypot", "element_at", "try_add", "try_subtract",
    "try_multiply", "try_divide", "try_element_at", "try_to_number", "try_cast", "to_date",
    "to_timestamp", "unix_timestamp", "get_json_object", "from_json", "regexp_extract", "nullif",
    "nanvl", "rand", "randn", "array_contains", "arrays_overlap", "array_max", "array_min",
    "array_join", "get", "try_element_at", "aggregate", "reduce",
];

/// Math functions whose generated names Spark prints in upper case
/// (`UnaryMathExpression(f, "SQRT")` and friends).
const UPPER_CASE_NAMES: &[&str] = &[
    "sqrt", "cbrt", "exp", "expm1", "log10", "log2", "log1p", "acos", "asin", "atan", "acosh",
    "asinh", "atanh", "cos", "cosh", "sin", "sinh", "tan", "tanh", "cot", "sec", "csc", "degrees",
    "radians", "signum", "power", "atan2", "hypot", "log", "pi", "e",
];

fn display_name(lower: &str, names: &[String]) -> Option<String> {
    if UPPER_CASE_NAMES.contains(&lower) {
        return Some(format!("{}({})", lower.to_uppercase(), names.join(", ")));
    }
    // CEIL(x) and FLOOR(x), but ceil(x, scale).
    if matches!(lower, "ceil" | "floor") && names.len() == 1 {
        return Some(format!("{}({})", lower.to_uppercase(), names[0]));
    }
    None
}

pub(crate) fn wrong_args(name: &str, got: usize, expected: &str) -> ResolveError {
    ResolveError::analysis(
        "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
        "42605",
        format!("The `{name}` requires {expected} parameters but the actual number is {got}."),
        &[("functionName", format!("`{name}`")), ("expectedNum", expected.to_string()), ("actualNum", got.to_string())],
    )
}
