//! Math functions: rounding with Spark's result types, `try_` arithmetic,
//! constants, random numbers.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::functions::math::expr_fn as m;
use datafusion::logical_expr::{Expr as DfExpr, Operator, binary_expr, lit};
use spark_functions::arithmetic::{IntOp, SparkIntArith};
use spark_functions::interval_math::ScaleOp;
use spark_functions::logarithm::{Log, SparkLog};
use spark_functions::random::{Draw, SparkRandom};
use spark_functions::rounding::{RoundMode, SparkRound, rounded_decimal_type};

use super::{Arity, Built, Call, Function, In, Table, call_udf, cast, interval_math, registry_udf, f, Display, Nullable, datafusion, datafusion_spark};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

/// `pmod(a, n)`: `a % n`, and `(a % n + n) % n` where that is negative. With
/// a decimal operand the result has the type of `a % n`, and a value that
/// does not fit it overflows (an error under ANSI, else NULL), as in Spark.
fn pmod(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use spark_functions::decimal::{DecimalOp, SparkDecimalArith, result_type};
    let (a, n) = match super::operators::string_operands(r, c, &c.default_name(), "\"NUMERIC\"")? {
        Some([a, n]) => return Ok(Built::new(call_udf(registry_udf("pmod")?, vec![a, n]))),
        None => (c.arg(0)?, c.arg(1)?),
    };
    if c.types.iter().any(|t| t.is_floating()) {
        return Ok(Built::new(call_udf(registry_udf("pmod")?, vec![cast(a, ArrowType::Float64), cast(n, ArrowType::Float64)])));
    }
    let Some((a_type, n_type)) = r.decimal_operands(&a, &n, c.scope)? else {
        // Integers: `%` with Spark's zero divisor (an error under ANSI, else NULL).
        let (a, n) = r.coerce_pair(a, n, c.scope)?;
        let zero = ScalarValue::new_zero(&r.arrow_type(&n, c.scope)?)?;
        let remainder = call_udf(SparkIntArith::udf(IntOp::Remainder, r.config.ansi), vec![a, n.clone()]);
        let wrapped = binary_expr(binary_expr(remainder.clone(), Operator::Plus, n.clone()), Operator::Modulo, n);
        let negative = binary_expr(remainder.clone(), Operator::Lt, lit(zero));
        return Ok(Built::new(datafusion::logical_expr::when(negative, wrapped).otherwise(remainder)?));
    };
    let remainder = r.decimal_arith(DecimalOp::Remainder, a, n.clone(), c.scope)?;
    let shifted = r.decimal_arith(DecimalOp::Add, remainder.clone(), n.clone(), c.scope)?;
    let result = result_type(DecimalOp::Remainder, a_type, n_type);
    let divisor = r.cast_if_needed(n, &ArrowType::Decimal128(n_type.0, n_type.1), c.scope)?;
    let wrapped = call_udf(SparkDecimalArith::udf(DecimalOp::Remainder, r.config.ansi, result), vec![shifted, divisor]);
    let zero = lit(ScalarValue::Decimal128(Some(0), result.0, result.1));
    let negative = binary_expr(remainder.clone(), Operator::Lt, zero);
    Ok(Built::new(datafusion::logical_expr::when(negative, wrapped).otherwise(remainder)?))
}

/// The constant scale argument of round/ceil/floor (0 when absent).
fn scale_arg(c: &Call<'_>) -> ResolveResult<i32> {
    match c.args.get(1) {
        None => Ok(0),
        Some(DfExpr::Literal(v, _)) => match v.cast_to(&ArrowType::Int32) {
            Ok(ScalarValue::Int32(Some(s))) => Ok(s),
            _ => Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                "42K09",
                format!("Cannot resolve \"{}\" due to data type mismatch: the input scale should be a foldable \"INT\" expression.", c.default_name()),
                &[],
            )),
        },
        Some(_) => Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
            "42K09",
            format!("Cannot resolve \"{}\" due to data type mismatch: the input scale should be a foldable \"INT\" expression.", c.default_name()),
            &[],
        )),
    }
}

