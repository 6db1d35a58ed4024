//! `to_binary(s, 'hex' | 'base64')` and `try_to_binary`: text decoded as
//! Spark decodes it. Hex of odd length reads with a leading zero nibble;
//! base64 is checked as Spark's `UnBase64` checks it (the alphabet, at most
//! two `=` at the end, whitespace ignored) and decoded as Java's MIME
//! decoder does. Malformed text is `CONVERSION_INVALID_INPUT`, or NULL for
//! `try_to_binary`.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, AsArray, BinaryBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    Hex,
    Base64,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkToBinary {
    signature: Signature,
    encoding: TextEncoding,
    fail_on_error: bool,
}

impl SparkToBinary {
    pub fn udf(encoding: TextEncoding, fail_on_error: bool) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), encoding, fail_on_error }))
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Spark's `unhex`: pairs of hex digits, a leading zero nibble for odd length.
pub fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len().div_ceil(2));
    let mut rest = bytes;
    if bytes.len() % 2 == 1 {
        out.push(hex_value(bytes[0])?);
        rest = &bytes[1..];
    }
    for pair in rest.chunks(2) {
        out.push(hex_value(pair[0])? << 4 | hex_value(pair[1])?);
    }
    Some(out)
}

fn base64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Whether Spark's `UnBase64` accepts `text`: alphabet characters, then at
/// most two `=`, whitespace anywhere; the padded length a multiple of four.
fn valid_base64(text: &str) -> bool {
    let (mut count, mut padding) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        if c == '=' {
            padding += 1;
            if padding > 2 {
                return false;
            }
        } else if padding > 0 || !c.is_ascii() || base64_value(c as u8).is_none() {
            return false;
        }
        count += 1;
    }
    count % 4 != 1 && (padding == 0 || count % 4 == 0)
}

/// Java's MIME decoder: characters outside the alphabet are skipped, the
/// input ends at the first `=`.
pub fn decode_base64(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut held) = (0u32, 0u32);
    for b in text.bytes() {
        if b == b'=' {
            break;
        }
        let Some(v) = base64_value(b) else { continue };
        bits = (bits << 6) | u32::from(v);
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
            bits &= (1 << held) - 1;
        }
    }
    out
}

fn malformed(text: &str, encoding: TextEncoding) -> SparkRuntimeError {
    let format = if encoding == TextEncoding::Hex { "HEX" } else { "BASE64" };
    SparkRuntimeError::new(
        RuntimeKind::IllegalArgument,
        "CONVERSION_INVALID_INPUT",
        "22018",
        format!("The value '{text}' ('{format}') cannot be converted to \"BINARY\" because it is malformed. Correct the value as per the syntax, or change its format. Use `try_to_binary` to tolerate malformed input and return NULL instead."),
    )
    .param("str", format!("'{text}'"))
    .param("fmt", format!("'{format}'"))
    .param("targetType", "\"BINARY\"")
    .param("suggestion", "`try_to_binary`")
}

impl ScalarUDFImpl for SparkToBinary {
    fn name(&self) -> &str {
        "to_binary"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let text = datafusion::arrow::compute::cast(&arrays[0], &DataType::Utf8)?;
        let mut out = BinaryBuilder::new();
        for value in text.as_string::<i32>().iter() {
            let Some(t) = value else {
                out.append_null();
                continue;
            };
            let decoded = match self.encoding {
                TextEncoding::Hex => decode_hex(t),
                TextEncoding::Base64 => valid_base64(t).then(|| decode_base64(t)),
            };
            match decoded {
                Some(bytes) => out.append_value(bytes),
                None if self.fail_on_error => return Err(malformed(t, self.encoding).into_df()),
                None => out.append_null(),
            }
        }
        crate::columnar(Arc::new(out.finish()) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_like_spark() {
        assert_eq!(decode_hex("616263"), Some(b"abc".to_vec()));
        assert_eq!(decode_hex("616"), Some(vec![0x06, 0x16]));
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_base64("YWJj"), b"abc".to_vec());
        assert_eq!(decode_base64("YWI="), b"ab".to_vec());
        assert_eq!(decode_base64("YW Jj"), b"abc".to_vec());
        assert!(valid_base64("YWI=") && valid_base64("YWJj") && valid_base64(""));
        assert!(!valid_base64("@@") && !valid_base64("YW=j") && !valid_base64("Y") && !valid_base64("YWI==="));
    }
}
