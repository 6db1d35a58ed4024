//! `array_insert(array, pos, item)` as Spark 4 computes it: `pos` counts
//! from 1, or from the end when negative (-1 appends); a position beyond
//! either end pads the array with NULLs; position 0 is an error.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, MutableArrayData, make_array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, Int32Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// Spark's largest array (`ByteArrayMethods.MAX_ROUNDED_ARRAY_LENGTH`).
const MAX_ARRAY_LENGTH: i64 = i32::MAX as i64 - 15;

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkArrayInsert {
    signature: Signature,
}

impl SparkArrayInsert {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(3, Volatility::Immutable) }))
    }
}

/// Where the item goes in an array of `len` elements: the number of the
/// array's elements before it, NULLs between them and it, and NULLs after it
/// (before the rest of the array).
fn placement(len: i64, pos: i32) -> Result<(i64, i64, i64)> {
    let pos = i64::from(pos);
    Ok(if pos > 0 {
        if pos - 1 <= len { (pos - 1, 0, 0) } else { (len, pos - 1 - len, 0) }
    } else if pos < 0 {
        let at = len + pos + 1;
        if at >= 0 { (at, 0, 0) } else { (0, 0, -at) }
    } else {
        return Err(SparkRuntimeError::new(
            RuntimeKind::Runtime,
            "INVALID_INDEX_OF_ZERO",
            "22003",
            "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).",
        )
        .into_df());
    })
}

impl ScalarUDFImpl for SparkArrayInsert {
    fn name(&self) -> &str {
        "array_insert"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args[0].clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let DataType::List(field) = arrays[0].data_type() else {
            return exec_err!("array_insert takes an array, not {}", arrays[0].data_type());
        };
        let lists = arrays[0].as_list::<i32>();
        let positions = arrays[1].as_primitive::<Int32Type>();
        let items = &arrays[2];
        let values = lists.values();
        let (value_data, item_data) = (values.to_data(), items.to_data());
        let mut data = MutableArrayData::new(vec![&value_data, &item_data], true, values.len() + items.len());
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(lists.len());
        for row in 0..lists.len() {
            let end = *offsets.last().unwrap_or(&0);
            if lists.is_null(row) || positions.is_null(row) {
                valid.push(false);
                offsets.push(end);
                continue;
            }
            let (start, stop) = (lists.value_offsets()[row] as usize, lists.value_offsets()[row + 1] as usize);
            let len = (stop - start) as i64;
            let (before, gap, after) = placement(len, positions.value(row))?;
            let total = len + 1 + gap + after;
            if total > MAX_ARRAY_LENGTH {
                return Err(SparkRuntimeError::new(
                    RuntimeKind::Runtime,
                    "COLLECTION_SIZE_LIMIT_EXCEEDED.PARAMETER",
                    "54000",
                    format!("Can't create array with {total} elements which exceeding the array size limit {MAX_ARRAY_LENGTH}."),
                )
                .into_df());
            }
            let before = before as usize;
            data.try_extend(0, start, start + before)?;
            data.try_extend_nulls(gap as usize)?;
            data.try_extend(1, row, row + 1)?;
            data.try_extend_nulls(after as usize)?;
            data.try_extend(0, start + before, stop)?;
            valid.push(true);
            let Ok(next) = i32::try_from(i64::from(end) + total) else {
                return exec_err!("array_insert: the result is too large for one batch");
            };
            offsets.push(next);
        }
        let list = ListArray::try_new(field.clone(), OffsetBuffer::new(offsets.into()), make_array(data.freeze()), Some(NullBuffer::from(valid)))?;
        crate::columnar(Arc::new(list) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placements() -> Result<()> {
        assert_eq!(placement(2, 1)?, (0, 0, 0));
        assert_eq!(placement(2, 3)?, (2, 0, 0));
        assert_eq!(placement(2, 5)?, (2, 2, 0));
        assert_eq!(placement(2, -1)?, (2, 0, 0));
        assert_eq!(placement(2, -3)?, (0, 0, 0));
        assert_eq!(placement(2, -5)?, (0, 0, 2));
        assert!(placement(2, 0).is_err());
        Ok(())
    }
}
