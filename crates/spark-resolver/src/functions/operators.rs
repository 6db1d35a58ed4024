//! Operators, as the Spark Connect client and the SQL parser send them:
//! arithmetic (`+`, `-`, `*`, `/`, `%`, `div`), comparison, boolean and
//! bitwise operators, `IS [NOT] NULL`, `IN`, `BETWEEN` and pattern matching.
//! Spark prints most of them infix and parenthesised, `(a + b)`.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::logical_expr::expr::{InList, Like};
use datafusion::logical_expr::{BinaryExpr, Expr as DfExpr, Operator};
use spark_functions::arithmetic::{IntOp, SparkDivide, SparkIntArith};
use spark_functions::decimal::DecimalOp;
use spark_functions::interval_math::ScaleOp;

use super::{Arity, Built, Call, CallSite, Display, Function, Nullable, Table, call_udf, cast, f, interval_math, is_string, registry_udf, unresolved};
use crate::expression::{ResolvedExpr, casts_string, narrows_integer_literal};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

fn binary(l: DfExpr, op: Operator, r: DfExpr) -> DfExpr {
    DfExpr::BinaryExpr(BinaryExpr::new(Box::new(l), op, Box::new(r)))
}

/// The arithmetic of two numbers with Spark's rules: decimal precision,
/// ANSI overflow checks for integers, NULL for `x % 0`.
fn arithmetic(r: &Resolver<'_>, c: &Call<'_>, op: IntOp) -> ResolveResult<Built> {
    if let Some(b) = interval_arithmetic(c, op, r.config.ansi) {
        return Ok(b);
    }
    check_arithmetic_types(c, op)?;
    let shown = format!("({} {} {})", c.names[0], c.name, c.names[1]);
    let (l, rt) = match string_operands(r, c, &shown, required_types(op))? {
        // `div` takes no DOUBLE either.
        Some(_) if op == IntOp::Div => return Err(wrong_type(&shown, required_types(op), "\"DOUBLE\"")),
        Some([l, rt]) => (l, rt),
        None => (c.arg(0)?, c.arg(1)?),
    };
    if op != IntOp::Div && r.decimal_operands(&l, &rt, c.scope)?.is_some() {
        let dop = match op {
            IntOp::Add => DecimalOp::Add,
            IntOp::Subtract => DecimalOp::Subtract,
            IntOp::Multiply => DecimalOp::Multiply,
            _ => DecimalOp::Remainder,
        };
        let narrowed = narrows_integer_literal(&l, &rt);
        return Ok(nullable_if(Built::new(r.decimal_arith(dop, l, rt, c.scope)?), narrowed));
    }
    if op == IntOp::Div {
        let f = SparkIntArith::udf(IntOp::Div, r.config.ansi);
        return Ok(Built::new(call_udf(f, vec![cast(l, ArrowType::Int64), cast(rt, ArrowType::Int64)])));
    }
    let (l, rt) = r.coerce_pair(l, rt, c.scope)?;
    let t = r.arrow_type(&l, c.scope)?;
    let string_cast = casts_string(&c.types, &t);
    // ANSI overflow checks, and Spark's NULL for `x % 0`.
    if t.is_integer() && (r.config.ansi || op == IntOp::Remainder) {
        return Ok(nullable_if(Built::new(call_udf(SparkIntArith::udf(op, r.config.ansi), vec![l, rt])), string_cast));
    }
    let df_op = match op {
        IntOp::Add => Operator::Plus,
        IntOp::Subtract => Operator::Minus,
        IntOp::Multiply => Operator::Multiply,
        _ => Operator::Modulo,
    };
    Ok(nullable_if(Built::new(binary(l, df_op, rt)), string_cast))
}

/// Two string operands: no implicit cast under ANSI mode, so Spark's
/// BINARY_OP_WRONG_TYPE naming the input types `required`, shown as `shown`;
/// without ANSI mode both become DOUBLE (`None`).
pub(crate) fn string_operands(r: &Resolver<'_>, c: &Call<'_>, shown: &str, required: &str) -> ResolveResult<Option<[DfExpr; 2]>> {
    if !(is_string(&c.types[0]) && is_string(&c.types[1])) {
        return Ok(None);
    }
    if !r.config.ansi {
        let double = |e: DfExpr| r.cast_if_needed(e, &ArrowType::Float64, c.scope);
        return Ok(Some([double(c.arg(0)?)?, double(c.arg(1)?)?]));
    }
    Err(wrong_type(shown, required, "\"STRING\""))
}

