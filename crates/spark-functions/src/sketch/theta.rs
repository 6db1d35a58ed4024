//! Theta sketches: `theta_sketch_agg`, `theta_union_agg`,
//! `theta_intersection_agg`, `theta_union`, `theta_intersection`,
//! `theta_difference` and `theta_sketch_estimate`.
//!
//! A theta sketch keeps the 63-bit hashes below `theta`; once it holds more
//! than its nominal `k = 2^lgNomEntries` entries it keeps the `k` smallest
//! and lowers `theta` to the next one (k minimum values). The estimate is
//! the retained count divided by `theta` as a fraction of the hash space.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BinaryBuilder, Int64Builder};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::{Family, Reader, Writer, invalid_buffer, invalid_lg_nom_entries, item_hash, sketch_bytes};

/// Theta as the whole hash space: the sketch is exact.
pub const MAX_THETA: u64 = i64::MAX as u64;
pub const DEFAULT_LG_NOM_ENTRIES: u8 = 12;

/// Checks `lgNomEntries` as Spark does (4 to 26).
pub fn check_lg_nom(function: &str, lg: i64) -> Result<u8> {
    if (4..=26).contains(&lg) { Ok(lg as u8) } else { Err(invalid_lg_nom_entries(function, lg)) }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThetaSketch {
    pub lg_nom: u8,
    pub theta: u64,
    pub hashes: HashSet<u64>,
}

impl ThetaSketch {
    pub fn new(lg_nom: u8) -> Self {
        Self { lg_nom, theta: MAX_THETA, hashes: HashSet::new() }
    }

    fn k(&self) -> usize {
        1usize << self.lg_nom
    }

    /// Adds one item's hash (the high 63 bits of its 128-bit hash).
    pub fn update_hash(&mut self, h: u64) {
        if h == 0 || h >= self.theta {
            return;
        }
        self.hashes.insert(h);
        if self.hashes.len() > 2 * self.k() {
            self.trim();
        }
    }

    /// Keeps the `k` smallest hashes, lowering theta to the first one dropped.
    pub fn trim(&mut self) {
        let k = self.k();
        if self.hashes.len() <= k {
            return;
        }
        let mut sorted: Vec<u64> = self.hashes.iter().copied().collect();
        sorted.sort_unstable();
        self.theta = sorted[k];
        self.hashes = sorted[..k].iter().copied().collect();
    }

    pub fn theta_fraction(&self) -> f64 {
        self.theta as f64 / MAX_THETA as f64
    }

    pub fn estimate(&self) -> f64 {
        if self.theta == MAX_THETA { self.hashes.len() as f64 } else { self.hashes.len() as f64 / self.theta_fraction() }
    }

    /// The union of sketches, at `lg_nom` entries.
    pub fn union<'a>(lg_nom: u8, sketches: impl IntoIterator<Item = &'a ThetaSketch>) -> ThetaSketch {
        let mut out = ThetaSketch::new(lg_nom);
        let sketches: Vec<&ThetaSketch> = sketches.into_iter().collect();
        out.theta = sketches.iter().map(|s| s.theta).min().unwrap_or(MAX_THETA);
        for s in sketches {
            out.hashes.extend(s.hashes.iter().copied().filter(|h| *h < out.theta));
        }
        out.trim();
        out
    }

    /// The hashes of both sketches, below the smaller theta.
    pub fn intersection(&self, other: &ThetaSketch) -> ThetaSketch {
        let theta = self.theta.min(other.theta);
        let hashes = self.hashes.iter().copied().filter(|h| *h < theta && other.hashes.contains(h)).collect();
        ThetaSketch { lg_nom: self.lg_nom.max(other.lg_nom), theta, hashes }
    }

    /// The hashes of this sketch not in `other`, below the smaller theta.
    pub fn difference(&self, other: &ThetaSketch) -> ThetaSketch {
        let theta = self.theta.min(other.theta);
        let hashes = self.hashes.iter().copied().filter(|h| *h < theta && !other.hashes.contains(h)).collect();
        ThetaSketch { lg_nom: self.lg_nom, theta, hashes }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = self.clone();
        s.trim();
        let mut sorted: Vec<u64> = s.hashes.into_iter().collect();
        sorted.sort_unstable();
        let mut w = Writer::new(Family::Theta);
        w.u8(s.lg_nom);
        w.u64(s.theta);
        w.u32(sorted.len() as u32);
        for h in sorted {
            w.u64(h);
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<ThetaSketch> {
        let mut r = Reader::open(bytes, Family::Theta)?;
        let lg_nom = r.u8()?;
        let theta = r.u64()?;
        let n = r.u32()? as usize;
        if !(4..=26).contains(&lg_nom) || theta > MAX_THETA || n > r.room(8) {
            return None;
        }
        let mut hashes = HashSet::with_capacity(n);
        for _ in 0..n {
            let h = r.u64()?;
            if h == 0 || h >= theta {
                return None;
            }
            hashes.insert(h);
        }
        r.done().then_some(ThetaSketch { lg_nom, theta, hashes })
    }
}

/// Reads the theta sketch of row `i`, with Spark's error for anything else.
pub fn read(a: &dyn Array, i: usize, function: &str) -> Result<Option<ThetaSketch>> {
    match sketch_bytes(a, i) {
        None => Ok(None),
        Some(b) => ThetaSketch::from_bytes(b).map(Some).ok_or_else(|| invalid_buffer(Family::Theta, function)),
    }
}

/// The theta aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThetaAgg {
    /// `theta_sketch_agg(item, lgNomEntries)`.
    Build,
    /// `theta_union_agg(sketch, lgNomEntries)`.
    Union,
    /// `theta_intersection_agg(sketch)`.
    Intersection,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkThetaAgg {
    signature: Signature,
    kind: ThetaAgg,
    /// Spark's `lgNomEntries` as given, checked when the aggregate runs.
    lg_given: i64,
}

impl SparkThetaAgg {
    pub fn udaf(kind: ThetaAgg, lg_given: i64, arity: usize) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(arity, Volatility::Immutable), kind, lg_given }))
    }
}

