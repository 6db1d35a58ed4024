//! The bytes Spark hashes a DECIMAL wider than 18 digits by: its unscaled
//! value as Java's `BigInteger.toByteArray` (big-endian two's complement,
//! the fewest bytes that keep the sign), so `hash` and `xxhash64` (and
//! `approx_count_distinct`) over such decimals give Spark's values.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, BinaryArray};
use datafusion::arrow::datatypes::{DataType, Decimal128Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// Java's `BigInteger.toByteArray` of `v`.
pub fn java_bytes(v: i128) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < bytes.len() - 1 {
        let redundant = (bytes[start] == 0x00 && bytes[start + 1] & 0x80 == 0) || (bytes[start] == 0xFF && bytes[start + 1] & 0x80 != 0);
        if !redundant {
            break;
        }
        start += 1;
    }
    bytes[start..].to_vec()
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkDecimalBytes {
    signature: Signature,
}

impl SparkDecimalBytes {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable) }))
    }
}

impl ScalarUDFImpl for SparkDecimalBytes {
    fn name(&self) -> &str {
        "spark_decimal_bytes"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(decimals) = arrays.first().and_then(|a| a.as_primitive_opt::<Decimal128Type>()) else {
            return exec_err!("spark_decimal_bytes expects a decimal");
        };
        let out: BinaryArray = decimals.iter().map(|v| v.map(java_bytes)).collect();
        crate::columnar(Arc::new(out) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::java_bytes;

    #[test]
    fn as_java_big_integer() {
        assert_eq!(java_bytes(0), vec![0]);
        assert_eq!(java_bytes(150), vec![0x00, 0x96]);
        assert_eq!(java_bytes(-1), vec![0xFF]);
        assert_eq!(java_bytes(-129), vec![0xFF, 0x7F]);
        assert_eq!(java_bytes(127), vec![0x7F]);
    }
}
