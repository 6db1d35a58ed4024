//! `timestampadd(unit, quantity, ts)` and `timestampdiff(unit, start, end)`
//! (also `dateadd`, `datediff`, `date_diff` with a unit), as Spark's
//! `DateTimeUtils.timestampAdd` / `timestampDiff`: units up to HOUR are exact
//! amounts of time to add; DAY, WEEK, MONTH, QUARTER and YEAR move the
//! wall-clock time in the session time zone (none for TIMESTAMP_NTZ), and
//! differences of any unit count whole units between the wall-clock times,
//! as java.time's `ChronoUnit.between` does.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, Int64Type, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::time_zone::{ZoneKind, parse_zone};

const MICROS_PER_DAY: i64 = 86_400_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DatetimeUnit {
    Microsecond,
    Millisecond,
    Second,
    Minute,
    Hour,
    Day,
    /// The same as DAY for these functions.
    DayOfYear,
    Week,
    Month,
    Quarter,
    Year,
}

impl DatetimeUnit {
    /// A unit as Spark's parser reads it (any case).
    pub fn parse(name: &str) -> Option<Self> {
        use DatetimeUnit::*;
        Some(match name.to_ascii_uppercase().as_str() {
            "MICROSECOND" => Microsecond,
            "MILLISECOND" => Millisecond,
            "SECOND" => Second,
            "MINUTE" => Minute,
            "HOUR" => Hour,
            "DAY" => Day,
            "DAYOFYEAR" => DayOfYear,
            "WEEK" => Week,
            "MONTH" => Month,
            "QUARTER" => Quarter,
            "YEAR" => Year,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        use DatetimeUnit::*;
        match self {
            Microsecond => "MICROSECOND",
            Millisecond => "MILLISECOND",
            Second => "SECOND",
            Minute => "MINUTE",
            Hour => "HOUR",
            Day => "DAY",
            DayOfYear => "DAYOFYEAR",
            Week => "WEEK",
            Month => "MONTH",
            Quarter => "QUARTER",
            Year => "YEAR",
        }
    }

    /// Microseconds of a unit of fixed length (up to HOUR).
    fn exact_micros(self) -> Option<i64> {
        use DatetimeUnit::*;
        match self {
            Microsecond => Some(1),
            Millisecond => Some(1_000),
            Second => Some(1_000_000),
            Minute => Some(60_000_000),
            Hour => Some(3_600_000_000),
            _ => None,
        }
    }
}

/// Where wall-clock time is read: a time zone for TIMESTAMP, none (the
/// value is the wall-clock time) for TIMESTAMP_NTZ.
#[derive(Debug, Clone, Copy)]
struct Clock(Option<ZoneKind>);

impl Clock {
    fn wall(self, micros: i64) -> Option<i64> {
        match self.0 {
            Some(z) => z.instant_to_wall(micros),
            None => Some(micros),
        }
    }

    fn instant(self, wall: i64) -> Option<i64> {
        match self.0 {
            Some(z) => z.wall_to_instant(wall),
            None => Some(wall),
        }
    }
}

fn naive(wall: i64) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp_micros(wall).map(|t| t.naive_utc())
}

/// `micros` plus `quantity` units, or None on overflow.
fn add(unit: DatetimeUnit, quantity: i64, micros: i64, clock: Clock) -> Option<i64> {
    use DatetimeUnit::*;
    if let Some(step) = unit.exact_micros() {
        return micros.checked_add(quantity.checked_mul(step)?);
    }
    let wall = clock.wall(micros)?;
    let moved = match unit {
        Day | DayOfYear | Week => {
            let days = if unit == Week { quantity.checked_mul(7)? } else { quantity };
            wall.checked_add(days.checked_mul(MICROS_PER_DAY)?)?
        }
        _ => {
            let months = match unit {
                Quarter => quantity.checked_mul(3)?,
                Year => quantity.checked_mul(12)?,
                _ => quantity,
            };
            let t = naive(wall)?;
            let date = crate::sequence::add_months(t.date(), months)?;
            // Beyond Spark's range of years the result overflows.
            if !(-290_308..=294_247).contains(&date.year()) {
                return None;
            }
            date.and_time(t.time()).and_utc().timestamp_micros()
        }
    };
    clock.instant(moved)
}

/// Whole units from `start` to `end` (toward zero), as
/// `ChronoUnit.between` of the two wall-clock times.
fn diff(unit: DatetimeUnit, start: i64, end: i64, clock: Clock) -> Option<i64> {
    use DatetimeUnit::*;
    // Even hours are counted on the wall clock (24 across a DST change).
    let (s, e) = (clock.wall(start)?, clock.wall(end)?);
    if let Some(step) = unit.exact_micros() {
        return Some(e.checked_sub(s)? / step);
    }
    match unit {
        Day | DayOfYear => Some((e - s) / MICROS_PER_DAY),
        Week => Some((e - s) / (7 * MICROS_PER_DAY)),
        _ => {
            let months = months_between(naive(s)?, naive(e)?);
            Some(match unit {
                Quarter => months / 3,
                Year => months / 12,
                _ => months,
            })
        }
    }
}

/// `LocalDateTime.until(end, MONTHS)`: the end date moves a day back
/// (forward) when its time of day has not reached the start's, then whole
/// months between the dates.
fn months_between(start: NaiveDateTime, end: NaiveDateTime) -> i64 {
    let mut end_date = end.date();
    if end_date > start.date() && end.time() < start.time() {
        end_date = end_date.pred_opt().unwrap_or(end_date);
    } else if end_date < start.date() && end.time() > start.time() {
        end_date = end_date.succ_opt().unwrap_or(end_date);
    }
    let key = |d: NaiveDate| (i64::from(d.year()) * 12 + i64::from(d.month0())) * 32 + i64::from(d.day());
    (key(end_date) - key(start.date())) / 32
}

/// How a timestamp prints in Spark's error messages.
fn timestamp_sql(micros: i64, clock: Clock) -> String {
    let shown = clock.wall(micros).and_then(naive).map(|t| {
        let base = t.format("%Y-%m-%d %H:%M:%S").to_string();
        let frac = t.nanosecond() / 1000;
        if frac == 0 { base } else { format!("{base}.{}", format!("{frac:06}").trim_end_matches('0')) }
    });
    let kind = if clock.0.is_some() { "TIMESTAMP" } else { "TIMESTAMP_NTZ" };
    format!("{kind} '{}'", shown.unwrap_or_else(|| micros.to_string()))
}

fn overflow(unit: DatetimeUnit, quantity: i64, micros: i64, clock: Clock) -> datafusion::error::DataFusionError {
    let operation = format!("add {quantity}L {} to {}", unit.name(), timestamp_sql(micros, clock));
    SparkRuntimeError::new(RuntimeKind::Arithmetic, "DATETIME_OVERFLOW", "22008", format!("Datetime operation overflow: {operation}."))
        .param("operation", operation)
        .into_df()
}

fn clock_of(t: &DataType) -> Result<Clock> {
    match t {
        DataType::Timestamp(TimeUnit::Microsecond, Some(zone)) => match parse_zone(zone) {
            Some(z) => Ok(Clock(Some(z))),
            None => exec_err!("unknown time zone {zone}"),
        },
        DataType::Timestamp(TimeUnit::Microsecond, None) => Ok(Clock(None)),
        other => exec_err!("timestampadd/timestampdiff expect microsecond timestamps, not {other}"),
    }
}

/// `timestampadd(unit, quantity BIGINT, ts)`: a timestamp of `ts`'s type.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkTimestampAdd {
    signature: Signature,
    unit: DatetimeUnit,
}