fn wrong_type(shown: &str, required: &str, actual: &str) -> ResolveError {
    ResolveError::analysis(
        "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE",
        "42K09",
        format!("Cannot resolve \"{shown}\" due to data type mismatch: the binary operator requires the input type {required}, not {actual}."),
        &[("inputType", required.to_string()), ("actualDataType", actual.to_string()), ("sqlExpr", format!("\"{shown}\""))],
    )
}

/// The input types Spark names for an arithmetic operator.
fn required_types(op: IntOp) -> &'static str {
    match op {
        IntOp::Add | IntOp::Subtract => "(\"NUMERIC\" or \"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL\")",
        IntOp::Div => "(\"BIGINT\" or \"DECIMAL\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL DAY TO SECOND\")",
        _ => "\"NUMERIC\"",
    }
}

/// Spark's type errors for arithmetic on what is no number: operands of
/// two types (BINARY_OP_DIFF_TYPES), of one type that is no number
/// (BINARY_OP_WRONG_TYPE; a string takes the other operand's type first),
/// and a date plus or minus a fraction (date_add's input type).
fn check_arithmetic_types(c: &Call<'_>, op: IntOp) -> ResolveResult<()> {
    let (mut lt, mut rt) = (c.types[0].clone(), c.types[1].clone());
    let number = |t: &ArrowType| t.is_null() || t.is_numeric() || interval_math::kind(t).is_some();
    if is_string(&lt) && !is_string(&rt) && !rt.is_null() {
        lt = rt.clone();
    } else if is_string(&rt) && !is_string(&lt) && !lt.is_null() {
        rt = lt.clone();
    }
    if (number(&lt) || is_string(&lt)) && (number(&rt) || is_string(&rt)) {
        return Ok(());
    }
    let sql = crate::types::quoted_sql;
    if matches!(op, IntOp::Add | IntOp::Subtract) && lt == ArrowType::Date32 && rt.is_integer() {
        return Ok(());
    }
    if matches!(op, IntOp::Add | IntOp::Subtract) && lt == ArrowType::Date32 && rt.is_numeric() {
        let function = if op == IntOp::Add { "date_add" } else { "date_sub" };
        let shown = format!("{function}({}, {})", c.names[0], c.names[1]);
        return Err(super::type_mismatch_sql(&shown, 1, &c.names[1], &c.types[1], "(\"INT\" or \"SMALLINT\" or \"TINYINT\")"));
    }
    let shown = format!("({} {} {})", c.names[0], c.name, c.names[1]);
    if lt != rt && !lt.is_null() && !rt.is_null() {
        return Err(ResolveError::binary_op_diff_types(&shown, &sql(&c.types[0]), &sql(&c.types[1])));
    }
    let wrong = if number(&lt) { &rt } else { &lt };
    Err(wrong_type(&shown, required_types(op), &sql(wrong)))
}

/// `interval * number` and `number * interval` (an interval; overflow
/// fails whatever the ANSI mode), and `interval div interval` (BIGINT).
fn interval_arithmetic(c: &Call<'_>, op: IntOp, ansi: bool) -> Option<Built> {
    match op {
        IntOp::Multiply => {
            let (interval, factor, factor_type) = interval_math::scaled_operands(ScaleOp::Multiply, &c.args, &c.types)?;
            let built = Built::new(interval_math::scale(ScaleOp::Multiply, interval, factor, &factor_type, false));
            // Spark writes the interval first: `3 * i` is `(i * 3)`.
            Some(match interval_math::kind(&c.types[0]) {
                None => built.named(format!("({} * {})", c.names[1], c.names[0])),
                Some(_) => built,
            })
        }
        IntOp::Div => {
            let (a, b) = (interval_math::kind(&c.types[0])?, interval_math::kind(&c.types[1])?);
            if a != b {
                return None;
            }
            let units = |e: &DfExpr| cast(interval_math::units(e.clone()), ArrowType::Int64);
            let f = SparkIntArith::udf(IntOp::Div, ansi);
            Some(Built::new(call_udf(f, vec![units(&c.args[0]), units(&c.args[1])])))
        }
        _ => None,
    }
}

/// NULL also for non-NULL arguments when `cast_can_fail`; otherwise as the
/// entry says.
fn nullable_if(b: Built, cast_can_fail: bool) -> Built {
    if cast_can_fail { b.nullable(true) } else { b }
}

