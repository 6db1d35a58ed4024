//! `sum` and `try_sum` of integral and decimal values as Spark computes
//! them (DataFusion's sum wraps around silently):
//!
//! - integral values sum to a BIGINT which, on overflow, raises
//!   `ARITHMETIC_OVERFLOW` under ANSI mode and wraps around as a Java long
//!   otherwise;
//! - a DECIMAL(p, s) sums to DECIMAL(min(38, p + 10), s); a sum beyond that
//!   precision raises `NUMERIC_VALUE_OUT_OF_RANGE` (or, when partial sums
//!   overflow as they are combined, `ARITHMETIC_OVERFLOW`) under ANSI mode
//!   and is NULL otherwise;
//! - `try_sum` is NULL on overflow in both.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, Decimal128Array, Int64Array, PrimitiveArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Decimal128Type, Field, FieldRef, Int64Type, i256};
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
    /// Legacy mode: a BIGINT wraps around, a DECIMAL becomes NULL.
    Wrap,
}

/// The type a sum is computed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SumType {
    Long,
    /// An ANSI interval's units (BIGINT): months must stay within INT.
    /// Overflow fails whatever the ANSI mode (NULL for `try_sum`).
    Interval { months: bool },
    /// The result's DECIMAL(precision, scale); the input has the same scale.
    Decimal { precision: u8, scale: i8 },
}

impl SumType {
    /// The sum of a DECIMAL(p, s), as Spark types it.
    pub fn decimal_sum(p: u8, s: i8) -> Self {
        SumType::Decimal { precision: (p + 10).min(38), scale: s }
    }

    fn data_type(self) -> DataType {
        match self {
            SumType::Long | SumType::Interval { .. } => DataType::Int64,
            SumType::Decimal { precision, scale } => DataType::Decimal128(precision, scale),
        }
    }

    /// The input as exact integers in this type's unit.
    fn values(self, a: &ArrayRef) -> Result<PrimitiveArray<Decimal128Type>> {
        // A decimal of the sum's scale is read as it is (its precision is
        // at most the sum's).
        if let (SumType::Decimal { scale, .. }, DataType::Decimal128(_, s)) = (self, a.data_type())
            && *s == scale
        {
            return Ok(a.as_primitive::<Decimal128Type>().clone());
        }
        let t = match self {
            SumType::Long | SumType::Interval { .. } => DataType::Int64,
            SumType::Decimal { scale, .. } => DataType::Decimal128(38, scale),
        };
        let cast = datafusion::arrow::compute::cast(a, &t)?;
        Ok(match self {
            SumType::Long | SumType::Interval { .. } => cast.as_primitive::<Int64Type>().unary(|v| v as i128),
            SumType::Decimal { .. } => cast.as_primitive::<Decimal128Type>().clone(),
        })
    }

    /// `a + b`, `None` when it leaves the type's range.
    fn add(self, a: i128, b: i128) -> Option<i128> {
        let s = a.checked_add(b)?;
        self.fits(s).then_some(s)
    }

    /// The least and greatest sum the type holds.
    fn range(self) -> (i128, i128) {
        match self {
            SumType::Long | SumType::Interval { months: false } => (i128::from(i64::MIN), i128::from(i64::MAX)),
            SumType::Interval { months: true } => (i128::from(i32::MIN), i128::from(i32::MAX)),
            SumType::Decimal { precision, .. } => {
                let limit = crate::decimal::pow10_u128(precision) as i128 - 1;
                (-limit, limit)
            }
        }
    }

    fn fits(self, v: i128) -> bool {
        match self {
            SumType::Long | SumType::Interval { months: false } => i64::try_from(v).is_ok(),
            SumType::Interval { months: true } => i32::try_from(v).is_ok(),
            SumType::Decimal { precision, .. } => v.unsigned_abs() < crate::decimal::pow10_u128(precision),
        }
    }

