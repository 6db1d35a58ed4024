//! `sequence(start, stop[, step])` as Spark computes it: integers by an
//! integral step; dates and timestamps by a year-month step (months added
//! to the start, so Jan 31 + 1 month is Feb 28) or a day-time step (exact
//! microseconds). The step's sign must lead from start to stop; the default
//! step is 1 (integers) or one day (dates and timestamps), counting down when
//! stop is below start.

use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime};
use datafusion::arrow::array::{Array, ArrayRef, AsArray, Date32Array, Int32Array, Int64Array, ListArray, TimestampMicrosecondArray};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, Date32Type, Field, Int32Type, Int64Type, TimeUnit, TimestampMicrosecondType};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::epoch_days::{date_of, days_of};
use crate::error::{RuntimeKind, SparkRuntimeError};

const MICROS_PER_DAY: i64 = 86_400_000_000;
/// Spark's largest array (`ByteArrayMethods.MAX_ROUNDED_ARRAY_LENGTH`).
const MAX_LENGTH: i64 = i32::MAX as i64 - 15;

/// What the step counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// An integer step of an integer sequence.
    Units,
    /// Months (a year-month interval's units).
    Months,
    /// Microseconds (a day-time interval's units). For dates the interval
    /// must start at DAY (`day_step_ok`).
    Micros { day_step_ok: bool },
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkSequence {
    signature: Signature,
    step: Step,
    /// The session time zone, for months added to timestamps.
    time_zone: String,
}

impl SparkSequence {
    /// Arguments: start, stop (of the result's element type) and the step
    /// (BIGINT units, INT months or BIGINT microseconds), or NULL-typed
    /// absent step (then one unit or one day).
    pub fn udf(step: Step, time_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(3, Volatility::Immutable), step, time_zone: time_zone.to_string() }))
    }
}

fn illegal(start: i64, stop: i64, step: i64) -> DataFusionError {
    SparkRuntimeError::plain(RuntimeKind::IllegalArgument, format!("requirement failed: Illegal sequence boundaries: {start} to {stop} by {step}")).into_df()
}

fn too_long(n: i64) -> DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER",
        "54000",
        format!("Can't create array with {n} elements which exceeding the array size limit {MAX_LENGTH}."),
    )
    .into_df()
}

/// The values `start + i * step` for i = 0.. while they stay on the way to
/// `stop`, computed by `at(i)`.
fn walk(start: i64, stop: i64, step: i64, at: impl Fn(i64) -> Option<i64>) -> Result<Vec<i64>> {
    if step == 0 {
        return if start == stop { Ok(vec![start]) } else { Err(illegal(start, stop, step)) };
    }
    if (step > 0 && start > stop) || (step < 0 && start < stop) {
        return Err(illegal(start, stop, step));
    }
    let mut out = Vec::new();
    let mut i = 0i64;
    while let Some(v) = at(i) {
        if (step > 0 && v > stop) || (step < 0 && v < stop) {
            break;
        }
        out.push(v);
        i += 1;
        if i > MAX_LENGTH {
            return Err(too_long(i));
        }
    }
    Ok(out)
}

/// `date` plus `months`, the day clamped to the month's end (Spark's
/// `dateAddMonths`); None past the calendar's range.
pub(crate) fn add_months(date: NaiveDate, months: i64) -> Option<NaiveDate> {
    let total = i64::from(date.year()).checked_mul(12)?.checked_add(i64::from(date.month0()))?.checked_add(months)?;
    let (year, month0) = (i32::try_from(total.div_euclid(12)).ok()?, total.rem_euclid(12) as u32);
    let first = NaiveDate::from_ymd_opt(year, month0 + 1, 1)?;
    let next = if month0 == 11 { NaiveDate::from_ymd_opt(year + 1, 1, 1)? } else { NaiveDate::from_ymd_opt(year, month0 + 2, 1)? };
    let last_day = (next - first).num_days() as u32;
    NaiveDate::from_ymd_opt(year, month0 + 1, date.day().min(last_day))
}

/// A timestamp plus `months` in the time zone `tz` (none: wall-clock UTC).
fn timestamp_add_months(us: i64, months: i64, tz: Option<&chrono_tz::Tz>) -> Option<i64> {
    let utc = DateTime::from_timestamp_micros(us)?;
    let local: NaiveDateTime = match tz {
        Some(z) => utc.with_timezone(z).naive_local(),
        None => utc.naive_utc(),
    };
    let moved = add_months(local.date(), months)?.and_time(local.time());
    let back = match tz {
        Some(z) => crate::time_zone::resolve_local(z, &moved)?.timestamp_micros(),
        None => moved.and_utc().timestamp_micros(),
    };
    Some(back)
}

