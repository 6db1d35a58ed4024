//! Building variant values: Spark's `VariantBuilder`. Values are appended
//! in order; an object or array is finished after its children, which
//! shifts them to make room for its header. Object keys go to a dictionary
//! in the order first seen, and an object's fields are listed sorted by key
//! (Java's `String.compareTo`, UTF-16 order) while their data stays where
//! it was written.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::encoding::{
    ARRAY, MAX_DECIMAL4_PRECISION, MAX_DECIMAL8_PRECISION, MAX_SHORT_STR_SIZE, OBJECT, PRIMITIVE, SHORT_STR, SIZE_LIMIT, VERSION, Variant,
    VariantResult, decimal_digits, primitive,
};
use crate::error::{RuntimeKind, SparkRuntimeError};

/// Java's `String.compareTo`: by UTF-16 code units.
pub fn java_compare(a: &str, b: &str) -> Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

pub fn duplicate_key(key: &str) -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "VARIANT_DUPLICATE_KEY",
        "22023",
        format!("Failed to build variant because of a duplicate object key `{key}`."),
    )
    .param("key", key)
}

/// VARIANT_SIZE_LIMIT, raised by `function`.
pub fn size_limit(function: &str) -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "VARIANT_SIZE_LIMIT",
        "22023",
        format!("Cannot build variant bigger than 16.0 MiB in `{function}`. Please avoid large input strings to this expression (for example, add function calls(s) to check the expression size and convert it to NULL first if it is too big)."),
    )
}

/// Where one field of an object being written starts.
#[derive(Debug, Clone)]
pub struct FieldEntry {
    pub key: String,
    pub id: usize,
    pub offset: usize,
}

/// The smallest unsigned width (1 to 3 bytes) that holds `v`.
fn integer_size(v: usize) -> usize {
    if v <= 0xFF {
        1
    } else if v <= 0xFFFF {
        2
    } else {
        3
    }
}

fn write_le(buf: &mut [u8], pos: usize, value: u64, n: usize) {
    for i in 0..n {
        buf[pos + i] = (value >> (8 * i)) as u8;
    }
}

fn primitive_header(t: u8) -> u8 {
    (t << 2) | PRIMITIVE
}

#[derive(Debug, Default)]
pub struct VariantBuilder {
    buf: Vec<u8>,
    dictionary: HashMap<String, usize>,
    keys: Vec<String>,
}

