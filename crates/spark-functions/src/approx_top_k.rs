//! Spark's `approx_top_k` family over the frequent-items sketch
//! ([`crate::sketch::frequent_items`]):
//!
//! - `approx_top_k(expr, k, maxItemsTracked)`: the k most frequent items
//!   with their counts (NULL counted as an item of its own);
//! - `approx_top_k_accumulate(expr, maxItemsTracked)`: the sketch, as the
//!   struct `<sketch, maxItemsTracked, itemDataType, itemDataTypeDDL>`;
//! - `approx_top_k_combine(state[, maxItemsTracked])`: sketches merged;
//! - `approx_top_k_estimate(state, k)`: the k most frequent of a sketch.
//!
//! A sketch's bytes are Spark's: DataSketches' serialization followed by
//! the count of NULLs (a big-endian 64-bit integer).

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BinaryArray, BooleanArray, Decimal128Array, Float32Array, Float64Array, Int8Array, Int16Array, Int32Array,
    Int64Array, ListArray, StringArray, StructArray,
};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, Field, FieldRef, Fields, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    TimeUnit, TimestampMicrosecondType,
};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{
    Accumulator, AggregateUDF, AggregateUDFImpl, ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility,
};

use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::sketch::frequent_items::{FrequentItems, Item, ItemKind, max_map_size};

pub const DEFAULT_K: i64 = 5;
pub const DEFAULT_MAX_ITEMS_TRACKED: i64 = 10000;
pub const MAX_ITEMS_TRACKED_LIMIT: i64 = 1_000_000;
/// `approx_top_k_combine` without a size: the inputs' size, which must agree.
pub const VOID_MAX_ITEMS_TRACKED: i64 = -1;

/// How a Spark type's values are kept in the sketch, if Spark sketches it.
pub fn item_kind(t: &DataType) -> Option<ItemKind> {
    Some(match t {
        DataType::Boolean => ItemKind::Boolean,
        DataType::Int8 => ItemKind::Byte,
        DataType::Int16 => ItemKind::Short,
        DataType::Int32 | DataType::Date32 => ItemKind::Int,
        DataType::Int64 | DataType::Timestamp(TimeUnit::Microsecond, _) => ItemKind::Long,
        DataType::Float32 => ItemKind::Float,
        DataType::Float64 => ItemKind::Double,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => ItemKind::String,
        DataType::Decimal128(p, s) => ItemKind::Decimal { precision: *p, scale: *s },
        _ => return None,
    })
}

fn runtime(class: &str, state: &str, message: String) -> datafusion::error::DataFusionError {
    SparkRuntimeError::new(RuntimeKind::Runtime, class, state, message).into_df()
}

/// Spark's checks of `k` and `maxItemsTracked`, made when the query runs.
pub fn check_args(function: &str, k: Option<Option<i64>>, max_items: Option<Option<i64>>) -> Result<()> {
    let null = |name: &str| runtime("APPROX_TOP_K_NULL_ARG", "22004", format!("The value of `{name}` in `{function}` cannot be NULL."));
    let non_positive =
        |name: &str, v: i64| runtime("APPROX_TOP_K_NON_POSITIVE_ARG", "22023", format!("The value of `{name}` in `{function}` must be a positive integer, but got {v}."));
    let k = match k {
        Some(None) => return Err(null("k")),
        Some(Some(k)) if k <= 0 => return Err(non_positive("k", k)),
        Some(Some(k)) => Some(k),
        None => None,
    };
    let max = match max_items {
        Some(None) => return Err(null("maxItemsTracked")),
        Some(Some(m)) if m > MAX_ITEMS_TRACKED_LIMIT => {
            return Err(runtime(
                "APPROX_TOP_K_MAX_ITEMS_TRACKED_EXCEEDS_LIMIT",
                "22023",
                format!("The max items tracked `maxItemsTracked`({m}) of `{function}` should be less than or equal to {MAX_ITEMS_TRACKED_LIMIT}."),
            ));
        }
        Some(Some(m)) if m <= 0 => return Err(non_positive("maxItemsTracked", m)),
        Some(Some(m)) => Some(m),
        None => None,
    };
    if let (Some(k), Some(m)) = (k, max)
        && m < k
    {
        return Err(less_than_k(function, m, k));
    }
    Ok(())
}

