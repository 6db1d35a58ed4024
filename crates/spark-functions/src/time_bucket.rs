//! `time_bucket(bucketSize, time[, origin])`: the start of the bucket of
//! `bucketSize` (a day-time or year-month interval) holding `time`, buckets
//! being laid end to end from `origin` in both directions. Day-time buckets
//! count microseconds; month buckets count calendar months of the wall
//! time (in the session time zone for TIMESTAMP), keeping the origin's day
//! (clamped to the month's end) and time of day.

use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDateTime, TimeZone};
use datafusion::arrow::array::{Array, AsArray, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, TimestampMicrosecondType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The size of a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BucketSize {
    Micros(i64),
    Months(i32),
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkTimeBucket {
    signature: Signature,
    size: BucketSize,
    /// The origin, in microseconds (an instant, or a wall time for TIMESTAMP_NTZ).
    origin: i64,
    time_zone: String,
}

impl SparkTimeBucket {
    pub fn udf(size: BucketSize, origin: i64, time_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), size, origin, time_zone: time_zone.to_string() }))
    }
}

fn wall(micros: i64) -> Option<NaiveDateTime> {
    chrono::DateTime::from_timestamp_micros(micros).map(|d| d.naive_utc())
}

/// The bucket start for wall times (months count on the calendar).
fn month_bucket(time: NaiveDateTime, origin: NaiveDateTime, months: i32) -> Option<NaiveDateTime> {
    let index = |d: NaiveDateTime| i64::from(d.year()) * 12 + i64::from(d.month0());
    let shifted = |k: i64| -> Option<NaiveDateTime> {
        let m = k.checked_mul(i64::from(months))?;
        if m >= 0 { origin.checked_add_months(Months::new(u32::try_from(m).ok()?)) } else { origin.checked_sub_months(Months::new(u32::try_from(-m).ok()?)) }
    };
    let mut k = (index(time) - index(origin)).div_euclid(i64::from(months));
    let mut start = shifted(k)?;
    while start > time {
        k -= 1;
        start = shifted(k)?;
    }
    Some(start)
}

impl SparkTimeBucket {
    fn bucket(&self, t: i64, zone: Option<&chrono_tz::Tz>) -> Option<i64> {
        match self.size {
            BucketSize::Micros(size) => Some(self.origin + (t - self.origin).div_euclid(size) * size),
            BucketSize::Months(months) => match zone {
                None => month_bucket(wall(t)?, wall(self.origin)?, months).map(|w| w.and_utc().timestamp_micros()),
                Some(z) => {
                    let local = |micros: i64| Some(z.from_utc_datetime(&wall(micros)?).naive_local());
                    let start = month_bucket(local(t)?, local(self.origin)?, months)?;
                    Some(crate::time_zone::resolve_local(z, &start)?.timestamp_micros())
                }
            },
        }
    }
}

impl ScalarUDFImpl for SparkTimeBucket {
    fn name(&self) -> &str {
        "time_bucket"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args.first().cloned().unwrap_or(DataType::Null))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let times = args.args[0].to_array(args.number_rows)?;
        let DataType::Timestamp(_, zone) = times.data_type().clone() else { return exec_err!("time_bucket takes timestamps") };
        let tz: Option<chrono_tz::Tz> = zone.as_ref().map(|_| self.time_zone.parse().unwrap_or(chrono_tz::UTC));
        let out: TimestampMicrosecondArray = times.as_primitive::<TimestampMicrosecondType>().iter().map(|t| self.bucket(t?, tz.as_ref())).collect();
        debug_assert_eq!(out.len(), args.number_rows);
        Ok(ColumnarValue::Array(Arc::new(out.with_timezone_opt(zone))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap_or_default()
    }

    #[test]
    fn months_keep_the_origin_day_and_time() {
        let origin = at("2024-06-15 09:00:00");
        assert_eq!(month_bucket(at("2024-07-20 14:30:00"), origin, 1), Some(at("2024-07-15 09:00:00")));
        assert_eq!(month_bucket(at("2024-07-10 14:30:00"), origin, 1), Some(at("2024-06-15 09:00:00")));
        assert_eq!(month_bucket(at("2023-01-31 00:00:00"), origin, 3), Some(at("2022-12-15 09:00:00")));
    }
}