impl SparkTimestampAdd {
    pub fn udf(unit: DatetimeUnit) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), unit }))
    }
}

impl ScalarUDFImpl for SparkTimestampAdd {
    fn name(&self) -> &str {
        "spark_timestampadd"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.get(1) {
            Some(t) => Ok(t.clone()),
            None => exec_err!("timestampadd expects two arguments"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let [quantity, ts] = arrays.as_slice() else { return exec_err!("timestampadd expects two arguments") };
        let zone_type = ts.data_type().clone();
        let clock = clock_of(&zone_type)?;
        let (quantity, ts) = (quantity.as_primitive::<Int64Type>(), ts.as_primitive::<TimestampMicrosecondType>());
        let mut out = Vec::with_capacity(ts.len());
        for i in 0..ts.len() {
            if quantity.is_null(i) || ts.is_null(i) {
                out.push(None);
                continue;
            }
            let (q, t) = (quantity.value(i), ts.value(i));
            match add(self.unit, q, t, clock) {
                Some(v) => out.push(Some(v)),
                None => return Err(overflow(self.unit, q, t, clock)),
            }
        }
        let zone = match &zone_type {
            DataType::Timestamp(_, z) => z.clone(),
            _ => None,
        };
        crate::columnar(Arc::new(TimestampMicrosecondArray::from(out).with_timezone_opt(zone)) as ArrayRef, scalar)
    }
}

/// `timestampdiff(unit, start, end)`: BIGINT, both timestamps of one type.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkTimestampDiff {
    signature: Signature,
    unit: DatetimeUnit,
}

impl SparkTimestampDiff {
    pub fn udf(unit: DatetimeUnit) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), unit }))
    }
}