fn less_than_k(function: &str, max: i64, k: i64) -> datafusion::error::DataFusionError {
    runtime(
        "APPROX_TOP_K_MAX_ITEMS_TRACKED_LESS_THAN_K",
        "22023",
        format!("The max items tracked `maxItemsTracked`({max}) of `{function}` should be greater than or equal to `k`({k})."),
    )
}

/// The item column's DDL Spark keeps in the state (`item INT NOT NULL`;
/// strings lower-case, as Spark hides their collation).
pub fn item_ddl(item_sql: &str) -> String {
    if item_sql == "STRING" { "item string not null".into() } else { format!("item {item_sql} NOT NULL") }
}

/// The type in an item DDL, as Spark's errors show it (`INT`, `STRING`).
fn ddl_type(ddl: &str) -> String {
    let t = ddl.trim().strip_prefix("item ").unwrap_or(ddl).trim();
    let t = t.strip_suffix("not null").or_else(|| t.strip_suffix("NOT NULL")).unwrap_or(t).trim();
    t.to_uppercase()
}

/// The sketch with its NULL count: Spark's aggregation buffer.
#[derive(Debug, Clone)]
struct TopKState {
    sketch: FrequentItems,
    nulls: i64,
}

impl TopKState {
    fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.sketch.to_bytes();
        out.extend_from_slice(&self.nulls.to_be_bytes());
        out
    }

    fn from_bytes(kind: ItemKind, bytes: &[u8]) -> Result<TopKState> {
        let invalid = |why: String| runtime("APPROX_TOP_K_SKETCH_INVALID", "22546", format!("The approx_top_k sketch cannot be read: {why}."));
        let (sketch, used) = FrequentItems::from_bytes(kind, bytes).map_err(|e| invalid(e.0))?;
        let nulls = match bytes.get(used..) {
            Some(rest) if rest.len() >= 8 => i64::from_be_bytes(rest[..8].try_into().map_err(|_| invalid("no NULL count".into()))?),
            Some([]) => 0,
            _ => return Err(invalid("no NULL count".into())),
        };
        Ok(TopKState { sketch, nulls })
    }

    fn merge(&mut self, other: &TopKState) {
        self.sketch.merge(&other.sketch);
        self.nulls += other.nulls;
    }

    /// Spark's top k: the frequent items, with NULL's count placed before
    /// the first item it exceeds.
    fn top(&self, k: usize) -> Vec<(Option<Item>, i64)> {
        let mut out: Vec<(Option<Item>, i64)> = Vec::new();
        let mut null_added = self.nulls == 0;
        for (item, count) in self.sketch.frequent_items() {
            if out.len() >= k {
                break;
            }
            if !null_added && self.nulls > count {
                out.push((None, self.nulls));
                null_added = true;
                if out.len() >= k {
                    break;
                }
            }
            out.push((Some(item), count));
        }
        if !null_added && out.len() < k {
            out.push((None, self.nulls));
        }
        out
    }
}

