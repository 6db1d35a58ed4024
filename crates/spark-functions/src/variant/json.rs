//! JSON text ↔ variant. Parsing follows Jackson's strict grammar, as
//! Spark's `parse_json` (the first JSON value is read, what follows it is
//! ignored; duplicate keys, leading zeros, NaN and trailing commas are
//! errors). Integers become the narrowest integer; other numbers without
//! an exponent become decimals when they fit 38 digits; the rest doubles.
//! Printing is Spark's `Variant.toJson`.

use super::builder::VariantBuilder;
use super::encoding::{Kind, MAX_DECIMAL16_PRECISION, Scalar, Variant, VariantResult, decimal_digits};
use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::time_zone::ZoneKind;

/// Jackson's default nesting limit.
const MAX_DEPTH: usize = 1000;

/// Why a text is not JSON (the message is not shown: Spark reports the
/// record).
#[derive(Debug)]
pub struct NotJson;

/// MALFORMED_RECORD_IN_PARSING for `text`.
pub fn malformed_record(text: &str) -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Spark,
        "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION",
        "22023",
        format!("Malformed records are detected in record parsing: {text}."),
    )
    .param("badRecord", text)
    .param("failFastMode", "FAILFAST")
}

struct Parser<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.text.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn value(&mut self, b: &mut VariantBuilder, depth: usize) -> Result<(), NotJson> {
        if depth > MAX_DEPTH {
            return Err(NotJson);
        }
        self.skip_space();
        match self.peek().ok_or(NotJson)? {
            b'{' => {
                self.pos += 1;
                let start = b.position();
                let mut fields = Vec::new();
                self.skip_space();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                } else {
                    loop {
                        self.skip_space();
                        if self.peek() != Some(b'"') {
                            return Err(NotJson);
                        }
                        let key = self.string()?;
                        self.skip_space();
                        if self.peek() != Some(b':') {
                            return Err(NotJson);
                        }
                        self.pos += 1;
                        fields.push(b.field(start, &key));
                        self.value(b, depth + 1)?;
                        self.skip_space();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(b'}') => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(NotJson),
                        }
                    }
                }
                b.finish_object(start, fields).map_err(|_| NotJson)
            }
            b'[' => {
                self.pos += 1;
                let start = b.position();
                let mut offsets = Vec::new();
                self.skip_space();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                } else {
                    loop {
                        offsets.push(b.position() - start);
                        self.value(b, depth + 1)?;
                        self.skip_space();
                        match self.peek() {
                            Some(b',') => self.pos += 1,
                            Some(b']') => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(NotJson),
                        }
                    }
                }
                b.finish_array(start, &offsets);
                Ok(())
            }
            b'"' => {
                let s = self.string()?;
                b.append_string(&s);
                Ok(())
            }
            b't' => self.literal(b"true").map(|()| b.append_boolean(true)),
            b'f' => self.literal(b"false").map(|()| b.append_boolean(false)),
            b'n' => self.literal(b"null").map(|()| b.append_null()),
            b'-' | b'0'..=b'9' => self.number(b),
            _ => Err(NotJson),
        }
    }

    /// A keyword, which must not run on into more letters.
    fn literal(&mut self, word: &[u8]) -> Result<(), NotJson> {
        if !self.text[self.pos..].starts_with(word) {
            return Err(NotJson);
        }
        self.pos += word.len();
        if self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_') {
            return Err(NotJson);
        }
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let from = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - from
    }

    fn number(&mut self, b: &mut VariantBuilder) -> Result<(), NotJson> {
        let from = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 || (n > 1 && self.text[int_start] == b'0') {
            return Err(NotJson);
        }
        let mut fraction = false;
        let mut exponent = false;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(NotJson);
            }
            fraction = true;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(NotJson);
            }
            exponent = true;
        }
        if self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_') {
            return Err(NotJson);
        }
        let text = std::str::from_utf8(&self.text[from..self.pos]).map_err(|_| NotJson)?;
        if !fraction && !exponent {
            if let Ok(v) = text.parse::<i64>() {
                b.append_long(v);
                return Ok(());
            }
        }
        if !exponent {
            if let Some((unscaled, scale)) = plain_decimal(text) {
                b.append_decimal(unscaled, scale);
                return Ok(());
            }
        }
        b.append_double(text.parse::<f64>().map_err(|_| NotJson)?);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16, NotJson> {
        let h = self.text.get(self.pos..self.pos + 4).ok_or(NotJson)?;
        let s = std::str::from_utf8(h).map_err(|_| NotJson)?;
        let v = u16::from_str_radix(s, 16).map_err(|_| NotJson)?;
        self.pos += 4;
        Ok(v)
    }

    /// A string (the opening quote is at the cursor).
    fn string(&mut self) -> Result<String, NotJson> {
        self.pos += 1;
        let mut out: Vec<u16> = Vec::new();
        let mut plain = String::new();
        loop {
            let c = self.peek().ok_or(NotJson)?;
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    if !plain.is_empty() {
                        out.extend(plain.encode_utf16());
                        plain.clear();
                    }
                    self.pos += 1;
                    let e = self.peek().ok_or(NotJson)?;
                    self.pos += 1;
                    let unit = match e {
                        b'"' => u16::from(b'"'),
                        b'\\' => u16::from(b'\\'),
                        b'/' => u16::from(b'/'),
                        b'b' => 8,
                        b'f' => 12,
                        b'n' => 10,
                        b'r' => 13,
                        b't' => 9,
                        b'u' => self.hex4()?,
                        _ => return Err(NotJson),
                    };
                    out.push(unit);
                }
                c if c < 0x20 => return Err(NotJson),
                _ => {
                    // One UTF-8 character.
                    let rest = std::str::from_utf8(&self.text[self.pos..]).map_err(|_| NotJson)?;
                    let ch = rest.chars().next().ok_or(NotJson)?;
                    plain.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
        if out.is_empty() {
            return Ok(plain);
        }
        out.extend(plain.encode_utf16());
        // Unpaired surrogates become '?', as Java's UTF-8 encoder writes them.
        Ok(char::decode_utf16(out).map(|r| r.unwrap_or('?')).collect())
    }
}

