//! `Expression.Literal` ↔ Spark literals.

use spark_plan::{DataType, Literal};

use super::data_type::{proto_to_type, type_to_proto};
use crate::error::{ServerError, ServerResult};
use crate::proto::sc::expression::literal::{self, LiteralType};
use crate::proto::sc::expression::Literal as PLiteral;

pub fn convert_literal(l: &PLiteral) -> ServerResult<Literal> {
    let t = l.literal_type.as_ref().ok_or_else(|| ServerError::missing("Literal.literal_type"))?;
    Ok(match t {
        LiteralType::Null(dt) => Literal::Null(proto_to_type(dt)?),
        LiteralType::Binary(b) => Literal::Binary(b.clone()),
        LiteralType::Boolean(b) => Literal::Boolean(*b),
        LiteralType::Byte(v) => Literal::Byte(*v as i8),
        LiteralType::Short(v) => Literal::Short(*v as i16),
        LiteralType::Integer(v) => Literal::Integer(*v),
        LiteralType::Long(v) => Literal::Long(*v),
        LiteralType::Float(v) => Literal::Float(*v),
        LiteralType::Double(v) => Literal::Double(*v),
        LiteralType::Decimal(d) => decimal(d)?,
        LiteralType::String(s) => Literal::String(s.clone()),
        LiteralType::Date(d) => Literal::Date(*d),
        LiteralType::Timestamp(t) => Literal::Timestamp(*t),
        LiteralType::TimestampNtz(t) => Literal::TimestampNtz(*t),
        LiteralType::CalendarInterval(c) => {
            Literal::CalendarInterval { months: c.months, days: c.days, microseconds: c.microseconds }
        }
        LiteralType::YearMonthInterval(m) => Literal::YearMonthInterval(*m),
        LiteralType::DayTimeInterval(us) => Literal::DayTimeInterval(*us),
        LiteralType::Array(a) => {
            let values = a.elements.iter().map(convert_literal).collect::<ServerResult<Vec<_>>>()?;
            let element_type = match (&l.data_type, &a.element_type) {
                (Some(dt), _) => match proto_to_type(dt)? {
                    DataType::Array { element, .. } => *element,
                    other => other,
                },
                (None, Some(et)) => proto_to_type(et)?,
                (None, None) => values.first().map(Literal::data_type).unwrap_or(DataType::Null),
            };
            Literal::Array { element_type, values }
        }
        LiteralType::Map(m) => {
            let keys = m.keys.iter().map(convert_literal).collect::<ServerResult<Vec<_>>>()?;
            let values = m.values.iter().map(convert_literal).collect::<ServerResult<Vec<_>>>()?;
            let (key_type, value_type) = match &l.data_type {
                Some(dt) => match proto_to_type(dt)? {
                    DataType::Map { key, value, .. } => (*key, *value),
                    _ => (DataType::Null, DataType::Null),
                },
                None => (
                    keys.first().map(Literal::data_type).unwrap_or(DataType::Null),
                    values.first().map(Literal::data_type).unwrap_or(DataType::Null),
                ),
            };
            Literal::Map { key_type, value_type, keys, values }
        }
        LiteralType::Struct(s) => {
            let values = s.elements.iter().map(convert_literal).collect::<ServerResult<Vec<_>>>()?;
            let data_type = match (&l.data_type, &s.struct_type) {
                (Some(dt), _) | (None, Some(dt)) => proto_to_type(dt)?,
                (None, None) => return Err(ServerError::missing("Literal.Struct.struct_type")),
            };
            Literal::Struct { data_type, values }
        }
        LiteralType::SpecializedArray(a) => specialized_array(a)?,
        LiteralType::Time(_) => return Err(ServerError::unsupported("TIME literals")),
        LiteralType::TimestampNtzNanos(_) | LiteralType::TimestampLtzNanos(_) => {
            return Err(ServerError::unsupported("nanosecond timestamp literals"));
        }
    })
}

fn decimal(d: &literal::Decimal) -> ServerResult<Literal> {
    let text = d.value.trim();
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    let (frac_part, exp) = match frac_part.split_once(['e', 'E']) {
        Some((f, e)) => (f, e.parse::<i32>().unwrap_or(0)),
        None => match int_part.split_once(['e', 'E']) {
            Some(_) => ("", 0),
            None => (frac_part, 0),
        },
    };
    let all: String = format!("{int_part}{frac_part}");
    let mut value: i128 = all.trim_start_matches('0').parse().unwrap_or(0);
    let mut scale = frac_part.len() as i32 - exp;
    if scale < 0 {
        value *= 10i128.pow((-scale) as u32);
        scale = 0;
    }
    if neg {
        value = -value;
    }
    // Spark types the literal by its value ("1.50" is DECIMAL(3,2)) and
    // ignores the precision and scale the client sends with it (pyspark
    // always sends DecimalType()'s (10, 0)).
    // Spark keeps the value's scale and the client's precision when it is
    // wide enough (Decimal('1.50') from pyspark is DECIMAL(10,2)).
    let digits_count = value.unsigned_abs().to_string().len() as i32;
    let precision = d.precision.unwrap_or(0).max(digits_count).max(scale).max(1);
    let _ = d.scale;
    Ok(Literal::Decimal { value, precision: precision.clamp(1, 38) as u8, scale: scale as i8 })
}