fn item_at(a: &dyn Array, i: usize, kind: ItemKind) -> Option<Item> {
    if a.is_null(i) {
        return None;
    }
    Some(match (kind, a.data_type()) {
        (ItemKind::Boolean, _) => Item::Boolean(a.as_boolean().value(i)),
        (ItemKind::Byte, _) => Item::Byte(a.as_primitive::<Int8Type>().value(i)),
        (ItemKind::Short, _) => Item::Short(a.as_primitive::<Int16Type>().value(i)),
        (ItemKind::Int, DataType::Date32) => Item::Int(a.as_primitive::<Date32Type>().value(i)),
        (ItemKind::Int, _) => Item::Int(a.as_primitive::<Int32Type>().value(i)),
        (ItemKind::Long, DataType::Timestamp(..)) => Item::Long(a.as_primitive::<TimestampMicrosecondType>().value(i)),
        (ItemKind::Long, _) => Item::Long(a.as_primitive::<Int64Type>().value(i)),
        (ItemKind::Float, _) => Item::float(a.as_primitive::<Float32Type>().value(i)),
        (ItemKind::Double, _) => Item::double(a.as_primitive::<Float64Type>().value(i)),
        (ItemKind::String, DataType::Utf8View) => Item::String(a.as_string_view().value(i).to_string()),
        (ItemKind::String, DataType::LargeUtf8) => Item::String(a.as_string::<i64>().value(i).to_string()),
        (ItemKind::String, _) => Item::String(a.as_string::<i32>().value(i).to_string()),
        (ItemKind::Decimal { .. }, _) => Item::Decimal(a.as_primitive::<Decimal128Type>().value(i)),
    })
}

/// The items as an array of `t`, the type they were sketched from.
fn items_array(items: &[Option<&Item>], t: &DataType) -> Result<ArrayRef> {
    macro_rules! collect {
        ($variant:ident, $array:ty, $map:expr) => {
            Arc::new(items.iter().map(|i| match i {
                Some(Item::$variant(v)) => Some($map(v)),
                _ => None,
            }).collect::<$array>()) as ArrayRef
        };
    }
    let a: ArrayRef = match t {
        DataType::Boolean => collect!(Boolean, BooleanArray, |v: &bool| *v),
        DataType::Int8 => collect!(Byte, Int8Array, |v: &i8| *v),
        DataType::Int16 => collect!(Short, Int16Array, |v: &i16| *v),
        DataType::Int32 | DataType::Date32 => collect!(Int, Int32Array, |v: &i32| *v),
        DataType::Int64 | DataType::Timestamp(..) => collect!(Long, Int64Array, |v: &i64| *v),
        DataType::Float32 => collect!(Float, Float32Array, |v: &u32| f32::from_bits(*v)),
        DataType::Float64 => collect!(Double, Float64Array, |v: &u64| f64::from_bits(*v)),
        DataType::Decimal128(p, s) => Arc::new(
            items
                .iter()
                .map(|i| match i {
                    Some(Item::Decimal(v)) => Some(*v),
                    _ => None,
                })
                .collect::<Decimal128Array>()
                .with_precision_and_scale(*p, *s)?,
        ),
        _ => collect!(String, StringArray, |v: &String| v.clone()),
    };
    Ok(match t {
        DataType::Date32 | DataType::Timestamp(..) => datafusion::arrow::compute::cast(&a, t)?,
        _ => a,
    })
}

/// `array<struct<item, count>>`, what `approx_top_k` and `_estimate` answer.
pub fn result_type(item: &DataType) -> DataType {
    DataType::List(Arc::new(Field::new("element", DataType::Struct(entry_fields(item)), false)))
}

fn entry_fields(item: &DataType) -> Fields {
    Fields::from(vec![Field::new("item", item.clone(), true), Field::new("count", DataType::Int64, false)])
}

/// The state struct `approx_top_k_accumulate` and `_combine` answer.
pub fn state_type(item: &DataType) -> DataType {
    DataType::Struct(state_fields(item))
}

fn state_fields(item: &DataType) -> Fields {
    Fields::from(vec![
        Field::new("sketch", DataType::Binary, false),
        Field::new("maxItemsTracked", DataType::Int32, false),
        Field::new("itemDataType", item.clone(), true),
        Field::new("itemDataTypeDDL", DataType::Utf8, false),
    ])
}

