//! Maps built with Spark's key rules: a NULL key fails with
//! `NULL_MAP_KEY`, and a key met twice with `DUPLICATED_MAP_KEY` (the
//! default `spark.sql.mapKeyDedupPolicy`, EXCEPTION), -0.0 and 0.0 and all
//! NaNs counting as one key. `map_concat(m1, m2, ...)` joins maps (NULL if
//! any is NULL); `map_from_arrays(keys, values)` pairs two arrays of the
//! same length (NULL if either is NULL), and builds `map(k1, v1, ...)` too.

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, MapArray, StringBuilder, StructArray};
use datafusion::arrow::compute::interleave;
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Fields};
use datafusion::common::{DataFusionError, Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

fn duplicated_key(key: &ScalarValue) -> DataFusionError {
    let shown = key.to_string();
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "DUPLICATED_MAP_KEY",
        "23505",
        format!("Duplicate map key {shown} was found, please check the input data.\nIf you want to remove the duplicated keys, you can set \"spark.sql.mapKeyDedupPolicy\" to \"LAST_WIN\" so that the key inserted at last takes precedence."),
    )
    .param("key", shown)
    .param("mapKeyDedupPolicy", "\"spark.sql.mapKeyDedupPolicy\"")
    .into_df()
}

fn null_key() -> DataFusionError {
    SparkRuntimeError::new(RuntimeKind::Runtime, "NULL_MAP_KEY", "2200E", "Cannot use null as map key.").into_df()
}

/// A key as map keys compare: -0.0 is 0.0 and every NaN the same NaN.
fn comparable(key: ScalarValue) -> ScalarValue {
    match key {
        ScalarValue::Float64(Some(v)) if v == 0.0 => ScalarValue::Float64(Some(0.0)),
        ScalarValue::Float64(Some(v)) if v.is_nan() => ScalarValue::Float64(Some(f64::NAN.copysign(1.0))),
        ScalarValue::Float32(Some(v)) if v == 0.0 => ScalarValue::Float32(Some(0.0)),
        ScalarValue::Float32(Some(v)) if v.is_nan() => ScalarValue::Float32(Some(f32::NAN.copysign(1.0))),
        other => other,
    }
}

/// Builds a map column row by row from entries of source key and value
/// arrays, by index, so that under `LAST_WIN` a repeated key keeps its first
/// place and takes the last value, as Spark's `ArrayBasedMapBuilder` does.
struct MapAssembler {
    keys: Vec<ArrayRef>,
    values: Vec<ArrayRef>,
    key_picks: Vec<(usize, usize)>,
    value_picks: Vec<(usize, usize)>,
    offsets: Vec<i32>,
    valid: Vec<bool>,
    /// The keys of the current row, with their place in the picks.
    seen: HashMap<ScalarValue, usize>,
    last_wins: bool,
}

impl MapAssembler {
    fn new(keys: Vec<ArrayRef>, values: Vec<ArrayRef>, last_wins: bool) -> Self {
        Self { keys, values, key_picks: vec![], value_picks: vec![], offsets: vec![0], valid: vec![], seen: HashMap::new(), last_wins }
    }

    /// Adds the entries `start..end` of source `i`, whose values start at
    /// `values_start`.
    fn push(&mut self, i: usize, values_start: usize, start: usize, end: usize) -> Result<()> {
        for e in start..end {
            let value = (i, values_start + (e - start));
            let keys = &self.keys[i];
            if keys.is_null(e) || keys.data_type().is_null() {
                return Err(null_key());
            }
            let key = ScalarValue::try_from_array(keys, e)?;
            match self.seen.get(&comparable(key.clone())) {
                Some(&place) if self.last_wins => self.value_picks[place] = value,
                Some(_) => return Err(duplicated_key(&key)),
                None => {
                    self.seen.insert(comparable(key), self.key_picks.len());
                    self.key_picks.push((i, e));
                    self.value_picks.push(value);
                }
            }
        }
        Ok(())
    }

    fn end_row(&mut self, valid: bool) -> Result<()> {
        self.seen.clear();
        let Ok(end) = i32::try_from(self.key_picks.len()) else { return exec_err!("a map column too large for one batch") };
        self.offsets.push(end);
        self.valid.push(valid);
        Ok(())
    }

    fn finish(self, entries: FieldRef, ordered: bool) -> Result<MapArray> {
        let DataType::Struct(kv) = entries.data_type() else { return exec_err!("a map's entries are a struct") };
        let fields = Fields::from(kv.iter().cloned().collect::<Vec<_>>());
        let keys: Vec<&dyn Array> = self.keys.iter().map(|a| a.as_ref()).collect();
        let values: Vec<&dyn Array> = self.values.iter().map(|a| a.as_ref()).collect();
        let columns = StructArray::try_new(fields, vec![interleave(&keys, &self.key_picks)?, interleave(&values, &self.value_picks)?], None)?;
        Ok(MapArray::try_new(entries, OffsetBuffer::new(self.offsets.into()), columns, Some(NullBuffer::from(self.valid)), ordered)?)
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMapConcat {
    signature: Signature,
    last_wins: bool,
}

impl SparkMapConcat {
    /// `last_wins`: `spark.sql.mapKeyDedupPolicy` is `LAST_WIN`.
    pub fn udf(last_wins: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable), last_wins }))
    }
}

