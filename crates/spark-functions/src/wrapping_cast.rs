//! Casts of numbers to integers without ANSI mode, as the JVM narrows:
//! integers wrap (`CAST(3000000000L AS INT)` is -1294967296), floating
//! point values truncate and saturate at INT / BIGINT (NaN is 0) before a
//! narrower type wraps, decimals truncate to a BIGINT first.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int8Array, Int16Array, Int32Array, Int64Array};
use datafusion::arrow::compute::{CastOptions, cast_with_options};
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Float64Type, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkWrappingCast {
    signature: Signature,
    target: DataType,
}

impl SparkWrappingCast {
    pub fn udf(target: DataType) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), target }))
    }
}

/// A value narrowed to the target's width, as the JVM's `(int)` of a long.
fn narrow(values: impl Iterator<Item = Option<i64>>, target: &DataType) -> Result<ArrayRef> {
    Ok(match target {
        DataType::Int8 => Arc::new(values.map(|v| v.map(|v| v as i8)).collect::<Int8Array>()),
        DataType::Int16 => Arc::new(values.map(|v| v.map(|v| v as i16)).collect::<Int16Array>()),
        DataType::Int32 => Arc::new(values.map(|v| v.map(|v| v as i32)).collect::<Int32Array>()),
        DataType::Int64 => Arc::new(values.collect::<Int64Array>()),
        other => return exec_err!("spark_wrapping_cast targets integers, not {other}"),
    })
}

impl ScalarUDFImpl for SparkWrappingCast {
    fn name(&self) -> &str {
        "spark_wrapping_cast"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.target.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(input) = arrays.first() else { return exec_err!("spark_wrapping_cast takes one argument") };
        let safe = CastOptions { safe: true, ..Default::default() };
        let out = match input.data_type() {
            DataType::Float16 | DataType::Float32 | DataType::Float64 => {
                let floats = cast_with_options(input, &DataType::Float64, &safe)?;
                let floats = floats.as_primitive::<Float64Type>();
                // The JVM's (long) of a double for BIGINT, else (int) first.
                let to_long = self.target == DataType::Int64;
                narrow(floats.iter().map(|v| v.map(|f| if to_long { f as i64 } else { (f as i32) as i64 })), &self.target)?
            }
            DataType::Decimal128(_, scale) => {
                let scale = *scale;
                let decimals = input.as_primitive::<Decimal128Type>();
                let divisor = 10i128.pow(scale.max(0) as u32);
                narrow(decimals.iter().map(|v| v.map(|d| (d / divisor) as i64)), &self.target)?
            }
            _ => {
                let wide = cast_with_options(input, &DataType::Int64, &safe)?;
                narrow(wide.as_primitive::<Int64Type>().iter(), &self.target)?
            }
        };
        crate::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn jvm_narrowing() {
        assert_eq!(3_000_000_000i64 as i32, -1_294_967_296);
        assert_eq!(1e10f64 as i32, i32::MAX);
        assert_eq!(f64::NAN as i32, 0);
        assert_eq!((128i64) as i8, -128);
        assert_eq!(((300.7f64 as i32) as i64) as i8, 44);
    }
}