    /// What a sum whose exact value `exact` left the type's range becomes:
    /// a wrapped BIGINT in legacy mode, an error under ANSI mode, else
    /// `None` (NULL). `combining`: the overflow came from adding partial
    /// sums.
    fn overflow(self, exact: i256, mode: Overflow, combining: bool) -> Result<Option<i128>> {
        match (mode, self) {
            (Overflow::Null, _) => Ok(None),
            (_, SumType::Interval { .. }) => Err(interval_overflow()),
            (Overflow::Wrap, SumType::Long) => Ok(Some(exact.as_i128() as i64 as i128)),
            (Overflow::Wrap, SumType::Decimal { .. }) => Ok(None),
            (Overflow::Fail, SumType::Long) => Err(long_overflow()),
            (Overflow::Fail, SumType::Decimal { .. }) if combining => Err(decimal_sum_overflow()),
            (Overflow::Fail, SumType::Decimal { precision, scale }) => Err(crate::decimal::out_of_range(exact, precision, scale)),
        }
    }

    fn array(self, sums: Vec<i128>, valid: Option<NullBuffer>) -> Result<ArrayRef> {
        Ok(match self {
            SumType::Long | SumType::Interval { .. } => Arc::new(Int64Array::new(sums.into_iter().map(|v| v as i64).collect(), valid)),
            SumType::Decimal { precision, scale } => {
                Arc::new(Decimal128Array::new(sums.into(), valid).with_precision_and_scale(precision, scale)?)
            }
        })
    }

    fn scalar(self, v: Option<i128>) -> ScalarValue {
        match self {
            SumType::Long | SumType::Interval { .. } => ScalarValue::Int64(v.map(|v| v as i64)),
            SumType::Decimal { precision, scale } => ScalarValue::Decimal128(v, precision, scale),
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkSum {
    signature: Signature,
    sum_type: SumType,
    overflow: Overflow,
}

impl SparkSum {
    pub fn udaf(sum_type: SumType, overflow: Overflow) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), sum_type, overflow }))
    }
}

fn long_overflow() -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Arithmetic,
        "ARITHMETIC_OVERFLOW",
        "22003",
        "overflow. Use 'try_add' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
    )
    .param("message", "overflow")
    .param("alternative", " Use 'try_add' to tolerate overflow and return NULL instead.")
    .param("config", "\"spark.sql.ansi.enabled\"")
    .into_df()
}

fn interval_overflow() -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Arithmetic,
        "INTERVAL_ARITHMETIC_OVERFLOW.WITH_SUGGESTION",
        "22015",
        "Integer overflow while operating with intervals. Use 'try_sum' to tolerate overflow and return NULL instead.",
    )
    .param("functionName", "`try_sum`")
    .into_df()
}

fn decimal_sum_overflow() -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Arithmetic,
        "ARITHMETIC_OVERFLOW",
        "22003",
        "Overflow in sum of decimals. Use 'try_sum' to tolerate overflow and return NULL instead. If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
    )
    .param("message", "Overflow in sum of decimals")
    .param("alternative", " Use 'try_sum' to tolerate overflow and return NULL instead.")
    .param("config", "\"spark.sql.ansi.enabled\"")
    .into_df()
}

/// One group's running sum.
#[derive(Debug, Clone, Copy, Default)]
struct Running {
    sum: i128,
    seen: bool,
    overflowed: bool,
}

impl Running {
    /// Adds one input value, or (`combining`) a partial sum that did not
    /// overflow; `range` is `t.range()`, worked out once per batch.
    #[inline]
    fn add_in(&mut self, v: i128, range: (i128, i128), t: SumType, mode: Overflow, combining: bool) -> Result<()> {
        self.seen = true;
        if self.overflowed {
            return Ok(());
        }
        match self.sum.checked_add(v) {
            Some(s) if s >= range.0 && s <= range.1 => {
                self.sum = s;
                Ok(())
            }
            _ => self.add(v, t, mode, combining),
        }
    }

    fn add(&mut self, v: i128, t: SumType, mode: Overflow, combining: bool) -> Result<()> {
        self.seen = true;
        if self.overflowed {
            return Ok(());
        }
        match t.add(self.sum, v) {
            Some(s) => self.sum = s,
            None => match t.overflow(i256::from_i128(self.sum).wrapping_add(i256::from_i128(v)), mode, combining)? {
                Some(s) => self.sum = s,
                None => self.overflowed = true,
            },
        }
        Ok(())
    }

