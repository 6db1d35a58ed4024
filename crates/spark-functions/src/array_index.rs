//! Array element access with Spark's index rules: `arr[i]` (0-based) and
//! `element_at(arr, i)` (1-based, negative from the end). Outside the array
//! ANSI mode raises INVALID_ARRAY_INDEX / INVALID_ARRAY_INDEX_IN_ELEMENT_AT;
//! otherwise (and for `try_element_at`) the result is NULL.
//! `element_at(arr, 0)` is always an error.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Int64Array, UInt32Array};
use datafusion::arrow::compute::{cast, take};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexStyle {
    /// `arr[i]`: 0-based.
    Subscript,
    /// `element_at(arr, i)`: 1-based, negative counts from the end.
    ElementAt,
    /// `elt(i, a1, a2, ...)` over `array(a1, a2, ...)`: 1-based, failing as
    /// a subscript does.
    Elt,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkArrayElement {
    signature: Signature,
    style: IndexStyle,
    fail_on_error: bool,
}

impl SparkArrayElement {
    pub fn udf(style: IndexStyle, fail_on_error: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), style, fail_on_error }))
    }
}

/// Spark's error for a 1-based index of 0 (`element_at`, `split_part`).
pub(crate) fn index_of_zero() -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "INVALID_INDEX_OF_ZERO",
        "22003",
        "The index 0 is invalid. An index shall be either < 0 or > 0 (the first element has index 1).",
    )
}

fn out_of_bounds(style: IndexStyle, index: i64, len: usize) -> SparkRuntimeError {
    match style {
        IndexStyle::Subscript | IndexStyle::Elt => SparkRuntimeError::new(
            RuntimeKind::ArrayIndexOutOfBounds,
            "INVALID_ARRAY_INDEX",
            "22003",
            format!("The index {index} is out of bounds. The array has {len} elements. Use the SQL function `get()` to tolerate accessing element at invalid index and return NULL instead."),
        ),
        IndexStyle::ElementAt => SparkRuntimeError::new(
            RuntimeKind::ArrayIndexOutOfBounds,
            "INVALID_ARRAY_INDEX_IN_ELEMENT_AT",
            "22003",
            format!("The index {index} is out of bounds. The array has {len} elements. Use `try_element_at` to tolerate accessing element at invalid index and return NULL instead."),
        ),
    }
    .param("indexValue", index.to_string())
    .param("arraySize", len.to_string())
}

impl ScalarUDFImpl for SparkArrayElement {
    fn name(&self) -> &str {
        "spark_array_element"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.first() {
            Some(DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _)) => Ok(f.data_type().clone()),
            Some(DataType::Null) | None => Ok(DataType::Null),
            Some(other) => exec_err!("spark_array_element expects an array, not {other}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let [list, index] = args.args.as_slice() else { return exec_err!("spark_array_element needs two arguments") };
        let list = list.to_array(rows)?;
        if list.data_type().is_null() {
            return Ok(ColumnarValue::Array(list));
        }
        let list = cast(&list, &DataType::List(match list.data_type() {
            DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => f.clone(),
            other => return exec_err!("spark_array_element expects an array, not {other}"),
        }))?;
        let lists = list.as_list::<i32>();
        let index = cast(&index.to_array(rows)?, &DataType::Int64)?;
        let index: &Int64Array = index.as_primitive();
        let offsets = lists.value_offsets();
        let mut picks: Vec<Option<u32>> = Vec::with_capacity(rows);
        for row in 0..rows {
            if lists.is_null(row) || index.is_null(row) {
                picks.push(None);
                continue;
            }
            let (start, end) = (offsets[row] as i64, offsets[row + 1] as i64);
            let len = end - start;
            let i = index.value(row);
            let position = match self.style {
                IndexStyle::Subscript => i,
                IndexStyle::ElementAt if i == 0 => return Err(index_of_zero().into_df()),
                IndexStyle::ElementAt if i > 0 => i - 1,
                IndexStyle::ElementAt => len + i,
                IndexStyle::Elt => i - 1,
            };
            if position < 0 || position >= len {
                if self.fail_on_error {
                    return Err(out_of_bounds(self.style, i, len as usize).into_df());
                }
                picks.push(None);
                continue;
            }
            picks.push(Some((start + position) as u32));
        }
        let values: ArrayRef = take(lists.values().as_ref(), &UInt32Array::from(picks), None)?;
        Ok(ColumnarValue::Array(values))
    }
}
