//! Aggregate functions that are compositions of DataFusion's: `count_if`,
//! `max_by`/`min_by`, `skewness`/`kurtosis` from moments, `try_avg`,
//! `percentile`, `listagg`.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::functions_aggregate::expr_fn as agg;
use datafusion::logical_expr::expr::{AggregateFunction, Case, Sort};
use datafusion::logical_expr::{Expr as DfExpr, lit};

use super::{Arity, Built, Call, CallSite, Display, Function, In, Nullable, Table, cast, f, interval_math, datafusion_aggregate, datafusion_spark_aggregate, datafusion_spark, ordered_set, unresolved};
use crate::expression::ResolvedExpr;
use crate::ResolvedRelation;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

/// `count(*)` counts rows: Spark's `count(1)`.
fn count(r: &mut Resolver<'_>, call: &CallSite<'_>, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    let one = [spark_plan::Expr::Literal(spark_plan::Literal::Integer(1))];
    let args = match call.args {
        [spark_plan::Expr::Star { target: None, .. }] => &one[..],
        args => args,
    };
    let args = r.resolve_arguments(args, scope)?;
    r.apply_function(&COUNT, call.name, args, call.distinct, scope)
}

/// `count(x, ...)`: DataFusion's count; `count(DISTINCT a, b)` counts the
/// distinct rows of (a, b) with no NULL in them.
const COUNT: Function = Function {
    arity: Arity::AtLeast(1),
    inputs: &[],
    kind: super::Kind::Build(count_values),
    nullable: Nullable::Never,
    display: super::Display::Call,
    within_group: None,
    frame: super::DefaultFrame::Aggregate,
};

fn count_values(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let args = if c.distinct && c.args.len() > 1 {
        let all_present = c.args.iter().map(|e| e.clone().is_not_null()).reduce(|a, b| a.and(b)).unwrap_or(lit(true));
        let mut fields = Vec::new();
        for (i, e) in c.args.iter().enumerate() {
            fields.push(lit(format!("c{i}")));
            fields.push(e.clone());
        }
        let row = super::call_udf(super::registry_udf("named_struct")?, fields);
        vec![DfExpr::Case(Case::new(None, vec![(Box::new(all_present), Box::new(row))], None))]
    } else {
        c.args.clone()
    };
    let udaf = datafusion::functions_aggregate::count::count_udaf();
    Ok(Built::new(DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, args, c.distinct, None, vec![], None))))
}

fn count_if(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let one_if = DfExpr::Case(Case::new(None, vec![(Box::new(c.arg(0)?), Box::new(lit(1i32)))], None));
    Ok(Built::new(agg::count(one_if)).nullable(false))
}

/// `max_by(x, y)`: the `x` of the row with the largest `y`.
fn by(c: &Call<'_>, largest: bool) -> ResolveResult<Built> {
    if c.args.len() > 2 {
        // max_by(x, y, k): the x of the k rows with the largest y, largest first.
        let k = match c.constant(2).map(|v| v.cast_to(&ArrowType::Int64)) {
            Some(Ok(datafusion::common::ScalarValue::Int64(Some(k)))) if k > 0 => k,
            _ => return Err(ResolveError::unsupported(format!("{} with a count that is not a positive constant", c.name))),
        };
        let not_null = DfExpr::IsNotNull(Box::new(c.arg(1)?));
        let order = Sort::new(c.arg(1)?, !largest, false);
        let udaf = datafusion::functions_aggregate::array_agg::array_agg_udaf();
        let all = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![c.arg(0)?], false, Some(Box::new(not_null)), vec![order], None));
        let top = datafusion::functions_nested::expr_fn::array_slice(all, lit(1i64), lit(k), None);
        return Ok(Built::new(top).nullable(true));
    }
    let udaf = datafusion::functions_aggregate::first_last::first_value_udaf();
    let not_null = DfExpr::IsNotNull(Box::new(c.arg(1)?));
    let order = Sort::new(c.arg(1)?, !largest, false);
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![c.arg(0)?], false, Some(Box::new(not_null)), vec![order], None));
    Ok(Built::new(e).nullable(true))
}

