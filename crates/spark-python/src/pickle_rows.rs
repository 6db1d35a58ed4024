//! The input of a row-at-a-time `udf` as Spark's JVM pickles it: frames of
//! up to 100 rows, each row a call of `pyspark.sql.types.
//! _create_row_inbound_converter(schema)` on the row's internal values
//! (dates as days, timestamps as microseconds, decimals as
//! `decimal.Decimal`, binary as `bytearray`, structs as tuples), which
//! turns them into Python's values (`datetime.date`, `Row`, ...).

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{
    DataType as ArrowType, Date32Type, Decimal128Type, DurationMicrosecondType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type,
    Int64Type, TimestampMicrosecondType,
};

use crate::error::{PythonError, PythonResult};
use crate::pickle_opcodes::*;

/// Rows per pickled frame, as Spark's `BatchEvalPythonExec` groups them.
pub const ROWS_PER_FRAME: usize = 100;

/// The frames of one batch: `schema_json` is the Spark JSON of the
/// arguments' struct type, `batch` their columns.
pub fn pickle_rows(batch: &RecordBatch, schema_json: &str) -> PythonResult<Vec<Vec<u8>>> {
    let mut frames = vec![];
    let rows = batch.num_rows();
    let mut start = 0;
    while start < rows {
        let end = (start + ROWS_PER_FRAME).min(rows);
        let mut out = vec![PROTO, 2];
        // The converter, memoized once per frame.
        global(&mut out, "pyspark.sql.types", "_create_row_inbound_converter");
        global(&mut out, "pyspark.sql.types", "_parse_datatype_json_string");
        string(&mut out, schema_json);
        out.extend([TUPLE1, REDUCE, TUPLE1, REDUCE, BINPUT, 0]);
        out.push(POP); // the converter stays in the memo
        out.extend([EMPTY_LIST, MARK]);
        for row in start..end {
            out.extend([BINGET, 0, MARK]);
            for column in batch.columns() {
                value(&mut out, column.as_ref(), row)?;
            }
            out.extend([TUPLE, REDUCE]);
        }
        out.extend([APPENDS, STOP]);
        frames.push(out);
        start = end;
    }
    Ok(frames)
}

/// One value (row `i` of `array`) pickled on its own, in Spark's internal
/// form, as the JVM pickles a constant argument for a UDTF's `analyze`.
pub fn pickle_value(array: &dyn Array, i: usize) -> PythonResult<Vec<u8>> {
    let mut out = vec![PROTO, 2];
    value(&mut out, array, i)?;
    out.push(STOP);
    Ok(out)
}

