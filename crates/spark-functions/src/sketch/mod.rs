//! Spark's sketch functions: Theta (`theta_*`), Tuple (`tuple_*`), HLL
//! (`hll_*`) and KLL (`kll_*`) sketches.
//!
//! The algorithms are the ones Spark's Apache DataSketches use (k minimum
//! values for Theta and Tuple, HyperLogLog registers behind an exact coupon
//! list for HLL, KLL compactors), so estimates are exact while a sketch is
//! in exact mode and carry the same error bounds beyond it. The binary form
//! is this server's own (a `SCSK` header, the family, then the state): a
//! sketch made by Apache Spark is rejected with Spark's
//! `*_INVALID_INPUT_SKETCH_BUFFER` error rather than misread.

pub mod frequent_items;
pub mod hll;
pub mod kll;
pub mod theta;
pub mod tuple;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::{DataType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type};
use datafusion::error::DataFusionError;

use crate::error::{RuntimeKind, SparkRuntimeError};

const MAGIC: &[u8; 4] = b"SCSK";
const VERSION: u8 = 1;

/// Which sketch a buffer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    Theta = 1,
    Tuple = 2,
    Hll = 3,
    Kll = 4,
}

impl Family {
    fn label(self) -> &'static str {
        match self {
            Family::Theta => "THETA",
            Family::Tuple => "TUPLE",
            Family::Hll => "HLL",
            Family::Kll => "KLL",
        }
    }
}

/// Spark's error for a buffer that is not a sketch of the expected family.
pub fn invalid_buffer(family: Family, function: &str) -> DataFusionError {
    let (what, producer, state) = match family {
        Family::Theta => ("Theta", "the `theta_sketch_agg` function", "22000"),
        Family::Tuple => ("Tuple", "the corresponding `tuple_sketch_agg_*` function", "22000"),
        Family::Hll => ("HLL", "the `hll_sketch_agg` function", "22546"),
        Family::Kll => ("KLL", "the `kll_sketch_agg` function", "22000"),
    };
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        &format!("{}_INVALID_INPUT_SKETCH_BUFFER", family.label()),
        state,
        format!("Invalid call to `{function}`; only valid {what} sketch buffers are supported as inputs (such as those produced by {producer})."),
    )
    .param("function", format!("`{function}`"))
    .into_df()
}

/// Spark's error for a `lgNomEntries` outside 4..=26 (Theta and Tuple).
pub fn invalid_lg_nom_entries(function: &str, value: i64) -> DataFusionError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "SKETCH_INVALID_LG_NOM_ENTRIES",
        "22003",
        format!("Invalid call to `{function}`; the `lgNomEntries` value must be between 4 and 26, inclusive: {value}."),
    )
    .param("function", format!("`{function}`"))
    .param("min", "4")
    .param("max", "26")
    .param("value", value.to_string())
    .into_df()
}

/// Writes a sketch: header, then the family's state.
pub(crate) struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn new(family: Family) -> Self {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(MAGIC);
        bytes.push(family as u8);
        bytes.push(VERSION);
        Self { bytes }
    }

    pub fn u8(&mut self, v: u8) {
        self.bytes.push(v);
    }

    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }
}

/// Reads a sketch written by [`Writer`]; every read is bounds-checked.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// Checks the header; `None` when the buffer is not of this family.
    pub fn open(bytes: &'a [u8], family: Family) -> Option<Self> {
        if bytes.len() < 6 || &bytes[..4] != MAGIC || bytes[4] != family as u8 || bytes[5] != VERSION {
            return None;
        }
        Some(Self { bytes, at: 6 })
    }

    pub fn u8(&mut self) -> Option<u8> {
        let v = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(v)
    }

    pub fn u32(&mut self) -> Option<u32> {
        let s = self.bytes.get(self.at..self.at + 4)?;
        self.at += 4;
        Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    pub fn u64(&mut self) -> Option<u64> {
        let s = self.bytes.get(self.at..self.at + 8)?;
        self.at += 8;
        let mut b = [0u8; 8];
        b.copy_from_slice(s);
        Some(u64::from_le_bytes(b))
    }

    /// How many more `size`-byte items the buffer can hold (caps counts read
    /// from untrusted input before allocating).
    pub fn room(&self, size: usize) -> usize {
        (self.bytes.len() - self.at) / size.max(1)
    }

    pub fn done(&self) -> bool {
        self.at == self.bytes.len()
    }
}

