//! Spark types ↔ Arrow types.
//!
//! Inside the engine a Spark type has one Arrow representation (see
//! [`to_arrow`]): the same one the JVM server sends to clients, so results
//! need no conversion beyond what DataFusion's own functions introduce.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Fields, IntervalUnit, TimeUnit};
use spark_plan::{DataType, StructField};

use crate::{ResolveError, ResolveResult};

/// The Arrow type that represents a Spark type. Timestamps carry the session
/// time zone, so DataFusion's date/time functions compute in it.
pub fn to_arrow(t: &DataType, time_zone: &str) -> ResolveResult<ArrowType> {
    Ok(match t {
        DataType::Null => ArrowType::Null,
        DataType::Boolean => ArrowType::Boolean,
        DataType::Byte => ArrowType::Int8,
        DataType::Short => ArrowType::Int16,
        DataType::Integer => ArrowType::Int32,
        DataType::Long => ArrowType::Int64,
        DataType::Float => ArrowType::Float32,
        DataType::Double => ArrowType::Float64,
        DataType::Decimal { precision, scale } => ArrowType::Decimal128(*precision, *scale),
        DataType::String | DataType::Char(_) | DataType::VarChar(_) => ArrowType::Utf8,
        DataType::Binary => ArrowType::Binary,
        DataType::Date => ArrowType::Date32,
        DataType::Timestamp => ArrowType::Timestamp(TimeUnit::Microsecond, Some(time_zone.into())),
        DataType::TimestampNtz => ArrowType::Timestamp(TimeUnit::Microsecond, None),
        DataType::TimestampNanos { ntz: false, .. } => ArrowType::Timestamp(TimeUnit::Nanosecond, Some(time_zone.into())),
        DataType::TimestampNanos { ntz: true, .. } => ArrowType::Timestamp(TimeUnit::Nanosecond, None),
        DataType::CalendarInterval => ArrowType::Interval(IntervalUnit::MonthDayNano),
        DataType::YearMonthInterval { .. } => ArrowType::Interval(IntervalUnit::YearMonth),
        DataType::DayTimeInterval { .. } => ArrowType::Duration(TimeUnit::Microsecond),
        DataType::Time(_) => ArrowType::Time64(TimeUnit::Nanosecond),
        DataType::Array { element, contains_null } => ArrowType::List(Arc::new(Field::new(
            "element",
            to_arrow(element, time_zone)?,
            *contains_null,
        ))),
        DataType::Map { key, value, value_contains_null } => {
            let entries = Field::new(
                "entries",
                ArrowType::Struct(Fields::from(vec![
                    Field::new("key", to_arrow(key, time_zone)?, false),
                    Field::new("value", to_arrow(value, time_zone)?, *value_contains_null),
                ])),
                false,
            );
            ArrowType::Map(Arc::new(entries), false)
        }
        DataType::Struct(fields) => ArrowType::Struct(
            fields
                .iter()
                .map(|f| Ok(Field::new(&f.name, to_arrow(&f.data_type, time_zone)?, f.nullable)))
                .collect::<ResolveResult<Vec<_>>>()?
                .into(),
        ),
        DataType::Variant => spark_functions::variant::variant_type(),
        DataType::Geometry(srid) => spark_functions::spatial::spatial_type(spark_functions::spatial::SpatialKind::Geometry, *srid),
        DataType::Geography(srid) => spark_functions::spatial::spatial_type(spark_functions::spatial::SpatialKind::Geography, *srid),
    })
}

