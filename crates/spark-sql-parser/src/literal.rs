//! Numeric and binary literal text.

use spark_plan::Literal;

use crate::{ParseError, ParseResult};

fn invalid_number(text: &str, kind: &str) -> ParseError {
    ParseError::other(
        "INVALID_NUMERIC_LITERAL_RANGE",
        "22003",
        format!("Numeric literal {text} is outside the valid range for {kind}."),
    )
}

/// Parses a number as Spark types it: `1` INT (BIGINT or DECIMAL when larger),
/// `1L` BIGINT, `1S` SMALLINT, `1Y` TINYINT, `1.5` DECIMAL(2,1), `1.5D` and
/// `1e3` DOUBLE, `1.5F` FLOAT, `1.5BD` DECIMAL.
pub fn parse_number(text: &str) -> ParseResult<Literal> {
    let lower = text.to_ascii_lowercase();
    if let Some(body) = lower.strip_suffix("bd") {
        return parse_decimal(body).ok_or_else(|| invalid_number(text, "decimal"));
    }
    let (body, suffix) = match lower.chars().last() {
        Some(c @ ('l' | 's' | 'y' | 'd' | 'f')) => (&lower[..lower.len() - 1], Some(c)),
        _ => (lower.as_str(), None),
    };
    let is_integral = body.chars().all(|c| c.is_ascii_digit());
    match suffix {
        Some('l') if is_integral => body.parse::<i64>().map(Literal::Long).map_err(|_| invalid_number(text, "bigint")),
        Some('s') if is_integral => body.parse::<i16>().map(Literal::Short).map_err(|_| invalid_number(text, "smallint")),
        Some('y') if is_integral => body.parse::<i8>().map(Literal::Byte).map_err(|_| invalid_number(text, "tinyint")),
        Some('d') => finite_double(body, text),
        Some('f') => body.parse::<f32>().ok().filter(|v| v.is_finite()).map(Literal::Float).ok_or_else(|| invalid_number(text, "float")),
        None if is_integral => {
            if let Ok(v) = body.parse::<i32>() {
                Ok(Literal::Integer(v))
            } else if let Ok(v) = body.parse::<i64>() {
                Ok(Literal::Long(v))
            } else {
                parse_decimal(body).ok_or_else(|| invalid_number(text, "decimal"))
            }
        }
        None if body.contains('e') => finite_double(body, text),
        None => parse_decimal(body).ok_or_else(|| invalid_number(text, "decimal")),
        _ => Err(ParseError::Syntax { token: format!("'{text}'"), position: 0 }),
    }
}

/// A DOUBLE literal, which must be finite (`1e500` is out of range).
fn finite_double(body: &str, text: &str) -> ParseResult<Literal> {
    body.parse::<f64>().ok().filter(|v| v.is_finite()).map(Literal::Double).ok_or_else(|| invalid_number(text, "double"))
}

/// `-text`: integers take the range of the negative number, so the most
/// negative value of each type is its own literal (`-128Y`,
/// `-9223372036854775808L`, and `-2147483648` an INT).
pub fn parse_negative_number(text: &str) -> ParseResult<Literal> {
    let lower = text.to_ascii_lowercase();
    let (body, suffix) = match lower.chars().last() {
        Some(c @ ('l' | 's' | 'y')) => (&lower[..lower.len() - 1], Some(c)),
        _ => (lower.as_str(), None),
    };
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit()) {
        return match parse_number(text)? {
            Literal::Integer(v) => Ok(Literal::Integer(-v)),
            Literal::Long(v) => Ok(Literal::Long(-v)),
            Literal::Double(v) => Ok(Literal::Double(-v)),
            Literal::Float(v) => Ok(Literal::Float(-v)),
            Literal::Decimal { value, precision, scale } => Ok(Literal::Decimal { value: -value, precision, scale }),
            other => Ok(other),
        };
    }
    let negative = format!("-{body}");
    let shown = format!("-{text}");
    match suffix {
        Some('l') => negative.parse::<i64>().map(Literal::Long).map_err(|_| invalid_number(&shown, "bigint")),
        Some('s') => negative.parse::<i16>().map(Literal::Short).map_err(|_| invalid_number(&shown, "smallint")),
        Some('y') => negative.parse::<i8>().map(Literal::Byte).map_err(|_| invalid_number(&shown, "tinyint")),
        _ => {
            if let Ok(v) = negative.parse::<i32>() {
                Ok(Literal::Integer(v))
            } else if let Ok(v) = negative.parse::<i64>() {
                Ok(Literal::Long(v))
            } else {
                match parse_decimal(body) {
                    Some(Literal::Decimal { value, precision, scale }) => Ok(Literal::Decimal { value: -value, precision, scale }),
                    _ => Err(invalid_number(&shown, "decimal")),
                }
            }
        }
    }
}

