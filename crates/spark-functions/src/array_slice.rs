//! `slice(array, start, length)`: `length` elements from the 1-based
//! `start` (negative counts from the end); an empty array when `start` is
//! outside the array. A `start` of 0 and a negative `length` fail with
//! Spark's `INVALID_PARAMETER_VALUE`, with or without ANSI mode.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, UInt32Array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::{cast, take};
use datafusion::arrow::datatypes::{DataType, Int32Type};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkSlice {
    signature: Signature,
}

impl SparkSlice {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(3, Volatility::Immutable) }))
    }
}

fn invalid(parameter: &str, expectation: String) -> DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        &format!("INVALID_PARAMETER_VALUE.{}", parameter.to_ascii_uppercase()),
        "22023",
        format!("The value of parameter(s) `{parameter}` in `slice` is invalid: {expectation}."),
    )
    .param("parameter", format!("`{parameter}`"))
    .param("functionName", "`slice`")
    .into_df()
}

/// The element range of one row's slice, `None` for an empty result.
fn slice_range(len: i64, start: i32, length: i32) -> Result<Option<(i64, i64)>> {
    if start == 0 {
        return Err(invalid("start", "Expects a positive or a negative value for `start`, but got 0".into()));
    }
    if length < 0 {
        return Err(invalid("length", format!("Expects `length` greater than or equal to 0, but got {length}")));
    }
    let first = if start > 0 { i64::from(start) - 1 } else { len + i64::from(start) };
    if first < 0 || first >= len {
        return Ok(None);
    }
    Ok(Some((first, (first + i64::from(length)).min(len))))
}

impl ScalarUDFImpl for SparkSlice {
    fn name(&self) -> &str {
        "slice"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.first() {
            Some(t @ DataType::List(_)) => Ok(t.clone()),
            Some(DataType::Null) => Ok(DataType::Null),
            other => exec_err!("slice takes an array, not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let DataType::List(field) = arrays[0].data_type().clone() else {
            return crate::columnar(arrays[0].clone(), scalar);
        };
        let lists = arrays[0].as_list::<i32>();
        let starts = cast(&arrays[1], &DataType::Int32)?;
        let lengths_in = cast(&arrays[2], &DataType::Int32)?;
        let (starts, lengths_in) = (starts.as_primitive::<Int32Type>(), lengths_in.as_primitive::<Int32Type>());
        let mut lengths = Vec::with_capacity(lists.len());
        let mut valid = Vec::with_capacity(lists.len());
        let mut indices: Vec<u32> = Vec::new();
        for row in 0..lists.len() {
            if lists.is_null(row) || starts.is_null(row) || lengths_in.is_null(row) {
                lengths.push(0);
                valid.push(false);
                continue;
            }
            let offset = i64::from(lists.value_offsets()[row]);
            let len = i64::from(lists.value_offsets()[row + 1]) - offset;
            let before = indices.len();
            if let Some((a, b)) = slice_range(len, starts.value(row), lengths_in.value(row))? {
                for i in a..b {
                    let Ok(i) = u32::try_from(offset + i) else { return exec_err!("slice: an array too large for one batch") };
                    indices.push(i);
                }
            }
            lengths.push(indices.len() - before);
            valid.push(true);
        }
        let values = take(lists.values().as_ref(), &UInt32Array::from(indices), None)?;
        let nulls = NullBuffer::from(valid);
        let out = ListArray::try_new(field, OffsetBuffer::from_lengths(lengths), values, Some(nulls).filter(|n| n.null_count() > 0))?;
        crate::columnar(Arc::new(out) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_follow_spark() -> Result<()> {
        assert_eq!(slice_range(4, -2, 2)?, Some((2, 4)));
        assert_eq!(slice_range(3, 2, 5)?, Some((1, 3)));
        assert_eq!(slice_range(3, 5, 1)?, None);
        assert_eq!(slice_range(3, -5, 2)?, None);
        assert!(slice_range(3, 0, 1).is_err());
        assert!(slice_range(3, 1, -1).is_err());
        Ok(())
    }
}
