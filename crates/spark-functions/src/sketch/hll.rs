//! HyperLogLog sketches: `hll_sketch_agg`, `hll_union_agg`, `hll_union`
//! and `hll_sketch_estimate`.
//!
//! Like DataSketches' HLL, a sketch starts as an exact list of item hashes
//! and turns into `2^lgConfigK` registers once the list reaches a quarter of
//! that; a register keeps the largest rank (trailing zeros + 1) of the
//! hashes that land in it. Small cardinalities are therefore exact, larger
//! ones carry HyperLogLog's error of about `1.04 / sqrt(2^lgConfigK)`.

use std::collections::BTreeSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BinaryBuilder, Int64Builder};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::{Family, Reader, Writer, invalid_buffer, item_hash, sketch_bytes};
use crate::error::{RuntimeKind, SparkRuntimeError};

pub const DEFAULT_LG_K: u8 = 12;

/// Spark's check of `lgConfigK` (4 to 21).
pub fn check_lg_k(function: &str, lg: i64) -> Result<u8> {
    if (4..=21).contains(&lg) {
        return Ok(lg as u8);
    }
    Err(SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "HLL_INVALID_LG_K",
        "22546",
        format!("Invalid call to `{function}`; the `lgConfigK` value must be between 4 and 21, inclusive: {lg}."),
    )
    .param("function", format!("`{function}`"))
    .param("min", "4")
    .param("max", "21")
    .param("value", lg.to_string())
    .into_df())
}

fn different_lg_k(function: &str, left: u8, right: u8) -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "HLL_UNION_DIFFERENT_LG_K",
        "22000",
        format!("Sketches have different `lgConfigK` values: {left} and {right}. Set the `allowDifferentLgConfigK` parameter to true to call `{function}` with different `lgConfigK` values."),
    )
    .param("left", left.to_string())
    .param("right", right.to_string())
    .param("function", format!("`{function}`"))
    .into_df()
}

