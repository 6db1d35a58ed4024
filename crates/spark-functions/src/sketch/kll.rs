//! KLL quantile sketches over BIGINT, FLOAT or DOUBLE items: the
//! `kll_sketch_*`, `kll_merge_agg_*` functions.
//!
//! Items enter level 0 (weight 1); when the sketch holds more than its
//! capacity, the lowest full level is sorted and every other item (from a
//! random offset) moves up a level with twice the weight. Level capacities
//! shrink by 2/3 per level down from the top, never below 8, so with
//! `k` = 200 the rank error stays near 1.65%. Quantiles and ranks are the
//! inclusive ones Spark reports: the quantile of rank `r` is the first
//! item whose cumulative weight reaches `r * n`; the rank of `v` is the
//! weight of the items `<= v` over `n`.

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BinaryBuilder, Int64Builder, ListArray, StringBuilder,
};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use super::{Family, Reader, Writer, invalid_buffer, sketch_bytes};
use crate::error::{RuntimeKind, SparkRuntimeError};

pub const DEFAULT_K: u16 = 200;
const MIN_LEVEL_CAPACITY: usize = 8;

/// The item type: `_bigint`, `_float` or `_double` functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Bigint,
    Float,
    Double,
}

impl Item {
    fn suffix(self) -> &'static str {
        match self {
            Item::Bigint => "bigint",
            Item::Float => "float",
            Item::Double => "double",
        }
    }

    pub fn data_type(self) -> DataType {
        match self {
            Item::Bigint => DataType::Int64,
            Item::Float => DataType::Float32,
            Item::Double => DataType::Float64,
        }
    }

    /// DataSketches' class name in `kll_sketch_to_string`.
    fn class(self) -> &'static str {
        match self {
            Item::Bigint => "KllLongsSketch",
            Item::Float => "KllFloatsSketch",
            Item::Double => "KllDoublesSketch",
        }
    }
}

/// An item: an `i64` for BIGINT sketches, else the value as an `f64`.
/// Stored as bits so one sketch type serves all three item types.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Int(i64),
    Real(f64),
}

impl Value {
    fn cmp(&self, other: &Value) -> std::cmp::Ordering {
        match (self, other) {
            (Value::Int(a), Value::Int(b)) => a.cmp(b),
            (Value::Real(a), Value::Real(b)) => a.total_cmp(b),
            (Value::Int(a), Value::Real(b)) => (*a as f64).total_cmp(b),
            (Value::Real(a), Value::Int(b)) => a.total_cmp(&(*b as f64)),
        }
    }

    fn bits(&self) -> u64 {
        match self {
            Value::Int(v) => *v as u64,
            Value::Real(v) => v.to_bits(),
        }
    }

    fn from_bits(item: Item, bits: u64) -> Value {
        if item == Item::Bigint { Value::Int(bits as i64) } else { Value::Real(f64::from_bits(bits)) }
    }

