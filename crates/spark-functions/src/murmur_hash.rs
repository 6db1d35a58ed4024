//! `hash(...)`: Spark's Murmur3 x86 32-bit hash with seed 42, folded over
//! the arguments (and over array elements and struct fields) in order, with
//! Spark's treatment of each type (ints as 4 bytes, longs as 8, strings by
//! their UTF-8 bytes with Spark's byte-wise tail).

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, Int32Array};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

const C1: u32 = 0xcc9e_2d51;
const C2: u32 = 0x1b87_3593;

fn mix_k1(k1: u32) -> u32 {
    k1.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2)
}

fn mix_h1(h1: u32, k1: u32) -> u32 {
    (h1 ^ k1).rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64)
}

fn fmix(mut h1: u32, length: u32) -> u32 {
    h1 ^= length;
    h1 ^= h1 >> 16;
    h1 = h1.wrapping_mul(0x85eb_ca6b);
    h1 ^= h1 >> 13;
    h1 = h1.wrapping_mul(0xc2b2_ae35);
    h1 ^ (h1 >> 16)
}

pub fn hash_int(v: i32, seed: u32) -> u32 {
    fmix(mix_h1(seed, mix_k1(v as u32)), 4)
}

pub fn hash_long(v: i64, seed: u32) -> u32 {
    let low = v as u32;
    let high = ((v as u64) >> 32) as u32;
    fmix(mix_h1(mix_h1(seed, mix_k1(low)), mix_k1(high)), 8)
}

pub fn hash_bytes(b: &[u8], seed: u32) -> u32 {
    let aligned = b.len() - b.len() % 4;
    let mut h1 = seed;
    for chunk in b[..aligned].chunks_exact(4) {
        h1 = mix_h1(h1, mix_k1(u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]])));
    }
    for &byte in &b[aligned..] {
        h1 = mix_h1(h1, mix_k1(byte as i8 as i32 as u32));
    }
    fmix(h1, b.len() as u32)
}

/// Folds one value into the running hash; NULL leaves it unchanged.
fn hash_value(a: &dyn Array, i: usize, seed: u32) -> Result<u32> {
    if a.data_type() == &DataType::Null || a.is_null(i) {
        return Ok(seed);
    }
    Ok(match a.data_type() {
        DataType::List(_) => {
            let items = a.as_list::<i32>().value(i);
            let mut h = seed;
            for j in 0..items.len() {
                h = hash_value(items.as_ref(), j, h)?;
            }
            h
        }
        DataType::Struct(_) => {
            let s = a.as_struct();
            let mut h = seed;
            for c in s.columns() {
                h = hash_value(c.as_ref(), i, h)?;
            }
            h
        }
        _ => match ScalarValue::try_from_array(a, i)? {
            ScalarValue::Boolean(Some(b)) => hash_int(b as i32, seed),
            ScalarValue::Int8(Some(v)) => hash_int(v as i32, seed),
            ScalarValue::Int16(Some(v)) => hash_int(v as i32, seed),
            ScalarValue::Int32(Some(v)) | ScalarValue::Date32(Some(v)) => hash_int(v, seed),
            ScalarValue::Int64(Some(v)) | ScalarValue::TimestampMicrosecond(Some(v), _) => hash_long(v, seed),
            ScalarValue::Float32(Some(v)) => hash_int(if v == 0.0 { 0 } else { v.to_bits() as i32 }, seed),
            ScalarValue::Float64(Some(v)) => hash_long(if v == 0.0 { 0 } else { v.to_bits() as i64 }, seed),
            ScalarValue::Decimal128(Some(v), p, _) if p <= 18 => hash_long(v as i64, seed),
            ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => hash_bytes(s.as_bytes(), seed),
            ScalarValue::Binary(Some(b)) | ScalarValue::LargeBinary(Some(b)) | ScalarValue::BinaryView(Some(b)) => hash_bytes(&b, seed),
            other => return exec_err!("hash of {} is not supported", other.data_type()),
        },
    })
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMurmurHash {
    signature: Signature,
}

impl SparkMurmurHash {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable) }))
    }
}

impl ScalarUDFImpl for SparkMurmurHash {
    fn name(&self) -> &str {
        "spark_murmur3_hash"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Int32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let arrays = args.args.iter().map(|a| a.to_array(n)).collect::<Result<Vec<_>>>()?;
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let mut h = 42u32;
            for a in &arrays {
                h = hash_value(a.as_ref(), i, h)?;
            }
            out.push(h as i32);
        }
        Ok(ColumnarValue::Array(Arc::new(Int32Array::from(out))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_spark_hashes() {
        // Spark: hash(1) = -559580957, hash('Spark', array(123), 2) = -1321691492.
        assert_eq!(hash_int(1, 42) as i32, -559580957);
        let h = hash_int(2, hash_int(123, hash_bytes(b"Spark", 42)));
        assert_eq!(h as i32, -1321691492);
    }
}
