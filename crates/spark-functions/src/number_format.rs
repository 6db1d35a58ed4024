//! Spark's number format strings for `to_number` / `try_to_number` and
//! `to_char` / `to_varchar` of numbers:
//! `[MI|S]` `[$]` `[0|9|G|,]*` `[.|D]` `[0|9]*` `[$]` `[PR|MI|S]`.
//!
//! Formatting follows Spark's rules: digit positions of a group that
//! starts with `0` show leading zeros, others spaces; a value with more
//! digits than the format on either side of the point is all `#`; a sign
//! moves right past the spaces before the digits; `PR` wraps negative
//! values in angle brackets; without any sign token the sign is dropped.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, Decimal128Array, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Decimal128Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// A sign token: `S` (always a sign) or `MI` (only `-`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Sign {
    PlusOrMinus,
    Minus,
}

/// Digits before the point between thousands separators; `exact` when the
/// group starts with `0` (its unused positions show zeros).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Group {
    digits: usize,
    exact: bool,
}

/// A parsed format.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NumberFormat {
    leading_sign: Option<Sign>,
    dollar: bool,
    groups: Vec<Group>,
    point: bool,
    fraction: usize,
    trailing_sign: Option<Sign>,
    angle_brackets: bool,
}

/// Why a format string is refused: Spark's `INVALID_FORMAT` subclass and
/// message parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    pub subclass: &'static str,
    pub message: String,
    pub params: Vec<(&'static str, String)>,
}

impl FormatError {
    fn new(format: &str, subclass: &'static str, detail: String, params: Vec<(&'static str, String)>) -> Self {
        let mut all = vec![("format", format!("'{format}'"))];
        all.extend(params);
        FormatError { subclass, message: format!("The format is invalid: '{format}'. {detail}"), params: all }
    }

    pub fn error_class(&self) -> String {
        format!("INVALID_FORMAT.{}", self.subclass)
    }
}

const STRUCTURE: &str = "`[MI|S]` `[$]` `[0|9|G|,]*` `[.|D]` `[0|9]*` `[$]` `[PR|MI|S]`";

impl NumberFormat {
    pub fn parse(format: &str) -> std::result::Result<Self, FormatError> {
        if format.is_empty() {
            return Err(FormatError::new(format, "EMPTY", "The number format string cannot be empty.".into(), vec![]));
        }
        let unexpected = |token: String| {
            FormatError::new(
                format,
                "UNEXPECTED_TOKEN",
                format!("Found the unexpected {token} in the format string; the structure of the format string must match: {STRUCTURE}."),
                vec![("token", token.clone())],
            )
        };
        let upper = format.to_ascii_uppercase();
        let mut rest = upper.as_str();
        let mut f = NumberFormat { leading_sign: None, dollar: false, groups: vec![], point: false, fraction: 0, trailing_sign: None, angle_brackets: false };
        if let Some(r) = rest.strip_prefix("MI") {
            f.leading_sign = Some(Sign::Minus);
            rest = r;
        } else if let Some(r) = rest.strip_prefix('S') {
            f.leading_sign = Some(Sign::PlusOrMinus);
            rest = r;
        }
        if let Some(r) = rest.strip_prefix('$') {
            f.dollar = true;
            rest = r;
        }
        if let Some(r) = rest.strip_suffix("PR") {
            f.angle_brackets = true;
            rest = r;
        } else if let Some(r) = rest.strip_suffix("MI") {
            f.trailing_sign = Some(Sign::Minus);
            rest = r;
        } else if let Some(r) = rest.strip_suffix('S') {
            f.trailing_sign = Some(Sign::PlusOrMinus);
            rest = r;
        }
        if let Some(r) = rest.strip_suffix('$') {
            if f.dollar {
                return Err(FormatError::new(format, "WRONG_NUM_TOKEN", "At most one $ is allowed in the number format.".into(), vec![("token", "$".into())]));
            }
            f.dollar = true;
            rest = r;
        }
        let mut current: Option<Group> = None;
        let mut chars = rest.chars();
        for c in chars.by_ref() {
            match c {
                '0' | '9' if !f.point => match current.as_mut() {
                    Some(g) => g.digits += 1,
                    None => current = Some(Group { digits: 1, exact: c == '0' }),
                },
                '0' | '9' => f.fraction += 1,
                ',' | 'G' if f.point => {
                    return Err(FormatError::new(
                        format,
                        "THOUSANDS_SEPS_MUST_BEFORE_DEC",
                        "Thousands separators (, or G) may not appear after the decimal point in the number format.".into(),
                        vec![],
                    ));
                }
                ',' | 'G' => match current.take() {
                    Some(g) => f.groups.push(g),
                    None => {
                        return Err(FormatError::new(
                            format,
                            "CONT_THOUSANDS_SEPS",
                            "Thousands separators (, or G) must have digits in between them in the number format.".into(),
                            vec![],
                        ));
                    }
                },
                '.' | 'D' if f.point => {
                    return Err(FormatError::new(format, "WRONG_NUM_TOKEN", "At most one . or D is allowed in the number format.".into(), vec![("token", ". or D".into())]));
                }
                '.' | 'D' => {
                    if let Some(g) = current.take() {
                        f.groups.push(g);
                    }
                    f.point = true;
                }
                '$' => {
                    return Err(FormatError::new(format, "CUR_MUST_BEFORE_DIGIT", "Currency characters must appear before digits in the number format.".into(), vec![]));
                }
                other => return Err(unexpected(format!("character '{other}''"))),
            }
        }
        if let Some(g) = current.take() {
            f.groups.push(g);
        }
        if f.int_digits() + f.fraction == 0 {
            return Err(FormatError::new(format, "WRONG_NUM_DIGIT", "The format string requires at least one number digit.".into(), vec![]));
        }
        Ok(f)
    }

