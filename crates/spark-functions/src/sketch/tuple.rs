//! Tuple sketches: a theta sketch whose retained hashes each carry a
//! summary value (DOUBLE, or INT that wraps on overflow as a Java int),
//! combined by the sketch mode (`sum`, `min`, `max`, `alwaysone`) whenever
//! one key is seen again or two sketches share a key. The `_double` and
//! `_integer` families of `tuple_*` functions.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BinaryBuilder, Float64Builder, Int64Builder};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type, Int32Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::theta::{self, MAX_THETA, ThetaSketch, check_lg_nom};
use super::{Family, Reader, Writer, invalid_buffer, item_hash, sketch_bytes};

/// How summaries of one key combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Sum,
    Min,
    Max,
    AlwaysOne,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Mode> {
        Some(match s.to_ascii_lowercase().as_str() {
            "sum" => Mode::Sum,
            "min" => Mode::Min,
            "max" => Mode::Max,
            "alwaysone" => Mode::AlwaysOne,
            _ => return None,
        })
    }
}

/// The summary type: `_double` or `_integer` functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Summary {
    Double,
    Integer,
}

impl Summary {
    fn suffix(self) -> &'static str {
        match self {
            Summary::Double => "double",
            Summary::Integer => "integer",
        }
    }

    /// Combines two summaries (integers wrap as Java ints do).
    fn combine(self, mode: Mode, a: f64, b: f64) -> f64 {
        match (mode, self) {
            (Mode::Sum, Summary::Double) => a + b,
            (Mode::Sum, Summary::Integer) => (a as i32).wrapping_add(b as i32) as f64,
            (Mode::Min, _) => a.min(b),
            (Mode::Max, _) => a.max(b),
            (Mode::AlwaysOne, _) => 1.0,
        }
    }

    /// The summary a key from a theta sketch starts with.
    fn initial(self, mode: Mode) -> f64 {
        match (mode, self) {
            (Mode::Sum, _) => 0.0,
            (Mode::Min, Summary::Double) => f64::INFINITY,
            (Mode::Min, Summary::Integer) => i32::MAX as f64,
            (Mode::Max, Summary::Double) => f64::NEG_INFINITY,
            (Mode::Max, Summary::Integer) => i32::MIN as f64,
            (Mode::AlwaysOne, _) => 1.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TupleSketch {
    pub summary: Summary,
    pub lg_nom: u8,
    pub theta: u64,
    pub entries: HashMap<u64, f64>,
}

impl TupleSketch {
    pub fn new(summary: Summary, lg_nom: u8) -> Self {
        Self { summary, lg_nom, theta: MAX_THETA, entries: HashMap::new() }
    }

    fn k(&self) -> usize {
        1usize << self.lg_nom
    }

    pub fn update(&mut self, h: u64, value: f64, mode: Mode) {
        if h == 0 || h >= self.theta {
            return;
        }
        let value = if mode == Mode::AlwaysOne { 1.0 } else { value };
        let summary = self.summary;
        self.entries.entry(h).and_modify(|v| *v = summary.combine(mode, *v, value)).or_insert(value);
        if self.entries.len() > 2 * self.k() {
            self.trim();
        }
    }

    /// Keeps the `k` entries with the smallest hashes.
    pub fn trim(&mut self) {
        let k = self.k();
        if self.entries.len() <= k {
            return;
        }
        let mut keys: Vec<u64> = self.entries.keys().copied().collect();
        keys.sort_unstable();
        self.theta = keys[k];
        for h in &keys[k..] {
            self.entries.remove(h);
        }
    }

    pub fn theta_fraction(&self) -> f64 {
        self.theta as f64 / MAX_THETA as f64
    }

    pub fn estimate(&self) -> f64 {
        if self.theta == MAX_THETA { self.entries.len() as f64 } else { self.entries.len() as f64 / self.theta_fraction() }
    }

    /// The retained summaries folded by `mode` (0 for an empty sketch).
    pub fn total(&self, mode: Mode) -> f64 {
        let mut keys: Vec<&u64> = self.entries.keys().collect();
        keys.sort_unstable();
        keys.iter().map(|k| self.entries[*k]).reduce(|a, b| self.summary.combine(mode, a, b)).unwrap_or(0.0)
    }

    /// Folds `other`'s entries below the common theta into this sketch.
    fn absorb(&mut self, other: impl Iterator<Item = (u64, f64)>, other_theta: u64, mode: Mode) {
        self.theta = self.theta.min(other_theta);
        let theta = self.theta;
        self.entries.retain(|h, _| *h < theta);
        let summary = self.summary;
        for (h, v) in other.filter(|(h, _)| *h < theta) {
            self.entries.entry(h).and_modify(|x| *x = summary.combine(mode, *x, v)).or_insert(v);
        }
        self.trim();
    }

    pub fn union(&self, other: &TupleSketch, lg_nom: u8, mode: Mode) -> TupleSketch {
        let mut out = TupleSketch { lg_nom, ..self.clone() };
        out.absorb(other.entries.iter().map(|(h, v)| (*h, *v)), other.theta, mode);
        out
    }

    pub fn union_theta(&self, other: &ThetaSketch, lg_nom: u8, mode: Mode) -> TupleSketch {
        let mut out = TupleSketch { lg_nom, ..self.clone() };
        let initial = self.summary.initial(mode);
        out.absorb(other.hashes.iter().map(|h| (*h, initial)), other.theta, mode);
        out
    }

    /// Keys in both sketches; with `other_summary`, their summaries combine.
    fn keep(&self, other_theta: u64, other_has: impl Fn(u64) -> Option<Option<f64>>, want: bool, mode: Mode) -> TupleSketch {
        let theta = self.theta.min(other_theta);
        let mut entries = HashMap::new();
        for (h, v) in &self.entries {
            if *h >= theta {
                continue;
            }
            match (other_has(*h), want) {
                (Some(Some(o)), true) => {
                    entries.insert(*h, self.summary.combine(mode, *v, o));
                }
                (Some(None), true) | (None, false) => {
                    entries.insert(*h, *v);
                }
                _ => {}
            }
        }
        TupleSketch { summary: self.summary, lg_nom: self.lg_nom, theta, entries }
    }

    pub fn intersection(&self, other: &TupleSketch, mode: Mode) -> TupleSketch {
        self.keep(other.theta, |h| other.entries.get(&h).map(|v| Some(*v)), true, mode)
    }

    pub fn intersection_theta(&self, other: &ThetaSketch, mode: Mode) -> TupleSketch {
        self.keep(other.theta, |h| other.hashes.contains(&h).then_some(None), true, mode)
    }

    pub fn difference(&self, other_theta: u64, other_has: impl Fn(u64) -> bool) -> TupleSketch {
        self.keep(other_theta, |h| other_has(h).then_some(None), false, Mode::Sum)
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut s = self.clone();
        s.trim();
        let mut entries: Vec<(u64, f64)> = s.entries.into_iter().collect();
        entries.sort_unstable_by_key(|(h, _)| *h);
        let mut w = Writer::new(Family::Tuple);
        w.u8(s.summary as u8);
        w.u8(s.lg_nom);
        w.u64(s.theta);
        w.u32(entries.len() as u32);
        for (h, v) in entries {
            w.u64(h);
            w.u64(v.to_bits());
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8], summary: Summary) -> Option<TupleSketch> {
        let mut r = Reader::open(bytes, Family::Tuple)?;
        if r.u8()? != summary as u8 {
            return None;
        }
        let lg_nom = r.u8()?;
        let theta = r.u64()?;
        let n = r.u32()? as usize;
        if !(4..=26).contains(&lg_nom) || theta > MAX_THETA || n > r.room(16) {
            return None;
        }
        let mut entries = HashMap::with_capacity(n);
        for _ in 0..n {
            let h = r.u64()?;
            let v = f64::from_bits(r.u64()?);
            if h == 0 || h >= theta {
                return None;
            }
            entries.insert(h, v);
        }
        r.done().then_some(TupleSketch { summary, lg_nom, theta, entries })
    }
}

fn read(a: &dyn Array, i: usize, summary: Summary, function: &str) -> Result<Option<TupleSketch>> {
    match sketch_bytes(a, i) {
        None => Ok(None),
        Some(b) => TupleSketch::from_bytes(b, summary).map(Some).ok_or_else(|| invalid_buffer(Family::Tuple, function)),
    }
}

/// The tuple aggregates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TupleAgg {
    /// `tuple_sketch_agg_*(key, summary, lgNomEntries, mode)`.
    Build,
    /// `tuple_union_agg_*(sketch, lgNomEntries, mode)`.
    Union,
    /// `tuple_intersection_agg_*(sketch, mode)`.
    Intersection,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkTupleAgg {
    signature: Signature,
    name: String,
    kind: TupleAgg,
    summary: Summary,
    lg_given: i64,
    mode: Mode,
}

impl SparkTupleAgg {
    pub fn udaf(kind: TupleAgg, summary: Summary, lg_given: i64, mode: Mode, arity: usize) -> Arc<AggregateUDF> {
        let stem = match kind {
            TupleAgg::Build => "tuple_sketch_agg",
            TupleAgg::Union => "tuple_union_agg",
            TupleAgg::Intersection => "tuple_intersection_agg",
        };
        let name = format!("{stem}_{}", summary.suffix());
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(arity, Volatility::Immutable), name, kind, summary, lg_given, mode }))
    }
}