#[derive(Debug, Clone, PartialEq)]
pub enum Hll {
    /// Distinct 64-bit hashes, exact.
    List(BTreeSet<u64>),
    /// One rank per register.
    Registers(Vec<u8>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct HllSketch {
    pub lg_k: u8,
    pub state: Hll,
}

/// The register and rank of a hash at `lg_k` registers.
fn slot(h: u64, lg_k: u8) -> (usize, u8) {
    let index = (h & ((1u64 << lg_k) - 1)) as usize;
    let rest = h >> lg_k;
    let rank = if rest == 0 { 64 - lg_k + 1 } else { rest.trailing_zeros() as u8 + 1 };
    (index, rank)
}

impl HllSketch {
    pub fn new(lg_k: u8) -> Self {
        Self { lg_k, state: Hll::List(BTreeSet::new()) }
    }

    fn list_limit(&self) -> usize {
        (1usize << self.lg_k) / 4
    }

    pub fn update_hash(&mut self, h: u64) {
        match &mut self.state {
            Hll::List(set) => {
                set.insert(h);
                if set.len() > self.list_limit() {
                    self.to_registers();
                }
            }
            Hll::Registers(r) => {
                let (i, rank) = slot(h, self.lg_k);
                r[i] = r[i].max(rank);
            }
        }
    }

    fn to_registers(&mut self) {
        if let Hll::List(set) = &self.state {
            let mut r = vec![0u8; 1 << self.lg_k];
            for h in set {
                let (i, rank) = slot(*h, self.lg_k);
                r[i] = r[i].max(rank);
            }
            self.state = Hll::Registers(r);
        }
    }

    /// The same sketch at fewer registers (`lg_k` <= the current one).
    fn downsample(&self, lg_k: u8) -> HllSketch {
        match &self.state {
            Hll::List(set) => {
                let mut s = HllSketch::new(lg_k);
                for h in set {
                    s.update_hash(*h);
                }
                s
            }
            Hll::Registers(r) => {
                let shift = self.lg_k - lg_k;
                let mut out = vec![0u8; 1 << lg_k];
                for (i, rank) in r.iter().enumerate() {
                    if *rank == 0 {
                        continue;
                    }
                    // The high index bits become the low bits of the rest.
                    let high = (i >> lg_k) as u64;
                    let new_rank = if high == 0 { rank + shift } else { high.trailing_zeros() as u8 + 1 };
                    let j = i & ((1 << lg_k) - 1);
                    out[j] = out[j].max(new_rank);
                }
                HllSketch { lg_k, state: Hll::Registers(out) }
            }
        }
    }

    /// The union of two sketches at the smaller `lgConfigK`.
    pub fn union(&self, other: &HllSketch, allow_different: bool, function: &str) -> Result<HllSketch> {
        if self.lg_k != other.lg_k && !allow_different {
            return Err(different_lg_k(function, self.lg_k, other.lg_k));
        }
        let lg = self.lg_k.min(other.lg_k);
        let mut a = if self.lg_k == lg { self.clone() } else { self.downsample(lg) };
        let b = if other.lg_k == lg { other.clone() } else { other.downsample(lg) };
        match b.state {
            Hll::List(set) => set.into_iter().for_each(|h| a.update_hash(h)),
            Hll::Registers(rb) => {
                a.to_registers();
                if let Hll::Registers(ra) = &mut a.state {
                    for (x, y) in ra.iter_mut().zip(rb) {
                        *x = (*x).max(y);
                    }
                }
            }
        }
        Ok(a)
    }

    pub fn estimate(&self) -> f64 {
        match &self.state {
            Hll::List(set) => set.len() as f64,
            Hll::Registers(r) => {
                let m = r.len() as f64;
                let alpha = match r.len() {
                    16 => 0.673,
                    32 => 0.697,
                    64 => 0.709,
                    _ => 0.7213 / (1.0 + 1.079 / m),
                };
                let sum: f64 = r.iter().map(|x| 2f64.powi(-(*x as i32))).sum();
                let raw = alpha * m * m / sum;
                let zeros = r.iter().filter(|x| **x == 0).count();
                if raw <= 2.5 * m && zeros > 0 { m * (m / zeros as f64).ln() } else { raw }
            }
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(Family::Hll);
        w.u8(self.lg_k);
        match &self.state {
            Hll::List(set) => {
                w.u8(0);
                w.u32(set.len() as u32);
                for h in set {
                    w.u64(*h);
                }
            }
            Hll::Registers(r) => {
                w.u8(1);
                w.bytes.extend_from_slice(r);
            }
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<HllSketch> {
        let mut r = Reader::open(bytes, Family::Hll)?;
        let lg_k = r.u8()?;
        if !(4..=21).contains(&lg_k) {
            return None;
        }
        let state = match r.u8()? {
            0 => {
                let n = r.u32()? as usize;
                if n > r.room(8) {
                    return None;
                }
                let mut set = BTreeSet::new();
                for _ in 0..n {
                    set.insert(r.u64()?);
                }
                Hll::List(set)
            }
            1 => {
                let m = 1usize << lg_k;
                let mut regs = Vec::with_capacity(m);
                for _ in 0..m {
                    let v = r.u8()?;
                    if v > 64 {
                        return None;
                    }
                    regs.push(v);
                }
                Hll::Registers(regs)
            }
            _ => return None,
        };
        r.done().then_some(HllSketch { lg_k, state })
    }
}

fn read(a: &dyn Array, i: usize, function: &str) -> Result<Option<HllSketch>> {
    match sketch_bytes(a, i) {
        None => Ok(None),
        Some(b) => HllSketch::from_bytes(b).map(Some).ok_or_else(|| invalid_buffer(Family::Hll, function)),
    }
}

/// `hll_sketch_agg(item, lgConfigK)` (`union: false`) and
/// `hll_union_agg(sketch, allowDifferentLgConfigK)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkHllAgg {
    signature: Signature,
    union: bool,
    lg_given: i64,
    allow_different: bool,
}

impl SparkHllAgg {
    pub fn udaf(union: bool, lg_given: i64, allow_different: bool, arity: usize) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(arity, Volatility::Immutable), union, lg_given, allow_different }))
    }
}

impl AggregateUDFImpl for SparkHllAgg {
    fn name(&self) -> &str {
        if self.union { "hll_union_agg" } else { "hll_sketch_agg" }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let sketch = if self.union { None } else { Some(HllSketch::new(check_lg_k(self.name(), self.lg_given)?)) };
        Ok(Box::new(HllAccumulator { union: self.union, allow_different: self.allow_different, sketch }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("sketch", DataType::Binary, true))])
    }
}

