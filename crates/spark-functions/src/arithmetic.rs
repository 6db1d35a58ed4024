//! Spark arithmetic that DataFusion does differently: `/` always divides as
//! fractional numbers and, under ANSI mode, raises `DIVIDE_BY_ZERO` instead of
//! returning infinity; without ANSI mode a zero divisor gives NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, Float64Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{DataFusionError, Result, ScalarValue, exec_err};
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

/// The message Spark gives for `DIVIDE_BY_ZERO`; the error mapper recognises the prefix.
pub const DIVIDE_BY_ZERO: &str = "[DIVIDE_BY_ZERO] Division by zero. Use `try_divide` to tolerate divisor being 0 and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error. SQLSTATE: 22012";

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkDivide {
    signature: Signature,
    ansi: bool,
}

impl SparkDivide {
    pub fn udf(ansi: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            signature: Signature::exact(vec![DataType::Float64, DataType::Float64], Volatility::Immutable),
            ansi,
        }))
    }
}

impl ScalarUDFImpl for SparkDivide {
    fn name(&self) -> &str {
        if self.ansi { "spark_divide_ansi" } else { "spark_divide" }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _arg_types: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let [l, r] = args.args.as_slice() else {
            return exec_err!("divide takes two arguments");
        };
        let l = l.to_array(n)?;
        let r = r.to_array(n)?;
        let (Some(l), Some(r)) = (
            l.as_any().downcast_ref::<Float64Array>(),
            r.as_any().downcast_ref::<Float64Array>(),
        ) else {
            return exec_err!("divide expects DOUBLE arguments");
        };
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            if l.is_null(i) || r.is_null(i) {
                out.push(None);
                continue;
            }
            let d = r.value(i);
            if d == 0.0 {
                if self.ansi {
                    return Err(DataFusionError::Execution(DIVIDE_BY_ZERO.to_string()));
                }
                out.push(None);
                continue;
            }
            out.push(Some(l.value(i) / d));
        }
        let arr: ArrayRef = Arc::new(Float64Array::from(out));
        if arr.len() == 1 && args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_))) {
            return Ok(ColumnarValue::Scalar(ScalarValue::try_from_array(&arr, 0)?));
        }
        Ok(ColumnarValue::Array(arr))
    }
}
