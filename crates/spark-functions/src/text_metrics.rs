//! `conv` (base conversion through an unsigned 64-bit value, as Spark's
//! `NumberConverter`), `jaro_winkler_similarity` and `hmac`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryBuilder, Float64Builder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Int64Type};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::{arg_arrays, bytes_at, columnar};

/// Spark's `conv(num, from_base, to_base)`: None for bad bases or empty
/// input; digits stop at the first invalid character; a negative `to_base`
/// prints a signed result. `Err` on overflow (ANSI).
pub fn conv(n: &str, from: i64, to: i64) -> std::result::Result<Option<String>, ()> {
    if !(2..=36).contains(&from) || !(2..=36).contains(&to.abs()) || n.is_empty() {
        return Ok(None);
    }
    let (mut negative, digits) = match n.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, n),
    };
    let mut v: u64 = 0;
    for ch in digits.chars() {
        let Some(d) = ch.to_digit(36).filter(|d| (*d as i64) < from) else { break };
        v = v.checked_mul(from as u64).and_then(|x| x.checked_add(d as u64)).ok_or(())?;
    }
    if negative && to > 0 {
        v = if (v as i64) < 0 { u64::MAX } else { (v as i64).wrapping_neg() as u64 };
    }
    if to < 0 && (v as i64) < 0 {
        v = (v as i64).wrapping_neg() as u64;
        negative = true;
    }
    let radix = to.unsigned_abs();
    let mut out = Vec::new();
    let mut tmp = v;
    while tmp != 0 {
        let d = (tmp % radix) as u32;
        out.push(std::char::from_digit(d, 36).map(|c| c.to_ascii_uppercase()).unwrap_or('0'));
        tmp /= radix;
    }
    if out.is_empty() {
        out.push('0');
    }
    if negative && to < 0 {
        out.push('-');
    }
    Ok(Some(out.into_iter().rev().collect()))
}

/// Jaro-Winkler similarity with Spark's prefix scale 0.1 over up to four characters.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut a_match = vec![false; a.len()];
    let mut b_match = vec![false; b.len()];
    let mut matches = 0usize;
    for (i, ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for j in lo..hi {
            if !b_match[j] && b[j] == *ca {
                a_match[i] = true;
                b_match[j] = true;
                matches += 1;
                break;
            }
        }
    }
    if matches == 0 {
        return 0.0;
    }
    let a_seq = a.iter().zip(&a_match).filter(|(_, m)| **m).map(|(c, _)| c);
    let b_seq = b.iter().zip(&b_match).filter(|(_, m)| **m).map(|(c, _)| c);
    let transpositions = a_seq.zip(b_seq).filter(|(x, y)| x != y).count() / 2;
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(&b).take(4).take_while(|(x, y)| x == y).count() as f64;
    jaro + prefix * 0.1 * (1.0 - jaro)
}

/// HMAC (RFC 2104) with one of Spark's algorithms: SHA-224/256/384/512.
pub fn hmac(key: &[u8], message: &[u8], algorithm: &str) -> Option<Vec<u8>> {
    use sha2::Digest;
    fn run<D: Digest>(key: &[u8], message: &[u8], block: usize) -> Vec<u8> {
        let mut k = if key.len() > block { D::digest(key).to_vec() } else { key.to_vec() };
        k.resize(block, 0);
        let inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).chain(message.iter().copied()).collect();
        let inner_hash = D::digest(&inner);
        let outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).chain(inner_hash.iter().copied()).collect();
        D::digest(&outer).to_vec()
    }
    Some(match algorithm.to_ascii_uppercase().replace('-', "").as_str() {
        "SHA224" => run::<sha2::Sha224>(key, message, 64),
        "SHA256" => run::<sha2::Sha256>(key, message, 64),
        "SHA384" => run::<sha2::Sha384>(key, message, 128),
        "SHA512" => run::<sha2::Sha512>(key, message, 128),
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextFn {
    Conv { ansi: bool },
    JaroWinkler,
    Hmac,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkText {
    signature: Signature,
    f: TextFn,
}

impl SparkText {
    pub fn udf(f: TextFn) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable), f }))
    }
}

fn text(a: &dyn Array, i: usize) -> Option<&str> {
    if a.is_null(i) || a.data_type() != &DataType::Utf8 { None } else { Some(a.as_string::<i32>().value(i)) }
}