impl AggregateUDFImpl for SparkTupleAgg {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let lg = if self.kind == TupleAgg::Intersection { theta::DEFAULT_LG_NOM_ENTRIES } else { check_lg_nom(&self.name, self.lg_given)? };
        let sketch = if self.kind == TupleAgg::Intersection { None } else { Some(TupleSketch::new(self.summary, lg)) };
        Ok(Box::new(TupleAccumulator { kind: self.kind, summary: self.summary, mode: self.mode, name: self.name.clone(), lg, sketch }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("sketch", DataType::Binary, true))])
    }
}

#[derive(Debug)]
struct TupleAccumulator {
    kind: TupleAgg,
    summary: Summary,
    mode: Mode,
    name: String,
    lg: u8,
    sketch: Option<TupleSketch>,
}

impl TupleAccumulator {
    fn combine(&mut self, s: TupleSketch, intersect: bool) {
        self.sketch = Some(match self.sketch.take() {
            None => s,
            Some(current) if intersect => current.intersection(&s, self.mode),
            Some(current) => current.union(&s, self.lg, self.mode),
        });
    }

    fn combine_column(&mut self, a: &ArrayRef, intersect: bool) -> Result<()> {
        for i in 0..a.len() {
            if let Some(s) = read(a.as_ref(), i, self.summary, &self.name)? {
                self.combine(s, intersect);
            }
        }
        Ok(())
    }
}

