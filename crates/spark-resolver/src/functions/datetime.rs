//! Date and time functions: field extraction, epoch conversions, the
//! current date and time, and Spark's implicit string → date casts.

use datafusion::arrow::datatypes::{DataType as ArrowType, TimeUnit};
use datafusion::common::ScalarValue;
use datafusion::functions::datetime::expr_fn as df;
use datafusion::logical_expr::{Expr as DfExpr, Operator, binary_expr, lit};

use spark_functions::time_zone::{Direction, SparkZoneShift};
use spark_functions::datetime_format::{ParseTarget, SparkDateFormat, SparkParseDatetime};

use super::{Arity, Built, Call, CallSite, In, Nullable, Table, call_udf, cast, datafusion_spark, f, registry_udf, try_cast, unresolved};
use crate::expression::ResolvedExpr;
use crate::ResolvedRelation;
use crate::{ResolveError, ResolveResult};
use crate::resolver::Resolver;

const MICROS_PER_SECOND: i64 = 1_000_000;

/// `date_part(part, x)` as Spark's INT.
fn part(c: &Call<'_>, p: &str) -> ResolveResult<DfExpr> {
    Ok(cast(df::date_part(lit(p), c.arg(0)?), ArrowType::Int32))
}

/// Calls the registry's implementation of the same name on the cast arguments.
fn delegate(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    Ok(Built::new(call_udf(registry_udf(c.name)?, c.args.clone())))
}

/// Like `delegate`, printed as `shown(...)`.
fn delegate_as(c: &Call<'_>, target: &str, shown: &str) -> ResolveResult<Built> {
    Ok(Built::new(call_udf(registry_udf(target)?, c.args.clone())).named(format!("{shown}({})", c.names.join(", "))))
}

fn micros_to_timestamp(r: &Resolver<'_>, micros: DfExpr) -> DfExpr {
    cast(cast(micros, ArrowType::Int64), r.session_timestamp())
}

fn timestamp_seconds(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let x = c.arg(0)?;
    let micros = match &c.types[0] {
        t if t.is_integer() => binary_expr(cast(x, ArrowType::Int64), Operator::Multiply, lit(MICROS_PER_SECOND)),
        ArrowType::Decimal128(..) => {
            let scaled = binary_expr(cast(x, ArrowType::Float64), Operator::Multiply, lit(MICROS_PER_SECOND as f64));
            datafusion::functions::math::expr_fn::round(vec![scaled])
        }
        _ => binary_expr(cast(x, ArrowType::Float64), Operator::Multiply, lit(MICROS_PER_SECOND as f64)),
    };
    Ok(Built::new(micros_to_timestamp(r, micros)))
}

/// Whether `current_timestamp(p)` (and `now`, `localtimestamp`) asks for a
/// nanosecond type: `p` in 7..=9, which needs
/// `spark.sql.timestampNanosTypes.enabled`; 6 or no `p` is the usual type.
fn nanos_precision(r: &Resolver<'_>, c: &Call<'_>, kind: &str) -> ResolveResult<bool> {
    use spark_functions::error::{RuntimeKind, SparkRuntimeError};
    let Some(arg) = c.args.first() else {
        return Ok(false);
    };
    if !c.types[0].is_integer() {
        let actual = crate::types::from_arrow(&c.types[0]).map(|t| t.sql()).unwrap_or_default();
        return Err(ResolveError::analysis(
            "UNEXPECTED_INPUT_TYPE",
            "42K09",
            format!("Parameter first of function `{}` requires the \"INT\" type, however \"{}\" has the type \"{actual}\".", c.name, c.names[0]),
            &[
                ("paramIndex", "first".into()),
                ("functionName", format!("`{}`", c.name)),
                ("requiredType", "\"INT\"".into()),
                ("inputSql", format!("\"{}\"", c.names[0])),
                ("inputType", format!("\"{actual}\"")),
            ],
        ));
    }
    let p = match arg {
        DfExpr::Literal(v, _) => v.clone().cast_to(&ArrowType::Int64).ok().and_then(|v| match v {
            ScalarValue::Int64(p) => p,
            _ => None,
        }),
        _ => None,
    };
    match p {
        Some(6) => Ok(false),
        Some(7..=9) if r.config.timestamp_nanos => Ok(true),
        Some(7..=9) => Err(SparkRuntimeError::new(
            RuntimeKind::Spark,
            "FEATURE_NOT_ENABLED",
            "56038",
            "The feature Nanosecond-precision timestamp types is not enabled. Consider setting the config spark.sql.timestampNanosTypes.enabled to true to enable this capability.",
        )
        .param("featureName", "Nanosecond-precision timestamp types")
        .param("configKey", "spark.sql.timestampNanosTypes.enabled")
        .param("configValue", "true")
        .into_df()
        .into()),
        Some(p) => Err(SparkRuntimeError::new(
            RuntimeKind::Spark,
            "INVALID_TIMESTAMP_PRECISION",
            "22023",
            format!("The seconds precision {p} of {kind} is invalid. Expected an integer in [7, 9] for nanosecond precision; use precision 6 or parameterless {kind} for the standard microsecond type."),
        )
        .param("precision", p.to_string())
        .param("type", kind)
        .into_df()
        .into()),
        None => Err(ResolveError::unsupported(format!("{} with a precision that is not a constant", c.name))),
    }
}