/// A statistic with Spark's one-pass formulas (`spark_functions::moments`).
fn moments(c: &Call<'_>, stat: spark_functions::moments::Stat) -> ResolveResult<Built> {
    let args = (0..stat.arity()).map(|i| c.arg(i)).collect::<ResolveResult<Vec<_>>>()?;
    let udaf = spark_functions::moments::SparkMoments::udaf(stat);
    Ok(Built::new(DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, args, c.distinct, None, vec![], None))).nullable(true))
}

fn try_avg(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use spark_functions::sum::Overflow;
    let x = c.arg(0)?;
    if let Some(kind) = interval_math::kind(&c.types[0]) {
        return Ok(Built::new(interval_math::average(x, kind, Overflow::Null)).nullable(true));
    }
    let e = match &c.types[0] {
        ArrowType::Decimal128(p, s) => decimal_avg(x, *p, *s, Overflow::Null),
        t if t.is_integer() || t.is_floating() => double_sum(cast(x, ArrowType::Float64), true, c.distinct),
        _ => agg::avg(x),
    };
    Ok(Built::new(e).nullable(true))
}

/// The average of a DECIMAL(p, s): its sum (DECIMAL(p + 10, s), with the
/// overflow rule `overflow`) over its count, rounded HALF_UP to
/// DECIMAL(p + 4, s + 4) as Spark computes it (DataFusion truncates).
fn decimal_avg(x: DfExpr, p: u8, s: i8, overflow: spark_functions::sum::Overflow) -> DfExpr {
    use spark_functions::decimal::{DecimalOp, SparkDecimalArith};
    use spark_functions::sum::{Overflow, SparkSum, SumType};
    let out = ((p + 4).min(38), (s + 4).min(38));
    let count = cast(agg::count(x.clone()), ArrowType::Decimal128(20, 0));
    let sum = DfExpr::AggregateFunction(AggregateFunction::new_udf(SparkSum::udaf(SumType::decimal_sum(p, s), overflow), vec![x], false, None, vec![], None));
    let divide = SparkDecimalArith::udf(DecimalOp::Divide, overflow == Overflow::Fail, out);
    super::call_udf(divide, vec![sum, count])
}

fn listagg(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let delim = c.args.get(1).cloned().unwrap_or(lit(""));
    let shown = c.names.get(1).cloned().unwrap_or_else(|| "NULL".into());
    let udaf = datafusion::functions_aggregate::string_agg::string_agg_udaf();
    let value = if c.types[0] == ArrowType::Utf8 { c.arg(0)? } else { cast(c.arg(0)?, ArrowType::Utf8) };
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![value, delim], false, None, vec![], None));
    Ok(Built::new(e).named(format!("{}({}, {shown})", c.name, c.names[0])).nullable(true))
}

/// `first(x[, ignoreNulls])`, `last`, `any_value`: named without the flag.
fn first_last(c: &Call<'_>, first: bool) -> ResolveResult<Built> {
    let ignore_nulls = match c.args.get(1) {
        None => false,
        Some(DfExpr::Literal(datafusion::common::ScalarValue::Boolean(Some(b)), _)) => *b,
        Some(_) => return Err(ResolveError::unsupported(format!("{} with a non-constant ignoreNulls", c.name))),
    };
    let udaf = if first {
        datafusion::functions_aggregate::first_last::first_value_udaf()
    } else {
        datafusion::functions_aggregate::first_last::last_value_udaf()
    };
    let mut f = AggregateFunction::new_udf(udaf, vec![c.arg(0)?], false, None, vec![], None);
    if ignore_nulls {
        f.params.null_treatment = Some(datafusion::logical_expr::expr::NullTreatment::IgnoreNulls);
    }
    Ok(Built::new(DfExpr::AggregateFunction(f)).named(format!("{}({})", c.name, c.names[0])).nullable(true))
}

