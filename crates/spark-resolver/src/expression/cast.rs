//! `CAST(x AS type)`, `try_cast`, `col.cast("type")`.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::logical_expr::{Cast, Expr as DfExpr, TryCast};
use spark_plan::{CastMode, DataType, Expr};

use super::ResolvedExpr;
use super::cast_rules::CastRules;
use crate::resolver::Resolver;
use crate::types::to_arrow;
use crate::{ResolveResult, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_cast(
        &mut self,
        expr: &Expr,
        to: &DataType,
        mode: CastMode,
        explicit: bool,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        if matches!(to, DataType::Time(_)) {
            return Err(crate::functions::unsupported_time_type());
        }
        let inner = self.resolve_expr(expr, scope)?;
        let from = self.spark_type(&inner.expr, scope)?;
        let nullable = mode == CastMode::Try || self.is_nullable(&inner, scope) || force_nullable(&from, to);
        let target = to_arrow(to, &self.config.time_zone)?;
        let ansi = match mode {
            CastMode::Default => self.config.ansi,
            CastMode::Ansi | CastMode::StoreAssignment => true,
            CastMode::Legacy | CastMode::Try => false,
        };
        let source = self.arrow_type(&inner.expr, scope)?;
        let e = if from == DataType::Variant && *to != DataType::Variant {
            // Out of a variant: INVALID_VARIANT_CAST (even with ANSI off), NULL for TRY_CAST.
            let f = spark_functions::variant::functions::VariantGet::udf("cast", target.clone(), mode != CastMode::Try, &self.config.time_zone);
            crate::functions::call_udf(f, vec![inner.expr.clone()])
        } else if *to == DataType::Variant && from != DataType::Variant {
            crate::functions::call_udf(spark_functions::variant::functions::ToVariant::udf("cast"), vec![inner.expr.clone()])
        } else if *to == DataType::CalendarInterval && from.is_string() {
            // Spark reads text as an interval with NULL for anything else, whatever the mode.
            crate::functions::call_udf(spark_functions::interval_parse::StringToInterval::udf(), vec![inner.expr.clone()])
        } else if let Some(e) = self.timestamp_to_string(&inner.expr, &source, &target) {
            e
        } else if let (true, DataType::YearMonthInterval { start, end } | DataType::DayTimeInterval { start, end }) = (to.is_string(), &from) {
            crate::functions::call_udf(spark_functions::interval_text::IntervalToString::udf(*start, *end), vec![inner.expr.clone()])
        } else if to.is_string() && from == DataType::CalendarInterval {
            crate::functions::call_udf(spark_functions::interval_text::IntervalToString::udf(0, 0), vec![inner.expr.clone()])
        } else if to.is_string() && matches!(from, DataType::Array { .. } | DataType::Map { .. } | DataType::Struct(_) | DataType::Float | DataType::Double) {
            // Doubles as Java prints them (`1.0E-5`), nested values as Spark does.
            let f = spark_functions::value_text::CastToString::udf(&self.config.time_zone);
            crate::functions::call_udf(f, vec![inner.expr.clone()])
        } else if let Some(e) = scaled_cast(&inner.expr, &from, to, &target) {
            e
        } else if !ansi && from == DataType::Date && (to.is_numeric() || *to == DataType::Boolean) {
            // Legacy mode: a date is no number or truth value.
            DfExpr::Literal(datafusion::common::ScalarValue::try_from(&target)?, None)
        } else if ansi && from.is_numeric() && matches!(to, DataType::Byte | DataType::Short | DataType::Integer | DataType::Long) && from != *to {
            let report = if mode == CastMode::StoreAssignment {
                spark_functions::checked_cast::OverflowReport::TableInsert { column: inner.name.clone() }
            } else {
                spark_functions::checked_cast::OverflowReport::Cast
            };
            let f = spark_functions::checked_cast::SparkCheckedCast::udf(target.clone(), &from.sql(), &to.sql(), report);
            crate::functions::call_udf(f, vec![inner.expr.clone()])
        } else if !ansi && mode != CastMode::Try && from.is_numeric() && matches!(to, DataType::Byte | DataType::Short | DataType::Integer | DataType::Long) && from != *to {
            // Without ANSI mode numbers narrow as the JVM does (wrapping), never to NULL.
            crate::functions::call_udf(spark_functions::wrapping_cast::SparkWrappingCast::udf(target.clone()), vec![inner.expr.clone()])
        } else if let (true, true, DataType::Decimal { precision, scale }) = (ansi, from.is_numeric(), to) {
            // A number that does not fit the precision is Spark's error, not Arrow's.
            let f = spark_functions::decimal_cast::SparkDecimalCheckedCast::udf(*precision, *scale);
            crate::functions::call_udf(f, vec![inner.expr.clone(), DfExpr::TryCast(TryCast::new(Box::new(inner.expr.clone()), target.clone()))])
        } else if from.is_string() && spark_functions::string_cast::SparkStringCast::handles(&target) {
            let f = if !ansi && mode != CastMode::Try {
                spark_functions::string_cast::SparkStringCast::legacy(target.clone(), &to.sql())
            } else {
                spark_functions::string_cast::SparkStringCast::udf(target.clone(), &to.sql(), ansi)
            };
            crate::functions::call_udf(f, vec![inner.expr.clone()])
        } else {
            // Structs cast by position: their fields take the target's names first.
            let value = match spark_functions::struct_relabel::relabeled_type(&source, &target) {
                Some(t) => crate::functions::call_udf(spark_functions::struct_relabel::SparkRelabel::udf(t), vec![inner.expr]),
                // A wall-clock time read in the session zone as Java reads it
                // (a time a DST gap skips moves forward; Arrow's cast fails).
                None if from == DataType::TimestampNtz && *to == DataType::Timestamp => {
                    let zone = &self.config.time_zone;
                    let f = spark_functions::time_zone::SparkZoneShift::udf(spark_functions::time_zone::Direction::WallToInstant, zone, zone);
                    crate::functions::call_udf(f, vec![inner.expr])
                }
                // Arrow casts no decimal to BOOLEAN; as a DOUBLE it keeps
                // whether it is zero (the smallest decimal fits a double).
                None if matches!(from, DataType::Decimal { .. }) && *to == DataType::Boolean => {
                    DfExpr::Cast(Cast::new(Box::new(inner.expr), datafusion::arrow::datatypes::DataType::Float64))
                }
                None => inner.expr,
            };
            if ansi { DfExpr::Cast(Cast::new(Box::new(value), target)) } else { DfExpr::TryCast(TryCast::new(Box::new(value), target)) }
        };
        let prefix = if mode == CastMode::Try { "TRY_CAST" } else { "CAST" };
        // Spark prints user casts, except to complex types (`array(1)`).
        let complex = matches!(to, DataType::Array { .. } | DataType::Map { .. } | DataType::Struct(_));
        // `v:a::int` keeps the extraction's name.
        let name = if matches!(expr, Expr::VariantExtract { .. }) {
            inner.name
        } else if (explicit || mode == CastMode::Try) && !complex {
            format!("{prefix}({} AS {})", inner.name, to.sql())
        } else {
            inner.name
        };
        let rules = match mode {
            CastMode::Try => CastRules::Try,
            _ if ansi => CastRules::Ansi,
            _ => CastRules::Legacy,
        };
        if !rules.allows(&from, to) {
            return Err(super::cast_rules::refused(&from, to, rules, &name));
        }
        // An interval type names its fields (`CAST(x AS INTERVAL SECOND)`).
        let e = crate::functions::interval_math::keep_fields(e, to);
        Ok(ResolvedExpr::new(e, name).with_nullable(nullable))
    }
}

