//! `encode(str, charset)` and `decode(bin, charset)` with the character
//! sets Spark 4 accepts (`us-ascii`, `iso-8859-1`, `utf-8`, `utf-16`,
//! `utf-16be`, `utf-16le`, `utf-32`). Unmappable characters and malformed
//! bytes are errors (MALFORMED_CHARACTER_CODING), as in Spark.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryBuilder, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    UsAscii,
    Latin1,
    Utf8,
    /// Big-endian with a byte order mark when encoding; the mark, if any,
    /// decides the order when decoding.
    Utf16,
    Utf16Be,
    Utf16Le,
    Utf32,
}

/// The names Spark accepts, in its message's order.
const NAMES: &str = "iso-8859-1, us-ascii, utf-16, utf-16be, utf-16le, utf-32, utf-8";

impl Charset {
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "us-ascii" => Charset::UsAscii,
            "iso-8859-1" => Charset::Latin1,
            "utf-8" => Charset::Utf8,
            "utf-16" => Charset::Utf16,
            "utf-16be" => Charset::Utf16Be,
            "utf-16le" => Charset::Utf16Le,
            "utf-32" => Charset::Utf32,
            _ => return None,
        })
    }

    /// Java's canonical name, which Spark's messages print.
    fn java_name(self) -> &'static str {
        match self {
            Charset::UsAscii => "US-ASCII",
            Charset::Latin1 => "ISO-8859-1",
            Charset::Utf8 => "UTF-8",
            Charset::Utf16 => "UTF-16",
            Charset::Utf16Be => "UTF-16BE",
            Charset::Utf16Le => "UTF-16LE",
            Charset::Utf32 => "UTF-32",
        }
    }

    /// The bytes of `s`, or `None` for a character the set cannot hold.
    pub fn encode(self, s: &str) -> Option<Vec<u8>> {
        let units = |order: fn(u16) -> [u8; 2], bom: bool| {
            let mut out = if bom { order(0xFEFF).to_vec() } else { vec![] };
            for u in s.encode_utf16() {
                out.extend(order(u));
            }
            out
        };
        match self {
            Charset::Utf8 => Some(s.as_bytes().to_vec()),
            Charset::UsAscii => s.chars().map(|c| u8::try_from(c as u32).ok().filter(|b| *b < 0x80)).collect(),
            Charset::Latin1 => s.chars().map(|c| u8::try_from(c as u32).ok()).collect(),
            Charset::Utf16 => Some(units(u16::to_be_bytes, true)),
            Charset::Utf16Be => Some(units(u16::to_be_bytes, false)),
            Charset::Utf16Le => Some(units(u16::to_le_bytes, false)),
            Charset::Utf32 => Some(s.chars().flat_map(|c| (c as u32).to_be_bytes()).collect()),
        }
    }

    /// The text of `bytes`, or `None` for bytes that are no text in the set.
    pub fn decode(self, bytes: &[u8]) -> Option<String> {
        match self {
            Charset::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_string),
            Charset::UsAscii => bytes.iter().map(|b| (*b < 0x80).then_some(*b as char)).collect(),
            Charset::Latin1 => Some(bytes.iter().map(|b| *b as char).collect()),
            Charset::Utf16 => match bytes {
                [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
                [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
                _ => utf16(bytes, u16::from_be_bytes),
            },
            Charset::Utf16Be => utf16(bytes, u16::from_be_bytes),
            Charset::Utf16Le => utf16(bytes, u16::from_le_bytes),
            Charset::Utf32 => {
                let (rest, order): (&[u8], fn([u8; 4]) -> u32) = match bytes {
                    [0x00, 0x00, 0xFE, 0xFF, rest @ ..] => (rest, u32::from_be_bytes),
                    [0xFF, 0xFE, 0x00, 0x00, rest @ ..] => (rest, u32::from_le_bytes),
                    _ => (bytes, u32::from_be_bytes),
                };
                if rest.len() % 4 != 0 {
                    return None;
                }
                rest.chunks_exact(4).map(|c| char::from_u32(order([c[0], c[1], c[2], c[3]]))).collect()
            }
        }
    }
}

fn utf16(bytes: &[u8], order: fn([u8; 2]) -> u16) -> Option<String> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| order([c[0], c[1]])).collect();
    String::from_utf16(&units).ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    Encode,
    Decode,
}

impl Direction {
    fn function(self) -> &'static str {
        match self {
            Direction::Encode => "encode",
            Direction::Decode => "decode",
        }
    }
}