/// One list of `rows` per top-k answer.
fn results_array(answers: &[Option<Vec<(Option<Item>, i64)>>], item: &DataType) -> Result<ArrayRef> {
    let flat: Vec<&(Option<Item>, i64)> = answers.iter().flatten().flatten().collect();
    let items = items_array(&flat.iter().map(|r| r.0.as_ref()).collect::<Vec<_>>(), item)?;
    let counts: ArrayRef = Arc::new(Int64Array::from(flat.iter().map(|r| r.1).collect::<Vec<_>>()));
    let entries = StructArray::try_new(entry_fields(item), vec![items, counts], None)?;
    let offsets = OffsetBuffer::from_lengths(answers.iter().map(|a| a.as_ref().map_or(0, Vec::len)));
    let nulls = datafusion::arrow::buffer::NullBuffer::from(answers.iter().map(Option::is_some).collect::<Vec<_>>());
    let field = Arc::new(Field::new("element", DataType::Struct(entry_fields(item)), false));
    Ok(Arc::new(ListArray::try_new(field, offsets, Arc::new(entries), Some(nulls).filter(|n| n.null_count() > 0))?))
}

fn state_scalar(bytes: Vec<u8>, max_items: i64, item: &DataType, item_sql: &str) -> Result<ScalarValue> {
    let columns: Vec<ArrayRef> = vec![
        Arc::new(BinaryArray::from(vec![bytes.as_slice()])),
        Arc::new(Int32Array::from(vec![i32::try_from(max_items).unwrap_or(-1)])),
        datafusion::arrow::array::new_null_array(item, 1),
        Arc::new(StringArray::from(vec![item_ddl(item_sql)])),
    ];
    Ok(ScalarValue::Struct(Arc::new(StructArray::try_new(state_fields(item), columns, None)?)))
}

/// Which aggregate of the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopKAgg {
    /// `approx_top_k(expr, k, maxItemsTracked)`.
    Top { k: Option<i64>, max_items: Option<i64> },
    /// `approx_top_k_accumulate(expr, maxItemsTracked)`.
    Accumulate { max_items: Option<i64> },
    /// `approx_top_k_combine(state[, maxItemsTracked])`; `max_items`
    /// [`VOID_MAX_ITEMS_TRACKED`] when not given.
    Combine { max_items: Option<i64> },
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkApproxTopK {
    signature: Signature,
    agg: TopKAgg,
    /// The items' type and its SQL name.
    item: DataType,
    item_sql: String,
}

impl SparkApproxTopK {
    pub fn udaf(agg: TopKAgg, item: DataType, item_sql: &str) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), agg, item, item_sql: item_sql.into() }))
    }

    fn name_of(&self) -> &'static str {
        match self.agg {
            TopKAgg::Top { .. } => "approx_top_k",
            TopKAgg::Accumulate { .. } => "approx_top_k_accumulate",
            TopKAgg::Combine { .. } => "approx_top_k_combine",
        }
    }
}

impl AggregateUDFImpl for SparkApproxTopK {
    fn name(&self) -> &str {
        self.name_of()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.agg {
            TopKAgg::Top { .. } => result_type(&self.item),
            _ => state_type(&self.item),
        })
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let kind = item_kind(&self.item).ok_or_else(|| runtime("INTERNAL_ERROR", "XX000", format!("approx_top_k cannot sketch {}", self.item)))?;
        let (k, declared) = match self.agg {
            TopKAgg::Top { k, max_items } => {
                check_args("approx_top_k", Some(k), Some(max_items))?;
                (k.unwrap_or(DEFAULT_K), max_items)
            }
            TopKAgg::Accumulate { max_items } => {
                check_args("approx_top_k", None, Some(max_items))?;
                (0, max_items)
            }
            TopKAgg::Combine { max_items: Some(VOID_MAX_ITEMS_TRACKED) } => (0, None),
            TopKAgg::Combine { max_items } => {
                check_args("approx_top_k", None, Some(max_items))?;
                (0, max_items)
            }
        };
        let map_items = declared.unwrap_or(MAX_ITEMS_TRACKED_LIMIT);
        let sketch = FrequentItems::new(kind, max_map_size(i32::try_from(map_items).unwrap_or(i32::MAX)));
        Ok(Box::new(TopKAccumulator {
            agg: self.agg,
            kind,
            k,
            state: TopKState { sketch, nulls: 0 },
            max_items: declared,
            seen_ddl: None,
            item: self.item.clone(),
            item_sql: self.item_sql.clone(),
        }))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok(vec![
            Arc::new(Field::new("sketch", DataType::Binary, true)),
            Arc::new(Field::new("max_items", DataType::Int64, true)),
            Arc::new(Field::new("ddl", DataType::Utf8, true)),
        ])
    }
}