impl Resolver<'_> {
    /// A timestamp cast to STRING in Spark's text form (Arrow's is ISO 8601).
    pub(crate) fn timestamp_to_string(&self, e: &DfExpr, from: &datafusion::arrow::datatypes::DataType, to: &datafusion::arrow::datatypes::DataType) -> Option<DfExpr> {
        use datafusion::arrow::datatypes::DataType as A;
        let A::Timestamp(_, tz) = from else { return None };
        if !matches!(to, A::Utf8 | A::LargeUtf8 | A::Utf8View) {
            return None;
        }
        let zone = tz.as_ref().map(|_| self.config.time_zone.as_str());
        let f = spark_functions::timestamp_string::SparkTimestampString::udf(zone);
        Some(crate::functions::call_udf(f, vec![e.clone()]))
    }
}

/// Microseconds in one `unit` of a day-time interval (0 day, 1 hour, 2
/// minute, 3 second).
fn unit_micros(unit: u8) -> i64 {
    match unit {
        0 => 86_400_000_000,
        1 => 3_600_000_000,
        2 => 60_000_000,
        _ => 1_000_000,
    }
}

/// Casts between numbers and values counted in microseconds, which Spark
/// counts in units: a number cast to an ANSI interval counts units of the
/// interval's last field (`CAST(3 AS INTERVAL DAY)` is 3 days) and an
/// interval cast to a number counts those units in it; a number cast to a
/// TIMESTAMP counts seconds since the epoch, and a TIMESTAMP cast to a
/// number gives them (whole seconds, rounded down, for integers).
fn scaled_cast(e: &DfExpr, from: &DataType, to: &DataType, target: &ArrowType) -> Option<DfExpr> {
    use datafusion::logical_expr::{Operator, binary_expr, lit};
    let micros = ArrowType::Duration(datafusion::arrow::datatypes::TimeUnit::Microsecond);
    let cast = |e: DfExpr, t: ArrowType| DfExpr::Cast(Cast::new(Box::new(e), t));
    let integral = |t: &DataType| matches!(t, DataType::Byte | DataType::Short | DataType::Integer | DataType::Long);
    match (from, to) {
        (a, DataType::DayTimeInterval { end, .. }) if a.is_numeric() => {
            let scaled = binary_expr(cast(e.clone(), ArrowType::Int64), Operator::Multiply, lit(unit_micros(*end)));
            Some(cast(scaled, micros))
        }
        (DataType::DayTimeInterval { end, .. }, b) if b.is_numeric() => {
            let units = binary_expr(cast(e.clone(), ArrowType::Int64), Operator::Divide, lit(unit_micros(*end)));
            Some(cast(units, target.clone()))
        }
        (a, DataType::Timestamp) if integral(a) => {
            let scaled = binary_expr(cast(e.clone(), ArrowType::Int64), Operator::Multiply, lit(1_000_000i64));
            Some(cast(scaled, target.clone()))
        }
        (a, DataType::Timestamp) if a.is_numeric() => {
            let scaled = binary_expr(cast(e.clone(), ArrowType::Float64), Operator::Multiply, lit(1_000_000f64));
            Some(cast(cast(scaled, ArrowType::Int64), target.clone()))
        }
        (DataType::Timestamp, b) if integral(b) => {
            let us = cast(e.clone(), ArrowType::Int64);
            // Rounded down: -1 µs is second -1.
            let below = binary_expr(
                binary_expr(binary_expr(us.clone(), Operator::Modulo, lit(1_000_000i64)), Operator::Plus, lit(1_000_000i64)),
                Operator::Modulo,
                lit(1_000_000i64),
            );
            let seconds = binary_expr(binary_expr(us, Operator::Minus, below), Operator::Divide, lit(1_000_000i64));
            Some(cast(seconds, target.clone()))
        }
        (DataType::Timestamp, b) if b.is_numeric() => {
            let seconds = binary_expr(cast(cast(e.clone(), ArrowType::Int64), ArrowType::Float64), Operator::Divide, lit(1_000_000f64));
            Some(cast(seconds, target.clone()))
        }
        _ => None,
    }
}

