//! A row-at-a-time `udf`'s results as a column of its declared type, by
//! the rules of Spark's `EvaluatePython.makeFromJava`: a value of an
//! unexpected Python type becomes NULL (a `str` for an `int` column, an
//! `int` for a `double` one), ints wrap into narrower integer types, and
//! anything becomes a string column's text.

use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, BinaryBuilder, BooleanBuilder, Date32Builder, Decimal128Builder, DurationMicrosecondBuilder, Float32Builder, Float64Builder,
    Int8Builder, Int16Builder, Int32Builder, Int64Builder, ListArray, MapArray, NullArray, StringBuilder, StructArray,
    TimestampMicrosecondBuilder,
};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType as ArrowType, TimeUnit};
use spark_functions::error::{RuntimeKind, SparkRuntimeError};

use crate::error::{PythonError, PythonResult};
use crate::unpickle::PyValue;

/// The column of `values` (one per row) as `ty`.
pub fn to_array(values: &[PyValue], ty: &ArrowType) -> PythonResult<ArrayRef> {
    let refs: Vec<Option<&PyValue>> = values.iter().map(|v| if matches!(v, PyValue::None) { None } else { Some(v) }).collect();
    build(&refs, ty)
}

fn integer(v: &PyValue) -> Option<i64> {
    match v {
        PyValue::Int(i) => Some(i64::from(*i)),
        PyValue::Long(l) => Some(*l),
        _ => None,
    }
}

