//! Spark's number format strings (`999`, `000D00`, `99G999`, `$99.99`,
//! `99,999.9S`) for `to_number`/`try_to_number` and `to_char`/`to_varchar`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Decimal128Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// A parsed format: digit positions before and after the decimal point.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NumberFormat {
    /// The integer part: `0`, `9` and `,` in order.
    integer: Vec<char>,
    fraction: usize,
    currency: bool,
    /// `S` before or after the digits, or `MI` after.
    sign: Option<SignAt>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum SignAt {
    Leading,
    Trailing,
    Minus,
}

impl NumberFormat {
    pub fn parse(format: &str) -> Option<Self> {
        let upper = format.to_ascii_uppercase();
        let mut s = upper.as_str();
        let mut sign = None;
        let mut currency = false;
        if let Some(rest) = s.strip_prefix('S') {
            sign = Some(SignAt::Leading);
            s = rest;
        }
        if let Some(rest) = s.strip_prefix('$') {
            currency = true;
            s = rest;
        }
        if let Some(rest) = s.strip_suffix("MI") {
            sign = Some(SignAt::Minus);
            s = rest;
        } else if let Some(rest) = s.strip_suffix('S') {
            sign = Some(SignAt::Trailing);
            s = rest;
        }
        let (int_part, frac_part) = match s.find(['.', 'D']) {
            Some(i) => (&s[..i], Some(&s[i + 1..])),
            None => (s, None),
        };
        let integer: Vec<char> = int_part.chars().map(|c| if c == 'G' { ',' } else { c }).collect();
        if integer.iter().any(|c| !matches!(c, '0' | '9' | ',')) {
            return None;
        }
        let fraction = match frac_part {
            Some(f) if f.chars().all(|c| c == '0' || c == '9') => f.len(),
            Some(_) => return None,
            None => 0,
        };
        Some(Self { integer, fraction, currency, sign })
    }

    /// The decimal type `to_number` gives.
    pub fn decimal_type(&self) -> (u8, i8) {
        let digits = self.integer.iter().filter(|c| **c != ',').count() + self.fraction;
        (digits.clamp(1, 38) as u8, self.fraction as i8)
    }

    fn int_digits(&self) -> usize {
        self.integer.iter().filter(|c| **c != ',').count()
    }

    /// Parses `text` to an unscaled decimal of the format's scale.
    pub fn parse_number(&self, text: &str) -> Option<i128> {
        let mut t = text.trim();
        let mut negative = false;
        match self.sign {
            Some(SignAt::Leading) => {
                if let Some(r) = t.strip_prefix('-') {
                    negative = true;
                    t = r;
                } else if let Some(r) = t.strip_prefix('+') {
                    t = r;
                }
            }
            Some(SignAt::Trailing) | Some(SignAt::Minus) => {
                if let Some(r) = t.strip_suffix('-') {
                    negative = true;
                    t = r;
                } else if let Some(r) = t.strip_suffix('+') {
                    t = r;
                }
            }
            None => {
                if let Some(r) = t.strip_prefix('-') {
                    negative = true;
                    t = r;
                }
            }
        }
        if self.currency {
            t = t.strip_prefix('$')?;
        }
        let (int_text, frac_text) = match t.split_once('.') {
            Some((a, b)) => (a, b),
            None => (t, ""),
        };
        let grouped = self.integer.contains(&',');
        let int_digits: String = int_text.chars().filter(|c| !(grouped && *c == ',')).collect();
        if !int_digits.chars().all(|c| c.is_ascii_digit()) || !frac_text.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if int_digits.len() > self.int_digits() || frac_text.len() > self.fraction || (int_digits.is_empty() && frac_text.is_empty()) {
            return None;
        }
        let mut v: i128 = if int_digits.is_empty() { 0 } else { int_digits.parse().ok()? };
        for i in 0..self.fraction {
            v = v.checked_mul(10)? + frac_text.as_bytes().get(i).map(|b| (b - b'0') as i128).unwrap_or(0);
        }
        Some(if negative { -v } else { v })
    }

