//! Casts between VARIANT and Spark's other types, as Spark's `VariantGet`
//! and `castToVariant`. From a variant: a variant null is a SQL NULL;
//! scalars convert as Spark's TRY cast of the value's own type would, and
//! where that gives nothing the cast is INVALID_VARIANT_CAST (or NULL in
//! the `try_` forms); arrays, objects (into structs by exact field name,
//! or string-keyed maps) convert element by element. Into a variant:
//! numbers keep their narrowest form, structs and maps become objects.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, ListArray, MapArray, StructArray, new_null_array};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::datatypes::{DataType, Field, Int8Type, Int16Type, Int32Type, Int64Type, TimeUnit};
use datafusion::common::ScalarValue;

use super::builder::{VariantBuilder, rebuild};
use super::encoding::{Kind, Scalar, Variant, VariantResult, decimal_digits};
use super::json::{JsonZone, plain_decimal, plain_decimal_text, to_json};
use super::{VariantArrayBuilder, is_variant_type};
use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::temporal_parse::TemporalParser;
use spark_plan::data_type::quote_if_needed;

/// How a cast out of a variant behaves.
pub struct CastOptions<'a> {
    /// INVALID_VARIANT_CAST, or NULL (`try_variant_get`, `try_cast`).
    pub fail_on_error: bool,
    pub zone: JsonZone<'a>,
    pub parser: &'a TemporalParser,
}

/// Spark's SQL name of the type an Arrow type represents, for messages.
pub fn sql_type_name(t: &DataType) -> String {
    match t {
        DataType::Boolean => "BOOLEAN".into(),
        DataType::Int8 => "TINYINT".into(),
        DataType::Int16 => "SMALLINT".into(),
        DataType::Int32 => "INT".into(),
        DataType::Int64 => "BIGINT".into(),
        DataType::Float32 => "FLOAT".into(),
        DataType::Float64 => "DOUBLE".into(),
        DataType::Decimal128(p, s) => format!("DECIMAL({p},{s})"),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "STRING".into(),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView => "BINARY".into(),
        DataType::Date32 => "DATE".into(),
        DataType::Timestamp(_, Some(_)) => "TIMESTAMP".into(),
        DataType::Timestamp(_, None) => "TIMESTAMP_NTZ".into(),
        DataType::Null => "VOID".into(),
        t if is_variant_type(t) => "VARIANT".into(),
        DataType::List(f) => format!("ARRAY<{}>", sql_type_name(f.data_type())),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => format!("MAP<{}, {}>", sql_type_name(kv[0].data_type()), sql_type_name(kv[1].data_type())),
            other => other.to_string(),
        },
        DataType::Struct(fields) => format!(
            "STRUCT<{}>",
            fields.iter().map(|f| format!("{}: {}", quote_if_needed(f.name()), sql_type_name(f.data_type()))).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string().to_uppercase(),
    }
}

pub fn invalid_cast(v: Variant<'_>, target: &DataType, zone: JsonZone<'_>) -> SparkRuntimeError {
    let text = to_json(v, zone).unwrap_or_default();
    let ty = format!("\"{}\"", sql_type_name(target));
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "INVALID_VARIANT_CAST",
        "22023",
        format!("The variant value `{text}` cannot be cast into `{ty}`. Please use `try_variant_get` instead."),
    )
    .param("value", text)
    .param("dataType", ty)
}

/// Whether a type can be cast to or from VARIANT (Spark's
/// `VariantGet.checkDataType`); structs and maps only when allowed.
pub fn castable(t: &DataType, structs_and_maps: bool) -> bool {
    match t {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::Float32
        | DataType::Float64
        | DataType::Decimal128(..)
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Binary
        | DataType::LargeBinary
        | DataType::BinaryView
        | DataType::Date32
        | DataType::Timestamp(TimeUnit::Microsecond, _) => true,
        t if is_variant_type(t) => true,
        DataType::List(f) | DataType::LargeList(f) => castable(f.data_type(), structs_and_maps),
        DataType::Map(entries, _) if structs_and_maps => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                matches!(kv[0].data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) && castable(kv[1].data_type(), true)
            }
            _ => false,
        },
        DataType::Struct(fields) if structs_and_maps => fields.iter().all(|f| castable(f.data_type(), true)),
        _ => false,
    }
}