/// `a / b`: a decimal division, else DOUBLE (NULL or an error for 0).
fn divide(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if let Some((interval, factor, factor_type)) = interval_math::scaled_operands(ScaleOp::Divide, &c.args, &c.types) {
        // Division by zero fails whatever the ANSI mode.
        return Ok(Built::new(interval_math::scale(ScaleOp::Divide, interval, factor, &factor_type, false)).nullable(c.any_nullable()));
    }
    let shown = format!("({} / {})", c.names[0], c.names[1]);
    let (l, rt) = match string_operands(r, c, &shown, "(\"DOUBLE\" or \"DECIMAL\")")? {
        Some([l, rt]) => (l, rt),
        None => (c.arg(0)?, c.arg(1)?),
    };
    if r.decimal_operands(&l, &rt, c.scope)?.is_some() {
        return Ok(Built::new(r.decimal_arith(DecimalOp::Divide, l, rt, c.scope)?));
    }
    let f = SparkDivide::udf(r.config.ansi);
    Ok(Built::new(call_udf(f, vec![cast(l, ArrowType::Float64), cast(rt, ArrowType::Float64)])))
}

/// `+` and `-`: unary, or binary over numbers, dates, timestamps and
/// intervals. Datetime arithmetic reads the unresolved operands (whether an
/// interval literal is written in whole days decides the result type).
pub(crate) fn plus_minus(r: &mut Resolver<'_>, call: &CallSite<'_>, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    let (name, args) = (call.name, call.args);
    super::Arity::Range(1, 2).check(name, args.len())?;
    let minus = name == "-";
    let resolved = r.resolve_arguments(args, scope)?;
    for a in &resolved {
        if matches!(r.arrow_type(&a.expr, scope)?, ArrowType::Time32(_) | ArrowType::Time64(_)) {
            return Err(super::unsupported_time_type());
        }
    }
    let nullable: Vec<bool> = resolved.iter().map(|a| r.is_nullable(a, scope)).collect();
    let types = resolved.iter().map(|a| r.spark_type(&a.expr, scope)).collect::<ResolveResult<Vec<_>>>()?;
    if let [x] = resolved.as_slice() {
        let (expr, shown) = if minus { (negated_value(r, x.expr.clone(), scope)?, "-") } else { (x.expr.clone(), "+") };
        // An interval keeps its fields (`- INTERVAL 3 HOURS` is an INTERVAL HOUR).
        let expr = interval_math::keep_fields(expr, &types[0]);
        // A string read as a number may be NULL.
        let string_cast = minus && matches!(types[0], spark_plan::DataType::String);
        return Ok(ResolvedExpr { expr, name: format!("({shown} {})", x.name), nullable: Some(nullable[0] || string_cast) });
    }
    // Spark's analyzer turns `date ± n` and `n + date` into date_add /
    // date_sub, with their argument checks and names.
    // (NULL stays with the datetime rules: `date + NULL` is a timestamp.)
    let days = |t: &spark_plan::DataType| {
        use spark_plan::DataType as T;
        !matches!(t, T::Null | T::Date | T::Timestamp | T::TimestampNtz | T::CalendarInterval | T::YearMonthInterval { .. } | T::DayTimeInterval { .. })
    };
    let date_shift = match types.as_slice() {
        [spark_plan::DataType::Date, other] if days(other) => Some([args[0].clone(), args[1].clone()]),
        [other, spark_plan::DataType::Date] if !minus && days(other) => Some([args[1].clone(), args[0].clone()]),
        _ => None,
    };
    if let Some(shift_args) = date_shift {
        let name = if minus { "date_sub" } else { "date_add" };
        // The operator never reads a string as days, unlike the function.
        let days_at = if matches!(types[0], spark_plan::DataType::Date) { 1 } else { 0 };
        if matches!(types[days_at], spark_plan::DataType::String) {
            let date_at = 1 - days_at;
            let shown = format!("{name}({}, {})", resolved[date_at].name, resolved[days_at].name);
            let t = r.arrow_type(&resolved[days_at].expr, scope)?;
            return Err(super::type_mismatch_sql(&shown, 1, &resolved[days_at].name, &t, "(\"INT\" or \"SMALLINT\" or \"TINYINT\")"));
        }
        let call = crate::expression::function::FunctionCall { name, args: &shift_args, distinct: false, filter: None, within_group: &[] };
        return r.resolve_function(&call, scope);
    }
    if let [a, b] = resolved.as_slice() {
        if let Some((expr, shown)) = r.resolve_datetime_arith(minus, args, a, b, scope)? {
            // Spark's cast of a date to TIMESTAMP_NTZ may be NULL.
            use spark_plan::DataType as T;
            let date_to_ntz = matches!(types.as_slice(), [T::TimestampNtz, T::Date] | [T::Date, T::TimestampNtz]);
            return Ok(ResolvedExpr { expr, name: shown, nullable: Some(date_to_ntz || nullable.iter().any(|n| *n)) });
        }
    }
    let entry = if minus { &SUBTRACT } else { &ADD };
    let mut sum = r.apply_function(entry, name, resolved, false, scope)?;
    // Two intervals of one kind span the fields of both.
    if let Some(fields) = spanned_interval_fields(&types) {
        sum.expr = interval_math::keep_fields(sum.expr, &fields);
    }
    Ok(sum)
}