/// Row `i` of a numeric summary column as the summary type's value.
fn summary_value(a: &dyn Array, i: usize, summary: Summary) -> Option<f64> {
    use datafusion::arrow::array::AsArray;
    if a.is_null(i) {
        return None;
    }
    match summary {
        Summary::Double => a.as_primitive_opt::<Float64Type>().map(|p| p.value(i)),
        Summary::Integer => a.as_primitive_opt::<Int32Type>().map(|p| p.value(i) as f64),
    }
}

impl Accumulator for TupleAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        match self.kind {
            TupleAgg::Build => {
                let (keys, summaries) = (&values[0], &values[1]);
                if let Some(s) = self.sketch.as_mut() {
                    for i in 0..keys.len() {
                        if let (Some((h, _)), Some(v)) = (item_hash(keys.as_ref(), i), summary_value(summaries.as_ref(), i, self.summary)) {
                            s.update(h >> 1, v, self.mode);
                        }
                    }
                }
                Ok(())
            }
            TupleAgg::Union => self.combine_column(&values[0], false),
            TupleAgg::Intersection => self.combine_column(&values[0], true),
        }
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.combine_column(&states[0], self.kind == TupleAgg::Intersection)
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(self.sketch.as_ref().map(|s| s.to_bytes()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        let s = self.sketch.clone().unwrap_or_else(|| TupleSketch::new(self.summary, self.lg));
        Ok(ScalarValue::Binary(Some(s.to_bytes())))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.sketch.as_ref().map_or(0, |s| s.entries.capacity() * 24)
    }
}

/// The scalar tuple functions; `lg` and `mode` are the call's constants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TupleFn {
    Union,
    Intersection,
    Difference,
    UnionTheta,
    IntersectionTheta,
    DifferenceTheta,
    Estimate,
    Summary,
    Theta,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkTuple {
    signature: Signature,
    name: String,
    function: TupleFn,
    summary: Summary,
    lg_given: i64,
    mode: Mode,
}

impl SparkTuple {
    pub fn udf(function: TupleFn, summary: Summary, lg_given: i64, mode: Mode) -> Arc<ScalarUDF> {
        let stem = match function {
            TupleFn::Union => "tuple_union",
            TupleFn::Intersection => "tuple_intersection",
            TupleFn::Difference => "tuple_difference",
            TupleFn::UnionTheta => "tuple_union_theta",
            TupleFn::IntersectionTheta => "tuple_intersection_theta",
            TupleFn::DifferenceTheta => "tuple_difference_theta",
            TupleFn::Estimate => "tuple_sketch_estimate",
            TupleFn::Summary => "tuple_sketch_summary",
            TupleFn::Theta => "tuple_sketch_theta",
        };
        let arity = if matches!(function, TupleFn::Estimate | TupleFn::Summary | TupleFn::Theta) { 1 } else { 2 };
        let name = format!("{stem}_{}", summary.suffix());
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(arity, Volatility::Immutable), name, function, summary, lg_given, mode }))
    }
}