impl VariantBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn position(&self) -> usize {
        self.buf.len()
    }

    pub fn append_null(&mut self) {
        self.buf.push(primitive_header(primitive::NULL));
    }

    pub fn append_boolean(&mut self, b: bool) {
        self.buf.push(primitive_header(if b { primitive::TRUE } else { primitive::FALSE }));
    }

    /// An integer in the narrowest of the four widths that holds it.
    pub fn append_long(&mut self, v: i64) {
        let (t, n) = if i8::try_from(v).is_ok() {
            (primitive::INT1, 1)
        } else if i16::try_from(v).is_ok() {
            (primitive::INT2, 2)
        } else if i32::try_from(v).is_ok() {
            (primitive::INT4, 4)
        } else {
            (primitive::INT8, 8)
        };
        self.buf.push(primitive_header(t));
        self.buf.extend_from_slice(&v.to_le_bytes()[..n]);
    }

    pub fn append_double(&mut self, v: f64) {
        self.buf.push(primitive_header(primitive::DOUBLE));
        self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    pub fn append_float(&mut self, v: f32) {
        self.buf.push(primitive_header(primitive::FLOAT));
        self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    /// A decimal of at most 38 digits and scale, in the narrowest width
    /// its digits and scale allow.
    pub fn append_decimal(&mut self, unscaled: i128, scale: u8) {
        let precision = decimal_digits(unscaled).max(u32::from(scale));
        let s = u32::from(scale);
        if s <= MAX_DECIMAL4_PRECISION && precision <= MAX_DECIMAL4_PRECISION {
            self.buf.push(primitive_header(primitive::DECIMAL4));
            self.buf.push(scale);
            self.buf.extend_from_slice(&(unscaled as i32).to_le_bytes());
        } else if s <= MAX_DECIMAL8_PRECISION && precision <= MAX_DECIMAL8_PRECISION {
            self.buf.push(primitive_header(primitive::DECIMAL8));
            self.buf.push(scale);
            self.buf.extend_from_slice(&(unscaled as i64).to_le_bytes());
        } else {
            self.buf.push(primitive_header(primitive::DECIMAL16));
            self.buf.push(scale);
            self.buf.extend_from_slice(&unscaled.to_le_bytes());
        }
    }

    pub fn append_date(&mut self, days: i32) {
        self.buf.push(primitive_header(primitive::DATE));
        self.buf.extend_from_slice(&days.to_le_bytes());
    }

    pub fn append_timestamp(&mut self, micros: i64) {
        self.buf.push(primitive_header(primitive::TIMESTAMP));
        self.buf.extend_from_slice(&micros.to_le_bytes());
    }

    pub fn append_timestamp_ntz(&mut self, micros: i64) {
        self.buf.push(primitive_header(primitive::TIMESTAMP_NTZ));
        self.buf.extend_from_slice(&micros.to_le_bytes());
    }

    pub fn append_binary(&mut self, b: &[u8]) {
        self.buf.push(primitive_header(primitive::BINARY));
        self.buf.extend_from_slice(&(b.len() as u32).to_le_bytes());
        self.buf.extend_from_slice(b);
    }

    pub fn append_string(&mut self, s: &str) {
        let b = s.as_bytes();
        if b.len() > MAX_SHORT_STR_SIZE {
            self.buf.push(primitive_header(primitive::LONG_STR));
            self.buf.extend_from_slice(&(b.len() as u32).to_le_bytes());
        } else {
            self.buf.push(((b.len() as u8) << 2) | SHORT_STR);
        }
        self.buf.extend_from_slice(b);
    }

    /// The dictionary id of `key`, adding it when new.
    pub fn add_key(&mut self, key: &str) -> usize {
        if let Some(id) = self.dictionary.get(key) {
            return *id;
        }
        let id = self.keys.len();
        self.dictionary.insert(key.to_string(), id);
        self.keys.push(key.to_string());
        id
    }

    /// Adds `key` and returns the entry of a field whose value is about to
    /// be written at the current position of an object started at `start`.
    pub fn field(&mut self, start: usize, key: &str) -> FieldEntry {
        let id = self.add_key(key);
        FieldEntry { key: key.to_string(), id, offset: self.position() - start }
    }

    /// Finishes an object whose fields were written from `start` on.
    pub fn finish_object(&mut self, start: usize, mut fields: Vec<FieldEntry>) -> VariantResult<()> {
        let data_size = self.buf.len() - start;
        fields.sort_by(|a, b| java_compare(&a.key, &b.key));
        for pair in fields.windows(2) {
            if pair[0].key == pair[1].key {
                return Err(duplicate_key(&pair[0].key));
            }
        }
        let size = fields.len();
        let max_id = fields.iter().map(|f| f.id).max().unwrap_or(0);
        let large = size > 0xFF;
        let size_bytes = if large { 4 } else { 1 };
        let id_size = integer_size(max_id);
        let offset_size = integer_size(data_size);
        let header_size = 1 + size_bytes + size * id_size + (size + 1) * offset_size;
        let mut header = vec![0u8; header_size];
        header[0] = ((u8::from(large)) << 6) | (((id_size - 1) as u8) << 4) | (((offset_size - 1) as u8) << 2) | OBJECT;
        write_le(&mut header, 1, size as u64, size_bytes);
        let id_start = 1 + size_bytes;
        let offset_start = id_start + size * id_size;
        for (i, f) in fields.iter().enumerate() {
            write_le(&mut header, id_start + i * id_size, f.id as u64, id_size);
            write_le(&mut header, offset_start + i * offset_size, f.offset as u64, offset_size);
        }
        write_le(&mut header, offset_start + size * offset_size, data_size as u64, offset_size);
        self.buf.splice(start..start, header);
        Ok(())
    }

    /// Finishes an array whose elements were written from `start` on, at
    /// `offsets` relative to it.
    pub fn finish_array(&mut self, start: usize, offsets: &[usize]) {
        let data_size = self.buf.len() - start;
        let size = offsets.len();
        let large = size > 0xFF;
        let size_bytes = if large { 4 } else { 1 };
        let offset_size = integer_size(data_size);
        let header_size = 1 + size_bytes + (size + 1) * offset_size;
        let mut header = vec![0u8; header_size];
        header[0] = ((u8::from(large)) << 4) | (((offset_size - 1) as u8) << 2) | ARRAY;
        write_le(&mut header, 1, size as u64, size_bytes);
        let offset_start = 1 + size_bytes;
        for (i, o) in offsets.iter().enumerate() {
            write_le(&mut header, offset_start + i * offset_size, *o as u64, offset_size);
        }
        write_le(&mut header, offset_start + size * offset_size, data_size as u64, offset_size);
        self.buf.splice(start..start, header);
    }

    /// Copies a value of another variant, re-keying its objects into this
    /// dictionary (Spark's `appendVariant`).
    pub fn append_variant(&mut self, v: Variant<'_>) -> VariantResult<()> {
        match v.value.get(v.pos).map(|h| h & 0x3) {
            Some(OBJECT) => {
                let start = self.position();
                let mut fields = Vec::new();
                for i in 0..v.object_size()? {
                    let (key, child) = v.field_at(i)?;
                    fields.push(self.field(start, key));
                    self.append_variant(child)?;
                }
                self.finish_object(start, fields)
            }
            Some(ARRAY) => {
                let start = self.position();
                let mut offsets = Vec::new();
                for i in 0..v.array_size()? {
                    offsets.push(self.position() - start);
                    if let Some(child) = v.element_at(i)? {
                        self.append_variant(child)?;
                    }
                }
                self.finish_array(start, &offsets);
                Ok(())
            }
            _ => {
                let bytes = v.bytes()?;
                self.buf.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// The value and its metadata; VARIANT_SIZE_LIMIT (for `function`) when
    /// either exceeds 16 MiB.
    pub fn finish(self, function: &str) -> VariantResult<(Vec<u8>, Vec<u8>)> {
        let string_size: usize = self.keys.iter().map(String::len).sum();
        let max = string_size.max(self.keys.len());
        if max > SIZE_LIMIT || self.buf.len() > SIZE_LIMIT {
            return Err(size_limit(function));
        }
        let offset_size = integer_size(max);
        let offset_start = 1 + offset_size;
        let string_start = offset_start + (self.keys.len() + 1) * offset_size;
        let mut metadata = vec![0u8; string_start + string_size];
        if metadata.len() > SIZE_LIMIT {
            return Err(size_limit(function));
        }
        metadata[0] = VERSION | (((offset_size - 1) as u8) << 6);
        write_le(&mut metadata, 1, self.keys.len() as u64, offset_size);
        let mut current = 0;
        for (i, k) in self.keys.iter().enumerate() {
            write_le(&mut metadata, offset_start + i * offset_size, current as u64, offset_size);
            metadata[string_start + current..string_start + current + k.len()].copy_from_slice(k.as_bytes());
            current += k.len();
        }
        write_le(&mut metadata, offset_start + self.keys.len() * offset_size, current as u64, offset_size);
        Ok((self.buf, metadata))
    }
}

/// A copy of `v` in a fresh variant of its own (Spark strips the keys a
/// sub-value no longer uses this way).
pub fn rebuild(v: Variant<'_>) -> VariantResult<(Vec<u8>, Vec<u8>)> {
    let mut b = VariantBuilder::new();
    b.append_variant(v)?;
    b.finish("variant_get")
}