    fn show(&self, item: Item) -> String {
        match (self, item) {
            (Value::Int(v), _) => v.to_string(),
            (Value::Real(v), Item::Float) => format!("{:?}", *v as f32),
            (Value::Real(v), _) => format!("{v:?}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct KllSketch {
    pub item: Item,
    pub k: u16,
    pub n: u64,
    /// `levels[h]` holds items of weight `2^h`.
    pub levels: Vec<Vec<Value>>,
    min: Option<Value>,
    max: Option<Value>,
    /// State of the coin that picks which half of a level moves up.
    coin: u64,
}

impl KllSketch {
    pub fn new(item: Item, k: u16) -> Self {
        Self { item, k, n: 0, levels: vec![vec![]], min: None, max: None, coin: 0x9E37_79B9_7F4A_7C15 }
    }

    fn capacity(&self, level: usize) -> usize {
        let depth = (self.levels.len() - 1 - level) as i32;
        ((self.k as f64) * (2.0f64 / 3.0).powi(depth)).ceil().max(MIN_LEVEL_CAPACITY as f64) as usize
    }

    fn total_capacity(&self) -> usize {
        (0..self.levels.len()).map(|h| self.capacity(h)).sum()
    }

    pub fn retained(&self) -> usize {
        self.levels.iter().map(|l| l.len()).sum()
    }

    fn flip(&mut self) -> usize {
        // xorshift64: deterministic for a given input order.
        self.coin ^= self.coin << 13;
        self.coin ^= self.coin >> 7;
        self.coin ^= self.coin << 17;
        (self.coin & 1) as usize
    }

    fn note(&mut self, v: Value) {
        if self.min.is_none_or(|m| v.cmp(&m).is_lt()) {
            self.min = Some(v);
        }
        if self.max.is_none_or(|m| v.cmp(&m).is_gt()) {
            self.max = Some(v);
        }
    }

    pub fn update(&mut self, v: Value) {
        if let Value::Real(x) = v {
            if x.is_nan() {
                return;
            }
        }
        self.note(v);
        self.n += 1;
        self.levels[0].push(v);
        self.compress();
    }

    /// Compacts the lowest over-full level while the sketch is over capacity.
    fn compress(&mut self) {
        while self.retained() > self.total_capacity() {
            let Some(h) = (0..self.levels.len()).find(|h| self.levels[*h].len() >= self.capacity(*h)) else {
                return;
            };
            if h + 1 == self.levels.len() {
                self.levels.push(vec![]);
            }
            let mut level = std::mem::take(&mut self.levels[h]);
            level.sort_by(|a, b| a.cmp(b));
            // An odd item stays behind.
            if level.len() % 2 == 1 {
                if let Some(first) = level.first().copied() {
                    self.levels[h].push(first);
                    level.remove(0);
                }
            }
            let offset = self.flip();
            let promoted: Vec<Value> = level.iter().skip(offset).step_by(2).copied().collect();
            self.levels[h + 1].extend(promoted);
        }
    }

    pub fn merge(&mut self, other: &KllSketch) {
        if other.n == 0 {
            return;
        }
        if let Some(m) = other.min {
            self.note(m);
        }
        if let Some(m) = other.max {
            self.note(m);
        }
        while self.levels.len() < other.levels.len() {
            self.levels.push(vec![]);
        }
        for (h, level) in other.levels.iter().enumerate() {
            self.levels[h].extend(level.iter().copied());
        }
        self.n += other.n;
        self.compress();
    }

    /// Items with their weights, sorted by item.
    fn weighted(&self) -> Vec<(Value, u64)> {
        let mut all: Vec<(Value, u64)> = self.levels.iter().enumerate().flat_map(|(h, l)| l.iter().map(move |v| (*v, 1u64 << h))).collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }

    /// The inclusive quantile of normalized rank `rank` (the sketch is not empty).
    pub fn quantile(&self, rank: f64) -> Option<Value> {
        if rank >= 1.0 {
            return self.max;
        }
        let target = rank * self.n as f64;
        let mut cumulative = 0u64;
        for (v, w) in self.weighted() {
            cumulative += w;
            if cumulative as f64 >= target {
                return Some(v);
            }
        }
        self.max
    }

    /// The inclusive normalized rank of `v`.
    pub fn rank(&self, v: Value) -> f64 {
        let below: u64 = self.weighted().iter().filter(|(x, _)| x.cmp(&v).is_le()).map(|(_, w)| *w).sum();
        below as f64 / self.n as f64
    }

    /// A summary in the layout of DataSketches' `toString()`.
    pub fn summary(&self) -> String {
        let show = |v: Option<Value>| v.map(|v| v.show(self.item)).unwrap_or_else(|| "NaN".into());
        let epsilon = 2.296 / (self.k as f64).powf(0.9723);
        let epsilon_pmf = 2.446 / (self.k as f64).powf(0.9433);
        let capacity = self.total_capacity();
        let retained = self.retained();
        let mut s = String::new();
        s.push_str(&format!("\n### Kll{} Summary:\n", self.item.class()));
        for (label, value) in [
            ("K", self.k.to_string()),
            ("Dynamic min K", self.k.to_string()),
            ("M", MIN_LEVEL_CAPACITY.to_string()),
            ("N", self.n.to_string()),
            ("Epsilon", format!("{:.3}%", epsilon * 100.0)),
            ("Epsilon PMF", format!("{:.3}%", epsilon_pmf * 100.0)),
            ("Empty", (self.n == 0).to_string()),
            ("Estimation Mode", (self.levels.len() > 1).to_string()),
            ("Levels", self.levels.len().to_string()),
            ("Capacity Items", capacity.to_string()),
            ("Retained Items", retained.to_string()),
            ("Free Space", capacity.saturating_sub(retained).to_string()),
            ("Min Item", show(self.min)),
            ("Max Item", show(self.max)),
        ] {
            s.push_str(&format!("   {label:<23}: {value}\n"));
        }
        s.push_str("### End sketch summary\n");
        s
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(Family::Kll);
        w.u8(self.item as u8);
        w.u32(self.k as u32);
        w.u64(self.n);
        w.u64(self.coin);
        for m in [self.min, self.max] {
            w.u8(m.is_some() as u8);
            w.u64(m.map_or(0, |v| v.bits()));
        }
        w.u32(self.levels.len() as u32);
        for level in &self.levels {
            w.u32(level.len() as u32);
            for v in level {
                w.u64(v.bits());
            }
        }
        w.bytes
    }

    pub fn from_bytes(bytes: &[u8], item: Item) -> Option<KllSketch> {
        let mut r = Reader::open(bytes, Family::Kll)?;
        if r.u8()? != item as u8 {
            return None;
        }
        let k = u16::try_from(r.u32()?).ok()?;
        let n = r.u64()?;
        let coin = r.u64()?;
        let mut ends = [None, None];
        for end in &mut ends {
            let present = r.u8()?;
            let bits = r.u64()?;
            *end = (present == 1).then(|| Value::from_bits(item, bits));
        }
        let depth = r.u32()? as usize;
        if k < 8 || depth == 0 || depth > 64 {
            return None;
        }
        let mut levels = Vec::with_capacity(depth);
        let mut weight = 0u64;
        for h in 0..depth {
            let len = r.u32()? as usize;
            if len > r.room(8) {
                return None;
            }
            let mut level = Vec::with_capacity(len);
            for _ in 0..len {
                level.push(Value::from_bits(item, r.u64()?));
            }
            weight = weight.checked_add((len as u64).checked_shl(h as u32)?)?;
            levels.push(level);
        }
        // The retained weight never exceeds the count of items seen.
        if weight > n || !r.done() {
            return None;
        }
        Some(KllSketch { item, k, n, levels, min: ends[0], max: ends[1], coin })
    }
}

/// Spark's check of the `k` argument (8 to 65535).
pub fn k_out_of_range(function: &str, k: i64) -> Option<String> {
    (!(8..=65535).contains(&k)).then(|| format!("For function `{function}`, the k parameter must be between 8 and 65535 (inclusive), but got {k}."))
}

fn read(a: &dyn Array, i: usize, item: Item, function: &str) -> Result<Option<KllSketch>> {
    match sketch_bytes(a, i) {
        None => Ok(None),
        Some(b) => KllSketch::from_bytes(b, item).map(Some).ok_or_else(|| invalid_buffer(Family::Kll, function)),
    }
}

/// Row `i` of an item column as an item of the sketch's type.
fn value_at(a: &dyn Array, i: usize, item: Item) -> Option<Value> {
    if a.is_null(i) || a.data_type() == &DataType::Null {
        return None;
    }
    match item {
        Item::Bigint => {
            let v = datafusion::arrow::compute::cast(&a.slice(i, 1), &DataType::Int64).ok()?;
            Some(Value::Int(v.as_primitive::<datafusion::arrow::datatypes::Int64Type>().value(0)))
        }
        _ => {
            let v = datafusion::arrow::compute::cast(&a.slice(i, 1), &DataType::Float64).ok()?;
            Some(Value::Real(v.as_primitive::<Float64Type>().value(0)))
        }
    }
}

/// `kll_sketch_agg_*(item[, k])` (`merge: false`) and `kll_merge_agg_*(sketch[, k])`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkKllAgg {
    signature: Signature,
    name: String,
    item: Item,
    merge: bool,
    k: u16,
}

impl SparkKllAgg {
    pub fn udaf(item: Item, merge: bool, k: u16, arity: usize) -> Arc<AggregateUDF> {
        let name = format!("{}_{}", if merge { "kll_merge_agg" } else { "kll_sketch_agg" }, item.suffix());
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(arity, Volatility::Immutable), name, item, merge, k }))
    }
}