/// A number in plain notation as a decimal of at most 38 digits and scale
/// (`BigDecimal` precision and scale), if it fits.
pub fn plain_decimal(text: &str) -> Option<(i128, u8)> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = format!("{int}{frac}");
    let trimmed = digits.trim_start_matches('0');
    let scale = frac.len();
    if trimmed.len() > MAX_DECIMAL16_PRECISION as usize || scale > MAX_DECIMAL16_PRECISION as usize {
        return None;
    }
    let magnitude: i128 = if trimmed.is_empty() { 0 } else { trimmed.parse().ok()? };
    let unscaled = if negative { -magnitude } else { magnitude };
    if decimal_digits(unscaled) > MAX_DECIMAL16_PRECISION {
        return None;
    }
    Some((unscaled, scale as u8))
}

/// Parses JSON text into a variant (value, metadata).
pub fn parse_json(text: &str) -> Result<(Vec<u8>, Vec<u8>), SparkRuntimeError> {
    let mut b = VariantBuilder::new();
    let mut p = Parser { text: text.as_bytes(), pos: 0 };
    p.value(&mut b, 0).map_err(|_| malformed_record(text))?;
    b.finish("parse_json")
}

/// How times print inside JSON: the session zone of TIMESTAMP values.
#[derive(Debug, Clone, Copy)]
pub struct JsonZone<'a> {
    pub name: &'a str,
    pub zone: ZoneKind,
}

impl<'a> JsonZone<'a> {
    pub fn new(name: &'a str) -> Self {
        Self { name, zone: crate::time_zone::parse_zone(name).unwrap_or(ZoneKind::Fixed(0)) }
    }
}

/// A string as a JSON string literal, escaped as Jackson escapes.
pub fn quote(s: &str, out: &mut String) {
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 0x3F) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A decimal in plain notation (`BigDecimal.toPlainString`).
pub fn plain_decimal_text(unscaled: i128, scale: u8) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let sign = if unscaled < 0 { "-" } else { "" };
    let scale = scale as usize;
    if scale == 0 {
        return format!("{sign}{digits}");
    }
    let padded = if digits.len() <= scale { format!("{}{digits}", "0".repeat(scale + 1 - digits.len())) } else { digits };
    let (int, frac) = padded.split_at(padded.len() - scale);
    format!("{sign}{int}.{frac}")
}

/// A timestamp as Spark prints it inside variant JSON: session wall time
/// with the zone's offset (`2024-01-01 10:00:00.123+00:00`).
pub fn timestamp_text(micros: i64, zone: JsonZone<'_>) -> String {
    let wall = zone.zone.instant_to_wall(micros).unwrap_or(micros);
    let offset_secs = (wall - micros).div_euclid(1_000_000);
    let base = crate::value_text::format_timestamp(wall, None);
    let sign = if offset_secs < 0 { '-' } else { '+' };
    let a = offset_secs.abs();
    let (h, m, s) = (a / 3600, (a / 60) % 60, a % 60);
    if s == 0 { format!("{base}{sign}{h:02}:{m:02}") } else { format!("{base}{sign}{h:02}:{m:02}:{s:02}") }
}

