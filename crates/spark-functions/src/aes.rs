//! `aes_encrypt`, `aes_decrypt` and `try_aes_decrypt`, as Spark's
//! `ExpressionImplUtils` does them: AES with a 16, 24 or 32-byte key in
//! ECB (PKCS padding), CBC (PKCS padding, a 16-byte IV before the cipher
//! text) or GCM (no padding, a 12-byte IV before and the 16-byte tag after
//! the cipher text, optional additional authenticated data). Without a
//! given IV, a random one is drawn.
//!
//! Arguments (already BINARY / STRING): encrypt (input, key, mode, padding,
//! iv, aad); decrypt (input, key, mode, padding, aad).

use std::sync::Arc;

use aes::cipher::{BlockDecryptMut, BlockEncryptMut, KeyInit, KeyIvInit, block_padding::Pkcs7};
use aes_gcm::aead::{Aead, Payload};
use datafusion::arrow::array::{Array, ArrayRef, BinaryBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::{arg_arrays, bytes_at, columnar};

/// Which of the three functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AesOp {
    Encrypt,
    Decrypt,
    /// `try_aes_decrypt`: NULL instead of any error.
    TryDecrypt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Ecb,
    Cbc,
    Gcm,
}

const GCM_IV: usize = 12;
const CBC_IV: usize = 16;
const GCM_TAG: usize = 16;

const FUNCTION: &str = "`aes_encrypt`/`aes_decrypt`";

fn unsupported_mode(mode: &str, padding: &str) -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "UNSUPPORTED_FEATURE.AES_MODE",
        "0A000",
        format!("The feature is not supported: AES-{mode} with the padding {padding} by the {FUNCTION} function."),
    )
    .param("mode", mode)
    .param("padding", padding)
    .param("functionName", FUNCTION)
}

fn crypto_error(detail: &str) -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR",
        "22023",
        format!("The value of parameter(s) `expr`, `key` in {FUNCTION} is invalid: detail message: {detail}"),
    )
    .param("parameter", "`expr`, `key`")
    .param("functionName", FUNCTION)
    .param("detailMessage", detail)
}

/// The mode of a (mode, padding) pair Spark accepts.
fn mode_of(mode: &[u8], padding: &[u8]) -> Result<Mode, SparkRuntimeError> {
    let (m, p) = (String::from_utf8_lossy(mode).to_ascii_uppercase(), String::from_utf8_lossy(padding).to_ascii_uppercase());
    match (m.as_str(), p.as_str()) {
        ("ECB", "DEFAULT" | "PKCS") => Ok(Mode::Ecb),
        ("CBC", "DEFAULT" | "PKCS") => Ok(Mode::Cbc),
        ("GCM", "DEFAULT" | "NONE") => Ok(Mode::Gcm),
        _ => Err(unsupported_mode(&m, &p)),
    }
}

fn check_key(key: &[u8]) -> Result<(), SparkRuntimeError> {
    if matches!(key.len(), 16 | 24 | 32) {
        return Ok(());
    }
    Err(SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "INVALID_PARAMETER_VALUE.AES_KEY_LENGTH",
        "22023",
        format!("The value of parameter(s) `key` in {FUNCTION} is invalid: expects a binary value with 16, 24 or 32 bytes, but got {} bytes.", key.len()),
    )
    .param("parameter", "`key`")
    .param("functionName", FUNCTION)
    .param("actualLength", key.len().to_string()))
}

fn random_iv(len: usize) -> Result<Vec<u8>, SparkRuntimeError> {
    let mut iv = vec![0; len];
    getrandom::fill(&mut iv).map_err(|e| crypto_error(&e.to_string()))?;
    Ok(iv)
}

/// One of AES-128/192/256 by key length, applied to `f`.
macro_rules! with_aes {
    ($key:expr, |$cipher:ident| $body:expr) => {
        match $key.len() {
            16 => {
                type $cipher = aes::Aes128;
                $body
            }
            24 => {
                type $cipher = aes::Aes192;
                $body
            }
            _ => {
                type $cipher = aes::Aes256;
                $body
            }
        }
    };
}

