//! The frequent-items counter of `DataFrame.freqItems` (Karp, Schenker and
//! Papadimitriou), as Spark's `FreqItemCounter` runs it: at most `size`
//! candidates; a new item when the counter is full either evicts every
//! candidate with the smallest count (taking the others down by it) or, if
//! its own count is smaller, takes every candidate down by its count.
//! Applied to the list of one group's values (each wrapped in a one-element
//! list so that NULLs are counted too), in order.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkFreqItems {
    signature: Signature,
    size: usize,
}

impl SparkFreqItems {
    pub fn udf(size: usize) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), size: size.max(1) }))
    }
}

/// The candidates left after adding `items` one by one.
pub fn frequent_items(items: impl IntoIterator<Item = ScalarValue>, size: usize) -> Vec<ScalarValue> {
    let mut counts: Vec<(ScalarValue, i64)> = Vec::new();
    for key in items {
        if let Some(entry) = counts.iter_mut().find(|(k, _)| *k == key) {
            entry.1 += 1;
        } else if counts.len() < size {
            counts.push((key, 1));
        } else {
            let min = counts.iter().map(|(_, c)| *c).min().unwrap_or(0);
            if 1 - min >= 0 {
                counts.push((key, 1));
                counts.retain(|(_, c)| *c > min);
                for e in counts.iter_mut() {
                    e.1 -= min;
                }
            } else {
                for e in counts.iter_mut() {
                    e.1 -= 1;
                }
            }
        }
    }
    counts.into_iter().map(|(k, _)| k).collect()
}

fn element_type(t: &DataType) -> DataType {
    match t {
        DataType::List(f) => match f.data_type() {
            DataType::List(inner) => inner.data_type().clone(),
            other => other.clone(),
        },
        other => other.clone(),
    }
}

impl ScalarUDFImpl for SparkFreqItems {
    fn name(&self) -> &str {
        "spark_freq_items"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        let t = args.first().map(element_type).unwrap_or(DataType::Null);
        Ok(DataType::List(Arc::new(Field::new("element", t, true))))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let Some(arg) = args.args.first() else { return exec_err!("spark_freq_items needs one argument") };
        let lists: ArrayRef = arg.to_array(args.number_rows)?;
        let t = element_type(lists.data_type());
        let field = Arc::new(Field::new("element", t.clone(), true));
        let Some(lists) = lists.as_list_opt::<i32>() else { return exec_err!("spark_freq_items expects a list of lists") };
        let mut values = Vec::new();
        let mut lengths = Vec::with_capacity(lists.len());
        for i in 0..lists.len() {
            let mut items = Vec::new();
            if lists.is_valid(i) {
                let wrapped = lists.value(i);
                let Some(wrapped) = wrapped.as_list_opt::<i32>() else { return exec_err!("spark_freq_items expects a list of lists") };
                for j in 0..wrapped.len() {
                    let inner = wrapped.value(j);
                    if !inner.is_empty() {
                        items.push(ScalarValue::try_from_array(&inner, 0)?);
                    }
                }
            }
            let kept = frequent_items(items, self.size);
            lengths.push(kept.len());
            values.extend(kept);
        }
        let values = if values.is_empty() { datafusion::arrow::array::new_empty_array(&t) } else { ScalarValue::iter_to_array(values)? };
        let out = ListArray::new(field, OffsetBuffer::from_lengths(lengths), values, None);
        Ok(ColumnarValue::Array(Arc::new(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_keeps_heavy_hitters() {
        let v = |x: i32| ScalarValue::Int32(Some(x));
        // support 0.6: a counter of one candidate.
        assert_eq!(frequent_items([v(1), v(1), v(1), v(2)], 1), vec![v(1)]);
        // A counter large enough keeps every item, in first-seen order.
        assert_eq!(frequent_items([v(3), v(1), v(3)], 5), vec![v(3), v(1)]);
    }
}