#[derive(Debug)]
struct TopKAccumulator {
    agg: TopKAgg,
    kind: ItemKind,
    k: i64,
    state: TopKState,
    /// The sketches' size: declared, or (for combine) the first input's.
    max_items: Option<i64>,
    /// The item DDL of the first sketch combined.
    seen_ddl: Option<String>,
    item: DataType,
    item_sql: String,
}

impl TopKAccumulator {
    /// Takes a combined sketch's size and item type, refusing mismatches as
    /// Spark does.
    fn note_input(&mut self, max_items: Option<i64>, ddl: Option<&str>) -> Result<()> {
        if let (TopKAgg::Combine { max_items: Some(VOID_MAX_ITEMS_TRACKED) }, Some(m)) = (self.agg, max_items) {
            match self.max_items {
                None => self.max_items = Some(m),
                Some(seen) if seen != m => {
                    return Err(runtime(
                        "APPROX_TOP_K_SKETCH_SIZE_NOT_MATCH",
                        "42846",
                        format!("Combining approx_top_k sketches of different sizes is not allowed. Found sketches of size {seen} and {m}."),
                    ));
                }
                Some(_) => {}
            }
        }
        if let Some(ddl) = ddl {
            let mine = item_ddl(&self.item_sql);
            let first = self.seen_ddl.get_or_insert_with(|| ddl.to_string()).clone();
            for other in [ddl, mine.as_str()] {
                if ddl_type(&first) != ddl_type(other) {
                    return Err(runtime(
                        "APPROX_TOP_K_SKETCH_TYPE_NOT_MATCH",
                        "42846",
                        format!(
                            "Combining approx_top_k sketches of different types is not allowed. Found sketches of type \"{}\" and \"{}\".",
                            ddl_type(&first),
                            ddl_type(other)
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn combine_states(&mut self, state: &StructArray) -> Result<()> {
        let sketches = state.column(0).as_binary_opt::<i32>().ok_or_else(|| runtime("INTERNAL_ERROR", "XX000", "a sketch state without bytes".into()))?;
        let sizes = state.column(1).as_primitive_opt::<Int32Type>().ok_or_else(|| runtime("INTERNAL_ERROR", "XX000", "a sketch state without a size".into()))?;
        let ddls = datafusion::arrow::compute::cast(state.column(3), &DataType::Utf8)?;
        let ddls = ddls.as_string::<i32>();
        for i in 0..state.len() {
            if state.is_null(i) || sketches.is_null(i) {
                continue;
            }
            let size = (!sizes.is_null(i)).then(|| i64::from(sizes.value(i)));
            let ddl = (!ddls.is_null(i)).then(|| ddls.value(i));
            self.note_input(size, ddl)?;
            let input = TopKState::from_bytes(self.kind, sketches.value(i))?;
            self.state.merge(&input);
        }
        Ok(())
    }
}

impl Accumulator for TopKAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let a = &values[0];
        if matches!(self.agg, TopKAgg::Combine { .. }) {
            return match a.as_struct_opt() {
                Some(s) => self.combine_states(s),
                None => Ok(()),
            };
        }
        for i in 0..a.len() {
            match item_at(a.as_ref(), i, self.kind) {
                Some(item) => self.state.sketch.update(item, 1),
                None => self.state.nulls += 1,
            }
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let sketches = states[0].as_binary::<i32>();
        let sizes = states[1].as_primitive::<Int64Type>();
        let ddls = states[2].as_string::<i32>();
        for i in 0..sketches.len() {
            if sketches.is_null(i) {
                continue;
            }
            let size = (!sizes.is_null(i)).then(|| sizes.value(i));
            let ddl = (!ddls.is_null(i)).then(|| ddls.value(i));
            self.note_input(size, ddl)?;
            let input = TopKState::from_bytes(self.kind, sketches.value(i))?;
            self.state.merge(&input);
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(vec![ScalarValue::Binary(Some(self.state.to_bytes())), ScalarValue::Int64(self.max_items), ScalarValue::Utf8(self.seen_ddl.clone())])
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        match self.agg {
            TopKAgg::Top { .. } => {
                let top = self.state.top(usize::try_from(self.k).unwrap_or(usize::MAX));
                let list = results_array(&[Some(top)], &self.item)?;
                Ok(ScalarValue::List(Arc::new(list.as_list::<i32>().clone())))
            }
            _ => state_scalar(self.state.to_bytes(), self.max_items.unwrap_or(VOID_MAX_ITEMS_TRACKED), &self.item, &self.item_sql),
        }
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self) + self.state.sketch.memory_size()
    }
}

/// `approx_top_k_estimate(state, k)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkApproxTopKEstimate {
    signature: Signature,
    k: Option<i64>,
    item: DataType,
}

impl SparkApproxTopKEstimate {
    pub fn udf(k: Option<i64>, item: DataType) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), k, item }))
    }
}