pub fn encrypt(input: &[u8], key: &[u8], mode: &[u8], padding: &[u8], iv: &[u8], aad: &[u8]) -> Result<Vec<u8>, SparkRuntimeError> {
    check_key(key)?;
    let mode_name = String::from_utf8_lossy(mode).to_ascii_uppercase();
    let mode = mode_of(mode, padding)?;
    let unsupported = |what: &str, suffix: &str| {
        SparkRuntimeError::new(
            RuntimeKind::Runtime,
            &format!("UNSUPPORTED_FEATURE.AES_MODE_{what}"),
            "0A000",
            format!("The feature is not supported: `aes_encrypt` with AES-{mode_name} does not support {suffix}."),
        )
        .param("mode", mode_name.clone())
        .param("functionName", "`aes_encrypt`")
    };
    if mode == Mode::Ecb && !iv.is_empty() {
        return Err(unsupported("IV", "initialization vectors (IVs)"));
    }
    if mode != Mode::Gcm && !aad.is_empty() {
        return Err(unsupported("AAD", "additional authenticate data (AAD)"));
    }
    let iv_len = if mode == Mode::Gcm { GCM_IV } else { CBC_IV };
    if mode != Mode::Ecb && !iv.is_empty() && iv.len() != iv_len {
        return Err(SparkRuntimeError::new(
            RuntimeKind::Runtime,
            "INVALID_PARAMETER_VALUE.AES_IV_LENGTH",
            "22023",
            format!("The value of parameter(s) `iv` in {FUNCTION} is invalid: supports 16-byte CBC IVs and 12-byte GCM IVs, but got {} bytes for {mode_name}.", iv.len()),
        )
        .param("parameter", "`iv`")
        .param("functionName", FUNCTION)
        .param("mode", mode_name.clone())
        .param("actualLength", iv.len().to_string()));
    }
    Ok(match mode {
        Mode::Ecb => with_aes!(key, |C| ecb::Encryptor::<C>::new_from_slice(key).map_err(|e| crypto_error(&e.to_string()))?.encrypt_padded_vec_mut::<Pkcs7>(input)),
        Mode::Cbc => {
            let iv = if iv.is_empty() { random_iv(CBC_IV)? } else { iv.to_vec() };
            let body = with_aes!(key, |C| cbc::Encryptor::<C>::new_from_slices(key, &iv)
                .map_err(|e| crypto_error(&e.to_string()))?
                .encrypt_padded_vec_mut::<Pkcs7>(input));
            [iv, body].concat()
        }
        Mode::Gcm => {
            let iv = if iv.is_empty() { random_iv(GCM_IV)? } else { iv.to_vec() };
            let payload = Payload { msg: input, aad };
            let nonce = aes_gcm::Nonce::from_slice(&iv);
            let body = with_aes!(key, |C| aes_gcm::AesGcm::<C, aes_gcm::aes::cipher::consts::U12>::new_from_slice(key)
                .map_err(|e| crypto_error(&e.to_string()))?
                .encrypt(nonce, payload)
                .map_err(|_| crypto_error("encryption failed"))?);
            [iv, body].concat()
        }
    })
}

pub fn decrypt(input: &[u8], key: &[u8], mode: &[u8], padding: &[u8], aad: &[u8]) -> Result<Vec<u8>, SparkRuntimeError> {
    check_key(key)?;
    let mode = mode_of(mode, padding)?;
    let bad_padding = || crypto_error("Given final block not properly padded. Such issues can arise if a bad key is used during decryption.");
    match mode {
        Mode::Ecb => with_aes!(key, |C| ecb::Decryptor::<C>::new_from_slice(key)
            .map_err(|e| crypto_error(&e.to_string()))?
            .decrypt_padded_vec_mut::<Pkcs7>(input)
            .map_err(|_| bad_padding())),
        Mode::Cbc => {
            if input.len() < CBC_IV {
                return Err(crypto_error("Input too short to contain an initialization vector"));
            }
            let (iv, body) = input.split_at(CBC_IV);
            with_aes!(key, |C| cbc::Decryptor::<C>::new_from_slices(key, iv)
                .map_err(|e| crypto_error(&e.to_string()))?
                .decrypt_padded_vec_mut::<Pkcs7>(body)
                .map_err(|_| bad_padding()))
        }
        Mode::Gcm => {
            if input.len() < GCM_IV + GCM_TAG {
                return Err(crypto_error("Invalid buffer arguments"));
            }
            let (iv, body) = input.split_at(GCM_IV);
            let nonce = aes_gcm::Nonce::from_slice(iv);
            with_aes!(key, |C| aes_gcm::AesGcm::<C, aes_gcm::aes::cipher::consts::U12>::new_from_slice(key)
                .map_err(|e| crypto_error(&e.to_string()))?
                .decrypt(nonce, Payload { msg: body, aad })
                .map_err(|_| crypto_error("Tag mismatch")))
        }
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkAes {
    signature: Signature,
    op: AesOp,
}

impl SparkAes {
    pub fn udf(op: AesOp) -> Arc<ScalarUDF> {
        let volatility = if op == AesOp::Encrypt { Volatility::Volatile } else { Volatility::Immutable };
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(volatility), op }))
    }
}