/// The interval type covering both operands' fields (`HOUR + MINUTE` is
/// `HOUR TO MINUTE`), when both are intervals of one kind.
fn spanned_interval_fields(types: &[spark_plan::DataType]) -> Option<spark_plan::DataType> {
    use spark_plan::DataType::{DayTimeInterval, YearMonthInterval};
    match types {
        [DayTimeInterval { start: s1, end: e1 }, DayTimeInterval { start: s2, end: e2 }] => Some(DayTimeInterval { start: (*s1).min(*s2), end: (*e1).max(*e2) }),
        [YearMonthInterval { start: s1, end: e1 }, YearMonthInterval { start: s2, end: e2 }] => Some(YearMonthInterval { start: (*s1).min(*s2), end: (*e1).max(*e2) }),
        _ => None,
    }
}

const ADD: Function = binary_op(|r, c| arithmetic(r, c, IntOp::Add), "+");
const SUBTRACT: Function = binary_op(|r, c| arithmetic(r, c, IntOp::Subtract), "-");

/// A two-operand operator printed `(a op b)`.
const fn binary_op(build: super::Builder, op: &'static str) -> Function {
    Function {
        arity: Arity::Exactly(2),
        inputs: &[],
        kind: super::Kind::Build(build),
        nullable: Nullable::AnyArgument,
        display: Display::Infix(op),
        within_group: None,
        frame: super::DefaultFrame::Aggregate,
    }
}

fn comparison(r: &Resolver<'_>, c: &Call<'_>, op: Operator) -> ResolveResult<Built> {
    // Variants and maps have no order, nor equality (maps also inside arrays and structs).
    let unordered = c.types.iter().find_map(|t| {
        if spark_functions::variant::is_variant_type(t) {
            Some("VARIANT".to_string())
        } else if crate::types::contains_map(t) {
            Some(crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_default())
        } else {
            None
        }
    });
    if let Some(type_sql) = unordered {
        let symbol = if c.name == "==" { "=" } else { c.name };
        let shown = format!("({} {symbol} {})", c.names[0], c.names[1]);
        return Err(ResolveError::invalid_ordering_type(&shown, symbol, &type_sql));
    }
    if let Some(reduced) = super::integral_decimal_comparison::reduce(c, op) {
        return Ok(reduced);
    }
    let (l, rt) = (c.arg(0)?, c.arg(1)?);
    // An integer literal cast to a narrow decimal could overflow: Spark
    // then reports the comparison nullable.
    let narrowed = r.decimal_operands(&l, &rt, c.scope)?.is_some() && narrows_integer_literal(&l, &rt);
    let (l, rt) = match (&c.types[0], &c.types[1]) {
        // Without ANSI mode a string is compared as the number or truth
        // value it meets (`'1.5' = 1` is true, the string read as INT).
        (s, t) | (t, s) if !r.config.ansi && is_string(s) && (t.is_numeric() || t == &ArrowType::Boolean) => {
            (r.cast_if_needed(l, t, c.scope)?, r.cast_if_needed(rt, t, c.scope)?)
        }
        // Rows (`(a, b) = (1, 2)`) compare field by field, whatever the names.
        (ArrowType::Struct(a), ArrowType::Struct(b)) if a.len() == b.len() && a.iter().zip(b.iter()).any(|(x, y)| x.name() != y.name()) => {
            let fields: Vec<datafusion::arrow::datatypes::Field> = a
                .iter()
                .zip(b.iter())
                .map(|(x, y)| {
                    let t = crate::expression::wider_common_type([x.data_type(), y.data_type()], r.config.ansi).unwrap_or_else(|| x.data_type().clone());
                    x.as_ref().clone().with_data_type(t).with_nullable(x.is_nullable() || y.is_nullable())
                })
                .collect();
            let t = ArrowType::Struct(fields.into());
            (r.cast_if_needed(l, &t, c.scope)?, r.cast_if_needed(rt, &t, c.scope)?)
        }
        _ => r.coerce_pair(l, rt, c.scope)?,
    };
    let string_cast = casts_string(&c.types, &r.arrow_type(&l, c.scope)?);
    Ok(nullable_if(Built::new(binary(l, op, rt)), (string_cast || narrowed) && op != Operator::IsNotDistinctFrom))
}

