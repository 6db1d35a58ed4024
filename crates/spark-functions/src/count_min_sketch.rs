//! `count_min_sketch(x, eps, confidence, seed)`: Spark's `CountMinSketchImpl`
//! and its serialized form (version 1, total count, depth, width, the hash
//! factors, then the table, all big-endian). Width is `ceil(2 / eps)`,
//! depth `ceil(-ln(1 - confidence) / ln 2)`, the factors are drawn from
//! `java.util.Random(seed)`; integers hash by multiply-shift modulo 2^31-1,
//! strings and binary by two Murmur3 hashes of their bytes.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use crate::java_random::JavaRandom;
use crate::murmur_hash::hash_bytes;

const PRIME_MODULUS: i64 = (1 << 31) - 1;

#[derive(Debug, Clone, PartialEq)]
pub struct CountMinSketch {
    depth: usize,
    width: usize,
    hash_a: Vec<i64>,
    table: Vec<i64>,
    total: i64,
}

impl CountMinSketch {
    pub fn new(eps: f64, confidence: f64, seed: i32) -> Self {
        let width = (2.0 / eps).ceil() as usize;
        let depth = (-(1.0 - confidence).ln() / 2f64.ln()).ceil() as usize;
        let mut random = JavaRandom::new(i64::from(seed));
        let hash_a = (0..depth).map(|_| i64::from(random.next_int(i32::MAX))).collect();
        Self { depth, width, hash_a, table: vec![0; depth * width], total: 0 }
    }

    pub fn add_long(&mut self, item: i64) {
        for i in 0..self.depth {
            let mut hash = self.hash_a[i].wrapping_mul(item);
            hash = hash.wrapping_add(hash >> 32);
            hash &= PRIME_MODULUS;
            let bucket = (hash as i32 % self.width as i32) as usize;
            self.table[i * self.width + bucket] += 1;
        }
        self.total += 1;
    }

    pub fn add_bytes(&mut self, item: &[u8]) {
        let h1 = hash_bytes(item, 0) as i32;
        let h2 = hash_bytes(item, h1 as u32) as i32;
        for i in 0..self.depth {
            let combined = h1.wrapping_add((i as i32).wrapping_mul(h2));
            let bucket = (combined % self.width as i32).unsigned_abs() as usize;
            self.table[i * self.width + bucket] += 1;
        }
        self.total += 1;
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(20 + 8 * (self.depth + self.table.len()));
        out.extend_from_slice(&1i32.to_be_bytes());
        out.extend_from_slice(&self.total.to_be_bytes());
        out.extend_from_slice(&(self.depth as i32).to_be_bytes());
        out.extend_from_slice(&(self.width as i32).to_be_bytes());
        for a in &self.hash_a {
            out.extend_from_slice(&a.to_be_bytes());
        }
        for c in &self.table {
            out.extend_from_slice(&c.to_be_bytes());
        }
        out
    }

    /// Adds a serialized sketch of the same shape.
    pub fn merge_bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let long = |at: usize| -> Result<i64> {
            match bytes.get(at..at + 8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
                Some(b) => Ok(i64::from_be_bytes(b)),
                None => exec_err!("count_min_sketch: truncated state"),
            }
        };
        let expected = 20 + 8 * (self.depth + self.table.len());
        if bytes.len() != expected {
            return exec_err!("count_min_sketch: a state of another shape");
        }
        self.total += long(4)?;
        let table_at = 20 + 8 * self.depth;
        for (k, cell) in self.table.iter_mut().enumerate() {
            *cell += long(table_at + 8 * k)?;
        }
        Ok(())
    }
}

#[derive(Debug, PartialEq)]
pub struct SparkCountMinSketch {
    signature: Signature,
    eps: f64,
    confidence: f64,
    seed: i32,
}

impl Eq for SparkCountMinSketch {}

impl std::hash::Hash for SparkCountMinSketch {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.eps.to_bits().hash(state);
        self.confidence.to_bits().hash(state);
        self.seed.hash(state);
    }
}

impl SparkCountMinSketch {
    pub fn udaf(eps: f64, confidence: f64, seed: i32) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), eps, confidence, seed }))
    }
}

impl AggregateUDFImpl for SparkCountMinSketch {
    fn name(&self) -> &str {
        "count_min_sketch"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(SketchAccumulator(CountMinSketch::new(self.eps, self.confidence, self.seed))))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("sketch", DataType::Binary, true))])
    }
}

#[derive(Debug)]
struct SketchAccumulator(CountMinSketch);

impl Accumulator for SketchAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let v = &values[0];
        match v.data_type() {
            DataType::Utf8 => v.as_string::<i32>().iter().flatten().for_each(|s| self.0.add_bytes(s.as_bytes())),
            DataType::Utf8View => v.as_string_view().iter().flatten().for_each(|s| self.0.add_bytes(s.as_bytes())),
            DataType::Binary => v.as_binary::<i32>().iter().flatten().for_each(|b| self.0.add_bytes(b)),
            DataType::BinaryView => v.as_binary_view().iter().flatten().for_each(|b| self.0.add_bytes(b)),
            t if t.is_integer() => {
                let longs = datafusion::arrow::compute::cast(v, &DataType::Int64)?;
                longs.as_primitive::<datafusion::arrow::datatypes::Int64Type>().iter().flatten().for_each(|x| self.0.add_long(x));
            }
            other => return exec_err!("count_min_sketch cannot take {other}"),
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        for state in states[0].as_binary::<i32>().iter().flatten() {
            self.0.merge_bytes(state)?;
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(Some(self.0.to_bytes()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Binary(Some(self.0.to_bytes())))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + 8 * (self.0.table.len() + self.0.hash_a.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02X}")).collect()
    }

    #[test]
    fn spark_documented_example() {
        let mut s = CountMinSketch::new(0.5, 0.5, 1);
        for v in [1, 2, 1] {
            s.add_long(v);
        }
        assert_eq!(
            hex(&s.to_bytes()),
            "0000000100000000000000030000000100000004000000005D8D6AB90000000000000000000000000000000200000000000000010000000000000000"
        );
        let mut t = CountMinSketch::new(0.5, 0.5, 7);
        t.add_bytes(b"x");
        t.add_bytes(b"z");
        assert_eq!(hex(&t.to_bytes()), "0000000100000000000000020000000100000004000000005D878BCC0000000000000000000000000000000200000000000000000000000000000000");
    }
}
