//! Spark's string functions over BINARY values, byte by byte: `contains`,
//! `startswith`, `endswith`, `left`, `lpad`, `rpad`, `reverse`, and the
//! base32 codecs `to_base32` / `from_base32`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryBuilder, BooleanArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::{arg_arrays, bytes_at, columnar};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BytesOp {
    Contains,
    StartsWith,
    EndsWith,
    /// `left(bin, n)`: the first n bytes.
    Left,
    /// `lpad` / `rpad` (bin, len, pad).
    PadLeft,
    PadRight,
    Reverse,
    ToBase32,
    FromBase32,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkBytes {
    signature: Signature,
    op: BytesOp,
}

impl SparkBytes {
    pub fn udf(op: BytesOp) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable), op }))
    }
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// RFC 4648 base32 with `=` padding.
pub fn base32_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(5) * 8);
    for chunk in data.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let bits = buf.iter().fold(0u64, |acc, b| (acc << 8) | *b as u64);
        let chars = (chunk.len() * 8).div_ceil(5);
        for k in 0..8 {
            if k < chars {
                out.push(BASE32[((bits >> (35 - 5 * k)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes base32, ignoring padding; None on a character outside the alphabet.
pub fn base32_decode(text: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut acc, mut n) = (0u64, 0u32);
    for &c in text.iter().filter(|c| **c != b'=') {
        let v = BASE32.iter().position(|x| *x == c.to_ascii_uppercase())? as u64;
        acc = (acc << 5) | v;
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((acc >> n) as u8);
            acc &= (1 << n) - 1;
        }
    }
    Some(out)
}

/// `pad` repeated to fill `len - s.len()` bytes, on one side of `s`.
fn pad(s: &[u8], len: i64, fill: &[u8], left: bool) -> Vec<u8> {
    let len = len.max(0) as usize;
    if s.len() >= len {
        return s[..len].to_vec();
    }
    if fill.is_empty() {
        return s.to_vec();
    }
    let filler: Vec<u8> = fill.iter().copied().cycle().take(len - s.len()).collect();
    if left { [filler.as_slice(), s].concat() } else { [s, filler.as_slice()].concat() }
}

impl ScalarUDFImpl for SparkBytes {
    fn name(&self) -> &str {
        match self.op {
            BytesOp::Contains => "contains",
            BytesOp::StartsWith => "startswith",
            BytesOp::EndsWith => "endswith",
            BytesOp::Left => "left",
            BytesOp::PadLeft => "lpad",
            BytesOp::PadRight => "rpad",
            BytesOp::Reverse => "reverse",
            BytesOp::ToBase32 => "to_base32",
            BytesOp::FromBase32 => "from_base32",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.op {
            BytesOp::Contains | BytesOp::StartsWith | BytesOp::EndsWith => DataType::Boolean,
            BytesOp::ToBase32 => DataType::Utf8,
            _ => DataType::Binary,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let (arrays, scalar) = arg_arrays(&args)?;
        let arg = |k: usize| -> Result<&ArrayRef> {
            match arrays.get(k) {
                Some(a) => Ok(a),
                None => exec_err!("{} is missing argument {}", self.name(), k + 1),
            }
        };
        let first = arg(0)?;
        let out: ArrayRef = match self.op {
            BytesOp::Contains | BytesOp::StartsWith | BytesOp::EndsWith => {
                let second = arg(1)?;
                let v: BooleanArray = (0..n)
                    .map(|i| {
                        let (a, b) = (bytes_at(first.as_ref(), i)?, bytes_at(second.as_ref(), i)?);
                        Some(match self.op {
                            BytesOp::Contains => b.is_empty() || a.windows(b.len()).any(|w| w == b),
                            BytesOp::StartsWith => a.starts_with(b),
                            _ => a.ends_with(b),
                        })
                    })
                    .collect();
                Arc::new(v)
            }
            BytesOp::ToBase32 => {
                let mut b = StringBuilder::with_capacity(n, n * 8);
                for i in 0..n {
                    b.append_option(bytes_at(first.as_ref(), i).map(base32_encode));
                }
                Arc::new(b.finish())
            }
            _ => {
                let lengths = match self.op {
                    BytesOp::Left | BytesOp::PadLeft | BytesOp::PadRight => {
                        Some(datafusion::arrow::compute::cast(arg(1)?, &DataType::Int64)?)
                    }
                    _ => None,
                };
                let lengths = lengths.as_ref().map(|l| l.as_primitive::<Int64Type>());
                let mut b = BinaryBuilder::with_capacity(n, 0);
                for i in 0..n {
                    let Some(s) = bytes_at(first.as_ref(), i) else {
                        b.append_null();
                        continue;
                    };
                    let len = lengths.and_then(|l| (!l.is_null(i)).then(|| l.value(i)));
                    let value = match self.op {
                        BytesOp::Reverse => Some(s.iter().rev().copied().collect()),
                        BytesOp::FromBase32 => base32_decode(s),
                        BytesOp::Left => len.map(|l| s[..(l.max(0) as usize).min(s.len())].to_vec()),
                        _ => {
                            let fill = match arrays.get(2) {
                                Some(f) => bytes_at(f.as_ref(), i),
                                None => Some(&[0u8][..]),
                            };
                            match (len, fill) {
                                (Some(l), Some(f)) => Some(pad(s, l, f, self.op == BytesOp::PadLeft)),
                                _ => None,
                            }
                        }
                    };
                    b.append_option(value);
                }
                Arc::new(b.finish())
            }
        };
        columnar(out, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_round_trip() {
        assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI======");
        assert_eq!(base32_decode(b"MZXW6YTBOI======").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(base32_encode(b""), "");
        assert_eq!(base32_decode(b"!!"), None);
    }

    #[test]
    fn pads_like_spark() {
        assert_eq!(pad(&[0xaa, 0xbb], 5, &[0x11, 0x22], true), vec![0x11, 0x22, 0x11, 0xaa, 0xbb]);
        assert_eq!(pad(&[0xaa, 0xbb], 5, &[0], false), vec![0xaa, 0xbb, 0, 0, 0]);
        assert_eq!(pad(&[0xaa, 0xbb], 1, &[0], false), vec![0xaa]);
    }
}
