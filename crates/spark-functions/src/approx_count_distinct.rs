//! Spark's `approx_count_distinct`: HyperLogLog++ over the 64-bit XXH64
//! hash (seed 42) of each value, as Spark computes it, so the estimates are
//! Spark's own. `2^p` registers keep the longest run of leading zeros seen;
//! small estimates use linear counting or the bias tables of
//! [`crate::hll_bias_tables`].

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Int64Type};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

use crate::hll_bias_tables::{BIASES, RAW_ESTIMATES};

/// Linear counting is used below these estimates, by precision from 4.
const THRESHOLDS: [f64; 15] = [10.0, 20.0, 40.0, 80.0, 220.0, 400.0, 900.0, 1800.0, 3100.0, 6500.0, 15500.0, 20000.0, 50000.0, 120000.0, 350000.0];

/// How many table points the bias of an estimate is averaged over.
const NEIGHBOURS: usize = 6;

/// The precision (addressing bits) Spark derives from a relative standard
/// deviation; `None` below Spark's minimum of 4.
pub fn precision_for(relative_sd: f64) -> Option<u32> {
    let p = (2.0 * (1.106 / relative_sd).ln() / 2.0f64.ln()).ceil();
    (p >= 4.0 && p <= 30.0).then_some(p as u32)
}

/// The registers of one sketch.
#[derive(Debug, Clone)]
pub struct Registers {
    p: u32,
    values: Vec<u8>,
}

impl Registers {
    pub fn new(p: u32) -> Self {
        Self { p, values: vec![0; 1 << p] }
    }

    /// Adds one hashed value.
    pub fn add(&mut self, hash: u64) {
        let idx = (hash >> (64 - self.p)) as usize;
        let run = ((hash << self.p) | (1u64 << (self.p - 1))).leading_zeros() as u8 + 1;
        if run > self.values[idx] {
            self.values[idx] = run;
        }
    }

    fn merge(&mut self, other: &[u8]) {
        for (mine, theirs) in self.values.iter_mut().zip(other) {
            *mine = (*mine).max(*theirs);
        }
    }

    /// The estimated number of distinct values, rounded as Java's `Math.round`.
    pub fn estimate(&self) -> i64 {
        let p = self.p;
        let m = (1u64 << p) as f64;
        let mut z_inverse = 0.0f64;
        let mut zeros = 0.0f64;
        for &r in &self.values {
            z_inverse += 1.0 / (1u64 << r) as f64;
            if r == 0 {
                zeros += 1.0;
            }
        }
        let alpha_m2 = match p {
            4 => 0.673 * m * m,
            5 => 0.697 * m * m,
            6 => 0.709 * m * m,
            _ => (0.7213 / (1.0 + 1.079 / m)) * m * m,
        };
        let e = alpha_m2 / z_inverse;
        let bias_corrected = || if p < 19 && e < 5.0 * m { e - estimate_bias(p, e) } else { e };
        let estimate = if zeros > 0.0 {
            let h = m * (m / zeros).ln();
            if (p < 19 && h <= THRESHOLDS[(p - 4) as usize]) || e <= 2.5 * m { h } else { bias_corrected() }
        } else {
            bias_corrected()
        };
        (estimate + 0.5).floor() as i64
    }
}

/// The bias of a raw estimate: the mean bias of the [`NEIGHBOURS`] table
/// estimates nearest to it.
fn estimate_bias(p: u32, e: f64) -> f64 {
    let estimates = RAW_ESTIMATES[(p - 4) as usize];
    let biases = BIASES[(p - 4) as usize];
    let n = estimates.len();
    let nearest = estimates.partition_point(|x| *x < e);
    let distance = |i: usize| (e - estimates[i]) * (e - estimates[i]);
    let mut low = (nearest + 1).saturating_sub(NEIGHBOURS);
    let mut high = (low + NEIGHBOURS).min(n);
    while high < n && distance(high) < distance(low) {
        low += 1;
        high += 1;
    }
    biases[low..high].iter().sum::<f64>() / (high - low) as f64
}

/// `approx_count_distinct` over the XXH64 hashes of the values (NULL for a
/// NULL value, which is not counted).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ApproxCountDistinct {
    signature: Signature,
    p: u32,
}

impl ApproxCountDistinct {
    pub fn udaf(p: u32) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::exact(vec![DataType::Int64], Volatility::Immutable), p }))
    }
}

impl AggregateUDFImpl for ApproxCountDistinct {
    fn name(&self) -> &str {
        "spark_approx_count_distinct"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int64)
    }

    fn is_nullable(&self) -> bool {
        false
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(Registers::new(self.p)))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("registers", DataType::Binary, false))])
    }

    fn default_value(&self, _: &DataType) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(0)))
    }
}

impl Accumulator for Registers {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let Some(hashes) = values.first().and_then(|a| a.as_primitive_opt::<Int64Type>()) else {
            return exec_err!("approx_count_distinct expects hashed values");
        };
        for i in 0..hashes.len() {
            if hashes.is_valid(i) {
                self.add(hashes.value(i) as u64);
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let Some(sketches) = states.first().and_then(|a| a.as_any().downcast_ref::<BinaryArray>()) else {
            return exec_err!("approx_count_distinct expects register states");
        };
        for i in 0..sketches.len() {
            if sketches.is_valid(i) {
                self.merge(sketches.value(i));
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(Some(self.values.clone()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Int64(Some(self.estimate())))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.values.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spark_precisions() {
        assert_eq!(precision_for(0.05), Some(9));
        assert_eq!(precision_for(0.01), Some(14));
        assert_eq!(precision_for(0.4), None);
    }

    #[test]
    fn empty_and_single() {
        let mut r = Registers::new(9);
        assert_eq!(r.estimate(), 0);
        r.add(0x0123_4567_89ab_cdef);
        r.add(0x0123_4567_89ab_cdef);
        assert_eq!(r.estimate(), 1);
    }

    #[test]
    fn bias_is_the_mean_of_the_nearest_points() {
        // Below the table: the first six points.
        let first: f64 = BIASES[5][..6].iter().sum::<f64>() / 6.0;
        assert_eq!(estimate_bias(9, 0.0), first);
    }
}
