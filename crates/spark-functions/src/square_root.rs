//! Spark's `sqrt`: NaN for a negative number (Java's `Math.sqrt`), where
//! DataFusion's `sqrt` raises an error.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray};
use datafusion::arrow::compute::kernels::arity::unary;
use datafusion::arrow::datatypes::{DataType, Float64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkSqrt {
    signature: Signature,
}

impl SparkSqrt {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::exact(vec![DataType::Float64], Volatility::Immutable) }))
    }
}

impl ScalarUDFImpl for SparkSqrt {
    fn name(&self) -> &str {
        "spark_sqrt"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(x) = arrays.first().and_then(|a| a.as_primitive_opt::<Float64Type>()) else {
            return exec_err!("spark_sqrt expects a DOUBLE argument");
        };
        let out = unary::<Float64Type, _, Float64Type>(x, f64::sqrt);
        crate::columnar(Arc::new(out) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn negative_numbers_give_nan() {
        assert!((-1.0f64).sqrt().is_nan());
        assert_eq!(4.0f64.sqrt(), 2.0);
    }
}