    /// The decimal type `to_number` gives.
    pub fn decimal_type(&self) -> (u8, i8) {
        ((self.int_digits() + self.fraction).clamp(1, 38) as u8, self.fraction as i8)
    }

    fn int_digits(&self) -> usize {
        self.groups.iter().map(|g| g.digits).sum()
    }

    /// Parses `text` to an unscaled decimal of the format's scale.
    pub fn parse_number(&self, text: &str) -> Option<i128> {
        let mut t = text.trim();
        let mut negative = false;
        if self.angle_brackets {
            if let Some(inner) = t.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
                negative = true;
                t = inner;
            }
        }
        let mut take_sign = |t: &mut &str, sign: Option<Sign>, leading: bool| {
            let Some(sign) = sign else { return };
            let (minus, plus) = if leading { (t.strip_prefix('-'), t.strip_prefix('+')) } else { (t.strip_suffix('-'), t.strip_suffix('+')) };
            if let Some(r) = minus {
                negative = !negative;
                *t = r;
            } else if let (Some(r), Sign::PlusOrMinus) = (plus, sign) {
                *t = r;
            }
        };
        take_sign(&mut t, self.leading_sign, true);
        take_sign(&mut t, self.trailing_sign, false);
        if self.dollar {
            t = t.strip_prefix('$').or_else(|| t.strip_suffix('$'))?;
        }
        let (int_text, frac_text) = match t.split_once('.') {
            Some((a, b)) if self.point => (a, b),
            Some(_) => return None,
            None => (t, ""),
        };
        let grouped = self.groups.len() > 1;
        let int_digits: String = int_text.chars().filter(|c| !(grouped && *c == ',') && !c.is_whitespace()).collect();
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
        let digits = unscaled.unsigned_abs().to_string();
        let scale = scale.max(0) as usize;
        let padded = if digits.len() <= scale { format!("{}{digits}", "0".repeat(scale + 1 - digits.len())) } else { digits };
        let (int_part, frac_part) = padded.split_at(padded.len() - scale);
        let mut before: Vec<char> = int_part.trim_start_matches('0').chars().collect();
        let mut after: Vec<char> = frac_part.trim_end_matches('0').chars().collect();
        let (nb, na) = (self.int_digits(), self.fraction);
        if before.len() > nb || after.len() > na {
            before = vec!['#'; nb];
            after = vec!['#'; na];
        }
        let mut before_padded = vec![' '; nb - before.len()];
        before_padded.extend(before);
        after.resize(na, '0');

        let mut out: Vec<char> = Vec::new();
        if self.angle_brackets && negative {
            out.push('<');
        }
        if let Some(sign) = self.leading_sign {
            push_sign(&mut out, sign, negative);
        }
        if self.dollar {
            out.push('$');
        }
        let mut next = before_padded.into_iter();
        for (i, g) in self.groups.iter().enumerate() {
            if i > 0 {
                if out.last().is_some_and(|c| c.is_ascii_digit()) {
                    out.push(',');
                } else {
                    push_space(&mut out);
                }
            }
            for _ in 0..g.digits {
                match next.next() {
                    Some(' ') if g.exact => out.push('0'),
                    Some(' ') | None => push_space(&mut out),
                    Some(c) => out.push(c),
                }
            }
        }
        if self.point {
            if out.last() == Some(&' ') {
                out.pop();
                out.push('0');
            }
            out.push('.');
            out.extend(after);
        }
        if let Some(sign) = self.trailing_sign {
            push_sign(&mut out, sign, negative);
        }
        if self.angle_brackets {
            strip_lone_point(&mut out);
            if negative {
                push_moving_left(&mut out, '>');
            } else {
                out.push(' ');
                out.push(' ');
            }
        }
        strip_lone_point(&mut out);
        let text: String = out.into_iter().collect();
        if text.is_empty() || text == "+" || text == "-" { "0".into() } else { text }
    }
}