/// `!=` and `<>` are `NOT (a = b)` in Spark, and print so.
fn not_equal(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let b = comparison(r, c, Operator::NotEq)?;
    Ok(b.named(format!("(NOT ({} = {}))", c.names[0], c.names[1])))
}

/// `AND` / `OR`: BOOLEAN operands (strings are cast to BOOLEAN), else
/// Spark's DATATYPE_MISMATCH.
fn logical(c: &Call<'_>, op: Operator) -> ResolveResult<Built> {
    let symbol = if op == Operator::And { "AND" } else { "OR" };
    let shown = format!("({} {symbol} {})", c.names[0], c.names[1]);
    let boolean_like = |t: &ArrowType| matches!(t, ArrowType::Boolean | ArrowType::Null) || super::is_string(t);
    let sql = crate::types::quoted_sql;
    let (lt, rt) = (&c.types[0], &c.types[1]);
    if !boolean_like(lt) || !boolean_like(rt) {
        if lt != rt && !lt.is_null() && !rt.is_null() {
            return Err(ResolveError::binary_op_diff_types(&shown, &sql(lt), &sql(rt)));
        }
        let wrong = if boolean_like(lt) { rt } else { lt };
        return Err(wrong_type(&shown, "\"BOOLEAN\"", &sql(wrong)));
    }
    let as_boolean = |e: DfExpr, t: &ArrowType| if super::is_string(t) { cast(e, ArrowType::Boolean) } else { e };
    let string_cast = super::is_string(lt) || super::is_string(rt);
    Ok(nullable_if(Built::new(binary(as_boolean(c.arg(0)?, lt), op, as_boolean(c.arg(1)?, rt))), string_cast))
}

fn bitwise(r: &Resolver<'_>, c: &Call<'_>, op: Operator) -> ResolveResult<Built> {
    if is_string(&c.types[0]) && is_string(&c.types[1]) {
        let shown = format!("({} {} {})", c.names[0], c.name, c.names[1]);
        return Err(wrong_type(&shown, "\"INTEGRAL\"", "\"STRING\""));
    }
    let (l, rt) = r.coerce_pair(c.arg(0)?, c.arg(1)?, c.scope)?;
    Ok(Built::new(binary(l, op, rt)))
}

fn shift(c: &Call<'_>, kernel: &str) -> ResolveResult<Built> {
    Ok(Built::new(call_udf(registry_udf(kernel)?, c.args.clone())))
}

/// `v IN (a, b, ...)`: every operand widened to one type.
fn in_list(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let target = crate::expression::wider_common_type(&c.types, r.config.ansi).unwrap_or_else(|| c.types[0].clone());
    let value = r.cast_if_needed(c.arg(0)?, &target, c.scope)?;
    let list = c.args[1..].iter().map(|e| r.cast_if_needed(e.clone(), &target, c.scope)).collect::<ResolveResult<Vec<_>>>()?;
    let name = format!("({} IN ({}))", c.names[0], c.names[1..].join(", "));
    let built = Built::new(DfExpr::InList(InList::new(Box::new(value), list, false))).named(name);
    Ok(nullable_if(built, casts_string(&c.types, &target)))
}

fn between(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let v = c.arg(0)?;
    let (v1, lo) = r.coerce_pair(v.clone(), c.arg(1)?, c.scope)?;
    let (v2, hi) = r.coerce_pair(v, c.arg(2)?, c.scope)?;
    let e = binary(binary(v1, Operator::GtEq, lo), Operator::And, binary(v2, Operator::LtEq, hi));
    Ok(Built::new(e))
}