impl ScalarUDFImpl for SparkApproxTopKEstimate {
    fn name(&self) -> &str {
        "approx_top_k_estimate"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(result_type(&self.item))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        check_args("approx_top_k", Some(self.k), None)?;
        let k = self.k.unwrap_or(DEFAULT_K);
        let kind = item_kind(&self.item).ok_or_else(|| runtime("INTERNAL_ERROR", "XX000", format!("approx_top_k cannot sketch {}", self.item)))?;
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let Some(state) = arrays[0].as_struct_opt() else {
            return crate::columnar(results_array(&vec![None; arrays[0].len()], &self.item)?, scalar);
        };
        let sketches = state.column(0).as_binary::<i32>();
        let sizes = state.column(1).as_primitive::<Int32Type>();
        let mut answers = Vec::with_capacity(state.len());
        for i in 0..state.len() {
            if state.is_null(i) || sketches.is_null(i) {
                answers.push(None);
                continue;
            }
            let size = i64::from(sizes.value(i));
            if size < k {
                return Err(less_than_k("approx_top_k", size, k));
            }
            let sketch = TopKState::from_bytes(kind, sketches.value(i))?;
            answers.push(Some(sketch.top(usize::try_from(k).unwrap_or(usize::MAX))));
        }
        crate::columnar(results_array(&answers, &self.item)?, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_take_their_place() {
        let mut sketch = FrequentItems::new(ItemKind::Int, max_map_size(10000));
        for v in [1, 1, 2] {
            sketch.update(Item::Int(v), 1);
        }
        let state = TopKState { sketch, nulls: 3 };
        assert_eq!(state.top(3), vec![(None, 3), (Some(Item::Int(1)), 2), (Some(Item::Int(2)), 1)]);
        let tie = TopKState { nulls: 1, ..state.clone() };
        assert_eq!(tie.top(5), vec![(Some(Item::Int(1)), 2), (Some(Item::Int(2)), 1), (None, 1)]);
        assert_eq!(tie.top(2).len(), 2);
        let bytes = state.to_bytes();
        assert_eq!(&bytes[bytes.len() - 8..], &3i64.to_be_bytes());
        let back = TopKState::from_bytes(ItemKind::Int, &bytes).map(|s| s.top(3));
        assert_eq!(back.ok(), Some(state.top(3)));
    }

    #[test]
    fn checks_arguments_as_spark() {
        assert!(check_args("approx_top_k", Some(Some(5)), Some(Some(10000))).is_ok());
        for (k, m) in [(Some(0), Some(10)), (None, Some(10)), (Some(5), Some(2)), (Some(5), Some(2_000_000)), (Some(5), Some(0))] {
            assert!(check_args("approx_top_k", Some(k), Some(m)).is_err());
        }
    }
}
