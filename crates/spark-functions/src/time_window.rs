//! `window(time, windowDuration[, slideDuration[, startTime]])`: the
//! `index`-th window (latest first) a timestamp falls in, as Spark's
//! TimeWindowing computes it: `lastStart = t - ((t - startTime) mod slide)`
//! (the remainder taken non-negative), `start = lastStart - index * slide`,
//! `end = start + windowDuration`. A window that does not contain the
//! timestamp (sliding windows) and a NULL timestamp give NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StructArray, TimestampMicrosecondArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, Fields, TimestampMicrosecondType};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The durations of a time window, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WindowSpec {
    pub window: i64,
    pub slide: i64,
    pub start: i64,
}

impl WindowSpec {
    /// How many windows may hold one timestamp.
    pub fn overlapping(&self) -> usize {
        usize::try_from((self.window + self.slide - 1) / self.slide).unwrap_or(1).max(1)
    }

    /// The `index`-th window holding `t`, if it does.
    pub fn window_of(&self, t: i64, index: usize) -> Option<(i64, i64)> {
        let last_start = t - (t - self.start).rem_euclid(self.slide);
        let start = last_start - index as i64 * self.slide;
        let end = start + self.window;
        (start <= t && t < end).then_some((start, end))
    }
}

/// The struct type of a window over timestamps of type `t`.
pub fn window_type(t: &DataType) -> DataType {
    DataType::Struct(Fields::from(vec![Field::new("start", t.clone(), true), Field::new("end", t.clone(), true)]))
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkTimeWindow {
    signature: Signature,
    spec: WindowSpec,
    index: usize,
}

impl SparkTimeWindow {
    pub fn udf(spec: WindowSpec, index: usize) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), spec, index }))
    }
}

impl ScalarUDFImpl for SparkTimeWindow {
    fn name(&self) -> &str {
        "window"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(window_type(args.first().unwrap_or(&DataType::Null)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let times = args.args[0].to_array(args.number_rows)?;
        let t = times.data_type().clone();
        let DataType::Timestamp(_, zone) = &t else { return exec_err!("window takes timestamps, not {t}") };
        let times = times.as_primitive::<TimestampMicrosecondType>();
        let windows: Vec<Option<(i64, i64)>> = times.iter().map(|v| self.spec.window_of(v?, self.index)).collect();
        let starts = TimestampMicrosecondArray::from(windows.iter().map(|w| w.map(|w| w.0)).collect::<Vec<_>>()).with_timezone_opt(zone.clone());
        let ends = TimestampMicrosecondArray::from(windows.iter().map(|w| w.map(|w| w.1)).collect::<Vec<_>>()).with_timezone_opt(zone.clone());
        let DataType::Struct(fields) = window_type(&t) else { return exec_err!("window type") };
        let valid = NullBuffer::from(windows.iter().map(Option::is_some).collect::<Vec<_>>());
        let out: ArrayRef = Arc::new(StructArray::try_new(fields, vec![Arc::new(starts), Arc::new(ends)], Some(valid))?);
        debug_assert_eq!(out.len(), args.number_rows);
        Ok(ColumnarValue::Array(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i64 = 60_000_000;

    #[test]
    fn tumbling_and_sliding() {
        let tumbling = WindowSpec { window: 60 * MIN, slide: 60 * MIN, start: 0 };
        assert_eq!(tumbling.overlapping(), 1);
        assert_eq!(tumbling.window_of(-MIN, 0), Some((-60 * MIN, 0)));
        // window(ts, '10 minutes', '3 minutes', '1 minute') at 10:30 (minute 630): 628, 625, 622.
        let sliding = WindowSpec { window: 10 * MIN, slide: 3 * MIN, start: MIN };
        assert_eq!(sliding.overlapping(), 4);
        let starts: Vec<i64> = (0..4).filter_map(|i| sliding.window_of(630 * MIN, i)).map(|w| w.0 / MIN).collect();
        assert_eq!(starts, vec![628, 625, 622]);
    }
}