impl AggregateUDFImpl for SparkKllAgg {
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
        Ok(Box::new(KllAccumulator { merge: self.merge, name: self.name.clone(), sketch: KllSketch::new(self.item, self.k) }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![Arc::new(Field::new("sketch", DataType::Binary, true))])
    }
}

#[derive(Debug)]
struct KllAccumulator {
    merge: bool,
    name: String,
    sketch: KllSketch,
}

impl KllAccumulator {
    fn merge_column(&mut self, a: &ArrayRef) -> Result<()> {
        for i in 0..a.len() {
            if let Some(s) = read(a.as_ref(), i, self.sketch.item, &self.name)? {
                self.sketch.merge(&s);
            }
        }
        Ok(())
    }
}

impl Accumulator for KllAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        if self.merge {
            return self.merge_column(&values[0]);
        }
        let a = &values[0];
        for i in 0..a.len() {
            if let Some(v) = value_at(a.as_ref(), i, self.sketch.item) {
                self.sketch.update(v);
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        self.merge_column(&states[0])
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(Some(self.sketch.to_bytes()))])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Binary(Some(self.sketch.to_bytes())))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.sketch.retained() * 16
    }
}

/// The scalar KLL functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KllFn {
    N,
    /// `kll_sketch_get_quantile_*(sketch, rank | array of ranks)`.
    Quantile,
    /// `kll_sketch_get_rank_*(sketch, value | array of values)`.
    Rank,
    Merge,
    ToString,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkKll {
    signature: Signature,
    name: String,
    function: KllFn,
    item: Item,
    /// Whether the second argument is an array (quantile and rank).
    array: bool,
}

