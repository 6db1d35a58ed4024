//! `mode(x[, deterministic])` and `mode() WITHIN GROUP (ORDER BY x [DESC])`:
//! the most frequent non-null value.
//!
//! Among equally frequent values, the ordered forms pick the smallest (or,
//! descending, the largest). The plain form picks what Spark's hash map
//! yields first: values sit at `murmur3(hashCode) & (capacity - 1)` of a
//! table that starts at 64 slots, probes `+1, +2, ...` on collisions and
//! doubles past 70% load, and the first slot holding a most frequent value
//! wins. That is emulated here for the types whose Java `hashCode` is known
//! (integers, floating point, strings, booleans, dates); for other types the
//! smallest value wins.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use crate::java_hash::java_hash_code;
use crate::murmur_hash::hash_int;

/// How ties between equally frequent values are broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ties {
    /// Spark's hash-map order.
    HashOrder,
    Smallest,
    Largest,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMode {
    signature: Signature,
    ties: Ties,
}

impl SparkMode {
    pub fn udaf(ties: Ties) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), ties }))
    }
}

impl AggregateUDFImpl for SparkMode {
    fn name(&self) -> &str {
        "mode"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        Ok(args.first().cloned().unwrap_or(DataType::Null))
    }

    fn accumulator(&self, args: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let data_type = args.expr_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(Box::new(ModeAccumulator { ties: self.ties, data_type, counts: HashMap::new(), order: vec![] }))
    }

    fn state_fields(&self, args: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        let t = args.input_fields.first().map(|f| f.data_type().clone()).unwrap_or(DataType::Null);
        Ok(vec![
            Arc::new(Field::new("values", DataType::List(Arc::new(Field::new("item", t, true))), true)),
            Arc::new(Field::new("counts", DataType::List(Arc::new(Field::new("item", DataType::Int64, true))), true)),
        ])
    }
}

#[derive(Debug)]
struct ModeAccumulator {
    ties: Ties,
    data_type: DataType,
    counts: HashMap<ScalarValue, i64>,
    /// Distinct values in first-seen order (the hash map's insertion order).
    order: Vec<ScalarValue>,
}

impl ModeAccumulator {
    fn add(&mut self, v: ScalarValue, n: i64) {
        if v.is_null() {
            return;
        }
        match self.counts.get_mut(&v) {
            Some(c) => *c += n,
            None => {
                self.counts.insert(v.clone(), n);
                self.order.push(v);
            }
        }
    }

    fn list(values: Vec<ScalarValue>, t: &DataType) -> Result<ScalarValue> {
        let field = Arc::new(Field::new("item", t.clone(), true));
        let array = if values.is_empty() { datafusion::arrow::array::new_empty_array(t) } else { ScalarValue::iter_to_array(values)? };
        Ok(ScalarValue::List(Arc::new(ListArray::new(field, OffsetBuffer::from_lengths([array.len()]), array, None))))
    }
}

/// The slot order in which Spark's `OpenHashMap` yields `keys` inserted in
/// this order; `None` when a key's hash code is unknown.
fn hash_map_order(keys: &[ScalarValue]) -> Option<Vec<usize>> {
    let hashes: Vec<u32> = keys.iter().map(|k| java_hash_code(k).map(|h| hash_int(h, 0))).collect::<Option<_>>()?;
    let mut capacity = 64usize;
    while keys.len() as f64 > capacity as f64 * 0.7 {
        capacity *= 2;
    }
    // Growth rehashes in slot order, which is what the final layout gives
    // for keys that do not collide; collisions probe in insertion order.
    let mut slots: Vec<Option<usize>> = vec![None; capacity];
    for (i, h) in hashes.iter().enumerate() {
        let mask = capacity - 1;
        let mut pos = (*h as usize) & mask;
        let mut delta = 1;
        while slots[pos].is_some() {
            pos = (pos + delta) & mask;
            delta += 1;
        }
        slots[pos] = Some(i);
    }
    Some(slots.into_iter().flatten().collect())
}

impl Accumulator for ModeAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let a = &values[0];
        for i in 0..a.len() {
            if a.is_valid(i) {
                self.add(ScalarValue::try_from_array(a, i)?, 1);
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let (Some(values), Some(counts)) = (states[0].as_list_opt::<i32>(), states[1].as_list_opt::<i32>()) else {
            return datafusion::common::exec_err!("mode: unexpected state");
        };
        for row in 0..values.len() {
            if values.is_null(row) {
                continue;
            }
            let (v, c) = (values.value(row), counts.value(row));
            let Some(c) = c.as_primitive_opt::<Int64Type>() else {
                return datafusion::common::exec_err!("mode: unexpected state");
            };
            for i in 0..v.len() {
                self.add(ScalarValue::try_from_array(&v, i)?, c.value(i));
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let counts: Vec<ScalarValue> = self.order.iter().map(|v| ScalarValue::Int64(self.counts.get(v).copied())).collect();
        Ok(vec![Self::list(self.order.clone(), &self.data_type)?, Self::list(counts, &DataType::Int64)?])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let Some(best) = self.counts.values().copied().max() else {
            return ScalarValue::try_from(&self.data_type);
        };
        let mut top: Vec<&ScalarValue> = self.order.iter().filter(|v| self.counts.get(*v) == Some(&best)).collect();
        let smallest = |top: &mut Vec<&ScalarValue>| {
            top.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        };
        let chosen = match self.ties {
            Ties::Smallest => {
                smallest(&mut top);
                top.first().copied()
            }
            Ties::Largest => {
                smallest(&mut top);
                top.last().copied()
            }
            Ties::HashOrder => match hash_map_order(&self.order) {
                Some(slots) => slots.into_iter().map(|i| &self.order[i]).find(|v| self.counts.get(*v) == Some(&best)),
                None => {
                    smallest(&mut top);
                    top.first().copied()
                }
            },
        };
        match chosen {
            Some(v) => Ok(v.clone()),
            None => ScalarValue::try_from(&self.data_type),
        }
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.order.iter().map(|v| v.size() * 2).sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(values: &[i32], ties: Ties) -> ScalarValue {
        let mut acc = ModeAccumulator { ties, data_type: DataType::Int32, counts: HashMap::new(), order: vec![] };
        for v in values {
            acc.add(ScalarValue::Int32(Some(*v)), 1);
        }
        acc.evaluate().unwrap()
    }

    #[test]
    fn ties_follow_spark() {
        // Spark 4.3: mode(col, false) over -10, 0, 10 is 0; over 1, 2, 2, 1 is 1.
        assert_eq!(mode(&[-10, 0, 10], Ties::HashOrder), ScalarValue::Int32(Some(0)));
        assert_eq!(mode(&[1, 2, 2, 1], Ties::HashOrder), ScalarValue::Int32(Some(1)));
        assert_eq!(mode(&[1, 2, 2, 1], Ties::Largest), ScalarValue::Int32(Some(2)));
        assert_eq!(mode(&[0, 10, 10, 20, 20], Ties::Smallest), ScalarValue::Int32(Some(10)));
        assert_eq!(mode(&[], Ties::Smallest), ScalarValue::Int32(None));
    }
}