/// `approx_count_distinct(x[, rsd])`: floating-point values are counted
/// as Spark normalizes them (-0.0 is 0.0, one NaN), by their text.
/// `approx_count_distinct(x[, rsd])`: Spark's HyperLogLog++ over the XXH64
/// hash of each value (floats normalized first, as Spark does), so the
/// estimate is the one Spark gives.
fn approx_count_distinct(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use spark_functions::approx_count_distinct::{ApproxCountDistinct, precision_for};
    let relative_sd = match c.args.len() {
        1 => 0.05,
        _ => match c.constant(1).and_then(|v| v.cast_to(&ArrowType::Float64).ok()) {
            Some(ScalarValue::Float64(Some(rsd))) => rsd,
            _ => return Err(ResolveError::analysis("_LEGACY_ERROR_TEMP_1104", "", "The second argument should be a double literal.", &[])),
        },
    };
    let Some(p) = precision_for(relative_sd) else {
        let name = format!("`{}`", c.name);
        return Err(ResolveError::analysis(
            "FAILED_FUNCTION_CALL",
            "38000",
            format!("Failed preparing of the function {name} for call. Please, double check function's arguments."),
            &[("funcName", name)],
        ));
    };
    let mut x = c.arg(0)?;
    if c.types[0].is_floating() {
        x = super::call_udf(spark_functions::float_normalize::NormalizeFloats::udf(), vec![x]);
    }
    // A DECIMAL wider than 18 digits hashes by its unscaled value's bytes.
    let hashed = match &c.types[0] {
        ArrowType::Decimal128(p, _) if *p > 18 => super::call_udf(spark_functions::decimal_bytes::SparkDecimalBytes::udf(), vec![x.clone()]),
        _ => x.clone(),
    };
    let hash = super::call_udf(super::kernel_udf(super::Source::DataFusionSpark, "xxhash64")?, vec![hashed]);
    // NULLs are not counted (their hash would be the seed).
    let hash = DfExpr::Case(Case::new(None, vec![(Box::new(x.is_null()), Box::new(lit(ScalarValue::Int64(None))))], Some(Box::new(hash))));
    // Spark names the call after its first argument alone.
    let name = format!("{}({})", c.name, c.names[0]);
    Ok(Built::new(DfExpr::AggregateFunction(AggregateFunction::new_udf(ApproxCountDistinct::udaf(p), vec![hash], false, None, vec![], None))).named(name))
}

/// `avg`: of a decimal, see [`decimal_avg`].
fn avg(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use spark_functions::sum::Overflow;
    let x = c.arg(0)?;
    // Interval sums overflow with an error whatever the ANSI mode.
    if let Some(kind) = interval_math::kind(&c.types[0]) {
        return Ok(Built::new(interval_math::average(x, kind, Overflow::Fail)).nullable(true));
    }
    let e = match &c.types[0] {
        ArrowType::Decimal128(p, s) => decimal_avg(x, *p, *s, if r.config.ansi { Overflow::Fail } else { Overflow::Wrap }),
        t if t.is_null() || t.is_integer() || t.is_floating() => double_sum(cast(x, ArrowType::Float64), true, c.distinct),
        _ => agg::avg(x),
    };
    Ok(Built::new(e).nullable(true))
}

fn sum(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use spark_functions::sum::{Overflow, SparkSum, SumType};
    let x = c.arg(0)?;
    if let Some(kind) = interval_math::kind(&c.types[0]) {
        let overflow = if c.name == "try_sum" { Overflow::Null } else { Overflow::Fail };
        let source = r.spark_type(&x, c.scope)?;
        return Ok(Built::new(interval_math::sum(x, kind, &source, overflow)).nullable(true));
    }
    // Integral and decimal sums: Spark's result types and overflow rules.
    let sum_type = match &c.types[0] {
        t if t.is_integer() => Some(SumType::Long),
        ArrowType::Decimal128(p, s) => Some(SumType::decimal_sum(*p, *s)),
        _ => None,
    };
    if let Some(sum_type) = sum_type {
        let overflow = if c.name == "try_sum" {
            Overflow::Null
        } else if r.config.ansi {
            Overflow::Fail
        } else {
            Overflow::Wrap
        };
        let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(SparkSum::udaf(sum_type, overflow), vec![x], false, None, vec![], None));
        return Ok(Built::new(e).nullable(true));
    }
    if c.name == "try_sum" {
        let Some(spark_functions::FunctionKind::Aggregate(f)) = spark_functions::FunctionRegistry::global().get("try_sum") else {
            return Err(ResolveError::unresolved_routine("try_sum"));
        };
        let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(f.clone(), vec![x], false, None, vec![], None));
        return Ok(Built::new(e).nullable(true));
    }
    // Doubles (and an untyped NULL column, a DOUBLE NULL as in Spark)
    // added in row order.
    if c.types[0].is_null() || c.types[0].is_floating() {
        return Ok(Built::new(double_sum(cast(x, ArrowType::Float64), false, c.distinct)).nullable(true));
    }
    Ok(Built::new(agg::sum(x)).nullable(true))
}

