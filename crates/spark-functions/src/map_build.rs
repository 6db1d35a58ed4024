//! Maps built with Spark's key rules: a NULL key fails with
//! `NULL_MAP_KEY`, and a key met twice with `DUPLICATED_MAP_KEY` (the
//! default `spark.sql.mapKeyDedupPolicy`, EXCEPTION), -0.0 and 0.0 and all
//! NaNs counting as one key. `map_concat(m1, m2, ...)` joins maps (NULL if
//! any is NULL); `map_from_arrays(keys, values)` pairs two arrays of the
//! same length (NULL if either is NULL), and builds `map(k1, v1, ...)` too.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayData, ArrayRef, AsArray, MapArray, MutableArrayData, StructArray, make_array};
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

/// Builds a map column row by row from ranges of key and value arrays.
struct MapAssembler<'a> {
    keys: MutableArrayData<'a>,
    values: MutableArrayData<'a>,
    offsets: Vec<i32>,
    valid: Vec<bool>,
    seen: HashSet<ScalarValue>,
    len: i64,
}

impl<'a> MapAssembler<'a> {
    fn new(keys: Vec<&'a ArrayData>, values: Vec<&'a ArrayData>) -> Self {
        Self {
            keys: MutableArrayData::new(keys, false, 0),
            values: MutableArrayData::new(values, true, 0),
            offsets: vec![0],
            valid: vec![],
            seen: HashSet::new(),
            len: 0,
        }
    }

    /// Adds the entries `start..end` of source `i` (its keys in `keys`).
    fn push(&mut self, i: usize, keys: &ArrayRef, values_start: usize, start: usize, end: usize) -> Result<()> {
        for e in start..end {
            if keys.is_null(e) {
                return Err(null_key());
            }
            let key = ScalarValue::try_from_array(keys, e)?;
            if !self.seen.insert(comparable(key.clone())) {
                return Err(duplicated_key(&key));
            }
        }
        self.keys.try_extend(i, start, end)?;
        self.values.try_extend(i, values_start, values_start + (end - start))?;
        self.len += (end - start) as i64;
        Ok(())
    }

    fn end_row(&mut self, valid: bool) -> Result<()> {
        self.seen.clear();
        let Ok(end) = i32::try_from(self.len) else { return exec_err!("a map column too large for one batch") };
        self.offsets.push(end);
        self.valid.push(valid);
        Ok(())
    }

    fn finish(self, entries: FieldRef, ordered: bool) -> Result<MapArray> {
        let DataType::Struct(kv) = entries.data_type() else { return exec_err!("a map's entries are a struct") };
        let fields = Fields::from(kv.iter().cloned().collect::<Vec<_>>());
        let columns = StructArray::try_new(fields, vec![make_array(self.keys.freeze()), make_array(self.values.freeze())], None)?;
        Ok(MapArray::try_new(entries, OffsetBuffer::new(self.offsets.into()), columns, Some(NullBuffer::from(self.valid)), ordered)?)
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMapConcat {
    signature: Signature,
}

impl SparkMapConcat {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable) }))
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
        let keys: Vec<ArrayData> = maps.iter().map(|m| m.keys().to_data()).collect();
        let values: Vec<ArrayData> = maps.iter().map(|m| m.values().to_data()).collect();
        let mut out = MapAssembler::new(keys.iter().collect(), values.iter().collect());
        for row in 0..maps.first().map_or(0, |m| m.len()) {
            if maps.iter().any(|m| m.is_null(row)) {
                out.end_row(false)?;
                continue;
            }
            for (i, m) in maps.iter().enumerate() {
                let (start, end) = (m.value_offsets()[row] as usize, m.value_offsets()[row + 1] as usize);
                out.push(i, m.keys(), start, start, end)?;
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
}

impl SparkMapFromArrays {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(2, Volatility::Immutable) }))
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
        let (key_data, value_data) = (keys.values().to_data(), values.values().to_data());
        let mut out = MapAssembler::new(vec![&key_data], vec![&value_data]);
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
            out.push(0, keys.values(), value_start, start, end)?;
            out.end_row(true)?;
        }
        crate::columnar(Arc::new(out.finish(entries, ordered)?) as ArrayRef, scalar)
    }
}