fn build(values: &[Option<&PyValue>], ty: &ArrowType) -> PythonResult<ArrayRef> {
    macro_rules! primitive {
        ($builder:ty, $convert:expr) => {{
            let mut b = <$builder>::with_capacity(values.len());
            for v in values {
                b.append_option(v.and_then($convert));
            }
            Arc::new(b.finish()) as ArrayRef
        }};
    }
    Ok(match ty {
        ArrowType::Null => Arc::new(NullArray::new(values.len())),
        ArrowType::Boolean => primitive!(BooleanBuilder, |v: &PyValue| if let PyValue::Bool(b) = v { Some(*b) } else { None }),
        ArrowType::Int8 => primitive!(Int8Builder, |v: &PyValue| integer(v).map(|i| i as i8)),
        ArrowType::Int16 => primitive!(Int16Builder, |v: &PyValue| integer(v).map(|i| i as i16)),
        ArrowType::Int32 => primitive!(Int32Builder, |v: &PyValue| integer(v).map(|i| i as i32)),
        ArrowType::Int64 => primitive!(Int64Builder, integer),
        ArrowType::Float32 => primitive!(Float32Builder, |v: &PyValue| if let PyValue::Float(f) = v { Some(*f as f32) } else { None }),
        ArrowType::Float64 => primitive!(Float64Builder, |v: &PyValue| if let PyValue::Float(f) = v { Some(*f) } else { None }),
        ArrowType::Date32 => primitive!(Date32Builder, |v: &PyValue| if let PyValue::Int(i) = v { Some(*i) } else { None }),
        ArrowType::Timestamp(TimeUnit::Microsecond, tz) => {
            let mut b = TimestampMicrosecondBuilder::with_capacity(values.len());
            for v in values {
                b.append_option(v.and_then(integer));
            }
            Arc::new(b.finish().with_timezone_opt(tz.clone()))
        }
        ArrowType::Duration(TimeUnit::Microsecond) => primitive!(DurationMicrosecondBuilder, integer),
        ArrowType::Utf8 => {
            let mut b = StringBuilder::with_capacity(values.len(), values.len() * 8);
            for v in values {
                b.append_option(v.and_then(java_text));
            }
            Arc::new(b.finish())
        }
        ArrowType::Binary => {
            let mut b = BinaryBuilder::with_capacity(values.len(), values.len() * 8);
            for v in values {
                match v {
                    Some(PyValue::Bytes(bytes)) => b.append_value(bytes),
                    Some(PyValue::Str(s)) => b.append_value(s.as_bytes()),
                    _ => b.append_null(),
                }
            }
            Arc::new(b.finish())
        }
        ArrowType::Decimal128(precision, scale) => {
            let mut b = Decimal128Builder::with_capacity(values.len());
            for v in values {
                b.append_option(v.and_then(|v| if let PyValue::Decimal(text) = v { decimal(text, *precision, *scale) } else { None }));
            }
            Arc::new(b.finish().with_precision_and_scale(*precision, *scale)?)
        }
        ArrowType::List(field) => {
            let mut offsets = Vec::with_capacity(values.len() + 1);
            offsets.push(0i32);
            let mut items: Vec<Option<&PyValue>> = vec![];
            let mut valid = Vec::with_capacity(values.len());
            for v in values {
                match v {
                    Some(PyValue::List(l) | PyValue::Tuple(l)) => {
                        items.extend(l.iter().map(|x| if matches!(x, PyValue::None) { None } else { Some(x) }));
                        valid.push(true);
                    }
                    _ => valid.push(false),
                }
                offsets.push(items.len() as i32);
            }
            let child = build(&items, field.data_type())?;
            Arc::new(ListArray::try_new(field.clone(), OffsetBuffer::new(offsets.into()), child, Some(NullBuffer::from(valid)))?)
        }
        ArrowType::Map(field, ordered) => {
            let ArrowType::Struct(kv) = field.data_type() else { return Err(PythonError::Protocol("a map without entries".into())) };
            let mut offsets = vec![0i32];
            let (mut keys, mut vals): (Vec<Option<&PyValue>>, Vec<Option<&PyValue>>) = (vec![], vec![]);
            let mut valid = Vec::with_capacity(values.len());
            for v in values {
                match v {
                    Some(PyValue::Dict(d)) => {
                        for (k, x) in d {
                            keys.push(Some(k));
                            vals.push(if matches!(x, PyValue::None) { None } else { Some(x) });
                        }
                        valid.push(true);
                    }
                    _ => valid.push(false),
                }
                offsets.push(keys.len() as i32);
            }
            let (Some(kf), Some(vf)) = (kv.first(), kv.get(1)) else { return Err(PythonError::Protocol("a map without key and value".into())) };
            let entries = StructArray::try_new(kv.clone(), vec![build(&keys, kf.data_type())?, build(&vals, vf.data_type())?], None)?;
            Arc::new(MapArray::try_new(field.clone(), OffsetBuffer::new(offsets.into()), entries, Some(NullBuffer::from(valid)), *ordered)?)
        }
        ArrowType::Struct(fields) => {
            let mut columns: Vec<Vec<Option<&PyValue>>> = vec![Vec::with_capacity(values.len()); fields.len()];
            let mut valid = Vec::with_capacity(values.len());
            for v in values {
                match v {
                    Some(PyValue::Tuple(items)) => {
                        if items.len() != fields.len() {
                            return Err(struct_length_mismatch(fields.len(), items.len()));
                        }
                        for (c, x) in columns.iter_mut().zip(items) {
                            c.push(if matches!(x, PyValue::None) { None } else { Some(x) });
                        }
                        valid.push(true);
                    }
                    _ => {
                        columns.iter_mut().for_each(|c| c.push(None));
                        valid.push(false);
                    }
                }
            }
            let children = columns.iter().zip(fields.iter()).map(|(c, f)| build(c, f.data_type())).collect::<PythonResult<Vec<_>>>()?;
            Arc::new(StructArray::try_new(fields.clone(), children, Some(NullBuffer::from(valid)))?)
        }
        other => return Err(PythonError::Unavailable(format!("a Python udf returning {other} without Arrow (use useArrow=True)"))),
    })
}

/// Spark's STRUCT_ARRAY_LENGTH_MISMATCH.
fn struct_length_mismatch(expected: usize, actual: usize) -> PythonError {
    PythonError::Spark(
        SparkRuntimeError::new(
            RuntimeKind::IllegalArgument,
            "STRUCT_ARRAY_LENGTH_MISMATCH",
            "2201E",
            format!("Input row doesn't have expected number of values required by the schema. {expected} fields are required while {actual} values are provided."),
        )
        .param("expected", expected.to_string())
        .param("actual", actual.to_string()),
    )
}