fn round(c: &Call<'_>, mode: RoundMode, ansi: bool) -> ResolveResult<Built> {
    let scale = scale_arg(c)?;
    let x = c.arg(0)?;
    let t = &c.types[0];
    let floor_like = matches!(mode, RoundMode::Ceil | RoundMode::Floor);
    let expr = match t {
        ArrowType::Decimal128(p, s) => {
            let (p2, s2) = if floor_like && c.args.len() == 1 { rounded_decimal_type(*p, *s, 0) } else { rounded_decimal_type(*p, *s, scale) };
            call_udf(SparkRound::udf(mode, scale, ArrowType::Decimal128(p2, s2)), vec![x])
        }
        t if t.is_integer() => {
            if floor_like && c.args.len() == 1 {
                cast(x, ArrowType::Int64)
            } else if scale >= 0 {
                x
            } else {
                let as_decimal = cast(x, ArrowType::Decimal128(20, 0));
                let r = call_udf(SparkRound::udf(mode, scale, ArrowType::Decimal128(38, 0)), vec![as_decimal]);
                // Back to the input's type: overflow fails under ANSI mode, else wraps as on the JVM.
                if ansi {
                    let sql = crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_default();
                    let f = spark_functions::checked_cast::SparkCheckedCast::udf(t.clone(), "DECIMAL(38,0)", &sql, spark_functions::checked_cast::OverflowReport::Arithmetic);
                    call_udf(f, vec![r])
                } else {
                    call_udf(spark_functions::wrapping_cast::SparkWrappingCast::udf(t.clone()), vec![r])
                }
            }
        }
        ArrowType::Float32 | ArrowType::Float64 | ArrowType::Null | ArrowType::Utf8 => {
            let x = cast(x, ArrowType::Float64);
            if floor_like && c.args.len() == 1 {
                cast(call_udf(SparkRound::udf(mode, 0, ArrowType::Float64), vec![x]), ArrowType::Int64)
            } else if floor_like {
                // Spark's ceil/floor of a double to a scale is a decimal(30, 15)-like
                // type; the double result is what DataFusion can give.
                call_udf(SparkRound::udf(mode, scale, ArrowType::Float64), vec![x])
            } else {
                let r = call_udf(SparkRound::udf(mode, scale, ArrowType::Float64), vec![x]);
                if matches!(t, ArrowType::Float32) { cast(r, ArrowType::Float32) } else { r }
            }
        }
        other => {
            return Err(super::type_mismatch(&c.default_name(), 0, &c.names[0], other, In::Double));
        }
    };
    // Spark names round/bround with their scale, `round(x, 0)`.
    let name = if matches!(mode, RoundMode::HalfUp | RoundMode::HalfEven) && c.args.len() == 1 {
        format!("{}({}, 0)", c.name, c.names[0])
    } else if matches!(c.name, "ceil" | "floor") && c.args.len() == 1 {
        format!("{}({})", c.name.to_uppercase(), c.names[0])
    } else {
        c.default_name()
    };
    Ok(Built::new(expr).named(name).nullable(true))
}

/// `try_add` and friends: NULL instead of an overflow or a zero divisor.
/// `bit_get(x, pos)` / `getbit`: integers only.
fn bit_get(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if !c.types[0].is_integer() && !c.types[0].is_null() {
        return Err(super::type_mismatch_sql(&c.default_name(), 0, &c.names[0], &c.types[0], "\"INTEGRAL\""));
    }
    let x = if c.types[0].is_null() { cast(c.arg(0)?, ArrowType::Int32) } else { c.arg(0)? };
    Ok(Built::new(call_udf(spark_functions::bit_get::SparkBitGet::udf(c.name), vec![x, c.arg(1)?])))
}

/// `try_add` / `try_subtract`: with a date, timestamp or interval operand,
/// the `+` / `-` operator's datetime arithmetic (named as the function);
/// otherwise [`try_arith`]'s NULL on overflow.
fn try_add_subtract(r: &mut Resolver<'_>, call: &super::CallSite<'_>, scope: &crate::ResolvedRelation) -> ResolveResult<crate::expression::ResolvedExpr> {
    let add = call.name == "try_add";
    let args = r.resolve_arguments(call.args, scope)?;
    let datetime = args.iter().any(|a| {
        matches!(r.arrow_type(&a.expr, scope), Ok(ArrowType::Date32 | ArrowType::Timestamp(..) | ArrowType::Interval(_) | ArrowType::Duration(_)))
    });
    if datetime {
        let operator = super::CallSite { name: if add { "+" } else { "-" }, ..*call };
        let out = super::operators::plus_minus(r, &operator, scope)?;
        let names: Vec<&str> = args.iter().map(|a| a.name.as_str()).collect();
        return Ok(crate::expression::ResolvedExpr { name: format!("{}({})", call.name, names.join(", ")), nullable: Some(true), ..out });
    }
    let entry = if add {
        f(Arity::Exactly(2), &[In::Any, In::Any], |r, c| try_arith(r, c, IntOp::Add))
    } else {
        f(Arity::Exactly(2), &[In::Any, In::Any], |r, c| try_arith(r, c, IntOp::Subtract))
    };
    r.apply_function(&entry, call.name, args, false, scope)
}

