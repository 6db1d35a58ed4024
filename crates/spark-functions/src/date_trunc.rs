//! `date_trunc(unit, ts)`: the timestamp truncated to the start of its
//! year, quarter, month, week (Monday), day, hour, minute, second,
//! millisecond or microsecond, on the session time zone's wall clock.
//! An unknown unit gives NULL, as in Spark.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use datafusion::arrow::array::{Array, AsArray, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, TimeUnit, TimestampMicrosecondType};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::time_zone::{ZoneKind, parse_zone};

const MICROS_PER_DAY: i64 = 86_400_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
}

fn unit(text: &str) -> Option<Unit> {
    Some(match text.to_ascii_uppercase().as_str() {
        "YEAR" | "YYYY" | "YY" => Unit::Year,
        "QUARTER" => Unit::Quarter,
        "MONTH" | "MM" | "MON" => Unit::Month,
        "WEEK" => Unit::Week,
        "DAY" | "DD" => Unit::Day,
        "HOUR" => Unit::Hour,
        "MINUTE" => Unit::Minute,
        "SECOND" => Unit::Second,
        "MILLISECOND" => Unit::Millisecond,
        "MICROSECOND" => Unit::Microsecond,
        _ => return None,
    })
}

/// Truncates a wall-clock time in microseconds since the epoch.
fn truncate_wall(wall: i64, unit: Unit) -> Option<i64> {
    let floor = |step: i64| wall - wall.rem_euclid(step);
    Some(match unit {
        Unit::Microsecond => wall,
        Unit::Millisecond => floor(1_000),
        Unit::Second => floor(1_000_000),
        Unit::Minute => floor(60_000_000),
        Unit::Hour => floor(3_600_000_000),
        Unit::Day => floor(MICROS_PER_DAY),
        Unit::Week => {
            let days = wall.div_euclid(MICROS_PER_DAY);
            // 1970-01-01 was a Thursday; weeks start on Monday.
            (days - (days + 3).rem_euclid(7)) * MICROS_PER_DAY
        }
        Unit::Month | Unit::Quarter | Unit::Year => {
            let days = i32::try_from(wall.div_euclid(MICROS_PER_DAY)).ok()?;
            let date = NaiveDate::from_num_days_from_ce_opt(days + 719_163)?;
            let month = match unit {
                Unit::Year => 1,
                Unit::Quarter => (date.month() - 1) / 3 * 3 + 1,
                _ => date.month(),
            };
            let start = NaiveDate::from_ymd_opt(date.year(), month, 1)?;
            (start.num_days_from_ce() as i64 - 719_163) * MICROS_PER_DAY
        }
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkDateTrunc {
    signature: Signature,
    zone: String,
}

impl SparkDateTrunc {
    pub fn udf(zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), zone: zone.to_string() }))
    }
}

impl ScalarUDFImpl for SparkDateTrunc {
    fn name(&self) -> &str {
        "date_trunc"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Timestamp(TimeUnit::Microsecond, Some(self.zone.clone().into())))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let zone: ZoneKind = parse_zone(&self.zone).ok_or_else(|| datafusion::error::DataFusionError::Execution(format!("unknown time zone {}", self.zone)))?;
        let units = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
        let units = units.as_string::<i32>();
        let ts = datafusion::arrow::compute::cast(&arrays[1], &DataType::Timestamp(TimeUnit::Microsecond, None))?;
        let ts = ts.as_primitive::<TimestampMicrosecondType>();
        // The unit is nearly always one constant: parse it once.
        let constant = (units.len() > 0 && units.null_count() == 0 && (0..units.len()).all(|i| units.value(i) == units.value(0))).then(|| unit(units.value(0)));
        let out: TimestampMicrosecondArray = (0..ts.len())
            .map(|i| {
                if ts.is_null(i) || units.is_null(i) {
                    return None;
                }
                let u = match constant {
                    Some(u) => u?,
                    None => unit(units.value(i))?,
                };
                let wall = zone.instant_to_wall(ts.value(i))?;
                zone.wall_to_instant(truncate_wall(wall, u)?)
            })
            .collect();
        crate::columnar(Arc::new(out.with_timezone(self.zone.clone())), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncates_each_unit() {
        // 2015-03-05 09:32:05.359123 UTC
        let t = 1_425_547_925_359_123i64;
        let day = 1_425_513_600_000_000i64;
        assert_eq!(truncate_wall(t, Unit::Day), Some(day));
        assert_eq!(truncate_wall(t, Unit::Hour), Some(day + 9 * 3_600_000_000));
        assert_eq!(truncate_wall(t, Unit::Millisecond), Some(t - 123));
        // 2015-03-05 is a Thursday: the week starts on Monday 2015-03-02.
        assert_eq!(truncate_wall(t, Unit::Week), Some(day - 3 * MICROS_PER_DAY));
        assert_eq!(truncate_wall(t, Unit::Month), Some(1_425_168_000_000_000));
        assert_eq!(truncate_wall(t, Unit::Quarter), Some(1_420_070_400_000_000));
        assert_eq!(truncate_wall(t, Unit::Year), Some(1_420_070_400_000_000));
        assert_eq!(unit("dd"), Some(Unit::Day));
        assert_eq!(unit("fortnight"), None);
    }
}