/// `current_timestamp([p])` / `now([p])`: the query's start, a
/// TIMESTAMP_LTZ(p) for a nanosecond precision.
fn current_timestamp(r: &Resolver<'_>, c: &Call<'_>, name: &str) -> ResolveResult<Built> {
    let unit = if nanos_precision(r, c, "TIMESTAMP_LTZ")? { TimeUnit::Nanosecond } else { TimeUnit::Microsecond };
    let t = ArrowType::Timestamp(unit, Some(r.config.time_zone.clone().into()));
    Ok(Built::new(cast(df::now(), t)).named(name).nullable(false))
}

/// `timestamp_nanos(n)`: the TIMESTAMP_LTZ(9) `n` nanoseconds after the
/// epoch (a decimal truncated to whole nanoseconds).
fn timestamp_nanos(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let t = &c.types[0];
    if !(t.is_integer() || t.is_null() || matches!(t, ArrowType::Decimal128(..))) {
        return Err(super::type_mismatch_sql(&c.default_name(), 0, &c.names[0], t, "(\"INTEGRAL\" or \"DECIMAL\")"));
    }
    let nanos = cast(c.arg(0)?, ArrowType::Int64);
    Ok(Built::new(cast(nanos, ArrowType::Timestamp(TimeUnit::Nanosecond, Some(r.config.time_zone.clone().into())))))
}

/// `unix_nanos(ts)`: nanoseconds since the epoch of a nanosecond timestamp,
/// as DECIMAL(21, 0).
fn unix_nanos(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let t = &c.types[0];
    if !(t.is_null() || matches!(t, ArrowType::Timestamp(TimeUnit::Nanosecond, _))) {
        return Err(super::type_mismatch_sql(&c.default_name(), 0, &c.names[0], t, "\"(TIMESTAMP_LTZ(P) OR TIMESTAMP_NTZ(P) WITH P IN [7, 9])\""));
    }
    let nanos = cast(c.arg(0)?, ArrowType::Int64);
    Ok(Built::new(cast(nanos, ArrowType::Decimal128(21, 0))))
}

fn timestamp_scaled(r: &Resolver<'_>, c: &Call<'_>, per_unit: i64) -> ResolveResult<Built> {
    Ok(Built::new(micros_to_timestamp(r, binary_expr(c.arg(0)?, Operator::Multiply, lit(per_unit)))))
}

/// Which of the `make_timestamp` family a call is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MakeTimestamp {
    /// `make_timestamp` (TIMESTAMP).
    Default,
    Ltz,
    Ntz,
}

/// `[try_]make_timestamp[_ltz|_ntz]` of the six fields (and a zone), of a
/// DATE, or of a DATE and a TIME (and a zone): the wall time, checked by
/// `spark_functions::make_timestamp` (NULL on bad fields for `try_` and
/// with ANSI off), then placed in the zone for TIMESTAMP. The names follow
/// Spark's, which differ between the forms.
fn make_timestamp(r: &Resolver<'_>, c: &Call<'_>, kind: MakeTimestamp, try_: bool) -> ResolveResult<Built> {
    use spark_functions::make_timestamp::SparkMakeTimestamp;
    let ntz_type = ArrowType::Timestamp(TimeUnit::Microsecond, None);
    let fields_form = c.args.len() >= 6;
    let date_time_form = !fields_form && c.args.len() >= 2;
    if kind == MakeTimestamp::Ntz && !(c.args.len() == 6 || c.args.len() == 2) {
        return Err(super::wrong_args(c.name, c.args.len(), "[2, 6]"));
    }
    let wall = if fields_form {
        call_udf(SparkMakeTimestamp::udf(!try_ && r.config.ansi), c.args[..6].to_vec())
    } else {
        let date = cast(c.arg(0)?, ArrowType::Date32);
        let date_micros = cast(cast(date, ntz_type.clone()), ArrowType::Int64);
        let micros = if date_time_form {
            let time_micros = binary_expr(cast(c.arg(1)?, ArrowType::Int64), Operator::Divide, lit(1_000i64));
            binary_expr(date_micros, Operator::Plus, time_micros)
        } else {
            date_micros
        };
        cast(micros, ntz_type.clone())
    };
    let zone_at = if fields_form { 6 } else { 2 };
    let shown = |names: &[String]| names.join(", ");
    let name = match (kind, try_, fields_form, date_time_form) {
        // try_make_timestamp drops the zone from its name.
        (MakeTimestamp::Default, true, true, _) => format!("{}({})", c.name, shown(&c.names[..6])),
        (MakeTimestamp::Ltz, _, false, true) => format!("make_timestamp({})", shown(&c.names)),
        (MakeTimestamp::Ntz, true, false, true) => format!("try_make_timestamp_ntz(make_timestamp_ntz({}))", shown(&c.names)),
        _ => format!("{}({})", c.name, shown(&c.names)),
    };
    // Spark: the DATE and TIME forms are nullable; the field form only with
    // NULL inputs or when bad fields give NULL.
    let nullable = try_ || !fields_form || !r.config.ansi || c.nullable.iter().any(|n| *n);
    if kind == MakeTimestamp::Ntz {
        return Ok(Built::new(wall).named(name).nullable(nullable));
    }
    let zone = match c.args.get(zone_at) {
        Some(DfExpr::Literal(ScalarValue::Utf8(Some(tz)), _)) => tz.clone(),
        Some(DfExpr::Literal(v, _)) if v.is_null() => return Ok(Built::new(cast(lit(ScalarValue::Null), r.session_timestamp())).named(name).nullable(true)),
        Some(_) => return Err(crate::ResolveError::unsupported(format!("{} with a time zone that is not a literal", c.name))),
        None => r.config.time_zone.clone(),
    };
    let f = SparkZoneShift::udf(Direction::WallToInstant, &zone, &r.config.time_zone);
    Ok(Built::new(call_udf(f, vec![wall])).named(name).nullable(nullable))
}

