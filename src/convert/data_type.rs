//! `spark.connect.DataType` ↔ Spark types.

use spark_plan::{DataType, StructField};

use crate::error::{ServerError, ServerResult};
use crate::proto::sc;
use crate::proto::sc::data_type::Kind;

pub fn proto_to_type(t: &sc::DataType) -> ServerResult<DataType> {
    let kind = t.kind.as_ref().ok_or_else(|| ServerError::missing("DataType.kind"))?;
    Ok(match kind {
        Kind::Null(_) => DataType::Null,
        Kind::Binary(_) => DataType::Binary,
        Kind::Boolean(_) => DataType::Boolean,
        Kind::Byte(_) => DataType::Byte,
        Kind::Short(_) => DataType::Short,
        Kind::Integer(_) => DataType::Integer,
        Kind::Long(_) => DataType::Long,
        Kind::Float(_) => DataType::Float,
        Kind::Double(_) => DataType::Double,
        Kind::Decimal(d) => DataType::Decimal {
            precision: d.precision.unwrap_or(10) as u8,
            scale: d.scale.unwrap_or(0) as i8,
        },
        Kind::String(_) => DataType::String,
        Kind::Char(c) => DataType::Char(c.length as u32),
        Kind::VarChar(c) => DataType::VarChar(c.length as u32),
        Kind::Date(_) => DataType::Date,
        Kind::Timestamp(_) => DataType::Timestamp,
        Kind::TimestampNtz(_) => DataType::TimestampNtz,
        Kind::CalendarInterval(_) => DataType::CalendarInterval,
        Kind::YearMonthInterval(i) => DataType::YearMonthInterval {
            start: i.start_field.unwrap_or(0) as u8,
            end: i.end_field.unwrap_or(1) as u8,
        },
        Kind::DayTimeInterval(i) => DataType::DayTimeInterval {
            start: i.start_field.unwrap_or(0) as u8,
            end: i.end_field.unwrap_or(3) as u8,
        },
        Kind::Array(a) => DataType::array(
            proto_to_type(a.element_type.as_deref().ok_or_else(|| ServerError::missing("Array.element_type"))?)?,
            a.contains_null,
        ),
        Kind::Map(m) => DataType::map(
            proto_to_type(m.key_type.as_deref().ok_or_else(|| ServerError::missing("Map.key_type"))?)?,
            proto_to_type(m.value_type.as_deref().ok_or_else(|| ServerError::missing("Map.value_type"))?)?,
            m.value_contains_null,
        ),
        Kind::Struct(s) => DataType::Struct(
            s.fields
                .iter()
                .map(|f| {
                    Ok(StructField {
                        name: f.name.clone(),
                        data_type: proto_to_type(f.data_type.as_ref().ok_or_else(|| ServerError::missing("StructField.data_type"))?)?,
                        nullable: f.nullable,
                        metadata: f.metadata.clone(),
                    })
                })
                .collect::<ServerResult<Vec<_>>>()?,
        ),
        Kind::Unparsed(u) => spark_sql_parser::parse_data_type(&u.data_type_string).map_err(spark_engine::EngineError::from)?,
        Kind::Variant(_) => DataType::Variant,
        Kind::Time(t) => DataType::Time(t.precision.unwrap_or(6) as u8),
        Kind::Udt(u) => match &u.sql_type {
            Some(t) => proto_to_type(t)?,
            None => return Err(ServerError::unsupported("user-defined types")),
        },
        Kind::Geometry(g) => DataType::Geometry((g.srid != -1).then_some(g.srid)),
        Kind::Geography(g) => DataType::Geography((g.srid != -1).then_some(g.srid)),
        Kind::TimestampNtzNanos(t) => DataType::TimestampNanos { precision: t.precision.unwrap_or(9) as u8, ntz: true },
        Kind::TimestampLtzNanos(t) => DataType::TimestampNanos { precision: t.precision.unwrap_or(9) as u8, ntz: false },
    })
}

pub fn type_to_proto(t: &DataType) -> sc::DataType {
    use sc::data_type as dt;
    let kind = match t {
        DataType::Null => Kind::Null(dt::Null::default()),
        DataType::Boolean => Kind::Boolean(dt::Boolean::default()),
        DataType::Byte => Kind::Byte(dt::Byte::default()),
        DataType::Short => Kind::Short(dt::Short::default()),
        DataType::Integer => Kind::Integer(dt::Integer::default()),
        DataType::Long => Kind::Long(dt::Long::default()),
        DataType::Float => Kind::Float(dt::Float::default()),
        DataType::Double => Kind::Double(dt::Double::default()),
        DataType::Decimal { precision, scale } => Kind::Decimal(dt::Decimal {
            scale: Some(*scale as i32),
            precision: Some(*precision as i32),
            type_variation_reference: 0,
        }),
        DataType::String | DataType::Char(_) | DataType::VarChar(_) => Kind::String(dt::String::default()),
        DataType::Binary => Kind::Binary(dt::Binary::default()),
        DataType::Date => Kind::Date(dt::Date::default()),
        DataType::Timestamp => Kind::Timestamp(dt::Timestamp::default()),
        DataType::TimestampNtz => Kind::TimestampNtz(dt::TimestampNtz::default()),
        DataType::CalendarInterval => Kind::CalendarInterval(dt::CalendarInterval::default()),
        DataType::YearMonthInterval { start, end } => Kind::YearMonthInterval(dt::YearMonthInterval {
            start_field: Some(*start as i32),
            end_field: Some(*end as i32),
            type_variation_reference: 0,
        }),
        DataType::DayTimeInterval { start, end } => Kind::DayTimeInterval(dt::DayTimeInterval {
            start_field: Some(*start as i32),
            end_field: Some(*end as i32),
            type_variation_reference: 0,
        }),
        DataType::Array { element, contains_null } => Kind::Array(Box::new(dt::Array {
            element_type: Some(Box::new(type_to_proto(element))),
            contains_null: *contains_null,
            type_variation_reference: 0,
        })),
        DataType::Map { key, value, value_contains_null } => Kind::Map(Box::new(dt::Map {
            key_type: Some(Box::new(type_to_proto(key))),
            value_type: Some(Box::new(type_to_proto(value))),
            value_contains_null: *value_contains_null,
            type_variation_reference: 0,
        })),
        DataType::Struct(fields) => Kind::Struct(dt::Struct {
            fields: fields
                .iter()
                .map(|f| dt::StructField {
                    name: f.name.clone(),
                    data_type: Some(type_to_proto(&f.data_type)),
                    nullable: f.nullable,
                    metadata: f.metadata.clone(),
                })
                .collect(),
            type_variation_reference: 0,
        }),
        DataType::Variant => Kind::Variant(dt::Variant::default()),
        DataType::Time(p) => Kind::Time(dt::Time { precision: Some(*p as i32), type_variation_reference: 0 }),
        DataType::TimestampNanos { precision, ntz: true } => {
            Kind::TimestampNtzNanos(dt::TimestampNtzNanos { precision: Some(i32::from(*precision)), type_variation_reference: 0 })
        }
        DataType::TimestampNanos { precision, ntz: false } => {
            Kind::TimestampLtzNanos(dt::TimestampLtzNanos { precision: Some(i32::from(*precision)), type_variation_reference: 0 })
        }
        DataType::Geometry(srid) => Kind::Geometry(dt::Geometry { srid: srid.unwrap_or(-1), type_variation_reference: 0 }),
        DataType::Geography(srid) => Kind::Geography(dt::Geography { srid: srid.unwrap_or(-1), type_variation_reference: 0 }),
    };
    sc::DataType { kind: Some(kind) }
}