/// What the JVM's `toString` of the unpickled object prints.
fn java_text(v: &PyValue) -> Option<String> {
    Some(match v {
        PyValue::None => return None,
        PyValue::Bool(b) => b.to_string(),
        PyValue::Int(i) => i.to_string(),
        PyValue::Long(l) => l.to_string(),
        PyValue::Float(f) => spark_plan::format::java_double(*f),
        PyValue::Str(s) => s.clone(),
        PyValue::Decimal(d) => d.clone(),
        PyValue::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        PyValue::List(items) | PyValue::Tuple(items) => {
            format!("[{}]", items.iter().map(|x| java_text(x).unwrap_or_else(|| "null".into())).collect::<Vec<_>>().join(", "))
        }
        PyValue::Dict(pairs) => format!(
            "{{{}}}",
            pairs
                .iter()
                .map(|(k, x)| format!("{}={}", java_text(k).unwrap_or_else(|| "null".into()), java_text(x).unwrap_or_else(|| "null".into())))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        PyValue::BigInt | PyValue::Global(_) | PyValue::Object(_) => return None,
    })
}

/// A `decimal.Decimal`'s text at `scale` (half-up), if it fits `precision`.
fn decimal(text: &str, precision: u8, scale: i8) -> Option<i128> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let negative = mantissa.starts_with('-');
    let unsigned = mantissa.trim_start_matches(['-', '+']);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int}{frac}");
    // value = digits * 10^(exponent - frac.len()); wanted: value * 10^scale.
    let shift = exponent - frac.len() as i32 + i32::from(scale);
    let mut v: i128 = digits.parse().ok()?;
    if shift >= 0 {
        v = v.checked_mul(10i128.checked_pow(shift as u32)?)?;
    } else {
        let div = 10i128.checked_pow(shift.unsigned_abs()).unwrap_or(i128::MAX);
        let (q, r) = (v / div, v % div);
        v = if r * 2 >= div { q + 1 } else { q };
    }
    if v >= 10i128.pow(u32::from(precision)) {
        return None;
    }
    Some(if negative { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Array, AsArray};
    use datafusion::arrow::datatypes::{Float64Type, Int32Type};

    #[test]
    fn unexpected_types_are_null_and_ints_wrap() -> PythonResult<()> {
        let a = to_array(&[PyValue::Int(1), PyValue::Str("x".into()), PyValue::Long(1 << 33 | 5), PyValue::Float(1.0)], &ArrowType::Int32)?;
        let a = a.as_primitive::<Int32Type>();
        assert_eq!((a.value(0), a.is_null(1), a.value(2), a.is_null(3)), (1, true, 5, true));
        let d = to_array(&[PyValue::Int(1), PyValue::Float(2.5)], &ArrowType::Float64)?;
        assert!(d.is_null(0));
        assert_eq!(d.as_primitive::<Float64Type>().value(1), 2.5);
        Ok(())
    }

    #[test]
    fn anything_prints_into_a_string_column() -> PythonResult<()> {
        let s = to_array(&[PyValue::Int(7), PyValue::Float(1.0), PyValue::Bool(true), PyValue::List(vec![PyValue::Int(1), PyValue::None])], &ArrowType::Utf8)?;
        let s = s.as_string::<i32>();
        assert_eq!((s.value(0), s.value(1), s.value(2), s.value(3)), ("7", "1.0", "true", "[1, null]"));
        Ok(())
    }

    #[test]
    fn decimals_round_half_up_to_the_scale() {
        assert_eq!(decimal("1.255", 10, 2), Some(126));
        assert_eq!(decimal("-1.254", 10, 2), Some(-125));
        assert_eq!(decimal("1E+2", 10, 1), Some(1000));
        assert_eq!(decimal("123456", 4, 0), None);
    }
}