#[derive(Debug)]
struct HllAccumulator {
    union: bool,
    allow_different: bool,
    /// `None` for a union that has seen no sketch yet.
    sketch: Option<HllSketch>,
}

impl HllAccumulator {
    fn name(&self) -> &'static str {
        if self.union { "hll_union_agg" } else { "hll_sketch_agg" }
    }

    fn union_column(&mut self, a: &ArrayRef, allow_different: bool) -> Result<()> {
        for i in 0..a.len() {
            if let Some(s) = read(a.as_ref(), i, self.name())? {
                self.sketch = Some(match self.sketch.take() {
                    None => s,
                    Some(current) => current.union(&s, allow_different, self.name())?,
                });
            }
        }
        Ok(())
    }
}

impl Accumulator for HllAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if self.union {
            return self.union_column(&values[0], self.allow_different);
        }
        let a = &values[0];
        if let Some(s) = self.sketch.as_mut() {
            for i in 0..a.len() {
                if let Some((h, _)) = item_hash(a.as_ref(), i) {
                    s.update_hash(h);
                }
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        // Partial results of one aggregate: their lgConfigK may differ only
        // for a union that allows it.
        self.union_column(&states[0], self.allow_different || !self.union)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(self.sketch.as_ref().map(|s| s.to_bytes()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let s = self.sketch.clone().unwrap_or_else(|| HllSketch::new(DEFAULT_LG_K));
        Ok(ScalarValue::Binary(Some(s.to_bytes())))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
            + match self.sketch.as_ref().map(|s| &s.state) {
                Some(Hll::List(set)) => set.len() * 16,
                Some(Hll::Registers(r)) => r.len(),
                None => 0,
            }
    }
}

/// `hll_union(a, b, allowDifferentLgConfigK)` (`Some`) and `hll_sketch_estimate(s)` (`None`).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkHll {
    signature: Signature,
    union: Option<bool>,
}

impl SparkHll {
    pub fn udf(union: Option<bool>) -> Arc<ScalarUDF> {
        let arity = if union.is_some() { 2 } else { 1 };
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(arity, Volatility::Immutable), union }))
    }
}

impl ScalarUDFImpl for SparkHll {
    fn name(&self) -> &str {
        if self.union.is_some() { "hll_union" } else { "hll_sketch_estimate" }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(if self.union.is_some() { DataType::Binary } else { DataType::Int64 })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let (n, name) = (args.number_rows, self.name());
        let out: ArrayRef = match self.union {
            None => {
                let mut b = Int64Builder::with_capacity(n);
                for i in 0..n {
                    b.append_option(read(arrays[0].as_ref(), i, name)?.map(|s| s.estimate().round() as i64));
                }
                Arc::new(b.finish())
            }
            Some(allow) => {
                let mut b = BinaryBuilder::new();
                for i in 0..n {
                    match (read(arrays[0].as_ref(), i, name)?, read(arrays[1].as_ref(), i, name)?) {
                        (Some(x), Some(y)) => b.append_value(x.union(&y, allow, name)?.to_bytes()),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
        };
        crate::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch(values: impl IntoIterator<Item = i64>, lg: u8) -> HllSketch {
        let mut s = HllSketch::new(lg);
        for v in values {
            s.update_hash(super::super::murmur3_x64_128(&v.to_le_bytes(), 9001).0);
        }
        s
    }

    #[test]
    fn exact_while_a_list() {
        assert_eq!(sketch([1, 1, 2, 2, 3], 12).estimate(), 3.0);
        let u = sketch([1, 2, 3], 12).union(&sketch([4, 5, 6], 12), false, "hll_union").unwrap();
        assert_eq!(u.estimate(), 6.0);
        assert!(sketch([1], 12).union(&sketch([1], 10), false, "hll_union").is_err());
    }

    #[test]
    fn estimates_within_error_and_round_trips() {
        for lg in [10, 12] {
            let s = sketch(0..50_000, lg);
            let e = s.estimate();
            assert!((e - 50_000.0).abs() < 50_000.0 * 0.1, "lg {lg}: {e}");
            assert_eq!(HllSketch::from_bytes(&s.to_bytes()).unwrap(), s);
        }
        let a = sketch(0..30_000, 12);
        let b = sketch(20_000..60_000, 10);
        let e = a.union(&b, true, "hll_union").unwrap().estimate();
        assert!((e - 60_000.0).abs() < 60_000.0 * 0.1, "{e}");
    }
}