/// `sum` or `avg` of doubles as Spark adds them (`spark_functions::double_sum`).
fn double_sum(x: DfExpr, avg: bool, distinct: bool) -> DfExpr {
    let udaf = spark_functions::double_sum::SparkDoubleSum::udaf(avg);
    DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![x], distinct, None, vec![], None))
}

/// A constant fraction (or array of fractions) as `f64`s.
fn fractions(v: &datafusion::common::ScalarValue) -> Option<(Vec<f64>, bool)> {
    use datafusion::common::ScalarValue as S;
    let one = |v: &S| -> Option<f64> {
        match v.cast_to(&ArrowType::Float64).ok()? {
            S::Float64(Some(x)) => Some(x),
            _ => None,
        }
    };
    match v {
        S::List(l) => {
            let values = l.value(0);
            let mut out = Vec::with_capacity(values.len());
            for i in 0..values.len() {
                out.push(one(&S::try_from_array(&values, i).ok()?)?);
            }
            Some((out, true))
        }
        other => Some((vec![one(other)?], false)),
    }
}

/// The constant percentage (or array of them) in argument 1, each within
/// [0, 1], as Spark checks them; and whether it was an array.
fn percentages(c: &Call<'_>, name: &str) -> ResolveResult<(Vec<f64>, bool)> {
    let (fs, array) = c.constant(1).as_ref().and_then(fractions).ok_or_else(|| {
        ResolveError::analysis(
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
            "42K09",
            format!("Cannot resolve \"{name}\" due to data type mismatch: the input percentage should be a foldable \"DOUBLE\" or \"ARRAY<DOUBLE>\" expression."),
            &[],
        )
    })?;
    if let Some(bad) = fs.iter().find(|p| !(0.0..=1.0).contains(*p)) {
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
            "42K09",
            format!("Cannot resolve \"{name}\" due to data type mismatch: The percentage must be between [0.0, 1.0], but got {bad}."),
            &[],
        ));
    }
    Ok((fs, array))
}

/// `percentile_approx(x, p[, accuracy])`: see `spark_functions::percentile`.
fn percentile_approx(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let name = c.default_name();
    let (fs, array) = percentages(c, &name)?;
    let udaf = spark_functions::percentile::SparkPercentile::udaf(&fs, array, 1);
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![c.arg(0)?], false, None, vec![], None));
    // An ANSI interval keeps its fields (`interval second`).
    let source = r.spark_type(&c.arg(0)?, c.scope)?;
    let e = interval_math::keep_fields(e, &source);
    // Spark shows the default accuracy.
    let shown = if c.names.len() == 2 { format!("{}({}, {}, 10000)", c.name, c.names[0], c.names[1]) } else { name };
    Ok(Built::new(e).named(shown).nullable(true))
}

/// `percentile(x, p | array(p, ...)[, frequency])` and `median(x)`: linear
/// interpolation between the closest ranks, as a DOUBLE.
fn percentile(c: &Call<'_>, median: bool) -> ResolveResult<Built> {
    use spark_functions::percentile::{Method, SparkPercentile};
    let name = c.default_name();
    let (fs, array) = if median { (vec![0.5], false) } else { percentages(c, &name)? };
    let frequency = match c.constant(2).map(|v| v.cast_to(&ArrowType::Int64)) {
        None if c.args.len() < 3 => 1,
        Some(Ok(datafusion::common::ScalarValue::Int64(Some(f)))) if f > 0 => f as u64,
        _ => return Err(ResolveError::unsupported("percentile with a frequency that is not a positive constant")),
    };
    let udaf = SparkPercentile::with_method(&fs, array, 1, Method::Linear, false, frequency);
    let input = interval_math::percentile_input(c.arg(0)?, &c.types[0]);
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![input], false, None, vec![], None));
    let e = interval_math::percentile_output(e, &c.types[0], array);
    let shown = if median { name } else { super::with_defaults(c, &[(lit(1i64), "1")]).1 };
    Ok(Built::new(e).named(shown).nullable(true))
}

