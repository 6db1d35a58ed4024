//! `make_timestamp(year, month, day, hour, minute, seconds)`'s wall time:
//! each field checked as `java.time` checks it (Spark's
//! DATETIME_FIELD_OUT_OF_BOUNDS, and INVALID_FRACTION_OF_SECOND for
//! seconds past 60), seconds of exactly 60 rolling into the next minute.
//! Invalid fields give NULL when the call does not fail (ANSI off, `try_`).
//! Seconds arrive as DECIMAL(16, 6), i.e. whole microseconds.

use std::sync::Arc;

use chrono::NaiveDate;
use datafusion::arrow::array::{Array, AsArray, TimestampMicrosecondArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Int32Type, TimeUnit};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

const MICROS_PER_SECOND: i64 = 1_000_000;

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMakeTimestamp {
    signature: Signature,
    fail_on_error: bool,
}

impl SparkMakeTimestamp {
    pub fn udf(fail_on_error: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(6, Volatility::Immutable), fail_on_error }))
    }
}

fn out_of_bounds(message: String) -> SparkRuntimeError {
    SparkRuntimeError::new(RuntimeKind::DateTime, "DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION", "22023", format!("{message}. "))
        .param("rangeMessage", message)
}

fn field(name: &str, value: i32, low: i32, high: i32) -> Result<(), SparkRuntimeError> {
    if (low..=high).contains(&value) {
        Ok(())
    } else {
        Err(out_of_bounds(format!("Invalid value for {name} (valid values {low} - {high}): {value}")))
    }
}

const MONTHS: [&str; 12] = ["JANUARY", "FEBRUARY", "MARCH", "APRIL", "MAY", "JUNE", "JULY", "AUGUST", "SEPTEMBER", "OCTOBER", "NOVEMBER", "DECEMBER"];

/// The wall time in microseconds since the epoch, or Spark's error.
pub fn wall_micros(year: i32, month: i32, day: i32, hour: i32, minute: i32, second_micros: i64) -> Result<i64, SparkRuntimeError> {
    field("Year", year, -999_999_999, 999_999_999)?;
    field("MonthOfYear", month, 1, 12)?;
    field("DayOfMonth", day, 1, 31)?;
    field("HourOfDay", hour, 0, 23)?;
    field("MinuteOfHour", minute, 0, 59)?;
    let (whole, fraction) = (second_micros.div_euclid(MICROS_PER_SECOND), second_micros.rem_euclid(MICROS_PER_SECOND));
    if whole == 60 && fraction != 0 {
        let shown = format!("{}.{}", whole, format!("{fraction:06}").trim_end_matches('0'));
        return Err(SparkRuntimeError::new(
            RuntimeKind::DateTime,
            "INVALID_FRACTION_OF_SECOND",
            "22023",
            format!("Valid range for seconds is [0, 60] (inclusive), but the provided value is {shown}. To avoid this error, use `try_make_timestamp`, which returns NULL on error."),
        )
        .param("secAndMicros", shown));
    }
    if whole != 60 {
        field("SecondOfMinute", i32::try_from(whole).unwrap_or(i32::MAX), 0, 59)?;
    }
    let date = NaiveDate::from_ymd_opt(year, month as u32, day as u32)
        .ok_or_else(|| out_of_bounds(format!("Invalid date '{} {day}'", MONTHS[(month - 1) as usize])))?;
    let days = crate::epoch_days::days_of(date);
    Ok(days * 86_400 * MICROS_PER_SECOND + i64::from(hour) * 3_600 * MICROS_PER_SECOND + i64::from(minute) * 60 * MICROS_PER_SECOND + second_micros)
}

impl ScalarUDFImpl for SparkMakeTimestamp {
    fn name(&self) -> &str {
        "spark_make_timestamp"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Timestamp(TimeUnit::Microsecond, None))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let ints = args.args[..5]
            .iter()
            .map(|a| cast(&a.to_array(n)?, &DataType::Int32).map_err(Into::into))
            .collect::<Result<Vec<_>>>()?;
        let seconds = cast(&args.args[5].to_array(n)?, &DataType::Decimal128(16, 6))?;
        let seconds = seconds.as_primitive::<Decimal128Type>();
        let fields: Vec<_> = ints.iter().map(|a| a.as_primitive::<Int32Type>()).collect();
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            if fields.iter().any(|f| f.is_null(i)) || seconds.is_null(i) {
                out.push(None);
                continue;
            }
            let micros = i64::try_from(seconds.value(i)).unwrap_or(i64::MAX);
            match wall_micros(fields[0].value(i), fields[1].value(i), fields[2].value(i), fields[3].value(i), fields[4].value(i), micros) {
                Ok(v) => out.push(Some(v)),
                Err(e) if self.fail_on_error => return Err(e.into_df()),
                Err(_) => out.push(None),
            }
        }
        Ok(ColumnarValue::Array(Arc::new(TimestampMicrosecondArray::from(out))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_leap_seconds() {
        assert_eq!(wall_micros(2019, 6, 30, 23, 59, 60 * MICROS_PER_SECOND).ok(), wall_micros(2019, 7, 1, 0, 0, 0).ok());
        let class = |r: Result<i64, SparkRuntimeError>| r.err().map(|e| e.error_class);
        assert_eq!(class(wall_micros(2024, 13, 1, 0, 0, 0)).as_deref(), Some("DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION"));
        assert_eq!(class(wall_micros(2024, 2, 30, 0, 0, 0)).as_deref(), Some("DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION"));
        assert_eq!(class(wall_micros(2024, 1, 1, 0, 0, 60_500_000)).as_deref(), Some("INVALID_FRACTION_OF_SECOND"));
        assert_eq!(class(wall_micros(2024, 1, 1, 0, 0, -1_000_000)).as_deref(), Some("DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION"));
    }
}
