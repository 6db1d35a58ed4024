//! `months_between` as Spark computes it (whole months when the days of
//! month match or both are month ends; otherwise the remainder over 31-day
//! months, rounded to 8 digits unless asked not to), and
//! `monotonically_increasing_id`.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{Datelike, NaiveDateTime, Timelike};
use datafusion::arrow::array::{Array, AsArray, Float64Array, Int64Array};
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

fn is_month_end(t: &NaiveDateTime) -> bool {
    (t.date() + chrono::Duration::days(1)).month() != t.month()
}

/// Spark's `DateTimeUtils.monthsBetween` over wall-clock times.
pub fn months_between(a: &NaiveDateTime, b: &NaiveDateTime, round_off: bool) -> f64 {
    let months = (a.year() * 12 + a.month() as i32) - (b.year() * 12 + b.month() as i32);
    if a.day() == b.day() || (is_month_end(a) && is_month_end(b)) {
        return months as f64;
    }
    let seconds = |t: &NaiveDateTime| t.day() as i64 * 86_400 + t.num_seconds_from_midnight() as i64;
    let diff = months as f64 + (seconds(a) - seconds(b)) as f64 / (31.0 * 86_400.0);
    if round_off { (diff * 1e8).round() / 1e8 } else { diff }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMonthsBetween {
    signature: Signature,
    round_off: bool,
    time_zone: String,
}

impl SparkMonthsBetween {
    pub fn udf(round_off: bool, time_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), round_off, time_zone: time_zone.to_string() }))
    }
}

impl ScalarUDFImpl for SparkMonthsBetween {
    fn name(&self) -> &str {
        "spark_months_between"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let Some(zone) = crate::time_zone::parse_zone(&self.time_zone) else {
            return exec_err!("unknown time zone {}", self.time_zone);
        };
        let wall = |v: &ColumnarValue| -> Result<Vec<Option<NaiveDateTime>>> {
            let a = v.to_array(n)?;
            let a = datafusion::arrow::compute::cast(&a, &DataType::Timestamp(TimeUnit::Microsecond, None))?;
            let ts = a.as_primitive::<TimestampMicrosecondType>();
            Ok((0..n)
                .map(|i| {
                    if ts.is_null(i) {
                        return None;
                    }
                    let local = zone.instant_to_wall(ts.value(i))?;
                    chrono::DateTime::from_timestamp_micros(local).map(|d| d.naive_utc())
                })
                .collect())
        };
        let (a, b) = (wall(&args.args[0])?, wall(&args.args[1])?);
        let out: Float64Array = a.iter().zip(&b).map(|(x, y)| Some(months_between(x.as_ref()?, y.as_ref()?, self.round_off))).collect();
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

/// Unique, increasing ids: each batch takes the next run of numbers.
#[derive(Debug)]
pub struct SparkMonotonicId {
    signature: Signature,
    next: AtomicI64,
}

impl PartialEq for SparkMonotonicId {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for SparkMonotonicId {}

impl std::hash::Hash for SparkMonotonicId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (self as *const Self as usize).hash(state);
    }
}

impl SparkMonotonicId {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::nullary(Volatility::Volatile), next: AtomicI64::new(0) }))
    }
}

impl ScalarUDFImpl for SparkMonotonicId {
    fn name(&self) -> &str {
        "monotonically_increasing_id"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows as i64;
        let start = self.next.fetch_add(n, Ordering::Relaxed);
        Ok(ColumnarValue::Array(Arc::new(Int64Array::from_iter_values(start..start + n))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_between_matches_spark() {
        let a = chrono::NaiveDate::from_ymd_opt(1997, 2, 28).and_then(|d| d.and_hms_opt(10, 30, 0));
        let b = chrono::NaiveDate::from_ymd_opt(1996, 10, 30).and_then(|d| d.and_hms_opt(0, 0, 0));
        let (Some(a), Some(b)) = (a, b) else { return };
        assert_eq!(months_between(&a, &b, true), 3.94959677);
    }
}