/// `mode(x[, deterministic])`: with `deterministic`, ties go to the
/// smallest value and Spark names it as the WITHIN GROUP form.
fn mode(c: &Call<'_>) -> ResolveResult<Built> {
    use spark_functions::mode::{SparkMode, Ties};
    if c.distinct {
        return Err(super::ordered_set::distinct_unsupported(c.name));
    }
    let deterministic = match c.constant(1) {
        None if c.args.len() < 2 => false,
        Some(datafusion::common::ScalarValue::Boolean(Some(b))) => b,
        _ => return Err(ResolveError::unsupported("mode with a non-constant deterministic flag")),
    };
    let (ties, name) = if deterministic {
        (Ties::Smallest, format!("mode() WITHIN GROUP (ORDER BY {} DESC)", c.names[0]))
    } else {
        (Ties::HashOrder, format!("mode({})", c.names[0]))
    };
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(SparkMode::udaf(ties), vec![c.arg(0)?], false, None, vec![], None));
    Ok(Built::new(e).named(name).nullable(true))
}

/// `histogram_numeric(x, nb)`: `nb` a constant of at least 2; numbers,
/// dates and timestamps keep their type in the bin centres, strings are
/// read as DOUBLE (see `spark_functions::histogram_numeric`).
fn histogram_numeric(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use datafusion::arrow::datatypes::DataType as ArrowType;
    let name = c.default_name();
    let bins = match c.constant(1) {
        Some(v) if v.data_type().is_integer() => match v.cast_to(&ArrowType::Int64) {
            Ok(datafusion::common::ScalarValue::Int64(Some(n))) => n,
            _ => 0,
        },
        _ => {
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                "42K09",
                format!("Cannot resolve \"{name}\" due to data type mismatch: the input `nb` should be a foldable \"INT\" expression; however, got \"{}\".", c.names[1]),
                &[],
            ));
        }
    };
    if !(2..=i64::from(i32::MAX)).contains(&bins) {
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
            "42K09",
            format!("Cannot resolve \"{name}\" due to data type mismatch: The nb must be between [2, 2147483647] (current value = {bins})."),
            &[],
        ));
    }
    let x = c.arg(0)?;
    let x = match &c.types[0] {
        t if t.is_numeric() || matches!(t, ArrowType::Date32 | ArrowType::Timestamp(..)) => x,
        ArrowType::Null => super::cast(x, ArrowType::Float64),
        t => r.spark_cast(x, t, &ArrowType::Float64),
    };
    let udaf = spark_functions::histogram_numeric::SparkHistogramNumeric::udaf(bins as usize);
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![x], false, None, vec![], None));
    Ok(Built::new(e).named(name).nullable(true))
}

