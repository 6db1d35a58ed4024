//! Spark literal values.

use crate::DataType;

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null(DataType),
    Boolean(bool),
    Byte(i8),
    Short(i16),
    Integer(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    /// Unscaled value with its precision and scale.
    Decimal { value: i128, precision: u8, scale: i8 },
    String(String),
    Binary(Vec<u8>),
    /// Days since the Unix epoch.
    Date(i32),
    /// Microseconds since the Unix epoch (UTC).
    Timestamp(i64),
    /// Microseconds since the Unix epoch, wall clock, no time zone.
    TimestampNtz(i64),
    CalendarInterval { months: i32, days: i32, microseconds: i64 },
    YearMonthInterval(i32),
    DayTimeInterval(i64),
    Array { element_type: DataType, values: Vec<Literal> },
    Map { key_type: DataType, value_type: DataType, keys: Vec<Literal>, values: Vec<Literal> },
    Struct { data_type: DataType, values: Vec<Literal> },
}

impl Literal {
    /// The Spark type of this literal.
    pub fn data_type(&self) -> DataType {
        match self {
            Literal::Null(t) => t.clone(),
            Literal::Boolean(_) => DataType::Boolean,
            Literal::Byte(_) => DataType::Byte,
            Literal::Short(_) => DataType::Short,
            Literal::Integer(_) => DataType::Integer,
            Literal::Long(_) => DataType::Long,
            Literal::Float(_) => DataType::Float,
            Literal::Double(_) => DataType::Double,
            Literal::Decimal { precision, scale, .. } => {
                DataType::Decimal { precision: *precision, scale: *scale }
            }
            Literal::String(_) => DataType::String,
            Literal::Binary(_) => DataType::Binary,
            Literal::Date(_) => DataType::Date,
            Literal::Timestamp(_) => DataType::Timestamp,
            Literal::TimestampNtz(_) => DataType::TimestampNtz,
            Literal::CalendarInterval { .. } => DataType::CalendarInterval,
            Literal::YearMonthInterval(_) => DataType::YearMonthInterval { start: 0, end: 1 },
            Literal::DayTimeInterval(_) => DataType::DayTimeInterval { start: 0, end: 3 },
            Literal::Array { element_type, values } => DataType::array(
                element_type.clone(),
                values.iter().any(|v| matches!(v, Literal::Null(_))),
            ),
            Literal::Map { key_type, value_type, values, .. } => DataType::map(
                key_type.clone(),
                value_type.clone(),
                values.iter().any(|v| matches!(v, Literal::Null(_))),
            ),
            Literal::Struct { data_type, .. } => data_type.clone(),
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Literal::Null(_))
    }

    /// The value of a numeric literal as a double.
    pub fn as_f64(&self) -> Option<f64> {
        Some(match self {
            Literal::Byte(v) => *v as f64,
            Literal::Short(v) => *v as f64,
            Literal::Integer(v) => *v as f64,
            Literal::Long(v) => *v as f64,
            Literal::Float(v) => *v as f64,
            Literal::Double(v) => *v,
            Literal::Decimal { value, scale, .. } => *value as f64 / 10f64.powi(*scale as i32),
            _ => return None,
        })
    }
}

/// Formats an unscaled decimal with its scale, as Spark's `BigDecimal.toPlainString`.
pub fn format_decimal(value: i128, scale: i8) -> String {
    if scale <= 0 {
        let mut s = value.to_string();
        for _ in 0..(-(scale as i32)) {
            s.push('0');
        }
        return s;
    }
    let neg = value < 0;
    let digits = value.unsigned_abs().to_string();
    let scale = scale as usize;
    let padded = if digits.len() <= scale {
        format!("{}{}", "0".repeat(scale - digits.len() + 1), digits)
    } else {
        digits
    };
    let (int_part, frac_part) = padded.split_at(padded.len() - scale);
    format!("{}{}.{}", if neg { "-" } else { "" }, int_part, frac_part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        assert_eq!(format_decimal(12345, 2), "123.45");
        assert_eq!(format_decimal(-5, 3), "-0.005");
        assert_eq!(format_decimal(7, 0), "7");
    }
}
