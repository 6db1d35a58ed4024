//! Spark's types in ORC files, both ways. Spark writes each column as the
//! ORC type closest to it and marks the types ORC lacks with a
//! `spark.sql.catalyst.type` attribute: TIMESTAMP_NTZ is a `long` of
//! microseconds, year-month intervals an `int` of months, day-time
//! intervals a `long` of microseconds. Timestamps are instants (`UTC`).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Fields, IntervalUnit, Schema, TimeUnit};
use orc_rust::proto::r#type::Kind;
use orc_rust::proto::{StringPair, Type};

use crate::{SourceError, SourceResult};

/// The attribute naming the Catalyst type of a column.
const CATALYST_TYPE: &str = "spark.sql.catalyst.type";

fn attribute(value: &str) -> Vec<StringPair> {
    vec![StringPair { key: Some(CATALYST_TYPE.into()), value: Some(value.into()) }]
}

fn leaf(kind: Kind) -> Type {
    Type { kind: Some(kind.into()), ..Default::default() }
}

/// The ORC type list of a file holding `schema`'s columns: the root struct
/// first, then every column in pre-order (a column's id is its index).
pub fn orc_types(schema: &Schema) -> SourceResult<Vec<Type>> {
    let mut types = Vec::new();
    push_struct(&mut types, schema.fields())?;
    Ok(types)
}

fn push_struct(types: &mut Vec<Type>, fields: &Fields) -> SourceResult<()> {
    let at = types.len();
    types.push(Type { kind: Some(Kind::Struct.into()), field_names: fields.iter().map(|f| f.name().clone()).collect(), ..Default::default() });
    for f in fields {
        let id = push_type(types, f.data_type())?;
        types[at].subtypes.push(id);
    }
    Ok(())
}

fn push_type(types: &mut Vec<Type>, t: &DataType) -> SourceResult<u32> {
    let id = types.len() as u32;
    let simple = match t {
        DataType::Boolean => leaf(Kind::Boolean),
        DataType::Int8 => leaf(Kind::Byte),
        DataType::Int16 => leaf(Kind::Short),
        DataType::Int32 => leaf(Kind::Int),
        DataType::Int64 => leaf(Kind::Long),
        DataType::Float32 => leaf(Kind::Float),
        DataType::Float64 => leaf(Kind::Double),
        DataType::Utf8 => Type { attributes: attribute("string"), ..leaf(Kind::String) },
        DataType::Binary => leaf(Kind::Binary),
        DataType::Date32 => leaf(Kind::Date),
        DataType::Decimal128(p, s) => Type { precision: Some(u32::from(*p)), scale: Some(*s as u32), ..leaf(Kind::Decimal) },
        DataType::Timestamp(TimeUnit::Microsecond, Some(_)) => Type { attributes: attribute("timestamp"), ..leaf(Kind::Timestamp) },
        DataType::Timestamp(TimeUnit::Microsecond, None) => Type { attributes: attribute("timestamp_ntz"), ..leaf(Kind::Long) },
        DataType::Interval(IntervalUnit::YearMonth) => Type { attributes: attribute("interval year to month"), ..leaf(Kind::Int) },
        DataType::Duration(TimeUnit::Microsecond) => Type { attributes: attribute("interval day to second"), ..leaf(Kind::Long) },
        DataType::Struct(fields) => {
            push_struct(types, fields)?;
            return Ok(id);
        }
        DataType::List(item) => {
            types.push(leaf(Kind::List));
            let child = push_type(types, item.data_type())?;
            types[id as usize].subtypes.push(child);
            return Ok(id);
        }
        DataType::Map(entries, _) => {
            let DataType::Struct(kv) = entries.data_type() else { return Err(unsupported(t)) };
            types.push(leaf(Kind::Map));
            for f in kv.iter().take(2) {
                let child = push_type(types, f.data_type())?;
                types[id as usize].subtypes.push(child);
            }
            return Ok(id);
        }
        other => return Err(unsupported(other)),
    };
    types.push(simple);
    Ok(id)
}

fn unsupported(t: &DataType) -> SourceError {
    SourceError::Write { path: "ORC file".into(), message: format!("no ORC type for {t}") }
}