    /// Folds in a partial result.
    fn merge(&mut self, other: Running, t: SumType, mode: Overflow) -> Result<()> {
        if other.overflowed {
            if mode == Overflow::Fail {
                return Err(match t {
                    SumType::Long => long_overflow(),
                    SumType::Interval { .. } => interval_overflow(),
                    SumType::Decimal { .. } => decimal_sum_overflow(),
                });
            }
            self.seen = true;
            self.overflowed = true;
            return Ok(());
        }
        if other.seen { self.add(other.sum, t, mode, true) } else { Ok(()) }
    }

    fn value(&self) -> Option<i128> {
        (self.seen && !self.overflowed).then_some(self.sum)
    }
}

impl AggregateUDFImpl for SparkSum {
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
        Ok(self.sum_type.data_type())
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SumAccumulator { sum_type: self.sum_type, overflow: self.overflow, running: Running::default() }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![
            Arc::new(Field::new("sum", self.sum_type.data_type(), true)),
            Arc::new(Field::new("overflowed", DataType::Boolean, false)),
        ])
    }

    /// Over a sliding window frame: rows leave the frame as it moves.
    fn create_sliding_accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SlidingSum { sum_type: self.sum_type, overflow: self.overflow, sum: i256::ZERO, count: 0 }))
    }

    fn groups_accumulator_supported(&self, _: AccumulatorArgs) -> bool {
        true
    }

    fn create_groups_accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn GroupsAccumulator>> {
        Ok(Box::new(SumGroups { sum_type: self.sum_type, overflow: self.overflow, groups: vec![], rows: 0, merged: false }))
    }
}

#[derive(Debug)]
struct SumAccumulator {
    sum_type: SumType,
    overflow: Overflow,
    running: Running,
}

/// The partial results in a state batch, as `Running` values.
fn partials(t: SumType, states: &[ArrayRef]) -> Result<impl Iterator<Item = Running> + '_> {
    let sums = t.values(&states[0])?;
    let Some(flags) = states[1].as_boolean_opt() else {
        return datafusion::common::exec_err!("sum: unexpected state");
    };
    Ok((0..sums.len()).map(move |i| Running { sum: sums.value(i), seen: sums.is_valid(i) || flags.value(i), overflowed: flags.value(i) }))
}