/// Appends row `row` of `a` to a variant being built (Spark's
/// `castToVariant`): NULL is a variant null.
pub fn append_value(b: &mut VariantBuilder, a: &dyn Array, row: usize) -> VariantResult<()> {
    if a.is_null(row) {
        b.append_null();
        return Ok(());
    }
    match a.data_type() {
        DataType::Null => b.append_null(),
        DataType::Boolean => b.append_boolean(a.as_boolean().value(row)),
        DataType::Int8 => b.append_long(i64::from(a.as_primitive::<Int8Type>().value(row))),
        DataType::Int16 => b.append_long(i64::from(a.as_primitive::<Int16Type>().value(row))),
        DataType::Int32 => b.append_long(i64::from(a.as_primitive::<Int32Type>().value(row))),
        DataType::Int64 => b.append_long(a.as_primitive::<Int64Type>().value(row)),
        DataType::Float32 => b.append_float(a.as_primitive::<datafusion::arrow::datatypes::Float32Type>().value(row)),
        DataType::Float64 => b.append_double(a.as_primitive::<datafusion::arrow::datatypes::Float64Type>().value(row)),
        DataType::Decimal128(_, s) => b.append_decimal(a.as_primitive::<datafusion::arrow::datatypes::Decimal128Type>().value(row), (*s).max(0) as u8),
        DataType::Utf8 => b.append_string(a.as_string::<i32>().value(row)),
        DataType::LargeUtf8 => b.append_string(a.as_string::<i64>().value(row)),
        DataType::Utf8View => b.append_string(a.as_string_view().value(row)),
        DataType::Binary => b.append_binary(a.as_binary::<i32>().value(row)),
        DataType::LargeBinary => b.append_binary(a.as_binary::<i64>().value(row)),
        DataType::BinaryView => b.append_binary(a.as_binary_view().value(row)),
        DataType::Date32 => b.append_date(a.as_primitive::<datafusion::arrow::datatypes::Date32Type>().value(row)),
        DataType::Timestamp(TimeUnit::Microsecond, tz) => {
            let v = a.as_primitive::<datafusion::arrow::datatypes::TimestampMicrosecondType>().value(row);
            if tz.is_some() { b.append_timestamp(v) } else { b.append_timestamp_ntz(v) }
        }
        t if is_variant_type(t) => {
            let column = super::VariantColumn::new(a).map_err(|_| super::encoding::malformed())?;
            if let Some(v) = column.get(row) {
                b.append_variant(v)?;
            }
        }
        DataType::List(_) => {
            let list = a.as_list::<i32>();
            let values = list.value(row);
            let start = b.position();
            let mut offsets = Vec::with_capacity(values.len());
            for i in 0..values.len() {
                offsets.push(b.position() - start);
                append_value(b, values.as_ref(), i)?;
            }
            b.finish_array(start, &offsets);
        }
        DataType::Map(..) => {
            let map = a.as_map();
            let entries = map.value(row);
            let (keys, values) = (entries.column(0), entries.column(1));
            let start = b.position();
            let mut fields = Vec::with_capacity(entries.len());
            for i in 0..entries.len() {
                let key = crate::bytes_at(keys.as_ref(), i).map(|k| String::from_utf8_lossy(k).into_owned()).unwrap_or_default();
                fields.push(b.field(start, &key));
                append_value(b, values.as_ref(), i)?;
            }
            b.finish_object(start, fields)?;
        }
        DataType::Struct(struct_fields) => {
            let s = a.as_struct();
            let start = b.position();
            let mut fields = Vec::with_capacity(struct_fields.len());
            for (i, f) in struct_fields.iter().enumerate() {
                fields.push(b.field(start, f.name()));
                append_value(b, s.column(i).as_ref(), row)?;
            }
            b.finish_object(start, fields)?;
        }
        _ => b.append_null(),
    }
    Ok(())
}

/// Every row of `a` as a variant (NULL rows stay NULL).
pub fn to_variant_array(a: &dyn Array, function: &str) -> VariantResult<StructArray> {
    let mut out = VariantArrayBuilder::new();
    for row in 0..a.len() {
        if a.is_null(row) || a.data_type() == &DataType::Null {
            out.append_null();
            continue;
        }
        let mut b = VariantBuilder::new();
        append_value(&mut b, a, row)?;
        let (value, metadata) = b.finish(function)?;
        out.append(&value, &metadata);
    }
    Ok(out.finish())
}