/// `convert_timezone([source,] target, ts_ntz)`.
fn convert_timezone(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (source, source_name, target, target_name, ts) = match c.args.len() {
        2 => (lit(r.config.time_zone.clone()), "current_timezone()".to_string(), c.arg(0)?, c.names[0].clone(), c.arg(1)?),
        _ => (c.arg(0)?, c.names[0].clone(), c.arg(1)?, c.names[1].clone(), c.arg(2)?),
    };
    let literal = |e: &DfExpr| match e {
        DfExpr::Literal(ScalarValue::Utf8(Some(tz)), _) => Some(tz.clone()),
        _ => None,
    };
    let (Some(source), Some(target)) = (literal(&source), literal(&target)) else {
        return Err(crate::ResolveError::unsupported("convert_timezone with time zones that are not literals"));
    };
    let ntz = ArrowType::Timestamp(TimeUnit::Microsecond, None);
    let wall = if matches!(c.types.last(), Some(ArrowType::Timestamp(_, None))) { ts } else { cast(ts, ntz) };
    let instant = call_udf(SparkZoneShift::udf(Direction::WallToInstant, &source, "UTC"), vec![wall]);
    let there = call_udf(SparkZoneShift::udf(Direction::InstantToWall, &target, ""), vec![instant]);
    let name = format!("convert_timezone({source_name}, {target_name}, {})", c.names.last().cloned().unwrap_or_default());
    Ok(Built::new(there).named(name))
}

/// `from_utc_timestamp(ts, tz)`: the wall time in `tz` of the instant read
/// as UTC; `to_utc_timestamp` the reverse. Both give session-zone timestamps.
fn zone_shift(r: &Resolver<'_>, c: &Call<'_>, from_utc: bool) -> ResolveResult<Built> {
    let Some(DfExpr::Literal(ScalarValue::Utf8(Some(zone)), _)) = c.args.get(1) else {
        return Err(crate::ResolveError::unsupported(format!("{} with a time zone that is not a constant", c.name)));
    };
    let session = r.config.time_zone.clone();
    // The session wall time of the input, read as if it were UTC.
    let wall = call_udf(SparkZoneShift::udf(Direction::InstantToWall, &session, ""), vec![c.arg(0)?]);
    let shifted = if from_utc {
        let instant = call_udf(SparkZoneShift::udf(Direction::WallToInstant, "UTC", "UTC"), vec![wall]);
        call_udf(SparkZoneShift::udf(Direction::InstantToWall, zone, ""), vec![instant])
    } else {
        let instant = call_udf(SparkZoneShift::udf(Direction::WallToInstant, zone, "UTC"), vec![wall]);
        call_udf(SparkZoneShift::udf(Direction::InstantToWall, "UTC", ""), vec![instant])
    };
    Ok(Built::new(call_udf(SparkZoneShift::udf(Direction::WallToInstant, &session, &session), vec![shifted])))
}

/// The pattern argument, or Spark's default when absent.
fn pattern_arg(c: &Call<'_>, i: usize, default: &str) -> (DfExpr, String) {
    match c.args.get(i) {
        Some(p) => (p.clone(), c.names[i].clone()),
        None => (lit(default), default.to_string()),
    }
}

