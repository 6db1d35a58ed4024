//! Spark's implicit casts of function arguments (`ImplicitCastInputTypes`)
//! and the DATATYPE_MISMATCH errors for arguments that cannot be cast.

use datafusion::arrow::datatypes::{DataType as ArrowType, TimeUnit};
use datafusion::logical_expr::Expr as DfExpr;

use super::{call_udf, cast};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

/// The type an argument is implicitly cast to before the function sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum In {
    /// Taken as it is.
    Any,
    Date,
    /// `TIMESTAMP` in the session time zone (dates and strings are cast).
    Timestamp,
    /// Any timestamp as it is (`TIMESTAMP_NTZ` stays); strings and dates
    /// become session-zone timestamps.
    AnyTimestamp,
    String,
    Int,
    Long,
    Double,
    Boolean,
    /// Any number as it is; strings become DOUBLE.
    Numeric,
    /// Numbers and ANSI intervals as they are; strings become DOUBLE
    /// (`sum`, `avg`).
    NumericOrInterval,
    /// Integers as they are (`bit_and`).
    Integral,
    /// A number of days: INT, SMALLINT or TINYINT, or a string read as
    /// INT (`date_add`); wider numbers are refused.
    Days,
}

fn is_ansi_interval(t: &ArrowType) -> bool {
    matches!(t, ArrowType::Interval(datafusion::arrow::datatypes::IntervalUnit::YearMonth) | ArrowType::Duration(_))
}

pub(crate) fn is_string(t: &ArrowType) -> bool {
    matches!(t, ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View)
}

pub(crate) fn is_numeric(t: &ArrowType) -> bool {
    t.is_numeric()
}

impl Resolver<'_> {
    pub(crate) fn session_timestamp(&self) -> ArrowType {
        ArrowType::Timestamp(TimeUnit::Microsecond, Some(self.config.time_zone.clone().into()))
    }

    /// Casts `e` of type `t` to the declared input type, as Spark's implicit
    /// casts do, or reports Spark's DATATYPE_MISMATCH.
    pub(crate) fn implicit_cast(&self, function: &str, pos: usize, e: DfExpr, t: &ArrowType, want: In, shown: &str) -> ResolveResult<(DfExpr, ArrowType)> {
        let target = match want {
            In::Any => return Ok((e, t.clone())),
            In::Numeric | In::NumericOrInterval | In::Integral => {
                let as_is = t.is_null()
                    || match want {
                        In::Integral => t.is_integer(),
                        In::NumericOrInterval => is_numeric(t) || is_ansi_interval(t),
                        _ => is_numeric(t),
                    };
                if as_is {
                    return Ok((e, t.clone()));
                }
                if want == In::Integral || !is_string(t) {
                    return Err(type_mismatch(function, pos, shown, t, want));
                }
                ArrowType::Float64
            }
            In::Date => ArrowType::Date32,
            In::Timestamp => self.session_timestamp(),
            In::AnyTimestamp if matches!(t, ArrowType::Timestamp(..)) => return Ok((e, t.clone())),
            In::AnyTimestamp => self.session_timestamp(),
            In::String => ArrowType::Utf8,
            In::Int | In::Days => ArrowType::Int32,
            In::Long => ArrowType::Int64,
            In::Double => ArrowType::Float64,
            In::Boolean => ArrowType::Boolean,
        };
        if t == &target {
            return Ok((e, target));
        }
        if want == In::Days && !self.config.ansi {
            check_days_literal(function, &e)?;
        }
        // Spark's TIME type is disabled by default: functions that read a
        // timestamp refuse TIME values.
        if matches!(t, ArrowType::Time32(_) | ArrowType::Time64(_)) && matches!(want, In::Timestamp | In::AnyTimestamp) {
            return Err(super::unsupported_time_type());
        }
        let ok = t.is_null()
            || match want {
                In::Any => true,
                In::Date => is_string(t) || matches!(t, ArrowType::Timestamp(..)),
                In::Timestamp | In::AnyTimestamp => is_string(t) || matches!(t, ArrowType::Date32 | ArrowType::Timestamp(..)),
                In::String => is_numeric(t) || matches!(t, ArrowType::Date32 | ArrowType::Timestamp(..) | ArrowType::Boolean | ArrowType::Binary),
                In::Int | In::Long | In::Double | In::Numeric | In::NumericOrInterval => is_numeric(t) || is_string(t),
                In::Integral => false,
                In::Days => is_string(t) || matches!(t, ArrowType::Int8 | ArrowType::Int16),
                In::Boolean => is_string(t),
            };
        if !ok {
            return Err(type_mismatch(function, pos, shown, t, want));
        }
        Ok((self.spark_cast(e, t, &target), target))
    }

    /// A cast with Spark's meaning where Arrow's differs: between wall-clock
    /// times (`TIMESTAMP_NTZ`, `DATE`) and instants (`TIMESTAMP`), Spark moves
    /// through the session time zone; Arrow keeps the stored value.
    pub(crate) fn spark_cast(&self, e: DfExpr, from: &ArrowType, to: &ArrowType) -> DfExpr {
        use spark_functions::time_zone::{Direction, SparkZoneShift};
        let zone = self.config.time_zone.clone();
        let ntz = ArrowType::Timestamp(TimeUnit::Microsecond, None);
        match (from, to) {
            (ArrowType::Timestamp(_, None), ArrowType::Timestamp(_, Some(out))) => {
                call_udf(SparkZoneShift::udf(Direction::WallToInstant, &zone, out), vec![e])
            }
            (ArrowType::Date32, ArrowType::Timestamp(_, Some(out))) => {
                call_udf(SparkZoneShift::udf(Direction::WallToInstant, &zone, out), vec![cast(e, ntz)])
            }
            (ArrowType::Timestamp(_, Some(_)), ArrowType::Timestamp(_, None)) => {
                call_udf(SparkZoneShift::udf(Direction::InstantToWall, &zone, ""), vec![e])
            }
            (ArrowType::Timestamp(_, Some(_)), ArrowType::Date32) => {
                cast(call_udf(SparkZoneShift::udf(Direction::InstantToWall, &zone, ""), vec![e]), ArrowType::Date32)
            }
            (ArrowType::Timestamp(..), _) => self.timestamp_to_string(&e, from, to).unwrap_or_else(|| cast(e, to.clone())),
            // Doubles written as Java writes them (`1.0E-5`).
            (ArrowType::Float32 | ArrowType::Float64, to) if is_string(to) => {
                call_udf(spark_functions::value_text::CastToString::udf(&self.config.time_zone), vec![e])
            }
            // Text read as Spark reads it (its date and timestamp forms,
            // whitespace ignored, CAST_INVALID_INPUT under ANSI).
            (from, to) if is_string(from) && spark_functions::string_cast::SparkStringCast::handles(to) => {
                let sql = crate::types::from_arrow(to).map(|t| t.sql()).unwrap_or_default();
                call_udf(spark_functions::string_cast::SparkStringCast::udf(to.clone(), &sql, self.config.ansi), vec![e])
            }
            _ => cast(e, to.clone()),
        }
    }
}