/// The Spark type of an Arrow type, including the types DataFusion produces
/// internally (views, unsigned integers, other time units).
pub fn from_arrow(t: &ArrowType) -> ResolveResult<DataType> {
    Ok(match t {
        ArrowType::Null => DataType::Null,
        ArrowType::Boolean => DataType::Boolean,
        ArrowType::Int8 => DataType::Byte,
        ArrowType::Int16 | ArrowType::UInt8 => DataType::Short,
        ArrowType::Int32 | ArrowType::UInt16 => DataType::Integer,
        ArrowType::Int64 | ArrowType::UInt32 => DataType::Long,
        ArrowType::UInt64 => DataType::Decimal { precision: 20, scale: 0 },
        ArrowType::Float16 | ArrowType::Float32 => DataType::Float,
        ArrowType::Float64 => DataType::Double,
        ArrowType::Decimal32(p, s) | ArrowType::Decimal64(p, s) | ArrowType::Decimal128(p, s) => {
            DataType::Decimal { precision: *p, scale: *s }
        }
        ArrowType::Decimal256(p, s) => DataType::Decimal { precision: (*p).min(38), scale: *s },
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => DataType::String,
        ArrowType::Binary
        | ArrowType::LargeBinary
        | ArrowType::BinaryView
        | ArrowType::FixedSizeBinary(_) => DataType::Binary,
        ArrowType::Date32 | ArrowType::Date64 => DataType::Date,
        // Nanoseconds only from the nanosecond types (files are read as micros).
        ArrowType::Timestamp(TimeUnit::Nanosecond, tz) => DataType::TimestampNanos { precision: 9, ntz: tz.is_none() },
        ArrowType::Timestamp(_, Some(_)) => DataType::Timestamp,
        ArrowType::Timestamp(_, None) => DataType::TimestampNtz,
        ArrowType::Time32(_) | ArrowType::Time64(_) => DataType::Time(6),
        ArrowType::Duration(_) => DataType::DayTimeInterval { start: 0, end: 3 },
        ArrowType::Interval(IntervalUnit::YearMonth) => DataType::YearMonthInterval { start: 0, end: 1 },
        ArrowType::Interval(_) => DataType::CalendarInterval,
        ArrowType::List(f)
        | ArrowType::LargeList(f)
        | ArrowType::ListView(f)
        | ArrowType::LargeListView(f)
        | ArrowType::FixedSizeList(f, _) => DataType::array(from_arrow_field(f)?, f.is_nullable()),
        ArrowType::Map(entries, _) => match entries.data_type() {
            ArrowType::Struct(kv) if kv.len() == 2 => DataType::map(
                from_arrow(kv[0].data_type())?,
                from_arrow(kv[1].data_type())?,
                kv[1].is_nullable(),
            ),
            other => return Err(ResolveError::invalid(format!("bad map entries type {other}"))),
        },
        t @ ArrowType::Struct(_) if spark_functions::variant::is_variant_type(t) => DataType::Variant,
        t @ ArrowType::Struct(_) if spark_functions::spatial::spatial_kind(t).is_some() => match spark_functions::spatial::spatial_kind(t) {
            Some((spark_functions::spatial::SpatialKind::Geography, srid)) => DataType::Geography(srid),
            Some((_, srid)) => DataType::Geometry(srid),
            None => DataType::Null,
        },
        ArrowType::Struct(fields) => DataType::Struct(
            fields
                .iter()
                .map(|f| Ok(StructField::new(f.name().clone(), from_arrow(f.data_type())?, f.is_nullable())))
                .collect::<ResolveResult<Vec<_>>>()?,
        ),
        ArrowType::Dictionary(_, v) => from_arrow(v)?,
        ArrowType::RunEndEncoded(_, v) => from_arrow(v.data_type())?,
        other => return Err(ResolveError::unsupported(format!("the Arrow type {other}"))),
    })
}

/// The canonical Arrow type for whatever DataFusion produced: what clients receive.
pub fn canonical_arrow(t: &ArrowType, time_zone: &str) -> ResolveResult<ArrowType> {
    to_arrow(&from_arrow(t)?, time_zone)
}

pub use spark_functions::interval_math::INTERVAL_FIELDS_KEY;

/// Arrow field metadata holding a column's Spark metadata (a JSON object).
pub const COLUMN_METADATA_KEY: &str = "spark.metadata";

/// The Spark type of an Arrow field, honouring interval-field metadata.
pub fn from_arrow_field(f: &datafusion::arrow::datatypes::Field) -> ResolveResult<DataType> {
    let t = from_arrow(f.data_type())?;
    let fields = f.metadata().get(INTERVAL_FIELDS_KEY).and_then(|v| {
        let (a, b) = v.split_once(',')?;
        Some((a.parse::<u8>().ok()?, b.parse::<u8>().ok()?))
    });
    Ok(match (t, fields) {
        (DataType::DayTimeInterval { .. }, Some((start, end))) => DataType::DayTimeInterval { start, end },
        (DataType::YearMonthInterval { .. }, Some((start, end))) => DataType::YearMonthInterval { start, end },
        (t, _) => t,
    })
}

/// Whether a value of type `t` holds a map anywhere (maps have no order
/// and no equality in Spark: no comparison, sort, DISTINCT or set operation).
pub(crate) fn contains_map(t: &ArrowType) -> bool {
    match t {
        ArrowType::Map(..) => true,
        ArrowType::List(f) | ArrowType::LargeList(f) | ArrowType::FixedSizeList(f, _) => contains_map(f.data_type()),
        ArrowType::Struct(fields) => fields.iter().any(|f| contains_map(f.data_type())),
        _ => false,
    }
}

/// A type as Spark quotes it in error messages (`"INT"`); empty for a type
/// Spark has no name for.
pub(crate) fn quoted_sql(t: &ArrowType) -> String {
    from_arrow(t).map(|d| format!("\"{}\"", d.sql())).unwrap_or_default()
}