/// Spark's `Cast.forceNullable`: casts that can fail and yield NULL.
/// Whether a cast can give NULL for a non-NULL value (Spark's `Cast.forceNullable`).
pub(crate) fn force_nullable(from: &DataType, to: &DataType) -> bool {
    use DataType as T;
    let integral = |t: &DataType| matches!(t, T::Byte | T::Short | T::Integer | T::Long);
    match (from, to) {
        (T::Null, _) => false,
        (a, b) if a == b => false,
        // A variant null is a SQL NULL.
        (T::Variant, _) => true,
        (a, T::Binary) if a.is_string() => false,
        (a, _) if a.is_string() => true,
        (_, b) if b.is_string() => false,
        (T::Float | T::Double, T::Timestamp) => true,
        (T::Timestamp, T::Byte | T::Short | T::Integer) => true,
        (T::Timestamp, T::Date) => false,
        (_, T::Date) => true,
        (T::Date, T::TimestampNtz | T::Timestamp) => false,
        (T::Date, _) => true,
        (_, T::CalendarInterval) => true,
        (a, T::Decimal { precision, scale }) => !decimal_can_hold(a, *precision, *scale),
        (T::Float | T::Double | T::Decimal { .. }, b) if integral(b) => true,
        _ => false,
    }
}

fn decimal_can_hold(from: &DataType, precision: u8, scale: i8) -> bool {
    let whole = precision as i16 - scale as i16;
    match from {
        DataType::Byte => whole >= 3,
        DataType::Short => whole >= 5,
        DataType::Integer => whole >= 10,
        DataType::Long => whole >= 20,
        // Spark's canNullSafeCastToDecimal: more whole digits, whatever the
        // scale (rounding the fraction cannot overflow then).
        DataType::Decimal { precision: p, scale: s } => whole > (*p as i16 - *s as i16),
        DataType::Boolean => whole >= 1,
        _ => false,
    }
}