impl ScalarUDFImpl for SparkAes {
    fn name(&self) -> &str {
        match self.op {
            AesOp::Encrypt => "aes_encrypt",
            AesOp::Decrypt => "aes_decrypt",
            AesOp::TryDecrypt => "try_aes_decrypt",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Binary)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let rows = args.number_rows;
        let mut out = BinaryBuilder::with_capacity(rows, rows * 32);
        for i in 0..rows {
            let values: Option<Vec<&[u8]>> = arrays.iter().map(|a| bytes_at(a.as_ref(), i)).collect();
            let Some(v) = values else {
                out.append_null();
                continue;
            };
            let result = match (self.op, v.as_slice()) {
                (AesOp::Encrypt, [input, key, mode, padding, iv, aad]) => encrypt(input, key, mode, padding, iv, aad),
                (AesOp::Decrypt | AesOp::TryDecrypt, [input, key, mode, padding, aad]) => decrypt(input, key, mode, padding, aad),
                _ => return datafusion::common::exec_err!("{} takes its arguments with defaults filled in", self.name()),
            };
            match result {
                Ok(bytes) => out.append_value(bytes),
                Err(_) if self.op == AesOp::TryDecrypt => out.append_null(),
                Err(e) => return Err(e.into_df()),
            }
        }
        let array: ArrayRef = Arc::new(out.finish());
        debug_assert_eq!(array.len(), rows);
        columnar(array, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).filter_map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
    }

    #[test]
    fn spark_documented_values() -> Result<(), SparkRuntimeError> {
        // From Spark's documented examples.
        let ecb = encrypt(b"Spark SQL", b"1234567890abcdef", b"ECB", b"PKCS", b"", b"")?;
        assert_eq!(ecb, unhex("de59b0bbe330d07ddf8b9343bdcbbd96"));
        let gcm = decrypt(&unhex("83F16B2AA704794132802D248E6BFD4E380078182D1544813898AC97E709B28A94"), b"0000111122223333", b"GCM", b"DEFAULT", b"")?;
        assert_eq!(gcm, b"Spark");
        let cbc = encrypt(b"Spark", b"abcdefghijklmnop12345678ABCDEFGH", b"CBC", b"DEFAULT", &[0; 16], b"")?;
        assert_eq!(decrypt(&cbc, b"abcdefghijklmnop12345678ABCDEFGH", b"cbc", b"pkcs", b"")?, b"Spark");
        let aad = b"This is an AAD mixed into the input";
        let gcm = encrypt(b"Spark", b"abcdefghijklmnop12345678ABCDEFGH", b"GCM", b"DEFAULT", &[0; 12], aad)?;
        assert_eq!(decrypt(&gcm, b"abcdefghijklmnop12345678ABCDEFGH", b"GCM", b"NONE", aad)?, b"Spark");
        assert!(decrypt(&gcm, b"abcdefghijklmnop12345678ABCDEFGH", b"GCM", b"NONE", b"other").is_err());
        Ok(())
    }

    #[test]
    fn errors() {
        let class = |r: Result<Vec<u8>, SparkRuntimeError>| r.err().map(|e| e.error_class);
        assert_eq!(class(encrypt(b"x", b"short", b"GCM", b"DEFAULT", b"", b"")).as_deref(), Some("INVALID_PARAMETER_VALUE.AES_KEY_LENGTH"));
        assert_eq!(class(encrypt(b"x", b"1234567890abcdef", b"CTR", b"DEFAULT", b"", b"")).as_deref(), Some("UNSUPPORTED_FEATURE.AES_MODE"));
        assert_eq!(class(encrypt(b"x", b"1234567890abcdef", b"ECB", b"DEFAULT", b"\0", b"")).as_deref(), Some("UNSUPPORTED_FEATURE.AES_MODE_IV"));
        assert_eq!(class(encrypt(b"x", b"1234567890abcdef", b"CBC", b"DEFAULT", b"\0", b"")).as_deref(), Some("INVALID_PARAMETER_VALUE.AES_IV_LENGTH"));
        assert_eq!(class(encrypt(b"x", b"1234567890abcdef", b"CBC", b"DEFAULT", b"", b"a")).as_deref(), Some("UNSUPPORTED_FEATURE.AES_MODE_AAD"));
        assert_eq!(class(decrypt(b"\0\x11", b"1234567890abcdef", b"GCM", b"DEFAULT", b"")).as_deref(), Some("INVALID_PARAMETER_VALUE.AES_CRYPTO_ERROR"));
    }
}