const POW10: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// `unscaled / 10^scale` at `to_scale` with HALF_UP rounding, if it fits
/// `precision` digits.
fn rescale(unscaled: i128, scale: i32, precision: u8, to_scale: i8) -> Option<i128> {
    let diff = i32::from(to_scale) - scale;
    let v = if diff >= 0 {
        unscaled.checked_mul(*POW10.get(diff as usize)?)?
    } else {
        let d = *POW10.get((-diff) as usize)?;
        let q = unscaled / d;
        let r = unscaled % d;
        if r.abs() * 2 >= d { q + unscaled.signum() } else { q }
    };
    (decimal_digits(v) <= u32::from(precision)).then_some(v)
}

/// Text as a decimal number `(unscaled, scale)`: plain or with an exponent.
fn parse_decimal_text(text: &str) -> Option<(i128, i32)> {
    let t = text.trim();
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i32>().ok()?),
        None => (t, 0),
    };
    let mantissa = mantissa.strip_prefix('+').unwrap_or(mantissa);
    if mantissa.is_empty() || !mantissa.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
        return None;
    }
    let fixed = if mantissa.starts_with('.') { format!("0{mantissa}") } else { mantissa.replace("-.", "-0.") };
    let fixed = fixed.strip_suffix('.').unwrap_or(&fixed).to_string();
    let (u, s) = plain_decimal(&fixed)?;
    Some((u, i32::from(s) - exponent))
}

fn integral(v: i128, t: &DataType) -> Option<ScalarValue> {
    Some(match t {
        DataType::Int8 => ScalarValue::Int8(Some(i8::try_from(v).ok()?)),
        DataType::Int16 => ScalarValue::Int16(Some(i16::try_from(v).ok()?)),
        DataType::Int32 => ScalarValue::Int32(Some(i32::try_from(v).ok()?)),
        DataType::Int64 => ScalarValue::Int64(Some(i64::try_from(v).ok()?)),
        _ => return None,
    })
}

fn from_double(d: f64, text: String, t: &DataType) -> Option<ScalarValue> {
    Some(match t {
        DataType::Boolean => ScalarValue::Boolean(Some(d != 0.0)),
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            if !d.is_finite() || d.trunc() < -9.3e18 || d.trunc() > 9.3e18 {
                return None;
            }
            integral(d.trunc() as i128, t)?
        }
        DataType::Float32 => ScalarValue::Float32(Some(d as f32)),
        DataType::Float64 => ScalarValue::Float64(Some(d)),
        DataType::Decimal128(p, s) => {
            if !d.is_finite() {
                return None;
            }
            let (u, scale) = parse_decimal_text(&text)?;
            ScalarValue::Decimal128(Some(rescale(u, scale, *p, *s)?), *p, *s)
        }
        DataType::Utf8 => ScalarValue::Utf8(Some(text)),
        DataType::Timestamp(_, Some(z)) => {
            if !d.is_finite() {
                return None;
            }
            let micros = d * 1_000_000.0;
            if micros.abs() >= 9.2e18 {
                return None;
            }
            ScalarValue::TimestampMicrosecond(Some(micros as i64), Some(z.clone()))
        }
        _ => return None,
    })
}