fn global(out: &mut Vec<u8>, module: &str, name: &str) {
    out.push(GLOBAL);
    out.extend_from_slice(module.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(name.as_bytes());
    out.push(b'\n');
}

fn string(out: &mut Vec<u8>, s: &str) {
    out.push(BINUNICODE);
    out.extend_from_slice(&(s.len() as u32).to_le_bytes());
    out.extend_from_slice(s.as_bytes());
}

fn int(out: &mut Vec<u8>, v: i64) {
    match i32::try_from(v) {
        Ok(small) => {
            out.push(BININT);
            out.extend_from_slice(&small.to_le_bytes());
        }
        Err(_) => {
            out.extend([LONG1, 8]);
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
}

/// One value in Spark's internal form.
fn value(out: &mut Vec<u8>, array: &dyn Array, i: usize) -> PythonResult<()> {
    if array.is_null(i) {
        out.push(NONE);
        return Ok(());
    }
    match array.data_type() {
        ArrowType::Null => out.push(NONE),
        ArrowType::Boolean => out.push(if array.as_boolean().value(i) { NEWTRUE } else { NEWFALSE }),
        ArrowType::Int8 => int(out, i64::from(array.as_primitive::<Int8Type>().value(i))),
        ArrowType::Int16 => int(out, i64::from(array.as_primitive::<Int16Type>().value(i))),
        ArrowType::Int32 => int(out, i64::from(array.as_primitive::<Int32Type>().value(i))),
        ArrowType::Int64 => int(out, array.as_primitive::<Int64Type>().value(i)),
        ArrowType::Float32 => {
            out.push(BINFLOAT);
            out.extend_from_slice(&f64::from(array.as_primitive::<Float32Type>().value(i)).to_be_bytes());
        }
        ArrowType::Float64 => {
            out.push(BINFLOAT);
            out.extend_from_slice(&array.as_primitive::<Float64Type>().value(i).to_be_bytes());
        }
        ArrowType::Utf8 => string(out, array.as_string::<i32>().value(i)),
        ArrowType::LargeUtf8 => string(out, array.as_string::<i64>().value(i)),
        ArrowType::Utf8View => string(out, array.as_string_view().value(i)),
        ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView => {
            let bytes: &[u8] = match array.data_type() {
                ArrowType::Binary => array.as_binary::<i32>().value(i),
                ArrowType::LargeBinary => array.as_binary::<i64>().value(i),
                _ => array.as_binary_view().value(i),
            };
            global(out, "builtins", "bytearray");
            out.push(BINBYTES);
            out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            out.extend_from_slice(bytes);
            out.extend([TUPLE1, REDUCE]);
        }
        ArrowType::Date32 => int(out, i64::from(array.as_primitive::<Date32Type>().value(i))),
        ArrowType::Timestamp(datafusion::arrow::datatypes::TimeUnit::Microsecond, _) => int(out, array.as_primitive::<TimestampMicrosecondType>().value(i)),
        ArrowType::Duration(datafusion::arrow::datatypes::TimeUnit::Microsecond) => int(out, array.as_primitive::<DurationMicrosecondType>().value(i)),
        ArrowType::Decimal128(_, scale) => {
            let v = array.as_primitive::<Decimal128Type>().value(i);
            global(out, "decimal", "Decimal");
            string(out, &decimal_text(v, *scale));
            out.extend([TUPLE1, REDUCE]);
        }
        ArrowType::List(_) | ArrowType::LargeList(_) => {
            let items = match array.data_type() {
                ArrowType::List(_) => array.as_list::<i32>().value(i),
                _ => array.as_list::<i64>().value(i),
            };
            out.extend([EMPTY_LIST, MARK]);
            for j in 0..items.len() {
                value(out, items.as_ref(), j)?;
            }
            out.push(APPENDS);
        }
        ArrowType::Map(_, _) => {
            let entries = array.as_map().value(i);
            out.extend([EMPTY_DICT, MARK]);
            for j in 0..entries.len() {
                value(out, entries.column(0).as_ref(), j)?;
                value(out, entries.column(1).as_ref(), j)?;
            }
            out.push(SETITEMS);
        }
        ArrowType::Struct(_) => {
            let s = array.as_struct();
            out.push(MARK);
            for c in s.columns() {
                value(out, c.as_ref(), i)?;
            }
            out.push(TUPLE);
        }
        other => return Err(PythonError::Unavailable(format!("a Python udf argument of type {other} (use useArrow=True)"))),
    }
    Ok(())
}

/// A decimal's text (`Decimal('-1.05')`).
fn decimal_text(v: i128, scale: i8) -> String {
    if scale <= 0 {
        return format!("{v}{}", "0".repeat(usize::from(scale.unsigned_abs())));
    }
    let digits = v.unsigned_abs().to_string();
    let scale = usize::from(scale.unsigned_abs());
    let padded = if digits.len() <= scale { format!("{}{digits}", "0".repeat(scale - digits.len() + 1)) } else { digits };
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{}{int}.{frac}", if v < 0 { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_texts() {
        assert_eq!(decimal_text(-105, 2), "-1.05");
        assert_eq!(decimal_text(5, 3), "0.005");
        assert_eq!(decimal_text(12, 0), "12");
    }

    #[test]
    fn frames_hold_at_most_a_hundred_rows() -> PythonResult<()> {
        use datafusion::arrow::array::Int64Array;
        use datafusion::arrow::datatypes::{Field, Schema};
        use std::sync::Arc;
        let schema = Arc::new(Schema::new(vec![Field::new("_0", ArrowType::Int64, true)]));
        let batch = RecordBatch::try_new(schema, vec![Arc::new(Int64Array::from_iter_values(0..250))]).map_err(PythonError::Arrow)?;
        let frames = pickle_rows(&batch, "{}")?;
        assert_eq!(frames.len(), 3);
        assert!(frames.iter().all(|f| f.ends_with(&[APPENDS, STOP])));
        Ok(())
    }
}