/// `count_min_sketch(x, eps, confidence, seed)`: integers, strings or
/// binary; `eps` and `confidence` constant DOUBLEs in range, `seed` a
/// constant INT (see `spark_functions::count_min_sketch`).
fn count_min_sketch(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use datafusion::arrow::datatypes::DataType as ArrowType;
    use datafusion::common::ScalarValue;
    let name = c.default_name();
    let mismatch = |detail: String| ResolveError::analysis("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", "42K09", format!("Cannot resolve \"{name}\" due to data type mismatch: {detail}"), &[]);
    let sql_type = |t: &ArrowType| crate::types::from_arrow(t).map(|t| t.sql()).unwrap_or_else(|_| t.to_string());
    let x = &c.types[0];
    if !(x.is_integer() || matches!(x, ArrowType::Utf8 | ArrowType::Utf8View | ArrowType::LargeUtf8 | ArrowType::Binary | ArrowType::BinaryView | ArrowType::Null)) {
        return Err(mismatch(format!("The first parameter requires the (\"INTEGRAL\" or \"STRING\" or \"BINARY\") type, however \"{}\" has the type \"{}\".", c.names[0], sql_type(x))));
    }
    let ordinals = ["first", "second", "third", "fourth"];
    for (i, (expected, input)) in [(ArrowType::Float64, "eps"), (ArrowType::Float64, "confidence"), (ArrowType::Int32, "seed")].iter().enumerate() {
        let at = i + 1;
        if &c.types[at] != expected {
            let want = if *expected == ArrowType::Float64 { "DOUBLE" } else { "INT" };
            return Err(mismatch(format!("The {} parameter requires the \"{want}\" type, however \"{}\" has the type \"{}\".", ordinals[at], c.names[at], sql_type(&c.types[at]))));
        }
        if c.constant(at).is_none() {
            let want = if *expected == ArrowType::Float64 { "DOUBLE" } else { "INT" };
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                "42K09",
                format!("Cannot resolve \"{name}\" due to data type mismatch: the input `{input}` should be a foldable \"{want}\" expression; however, got \"{}\".", c.names[at]),
                &[],
            ));
        }
    }
    let double = |i: usize| match c.constant(i) {
        Some(ScalarValue::Float64(Some(v))) => Some(v),
        _ => None,
    };
    let out_of_range = |what: &str, range: &str, v: String| {
        ResolveError::analysis("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", "42K09", format!("Cannot resolve \"{name}\" due to data type mismatch: The {what} must be between {range} (current value = {v})."), &[])
    };
    let (Some(eps), Some(confidence)) = (double(1), double(2)) else {
        return Err(ResolveError::analysis("DATATYPE_MISMATCH.UNEXPECTED_NULL", "42K09", format!("Cannot resolve \"{name}\" due to data type mismatch: eps, confidence and seed must not be NULL."), &[]));
    };
    if !(eps > 0.0) {
        return Err(out_of_range("eps", "(0.0, 1.7976931348623157E308]", format!("{eps:?}D")));
    }
    if !(confidence > 0.0 && confidence < 1.0) {
        return Err(out_of_range("confidence", "(0.0, 1.0]", format!("{confidence:?}D")));
    }
    let Some(ScalarValue::Int32(Some(seed))) = c.constant(3) else {
        return Err(ResolveError::analysis("DATATYPE_MISMATCH.UNEXPECTED_NULL", "42K09", format!("Cannot resolve \"{name}\" due to data type mismatch: eps, confidence and seed must not be NULL."), &[]));
    };
    let udaf = spark_functions::count_min_sketch::SparkCountMinSketch::udaf(eps, confidence, seed);
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![c.arg(0)?], false, None, vec![], None));
    Ok(Built::new(e).named(name).nullable(false))
}

/// `collect_set(x)` and `collect_union(arrays)`: the distinct non-NULL
/// values, in the order Spark's hash set yields them
/// (`spark_functions::hash_set_order`).
fn collect_set(c: &Call<'_>, union: bool) -> ResolveResult<Built> {
    let source = if union { "collect_list" } else { "collect_set" };
    let spark_functions::FunctionKind::Aggregate(udaf) = super::kernel_impl(super::Kernel { source: super::Source::DataFusionSpark, name: source })? else {
        return Err(ResolveError::unresolved_routine(source));
    };
    let collected = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![c.arg(0)?], c.distinct && !union, None, vec![], None));
    let e = super::call_udf(spark_functions::hash_set_order::SparkHashSetOrder::udf(union), vec![collected]);
    Ok(Built::new(e).nullable(false))
}

/// `grouping(c)` (TINYINT) and `grouping_id(c...)` (BIGINT): DataFusion's
/// `grouping` bit mask. Without arguments `grouping_id()` covers every
/// grouping column; the aggregate planner fills them in.
fn grouping(c: &Call<'_>, id: bool) -> ResolveResult<Built> {
    let udaf = datafusion::functions_aggregate::grouping::grouping_udaf();
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, c.args.clone(), false, None, vec![], None));
    let t = if id { ArrowType::Int64 } else { ArrowType::Int8 };
    Ok(Built::new(cast(e, t)).nullable(false))
}

/// `max` / `min`: DataFusion's, over values that have an order (no maps
/// or variants, also inside arrays and structs).
fn min_max(c: &Call<'_>, max: bool) -> ResolveResult<Built> {
    let name = if max { "max" } else { "min" };
    let t = &c.types[0];
    if crate::types::contains_map(t) || spark_functions::variant::is_variant_type(t) {
        let type_sql = crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_default();
        return Err(ResolveError::invalid_ordering_type(&c.default_name(), name, &type_sql));
    }
    let udaf = if max { datafusion::functions_aggregate::min_max::max_udaf() } else { datafusion::functions_aggregate::min_max::min_udaf() };
    Ok(Built::new(DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, c.args.clone(), c.distinct, None, vec![], None))))
}

