//! The order in which Spark's `collect_set` and `collect_union` yield their
//! elements: that of the Scala `mutable.HashSet` they collect into. An
//! element sits in bucket `h & (capacity - 1)` of its improved hash
//! `h = hashCode ^ (hashCode >>> 16)`, and buckets keep their elements by
//! ascending `h`. The final set takes the partial sets whole, sized for
//! each (`sizeHint`: the power of two holding `(n + 1) / 0.75`, at least
//! 16) without growing further, so its capacity depends on how Spark
//! split the rows; this takes all rows as one partial set. Elements whose
//! hash is unknown keep their order. NULLs and duplicates are dropped.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, UInt32Array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::take;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::java_hash::java_hash_code;

/// The capacity a Scala `mutable.HashSet` is sized to for `n` elements.
fn capacity(n: usize) -> usize {
    (((n + 1) as f64 / 0.75) as usize).next_power_of_two().max(16)
}

/// The positions of `values`' distinct non-null elements in hash-set order.
pub fn set_order(values: &ArrayRef) -> Result<Vec<u32>> {
    let mut seen: Vec<(ScalarValue, u32)> = Vec::new();
    let mut index = std::collections::HashSet::new();
    for i in 0..values.len() {
        if values.is_null(i) {
            continue;
        }
        let v = ScalarValue::try_from_array(values, i)?;
        if index.insert(v.clone()) {
            seen.push((v, i as u32));
        }
    }
    let hashes: Option<Vec<i32>> = seen.iter().map(|(v, _)| java_hash_code(v).map(|h| h ^ ((h as u32) >> 16) as i32)).collect();
    let Some(hashes) = hashes else { return Ok(seen.into_iter().map(|(_, i)| i).collect()) };
    let mask = capacity(seen.len()) - 1;
    let mut order: Vec<usize> = (0..seen.len()).collect();
    order.sort_by_key(|&k| ((hashes[k] as u32 as usize) & mask, hashes[k]));
    Ok(order.into_iter().map(|k| seen[k].1).collect())
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkHashSetOrder {
    signature: Signature,
    /// Whether the input holds arrays to pool first (`collect_union`).
    flatten: bool,
}

impl SparkHashSetOrder {
    pub fn udf(flatten: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), flatten }))
    }
}

fn element_type(t: &DataType) -> Option<&DataType> {
    match t {
        DataType::List(f) | DataType::LargeList(f) => Some(f.data_type()),
        _ => None,
    }
}

impl ScalarUDFImpl for SparkHashSetOrder {
    fn name(&self) -> &str {
        "spark_hash_set_order"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        let outer = args.first().cloned().unwrap_or(DataType::Null);
        let item = if self.flatten { element_type(&outer).and_then(element_type).cloned() } else { element_type(&outer).cloned() };
        Ok(DataType::List(Arc::new(Field::new("item", item.unwrap_or(DataType::Null), true))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let input = args.args[0].to_array(n)?;
        let Some(lists) = input.as_list_opt::<i32>() else { return exec_err!("expected arrays, got {}", input.data_type()) };
        let mut lengths = Vec::with_capacity(n);
        let mut parts: Vec<ArrayRef> = Vec::with_capacity(n);
        for row in 0..n {
            let mut values = if lists.is_null(row) { datafusion::arrow::array::new_empty_array(&lists.value_type()) } else { lists.value(row) };
            if self.flatten {
                let Some(inner) = values.as_list_opt::<i32>() else { return exec_err!("collect_union takes arrays") };
                let (first, last) = (inner.value_offsets()[0] as usize, inner.value_offsets()[inner.len()] as usize);
                // Only the elements of non-NULL arrays.
                let kept: Vec<u32> = (0..inner.len()).filter(|i| inner.is_valid(*i)).flat_map(|i| inner.value_offsets()[i] as u32..inner.value_offsets()[i + 1] as u32).map(|k| k - first as u32).collect();
                let flat = inner.values().slice(first, last - first);
                values = take(flat.as_ref(), &UInt32Array::from(kept), None)?;
            }
            let order = set_order(&values)?;
            lengths.push(order.len());
            parts.push(take(values.as_ref(), &UInt32Array::from(order), None)?);
        }
        let item_type = match self.return_type(&[input.data_type().clone()])? {
            DataType::List(f) => f,
            _ => return exec_err!("set order type"),
        };
        let refs: Vec<&dyn Array> = parts.iter().map(|a| a.as_ref()).collect();
        let values = if refs.is_empty() { datafusion::arrow::array::new_empty_array(item_type.data_type()) } else { datafusion::arrow::compute::concat(&refs)? };
        let out = ListArray::try_new(item_type, OffsetBuffer::from_lengths(lengths), values, None)?;
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Float64Array, Int32Array, StringArray};

    fn ordered(values: ArrayRef) -> Vec<ScalarValue> {
        set_order(&values).unwrap_or_default().into_iter().map(|i| ScalarValue::try_from_array(&values, i as usize).unwrap_or(ScalarValue::Null)).collect()
    }

    #[test]
    fn spark_collect_set_orders() {
        // Spark 4.3: collect_set over these values.
        let ints: ArrayRef = Arc::new(Int32Array::from(vec![3, 17, 1, 16, 33, 2, -1, 100000]));
        assert_eq!(ordered(ints), [-1, 16, 1, 17, 33, 100000, 2, 3].map(|v| ScalarValue::Int32(Some(v))));
        let doubles: ArrayRef = Arc::new(Float64Array::from(vec![1.5, 2.0, -0.5]));
        assert_eq!(ordered(doubles), [-0.5, 2.0, 1.5].map(|v| ScalarValue::Float64(Some(v))));
        let strings: ArrayRef = Arc::new(StringArray::from(vec!["b", "a", "c", "d", "zz"]));
        assert_eq!(ordered(strings), ["a", "d", "c", "zz", "b"].map(|v| ScalarValue::Utf8(Some(v.into()))));
        let many: ArrayRef = Arc::new(Int32Array::from((0..30).rev().collect::<Vec<_>>()));
        assert_eq!(ordered(many), (0..30).map(|v| ScalarValue::Int32(Some(v))).collect::<Vec<_>>());
    }
}