impl SparkKll {
    pub fn udf(function: KllFn, item: Item, array: bool) -> Arc<ScalarUDF> {
        let stem = match function {
            KllFn::N => "kll_sketch_get_n",
            KllFn::Quantile => "kll_sketch_get_quantile",
            KllFn::Rank => "kll_sketch_get_rank",
            KllFn::Merge => "kll_sketch_merge",
            KllFn::ToString => "kll_sketch_to_string",
        };
        let arity = if matches!(function, KllFn::N | KllFn::ToString) { 1 } else { 2 };
        let name = format!("{stem}_{}", item.suffix());
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(arity, Volatility::Immutable), name, function, item, array }))
    }

    fn element_type(&self) -> DataType {
        if self.function == KllFn::Quantile { self.item.data_type() } else { DataType::Float64 }
    }

    /// One quantile or rank of a non-empty sketch.
    fn point(&self, s: &KllSketch, arg: &dyn Array, j: usize) -> Result<Option<ScalarValue>> {
        if arg.is_null(j) {
            return Ok(None);
        }
        if self.function == KllFn::Quantile {
            let Some(Value::Real(r)) = value_at(arg, j, Item::Double) else { return Ok(None) };
            if !(0.0..=1.0).contains(&r) {
                return Err(SparkRuntimeError::new(
                    RuntimeKind::Runtime,
                    "KLL_SKETCH_INVALID_QUANTILE_RANGE",
                    "22003",
                    format!("For function `{}`, the quantile value must be between 0.0 and 1.0 (inclusive).", self.name),
                )
                .param("functionName", format!("`{}`", self.name))
                .into_df());
            }
            Ok(s.quantile(r).map(|v| match (v, self.item) {
                (Value::Int(x), _) => ScalarValue::Int64(Some(x)),
                (Value::Real(x), Item::Float) => ScalarValue::Float32(Some(x as f32)),
                (Value::Real(x), _) => ScalarValue::Float64(Some(x)),
            }))
        } else {
            Ok(value_at(arg, j, self.item).map(|v| ScalarValue::Float64(Some(s.rank(v)))))
        }
    }
}