/// The unit of `timestampadd` / `timestampdiff`: the parser's word or the
/// DataFrame API's string, as written (Spark prints it so).
fn datetime_unit(c: &Call<'_>) -> ResolveResult<(spark_functions::timestamp_units::DatetimeUnit, String)> {
    let written = c.str_literal(0).unwrap_or_default().to_string();
    match spark_functions::timestamp_units::DatetimeUnit::parse(&written) {
        Some(unit) => Ok((unit, written)),
        None => Err(crate::ResolveError::analysis(
            "INVALID_PARAMETER_VALUE.DATETIME_UNIT",
            "22023",
            format!("The value of parameter(s) `unit` in `{}` is invalid: expects one of the units without quotes YEAR, QUARTER, MONTH, WEEK, DAY, DAYOFYEAR, HOUR, MINUTE, SECOND, MILLISECOND, MICROSECOND, but got the string literal '{written}'.", c.name),
            &[("functionName", format!("`{}`", c.name)), ("parameter", "`unit`".into()), ("invalidValue", format!("'{written}'"))],
        )),
    }
}

/// `timestampadd(unit, quantity, ts)`: a timestamp of `ts`'s type (a date
/// or text is a TIMESTAMP).
fn timestamp_add(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (unit, written) = datetime_unit(c)?;
    let f = spark_functions::timestamp_units::SparkTimestampAdd::udf(unit);
    Ok(Built::new(call_udf(f, vec![c.arg(1)?, c.arg(2)?])).named(format!("timestampadd({written}, {}, {})", c.names[1], c.names[2])))
}

/// `timestampdiff(unit, start, end)`: BIGINT; a TIMESTAMP_NTZ beside a
/// TIMESTAMP is read in the session time zone.
fn timestamp_diff(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (unit, written) = datetime_unit(c)?;
    let (mut start, mut end) = (c.arg(1)?, c.arg(2)?);
    if c.types[1] != c.types[2] {
        start = r.cast_if_needed(start, &r.session_timestamp(), c.scope)?;
        end = r.cast_if_needed(end, &r.session_timestamp(), c.scope)?;
    }
    let f = spark_functions::timestamp_units::SparkTimestampDiff::udf(unit);
    Ok(Built::new(call_udf(f, vec![start, end])).named(format!("timestampdiff({written}, {}, {})", c.names[1], c.names[2])))
}

fn parse(r: &Resolver<'_>, c: &Call<'_>, target: ParseTarget, try_: bool) -> ResolveResult<Built> {
    let fail = r.config.ansi && !try_;
    let value = c.arg(0)?;
    let t = &c.types[0];
    let expr = if c.args.len() == 1 || !super::is_string(t) {
        // Without a pattern Spark casts; so does a non-string input.
        let to = match target {
            ParseTarget::Timestamp => r.session_timestamp(),
            ParseTarget::TimestampNtz => ArrowType::Timestamp(TimeUnit::Microsecond, None),
            ParseTarget::Date => ArrowType::Date32,
            ParseTarget::UnixSeconds => r.session_timestamp(),
        };
        let sql = match target {
            ParseTarget::Date => "DATE",
            ParseTarget::TimestampNtz => "TIMESTAMP_NTZ",
            ParseTarget::Timestamp | ParseTarget::UnixSeconds => "TIMESTAMP",
        };
        let string_cast = super::is_string(t) && spark_functions::string_cast::SparkStringCast::handles(&to);
        let via = if string_cast {
            // Text is read as Spark's cast reads it, with its errors.
            call_udf(spark_functions::string_cast::SparkStringCast::udf(to.clone(), sql, fail), vec![value])
        } else if target == ParseTarget::Date && super::is_string(t) {
            // Spark's string → date cast takes a trailing time of day.
            let ntz = ArrowType::Timestamp(TimeUnit::Microsecond, None);
            if fail { cast(value, ntz) } else { try_cast(value, ntz) }
        } else {
            value
        };
        let e = if string_cast {
            via
        } else if fail {
            cast(via, to)
        } else {
            try_cast(via, to)
        };
        if target == ParseTarget::UnixSeconds {
            let micros = cast(e, ArrowType::Int64);
            datafusion::functions::math::expr_fn::floor(binary_expr(micros, Operator::Divide, lit(MICROS_PER_SECOND)))
        } else {
            e
        }
    } else {
        let f = SparkParseDatetime::udf(target, &r.config.time_zone, fail);
        call_udf(f, vec![value, c.arg(1)?])
    };
    Ok(Built::new(expr).nullable(parse_nullable(c, fail)))
}

/// Spark's nullability of a parse with a pattern: in ANSI mode a bad input
/// is an error, so only NULL inputs give NULL; otherwise (and for the
/// pattern-less cast forms) any input may.
fn parse_nullable(c: &Call<'_>, fail: bool) -> bool {
    !(fail && c.args.len() > 1) || c.nullable.iter().any(|n| *n)
}