/// A plain decimal literal: precision is the digit count, scale the fraction digits.
pub fn parse_decimal(body: &str) -> Option<Literal> {
    // `1.5e-2BD`: an exponent moves the scale (never below 0, as in Spark).
    let (mantissa, exponent) = match body.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().ok()?),
        None => (body, 0),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    if !int_part.chars().chain(frac_part.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = format!("{int_part}{frac_part}");
    let trimmed = digits.trim_start_matches('0');
    let mut value: i128 = if trimmed.is_empty() { 0 } else { trimmed.parse().ok()? };
    let mut scale = i32::try_from(frac_part.len()).ok()? - exponent;
    let mut value_digits = if value == 0 { 1 } else { value.unsigned_abs().to_string().len() };
    if scale < 0 {
        // A negative scale becomes trailing zeros: `0e5BD` is DECIMAL(6,0).
        let shift = u32::try_from(-scale).ok()?;
        value = value.checked_mul(10i128.checked_pow(shift)?)?;
        value_digits += shift as usize;
        scale = 0;
    }
    let precision = value_digits.max(usize::try_from(scale).ok()?).max(1);
    if precision > 38 {
        return None;
    }
    Some(Literal::Decimal { value, precision: precision as u8, scale: scale as i8 })
}

pub fn parse_hex(h: &str) -> ParseResult<Vec<u8>> {
    if !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ParseError::Syntax { token: format!("'X'{h}''"), position: 0 });
    }
    let padded = if h.len() % 2 == 1 { format!("0{h}") } else { h.to_string() };
    (0..padded.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&padded[i..i + 2], 16))
        .collect::<Result<Vec<u8>, _>>()
        .map_err(|_| ParseError::Syntax { token: format!("'X'{h}''"), position: 0 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(parse_number("1").ok(), Some(Literal::Integer(1)));
        assert_eq!(parse_number("3000000000").ok(), Some(Literal::Long(3_000_000_000)));
        assert_eq!(parse_number("10L").ok(), Some(Literal::Long(10)));
        assert_eq!(
            parse_number("1.50").ok(),
            Some(Literal::Decimal { value: 150, precision: 3, scale: 2 })
        );
        assert_eq!(
            parse_number("0.5").ok(),
            Some(Literal::Decimal { value: 5, precision: 1, scale: 1 })
        );
        assert_eq!(parse_number("1e2").ok(), Some(Literal::Double(100.0)));
        assert_eq!(parse_number("2D").ok(), Some(Literal::Double(2.0)));
        assert!(parse_number("300Y").is_err());
        assert_eq!(parse_negative_number("9223372036854775808L").ok(), Some(Literal::Long(i64::MIN)));
        assert_eq!(parse_negative_number("2147483648").ok(), Some(Literal::Integer(i32::MIN)));
        assert_eq!(parse_negative_number("128Y").ok(), Some(Literal::Byte(i8::MIN)));
        assert!(parse_negative_number("129Y").is_err());
        assert_eq!(parse_negative_number("1.5").ok(), Some(Literal::Decimal { value: -15, precision: 2, scale: 1 }));
    }
}