impl ScalarUDFImpl for SparkMapConcat {
    fn name(&self) -> &str {
        "map_concat"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        match args.first() {
            Some(t @ DataType::Map(..)) => Ok(t.clone()),
            other => exec_err!("map_concat takes maps, not {other:?}"),
        }
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let DataType::Map(entries, ordered) = arrays[0].data_type().clone() else {
            return exec_err!("map_concat takes maps");
        };
        let maps: Vec<&MapArray> = arrays.iter().map(|a| a.as_map()).collect();
        let keys = maps.iter().map(|m| m.keys().clone()).collect();
        let values = maps.iter().map(|m| m.values().clone()).collect();
        let mut out = MapAssembler::new(keys, values, self.last_wins);
        for row in 0..maps.first().map_or(0, |m| m.len()) {
            if maps.iter().any(|m| m.is_null(row)) {
                out.end_row(false)?;
                continue;
            }
            for (i, m) in maps.iter().enumerate() {
                let (start, end) = (m.value_offsets()[row] as usize, m.value_offsets()[row + 1] as usize);
                out.push(i, start, start, end)?;
            }
            out.end_row(true)?;
        }
        crate::columnar(Arc::new(out.finish(entries, ordered)?) as ArrayRef, scalar)
    }
}

/// `map_from_arrays(keys, values)` (and `map(k1, v1, ...)` over two arrays).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMapFromArrays {
    signature: Signature,
    last_wins: bool,
}

impl SparkMapFromArrays {
    /// `last_wins`: `spark.sql.mapKeyDedupPolicy` is `LAST_WIN`.
    pub fn udf(last_wins: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable), last_wins }))
    }
}

fn element_type(t: &DataType) -> Result<DataType> {
    match t {
        DataType::List(f) => Ok(f.data_type().clone()),
        DataType::Null => Ok(DataType::Null),
        other => exec_err!("map_from_arrays takes arrays, not {other}"),
    }
}

impl ScalarUDFImpl for SparkMapFromArrays {
    fn name(&self) -> &str {
        "map_from_arrays"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        let kv = Fields::from(vec![Field::new("key", element_type(&args[0])?, false), Field::new("value", element_type(&args[1])?, true)]);
        Ok(DataType::Map(Arc::new(Field::new("entries", DataType::Struct(kv), false)), false))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let DataType::Map(entries, ordered) = self.return_type(&[arrays[0].data_type().clone(), arrays[1].data_type().clone()])? else {
            return exec_err!("map_from_arrays makes a map");
        };
        let rows = arrays[0].len();
        let (Some(keys), Some(values)) = (arrays[0].as_list_opt::<i32>(), arrays[1].as_list_opt::<i32>()) else {
            // An untyped NULL argument: every row is NULL.
            let nulls = datafusion::arrow::array::new_null_array(&DataType::Map(entries, ordered), rows);
            return crate::columnar(nulls, scalar);
        };
        let mut out = MapAssembler::new(vec![keys.values().clone()], vec![values.values().clone()], self.last_wins);
        for row in 0..rows {
            if keys.is_null(row) || values.is_null(row) {
                out.end_row(false)?;
                continue;
            }
            let (start, end) = (keys.value_offsets()[row] as usize, keys.value_offsets()[row + 1] as usize);
            let (value_start, value_end) = (values.value_offsets()[row] as usize, values.value_offsets()[row + 1] as usize);
            if end - start != value_end - value_start {
                return Err(SparkRuntimeError::new(
                    RuntimeKind::Runtime,
                    "_LEGACY_ERROR_TEMP_2128",
                    "",
                    "The key array and value array of MapData must have the same length.",
                )
                .into_df());
            }
            out.push(0, value_start, start, end)?;
            out.end_row(true)?;
        }
        crate::columnar(Arc::new(out.finish(entries, ordered)?) as ArrayRef, scalar)
    }
}

/// `map_from_entries(array of struct<key, value>)`: NULL when the array or
/// any of its entries is NULL.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMapFromEntries {
    signature: Signature,
    last_wins: bool,
}

impl SparkMapFromEntries {
    /// `last_wins`: `spark.sql.mapKeyDedupPolicy` is `LAST_WIN`.
    pub fn udf(last_wins: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), last_wins }))
    }
}

