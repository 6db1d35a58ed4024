//! Java's `hashCode` of the boxed values Spark keeps in its hash maps and
//! sets, which decides the order those yield their elements in (`mode`'s
//! ties, `collect_set`'s output).

use datafusion::common::ScalarValue;

use crate::murmur_hash::hash_bytes;

/// Java's `hashCode` of a boxed value as Spark's hash map sees it.
pub fn java_hash_code(v: &ScalarValue) -> Option<i32> {
    Some(match v {
        ScalarValue::Int8(Some(x)) => *x as i32,
        ScalarValue::Int16(Some(x)) => *x as i32,
        ScalarValue::Int32(Some(x)) | ScalarValue::Date32(Some(x)) => *x,
        ScalarValue::Int64(Some(x)) => (*x ^ ((*x as u64) >> 32) as i64) as i32,
        ScalarValue::Float32(Some(x)) => x.to_bits() as i32,
        ScalarValue::Float64(Some(x)) => {
            let b = x.to_bits();
            (b ^ (b >> 32)) as i32
        }
        ScalarValue::Boolean(Some(b)) => {
            if *b {
                1231
            } else {
                1237
            }
        }
        // UTF8String.hashCode: Murmur3 x86_32 of the bytes with seed 42.
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => hash_bytes(s.as_bytes(), 42) as i32,
        _ => return None,
    })
}