fn agg_name(kind: ThetaAgg) -> &'static str {
    match kind {
        ThetaAgg::Build => "theta_sketch_agg",
        ThetaAgg::Union => "theta_union_agg",
        ThetaAgg::Intersection => "theta_intersection_agg",
    }
}

impl AggregateUDFImpl for SparkThetaAgg {
    fn name(&self) -> &str {
        agg_name(self.kind)
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let lg = match self.kind {
            ThetaAgg::Intersection => DEFAULT_LG_NOM_ENTRIES,
            _ => check_lg_nom(self.name(), self.lg_given)?,
        };
        let sketch = if self.kind == ThetaAgg::Intersection { None } else { Some(ThetaSketch::new(lg)) };
        Ok(Box::new(ThetaAccumulator { kind: self.kind, name: agg_name(self.kind), sketch }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("sketch", DataType::Binary, true))])
    }
}

#[derive(Debug)]
struct ThetaAccumulator {
    kind: ThetaAgg,
    name: &'static str,
    /// `None` for an intersection that has seen no sketch yet.
    sketch: Option<ThetaSketch>,
}

impl ThetaAccumulator {
    /// Combines one more sketch into the running result.
    fn combine(&mut self, s: ThetaSketch) {
        self.sketch = Some(match (self.kind, self.sketch.take()) {
            (ThetaAgg::Intersection, None) => s,
            (ThetaAgg::Intersection, Some(current)) => current.intersection(&s),
            (_, Some(current)) => ThetaSketch::union(current.lg_nom, [&current, &s]),
            (_, None) => s,
        });
    }

    fn combine_column(&mut self, a: &ArrayRef) -> Result<()> {
        for i in 0..a.len() {
            if let Some(s) = read(a.as_ref(), i, self.name)? {
                self.combine(s);
            }
        }
        Ok(())
    }

    fn result(&self) -> ThetaSketch {
        self.sketch.clone().unwrap_or_else(|| ThetaSketch::new(DEFAULT_LG_NOM_ENTRIES))
    }
}

impl Accumulator for ThetaAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let a = &values[0];
        match self.kind {
            ThetaAgg::Build => {
                if let Some(s) = self.sketch.as_mut() {
                    for i in 0..a.len() {
                        if let Some((h, _)) = item_hash(a.as_ref(), i) {
                            s.update_hash(h >> 1);
                        }
                    }
                }
                Ok(())
            }
            _ => self.combine_column(a),
        }
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        if self.kind == ThetaAgg::Intersection {
            return self.combine_column(&states[0]);
        }
        // Partial builds and unions merge as unions.
        for i in 0..states[0].len() {
            if let Some(s) = read(states[0].as_ref(), i, self.name)? {
                let current = self.sketch.take().unwrap_or_else(|| ThetaSketch::new(s.lg_nom));
                self.sketch = Some(ThetaSketch::union(current.lg_nom, [&current, &s]));
            }
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(self.sketch.as_ref().map(|s| s.to_bytes()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Binary(Some(self.result().to_bytes())))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.sketch.as_ref().map_or(0, |s| s.hashes.capacity() * 16)
    }
}

