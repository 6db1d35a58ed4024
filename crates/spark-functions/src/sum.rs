//! `sum` and `try_sum` of integral values as Spark computes them: a BIGINT
//! that, on overflow, raises `ARITHMETIC_OVERFLOW` under ANSI mode, becomes
//! NULL for `try_sum`, and wraps around as a Java long otherwise
//! (DataFusion's sum always wraps).

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Int64Array};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, EmitTo, GroupsAccumulator, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// What an overflowing sum does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Overflow {
    /// ANSI mode: fail the query.
    Fail,
    /// `try_sum`: the group's sum is NULL.
    Null,
    /// Legacy mode: wrap around.
    Wrap,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkLongSum {
    signature: Signature,
    overflow: Overflow,
}

impl SparkLongSum {
    pub fn udaf(overflow: Overflow) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), overflow }))
    }
}

fn overflow_error() -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Arithmetic,
        "ARITHMETIC_OVERFLOW",
        "22003",
        "long overflow. Use 'try_sum' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
    )
    .param("message", "long overflow")
    .param("alternative", " Use 'try_sum' to tolerate overflow and return NULL instead.")
    .param("config", "\"spark.sql.ansi.enabled\"")
    .into_df()
}

/// One group's running sum.
#[derive(Debug, Clone, Copy, Default)]
struct Running {
    sum: i64,
    seen: bool,
    overflowed: bool,
}

impl Running {
    fn add(&mut self, v: i64, overflow: Overflow) -> Result<()> {
        self.seen = true;
        match self.sum.checked_add(v) {
            Some(s) => self.sum = s,
            None => match overflow {
                Overflow::Fail => return Err(overflow_error()),
                Overflow::Null => self.overflowed = true,
                Overflow::Wrap => self.sum = self.sum.wrapping_add(v),
            },
        }
        Ok(())
    }

    /// Folds in a partial result.
    fn merge(&mut self, other: Running, overflow: Overflow) -> Result<()> {
        if other.overflowed {
            self.seen = true;
            self.overflowed = true;
            return Ok(());
        }
        if other.seen { self.add(other.sum, overflow) } else { Ok(()) }
    }

    fn value(&self) -> Option<i64> {
        (self.seen && !self.overflowed).then_some(self.sum)
    }
}

fn as_longs(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(datafusion::arrow::compute::cast(a, &DataType::Int64)?)
}

impl AggregateUDFImpl for SparkLongSum {
    fn name(&self) -> &str {
        match self.overflow {
            Overflow::Null => "try_sum",
            _ => "sum",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SumAccumulator { overflow: self.overflow, running: Running::default() }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("sum", DataType::Int64, true)), Arc::new(Field::new("overflowed", DataType::Boolean, false))])
    }

    /// Over a sliding window frame: rows leave the frame as it moves.
    fn create_sliding_accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SlidingSum { overflow: self.overflow, sum: 0, count: 0 }))
    }

    fn groups_accumulator_supported(&self, _: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(SumGroups { overflow: self.overflow, groups: vec![] }))
    }
}

#[derive(Debug)]
struct SumAccumulator {
    overflow: Overflow,
    running: Running,
}

/// The partial results in a state batch, as `Running` values.
fn partials(states: &[ArrayRef]) -> Result<impl Iterator<Item = Running> + '_> {
    let (Some(sums), Some(flags)) = (states[0].as_primitive_opt::<Int64Type>(), states[1].as_boolean_opt()) else {
        return datafusion::common::exec_err!("sum: unexpected state");
    };
    Ok((0..sums.len()).map(move |i| Running { sum: sums.value(i), seen: sums.is_valid(i) || flags.value(i), overflowed: flags.value(i) }))
}