fn unix_timestamp(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (value, value_name, t) = match c.args.first() {
        Some(v) => (v.clone(), c.names[0].clone(), c.types[0].clone()),
        None => (df::now(), "current_timestamp()".to_string(), r.session_timestamp()),
    };
    let (pattern, pattern_name) = pattern_arg(c, 1, "yyyy-MM-dd HH:mm:ss");
    let fail = r.config.ansi;
    let expr = if super::is_string(&t) {
        call_udf(SparkParseDatetime::udf(ParseTarget::UnixSeconds, &r.config.time_zone, fail), vec![value, pattern])
    } else {
        let ts = cast(value, r.session_timestamp());
        let micros = cast(ts, ArrowType::Int64);
        cast(
            datafusion::functions::math::expr_fn::floor(binary_expr(cast(micros, ArrowType::Float64), Operator::Divide, lit(MICROS_PER_SECOND as f64))),
            ArrowType::Int64,
        )
    };
    Ok(Built::new(expr).named(format!("{}({value_name}, {pattern_name})", c.name)).nullable(!fail || c.nullable.iter().any(|n| *n)))
}

fn from_unixtime(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (pattern, pattern_name) = pattern_arg(c, 1, "yyyy-MM-dd HH:mm:ss");
    let micros = binary_expr(cast(c.arg(0)?, ArrowType::Int64), Operator::Multiply, lit(MICROS_PER_SECOND));
    let ts = micros_to_timestamp(r, micros);
    let e = call_udf(SparkDateFormat::udf(&r.config.time_zone), vec![ts, pattern]);
    Ok(Built::new(e).named(format!("from_unixtime({}, {pattern_name})", c.names[0])).nullable(true))
}

/// `date_format(x, fmt)`: timestamps (dates and strings cast), and TIME
/// values, which Spark formats even with the TIME type disabled (as the
/// wall time of 1970-01-01).
fn date_format(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let x = match &c.types[0] {
        ArrowType::Time64(TimeUnit::Nanosecond) => {
            let micros = binary_expr(cast(c.arg(0)?, ArrowType::Int64), Operator::Divide, lit(1_000i64));
            cast(micros, ArrowType::Timestamp(TimeUnit::Microsecond, None))
        }
        t => r.implicit_cast("date_format", 0, c.arg(0)?, t, In::AnyTimestamp, &c.names[0])?.0,
    };
    // A string read as a timestamp may not be one.
    let nullable = c.nullable.iter().any(|n| *n) || super::is_string(&c.types[0]);
    Ok(Built::new(call_udf(SparkDateFormat::udf(&r.config.time_zone), vec![x, c.arg(1)?])).nullable(nullable))
}

fn datediff(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let days = |e: DfExpr| cast(e, ArrowType::Int32);
    Ok(Built::new(binary_expr(days(c.arg(0)?), Operator::Minus, days(c.arg(1)?))))
}

/// `extract(field FROM x)`, `date_part('field', x)`: the field is a word
/// or a string, taken unresolved.
fn extract(r: &mut Resolver<'_>, call: &CallSite<'_>, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    r.resolve_extract(call.name, call.args, scope)
}

/// `time_bucket(bucketSize, time[, origin])`: a constant positive interval,
/// a TIMESTAMP or TIMESTAMP_NTZ, a constant origin of the same type (the
/// epoch by default); see `spark_functions::time_bucket`.
fn time_bucket(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use spark_functions::time_bucket::{BucketSize, SparkTimeBucket};
    let time_type = c.types[1].clone();
    let ntz = matches!(time_type, ArrowType::Timestamp(_, None));
    let origin_name = match c.names.get(2) {
        Some(n) => n.clone(),
        None if ntz => "TIMESTAMP_NTZ '1970-01-01 00:00:00'".to_string(),
        None => "TIMESTAMP '1970-01-01 00:00:00'".to_string(),
    };
    let name = format!("time_bucket({}, {}, {origin_name})", c.names[0], c.names[1]);
    let mismatch = |class: &str, detail: String| crate::ResolveError::analysis(class, "42K09", format!("Cannot resolve \"{name}\" due to data type mismatch: {detail}"), &[]);
    let sql = |t: &ArrowType| crate::types::from_arrow(t).map(|t| t.sql()).unwrap_or_else(|_| t.to_string());
    if !matches!(c.types[0], ArrowType::Duration(_) | ArrowType::Interval(_) | ArrowType::Null) {
        return Err(mismatch("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", format!("The first parameter requires the (\"INTERVAL DAY TO SECOND\" or \"INTERVAL YEAR TO MONTH\") type, however \"{}\" has the type \"{}\".", c.names[0], sql(&c.types[0]))));
    }
    if !matches!(time_type, ArrowType::Timestamp(..) | ArrowType::Null) {
        return Err(mismatch("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", format!("The second parameter requires the \"(TIMESTAMP OR TIMESTAMP WITHOUT TIME ZONE)\" type, however \"{}\" has the type \"{}\".", c.names[1], sql(&time_type))));
    }
    if let Some(t) = c.types.get(2) {
        if t != &time_type && !matches!(t, ArrowType::Null) {
            let want = if ntz { "TIMESTAMP_NTZ" } else { "TIMESTAMP" };
            return Err(mismatch("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", format!("The third parameter requires the \"{want}\" type, however \"{}\" has the type \"{}\".", c.names[2], sql(t))));
        }
    }
    let non_foldable = |input: &str, want: String, got: &str| {
        mismatch("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", format!("the input `{input}` should be a foldable \"{want}\" expression; however, got \"{got}\"."))
    };
    let null = || Ok(Built::new(cast(lit(ScalarValue::Null), if matches!(time_type, ArrowType::Null) { r.session_timestamp() } else { time_type.clone() })).named(name.clone()).nullable(true));
    let size = match c.constant(0) {
        Some(ScalarValue::DurationMicrosecond(Some(v))) => BucketSize::Micros(v),
        Some(ScalarValue::IntervalYearMonth(Some(m))) => BucketSize::Months(m),
        Some(v) if v.is_null() => return null(),
        _ => return Err(non_foldable("bucketSize", sql(&c.types[0]), &c.names[0])),
    };
    if matches!(size, BucketSize::Micros(v) if v <= 0) || matches!(size, BucketSize::Months(m) if m <= 0) {
        return Err(mismatch("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", format!("The `bucketSize` must be between (0, inf) (current value = {}).", c.names[0])));
    }
    let origin = match c.args.get(2) {
        None => 0,
        Some(_) => match c.constant(2) {
            Some(ScalarValue::TimestampMicrosecond(Some(v), _)) => v,
            Some(v) if v.is_null() => return null(),
            _ => return Err(non_foldable("origin", if ntz { "TIMESTAMP_NTZ".into() } else { "TIMESTAMP".into() }, &c.names[2])),
        },
    };
    if matches!(time_type, ArrowType::Null) {
        return null();
    }
    let e = call_udf(SparkTimeBucket::udf(size, origin, &r.config.time_zone), vec![c.arg(1)?]);
    Ok(Built::new(e).named(name).nullable(c.nullable.iter().any(|n| *n)))
}