/// A sign token's output: `S` is `+` or `-`, `MI` `-` or a space.
fn push_sign(out: &mut Vec<char>, sign: Sign, negative: bool) {
    match (sign, negative) {
        (_, true) => {
            strip_lone_point(out);
            push_moving_left(out, '-');
        }
        (Sign::PlusOrMinus, false) => {
            strip_lone_point(out);
            push_moving_left(out, '+');
        }
        (Sign::Minus, false) => out.push(' '),
    }
}

/// `c`, moved left past the spaces before it (a sign sits by the digits).
fn push_moving_left(out: &mut Vec<char>, c: char) {
    out.push(c);
    let mut i = out.len() - 1;
    while i >= 1 && out[i - 1] == ' ' {
        out.swap(i - 1, i);
        i -= 1;
    }
}

/// A space, moved left past a sign or `<` before it.
fn push_space(out: &mut Vec<char>) {
    out.push(' ');
    let mut i = out.len() - 1;
    while i >= 1 && matches!(out[i - 1], '+' | '-' | '<') {
        out.swap(i - 1, i);
        i -= 1;
    }
}

/// A decimal point with nothing after it becomes a space.
fn strip_lone_point(out: &mut [char]) {
    if let Some(i) = out.iter().position(|c| *c == '.') {
        if i + 1 == out.len() || out[i + 1] == ' ' {
            out[i] = ' ';
        }
    }
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
    pub fn udf(format: &str, to_text: bool, fail: bool) -> std::result::Result<Arc<ScalarUDF>, FormatError> {
        let parsed = NumberFormat::parse(format)?;
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
                            format!("The format is invalid: '{}'. The input \"STRING\" '{}' does not match the format.", self.text, t.value(i)),
                        )
                        .param("format", format!("'{}'", self.text))
                        .param("inputType", "\"STRING\"")
                        .param("input", format!("'{}'", t.value(i)))
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

    fn format(f: &str, unscaled: i128, scale: i8) -> String {
        NumberFormat::parse(f).map(|f| f.format(unscaled, scale)).unwrap_or_else(|e| e.message)
    }

    #[test]
    fn formats_like_spark() {
        assert_eq!(format("99G999D9S", -124548, 1), "12,454.8-");
        assert_eq!(format("000D00", 45400, 2), "454.00");
        assert_eq!(format("$99.99", 7812, 2), "$78.12");
        assert_eq!(format("S999.99", -123, 1), " -12.30");
        assert_eq!(format("999.9", 123456, 3), "###.#");
        assert_eq!(format("99G99", 1234, 2), "## ##");
        assert_eq!(format("9", -5, 0), "5");
        assert_eq!(format("9MI", 5, 0), "5 ");
        assert_eq!(format("99.9PR", -55, 1), " <5.5>");
        assert_eq!(format("9PR", 5, 0), "5  ");
        assert_eq!(format("9", 0, 0), " ");
        assert_eq!(format("999.99", 0, 0), "  0.00");
        assert_eq!(format("0099", 12, 0), "0012");
        assert_eq!(format("90", 1, 0), " 1");
        assert_eq!(format("9.", 10, 0), "# ");
        assert_eq!(format(".9", 5, 1), ".5");
        assert_eq!(format("S0.9", -5, 1), "-0.5");
    }

    #[test]
    fn parses_like_spark() {
        let Ok(f) = NumberFormat::parse("99,999.9S") else { return };
        assert_eq!(f.decimal_type(), (6, 1));
        assert_eq!(f.parse_number("12,454.8-"), Some(-124548));
        let Ok(m) = NumberFormat::parse("$99.99") else { return };
        assert_eq!(m.parse_number("$78.12"), Some(7812));
        assert_eq!(NumberFormat::parse("L999").err().map(|e| e.subclass), Some("UNEXPECTED_TOKEN"));
    }
}
