//! `bit_get(x, pos)` / `getbit`: bit `pos` (0 is the lowest) of an integer,
//! as TINYINT; a position outside the integer's width fails with Spark's
//! `INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int8Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Int32Type, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkBitGet {
    signature: Signature,
    /// The name called, for the error.
    name: String,
}

impl SparkBitGet {
    pub fn udf(name: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), name: name.to_string() }))
    }
}

fn width(t: &DataType) -> Option<i32> {
    Some(match t {
        DataType::Int8 => 8,
        DataType::Int16 => 16,
        DataType::Int32 => 32,
        DataType::Int64 => 64,
        _ => return None,
    })
}

impl ScalarUDFImpl for SparkBitGet {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(bits) = width(arrays[0].data_type()) else { return exec_err!("{} takes an integer, not {}", self.name, arrays[0].data_type()) };
        let values = cast(&arrays[0], &DataType::Int64)?;
        let positions = cast(&arrays[1], &DataType::Int32)?;
        let (values, positions) = (values.as_primitive::<Int64Type>(), positions.as_primitive::<Int32Type>());
        let mut out = Vec::with_capacity(values.len());
        for row in 0..values.len() {
            if values.is_null(row) || positions.is_null(row) {
                out.push(None);
                continue;
            }
            let pos = positions.value(row);
            if !(0..bits).contains(&pos) {
                return Err(SparkRuntimeError::new(
                    RuntimeKind::IllegalArgument,
                    "INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE",
                    "22023",
                    format!("The value of parameter(s) `pos` in `{}` is invalid: expects an integer value in [0, {bits}), but got {pos}.", self.name),
                )
                .param("parameter", "`pos`")
                .param("functionName", format!("`{}`", self.name))
                .param("upper", bits.to_string())
                .param("invalidValue", pos.to_string())
                .into_df());
            }
            out.push(Some(((values.value(row) >> pos) & 1) as i8));
        }
        crate::columnar(Arc::new(Int8Array::from(out)) as ArrayRef, scalar)
    }
}