/// The Arrow schema (in Spark's types) of an ORC file's type list.
pub fn spark_schema(types: &[Type]) -> SourceResult<Schema> {
    let root = types.first().ok_or_else(|| SourceError::InvalidOption("ORC file without types".into()))?;
    match spark_type(types, 0)? {
        DataType::Struct(fields) => Ok(Schema::new(fields)),
        _ => Err(SourceError::InvalidOption(format!("ORC files whose root is a {:?}, not a struct", root.kind()))),
    }
}

fn spark_type(types: &[Type], id: u32) -> SourceResult<DataType> {
    let t = types.get(id as usize).ok_or_else(|| SourceError::InvalidOption(format!("ORC type {id} missing")))?;
    let catalyst = t.attributes.iter().find(|a| a.key() == CATALYST_TYPE).map(|a| a.value().to_ascii_lowercase());
    let child = |i: usize| -> SourceResult<DataType> {
        let id = *t.subtypes.get(i).ok_or_else(|| SourceError::InvalidOption(format!("ORC {:?} type without children", t.kind())))?;
        spark_type(types, id)
    };
    Ok(match t.kind() {
        Kind::Boolean => DataType::Boolean,
        Kind::Byte => DataType::Int8,
        Kind::Short => DataType::Int16,
        Kind::Int if catalyst.as_deref().is_some_and(|c| c.starts_with("interval")) => DataType::Interval(IntervalUnit::YearMonth),
        Kind::Int => DataType::Int32,
        Kind::Long => match catalyst.as_deref() {
            Some("timestamp_ntz") => DataType::Timestamp(TimeUnit::Microsecond, None),
            Some(c) if c.starts_with("interval") => DataType::Duration(TimeUnit::Microsecond),
            _ => DataType::Int64,
        },
        Kind::Float => DataType::Float32,
        Kind::Double => DataType::Float64,
        Kind::String | Kind::Varchar | Kind::Char => DataType::Utf8,
        Kind::Binary => DataType::Binary,
        Kind::Date => DataType::Date32,
        Kind::Timestamp | Kind::TimestampInstant => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        Kind::Decimal => DataType::Decimal128(t.precision.unwrap_or(38).min(38) as u8, t.scale.unwrap_or(18) as i8),
        Kind::List => DataType::List(Arc::new(Field::new("element", child(0)?, true))),
        Kind::Map => {
            let entries = Fields::from(vec![Field::new("key", child(0)?, false), Field::new("value", child(1)?, true)]);
            DataType::Map(Arc::new(Field::new("entries", DataType::Struct(entries), false)), false)
        }
        Kind::Struct => {
            let fields = t
                .subtypes
                .iter()
                .zip(&t.field_names)
                .map(|(&id, name)| Ok(Field::new(name, spark_type(types, id)?, true)))
                .collect::<SourceResult<Vec<_>>>()?;
            DataType::Struct(fields.into())
        }
        Kind::Union => return Err(SourceError::InvalidOption("ORC union types are not supported".into())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spark_types_round_trip() -> SourceResult<()> {
        let map = DataType::Map(
            Arc::new(Field::new("entries", DataType::Struct(vec![Field::new("key", DataType::Utf8, false), Field::new("value", DataType::Int32, true)].into()), false)),
            false,
        );
        let schema = Schema::new(vec![
            Field::new("ts", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), true),
            Field::new("ntz", DataType::Timestamp(TimeUnit::Microsecond, None), true),
            Field::new("ym", DataType::Interval(IntervalUnit::YearMonth), true),
            Field::new("dt", DataType::Duration(TimeUnit::Microsecond), true),
            Field::new("dec", DataType::Decimal128(38, 4), true),
            Field::new("arr", DataType::List(Arc::new(Field::new("element", DataType::Int64, true))), true),
            Field::new("m", map, true),
            Field::new("st", DataType::Struct(vec![Field::new("a", DataType::Utf8, true)].into()), true),
        ]);
        let types = orc_types(&schema)?;
        assert_eq!(types.len(), 1 + 5 + 2 + 3 + 2);
        assert_eq!(types[0].subtypes, vec![1, 2, 3, 4, 5, 6, 8, 11]);
        assert_eq!(spark_schema(&types)?, schema);
        Ok(())
    }
}
