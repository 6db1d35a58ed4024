//! `map_concat(m1, m2, ...)`: the entries of every map in order; NULL if
//! any map is NULL; a key met twice fails with Spark's `DUPLICATED_MAP_KEY`
//! (the default `spark.sql.mapKeyDedupPolicy`, EXCEPTION).

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, MapArray, MutableArrayData, StructArray, make_array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, Fields};
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMapConcat {
    signature: Signature,
}

impl SparkMapConcat {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable) }))
    }
}

fn duplicated_key(key: &ScalarValue) -> datafusion::common::DataFusionError {
    let shown = key.to_string();
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "DUPLICATED_MAP_KEY",
        "23505",
        format!("Duplicate map key {shown} was found, please check the input data. If you want to remove the duplicated keys, you can set \"spark.sql.mapKeyDedupPolicy\" to \"LAST_WIN\" so that the key inserted at last takes precedence."),
    )
    .param("key", shown)
    .param("mapKeyDedupPolicy", "\"spark.sql.mapKeyDedupPolicy\"")
    .into_df()
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
        let DataType::Map(entries_field, ordered) = arrays[0].data_type().clone() else {
            return exec_err!("map_concat takes maps");
        };
        let DataType::Struct(entry_fields) = entries_field.data_type().clone() else {
            return exec_err!("a map's entries are a struct");
        };
        let maps: Vec<&MapArray> = arrays.iter().map(|a| a.as_map()).collect();
        let keys: Vec<_> = maps.iter().map(|m| m.keys().to_data()).collect();
        let values: Vec<_> = maps.iter().map(|m| m.values().to_data()).collect();
        let mut out_keys = MutableArrayData::new(keys.iter().collect(), false, 0);
        let mut out_values = MutableArrayData::new(values.iter().collect(), true, 0);
        let rows = maps.first().map_or(0, |m| m.len());
        let mut offsets = vec![0i32];
        let mut valid = Vec::with_capacity(rows);
        for row in 0..rows {
            let mut end = *offsets.last().unwrap_or(&0);
            if maps.iter().any(|m| m.is_null(row)) {
                valid.push(false);
                offsets.push(end);
                continue;
            }
            let mut seen = HashSet::new();
            for (i, m) in maps.iter().enumerate() {
                let (start, stop) = (m.value_offsets()[row] as usize, m.value_offsets()[row + 1] as usize);
                for e in start..stop {
                    let key = ScalarValue::try_from_array(m.keys(), e)?;
                    if !seen.insert(key.clone()) {
                        return Err(duplicated_key(&key));
                    }
                }
                out_keys.try_extend(i, start, stop)?;
                out_values.try_extend(i, start, stop)?;
                let Ok(next) = i32::try_from(i64::from(end) + (stop - start) as i64) else {
                    return exec_err!("map_concat: the result is too large for one batch");
                };
                end = next;
            }
            valid.push(true);
            offsets.push(end);
        }
        let entries = StructArray::try_new(
            Fields::from(entry_fields.iter().cloned().collect::<Vec<_>>()),
            vec![make_array(out_keys.freeze()), make_array(out_values.freeze())],
            None,
        )?;
        let map = MapArray::try_new(entries_field, OffsetBuffer::new(offsets.into()), entries, Some(NullBuffer::from(valid)), ordered)?;
        crate::columnar(Arc::new(map) as ArrayRef, scalar)
    }
}