/// `trunc(date, fmt)`: Spark's levels are the year, quarter, month and
/// week; any other format gives NULL.
fn trunc_date(_: &super::super::resolver::Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    const LEVELS: [&str; 8] = ["year", "yyyy", "yy", "quarter", "month", "mm", "mon", "week"];
    if let Some(v) = c.constant(1) {
        let known = match &v {
            ScalarValue::Utf8(Some(f)) | ScalarValue::Utf8View(Some(f)) | ScalarValue::LargeUtf8(Some(f)) => LEVELS.contains(&f.to_ascii_lowercase().as_str()),
            _ => false,
        };
        if !known {
            return Ok(Built::new(lit(ScalarValue::Date32(None))).nullable(true));
        }
    }
    // A date is midnight UTC as a timestamp; a format outside the levels is NULL.
    let format = DfExpr::Case(datafusion::logical_expr::Case::new(
        None,
        vec![(
            Box::new(DfExpr::InList(datafusion::logical_expr::expr::InList::new(
                Box::new(call_udf(registry_udf("lower")?, vec![c.arg(1)?])),
                LEVELS.iter().map(|l| lit(*l)).collect(),
                false,
            ))),
            Box::new(c.arg(1)?),
        )],
        Some(Box::new(lit(ScalarValue::Utf8(None)))),
    ));
    let midnight = cast(c.arg(0)?, ArrowType::Timestamp(TimeUnit::Microsecond, None));
    let truncated = call_udf(spark_functions::date_trunc::SparkDateTrunc::udf("UTC"), vec![format, midnight]);
    Ok(Built::new(cast(truncated, ArrowType::Date32)).nullable(true))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    vec![
        ("time_bucket", f(Range(2, 3), &[Any, Any, Any], time_bucket)),
        ("extract", unresolved(Exactly(2), extract)),
        ("date_part", unresolved(Exactly(2), extract)),
        ("datepart", unresolved(Exactly(2), extract)),
        ("year", f(Exactly(1), &[Date], |_, c| Ok(Built::new(part(c, "year")?)))),
        ("quarter", f(Exactly(1), &[Date], |_, c| Ok(Built::new(part(c, "quarter")?)))),
        ("month", f(Exactly(1), &[Date], |_, c| Ok(Built::new(part(c, "month")?)))),
        ("day", f(Exactly(1), &[Date], |_, c| Ok(Built::new(part(c, "day")?)))),
        ("dayofmonth", f(Exactly(1), &[Date], |_, c| Ok(Built::new(part(c, "day")?)))),
        ("dayofyear", f(Exactly(1), &[Date], |_, c| Ok(Built::new(part(c, "doy")?)))),
        ("weekofyear", f(Exactly(1), &[Date], |_, c| Ok(Built::new(part(c, "week")?)))),
        ("dayofweek", f(Exactly(1), &[Date], |_, c| Ok(Built::new(binary_expr(part(c, "dow")?, Operator::Plus, lit(1i32)))))),
        ("weekday", f(Exactly(1), &[Date], delegate)),
        ("dayname", f(Exactly(1), &[Date], |_, c| Ok(Built::new(df::to_char(c.arg(0)?, lit("%a")))))),
        ("monthname", f(Exactly(1), &[Date], delegate)),
        ("hour", f(Exactly(1), &[AnyTimestamp], |_, c| Ok(Built::new(part(c, "hour")?)))),
        ("minute", f(Exactly(1), &[AnyTimestamp], |_, c| Ok(Built::new(part(c, "minute")?)))),
        ("second", f(Exactly(1), &[AnyTimestamp], |_, c| Ok(Built::new(part(c, "second")?)))),
        ("last_day", f(Exactly(1), &[Date], delegate)),
        ("timestampadd", f(Exactly(3), &[String, Long, AnyTimestamp], timestamp_add).nullable(Nullable::AnyArgument)),
        ("timestampdiff", f(Exactly(3), &[String, AnyTimestamp, AnyTimestamp], timestamp_diff).nullable(Nullable::AnyArgument)),
        ("next_day", f(Exactly(2), &[Date, String], |r, c| Ok(Built::new(call_udf(spark_functions::next_day::SparkNextDay::udf(r.config.ansi), c.args.clone())).nullable(true)))),
        ("add_months", f(Exactly(2), &[Date, Int], delegate)),
        ("date_add", f(Exactly(2), &[Date, Days], delegate)),
        ("dateadd", f(Exactly(2), &[Date, Days], |_, c| delegate_as(c, "date_add", "date_add"))),
        ("date_sub", f(Exactly(2), &[Date, Days], delegate)),
        ("current_date", f(Exactly(0), &[], |_, _| Ok(Built::new(df::current_date()).named("current_date()")))),
        ("curdate", f(Exactly(0), &[], |_, _| Ok(Built::new(df::current_date()).named("current_date()")))),
        ("make_ym_interval", f(Range(0, 2), &[Int, Int], |_, c| {
            let (args, name) = super::with_defaults(c, &[(lit(0i32), "0"), (lit(0i32), "0")]);
            Ok(Built::new(call_udf(spark_functions::interval_fns::SparkMakeYmInterval::udf(), args)).named(name))
        })),
        ("current_timezone", f(Exactly(0), &[], |r, _| Ok(Built::new(lit(r.config.time_zone.clone())).named("current_timezone()")))),
        ("localtimestamp", f(Range(0, 1), &[Any], |r, c| {
            let wall = call_udf(SparkZoneShift::udf(Direction::InstantToWall, &r.config.time_zone, ""), vec![df::now()]);
            let wall = match nanos_precision(r, c, "TIMESTAMP_NTZ")? {
                true => cast(wall, ArrowType::Timestamp(TimeUnit::Nanosecond, None)),
                false => wall,
            };
            Ok(Built::new(wall).named("localtimestamp()"))
        })),
        ("date_from_unix_date", f(Exactly(1), &[Int], |_, c| Ok(Built::new(cast(c.arg(0)?, ArrowType::Date32))))),
        ("unix_date", f(Exactly(1), &[Date], |_, c| Ok(Built::new(cast(c.arg(0)?, ArrowType::Int32))))),
        ("unix_seconds", f(Exactly(1), &[Timestamp], delegate)),
        ("unix_millis", f(Exactly(1), &[Timestamp], delegate)),
        ("unix_micros", f(Exactly(1), &[Timestamp], delegate)),
        ("timestamp_seconds", f(Exactly(1), &[Any], timestamp_seconds)),
        ("timestamp_millis", f(Exactly(1), &[Long], |r, c| timestamp_scaled(r, c, 1_000))),
        ("timestamp_micros", f(Exactly(1), &[Long], |r, c| timestamp_scaled(r, c, 1))),
        ("make_timestamp", f(Range(1, 7), &[Any, Any, Any, Any, Any, Any, String], |r, c| make_timestamp(r, c, MakeTimestamp::Default, false))),
        ("make_timestamp_ltz", f(Range(2, 7), &[Any, Any, Any, Any, Any, Any, String], |r, c| make_timestamp(r, c, MakeTimestamp::Ltz, false))),
        ("make_timestamp_ntz", f(Range(2, 6), &[Any, Any, Any, Any, Any, Any], |r, c| make_timestamp(r, c, MakeTimestamp::Ntz, false))),
        ("try_make_timestamp", f(Range(1, 7), &[Any, Any, Any, Any, Any, Any, String], |r, c| make_timestamp(r, c, MakeTimestamp::Default, true))),
        ("try_make_timestamp_ltz", f(Range(2, 7), &[Any, Any, Any, Any, Any, Any, String], |r, c| make_timestamp(r, c, MakeTimestamp::Ltz, true))),
        ("try_make_timestamp_ntz", f(Range(2, 6), &[Any, Any, Any, Any, Any, Any], |r, c| make_timestamp(r, c, MakeTimestamp::Ntz, true))),
        ("now", f(Range(0, 1), &[Any], |r, c| current_timestamp(r, c, "now()"))),
        ("current_timestamp", f(Range(0, 1), &[Any], |r, c| current_timestamp(r, c, "current_timestamp()"))),
        ("timestamp_nanos", f(Exactly(1), &[Any], timestamp_nanos)),
        ("unix_nanos", f(Exactly(1), &[Any], unix_nanos)),
        ("date_trunc", f(Exactly(2), &[String, Any], |r, c| {
            // A nanosecond timestamp is truncated as a TIMESTAMP and stays
            // of its type; anything else is read as a TIMESTAMP.
            let nanos = match &c.types[1] {
                ArrowType::Timestamp(TimeUnit::Nanosecond, zone) => Some(ArrowType::Timestamp(TimeUnit::Nanosecond, zone.clone())),
                _ => None,
            };
            let ts = match nanos {
                Some(_) => cast(c.arg(1)?, r.session_timestamp()),
                None => r.implicit_cast(&c.default_name(), 1, c.arg(1)?, &c.types[1], Timestamp, &c.names[1])?.0,
            };
            // An unknown unit gives NULL.
            let truncated = call_udf(spark_functions::date_trunc::SparkDateTrunc::udf(&r.config.time_zone), vec![c.arg(0)?, ts]);
            let truncated = match nanos {
                Some(t) => cast(truncated, t),
                None => truncated,
            };
            Ok(Built::new(truncated).nullable(true))
        })),
        ("from_utc_timestamp", f(Exactly(2), &[Timestamp, String], |r, c| zone_shift(r, c, true))),
        ("to_utc_timestamp", f(Exactly(2), &[Timestamp, String], |r, c| zone_shift(r, c, false))),
        ("make_dt_interval", f(Range(0, 4), &[Int, Int, Int, Any], |_, c| {
            super::delegate_defaults(c, "make_dt_interval", &[
                (lit(0i32), "0"),
                (lit(0i32), "0"),
                (lit(0i32), "0"),
                (lit(ScalarValue::Decimal128(Some(0), 8, 6)), "0.000000"),
            ])
        })),
        ("months_between", f(Range(2, 3), &[Timestamp, Timestamp, Boolean], |r, c| {
            let round_off = match c.args.get(2) {
                None => true,
                Some(DfExpr::Literal(ScalarValue::Boolean(Some(b)), _)) => *b,
                Some(_) => return Err(crate::ResolveError::unsupported("months_between with a non-constant roundOff")),
            };
            let shown = c.names.get(2).cloned().unwrap_or_else(|| "true".into());
            let f = spark_functions::datetime_fns::SparkMonthsBetween::udf(round_off, &r.config.time_zone);
            Ok(Built::new(call_udf(f, vec![c.arg(0)?, c.arg(1)?])).named(format!("months_between({}, {}, {shown})", c.names[0], c.names[1])))
        })),
        ("date_format", f(Exactly(2), &[Any, String], date_format)),
        ("to_timestamp", f(Range(1, 2), &[Any, String], |r, c| parse(r, c, ParseTarget::Timestamp, false))),
        ("to_timestamp_ltz", f(Range(1, 2), &[Any, String], |r, c| parse(r, c, ParseTarget::Timestamp, false))),
        ("try_to_timestamp", f(Range(1, 2), &[Any, String], |r, c| parse(r, c, ParseTarget::Timestamp, true))),
        ("to_timestamp_ntz", f(Range(1, 2), &[Any, String], |r, c| parse(r, c, ParseTarget::TimestampNtz, false))),
        ("to_date", f(Range(1, 2), &[Any, String], |r, c| parse(r, c, ParseTarget::Date, false))),
        ("try_to_date", f(Range(1, 2), &[Any, String], |r, c| parse(r, c, ParseTarget::Date, true))),
        ("unix_timestamp", f(Range(0, 2), &[Any, String], unix_timestamp)),
        ("to_unix_timestamp", f(Range(1, 2), &[Any, String], unix_timestamp)),
        ("from_unixtime", f(Range(1, 2), &[Long, String], from_unixtime)),
        ("datediff", f(Exactly(2), &[Date, Date], datediff)),
        ("date_diff", f(Exactly(2), &[Date, Date], datediff)),
        ("convert_timezone", f(Range(2, 3), &[String, Any, Any], convert_timezone)),
        // Kernels called as they are.
        ("make_date", f(Exactly(3), &[Int, Int, Int], |r, c| Ok(Built::new(call_udf(spark_functions::make_date::SparkMakeDate::udf(r.config.ansi), c.args.clone())).nullable(!r.config.ansi || c.nullable.iter().any(|n| *n))))),
        ("make_interval", datafusion_spark(Range(0, 7), &[], "make_interval")),
        // The kernel gives NULL on overflow, which is the `try_` form.
        ("try_make_interval", datafusion_spark(Range(0, 7), &[], "make_interval").nullable(Nullable::Always)),
        ("trunc", f(Exactly(2), &[Date, String], trunc_date)),
    ]
}