fn specialized_array(a: &literal::SpecializedArray) -> ServerResult<Literal> {
    use literal::specialized_array::ValueType;
    let v = a.value_type.as_ref().ok_or_else(|| ServerError::missing("SpecializedArray.value_type"))?;
    let (element_type, values) = match v {
        ValueType::Bools(b) => (DataType::Boolean, b.values.iter().map(|x| Literal::Boolean(*x)).collect()),
        ValueType::Ints(b) => (DataType::Integer, b.values.iter().map(|x| Literal::Integer(*x)).collect()),
        ValueType::Longs(b) => (DataType::Long, b.values.iter().map(|x| Literal::Long(*x)).collect()),
        ValueType::Floats(b) => (DataType::Float, b.values.iter().map(|x| Literal::Float(*x)).collect()),
        ValueType::Doubles(b) => (DataType::Double, b.values.iter().map(|x| Literal::Double(*x)).collect()),
        ValueType::Strings(b) => (DataType::String, b.values.iter().map(|x| Literal::String(x.clone())).collect()),
    };
    Ok(Literal::Array { element_type, values })
}

/// A literal as the client expects it back (observed metrics).
pub fn literal_to_proto(l: &Literal) -> PLiteral {
    let t = match l {
        Literal::Null(dt) => LiteralType::Null(type_to_proto(dt)),
        Literal::Boolean(b) => LiteralType::Boolean(*b),
        Literal::Byte(v) => LiteralType::Byte(*v as i32),
        Literal::Short(v) => LiteralType::Short(*v as i32),
        Literal::Integer(v) => LiteralType::Integer(*v),
        Literal::Long(v) => LiteralType::Long(*v),
        Literal::Float(v) => LiteralType::Float(*v),
        Literal::Double(v) => LiteralType::Double(*v),
        Literal::String(s) => LiteralType::String(s.clone()),
        Literal::Binary(b) => LiteralType::Binary(b.clone()),
        Literal::Date(d) => LiteralType::Date(*d),
        Literal::Timestamp(t) => LiteralType::Timestamp(*t),
        Literal::TimestampNtz(t) => LiteralType::TimestampNtz(*t),
        Literal::Decimal { value, precision, scale } => LiteralType::Decimal(literal::Decimal {
            value: spark_plan::literal::format_decimal(*value, *scale),
            precision: Some(*precision as i32),
            scale: Some(*scale as i32),
        }),
        Literal::Array { element_type, values } => {
            let data_type = type_to_proto(&DataType::array(element_type.clone(), values.iter().any(|v| matches!(v, Literal::Null(_)))));
            let elements = values.iter().map(literal_to_proto).collect();
            return PLiteral { literal_type: Some(LiteralType::Array(literal::Array { elements, ..Default::default() })), data_type: Some(data_type) };
        }
        other => LiteralType::String(format!("{other:?}")),
    };
    PLiteral { literal_type: Some(t), data_type: None }
}

/// One value of a result column as a literal (observed metrics).
pub fn array_value_to_literal(a: &datafusion::arrow::array::ArrayRef, row: usize) -> ServerResult<Literal> {
    use datafusion::common::ScalarValue as S;
    let v = S::try_from_array(a, row).map_err(|e| ServerError::invalid_plan(e.to_string()))?;
    Ok(match v {
        S::Boolean(Some(b)) => Literal::Boolean(b),
        S::Int8(Some(x)) => Literal::Byte(x),
        S::Int16(Some(x)) => Literal::Short(x),
        S::Int32(Some(x)) => Literal::Integer(x),
        S::Int64(Some(x)) => Literal::Long(x),
        S::Float32(Some(x)) => Literal::Float(x),
        S::Float64(Some(x)) => Literal::Double(x),
        S::Utf8(Some(s)) | S::LargeUtf8(Some(s)) | S::Utf8View(Some(s)) => Literal::String(s),
        S::Binary(Some(b)) | S::LargeBinary(Some(b)) => Literal::Binary(b),
        S::Date32(Some(d)) => Literal::Date(d),
        S::TimestampMicrosecond(Some(t), Some(_)) => Literal::Timestamp(t),
        S::TimestampMicrosecond(Some(t), None) => Literal::TimestampNtz(t),
        S::Decimal128(Some(value), precision, scale) => Literal::Decimal { value, precision, scale },
        other if other.is_null() => {
            let t = spark_resolver::types::from_arrow(&other.data_type()).unwrap_or(spark_plan::DataType::Null);
            Literal::Null(t)
        }
        other => Literal::String(other.to_string()),
    })
}