impl ScalarUDFImpl for SparkText {
    fn name(&self) -> &str {
        match self.f {
            TextFn::Conv { .. } => "conv",
            TextFn::JaroWinkler => "jaro_winkler_similarity",
            TextFn::Hmac => "hmac",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.f {
            TextFn::Conv { .. } => DataType::Utf8,
            TextFn::JaroWinkler => DataType::Float64,
            TextFn::Hmac => DataType::Binary,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let (arrays, scalar) = arg_arrays(&args)?;
        if arrays.len() < 2 {
            return exec_err!("{} takes at least two arguments", self.name());
        }
        let out: ArrayRef = match self.f {
            TextFn::Conv { ansi } => {
                let (Some(from), Some(to)) = (arrays.get(1), arrays.get(2)) else { return exec_err!("conv takes three arguments") };
                let from = datafusion::arrow::compute::cast(from, &DataType::Int64)?;
                let to = datafusion::arrow::compute::cast(to, &DataType::Int64)?;
                let (from, to) = (from.as_primitive::<Int64Type>(), to.as_primitive::<Int64Type>());
                let mut b = StringBuilder::with_capacity(n, n * 8);
                for i in 0..n {
                    let value = match (text(arrays[0].as_ref(), i), from.is_valid(i), to.is_valid(i)) {
                        (Some(s), true, true) => match conv(s.trim(), from.value(i), to.value(i)) {
                            Ok(v) => v,
                            Err(()) if ansi => {
                                return Err(crate::error::SparkRuntimeError::new(
                                    crate::error::RuntimeKind::Arithmetic,
                                    "ARITHMETIC_OVERFLOW",
                                    "22003",
                                    "Overflow in function conv(). If necessary set \"spark.sql.ansi.enabled\" to \"false\" to bypass this error.",
                                )
                                .param("message", "Overflow in function conv()")
                                .param("alternative", "")
                                .param("config", "\"spark.sql.ansi.enabled\"")
                                .into_df());
                            }
                            // Without ANSI an overflow reads as all ones (-1).
                            Err(()) => conv("18446744073709551615", 10, to.value(i)).ok().flatten(),
                        },
                        _ => None,
                    };
                    b.append_option(value);
                }
                Arc::new(b.finish())
            }
            TextFn::JaroWinkler => {
                let mut b = Float64Builder::with_capacity(n);
                for i in 0..n {
                    b.append_option(match (text(arrays[0].as_ref(), i), text(arrays[1].as_ref(), i)) {
                        (Some(x), Some(y)) => Some(jaro_winkler(x, y)),
                        _ => None,
                    });
                }
                Arc::new(b.finish())
            }
            TextFn::Hmac => {
                let mut b = BinaryBuilder::with_capacity(n, n * 32);
                for i in 0..n {
                    let algorithm = match arrays.get(2) {
                        Some(a) => text(a.as_ref(), i),
                        None => Some("SHA-256"),
                    };
                    b.append_option(match (bytes_at(arrays[0].as_ref(), i), bytes_at(arrays[1].as_ref(), i), algorithm) {
                        (Some(k), Some(m), Some(alg)) => hmac(k, m, alg),
                        _ => None,
                    });
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
    fn conv_matches_spark() {
        assert_eq!(conv("100", 2, 10), Ok(Some("4".into())));
        assert_eq!(conv("-10", 16, -10), Ok(Some("-16".into())));
        assert_eq!(conv("-1", 10, 16), Ok(Some("FFFFFFFFFFFFFFFF".into())));
        assert_eq!(conv("", 10, 16), Ok(None));
        assert_eq!(conv("12", 1, 16), Ok(None));
        assert_eq!(conv("ffffffffffffffffffff", 16, 10), Err(()));
    }

    #[test]
    fn jaro_winkler_matches_spark() {
        assert_eq!(jaro_winkler("MARTHA", "MARHTA"), 0.9611111111111111);
        assert_eq!(jaro_winkler("kitten", "sitting"), 0.746031746031746);
        assert_eq!(jaro_winkler("ABC", "XYZ"), 0.0);
    }

    #[test]
    fn hmac_sha256() {
        let h = hmac(b"key", b"message", "SHA-256").map(|v| v.iter().map(|b| format!("{b:02X}")).collect::<String>());
        assert_eq!(h.as_deref(), Some("6E9EF29B75FFFC5B7ABAE527D58FDADB2FE42E7219011976917343065F58ED4A"));
    }
}