impl ScalarUDFImpl for SparkTuple {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match (self.function, self.summary) {
            (TupleFn::Estimate | TupleFn::Theta, _) | (TupleFn::Summary, Summary::Double) => DataType::Float64,
            (TupleFn::Summary, Summary::Integer) => DataType::Int64,
            _ => DataType::Binary,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let (name, n, summary, mode) = (self.name.as_str(), args.number_rows, self.summary, self.mode);
        let out: ArrayRef = match self.function {
            TupleFn::Estimate | TupleFn::Theta | TupleFn::Summary => {
                let value = |s: TupleSketch| match self.function {
                    TupleFn::Estimate => s.estimate(),
                    TupleFn::Theta => s.theta_fraction(),
                    _ => s.total(mode),
                };
                if self.return_type(&[])? == DataType::Int64 {
                    let mut b = Int64Builder::with_capacity(n);
                    for i in 0..n {
                        b.append_option(read(arrays[0].as_ref(), i, summary, name)?.map(|s| value(s) as i64));
                    }
                    Arc::new(b.finish())
                } else {
                    let mut b = Float64Builder::with_capacity(n);
                    for i in 0..n {
                        b.append_option(read(arrays[0].as_ref(), i, summary, name)?.map(value));
                    }
                    Arc::new(b.finish())
                }
            }
            _ => {
                let lg = if matches!(self.function, TupleFn::Union | TupleFn::UnionTheta) { check_lg_nom(name, self.lg_given)? } else { 0 };
                let mut b = BinaryBuilder::with_capacity(n, 64);
                for i in 0..n {
                    let Some(x) = read(arrays[0].as_ref(), i, summary, name)? else {
                        b.append_null();
                        continue;
                    };
                    let with_theta = matches!(self.function, TupleFn::UnionTheta | TupleFn::IntersectionTheta | TupleFn::DifferenceTheta);
                    let result = if with_theta {
                        let Some(y) = theta::read(arrays[1].as_ref(), i, name)? else {
                            b.append_null();
                            continue;
                        };
                        match self.function {
                            TupleFn::UnionTheta => x.union_theta(&y, lg, mode),
                            TupleFn::IntersectionTheta => x.intersection_theta(&y, mode),
                            _ => x.difference(y.theta, |h| y.hashes.contains(&h)),
                        }
                    } else {
                        let Some(y) = read(arrays[1].as_ref(), i, summary, name)? else {
                            b.append_null();
                            continue;
                        };
                        match self.function {
                            TupleFn::Union => x.union(&y, lg, mode),
                            TupleFn::Intersection => x.intersection(&y, mode),
                            _ => x.difference(y.theta, |h| y.entries.contains_key(&h)),
                        }
                    };
                    b.append_value(result.to_bytes());
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

    fn h(v: i64) -> u64 {
        super::super::murmur3_x64_128(&v.to_le_bytes(), 9001).0 >> 1
    }

    fn sketch(rows: &[(i64, f64)], summary: Summary, mode: Mode) -> TupleSketch {
        let mut s = TupleSketch::new(summary, 12);
        for (k, v) in rows {
            s.update(h(*k), *v, mode);
        }
        s
    }

    #[test]
    fn modes_combine_repeated_keys() {
        let rows = [(1, 2.0), (1, 5.0), (2, 3.0)];
        assert_eq!(sketch(&rows, Summary::Double, Mode::Sum).total(Mode::Sum), 10.0);
        assert_eq!(sketch(&rows, Summary::Double, Mode::Min).total(Mode::Sum), 5.0);
        assert_eq!(sketch(&rows, Summary::Double, Mode::Max).total(Mode::Min), 3.0);
        assert_eq!(sketch(&rows, Summary::Double, Mode::AlwaysOne).total(Mode::Sum), 2.0);
        let wrap = sketch(&[(1, i32::MAX as f64), (1, 1.0)], Summary::Integer, Mode::Sum);
        assert_eq!(wrap.total(Mode::Sum), i32::MIN as f64);
    }

    #[test]
    fn set_operations_with_summaries() {
        let a = sketch(&[(1, 1.0), (2, 2.0), (3, 3.0)], Summary::Double, Mode::Sum);
        let b = sketch(&[(1, 4.0), (2, 5.0), (4, 6.0)], Summary::Double, Mode::Sum);
        assert_eq!(a.intersection(&b, Mode::Sum).total(Mode::Sum), 12.0);
        assert_eq!(a.union(&b, 12, Mode::Sum).estimate(), 4.0);
        assert_eq!(a.difference(b.theta, |k| b.entries.contains_key(&k)).estimate(), 1.0);
        let round_trip = TupleSketch::from_bytes(&a.to_bytes(), Summary::Double).unwrap();
        assert_eq!(round_trip, a);
        assert!(TupleSketch::from_bytes(&a.to_bytes(), Summary::Integer).is_none());
    }
}