impl Accumulator for SumAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let longs = as_longs(&values[0])?;
        let longs = longs.as_primitive::<Int64Type>();
        for i in 0..longs.len() {
            if longs.is_valid(i) {
                self.running.add(longs.value(i), self.overflow)?;
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for p in partials(states)? {
            self.running.merge(p, self.overflow)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let r = self.running;
        Ok(vec![ScalarValue::Int64(r.seen.then_some(r.sum)), ScalarValue::Boolean(Some(r.overflowed))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(self.running.value()))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

/// The sum of a sliding window frame, kept exact (in 128 bits) as rows
/// enter and leave it; the overflow rule applies to each frame's sum.
#[derive(Debug)]
struct SlidingSum {
    overflow: Overflow,
    sum: i128,
    count: u64,
}

impl SlidingSum {
    fn fold(&mut self, values: &ArrayRef, sign: i128) -> Result<()> {
        let longs = as_longs(values)?;
        let longs = longs.as_primitive::<Int64Type>();
        for i in 0..longs.len() {
            if longs.is_valid(i) {
                self.sum += sign * longs.value(i) as i128;
                if sign > 0 { self.count += 1 } else { self.count = self.count.saturating_sub(1) }
            }
        }
        Ok(())
    }
}

impl Accumulator for SlidingSum {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.fold(&values[0], 1)
    }

    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.fold(&values[0], -1)
    }

    fn supports_retract_batch(&self) -> bool {
        true
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for p in partials(states)? {
            if p.seen {
                self.sum += p.sum as i128;
                self.count += 1;
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let v = self.evaluate()?;
        Ok(vec![v.clone(), ScalarValue::Boolean(Some(self.count > 0 && v.is_null()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        if self.count == 0 {
            return Ok(ScalarValue::Int64(None));
        }
        Ok(ScalarValue::Int64(match i64::try_from(self.sum) {
            Ok(v) => Some(v),
            Err(_) => match self.overflow {
                Overflow::Fail => return Err(overflow_error()),
                Overflow::Null => None,
                Overflow::Wrap => Some(self.sum as i64),
            },
        }))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

#[derive(Debug)]
struct SumGroups {
    overflow: Overflow,
    groups: Vec<Running>,
}

impl SumGroups {
    fn take(&mut self, emit_to: EmitTo) -> Vec<Running> {
        emit_to.take_needed(&mut self.groups)
    }
}

impl GroupsAccumulator for SumGroups {
    fn update_batch(&mut self, values: &[ArrayRef], group_indices: &[usize], opt_filter: Option<&BooleanArray>, total_num_groups: usize) -> Result<()> {
        self.groups.resize(total_num_groups, Running::default());
        let longs = as_longs(&values[0])?;
        let longs = longs.as_primitive::<Int64Type>();
        for (i, g) in group_indices.iter().enumerate() {
            if longs.is_null(i) || opt_filter.is_some_and(|f| !f.value(i) || f.is_null(i)) {
                continue;
            }
            self.groups[*g].add(longs.value(i), self.overflow)?;
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let taken = self.take(emit_to);
        Ok(Arc::new(taken.iter().map(|r| r.value()).collect::<Int64Array>()))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let taken = self.take(emit_to);
        let sums: Vec<i64> = taken.iter().map(|r| r.sum).collect();
        let valid = NullBuffer::from(taken.iter().map(|r| r.seen).collect::<Vec<bool>>());
        let flags = BooleanArray::from(taken.iter().map(|r| r.overflowed).collect::<Vec<bool>>());
        Ok(vec![Arc::new(Int64Array::new(sums.into(), Some(valid))), Arc::new(flags)])
    }

    fn merge_batch(&mut self, values: &[ArrayRef], group_indices: &[usize], total_num_groups: usize) -> Result<()> {
        self.groups.resize(total_num_groups, Running::default());
        for (p, g) in partials(values)?.zip(group_indices) {
            self.groups[*g].merge(p, self.overflow)?;
        }
        Ok(())
    }

    /// Each row as its own partial sum.
    fn convert_to_state(&self, values: &[ArrayRef], opt_filter: Option<&BooleanArray>) -> Result<Vec<ArrayRef>> {
        let longs = as_longs(&values[0])?;
        let longs = longs.as_primitive::<Int64Type>();
        let kept = (0..longs.len()).map(|i| longs.is_valid(i) && opt_filter.is_none_or(|f| f.is_valid(i) && f.value(i)));
        let valid = NullBuffer::from(kept.collect::<Vec<bool>>());
        let sums = Int64Array::new(longs.values().clone(), Some(valid));
        Ok(vec![Arc::new(sums), Arc::new(BooleanArray::from(vec![false; longs.len()]))])
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.groups.capacity() * std::mem::size_of::<Running>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(values: &[i64], overflow: Overflow) -> Result<Option<i64>> {
        let mut r = Running::default();
        for v in values {
            r.add(*v, overflow)?;
        }
        Ok(r.value())
    }

    #[test]
    fn overflow_by_mode() {
        assert_eq!(sum(&[1, 2], Overflow::Fail).ok(), Some(Some(3)));
        assert!(sum(&[i64::MAX, 1], Overflow::Fail).is_err());
        assert_eq!(sum(&[i64::MAX, 1], Overflow::Null).ok(), Some(None));
        assert_eq!(sum(&[i64::MAX, 1], Overflow::Wrap).ok(), Some(Some(i64::MIN)));
        assert_eq!(sum(&[], Overflow::Fail).ok(), Some(None));
    }
}