fn in_sql(want: In) -> &'static str {
    match want {
        In::Any => "ANY",
        In::Date => "\"DATE\"",
        In::Timestamp | In::AnyTimestamp => "\"TIMESTAMP\"",
        In::String => "\"STRING\"",
        In::Int => "\"INT\"",
        In::Days => "(\"INT\" or \"SMALLINT\" or \"TINYINT\")",
        In::Long => "\"BIGINT\"",
        In::Double => "\"DOUBLE\"",
        In::Boolean => "\"BOOLEAN\"",
        In::Numeric => "\"NUMERIC\"",
        In::NumericOrInterval => "\"NUMERIC\" or \"ANSI INTERVAL\"",
        In::Integral => "\"INTEGRAL\"",
    }
}

/// Without ANSI mode, a string literal of days must read as an integer,
/// which Spark checks when it analyzes the call
/// (SECOND_FUNCTION_ARGUMENT_NOT_INTEGER); with it, the cast fails.
fn check_days_literal(function: &str, e: &DfExpr) -> ResolveResult<()> {
    let text = match e {
        DfExpr::Literal(datafusion::common::ScalarValue::Utf8(Some(s)) | datafusion::common::ScalarValue::Utf8View(Some(s)), _) => s,
        _ => return Ok(()),
    };
    if text.trim().parse::<i32>().is_ok() {
        return Ok(());
    }
    let name = function.split('(').next().unwrap_or(function).to_string();
    Err(ResolveError::analysis(
        "SECOND_FUNCTION_ARGUMENT_NOT_INTEGER",
        "22023",
        format!("The second argument of {name} function needs to be an integer."),
        &[("functionName", name)],
    ))
}

pub(crate) fn type_mismatch(function: &str, pos: usize, shown: &str, t: &ArrowType, want: In) -> ResolveError {
    type_mismatch_sql(function, pos, shown, t, in_sql(want))
}

/// Spark's `DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE` for argument `pos`
/// (from 0), which requires the type written `required` (`"ARRAY<FLOAT>"`).
pub(crate) fn type_mismatch_sql(function: &str, pos: usize, shown: &str, t: &ArrowType, required: &str) -> ResolveError {
    let actual = crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_else(|_| format!("{t}"));
    let ordinal = ordinal(pos + 1);
    ResolveError::analysis(
        "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
        "42K09",
        format!(
            "Cannot resolve \"{function}\" due to data type mismatch: The {ordinal} parameter requires the {required} type, however \"{shown}\" has the type \"{actual}\".",
        ),
        &[
            ("sqlExpr", format!("\"{function}\"")),
            ("paramIndex", ordinal.clone()),
            ("inputSql", format!("\"{shown}\"")),
            ("inputType", format!("\"{actual}\"")),
            ("requiredType", required.to_string()),
        ],
    )
}

fn ordinal(n: usize) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        5 => "fifth".into(),
        n => format!("{n}th"),
    }
}