impl SparkSequence {
    fn elements(&self, out: &DataType, start: i64, stop: i64, step: Option<i64>) -> Result<Vec<i64>> {
        let Some(step) = step else {
            // One unit, or one day, towards stop.
            let unit = if matches!(out, DataType::Timestamp(..)) { MICROS_PER_DAY } else { 1 };
            let step = if stop < start { -unit } else { unit };
            return walk(start, stop, step, |i| i.checked_mul(step)?.checked_add(start));
        };
        match (self.step, out) {
            (Step::Units, _) => walk(start, stop, step, |i| i.checked_mul(step)?.checked_add(start)),
            (Step::Months, DataType::Date32) => walk(start, stop, step, |i| Some(days_of(add_months(date_of(start)?, i.checked_mul(step)?)?))),
            (Step::Months, DataType::Timestamp(_, zone)) => {
                let tz = zone.as_ref().and_then(|_| self.time_zone.parse::<chrono_tz::Tz>().ok());
                walk(start, stop, step, |i| timestamp_add_months(start, i.checked_mul(step)?, tz.as_ref()))
            }
            (Step::Micros { day_step_ok }, DataType::Date32) => {
                if !day_step_ok {
                    return Err(SparkRuntimeError::new(
                        RuntimeKind::IllegalArgument,
                        "_LEGACY_ERROR_TEMP_3242",
                        "",
                        "sequence step must be an interval day to second or year to month if start and end values are dates",
                    )
                    .into_df());
                }
                // Spark states the bounds of a date sequence in days.
                if (step > 0 && start > stop) || (step < 0 && start < stop) || (step == 0 && start != stop) {
                    return Err(illegal(start, stop, step / MICROS_PER_DAY));
                }
                let (a, b) = (start * MICROS_PER_DAY, stop * MICROS_PER_DAY);
                let micros = walk(a, b, step, |i| i.checked_mul(step)?.checked_add(a))?;
                Ok(micros.into_iter().map(|us| us.div_euclid(MICROS_PER_DAY)).collect())
            }
            (Step::Micros { .. }, _) => walk(start, stop, step, |i| i.checked_mul(step)?.checked_add(start)),
            (Step::Months, other) => exec_err!("sequence by months of {other}"),
        }
    }
}

impl ScalarUDFImpl for SparkSequence {
    fn name(&self) -> &str {
        "sequence"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(DataType::List(Arc::new(Field::new("element", args[0].clone(), true))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let out = arrays[0].data_type().clone();
        let read = |a: &ArrayRef| -> Result<Vec<Option<i64>>> {
            Ok(match a.data_type() {
                DataType::Int32 => a.as_primitive::<Int32Type>().iter().map(|v| v.map(i64::from)).collect(),
                DataType::Int64 => a.as_primitive::<Int64Type>().iter().collect(),
                DataType::Date32 => a.as_primitive::<Date32Type>().iter().map(|v| v.map(i64::from)).collect(),
                DataType::Timestamp(TimeUnit::Microsecond, _) => a.as_primitive::<TimestampMicrosecondType>().iter().collect(),
                DataType::Null => vec![None; a.len()],
                other => return exec_err!("sequence cannot read {other}"),
            })
        };
        let (starts, stops) = (read(&arrays[0])?, read(&arrays[1])?);
        let step_absent = matches!(arrays[2].data_type(), DataType::Null);
        let steps = read(&arrays[2])?;
        let mut values = Vec::new();
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(starts.len());
        for row in 0..starts.len() {
            let (Some(a), Some(b)) = (starts[row], stops[row]) else {
                valid.push(false);
                offsets.push(values.len() as i32);
                continue;
            };
            let step = if step_absent { None } else if let Some(s) = steps[row] { Some(s) } else {
                valid.push(false);
                offsets.push(values.len() as i32);
                continue;
            };
            values.extend(self.elements(&out, a, b, step)?);
            let Ok(end) = i32::try_from(values.len()) else { return Err(too_long(values.len() as i64)) };
            valid.push(true);
            offsets.push(end);
        }
        let items: ArrayRef = match &out {
            DataType::Int32 => Arc::new(values.into_iter().map(|v| i32::try_from(v).ok()).collect::<Int32Array>()),
            DataType::Int64 => Arc::new(Int64Array::from(values)),
            DataType::Date32 => Arc::new(values.into_iter().map(|v| i32::try_from(v).ok()).collect::<Date32Array>()),
            DataType::Timestamp(TimeUnit::Microsecond, zone) => Arc::new(TimestampMicrosecondArray::from(values).with_timezone_opt(zone.clone())),
            other => return exec_err!("sequence cannot make {other}"),
        };
        let field = Arc::new(Field::new("element", out, true));
        let list = ListArray::try_new(field, OffsetBuffer::new(offsets.into()), items, Some(NullBuffer::from(valid)))?;
        crate::columnar(Arc::new(list) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_clamp_to_month_end() {
        let jan31 = NaiveDate::from_ymd_opt(2018, 1, 31).unwrap_or_default();
        assert_eq!(add_months(jan31, 1), NaiveDate::from_ymd_opt(2018, 2, 28));
        assert_eq!(add_months(jan31, 2), NaiveDate::from_ymd_opt(2018, 3, 31));
        assert_eq!(add_months(jan31, -2), NaiveDate::from_ymd_opt(2017, 11, 30));
    }

    #[test]
    fn walks() -> Result<()> {
        assert_eq!(walk(1, 5, 2, |i| Some(1 + 2 * i))?, vec![1, 3, 5]);
        assert_eq!(walk(5, 1, -1, |i| Some(5 - i))?, vec![5, 4, 3, 2, 1]);
        assert!(walk(5, 1, 1, |i| Some(5 + i)).is_err());
        assert!(walk(1, 5, 0, |_| Some(1)).is_err());
        assert_eq!(walk(3, 3, 0, |_| Some(3))?, vec![3]);
        Ok(())
    }
}
