//! An ANSI cast of a number to DECIMAL(p, s): the value rounded HALF_UP to
//! the scale, and Spark's `NUMERIC_VALUE_OUT_OF_RANGE` for one that does
//! not fit the precision. The rounding is Arrow's cast, tried first; this
//! kernel turns its NULL for a value that did not fit into Spark's error.

use std::sync::Arc;

use datafusion::arrow::array::Array;
use datafusion::arrow::datatypes::{DataType, i256};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::decimal::{decimal_text, out_of_range_error};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkDecimalCheckedCast {
    signature: Signature,
    precision: u8,
    scale: i8,
}

impl SparkDecimalCheckedCast {
    /// Called with the number and its try-cast to DECIMAL(precision, scale).
    pub fn udf(precision: u8, scale: i8) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), precision, scale }))
    }
}

/// A number as Spark prints it in the error (as a plain decimal).
fn shown(v: &ScalarValue) -> String {
    match v {
        ScalarValue::Decimal128(Some(x), _, s) => decimal_text(i256::from_i128(*x), i32::from(*s)),
        ScalarValue::Float64(Some(x)) => format!("{x}"),
        ScalarValue::Float32(Some(x)) => format!("{x}"),
        other => other.to_string(),
    }
}

impl ScalarUDFImpl for SparkDecimalCheckedCast {
    fn name(&self) -> &str {
        "spark_decimal_checked_cast"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Decimal128(self.precision, self.scale))
    }

    /// NULL only for a NULL number: one that does not fit fails.
    fn return_field_from_args(&self, args: datafusion::logical_expr::ReturnFieldArgs) -> Result<datafusion::arrow::datatypes::FieldRef> {
        let nullable = args.arg_fields.first().is_none_or(|f| f.is_nullable());
        Ok(Arc::new(datafusion::arrow::datatypes::Field::new(self.name(), DataType::Decimal128(self.precision, self.scale), nullable)))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let [value, cast] = args.args.as_slice() else { return exec_err!("the checked decimal cast expects two arguments") };
        let values = value.to_array(args.number_rows)?;
        let casts = cast.to_array(args.number_rows)?;
        for i in 0..values.len() {
            if !values.is_null(i) && casts.is_null(i) {
                return Err(out_of_range_error(shown(&ScalarValue::try_from_array(&values, i)?), self.precision, self.scale));
            }
        }
        Ok(cast.clone())
    }
}
