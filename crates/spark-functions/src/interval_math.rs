//! Arithmetic on ANSI intervals as Spark does it on their counts of units
//! (months for YEAR-MONTH intervals, microseconds for DAY-TIME ones):
//! `SparkIntervalUnits` reads those counts, and `SparkIntervalScale`
//! multiplies or divides an interval by a number (Spark's
//! `MultiplyYMInterval`, `DivideDTInterval`, ...), rounding half away from
//! zero and failing (or, for `try_*`, giving NULL) on overflow and on a
//! division by zero.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, DurationMicrosecondArray, Int32Array, Int64Array, IntervalYearMonthArray};
use datafusion::arrow::datatypes::{DataType, DurationMicrosecondType, Float64Type, Int64Type, IntervalUnit, IntervalYearMonthType, TimeUnit};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::{arg_arrays, columnar};

/// Which ANSI interval an Arrow type holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntervalKind {
    /// Months, as `Interval(YearMonth)`.
    YearMonth,
    /// Microseconds, as `Duration(Microsecond)`.
    DayTime,
}

impl IntervalKind {
    pub fn of(t: &DataType) -> Option<Self> {
        match t {
            DataType::Interval(IntervalUnit::YearMonth) => Some(Self::YearMonth),
            DataType::Duration(TimeUnit::Microsecond) => Some(Self::DayTime),
            _ => None,
        }
    }

    pub fn arrow_type(self) -> DataType {
        match self {
            Self::YearMonth => DataType::Interval(IntervalUnit::YearMonth),
            Self::DayTime => DataType::Duration(TimeUnit::Microsecond),
        }
    }

    /// The type of its count of units: INT months or BIGINT microseconds.
    pub fn units_type(self) -> DataType {
        match self {
            Self::YearMonth => DataType::Int32,
            Self::DayTime => DataType::Int64,
        }
    }

    fn fits(self, v: i128) -> bool {
        match self {
            Self::YearMonth => i32::try_from(v).is_ok(),
            Self::DayTime => i64::try_from(v).is_ok(),
        }
    }
}

fn units(array: &ArrayRef) -> Result<Vec<Option<i64>>> {
    Ok(match array.data_type() {
        DataType::Interval(IntervalUnit::YearMonth) => array.as_primitive::<IntervalYearMonthType>().iter().map(|v| v.map(i64::from)).collect(),
        DataType::Duration(TimeUnit::Microsecond) => array.as_primitive::<DurationMicrosecondType>().iter().collect(),
        other => return exec_err!("not an ANSI interval: {other}"),
    })
}

fn from_units(kind: IntervalKind, values: Vec<Option<i64>>) -> ArrayRef {
    match kind {
        IntervalKind::YearMonth => Arc::new(IntervalYearMonthArray::from(values.into_iter().map(|v| v.map(|m| m as i32)).collect::<Vec<_>>())),
        IntervalKind::DayTime => Arc::new(DurationMicrosecondArray::from(values)),
    }
}

/// `units(interval)`: the interval's count of months or microseconds.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkIntervalUnits {
    signature: Signature,
}

impl SparkIntervalUnits {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable) }))
    }
}

impl ScalarUDFImpl for SparkIntervalUnits {
    fn name(&self) -> &str {
        "interval_units"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.first().and_then(IntervalKind::of) {
            Some(kind) => Ok(kind.units_type()),
            None => exec_err!("interval_units takes an ANSI interval"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let values = units(&arrays[0])?;
        let out: ArrayRef = match arrays[0].data_type() {
            DataType::Interval(_) => Arc::new(Int32Array::from(values.into_iter().map(|v| v.map(|m| m as i32)).collect::<Vec<_>>())),
            _ => Arc::new(Int64Array::from(values)),
        };
        columnar(out, scalar)
    }
}

/// Arrow field metadata naming the fields of an ANSI interval (`"3,3"` is
/// `interval second`); without it a duration is `interval day to second`.
pub const INTERVAL_FIELDS_KEY: &str = "spark.interval.fields";

/// `with_interval_fields(i)`: the interval as it is, typed with the fields
/// `start` to `end` (the result of `sum` or `abs` keeps its input's fields).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkIntervalFields {
    signature: Signature,
    start: u8,
    end: u8,
}

impl SparkIntervalFields {
    pub fn udf(start: u8, end: u8) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), start, end }))
    }
}