fn uuid_text(b: &[u8; 16]) -> String {
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// Appends the JSON text of `v`.
pub fn write_json(v: Variant<'_>, zone: JsonZone<'_>, out: &mut String) -> VariantResult<()> {
    match v.kind()? {
        Kind::Object => {
            out.push('{');
            for i in 0..v.object_size()? {
                if i > 0 {
                    out.push(',');
                }
                let (k, child) = v.field_at(i)?;
                quote(k, out);
                out.push(':');
                write_json(child, zone, out)?;
            }
            out.push('}');
        }
        Kind::Array => {
            out.push('[');
            for i in 0..v.array_size()? {
                if i > 0 {
                    out.push(',');
                }
                if let Some(child) = v.element_at(i)? {
                    write_json(child, zone, out)?;
                }
            }
            out.push(']');
        }
        _ => match v.scalar()? {
            Scalar::Null => out.push_str("null"),
            Scalar::Boolean(b) => out.push_str(if b { "true" } else { "false" }),
            Scalar::Long(l) => out.push_str(&l.to_string()),
            Scalar::String(s) => quote(s, out),
            Scalar::Double(d) => out.push_str(&spark_plan::format::java_double(d)),
            Scalar::Float(f) => out.push_str(&spark_plan::format::java_float(f)),
            Scalar::Decimal { unscaled, scale } => out.push_str(&plain_decimal_text(unscaled, scale)),
            Scalar::Date(d) => quote(&crate::value_text::format_date(d), out),
            Scalar::Timestamp(t) => quote(&timestamp_text(t, zone), out),
            Scalar::TimestampNtz(t) => quote(&crate::value_text::format_timestamp(t, None), out),
            Scalar::TimestampNanos(n) => quote(&timestamp_text(n.div_euclid(1000), zone), out),
            Scalar::TimestampNanosNtz(n) => quote(&crate::value_text::format_timestamp(n.div_euclid(1000), None), out),
            Scalar::Binary(b) => quote(&base64(b), out),
            Scalar::Uuid(u) => quote(&uuid_text(&u), out),
        },
    }
    Ok(())
}

/// The JSON text of `v`.
pub fn to_json(v: Variant<'_>, zone: JsonZone<'_>) -> VariantResult<String> {
    let mut out = String::new();
    write_json(v, zone, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Vec<u8>, Vec<u8>) {
        parse_json(text).expect("valid JSON")
    }

    #[test]
    fn encodes_as_spark() {
        // Recorded from Spark 4.3.
        assert_eq!(parsed(r#"{"a":1,"b":0.8}"#), (b"\x02\x02\x00\x01\x00\x02\x08\x0c\x01\x20\x01\x08\x00\x00\x00".to_vec(), b"\x01\x02\x00\x01\x02ab".to_vec()));
        assert_eq!(parsed(r#"{"b":1,"a":2}"#).0, b"\x02\x02\x01\x00\x02\x00\x04\x0c\x01\x0c\x02".to_vec());
        assert_eq!(parsed("1.50").0, b"\x20\x02\x96\x00\x00\x00".to_vec());
        assert_eq!(parsed("-0").0, b"\x0c\x00".to_vec());
        assert_eq!(parsed("1e2").0[0], 0x1c);
        assert_eq!(parsed("0.000000000000000000000000000000000000001").0[0], 0x1c);
        assert_eq!(parsed("12345678901234567890").0[0], 0x28);
        assert_eq!(parsed("1 2").0, b"\x0c\x01".to_vec());
    }

    #[test]
    fn refuses_what_jackson_refuses() {
        for bad in ["", "  ", "01", "[1,]", "NaN", r#"{"a":1,"a":2}"#, "1x", "tru", "\"a\nb\"", "-", "1.", ".5"] {
            assert!(parse_json(bad).is_err(), "{bad}");
        }
        let deep = "[".repeat(2000);
        assert!(parse_json(&deep).is_err());
    }

    #[test]
    fn prints_as_spark() {
        let (v, m) = parsed(r#"{"b":1,"a":[1,2.5,"x\u0001",null,true,1e300,100.0]}"#);
        let text = to_json(Variant::new(&v, &m), JsonZone::new("UTC")).expect("readable");
        assert_eq!(text, r#"{"a":[1,2.5,"x\u0001",null,true,1.0E300,100],"b":1}"#);
        assert_eq!(base64(&[1, 2, 255]), "AQL/");
        assert_eq!(plain_decimal_text(-5, 3), "-0.005");
    }
}