impl Accumulator for SumAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let values = self.sum_type.values(&values[0])?;
        let range = self.sum_type.range();
        for i in 0..values.len() {
            if values.is_valid(i) {
                self.running.add_in(values.value(i), range, self.sum_type, self.overflow, false)?;
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for p in partials(self.sum_type, states)? {
            self.running.merge(p, self.sum_type, self.overflow)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        let r = self.running;
        Ok(vec![self.sum_type.scalar(r.seen.then_some(r.sum)), ScalarValue::Boolean(Some(r.overflowed))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(self.sum_type.scalar(self.running.value()))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

/// The sum of a sliding window frame, kept exact (in 256 bits) as rows
/// enter and leave it; the overflow rule applies to each frame's sum.
#[derive(Debug)]
struct SlidingSum {
    sum_type: SumType,
    overflow: Overflow,
    sum: i256,
    count: u64,
}

impl SlidingSum {
    fn fold(&mut self, values: &ArrayRef, retract: bool) -> Result<()> {
        let values = self.sum_type.values(values)?;
        for i in 0..values.len() {
            if values.is_valid(i) {
                let v = i256::from_i128(values.value(i));
                if retract {
                    self.sum = self.sum.wrapping_sub(v);
                    self.count = self.count.saturating_sub(1);
                } else {
                    self.sum = self.sum.wrapping_add(v);
                    self.count += 1;
                }
            }
        }
        Ok(())
    }
}

impl Accumulator for SlidingSum {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.fold(&values[0], false)
    }

    fn retract_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        self.fold(&values[0], true)
    }

    fn supports_retract_batch(&self) -> bool {
        true
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for p in partials(self.sum_type, states)? {
            if p.seen {
                self.sum = self.sum.wrapping_add(i256::from_i128(p.sum));
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
            return Ok(self.sum_type.scalar(None));
        }
        let t = self.sum_type;
        let value = match self.sum.to_i128().filter(|v| t.fits(*v)) {
            Some(v) => Some(v),
            None => t.overflow(self.sum, self.overflow, false)?,
        };
        Ok(t.scalar(value))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

#[derive(Debug)]
struct SumGroups {
    sum_type: SumType,
    overflow: Overflow,
    groups: Vec<Running>,
    /// Input rows added so far, and whether partial sums were merged in:
    /// while every group's sum is bounded by rows x the largest input, a
    /// decimal sum cannot overflow and is added without checks.
    rows: u128,
    merged: bool,
}

impl SumGroups {
    fn take(&mut self, emit_to: EmitTo) -> Vec<Running> {
        emit_to.take_needed(&mut self.groups)
    }
}

impl GroupsAccumulator for SumGroups {
    fn update_batch(&mut self, values: &[ArrayRef], group_indices: &[usize], opt_filter: Option<&BooleanArray>, total_num_groups: usize) -> Result<()> {
        self.groups.resize(total_num_groups, Running::default());
        let (t, mode) = (self.sum_type, self.overflow);
        let range = t.range();
        let groups = &mut self.groups;
        let skip = |i: usize| opt_filter.is_some_and(|f| !f.value(i) || f.is_null(i));
        // BIGINT inputs are read as they are (no widened copy).
        if matches!(t, SumType::Long | SumType::Interval { .. }) {
            let values = datafusion::arrow::compute::cast(&values[0], &DataType::Int64)?;
            let values = values.as_primitive::<Int64Type>();
            let (data, nulls) = (values.values(), values.nulls());
            for (i, g) in group_indices.iter().enumerate() {
                if nulls.is_some_and(|n| n.is_null(i)) || skip(i) {
                    continue;
                }
                groups[*g].add_in(i128::from(data[i]), range, t, mode, false)?;
            }
            return Ok(());
        }
        let input_precision = match values[0].data_type() {
            DataType::Decimal128(p, _) => Some(*p),
            _ => None,
        };
        let values = t.values(&values[0])?;
        let (data, nulls) = (values.values(), values.nulls());
        self.rows = self.rows.saturating_add(data.len() as u128);
        if let (SumType::Decimal { precision, .. }, Some(p)) = (t, input_precision)
            && !self.merged
            && crate::decimal::pow10_u128(p).checked_mul(self.rows).is_some_and(|bound| bound <= crate::decimal::pow10_u128(precision))
        {
            // |sum| < rows x 10^p <= 10^precision: no group can overflow.
            for (i, g) in group_indices.iter().enumerate() {
                if nulls.is_some_and(|n| n.is_null(i)) || skip(i) {
                    continue;
                }
                let r = &mut groups[*g];
                r.sum = r.sum.wrapping_add(data[i]);
                r.seen = true;
            }
            return Ok(());
        }
        for (i, g) in group_indices.iter().enumerate() {
            if nulls.is_some_and(|n| n.is_null(i)) || skip(i) {
                continue;
            }
            groups[*g].add_in(data[i], range, t, mode, false)?;
        }
        Ok(())
    }

    fn evaluate(&mut self, emit_to: EmitTo) -> Result<ArrayRef> {
        let taken = self.take(emit_to);
        let valid = NullBuffer::from(taken.iter().map(|r| r.value().is_some()).collect::<Vec<bool>>());
        self.sum_type.array(taken.iter().map(|r| r.sum).collect(), Some(valid))
    }

    fn state(&mut self, emit_to: EmitTo) -> Result<Vec<ArrayRef>> {
        let taken = self.take(emit_to);
        let valid = NullBuffer::from(taken.iter().map(|r| r.seen).collect::<Vec<bool>>());
        let flags = BooleanArray::from(taken.iter().map(|r| r.overflowed).collect::<Vec<bool>>());
        Ok(vec![self.sum_type.array(taken.iter().map(|r| r.sum).collect(), Some(valid))?, Arc::new(flags)])
    }

    fn merge_batch(&mut self, values: &[ArrayRef], group_indices: &[usize], total_num_groups: usize) -> Result<()> {
        self.merged = true;
        self.groups.resize(total_num_groups, Running::default());
        let (t, mode) = (self.sum_type, self.overflow);
        let range = t.range();
        let sums = t.values(&values[0])?;
        let Some(flags) = values[1].as_boolean_opt() else {
            return datafusion::common::exec_err!("sum: unexpected state");
        };
        let data = sums.values();
        for (i, g) in group_indices.iter().enumerate() {
            let group = &mut self.groups[*g];
            if flags.value(i) {
                group.merge(Running { sum: 0, seen: true, overflowed: true }, t, mode)?;
            } else if sums.is_valid(i) {
                group.add_in(data[i], range, t, mode, true)?;
            }
        }
        Ok(())
    }

    /// Each row as its own partial sum.
    fn convert_to_state(&self, values: &[ArrayRef], opt_filter: Option<&BooleanArray>) -> Result<Vec<ArrayRef>> {
        let values = self.sum_type.values(&values[0])?;
        let kept = (0..values.len()).map(|i| values.is_valid(i) && opt_filter.is_none_or(|f| f.is_valid(i) && f.value(i)));
        let valid = NullBuffer::from(kept.collect::<Vec<bool>>());
        let sums = self.sum_type.array(values.values().to_vec(), Some(valid))?;
        Ok(vec![sums, Arc::new(BooleanArray::from(vec![false; values.len()]))])
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.groups.capacity() * std::mem::size_of::<Running>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(values: &[i128], t: SumType, overflow: Overflow) -> Result<Option<i128>> {
        let mut r = Running::default();
        for v in values {
            r.add(*v, t, overflow, false)?;
        }
        Ok(r.value())
    }

    fn group_sums(input: Decimal128Array, t: SumType, overflow: Overflow) -> Result<ArrayRef> {
        let mut acc = SumGroups { sum_type: t, overflow, groups: vec![], rows: 0, merged: false };
        let n = input.len();
        let groups: Vec<usize> = (0..n).map(|i| i % 2).collect();
        acc.update_batch(&[Arc::new(input) as ArrayRef], &groups, None, 2)?;
        acc.evaluate(EmitTo::All)
    }

    #[test]
    fn grouped_decimal_sums_with_and_without_checks() {
        // DECIMAL(15, 2) into DECIMAL(25, 2): no check needed.
        let input = Decimal128Array::from(vec![Some(150), None, Some(-25), Some(99_999_999_999_999), Some(1)]).with_precision_and_scale(15, 2).expect("type");
        let sums = group_sums(input, SumType::decimal_sum(15, 2), Overflow::Fail).expect("sums");
        let sums = sums.as_primitive::<Decimal128Type>();
        assert_eq!((sums.value(0), sums.value(1)), (126, 99_999_999_999_999));
        // DECIMAL(38, 0) overflows and is caught.
        let max = 10i128.pow(38) - 1;
        let input = Decimal128Array::from(vec![Some(max), Some(1), Some(max), Some(1)]).with_precision_and_scale(38, 0).expect("type");
        assert!(group_sums(input.clone(), SumType::decimal_sum(38, 0), Overflow::Fail).is_err());
        let sums = group_sums(input, SumType::decimal_sum(38, 0), Overflow::Null).expect("sums");
        assert_eq!(sums.null_count(), 1);
    }

    #[test]
    fn long_overflow_by_mode() {
        let max = i64::MAX as i128;
        assert_eq!(sum(&[1, 2], SumType::Long, Overflow::Fail).ok(), Some(Some(3)));
        assert!(sum(&[max, 1], SumType::Long, Overflow::Fail).is_err());
        assert_eq!(sum(&[max, 1], SumType::Long, Overflow::Null).ok(), Some(None));
        assert_eq!(sum(&[max, 1], SumType::Long, Overflow::Wrap).ok(), Some(Some(i64::MIN as i128)));
        assert_eq!(sum(&[], SumType::Long, Overflow::Fail).ok(), Some(None));
    }

    #[test]
    fn decimal_sums_stop_at_their_precision() {
        let t = SumType::decimal_sum(28, 0);
        let max = 10i128.pow(38) - 1;
        assert_eq!(t, SumType::Decimal { precision: 38, scale: 0 });
        assert_eq!(sum(&[max - 1, 1], t, Overflow::Fail).ok(), Some(Some(max)));
        assert!(sum(&[max, 1], t, Overflow::Fail).is_err());
        assert_eq!(sum(&[max, 1], t, Overflow::Wrap).ok(), Some(None));
        assert_eq!(sum(&[max, max, -max], t, Overflow::Null).ok(), Some(None));
    }
}
