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
        Some('d') => body.parse::<f64>().map(Literal::Double).map_err(|_| invalid_number(text, "double")),
        Some('f') => body.parse::<f32>().map(Literal::Float).map_err(|_| invalid_number(text, "float")),
        None if is_integral => {
            if let Ok(v) = body.parse::<i32>() {
                Ok(Literal::Integer(v))
            } else if let Ok(v) = body.parse::<i64>() {
                Ok(Literal::Long(v))
            } else {
                parse_decimal(body).ok_or_else(|| invalid_number(text, "decimal"))
            }
        }
        None if body.contains('e') => body.parse::<f64>().map(Literal::Double).map_err(|_| invalid_number(text, "double")),
        None => parse_decimal(body).ok_or_else(|| invalid_number(text, "decimal")),
        _ => Err(ParseError::Syntax { token: format!("'{text}'"), position: 0 }),
    }
}

/// A plain decimal literal: precision is the digit count, scale the fraction digits.
pub fn parse_decimal(body: &str) -> Option<Literal> {
    if body.contains('e') {
        return None;
    }
    let (int_part, frac_part) = match body.split_once('.') {
        Some((i, f)) => (i, f),
        None => (body, ""),
    };
    let digits = format!("{int_part}{frac_part}");
    let trimmed = digits.trim_start_matches('0');
    let value: i128 = if trimmed.is_empty() { 0 } else { trimmed.parse().ok()? };
    let scale = frac_part.len();
    let precision = trimmed.len().max(scale).max(1);
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
    }
}
