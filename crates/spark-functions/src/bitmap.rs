//! Spark's bitmap aggregates over its plain binary bitmaps of 4096 bytes
//! (32 768 bits, bit `p` at byte `p / 8`, bit `p % 8`):
//! `bitmap_construct_agg(position)`, `bitmap_or_agg(bitmap)` and
//! `bitmap_and_agg(bitmap)`. Shorter input bitmaps are read as zero-filled,
//! as in Spark.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// Bytes in a bitmap.
pub const NUM_BYTES: usize = 4096;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BitmapAgg {
    /// Sets the bit of every position.
    Construct,
    Or,
    And,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkBitmapAgg {
    signature: Signature,
    kind: BitmapAgg,
}

impl SparkBitmapAgg {
    pub fn udaf(kind: BitmapAgg) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), kind }))
    }
}

impl AggregateUDFImpl for SparkBitmapAgg {
    fn name(&self) -> &str {
        match self.kind {
            BitmapAgg::Construct => "bitmap_construct_agg",
            BitmapAgg::Or => "bitmap_or_agg",
            BitmapAgg::And => "bitmap_and_agg",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let fill = if self.kind == BitmapAgg::And { 0xFF } else { 0 };
        Ok(Box::new(BitmapAccumulator { kind: self.kind, bitmap: vec![fill; NUM_BYTES] }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("bitmap", DataType::Binary, false))])
    }

    fn default_value(&self, _: &DataType) -> Result<ScalarValue> {
        let fill = if self.kind == BitmapAgg::And { 0xFF } else { 0 };
        Ok(ScalarValue::Binary(Some(vec![fill; NUM_BYTES])))
    }
}

#[derive(Debug)]
struct BitmapAccumulator {
    kind: BitmapAgg,
    bitmap: Vec<u8>,
}

impl BitmapAccumulator {
    fn set(&mut self, position: i64) -> Result<()> {
        if position < 0 || position >= (NUM_BYTES * 8) as i64 {
            return Err(SparkRuntimeError::new(
                RuntimeKind::ArrayIndexOutOfBounds,
                "INVALID_BITMAP_POSITION",
                "22003",
                format!("The 0-indexed bitmap position {position} is out of bounds. The bitmap has {} bits ({NUM_BYTES} bytes).", NUM_BYTES * 8),
            )
            .param("bitPosition", position.to_string())
            .param("bitmapNumBytes", NUM_BYTES.to_string())
            .param("bitmapNumBits", (NUM_BYTES * 8).to_string())
            .into_df());
        }
        self.bitmap[(position / 8) as usize] |= 1 << (position % 8);
        Ok(())
    }

    /// Combines another bitmap into this one (OR, or AND with missing bytes as zero).
    fn merge(&mut self, other: &[u8], and: bool) {
        let n = other.len().min(self.bitmap.len());
        if and {
            for (a, b) in self.bitmap.iter_mut().zip(other) {
                *a &= b;
            }
            for a in &mut self.bitmap[n..] {
                *a = 0;
            }
        } else {
            for (a, b) in self.bitmap.iter_mut().zip(other) {
                *a |= b;
            }
        }
    }

    fn merge_all(&mut self, a: &ArrayRef, and: bool) -> Result<()> {
        for i in 0..a.len() {
            if let Some(b) = crate::bytes_at(a.as_ref(), i) {
                self.merge(b, and);
            }
        }
        Ok(())
    }
}

impl Accumulator for BitmapAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let a = &values[0];
        match self.kind {
            BitmapAgg::Construct => {
                let positions = datafusion::arrow::compute::cast(a, &DataType::Int64)?;
                let positions = positions.as_primitive::<Int64Type>();
                for i in 0..positions.len() {
                    if positions.is_valid(i) {
                        self.set(positions.value(i))?;
                    }
                }
                Ok(())
            }
            BitmapAgg::Or => self.merge_all(a, false),
            BitmapAgg::And => self.merge_all(a, true),
        }
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.merge_all(&states[0], self.kind == BitmapAgg::And)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(Some(self.bitmap.clone()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Binary(Some(self.bitmap.clone())))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.bitmap.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn construct_sets_bits_and_rejects_out_of_range() {
        let mut acc = BitmapAccumulator { kind: BitmapAgg::Construct, bitmap: vec![0; NUM_BYTES] };
        for p in [0, 1, 2] {
            acc.set(p).unwrap();
        }
        assert_eq!(&acc.bitmap[..2], &[0x07, 0]);
        assert!(acc.set(32768).is_err());
        assert!(acc.set(-1).is_err());
    }

    #[test]
    fn and_zeroes_missing_bytes() {
        let mut acc = BitmapAccumulator { kind: BitmapAgg::And, bitmap: vec![0xFF; NUM_BYTES] };
        acc.merge(&[0xF0], true);
        acc.merge(&[0x70], true);
        assert_eq!(&acc.bitmap[..2], &[0x70, 0]);
        let mut or = BitmapAccumulator { kind: BitmapAgg::Or, bitmap: vec![0; NUM_BYTES] };
        or.merge(&[0x10], false);
        or.merge(&[0x20], false);
        assert_eq!(&or.bitmap[..2], &[0x30, 0]);
    }
}