    /// Formats an unscaled decimal of scale `scale`.
    pub fn format(&self, unscaled: i128, scale: i8) -> String {
        let negative = unscaled < 0;
        let v = unscaled.unsigned_abs();
        // Round HALF_UP to the format's fraction digits.
        let s = scale as i32;
        let f = self.fraction as i32;
        let v = if s > f {
            let div = 10u128.pow((s - f) as u32);
            let (q, r) = (v / div, v % div);
            if r * 2 >= div { q + 1 } else { q }
        } else {
            v * 10u128.pow((f - s) as u32)
        };
        let base = 10u128.pow(f as u32);
        let (int_value, frac_value) = (v / base, v % base);
        let digits = int_value.to_string();
        let digits: Vec<char> = if int_value == 0 { vec![] } else { digits.chars().collect() };
        let mut body = String::new();
        if digits.len() > self.int_digits() {
            // Too wide: Spark fills every digit position with '#'.
            body = self.integer.iter().map(|c| if *c == ',' { ',' } else { '#' }).collect();
        } else {
            let mut rev = digits.iter().rev();
            let mut out: Vec<char> = Vec::new();
            let zero_padded = self.integer.first() == Some(&'0');
            let mut remaining = digits.len();
            for c in self.integer.iter().rev() {
                if *c == ',' {
                    out.push(if remaining > 0 || zero_padded { ',' } else { ' ' });
                    continue;
                }
                match rev.next() {
                    Some(d) => {
                        out.push(*d);
                        remaining -= 1;
                    }
                    None if zero_padded || *c == '0' => out.push('0'),
                    None => out.push(' '),
                }
            }
            body.extend(out.iter().rev());
            if int_value == 0 && !body.contains('0') && self.fraction == 0 {
                body.pop();
                body.push('0');
            }
        }
        let body = body.trim_start().to_string();
        let mut text = if self.fraction > 0 { format!("{body}.{:0width$}", frac_value, width = self.fraction) } else { body };
        if self.currency {
            text = format!("${text}");
        }
        match self.sign {
            Some(SignAt::Leading) => format!("{}{text}", if negative { '-' } else { '+' }),
            Some(SignAt::Trailing) => format!("{text}{}", if negative { '-' } else { '+' }),
            Some(SignAt::Minus) => format!("{text}{}", if negative { '-' } else { ' ' }),
            None if negative => format!("-{text}"),
            None => text,
        }
    }
}

fn invalid_format(format: &str) -> datafusion::common::DataFusionError {
    SparkRuntimeError::new(RuntimeKind::IllegalArgument, "INVALID_FORMAT.WRONG_NUM_DIGIT", "42601", format!("The format is invalid: '{format}'."))
        .into_df()
}

/// `to_number(text, format)` (fails on a mismatch) and `try_to_number`
/// (NULL), or `to_char(number, format)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkNumberFormat {
    signature: Signature,
    format: NumberFormat,
    text: String,
    to_text: bool,
    fail: bool,
}

impl SparkNumberFormat {
    pub fn udf(format: &str, to_text: bool, fail: bool) -> Result<Arc<ScalarUDF>> {
        let parsed = NumberFormat::parse(format).ok_or_else(|| invalid_format(format))?;
        Ok(Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), format: parsed, text: format.to_string(), to_text, fail })))
    }
}

impl ScalarUDFImpl for SparkNumberFormat {
    fn name(&self) -> &str {
        if self.to_text { "spark_to_char" } else { "spark_to_number" }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        let (p, s) = self.format.decimal_type();
        Ok(if self.to_text { DataType::Utf8 } else { DataType::Decimal128(p, s) })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let scalar = matches!(args.args[0], ColumnarValue::Scalar(_));
        let input = args.args[0].to_array(n)?;
        let out: ArrayRef = if self.to_text {
            let (p, s) = match input.data_type() {
                DataType::Decimal128(p, s) => (*p, *s),
                _ => (38, 0),
            };
            let decimals = datafusion::arrow::compute::cast(&input, &DataType::Decimal128(p, s))?;
            let d = decimals.as_primitive::<Decimal128Type>();
            let mut b = StringBuilder::new();
            for i in 0..n {
                if d.is_null(i) {
                    b.append_null();
                } else {
                    b.append_value(self.format.format(d.value(i), s));
                }
            }
            Arc::new(b.finish())
        } else {
            let texts = datafusion::arrow::compute::cast(&input, &DataType::Utf8)?;
            let t = texts.as_string::<i32>();
            let (p, s) = self.format.decimal_type();
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                if t.is_null(i) {
                    values.push(None);
                    continue;
                }
                match self.format.parse_number(t.value(i)) {
                    Some(v) => values.push(Some(v)),
                    None if self.fail => {
                        return Err(SparkRuntimeError::new(
                            RuntimeKind::IllegalArgument,
                            "INVALID_FORMAT.MISMATCH_INPUT",
                            "42601",
                            format!("The input '{}' does not match the given number format: '{}'.", t.value(i), self.text),
                        )
                        .into_df());
                    }
                    None => values.push(None),
                }
            }
            Arc::new(Decimal128Array::from(values).with_precision_and_scale(p, s)?)
        };
        crate::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_formats_like_spark() {
        let Some(f) = NumberFormat::parse("99,999.9S") else { return };
        assert_eq!(f.decimal_type(), (6, 1));
        assert_eq!(f.parse_number("12,454.8-"), Some(-124548));
        let Some(g) = NumberFormat::parse("99G999D9S") else { return };
        assert_eq!(g.format(-124548, 1), "12,454.8-");
        let Some(h) = NumberFormat::parse("000D00") else { return };
        assert_eq!(h.format(45400, 2), "454.00");
        let Some(m) = NumberFormat::parse("$99.99") else { return };
        assert_eq!(m.format(7812, 2), "$78.12");
        assert_eq!(m.parse_number("$78.12"), Some(7812));
    }
}