impl SparkIntervalFields {
    fn fields_text(&self) -> String {
        format!("{},{}", self.start, self.end)
    }

    /// The type of the result: an array's element field carries the fields.
    fn typed(&self, t: &DataType) -> DataType {
        match t {
            DataType::List(f) => {
                let mut metadata = f.metadata().clone();
                metadata.insert(INTERVAL_FIELDS_KEY.to_string(), self.fields_text());
                DataType::List(Arc::new(f.as_ref().clone().with_metadata(metadata)))
            }
            other => other.clone(),
        }
    }
}

impl ScalarUDFImpl for SparkIntervalFields {
    fn name(&self) -> &str {
        "with_interval_fields"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(self.typed(&args[0]))
    }

    fn return_field_from_args(&self, args: datafusion::logical_expr::ReturnFieldArgs) -> Result<datafusion::arrow::datatypes::FieldRef> {
        let Some(input) = args.arg_fields.first() else { return exec_err!("with_interval_fields takes one argument") };
        let mut metadata = input.metadata().clone();
        if !matches!(input.data_type(), DataType::List(_)) {
            metadata.insert(INTERVAL_FIELDS_KEY.to_string(), self.fields_text());
        }
        Ok(Arc::new(input.as_ref().clone().with_name(self.name()).with_data_type(self.typed(input.data_type())).with_metadata(metadata)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let DataType::List(_) = args.args[0].data_type() else { return Ok(args.args[0].clone()) };
        // An array of intervals: the same values under the typed element field.
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let array = args.args[0].to_array(args.number_rows)?;
        let list = array.as_list::<i32>();
        let DataType::List(field) = self.typed(array.data_type()) else { return Ok(args.args[0].clone()) };
        let out = datafusion::arrow::array::ListArray::new(field, list.offsets().clone(), list.values().clone(), list.nulls().cloned());
        crate::columnar(Arc::new(out), scalar)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScaleOp {
    Multiply,
    Divide,
}

/// `interval * number`, `interval / number` (the number a BIGINT or a
/// DOUBLE), as an interval of the same kind.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkIntervalScale {
    signature: Signature,
    op: ScaleOp,
    /// `try_multiply` / `try_divide`: NULL instead of an error.
    null_on_error: bool,
}

impl SparkIntervalScale {
    pub fn udf(op: ScaleOp, null_on_error: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), op, null_on_error }))
    }

    fn fail(&self, e: SparkRuntimeError) -> Result<Option<i64>> {
        if self.null_on_error { Ok(None) } else { Err(e.into_df()) }
    }

    fn scale_integral(&self, kind: IntervalKind, v: i64, n: i64) -> Result<Option<i64>> {
        let exact = match self.op {
            ScaleOp::Multiply => i128::from(v) * i128::from(n),
            ScaleOp::Divide if n == 0 => return self.fail(divided_by_zero()),
            ScaleOp::Divide => divide_half_up(i128::from(v), i128::from(n)),
        };
        if kind.fits(exact) { Ok(Some(exact as i64)) } else { self.fail(overflow(kind)) }
    }

    fn scale_fractional(&self, kind: IntervalKind, v: i64, n: f64) -> Result<Option<i64>> {
        let exact = match self.op {
            ScaleOp::Multiply => v as f64 * n,
            ScaleOp::Divide if n == 0.0 => return self.fail(divided_by_zero()),
            ScaleOp::Divide => v as f64 / n,
        };
        let rounded = exact.round();
        let fits = rounded.is_finite() && match kind {
            IntervalKind::YearMonth => rounded >= f64::from(i32::MIN) && rounded <= f64::from(i32::MAX),
            IntervalKind::DayTime => rounded >= i64::MIN as f64 && rounded < i64::MAX as f64,
        };
        if fits { Ok(Some(rounded as i64)) } else { self.fail(overflow(kind)) }
    }
}