/// MurmurHash3 x64 128-bit, the hash DataSketches uses (with seed 9001).
pub fn murmur3_x64_128(data: &[u8], seed: u64) -> (u64, u64) {
    const C1: u64 = 0x87c3_7b91_1142_53d5;
    const C2: u64 = 0x4cf5_ad43_2745_937f;
    let (mut h1, mut h2) = (seed, seed);
    let blocks = data.len() / 16;
    for i in 0..blocks {
        let mut k = [0u8; 8];
        k.copy_from_slice(&data[i * 16..i * 16 + 8]);
        let mut k1 = u64::from_le_bytes(k);
        k.copy_from_slice(&data[i * 16 + 8..i * 16 + 16]);
        let mut k2 = u64::from_le_bytes(k);
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
        h1 = h1.rotate_left(27).wrapping_add(h2).wrapping_mul(5).wrapping_add(0x52dc_e729);
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
        h2 = h2.rotate_left(31).wrapping_add(h1).wrapping_mul(5).wrapping_add(0x3849_5ab5);
    }
    let tail = &data[blocks * 16..];
    let (mut k1, mut k2) = (0u64, 0u64);
    for (i, b) in tail.iter().enumerate() {
        if i < 8 {
            k1 |= (*b as u64) << (8 * i);
        } else {
            k2 |= (*b as u64) << (8 * (i - 8));
        }
    }
    if tail.len() > 8 {
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
    }
    if !tail.is_empty() {
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
    }
    let len = data.len() as u64;
    h1 ^= len;
    h2 ^= len;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    let fmix = |mut k: u64| {
        k ^= k >> 33;
        k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
        k ^= k >> 33;
        k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        k ^ (k >> 33)
    };
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    (h1, h2)
}

const SEED: u64 = 9001;

/// The hash of row `i` of `a` as sketches see items: integers of every
/// width as one 64-bit value, floats as their (canonical) double, strings
/// and binaries by their bytes, arrays of INT/BIGINT by their elements.
/// `None` for NULL and for empty strings, binaries and arrays, which
/// DataSketches ignores.
pub fn item_hash(a: &dyn Array, i: usize) -> Option<(u64, u64)> {
    if a.is_null(i) {
        return None;
    }
    let long = |v: i64| Some(murmur3_x64_128(&v.to_le_bytes(), SEED));
    let double = |v: f64| {
        // -0.0 and 0.0 are one item, as are all NaNs.
        let v = if v == 0.0 { 0.0 } else if v.is_nan() { f64::NAN } else { v };
        Some(murmur3_x64_128(&v.to_bits().to_le_bytes(), SEED))
    };
    let bytes = |b: &[u8]| if b.is_empty() { None } else { Some(murmur3_x64_128(b, SEED)) };
    match a.data_type() {
        DataType::Int8 => long(a.as_primitive::<Int8Type>().value(i) as i64),
        DataType::Int16 => long(a.as_primitive::<Int16Type>().value(i) as i64),
        DataType::Int32 => long(a.as_primitive::<Int32Type>().value(i) as i64),
        DataType::Int64 => long(a.as_primitive::<Int64Type>().value(i)),
        DataType::Float32 => double(a.as_primitive::<Float32Type>().value(i) as f64),
        DataType::Float64 => double(a.as_primitive::<Float64Type>().value(i)),
        DataType::List(_) => {
            let v = a.as_list::<i32>().value(i);
            let mut buf = Vec::with_capacity(v.len() * 8);
            match v.data_type() {
                DataType::Int32 => v.as_primitive::<Int32Type>().values().iter().for_each(|x| buf.extend_from_slice(&x.to_le_bytes())),
                DataType::Int64 => v.as_primitive::<Int64Type>().values().iter().for_each(|x| buf.extend_from_slice(&x.to_le_bytes())),
                _ => return None,
            }
            bytes(&buf)
        }
        _ => crate::bytes_at(a, i).and_then(bytes),
    }
}

/// The binary sketch in row `i`, or `None` when NULL.
pub(crate) fn sketch_bytes(a: &dyn Array, i: usize) -> Option<&[u8]> {
    crate::bytes_at(a, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn murmur3_x64_128_reference_values() {
        // Reference values of MurmurHash3_x64_128 with seed 0.
        assert_eq!(murmur3_x64_128(b"", 0), (0, 0));
        assert_eq!(murmur3_x64_128(b"hello", 0), (0xcbd8a7b341bd9b02, 0x5b1e906a48ae1d19));
    }

    #[test]
    fn reader_rejects_other_buffers() {
        assert!(Reader::open(b"\x01\x02", Family::Theta).is_none());
        let w = Writer::new(Family::Hll);
        assert!(Reader::open(&w.bytes, Family::Theta).is_none());
        assert!(Reader::open(&w.bytes, Family::Hll).is_some());
    }
}