/// A scalar cast as Spark's TRY cast of its own type; None when that fails.
fn cast_scalar(s: Scalar<'_>, t: &DataType, opts: &CastOptions<'_>) -> Option<ScalarValue> {
    let zone_name = || Some(Arc::<str>::from(opts.zone.name));
    match s {
        Scalar::Null => Some(ScalarValue::try_from(t).ok()?),
        Scalar::Boolean(b) => Some(match t {
            DataType::Boolean => ScalarValue::Boolean(Some(b)),
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => integral(i128::from(b), t)?,
            DataType::Float32 => ScalarValue::Float32(Some(f32::from(u8::from(b)))),
            DataType::Float64 => ScalarValue::Float64(Some(f64::from(u8::from(b)))),
            DataType::Decimal128(p, sc) => ScalarValue::Decimal128(Some(rescale(i128::from(b), 0, *p, *sc)?), *p, *sc),
            DataType::Utf8 => ScalarValue::Utf8(Some(b.to_string())),
            _ => return None,
        }),
        Scalar::Long(l) => Some(match t {
            DataType::Boolean => ScalarValue::Boolean(Some(l != 0)),
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => integral(i128::from(l), t)?,
            DataType::Float32 => ScalarValue::Float32(Some(l as f32)),
            DataType::Float64 => ScalarValue::Float64(Some(l as f64)),
            DataType::Decimal128(p, sc) => ScalarValue::Decimal128(Some(rescale(i128::from(l), 0, *p, *sc)?), *p, *sc),
            DataType::Utf8 => ScalarValue::Utf8(Some(l.to_string())),
            DataType::Timestamp(_, Some(_)) => ScalarValue::TimestampMicrosecond(Some(l.checked_mul(1_000_000)?), zone_name()),
            _ => return None,
        }),
        Scalar::Double(d) => from_double(d, spark_plan::format::java_double(d), t),
        Scalar::Float(f) => from_double(f64::from(f), spark_plan::format::java_float(f), t).map(|v| match (v, t) {
            (ScalarValue::Float32(_), DataType::Float32) => ScalarValue::Float32(Some(f)),
            (v, _) => v,
        }),
        Scalar::Decimal { unscaled, scale } => Some(match t {
            DataType::Boolean => ScalarValue::Boolean(Some(unscaled != 0)),
            DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => integral(unscaled / POW10[scale as usize], t)?,
            DataType::Float32 => ScalarValue::Float32(plain_decimal_text(unscaled, scale).parse().ok()),
            DataType::Float64 => ScalarValue::Float64(plain_decimal_text(unscaled, scale).parse().ok()),
            DataType::Decimal128(p, sc) => ScalarValue::Decimal128(Some(rescale(unscaled, i32::from(scale), *p, *sc)?), *p, *sc),
            DataType::Utf8 => ScalarValue::Utf8(Some(plain_decimal_text(unscaled, scale))),
            DataType::Timestamp(_, Some(_)) => {
                let micros = unscaled.checked_mul(1_000_000)? / POW10[scale as usize];
                ScalarValue::TimestampMicrosecond(Some(i64::try_from(micros).ok()?), zone_name())
            }
            _ => return None,
        }),
        Scalar::String(text) => string_to(text, t, opts),
        Scalar::Date(d) => Some(match t {
            DataType::Date32 => ScalarValue::Date32(Some(d)),
            DataType::Utf8 => ScalarValue::Utf8(Some(crate::value_text::format_date(d))),
            DataType::Timestamp(_, None) => ScalarValue::TimestampMicrosecond(Some(i64::from(d) * 86_400_000_000), None),
            DataType::Timestamp(_, Some(_)) => {
                ScalarValue::TimestampMicrosecond(Some(opts.zone.zone.wall_to_instant(i64::from(d) * 86_400_000_000)?), zone_name())
            }
            _ => return None,
        }),
        Scalar::Timestamp(us) | Scalar::TimestampNanos(us) => {
            let us = if matches!(s, Scalar::TimestampNanos(_)) { us.div_euclid(1000) } else { us };
            Some(match t {
                DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => integral(i128::from(us.div_euclid(1_000_000)), t)?,
                DataType::Float32 => ScalarValue::Float32(Some((us as f64 / 1e6) as f32)),
                DataType::Float64 => ScalarValue::Float64(Some(us as f64 / 1e6)),
                DataType::Decimal128(p, sc) => ScalarValue::Decimal128(Some(rescale(i128::from(us), 6, *p, *sc)?), *p, *sc),
                DataType::Timestamp(_, Some(_)) => ScalarValue::TimestampMicrosecond(Some(us), zone_name()),
                DataType::Timestamp(_, None) => ScalarValue::TimestampMicrosecond(Some(opts.zone.zone.instant_to_wall(us)?), None),
                DataType::Date32 => ScalarValue::Date32(Some(i32::try_from(opts.zone.zone.instant_to_wall(us)?.div_euclid(86_400_000_000)).ok()?)),
                DataType::Utf8 => ScalarValue::Utf8(Some(crate::value_text::format_timestamp(us, Some(opts.zone.name)))),
                _ => return None,
            })
        }
        Scalar::TimestampNtz(us) | Scalar::TimestampNanosNtz(us) => {
            let us = if matches!(s, Scalar::TimestampNanosNtz(_)) { us.div_euclid(1000) } else { us };
            Some(match t {
                DataType::Timestamp(_, None) => ScalarValue::TimestampMicrosecond(Some(us), None),
                DataType::Timestamp(_, Some(_)) => ScalarValue::TimestampMicrosecond(Some(opts.zone.zone.wall_to_instant(us)?), zone_name()),
                DataType::Date32 => ScalarValue::Date32(Some(i32::try_from(us.div_euclid(86_400_000_000)).ok()?)),
                DataType::Utf8 => ScalarValue::Utf8(Some(crate::value_text::format_timestamp(us, None))),
                _ => return None,
            })
        }
        Scalar::Binary(b) => Some(match t {
            DataType::Binary => ScalarValue::Binary(Some(b.to_vec())),
            DataType::Utf8 => ScalarValue::Utf8(Some(String::from_utf8_lossy(b).into_owned())),
            _ => return None,
        }),
        Scalar::Uuid(_) => None,
    }
}