impl ScalarUDFImpl for SparkTimestampDiff {
    fn name(&self) -> &str {
        "spark_timestampdiff"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let [start, end] = arrays.as_slice() else { return exec_err!("timestampdiff expects two arguments") };
        let clock = clock_of(start.data_type())?;
        let (start, end) = (start.as_primitive::<TimestampMicrosecondType>(), end.as_primitive::<TimestampMicrosecondType>());
        let out: Int64Array = (0..start.len())
            .map(|i| if start.is_null(i) || end.is_null(i) { None } else { diff(self.unit, start.value(i), end.value(i), clock) })
            .collect();
        crate::columnar(Arc::new(out) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> i64 {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").map(|t| t.and_utc().timestamp_micros()).unwrap_or(i64::MIN)
    }

    #[test]
    fn adds_units_on_the_wall_clock() {
        let utc = Clock(None);
        assert_eq!(add(DatetimeUnit::Month, 1, at("2024-01-31 10:00:00"), utc), Some(at("2024-02-29 10:00:00")));
        assert_eq!(add(DatetimeUnit::Year, -1, at("2024-02-29 00:00:00"), utc), Some(at("2023-02-28 00:00:00")));
        assert_eq!(add(DatetimeUnit::Week, 2, at("2024-01-01 00:00:00"), utc), Some(at("2024-01-15 00:00:00")));
        assert_eq!(add(DatetimeUnit::Year, 1_000_000, at("2024-01-01 00:00:00"), utc), None);
        // A day across a DST change keeps the wall-clock time; 24 hours do not.
        let la = Clock(parse_zone("America/Los_Angeles"));
        let noon = la.instant(at("2024-03-09 12:00:00")).unwrap_or(0);
        assert_eq!(la.wall(add(DatetimeUnit::Day, 1, noon, la).unwrap_or(0)), Some(at("2024-03-10 12:00:00")));
        assert_eq!(la.wall(add(DatetimeUnit::Hour, 24, noon, la).unwrap_or(0)), Some(at("2024-03-10 13:00:00")));
    }

    #[test]
    fn counts_whole_units_toward_zero() {
        let utc = Clock(None);
        assert_eq!(diff(DatetimeUnit::Month, at("2024-01-31 10:00:00"), at("2024-02-29 09:00:00"), utc), Some(0));
        assert_eq!(diff(DatetimeUnit::Month, at("2024-01-31 00:00:00"), at("2024-02-29 00:00:00"), utc), Some(0));
        assert_eq!(diff(DatetimeUnit::Year, at("2020-02-29 00:00:00"), at("2024-02-28 00:00:00"), utc), Some(3));
        assert_eq!(diff(DatetimeUnit::Hour, at("2024-01-01 10:00:00"), at("2024-01-01 00:30:00"), utc), Some(-9));
        assert_eq!(diff(DatetimeUnit::Day, at("2024-01-01 00:00:00"), at("2024-01-02 12:00:00"), utc), Some(1));
    }
}