/// `v LIKE p [ESCAPE 'c']` and `ilike(v, p)`.
/// `x LIKE pattern [ESCAPE 'c']` and ILIKE: the pattern checked and
/// rewritten to backslash escapes (`spark_functions::like_pattern`), when
/// constant here, else row by row.
fn like(c: &Call<'_>, case_insensitive: bool) -> ResolveResult<Built> {
    use spark_functions::like_pattern::{LikePattern, to_backslash_escapes};
    let escape = match c.args.get(2) {
        None => '\\',
        Some(_) => match c.str_literal(2) {
            Some(e) if e.chars().count() == 1 => e.chars().next().unwrap_or('\\'),
            Some(e) => {
                return Err(ResolveError::analysis(
                    "INVALID_ESC",
                    "42604",
                    format!("Found an invalid escape string: '{e}'. The escape string must contain only one character."),
                    &[("invalidEscape", format!("'{e}'"))],
                ));
            }
            None => return Err(ResolveError::unsupported("a LIKE escape character that is not a constant")),
        },
    };
    let pattern = match c.str_literal(1) {
        Some(p) => match to_backslash_escapes(p, escape) {
            Ok(translated) => datafusion::logical_expr::lit(translated),
            Err(e) => {
                let (message, params) = e.message(p);
                return Err(ResolveError::analysis(e.error_class(), "42601", message, &params));
            }
        },
        None => call_udf(LikePattern::udf(escape), vec![cast(c.arg(1)?, ArrowType::Utf8)]),
    };
    let e = DfExpr::Like(Like::new(false, Box::new(c.arg(0)?), Box::new(pattern), Some('\\'), case_insensitive));
    let name = match (case_insensitive, c.args.get(2)) {
        (true, _) => ilike_name(c.name, &c.names),
        (false, Some(_)) => format!("{} LIKE {} ESCAPE '{escape}'", c.names[0], c.names[1]),
        (false, None) => format!("{} LIKE {}", c.names[0], c.names[1]),
    };
    Ok(Built::new(e).named(name))
}

fn rlike(c: &Call<'_>) -> ResolveResult<Built> {
    if let Some(p) = c.str_literal(1) {
        spark_functions::regex_fns::check_pattern(p, c.name)?;
    }
    let e = binary(c.arg(0)?, Operator::RegexMatch, c.arg(1)?);
    Ok(Built::new(e).named(format!("{}({}, {})", c.name.to_uppercase(), c.names[0], c.names[1])))
}

fn ilike_name(_: &str, a: &[String]) -> String {
    format!("ilike({})", a[..a.len().min(2)].join(", "))
}

/// `negative(x)`.
fn negative(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    Ok(nullable_if(Built::new(negated_value(r, c.arg(0)?, c.scope)?), is_string(&c.types[0])))
}

/// `-x` of type `t`: an integer with Spark's overflow (under `ansi`), a
/// day-time interval (an Arrow duration, which DataFusion cannot negate)
/// as `0 - x`.
/// `-x`, a string negated as a DOUBLE.
fn negated_value(r: &Resolver<'_>, x: DfExpr, scope: &ResolvedRelation) -> ResolveResult<DfExpr> {
    let t = r.arrow_type(&x, scope)?;
    if is_string(&t) {
        return Ok(DfExpr::Negative(Box::new(r.cast_if_needed(x, &ArrowType::Float64, scope)?)));
    }
    Ok(negated(x, &t, r.config.ansi))
}