impl ScalarUDFImpl for SparkKll {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.function {
            KllFn::N => DataType::Int64,
            KllFn::Merge => DataType::Binary,
            KllFn::ToString => DataType::Utf8,
            _ if self.array => DataType::List(Arc::new(Field::new("element", self.element_type(), true))),
            _ => self.element_type(),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let (n, name, item) = (args.number_rows, self.name.as_str(), self.item);
        let sketch = |i: usize| read(arrays[0].as_ref(), i, item, name);
        let out: ArrayRef = match self.function {
            KllFn::N => {
                let mut b = Int64Builder::with_capacity(n);
                for i in 0..n {
                    b.append_option(sketch(i)?.map(|s| s.n as i64));
                }
                Arc::new(b.finish())
            }
            KllFn::ToString => {
                let mut b = StringBuilder::new();
                for i in 0..n {
                    b.append_option(sketch(i)?.map(|s| s.summary()));
                }
                Arc::new(b.finish())
            }
            KllFn::Merge => {
                let mut b = BinaryBuilder::new();
                for i in 0..n {
                    match (sketch(i)?, read(arrays[1].as_ref(), i, item, name)?) {
                        (Some(mut x), Some(y)) => {
                            x.merge(&y);
                            b.append_value(x.to_bytes());
                        }
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            KllFn::Quantile | KllFn::Rank => {
                let mut rows: Vec<ScalarValue> = Vec::with_capacity(n);
                let element = self.element_type();
                let null_of = |t: &DataType| ScalarValue::try_from(t);
                for i in 0..n {
                    let s = sketch(i)?;
                    let arg = &arrays[1];
                    let row = match s {
                        None => None,
                        Some(_) if arg.is_null(i) || arg.data_type() == &DataType::Null => None,
                        // Spark reads an empty sketch as an invalid buffer here.
                        Some(s) if s.n == 0 => return Err(invalid_buffer(Family::Kll, name)),
                        Some(s) if self.array => {
                            let points = arg.as_list::<i32>().value(i);
                            let mut values = Vec::with_capacity(points.len());
                            for j in 0..points.len() {
                                values.push(match self.point(&s, points.as_ref(), j)? {
                                    Some(v) => v,
                                    None => null_of(&element)?,
                                });
                            }
                            let values = if values.is_empty() { datafusion::arrow::array::new_empty_array(&element) } else { ScalarValue::iter_to_array(values)? };
                            let field = Arc::new(Field::new("element", element.clone(), true));
                            Some(ScalarValue::List(Arc::new(ListArray::new(field, OffsetBuffer::from_lengths([values.len()]), values, None))))
                        }
                        Some(s) => self.point(&s, arg.as_ref(), i)?,
                    };
                    rows.push(match row {
                        Some(v) => v,
                        None => null_of(&self.return_type(&[])?)?,
                    });
                }
                if rows.is_empty() { datafusion::arrow::array::new_empty_array(&self.return_type(&[])?) } else { ScalarValue::iter_to_array(rows)? }
            }
        };
        crate::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sketch(values: impl IntoIterator<Item = i64>, k: u16) -> KllSketch {
        let mut s = KllSketch::new(Item::Bigint, k);
        for v in values {
            s.update(Value::Int(v));
        }
        s
    }

    #[test]
    fn exact_quantiles_and_ranks_as_spark() {
        let s = sketch(1..=5, 200);
        let q: Vec<Option<Value>> = [0.0, 0.2, 0.21, 0.5, 0.79, 0.8, 1.0].iter().map(|r| s.quantile(*r)).collect();
        let expected: Vec<Option<Value>> = [1, 1, 2, 3, 4, 4, 5].iter().map(|v| Some(Value::Int(*v))).collect();
        assert_eq!(q, expected);
        let r: Vec<f64> = [0, 1, 3, 6].iter().map(|v| s.rank(Value::Int(*v))).collect();
        assert_eq!(r, vec![0.0, 0.2, 0.6, 1.0]);
    }

    #[test]
    fn stays_small_and_accurate_beyond_k() {
        let s = sketch(0..100_000, 200);
        assert!(s.retained() < 1000, "{}", s.retained());
        assert_eq!(s.n, 100_000);
        let Some(Value::Int(median)) = s.quantile(0.5) else { panic!("no median") };
        assert!((median - 50_000).abs() < 2_500, "{median}");
        let back = KllSketch::from_bytes(&s.to_bytes(), Item::Bigint).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn merges_counts() {
        let mut a = sketch(1..=3, 200);
        a.merge(&sketch(4..=6, 200));
        assert_eq!(a.n, 6);
        assert_eq!(a.quantile(1.0), Some(Value::Int(6)));
        assert!(KllSketch::from_bytes(&a.to_bytes(), Item::Double).is_none());
    }
}