/// `bitmap_construct_agg`, `bitmap_or_agg`, `bitmap_and_agg`; the latter two take BINARY bitmaps.
fn bitmap(c: &Call<'_>, kind: spark_functions::bitmap::BitmapAgg) -> ResolveResult<Built> {
    use spark_functions::bitmap::{BitmapAgg, SparkBitmapAgg};
    if kind != BitmapAgg::Construct && !matches!(c.types[0], ArrowType::Binary | ArrowType::Null) {
        return Err(super::type_mismatch_sql(&c.default_name(), 0, &c.names[0], &c.types[0], "\"BINARY\""));
    }
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(SparkBitmapAgg::udaf(kind), vec![c.arg(0)?], false, None, vec![], None));
    Ok(Built::new(e).nullable(false))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    use spark_functions::moments::Stat;
    vec![
        ("first", f(Range(1, 2), &[Any, Boolean], |_, c| first_last(c, true))),
        ("first_value", f(Range(1, 2), &[Any, Boolean], |_, c| first_last(c, true))),
        ("any_value", f(Range(1, 2), &[Any, Boolean], |_, c| first_last(c, true))),
        ("last", f(Range(1, 2), &[Any, Boolean], |_, c| first_last(c, false))),
        ("last_value", f(Range(1, 2), &[Any, Boolean], |_, c| first_last(c, false))),
        ("sum", f(Exactly(1), &[NumericOrInterval], sum)),
        ("try_sum", f(Exactly(1), &[NumericOrInterval], sum)),
        ("avg", f(Exactly(1), &[NumericOrInterval], avg)),
        ("mean", f(Exactly(1), &[NumericOrInterval], avg)),
        ("count_if", f(Exactly(1), &[Boolean], count_if)),
        ("max_by", f(Range(2, 3), &[Any, Any, Int], |_, c| by(c, true))),
        ("min_by", f(Range(2, 3), &[Any, Any, Int], |_, c| by(c, false))),
        ("skewness", f(Exactly(1), &[Double], |_, c| moments(c, Stat::Skewness))),
        ("kurtosis", f(Exactly(1), &[Double], |_, c| moments(c, Stat::Kurtosis))),
        ("try_avg", f(Exactly(1), &[NumericOrInterval], try_avg)),
        ("listagg", f(Range(1, 2), &[Any, String], listagg).within_group(ordered_set::listagg)),
        ("grouping", f(Exactly(1), &[Any], |_, c| grouping(c, false))),
        ("grouping_id", f(AtLeast(0), &[Any], |_, c| grouping(c, true))),
        ("percentile_approx", f(Range(2, 3), &[Any, Any, Int], percentile_approx)),
        ("approx_percentile", f(Range(2, 3), &[Any, Any, Int], percentile_approx)),
        ("string_agg", f(Range(1, 2), &[Any, String], listagg).within_group(ordered_set::listagg)),
        ("percentile", f(Range(2, 3), &[Any, Any, Long], |_, c| percentile(c, false))),
        ("median", f(Exactly(1), &[Any], |_, c| percentile(c, true))),
        ("mode", f(Range(1, 2), &[Any, Boolean], |_, c| mode(c)).within_group(ordered_set::mode)),
        ("histogram_numeric", f(Exactly(2), &[Any, Any], histogram_numeric)),
        ("count_min_sketch", f(Exactly(4), &[Any, Any, Any, Any], count_min_sketch)),
        ("percentile_cont", unresolved(Exactly(1), ordered_set::within_group_missing).within_group(ordered_set::percentile)),
        ("percentile_disc", unresolved(Exactly(1), ordered_set::within_group_missing).within_group(ordered_set::percentile)),
        ("count", unresolved(AtLeast(1), count).nullable(Nullable::Never)),
        ("bitmap_construct_agg", f(Exactly(1), &[Long], |_, c| bitmap(c, spark_functions::bitmap::BitmapAgg::Construct))),
        ("bitmap_or_agg", f(Exactly(1), &[Any], |_, c| bitmap(c, spark_functions::bitmap::BitmapAgg::Or))),
        ("bitmap_and_agg", f(Exactly(1), &[Any], |_, c| bitmap(c, spark_functions::bitmap::BitmapAgg::And))),
        // Kernels called as they are.
        ("any", datafusion_aggregate(Exactly(1), &[Boolean], "bool_or")),
        ("some", datafusion_aggregate(Exactly(1), &[Boolean], "bool_or")),
        ("bool_or", datafusion_aggregate(Exactly(1), &[Boolean], "bool_or")),
        ("every", datafusion_aggregate(Exactly(1), &[Boolean], "bool_and")),
        ("bool_and", datafusion_aggregate(Exactly(1), &[Boolean], "bool_and")),
        ("approx_count_distinct", f(Range(1, 2), &[], approx_count_distinct).nullable(Nullable::Never)),
        ("bit_and", datafusion_aggregate(Exactly(1), &[Integral], "bit_and")),
        ("bit_or", datafusion_aggregate(Exactly(1), &[Integral], "bit_or")),
        ("bit_xor", datafusion_aggregate(Exactly(1), &[Integral], "bit_xor")),
        ("collect_list", datafusion_spark_aggregate(Exactly(1), &[], "collect_list").nullable(Nullable::Never)),
        // `array_agg` is `collect_list` (NULLs skipped), and prints so.
        ("array_agg", datafusion_spark_aggregate(Exactly(1), &[], "collect_list").nullable(Nullable::Never).display(Display::Rule(|_, a| format!("collect_list({})", a.join(", "))))),
        ("collect_set", f(Exactly(1), &[Any], |_, c| collect_set(c, false))),
        ("collect_union", f(Exactly(1), &[Any], |_, c| collect_set(c, true))),
        ("corr", f(Exactly(2), &[Double, Double], |_, c| moments(c, Stat::Corr))),
        ("covar_pop", f(Exactly(2), &[Double, Double], |_, c| moments(c, Stat::CovarPop))),
        ("covar_samp", f(Exactly(2), &[Double, Double], |_, c| moments(c, Stat::CovarSamp))),
        ("max", f(Exactly(1), &[], |_, c| min_max(c, true)).nullable(Nullable::Engine)),
        ("min", f(Exactly(1), &[], |_, c| min_max(c, false)).nullable(Nullable::Engine)),
        ("regr_avgx", datafusion_aggregate(Exactly(2), &[Numeric], "regr_avgx")),
        ("regr_avgy", datafusion_aggregate(Exactly(2), &[Numeric], "regr_avgy")),
        ("regr_count", datafusion_aggregate(Exactly(2), &[Numeric], "regr_count")),
        ("regr_intercept", f(Exactly(2), &[Double, Double], |_, c| moments(c, Stat::RegrIntercept))),
        ("regr_r2", f(Exactly(2), &[Double, Double], |_, c| moments(c, Stat::RegrR2))),
        ("regr_slope", f(Exactly(2), &[Double, Double], |_, c| moments(c, Stat::RegrSlope))),
        ("regr_sxx", f(Exactly(2), &[Double, Double], |_, c| moments(c, Stat::RegrSxx))),
        ("regr_sxy", f(Exactly(2), &[Double, Double], |_, c| moments(c, Stat::RegrSxy))),
        ("regr_syy", f(Exactly(2), &[Double, Double], |_, c| moments(c, Stat::RegrSyy))),
        ("std", f(Exactly(1), &[Double], |_, c| moments(c, Stat::StddevSamp))),
        ("stddev", f(Exactly(1), &[Double], |_, c| moments(c, Stat::StddevSamp))),
        ("stddev_samp", f(Exactly(1), &[Double], |_, c| moments(c, Stat::StddevSamp))),
        ("stddev_pop", f(Exactly(1), &[Double], |_, c| moments(c, Stat::StddevPop))),
        ("variance", f(Exactly(1), &[Double], |_, c| moments(c, Stat::VarSamp))),
        ("var_samp", f(Exactly(1), &[Double], |_, c| moments(c, Stat::VarSamp))),
        ("var_pop", f(Exactly(1), &[Double], |_, c| moments(c, Stat::VarPop))),
        ("bitmap_bit_position", datafusion_spark(Exactly(1), &[], "bitmap_bit_position")),
        ("bitmap_bucket_number", datafusion_spark(Exactly(1), &[], "bitmap_bucket_number")),
        ("bitmap_count", datafusion_spark(Exactly(1), &[], "bitmap_count")),
    ]
}
