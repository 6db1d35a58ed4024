//! ANSI casts of numbers to a narrower integral type: a value that does
//! not fit fails with Spark's CAST_OVERFLOW (or, when storing into a table
//! column, CAST_OVERFLOW_IN_TABLE_INSERT) instead of Arrow's cast error.
//! Fractional values are truncated toward zero first, as Spark does.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_datafusion_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::value_text::{TextStyle, value_text};

/// Which error an overflow raises.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OverflowReport {
    /// `CAST(x AS INT)` under ANSI.
    Cast,
    /// Storing into a table column (ANSI store assignment).
    TableInsert { column: String },
    /// A result narrowed back to its input's type (`round(127Y, -1)`).
    Arithmetic,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkCheckedCast {
    signature: Signature,
    target: DataType,
    /// The Spark names of the source and target types, for messages.
    from_sql: String,
    to_sql: String,
    report: OverflowReport,
}

impl SparkCheckedCast {
    pub fn udf(target: DataType, from_sql: &str, to_sql: &str, report: OverflowReport) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            signature: Signature::any(1, Volatility::Immutable),
            target,
            from_sql: from_sql.to_string(),
            to_sql: to_sql.to_string(),
            report,
        }))
    }
}

/// A value as Spark prints it in a cast error: a SQL literal (`3000000000L`).
fn literal_text(a: &dyn Array, row: usize) -> String {
    let text = value_text(a, row, "UTC", TextStyle::Cast);
    // NaN and the infinities print bare.
    if matches!(text.as_str(), "NaN" | "Infinity" | "-Infinity") {
        return text;
    }
    let suffix = match a.data_type() {
        DataType::Int8 => "Y",
        DataType::Int16 => "S",
        DataType::Int64 => "L",
        DataType::Float32 => "F",
        DataType::Float64 => "D",
        DataType::Decimal128(..) => "BD",
        _ => "",
    };
    format!("{text}{suffix}")
}

/// The largest and smallest value of an integral target, as f64.
fn bounds(t: &DataType) -> Option<(f64, f64)> {
    Some(match t {
        DataType::Int8 => (i8::MIN as f64, i8::MAX as f64),
        DataType::Int16 => (i16::MIN as f64, i16::MAX as f64),
        DataType::Int32 => (i32::MIN as f64, i32::MAX as f64),
        DataType::Int64 => (i64::MIN as f64, i64::MAX as f64),
        _ => return None,
    })
}

impl SparkCheckedCast {
    fn overflow(&self, input: &dyn Array, row: usize) -> datafusion::error::DataFusionError {
        let value = literal_text(input, row);
        let error = match &self.report {
            OverflowReport::Cast => SparkRuntimeError::new(
                RuntimeKind::Arithmetic,
                "CAST_OVERFLOW",
                "22003",
                format!(
                    "The value {value} of the type \"{}\" cannot be cast to \"{}\" due to an overflow. Use `try_cast` to tolerate overflow and return NULL instead.",
                    self.from_sql, self.to_sql
                ),
            )
            .param("value", value.clone())
            .param("sourceType", format!("\"{}\"", self.from_sql))
            .param("targetType", format!("\"{}\"", self.to_sql))
            .param("ansiConfig", "\"spark.sql.ansi.enabled\""),
            OverflowReport::TableInsert { column } => SparkRuntimeError::new(
                RuntimeKind::Arithmetic,
                "CAST_OVERFLOW_IN_TABLE_INSERT",
                "22003",
                format!(
                    "Fail to assign a value of \"{}\" type to the \"{}\" type column or variable `{column}` due to an overflow. Use `try_cast` on the input value to tolerate overflow and return NULL instead.",
                    self.from_sql, self.to_sql
                ),
            )
            .param("sourceType", format!("\"{}\"", self.from_sql))
            .param("targetType", format!("\"{}\"", self.to_sql))
            .param("columnName", format!("`{column}`")),
            OverflowReport::Arithmetic => SparkRuntimeError::new(
                RuntimeKind::Arithmetic,
                "ARITHMETIC_OVERFLOW",
                "22003",
                "Overflow. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
            )
            .param("message", "Overflow")
            .param("alternative", "")
            .param("config", "\"spark.sql.ansi.enabled\""),
        };
        error.into_df()
    }
}

impl ScalarUDFImpl for SparkCheckedCast {
    fn name(&self) -> &str {
        "spark_checked_cast"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.target.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let input = arrays.first().ok_or_else(|| exec_datafusion_err!("spark_checked_cast takes one argument"))?;
        let (low, high) = bounds(&self.target).ok_or_else(|| exec_datafusion_err!("spark_checked_cast targets integers, not {}", self.target))?;
        // Through f64 every value's range is checked (an f64 holds every
        // bound exactly except i64's, which is checked on the integer path).
        let out: ArrayRef = match input.data_type() {
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 => {
                let wide = cast_with_options(input, &DataType::Int64, &CastOptions { safe: true, ..Default::default() })?;
                let wide = wide.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
                for row in 0..wide.len() {
                    if wide.is_valid(row) {
                        let v = wide.value(row) as i128;
                        if v < low as i128 || v > high as i128 {
                            return Err(self.overflow(input.as_ref(), row));
                        }
                    }
                }
                cast_with_options(input, &self.target, &CastOptions { safe: true, ..Default::default() })?
            }
            _ => {
                let floats = cast_with_options(input, &DataType::Float64, &CastOptions { safe: true, ..Default::default() })?;
                let floats = floats.as_primitive::<Float64Type>();
                for row in 0..floats.len() {
                    if floats.is_valid(row) {
                        let v = floats.value(row).trunc();
                        // i64::MAX as f64 rounds up to 2^63, which does not fit.
                        if v.is_nan() || v < low || v > high || (self.target == DataType::Int64 && v >= 9.223372036854775807e18) {
                            return Err(self.overflow(input.as_ref(), row));
                        }
                    }
                }
                cast_with_options(input, &self.target, &CastOptions { safe: true, ..Default::default() })?
            }
        };
        Ok(if scalar { ColumnarValue::Scalar(datafusion::common::ScalarValue::try_from_array(&out, 0)?) } else { ColumnarValue::Array(out) })
    }
}