fn unknown_charset(direction: Direction, name: &str) -> datafusion::error::DataFusionError {
    let function = direction.function();
    SparkRuntimeError::new(
        RuntimeKind::IllegalArgument,
        "INVALID_PARAMETER_VALUE.CHARSET",
        "22023",
        format!("The value of parameter(s) `charset` in `{function}` is invalid: expects one of the {NAMES}, but got {name}."),
    )
    .param("parameter", "`charset`")
    .param("functionName", format!("`{function}`"))
    .param("charsets", NAMES)
    .param("charset", name)
    .into_df()
}

fn malformed(direction: Direction, charset: Charset) -> datafusion::error::DataFusionError {
    let function = direction.function();
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "MALFORMED_CHARACTER_CODING",
        "22000",
        format!("Invalid value found when performing `{function}` with {}", charset.java_name()),
    )
    .param("function", format!("`{function}`"))
    .param("charset", charset.java_name())
    .into_df()
}

/// `encode(string, charset)` → binary, `decode(binary, charset)` → string.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkCharsetCodec {
    signature: Signature,
    direction: Direction,
}

impl SparkCharsetCodec {
    pub fn udf(direction: Direction) -> Arc<ScalarUDF> {
        let input = match direction {
            Direction::Encode => DataType::Utf8,
            Direction::Decode => DataType::Binary,
        };
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::exact(vec![input, DataType::Utf8], Volatility::Immutable), direction }))
    }
}

impl ScalarUDFImpl for SparkCharsetCodec {
    fn name(&self) -> &str {
        match self.direction {
            Direction::Encode => "spark_encode",
            Direction::Decode => "spark_decode",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.direction {
            Direction::Encode => DataType::Binary,
            Direction::Decode => DataType::Utf8,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let [values, charsets] = arrays.as_slice() else { return exec_err!("{} expects two arguments", self.name()) };
        let Some(charsets) = charsets.as_string_opt::<i32>() else { return exec_err!("{} expects a charset name", self.name()) };
        let mut cached: Option<(String, Charset)> = None;
        let mut charset_at = |i: usize| -> Result<Charset> {
            let name = charsets.value(i);
            if let Some((n, c)) = &cached {
                if n == name {
                    return Ok(*c);
                }
            }
            let c = Charset::parse(name).ok_or_else(|| unknown_charset(self.direction, name))?;
            cached = Some((name.to_string(), c));
            Ok(c)
        };
        let out: ArrayRef = match self.direction {
            Direction::Encode => {
                let Some(strings) = values.as_string_opt::<i32>() else { return exec_err!("encode expects a string") };
                let mut b = BinaryBuilder::with_capacity(strings.len(), strings.value_data().len());
                for i in 0..strings.len() {
                    if strings.is_null(i) || charsets.is_null(i) {
                        b.append_null();
                        continue;
                    }
                    let c = charset_at(i)?;
                    b.append_value(c.encode(strings.value(i)).ok_or_else(|| malformed(self.direction, c))?);
                }
                Arc::new(b.finish())
            }
            Direction::Decode => {
                let Some(bytes) = values.as_binary_opt::<i32>() else { return exec_err!("decode expects binary") };
                let mut b = StringBuilder::with_capacity(bytes.len(), bytes.value_data().len());
                for i in 0..bytes.len() {
                    if bytes.is_null(i) || charsets.is_null(i) {
                        b.append_null();
                        continue;
                    }
                    let c = charset_at(i)?;
                    b.append_value(c.decode(bytes.value(i)).ok_or_else(|| malformed(self.direction, c))?);
                }
                Arc::new(b.finish())
            }
        };
        crate::columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_as_java() {
        assert_eq!(Charset::Utf16.encode("a"), Some(vec![0xFE, 0xFF, 0x00, 0x61]));
        assert_eq!(Charset::Utf16Le.encode("a"), Some(vec![0x61, 0x00]));
        assert_eq!(Charset::Utf32.encode("€"), Some(vec![0, 0, 0x20, 0xAC]));
        assert_eq!(Charset::Latin1.encode("é"), Some(vec![0xE9]));
        assert_eq!(Charset::Latin1.encode("€"), None);
        assert_eq!(Charset::UsAscii.encode("é"), None);
    }

    #[test]
    fn decodes_with_byte_order_marks() {
        assert_eq!(Charset::Utf16.decode(&[0xFF, 0xFE, 0x61, 0x00]).as_deref(), Some("a"));
        assert_eq!(Charset::Utf16.decode(&[0x00, 0x61]).as_deref(), Some("a"));
        assert_eq!(Charset::Utf16.decode(&[0x61]), None);
        assert_eq!(Charset::Utf8.decode(&[0xFF]), None);
        assert_eq!(Charset::UsAscii.decode(&[0xE9]), None);
        assert_eq!(Charset::Latin1.decode(&[0xE9]).as_deref(), Some("é"));
    }
}