/// The scalar theta functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThetaFn {
    /// `theta_union(a, b, lgNomEntries)`.
    Union(i64),
    Intersection,
    Difference,
    Estimate,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkTheta {
    signature: Signature,
    function: ThetaFn,
}

impl SparkTheta {
    pub fn udf(function: ThetaFn) -> Arc<ScalarUDF> {
        let arity = if function == ThetaFn::Estimate { 1 } else { 2 };
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(arity, Volatility::Immutable), function }))
    }
}

impl ScalarUDFImpl for SparkTheta {
    fn name(&self) -> &str {
        match self.function {
            ThetaFn::Union(_) => "theta_union",
            ThetaFn::Intersection => "theta_intersection",
            ThetaFn::Difference => "theta_difference",
            ThetaFn::Estimate => "theta_sketch_estimate",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(if self.function == ThetaFn::Estimate { DataType::Int64 } else { DataType::Binary })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let name = self.name();
        let n = args.number_rows;
        let out: ArrayRef = if self.function == ThetaFn::Estimate {
            let mut b = Int64Builder::with_capacity(n);
            for i in 0..n {
                b.append_option(read(arrays[0].as_ref(), i, name)?.map(|s| s.estimate().round() as i64));
            }
            Arc::new(b.finish())
        } else {
            let lg = match self.function {
                ThetaFn::Union(lg) => Some(check_lg_nom(name, lg)?),
                _ => None,
            };
            let mut b = BinaryBuilder::with_capacity(n, 64);
            for i in 0..n {
                let (Some(x), Some(y)) = (read(arrays[0].as_ref(), i, name)?, read(arrays[1].as_ref(), i, name)?) else {
                    b.append_null();
                    continue;
                };
                let s = match (self.function, lg) {
                    (ThetaFn::Union(_), Some(lg)) => ThetaSketch::union(lg, [&x, &y]),
                    (ThetaFn::Intersection, _) => x.intersection(&y),
                    _ => x.difference(&y),
                };
                b.append_value(s.to_bytes());
            }
            Arc::new(b.finish())
        };
        crate::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch_of(values: impl IntoIterator<Item = i64>, lg: u8) -> ThetaSketch {
        let mut s = ThetaSketch::new(lg);
        for v in values {
            s.update_hash(super::super::murmur3_x64_128(&v.to_le_bytes(), 9001).0 >> 1);
        }
        s
    }

    #[test]
    fn exact_below_nominal_entries() {
        let s = sketch_of([1, 1, 2, 2, 3], 12);
        assert_eq!(s.estimate(), 3.0);
        let round_trip = ThetaSketch::from_bytes(&s.to_bytes()).unwrap();
        assert_eq!(round_trip, s);
    }

    #[test]
    fn set_operations() {
        let a = sketch_of([5, 1, 2, 2, 3], 12);
        let b = sketch_of([4, 4, 5, 5, 1], 12);
        assert_eq!(ThetaSketch::union(12, [&a, &b]).estimate(), 5.0);
        assert_eq!(a.intersection(&b).estimate(), 2.0);
        assert_eq!(a.difference(&b).estimate(), 2.0);
    }

    #[test]
    fn estimates_beyond_nominal_entries() {
        let s = sketch_of(0..100_000, 10);
        let e = ThetaSketch::from_bytes(&s.to_bytes()).unwrap().estimate();
        // lgNomEntries 10: relative standard error about 1/sqrt(1024) = 3%.
        assert!((e - 100_000.0).abs() < 10_000.0, "{e}");
    }

    #[test]
    fn rejects_foreign_buffers() {
        assert!(ThetaSketch::from_bytes(b"\x01\x04\x03").is_none());
        let mut bytes = sketch_of([1, 2], 12).to_bytes();
        bytes.pop();
        assert!(ThetaSketch::from_bytes(&bytes).is_none());
    }
}