/// Spark's string-to-X cast in TRY mode (whitespace trimmed).
fn string_to(text: &str, t: &DataType, opts: &CastOptions<'_>) -> Option<ScalarValue> {
    let trimmed = text.trim_matches(|c: char| c <= ' ');
    Some(match t {
        DataType::Utf8 => ScalarValue::Utf8(Some(text.to_string())),
        DataType::Binary => ScalarValue::Binary(Some(text.as_bytes().to_vec())),
        DataType::Boolean => match trimmed.to_ascii_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "1" => ScalarValue::Boolean(Some(true)),
            "f" | "false" | "n" | "no" | "0" => ScalarValue::Boolean(Some(false)),
            _ => return None,
        },
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 => {
            let digits = trimmed.strip_prefix(['+', '-']).unwrap_or(trimmed);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            integral(trimmed.parse::<i128>().ok()?, t)?
        }
        DataType::Float32 | DataType::Float64 => {
            let lower = trimmed.to_ascii_lowercase();
            let body = lower.strip_suffix(['d', 'f']).unwrap_or(&lower);
            let d: f64 = match body.trim_start_matches('+') {
                "inf" | "infinity" => f64::INFINITY,
                "-inf" | "-infinity" => f64::NEG_INFINITY,
                "nan" => f64::NAN,
                other => other.parse().ok()?,
            };
            if matches!(t, DataType::Float32) { ScalarValue::Float32(Some(d as f32)) } else { ScalarValue::Float64(Some(d)) }
        }
        DataType::Decimal128(p, s) => {
            let (u, scale) = parse_decimal_text(trimmed)?;
            ScalarValue::Decimal128(Some(rescale(u, scale, *p, *s)?), *p, *s)
        }
        DataType::Date32 => ScalarValue::Date32(Some(opts.parser.date_days(trimmed).or_else(|| {
            opts.parser.timestamp_micros(trimmed, false).and_then(|us| i32::try_from(us.div_euclid(86_400_000_000)).ok())
        })?)),
        DataType::Timestamp(_, zone) => ScalarValue::TimestampMicrosecond(Some(opts.parser.timestamp_micros(trimmed, zone.is_some())?), zone.clone()),
        _ => return None,
    })
}