fn try_arith(r: &Resolver<'_>, c: &Call<'_>, op: IntOp) -> ResolveResult<Built> {
    if op == IntOp::Multiply {
        if let Some((interval, factor, t)) = interval_math::scaled_operands(ScaleOp::Multiply, &c.args, &c.types) {
            return Ok(Built::new(interval_math::scale(ScaleOp::Multiply, interval, factor, &t, true)).nullable(true));
        }
    }
    let (l, rt) = (c.arg(0)?, c.arg(1)?);
    let (lt, rtt) = (&c.types[0], &c.types[1]);
    if [lt, rtt].iter().any(|t| matches!(t, ArrowType::Time32(_) | ArrowType::Time64(_))) {
        return Err(super::unsupported_time_type());
    }
    if lt.is_integer() && rtt.is_integer() {
        let wide = if matches!(lt, ArrowType::Int64) || matches!(rtt, ArrowType::Int64) { ArrowType::Int64 } else { ArrowType::Int32 };
        let wide = if matches!(op, IntOp::Remainder | IntOp::Div) || lt != rtt || !matches!(lt, ArrowType::Int8 | ArrowType::Int16) { wide } else { lt.clone() };
        let e = call_udf(SparkIntArith::udf(op, false), vec![cast(l, wide.clone()), cast(rt, wide)]);
        return Ok(Built::new(e).nullable(true));
    }
    if matches!(lt, ArrowType::Date32) && rtt.is_integer() && matches!(op, IntOp::Add | IntOp::Subtract) {
        let name = if op == IntOp::Add { "date_add" } else { "date_sub" };
        return Ok(Built::new(call_udf(registry_udf(name)?, vec![l, cast(rt, ArrowType::Int32)])).nullable(true));
    }
    let df_op = match op {
        IntOp::Add => Operator::Plus,
        IntOp::Subtract => Operator::Minus,
        IntOp::Multiply => Operator::Multiply,
        IntOp::Remainder => Operator::Modulo,
        IntOp::Div => Operator::Divide,
    };
    let _ = r;
    if lt.is_numeric() && rtt.is_numeric() {
        if let (ArrowType::Decimal128(..), _) | (_, ArrowType::Decimal128(..)) = (lt, rtt) {
            // Decimal results overflow to NULL without ANSI errors.
            let dop = match op {
                IntOp::Add => spark_functions::decimal::DecimalOp::Add,
                IntOp::Subtract => spark_functions::decimal::DecimalOp::Subtract,
                IntOp::Multiply => spark_functions::decimal::DecimalOp::Multiply,
                _ => spark_functions::decimal::DecimalOp::Remainder,
            };
            let of = |t: &ArrowType| match t {
                ArrowType::Decimal128(p, s) => Some((*p, *s)),
                t => spark_functions::decimal::integral_decimal(t),
            };
            if let (Some(a), Some(b)) = (of(lt), of(rtt)) {
                let l = cast(l, ArrowType::Decimal128(a.0, a.1));
                let rt = cast(rt, ArrowType::Decimal128(b.0, b.1));
                let udf = spark_functions::decimal::SparkDecimalArith::udf(dop, false, spark_functions::decimal::result_type(dop, a, b));
                return Ok(Built::new(call_udf(udf, vec![l, rt])).nullable(true));
            }
        }
        let e = binary_expr(cast(l, ArrowType::Float64), df_op, cast(rt, ArrowType::Float64));
        return Ok(Built::new(e).nullable(true));
    }
    Ok(Built::new(binary_expr(l, df_op, rt)).nullable(true))
}