/// The key and value fields of `array<struct<key, value>>`.
fn entry_fields(t: &DataType) -> Result<(FieldRef, FieldRef)> {
    if let DataType::List(f) = t
        && let DataType::Struct(kv) = f.data_type()
        && let [k, v] = kv.iter().collect::<Vec<_>>()[..]
    {
        return Ok((k.clone(), v.clone()));
    }
    exec_err!("map_from_entries takes an array of two-field structs, not {t}")
}

impl ScalarUDFImpl for SparkMapFromEntries {
    fn name(&self) -> &str {
        "map_from_entries"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, args: &[DataType]) -> Result<DataType> {
        let (k, v) = entry_fields(&args[0])?;
        let kv = Fields::from(vec![Field::new("key", k.data_type().clone(), false), Field::new("value", v.data_type().clone(), true)]);
        Ok(DataType::Map(Arc::new(Field::new("entries", DataType::Struct(kv), false)), false))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let DataType::Map(entries, ordered) = self.return_type(&[arrays[0].data_type().clone()])? else {
            return exec_err!("map_from_entries makes a map");
        };
        let lists = arrays[0].as_list::<i32>();
        let structs = lists.values().as_struct();
        let mut out = MapAssembler::new(vec![structs.column(0).clone()], vec![structs.column(1).clone()], self.last_wins);
        for row in 0..lists.len() {
            let (start, end) = (lists.value_offsets()[row] as usize, lists.value_offsets()[row + 1] as usize);
            if lists.is_null(row) || (start..end).any(|e| structs.is_null(e)) {
                out.end_row(false)?;
                continue;
            }
            out.push(0, start, start, end)?;
            out.end_row(true)?;
        }
        crate::columnar(Arc::new(out.finish(entries, ordered)?) as ArrayRef, scalar)
    }
}

/// `str_to_map(text, pairDelim, keyValueDelim)`: `text` split at the
/// `pairDelim` pattern, each piece at the first `keyValueDelim` match into a
/// key and a value (NULL without one), both patterns as Spark's `split`
/// reads them.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkStrToMap {
    signature: Signature,
    last_wins: bool,
}

impl SparkStrToMap {
    /// `last_wins`: `spark.sql.mapKeyDedupPolicy` is `LAST_WIN`.
    pub fn udf(last_wins: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(3, Volatility::Immutable), last_wins }))
    }
}

impl ScalarUDFImpl for SparkStrToMap {
    fn name(&self) -> &str {
        "str_to_map"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        let kv = Fields::from(vec![Field::new("key", DataType::Utf8, false), Field::new("value", DataType::Utf8, true)]);
        Ok(DataType::Map(Arc::new(Field::new("entries", DataType::Struct(kv), false)), false))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let DataType::Map(entries, ordered) = self.return_type(&[])? else { return exec_err!("str_to_map makes a map") };
        let strings: Vec<ArrayRef> = arrays.iter().map(|a| datafusion::arrow::compute::cast(a, &DataType::Utf8)).collect::<std::result::Result<_, _>>()?;
        let [text, pair, key_value] = &strings[..] else { return exec_err!("str_to_map takes three arguments") };
        let (text, pair, key_value) = (text.as_string::<i32>(), pair.as_string::<i32>(), key_value.as_string::<i32>());
        let (mut keys, mut values) = (StringBuilder::new(), StringBuilder::new());
        let mut rows: Vec<Option<(usize, usize)>> = Vec::with_capacity(text.len());
        let mut patterns: Option<(String, regex::Regex, String, regex::Regex)> = None;
        for row in 0..text.len() {
            if text.is_null(row) || pair.is_null(row) || key_value.is_null(row) {
                rows.push(None);
                continue;
            }
            let (p, kv) = (pair.value(row), key_value.value(row));
            if patterns.as_ref().is_none_or(|(cp, _, ckv, _)| cp != p || ckv != kv) {
                patterns = Some((p.into(), crate::regex_fns::compile_for(p, "str_to_map")?, kv.into(), crate::regex_fns::compile_for(kv, "str_to_map")?));
            }
            let Some((_, pair_re, _, kv_re)) = patterns.as_ref() else { continue };
            let start = datafusion::arrow::array::ArrayBuilder::len(&keys);
            for piece in crate::regex_fns::java_split(pair_re, text.value(row), -1) {
                let mut parts = crate::regex_fns::java_split(kv_re, piece, 2).into_iter();
                keys.append_value(parts.next().unwrap_or(""));
                values.append_option(parts.next());
            }
            rows.push(Some((start, datafusion::arrow::array::ArrayBuilder::len(&keys))));
        }
        let mut out = MapAssembler::new(vec![Arc::new(keys.finish())], vec![Arc::new(values.finish())], self.last_wins);
        for r in rows {
            match r {
                Some((start, end)) => {
                    out.push(0, start, start, end)?;
                    out.end_row(true)?;
                }
                None => out.end_row(false)?,
            }
        }
        crate::columnar(Arc::new(out.finish(entries, ordered)?) as ArrayRef, scalar)
    }
}
