//! ANSI interval functions: field extraction from year-month and day-time
//! intervals (`extract(MINUTE FROM i)`) and `make_ym_interval`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, Int8Array, Int32Array, IntervalYearMonthArray};
use datafusion::arrow::datatypes::{DataType, DurationMicrosecondType, Int32Type, IntervalUnit, IntervalYearMonthType, TimeUnit};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::{arg_arrays, columnar};

/// A field of an ANSI interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IntervalField {
    Years,
    Months,
    Days,
    Hours,
    Minutes,
    Seconds,
}

impl IntervalField {
    /// Spark's field names for `extract` on intervals.
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_uppercase().as_str() {
            "YEAR" | "Y" | "YEARS" | "YR" | "YRS" => IntervalField::Years,
            "MONTH" | "MON" | "MONS" | "MONTHS" => IntervalField::Months,
            "DAY" | "D" | "DAYS" => IntervalField::Days,
            "HOUR" | "H" | "HOURS" | "HR" | "HRS" => IntervalField::Hours,
            "MINUTE" | "M" | "MIN" | "MINS" | "MINUTES" => IntervalField::Minutes,
            "SECOND" | "S" | "SEC" | "SECONDS" | "SECS" => IntervalField::Seconds,
            _ => return None,
        })
    }

    pub fn is_year_month(self) -> bool {
        matches!(self, IntervalField::Years | IntervalField::Months)
    }

    /// Spark's result types: INT for years and days, TINYINT for months,
    /// hours and minutes, DECIMAL(8, 6) for seconds.
    pub fn result_type(self) -> DataType {
        match self {
            IntervalField::Years | IntervalField::Days => DataType::Int32,
            IntervalField::Seconds => DataType::Decimal128(8, 6),
            _ => DataType::Int8,
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkIntervalField {
    signature: Signature,
    field: IntervalField,
}

impl SparkIntervalField {
    pub fn udf(field: IntervalField) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), field }))
    }
}

const MICROS_PER_MINUTE: i64 = 60_000_000;
const MICROS_PER_HOUR: i64 = 60 * MICROS_PER_MINUTE;
const MICROS_PER_DAY: i64 = 24 * MICROS_PER_HOUR;

impl ScalarUDFImpl for SparkIntervalField {
    fn name(&self) -> &str {
        "spark_interval_field"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.field.result_type())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        {
            let a = &arrays[0];
            let out: ArrayRef = match (a.data_type(), self.field) {
                (DataType::Interval(IntervalUnit::YearMonth), IntervalField::Years) => {
                    Arc::new(a.as_primitive::<IntervalYearMonthType>().unary::<_, Int32Type>(|m| m / 12))
                }
                (DataType::Interval(IntervalUnit::YearMonth), IntervalField::Months) => {
                    let p = a.as_primitive::<IntervalYearMonthType>();
                    Arc::new(p.iter().map(|m| m.map(|m| (m % 12) as i8)).collect::<Int8Array>())
                }
                (DataType::Duration(TimeUnit::Microsecond), f) if !f.is_year_month() => {
                    let p = a.as_primitive::<DurationMicrosecondType>();
                    match f {
                        IntervalField::Days => Arc::new(p.iter().map(|v| v.map(|v| (v / MICROS_PER_DAY) as i32)).collect::<Int32Array>()),
                        IntervalField::Hours => Arc::new(p.iter().map(|v| v.map(|v| (v / MICROS_PER_HOUR % 24) as i8)).collect::<Int8Array>()),
                        IntervalField::Minutes => Arc::new(p.iter().map(|v| v.map(|v| (v / MICROS_PER_MINUTE % 60) as i8)).collect::<Int8Array>()),
                        _ => Arc::new(
                            p.iter().map(|v| v.map(|v| (v % MICROS_PER_MINUTE) as i128)).collect::<Decimal128Array>().with_precision_and_scale(8, 6)?,
                        ),
                    }
                }
                (t, f) => return exec_err!("cannot extract {f:?} from {t}"),
            };
            columnar(out, scalar)
        }
    }
}

fn interval_overflow() -> datafusion::common::DataFusionError {
    crate::error::SparkRuntimeError::new(
        crate::error::RuntimeKind::Arithmetic,
        "INTERVAL_ARITHMETIC_OVERFLOW.WITHOUT_SUGGESTION",
        "22015",
        "Integer overflow while operating with intervals.",
    )
    .into_df()
}

/// `make_ym_interval(years, months)`, with Spark's overflow error under ANSI.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMakeYmInterval {
    signature: Signature,
}

impl SparkMakeYmInterval {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::exact(vec![DataType::Int32, DataType::Int32], Volatility::Immutable) }))
    }
}

impl ScalarUDFImpl for SparkMakeYmInterval {
    fn name(&self) -> &str {
        "make_ym_interval"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Interval(IntervalUnit::YearMonth))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        {
            let years = arrays[0].as_primitive::<Int32Type>();
            let months = arrays[1].as_primitive::<Int32Type>();
            let mut out = Vec::with_capacity(years.len());
            for (y, m) in years.iter().zip(months.iter()) {
                out.push(match (y, m) {
                    (Some(y), Some(m)) => match y.checked_mul(12).and_then(|v| v.checked_add(m)) {
                        Some(v) => Some(v),
                        None => return Err(interval_overflow()),
                    },
                    _ => None,
                });
            }
            columnar(Arc::new(IntervalYearMonthArray::from(out)), scalar)
        }
    }
}