/// `a / b` rounded half away from zero (Guava's `LongMath.divide(HALF_UP)`).
fn divide_half_up(a: i128, b: i128) -> i128 {
    let (q, r) = (a / b, a % b);
    if 2 * r.abs() >= b.abs() { q + (a.signum() * b.signum()) } else { q }
}

fn divided_by_zero() -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Arithmetic,
        "INTERVAL_DIVIDED_BY_ZERO",
        "22012",
        "Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead.",
    )
}

fn overflow(kind: IntervalKind) -> SparkRuntimeError {
    let what = match kind {
        IntervalKind::YearMonth => "integer overflow",
        IntervalKind::DayTime => "long overflow",
    };
    SparkRuntimeError::new(RuntimeKind::Arithmetic, "ARITHMETIC_OVERFLOW", "22003", format!("{what}. Use 'try_multiply' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error."))
        .param("message", what)
        .param("alternative", " Use 'try_multiply' to tolerate overflow and return NULL instead.")
        .param("config", "\"spark.sql.ansi.enabled\"")
}

impl ScalarUDFImpl for SparkIntervalScale {
    fn name(&self) -> &str {
        match self.op {
            ScaleOp::Multiply => "interval_multiply",
            ScaleOp::Divide => "interval_divide",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.first().and_then(IntervalKind::of) {
            Some(kind) => Ok(kind.arrow_type()),
            None => exec_err!("{} takes an ANSI interval", self.name()),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let kind = IntervalKind::of(arrays[0].data_type()).ok_or_else(|| DataFusionError::Execution("not an ANSI interval".into()))?;
        let values = units(&arrays[0])?;
        let mut out = Vec::with_capacity(values.len());
        match arrays[1].data_type() {
            DataType::Int64 => {
                for (v, n) in values.into_iter().zip(arrays[1].as_primitive::<Int64Type>().iter()) {
                    out.push(match (v, n) {
                        (Some(v), Some(n)) => self.scale_integral(kind, v, n)?,
                        _ => None,
                    });
                }
            }
            DataType::Float64 => {
                for (v, n) in values.into_iter().zip(arrays[1].as_primitive::<Float64Type>().iter()) {
                    out.push(match (v, n) {
                        (Some(v), Some(n)) => self.scale_fractional(kind, v, n)?,
                        _ => None,
                    });
                }
            }
            other => return exec_err!("{} takes a BIGINT or DOUBLE factor, not {other}", self.name()),
        }
        columnar(from_units(kind, out), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_up_division() {
        assert_eq!(divide_half_up(3, 2), 2);
        assert_eq!(divide_half_up(-3, 2), -2);
        assert_eq!(divide_half_up(5, 3), 2);
        assert_eq!(divide_half_up(4, 3), 1);
        assert_eq!(divide_half_up(-5, -3), 2);
        assert_eq!(divide_half_up(7, -2), -4);
    }

    #[test]
    fn scale_checks() -> Result<()> {
        let strict = SparkIntervalScale { signature: Signature::any(2, Volatility::Immutable), op: ScaleOp::Divide, null_on_error: false };
        assert!(strict.scale_integral(IntervalKind::YearMonth, 3, 0).is_err());
        assert_eq!(strict.scale_integral(IntervalKind::YearMonth, 3, 2)?, Some(2));
        assert_eq!(strict.scale_fractional(IntervalKind::DayTime, 3, 2.0)?, Some(2));
        let lenient = SparkIntervalScale { signature: Signature::any(2, Volatility::Immutable), op: ScaleOp::Multiply, null_on_error: true };
        assert_eq!(lenient.scale_integral(IntervalKind::YearMonth, i32::MAX as i64, 2)?, None);
        assert_eq!(lenient.scale_fractional(IntervalKind::DayTime, 10, 1.25)?, Some(13));
        Ok(())
    }
}