/// The variants `values` cast to `target` (see the module docs).
pub fn from_variants(values: &[Option<Variant<'_>>], target: &DataType, opts: &CastOptions<'_>) -> VariantResult<ArrayRef> {
    let fail = |v: Variant<'_>| -> VariantResult<()> {
        if opts.fail_on_error { Err(invalid_cast(v, target, opts.zone)) } else { Ok(()) }
    };
    if is_variant_type(target) {
        let mut out = VariantArrayBuilder::new();
        for v in values {
            out.append_option(v.map(rebuild).transpose()?);
        }
        return Ok(Arc::new(out.finish()));
    }
    // Variant nulls are SQL NULLs.
    let mut present: Vec<Option<Variant<'_>>> = Vec::with_capacity(values.len());
    for v in values {
        present.push(match v {
            Some(v) if v.kind()? != Kind::Null => Some(*v),
            _ => None,
        });
    }
    match target {
        DataType::List(field) => {
            let mut children = Vec::new();
            let mut offsets = vec![0i32];
            let mut valid = Vec::with_capacity(present.len());
            for v in &present {
                match v {
                    Some(v) if v.kind()? == Kind::Array => {
                        for i in 0..v.array_size()? {
                            children.push(v.element_at(i)?);
                        }
                        valid.push(true);
                    }
                    Some(v) => {
                        fail(*v)?;
                        valid.push(false);
                    }
                    None => valid.push(false),
                }
                offsets.push(i32::try_from(children.len()).map_err(|_| super::encoding::malformed())?);
            }
            let child = from_variants(&children, field.data_type(), opts)?;
            let field = Arc::new(Field::new(field.name(), field.data_type().clone(), true));
            Ok(Arc::new(ListArray::new(field, OffsetBuffer::new(offsets.into()), child, Some(NullBuffer::from(valid)))))
        }
        DataType::Map(entries, sorted) => {
            let DataType::Struct(kv) = entries.data_type() else { return Err(super::encoding::malformed()) };
            let mut keys = Vec::new();
            let mut children = Vec::new();
            let mut offsets = vec![0i32];
            let mut valid = Vec::with_capacity(present.len());
            for v in &present {
                match v {
                    Some(v) if v.kind()? == Kind::Object => {
                        for i in 0..v.object_size()? {
                            let (k, child) = v.field_at(i)?;
                            keys.push(k.to_string());
                            children.push(Some(child));
                        }
                        valid.push(true);
                    }
                    Some(v) => {
                        fail(*v)?;
                        valid.push(false);
                    }
                    None => valid.push(false),
                }
                offsets.push(i32::try_from(keys.len()).map_err(|_| super::encoding::malformed())?);
            }
            let key_array: ArrayRef = Arc::new(datafusion::arrow::array::StringArray::from(keys));
            let value_array = from_variants(&children, kv[1].data_type(), opts)?;
            let kv_fields = vec![Field::new(kv[0].name(), DataType::Utf8, false), Field::new(kv[1].name(), kv[1].data_type().clone(), true)];
            let entries_array = StructArray::new(kv_fields.clone().into(), vec![key_array, value_array], None);
            let entries_field = Arc::new(Field::new(entries.name(), DataType::Struct(kv_fields.into()), false));
            Ok(Arc::new(MapArray::new(entries_field, OffsetBuffer::new(offsets.into()), entries_array, Some(NullBuffer::from(valid)), *sorted)))
        }
        DataType::Struct(fields) => {
            let mut columns: Vec<Vec<Option<Variant<'_>>>> = vec![Vec::with_capacity(present.len()); fields.len()];
            let mut valid = Vec::with_capacity(present.len());
            for v in &present {
                let mut row: Vec<Option<Variant<'_>>> = vec![None; fields.len()];
                match v {
                    Some(v) if v.kind()? == Kind::Object => {
                        for i in 0..v.object_size()? {
                            let (k, child) = v.field_at(i)?;
                            if let Some(idx) = fields.iter().position(|f| f.name() == k) {
                                row[idx] = Some(child);
                            }
                        }
                        valid.push(true);
                    }
                    Some(v) => {
                        fail(*v)?;
                        valid.push(false);
                    }
                    None => valid.push(false),
                }
                for (c, r) in columns.iter_mut().zip(row) {
                    c.push(r);
                }
            }
            let arrays = fields.iter().zip(&columns).map(|(f, c)| from_variants(c, f.data_type(), opts)).collect::<VariantResult<Vec<_>>>()?;
            let fields: Vec<Field> = fields.iter().map(|f| Field::new(f.name(), f.data_type().clone(), true)).collect();
            Ok(Arc::new(StructArray::new(fields.into(), arrays, Some(NullBuffer::from(valid)))))
        }
        _ => {
            let mut scalars = Vec::with_capacity(present.len());
            let null = ScalarValue::try_from(target).map_err(|_| super::encoding::malformed())?;
            for v in &present {
                let value = match v {
                    None => None,
                    Some(v) => match v.kind()? {
                        Kind::Object | Kind::Array if matches!(target, DataType::Utf8) => Some(ScalarValue::Utf8(Some(to_json(*v, opts.zone)?))),
                        Kind::Object | Kind::Array => None,
                        Kind::Uuid if matches!(target, DataType::Utf8) => {
                            let text = to_json(*v, opts.zone)?;
                            Some(ScalarValue::Utf8(Some(text.trim_matches('"').to_string())))
                        }
                        _ => cast_scalar(v.scalar()?, target, opts),
                    },
                };
                match (value, v) {
                    (Some(s), _) => scalars.push(s),
                    (None, Some(v)) => {
                        fail(*v)?;
                        scalars.push(null.clone());
                    }
                    (None, None) => scalars.push(null.clone()),
                }
            }
            if scalars.is_empty() {
                return Ok(new_null_array(target, 0));
            }
            ScalarValue::iter_to_array(scalars).map_err(|_| super::encoding::malformed())
        }
    }
}