fn negated(x: DfExpr, t: &ArrowType, ansi: bool) -> DfExpr {
    if t.is_integer() {
        return call_udf(spark_functions::arithmetic::SparkIntUnary::udf(spark_functions::arithmetic::IntUnaryOp::Negate, ansi), vec![x]);
    }
    use datafusion::arrow::datatypes::TimeUnit;
    use datafusion::common::ScalarValue;
    let zero = match t {
        ArrowType::Duration(TimeUnit::Second) => ScalarValue::DurationSecond(Some(0)),
        ArrowType::Duration(TimeUnit::Millisecond) => ScalarValue::DurationMillisecond(Some(0)),
        ArrowType::Duration(TimeUnit::Microsecond) => ScalarValue::DurationMicrosecond(Some(0)),
        ArrowType::Duration(TimeUnit::Nanosecond) => ScalarValue::DurationNanosecond(Some(0)),
        _ => return DfExpr::Negative(Box::new(x)),
    };
    DfExpr::BinaryExpr(BinaryExpr::new(Box::new(DfExpr::Literal(zero, None)), Operator::Minus, Box::new(x)))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    let plus_minus_entry = unresolved(Range(1, 2), plus_minus);
    let multiply = binary_op(|r, c| arithmetic(r, c, IntOp::Multiply), "*");
    let remainder = binary_op(|r, c| arithmetic(r, c, IntOp::Remainder), "%").nullable(Nullable::Always);
    let equal = binary_op(|r, c| comparison(r, c, Operator::Eq), "=");
    let not_equal = binary_op(not_equal, "!=");
    let not = f(Exactly(1), &[], |_, c| Ok(Built::new(DfExpr::Not(Box::new(c.arg(0)?))))).display(Display::Rule(|_, a| format!("(NOT {})", a.join(", "))));
    vec![
        ("+", plus_minus_entry),
        ("-", plus_minus_entry),
        ("*", multiply),
        ("/", binary_op(divide, "/").nullable(Nullable::Always)),
        ("%", remainder),
        // `mod(a, b)` is `a % b` under its own name.
        ("mod", remainder.display(Display::Call)),
        ("div", binary_op(|r, c| arithmetic(r, c, IntOp::Div), "div").nullable(Nullable::Always)),
        ("==", equal),
        ("=", equal),
        ("!=", not_equal),
        ("<>", not_equal),
        ("<", binary_op(|r, c| comparison(r, c, Operator::Lt), "<")),
        ("<=", binary_op(|r, c| comparison(r, c, Operator::LtEq), "<=")),
        (">", binary_op(|r, c| comparison(r, c, Operator::Gt), ">")),
        (">=", binary_op(|r, c| comparison(r, c, Operator::GtEq), ">=")),
        ("<=>", binary_op(|r, c| comparison(r, c, Operator::IsNotDistinctFrom), "<=>").nullable(Nullable::Never)),
        ("and", binary_op(|_, c| logical(c, Operator::And), "AND")),
        ("or", binary_op(|_, c| logical(c, Operator::Or), "OR")),
        ("not", not),
        ("!", not),
        ("&", binary_op(|r, c| bitwise(r, c, Operator::BitwiseAnd), "&")),
        ("|", binary_op(|r, c| bitwise(r, c, Operator::BitwiseOr), "|")),
        ("^", binary_op(|r, c| bitwise(r, c, Operator::BitwiseXor), "^")),
        ("<<", binary_op(|_, c| shift(c, "shiftleft"), "<<")),
        (">>", binary_op(|_, c| shift(c, "shiftright"), ">>")),
        (">>>", binary_op(|_, c| shift(c, "shiftrightunsigned"), ">>>")),
        ("~", f(Exactly(1), &[], |_, c| shift(c, "bitwise_not")).display(Display::Rule(|_, a| format!("~{}", a.join(", "))))),
        ("negative", f(Exactly(1), &[], negative)),
        ("positive", f(Exactly(1), &[], |_, c| Ok(Built::new(c.arg(0)?))).display(Display::Rule(|_, a| format!("(+ {})", a.join(", "))))),
        ("isnull", f(Exactly(1), &[], |_, c| Ok(Built::new(DfExpr::IsNull(Box::new(c.arg(0)?))))).nullable(Nullable::Never).display(Display::Rule(|_, a| format!("({} IS NULL)", a.join(", "))))),
        ("isnotnull", f(Exactly(1), &[], |_, c| Ok(Built::new(DfExpr::IsNotNull(Box::new(c.arg(0)?))))).nullable(Nullable::Never).display(Display::Rule(|_, a| format!("({} IS NOT NULL)", a.join(", "))))),
        ("in", f(AtLeast(1), &[], in_list)),
        ("between", f(Exactly(3), &[], between)),
        ("like", f(Range(2, 3), &[], |_, c| like(c, false))),
        ("ilike", f(Range(2, 3), &[], |_, c| like(c, true))),
        ("rlike", f(Exactly(2), &[], |_, c| rlike(c))),
        ("regexp", f(Exactly(2), &[], |_, c| rlike(c))),
        ("regexp_like", f(Exactly(2), &[], |_, c| rlike(c))),
    ]
}