fn try_divide(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if let Some((interval, factor, t)) = interval_math::scaled_operands(ScaleOp::Divide, &c.args, &c.types) {
        return Ok(Built::new(interval_math::scale(ScaleOp::Divide, interval, factor, &t, true)).nullable(true));
    }
    let f = spark_functions::arithmetic::SparkDivide::udf(false);
    let e = call_udf(f, vec![cast(c.arg(0)?, ArrowType::Float64), cast(c.arg(1)?, ArrowType::Float64)]);
    Ok(Built::new(e).nullable(true))
}

/// `abs(x)`: of a number, or of an interval's count of units.
fn abs(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let kernel = super::kernel_udf(super::Source::DataFusionSpark, "abs")?;
    Ok(Built::new(match interval_math::kind(&c.types[0]) {
        Some(kind) => {
            let value = interval_math::from_units(call_udf(kernel, vec![interval_math::units(c.arg(0)?)]), kind);
            interval_math::keep_fields(value, &r.spark_type(&c.args[0], c.scope)?)
        }
        None if c.types[0].is_integer() => {
            call_udf(spark_functions::arithmetic::SparkIntUnary::udf(spark_functions::arithmetic::IntUnaryOp::Abs, r.config.ansi), c.args.clone())
        }
        None => call_udf(kernel, c.args.clone()),
    }))
}

/// `sign(x)` / `signum(x)`: -1.0, 0.0 or 1.0, also of an interval.
fn sign(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let kernel = super::kernel_udf(super::Source::DataFusion, "signum")?;
    Ok(Built::new(match interval_math::kind(&c.types[0]) {
        Some(_) => call_udf(kernel, vec![cast(interval_math::units(c.arg(0)?), ArrowType::Float64)]),
        None => call_udf(kernel, c.args.clone()),
    }))
}

/// `rand`, `randn`, `randstr` and `uniform` name themselves by the seed as written.
fn random_name(c: &Call<'_>, shown: &str) -> String {
    format!("{shown}({})", c.names.join(", "))
}

/// The seed argument at `i`: a constant integer (NULL is 0), or, when it is
/// left out, a fresh one as Spark picks.
fn seed(c: &Call<'_>, i: usize) -> ResolveResult<i64> {
    use ScalarValue as S;
    let Some(e) = c.args.get(i) else {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos() as i64).unwrap_or(0);
        return Ok(nanos);
    };
    let value = match e {
        DfExpr::Literal(v, _) => v.clone(),
        DfExpr::Cast(cst) => match cst.expr.as_ref() {
            DfExpr::Literal(v, _) => v.clone(),
            _ => S::Utf8(None),
        },
        _ => S::Utf8(None),
    };
    match value {
        S::Null | S::Int32(None) | S::Int64(None) => Ok(0),
        S::Int8(Some(v)) => Ok(v as i64),
        S::Int16(Some(v)) => Ok(v as i64),
        S::Int32(Some(v)) => Ok(v as i64),
        S::Int64(Some(v)) => Ok(v),
        _ => Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
            "42K09",
            format!("Cannot resolve \"{}\" due to data type mismatch: the input seed should be a foldable \"INT\" or \"BIGINT\" expression.", c.default_name()),
            &[("sqlExpr", format!("\"{}\"", c.default_name()))],
        )),
    }
}

/// A call site's generator, seeded per Spark partition of its input.
fn generator(r: &Resolver<'_>, c: &Call<'_>, draw: Draw, seed: i64) -> DfExpr {
    let slices = r.spark_slices(c.scope, true).unwrap_or_default();
    call_udf(SparkRandom::partitioned(draw, seed, &slices), vec![])
}

fn random(r: &Resolver<'_>, c: &Call<'_>, draw: Draw, shown: &str) -> ResolveResult<Built> {
    let e = generator(r, c, draw, seed(c, 0)?);
    Ok(Built::new(e).named(random_name(c, shown)).nullable(false))
}

fn randstr(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let length = match c.args.first() {
        Some(DfExpr::Literal(v, _)) => v.clone().cast_to(&ArrowType::Int64).ok().and_then(|v| match v {
            ScalarValue::Int64(Some(n)) if n >= 0 => Some(n as usize),
            _ => None,
        }),
        _ => None,
    };
    let Some(length) = length else {
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
            "42K09",
            format!("Cannot resolve \"{}\" due to data type mismatch: the length should be a foldable non-negative integer.", c.default_name()),
            &[("sqlExpr", format!("\"{}\"", c.default_name()))],
        ));
    };
    let e = generator(r, c, Draw::Chars(length), seed(c, 1)?);
    Ok(Built::new(e).named(random_name(c, "randstr")).nullable(false))
}

fn uniform(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (lo, hi) = (c.arg(0)?, c.arg(1)?);
    let draw = generator(r, c, Draw::Uniform, seed(c, 2)?);
    let span = binary_expr(cast(hi, ArrowType::Float64), Operator::Minus, cast(lo.clone(), ArrowType::Float64));
    let v = binary_expr(cast(lo, ArrowType::Float64), Operator::Plus, binary_expr(draw, Operator::Multiply, span));
    let integral = c.types[0].is_integer() && c.types[1].is_integer();
    let e = if integral { cast(m::floor(v), ArrowType::Int32) } else { v };
    Ok(Built::new(e).nullable(false))
}

/// Spark's logarithms, NULL outside their domain; `log(x)` is the natural
/// logarithm, which Spark prints `LOG(E(), x)`.
fn log(c: &Call<'_>, kind: Log) -> ResolveResult<Built> {
    if c.name == "log" && c.args.len() == 1 {
        let e = call_udf(SparkLog::udf(Log::Ln), vec![c.arg(0)?]);
        return Ok(Built::new(e).named(format!("LOG(E(), {})", c.names[0])));
    }
    Ok(Built::new(call_udf(SparkLog::udf(kind), c.args.clone())))
}

/// Spark's `UnaryMathExpression`s (`SQRT`, `COS`, ...): NULL possible for
/// any input, the name printed in capitals.
fn unary_math(kernel: Function) -> Function {
    kernel.nullable(Nullable::Always).display(Display::Upper)
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    vec![
        ("log", f(Range(1, 2), &[Double, Double], |_, c| log(c, Log::WithBase)).nullable(Nullable::Always).display(Display::Upper)),
        ("ln", f(Exactly(1), &[Double], |_, c| log(c, Log::Ln)).nullable(Nullable::Always)),
        ("log10", f(Exactly(1), &[Double], |_, c| log(c, Log::Log10)).nullable(Nullable::Always).display(Display::Upper)),
        ("log2", f(Exactly(1), &[Double], |_, c| log(c, Log::Log2)).nullable(Nullable::Always).display(Display::Upper)),
        ("round", f(Range(1, 2), &[Any, Int], |r, c| round(c, RoundMode::HalfUp, r.config.ansi))),
        // NULL is not NaN: false, never NULL.
        ("isnan", f(Exactly(1), &[Double], |_, c| {
            let nan = call_udf(registry_udf("isnan")?, vec![c.arg(0)?]);
            Ok(Built::new(datafusion::functions::core::expr_fn::coalesce(vec![nan, lit(false)])).nullable(false))
        })),
        ("bround", f(Range(1, 2), &[Any, Int], |r, c| round(c, RoundMode::HalfEven, r.config.ansi))),
        ("ceil", f(Range(1, 2), &[Any, Int], |r, c| round(c, RoundMode::Ceil, r.config.ansi))),
        ("ceiling", f(Range(1, 2), &[Any, Int], |r, c| round(c, RoundMode::Ceil, r.config.ansi))),
        ("floor", f(Range(1, 2), &[Any, Int], |r, c| round(c, RoundMode::Floor, r.config.ansi))),
        ("rint", f(Exactly(1), &[Double], |_, c| Ok(Built::new(call_udf(SparkRound::udf(RoundMode::HalfEven, 0, ArrowType::Float64), vec![c.arg(0)?])))).nullable(Nullable::Always)),
        ("try_add", super::unresolved(Exactly(2), try_add_subtract)),
        ("try_subtract", super::unresolved(Exactly(2), try_add_subtract)),
        ("try_multiply", f(Exactly(2), &[Any, Any], |r, c| try_arith(r, c, IntOp::Multiply))),
        ("try_mod", f(Exactly(2), &[Any, Any], |r, c| try_arith(r, c, IntOp::Remainder))),
        ("try_divide", f(Exactly(2), &[Any, Any], try_divide)),
        ("e", f(Exactly(0), &[], |_, _| Ok(Built::new(lit(std::f64::consts::E)).named("E()")))),
        ("pi", f(Exactly(0), &[], |_, _| Ok(Built::new(lit(std::f64::consts::PI)).named("PI()")))),
        ("log1p", f(Exactly(1), &[Double], |_, c| log(c, Log::Log1p)).nullable(Nullable::Always).display(Display::Upper)),
        ("rand", f(Range(0, 1), &[Any], |r, c| random(r, c, Draw::Uniform, "rand"))),
        ("random", f(Range(0, 1), &[Any], |r, c| random(r, c, Draw::Uniform, "rand"))),
        ("randn", f(Range(0, 1), &[Any], |r, c| random(r, c, Draw::Gaussian, "randn"))),
        ("randstr", f(Range(1, 2), &[Any, Any], randstr)),
        ("uniform", f(Range(2, 3), &[Any, Any, Any], uniform)),
        // Kernels called as they are.
        ("abs", f(Exactly(1), &[], abs)),
        ("acos", unary_math(datafusion(Exactly(1), &[Double], "acos"))),
        ("acosh", unary_math(datafusion(Exactly(1), &[Double], "acosh"))),
        ("asin", unary_math(datafusion(Exactly(1), &[Double], "asin"))),
        ("asinh", unary_math(datafusion(Exactly(1), &[Double], "asinh"))),
        ("atan", unary_math(datafusion(Exactly(1), &[Double], "atan"))),
        ("atan2", datafusion_spark(Exactly(2), &[Double, Double], "atan2").display(Display::Upper)),
        ("atanh", unary_math(datafusion(Exactly(1), &[Double], "atanh"))),
        ("bin", datafusion_spark(Exactly(1), &[], "bin")),
        ("cbrt", unary_math(datafusion(Exactly(1), &[Double], "cbrt"))),
        ("cos", unary_math(datafusion(Exactly(1), &[Double], "cos"))),
        ("cosh", unary_math(datafusion(Exactly(1), &[Double], "cosh"))),
        ("cot", unary_math(datafusion(Exactly(1), &[Double], "cot"))),
        ("csc", unary_math(datafusion_spark(Exactly(1), &[Double], "csc"))),
        ("degrees", unary_math(datafusion(Exactly(1), &[Double], "degrees"))),
        ("exp", unary_math(datafusion(Exactly(1), &[Double], "exp"))),
        ("expm1", unary_math(datafusion_spark(Exactly(1), &[Double], "expm1"))),
        ("factorial", datafusion_spark(Exactly(1), &[], "factorial").nullable(Nullable::Always)),
        ("hex", datafusion_spark(Exactly(1), &[], "hex")),
        ("hypot", datafusion_spark(Exactly(2), &[Double, Double], "hypot").display(Display::Upper)),
        ("pmod", f(Exactly(2), &[], pmod).nullable(Nullable::Always)),
        ("pow", datafusion(Exactly(2), &[Double, Double], "power")),
        ("power", datafusion(Exactly(2), &[Double, Double], "power").display(Display::Upper)),
        ("radians", unary_math(datafusion(Exactly(1), &[Double], "radians"))),
        ("sec", unary_math(datafusion_spark(Exactly(1), &[Double], "sec"))),
        ("sign", f(Exactly(1), &[], sign).nullable(Nullable::Always)),
        ("signum", f(Exactly(1), &[], sign).nullable(Nullable::Always).display(Display::Upper)),
        ("sin", unary_math(datafusion(Exactly(1), &[Double], "sin"))),
        ("sinh", unary_math(datafusion(Exactly(1), &[Double], "sinh"))),
        ("sqrt", unary_math(f(Exactly(1), &[Double], |_, c| Ok(Built::new(call_udf(spark_functions::square_root::SparkSqrt::udf(), vec![c.arg(0)?])))))),
        ("tan", unary_math(datafusion(Exactly(1), &[Double], "tan"))),
        ("tanh", unary_math(datafusion(Exactly(1), &[Double], "tanh"))),
        ("unhex", datafusion_spark(Exactly(1), &[], "unhex").nullable(Nullable::Always)),
        ("width_bucket", datafusion_spark(Exactly(4), &[], "width_bucket").nullable(Nullable::Always)),
        ("bit_count", datafusion_spark(Exactly(1), &[], "bit_count")),
        ("bit_get", f(Exactly(2), &[Any, Int], bit_get)),
        ("getbit", f(Exactly(2), &[Any, Int], bit_get)),
        ("shiftleft", datafusion_spark(Exactly(2), &[], "shiftleft")),
        ("shiftright", datafusion_spark(Exactly(2), &[], "shiftright")),
        ("shiftrightunsigned", datafusion_spark(Exactly(2), &[], "shiftrightunsigned")),
    ]
}
