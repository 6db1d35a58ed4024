//! Reading Spark's variant binary format: a value (one header byte, whose
//! low two bits are the basic type, then content) and a metadata dictionary
//! of the object keys. A [`Variant`] is a view of one value inside a value
//! buffer; nothing is copied. A malformed buffer is MALFORMED_VARIANT,
//! never a panic.

use crate::error::{RuntimeKind, SparkRuntimeError};

pub const PRIMITIVE: u8 = 0;
pub const SHORT_STR: u8 = 1;
pub const OBJECT: u8 = 2;
pub const ARRAY: u8 = 3;

/// The type ids of primitive values (the upper six header bits).
pub mod primitive {
    pub const NULL: u8 = 0;
    pub const TRUE: u8 = 1;
    pub const FALSE: u8 = 2;
    pub const INT1: u8 = 3;
    pub const INT2: u8 = 4;
    pub const INT4: u8 = 5;
    pub const INT8: u8 = 6;
    pub const DOUBLE: u8 = 7;
    pub const DECIMAL4: u8 = 8;
    pub const DECIMAL8: u8 = 9;
    pub const DECIMAL16: u8 = 10;
    pub const DATE: u8 = 11;
    pub const TIMESTAMP: u8 = 12;
    pub const TIMESTAMP_NTZ: u8 = 13;
    pub const FLOAT: u8 = 14;
    pub const BINARY: u8 = 15;
    pub const LONG_STR: u8 = 16;
    pub const TIMESTAMP_NANOS: u8 = 18;
    pub const TIMESTAMP_NANOS_NTZ: u8 = 19;
    pub const UUID: u8 = 20;
}

pub const VERSION: u8 = 1;
pub const MAX_SHORT_STR_SIZE: usize = 0x3F;
/// Values and metadata are at most 16 MiB.
pub const SIZE_LIMIT: usize = 0xFF_FFFF + 1;
pub const MAX_DECIMAL4_PRECISION: u32 = 9;
pub const MAX_DECIMAL8_PRECISION: u32 = 18;
pub const MAX_DECIMAL16_PRECISION: u32 = 38;

pub fn malformed() -> SparkRuntimeError {
    SparkRuntimeError::new(RuntimeKind::Runtime, "MALFORMED_VARIANT", "22023", "Variant binary is malformed. Please check the data source is valid.")
}

fn unknown_primitive(id: u8) -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Runtime,
        "UNKNOWN_PRIMITIVE_TYPE_IN_VARIANT",
        "22023",
        format!("Unknown primitive type with id {id} was found in a variant value."),
    )
    .param("id", id.to_string())
}

pub type VariantResult<T> = Result<T, SparkRuntimeError>;

/// What a value is (the integer and decimal widths are one kind each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Object,
    Array,
    Null,
    Boolean,
    Long,
    String,
    Double,
    Decimal,
    Date,
    Timestamp,
    TimestampNtz,
    TimestampNanos,
    TimestampNanosNtz,
    Float,
    Binary,
    Uuid,
}

/// A scalar value read out of a variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scalar<'a> {
    Null,
    Boolean(bool),
    Long(i64),
    String(&'a str),
    Double(f64),
    /// With trailing fractional zeros stripped, as Spark's `getDecimal`.
    Decimal { unscaled: i128, scale: u8 },
    Date(i32),
    Timestamp(i64),
    TimestampNtz(i64),
    TimestampNanos(i64),
    TimestampNanosNtz(i64),
    Float(f32),
    Binary(&'a [u8]),
    Uuid([u8; 16]),
}

/// The number of decimal digits of `v` (at least 1), as `BigDecimal.precision`.
pub fn decimal_digits(v: i128) -> u32 {
    let mut n = v.unsigned_abs();
    let mut digits = 1;
    while n >= 10 {
        n /= 10;
        digits += 1;
    }
    digits
}

/// Strips trailing zeros of the fraction (never below scale 0).
pub fn strip_decimal(mut unscaled: i128, mut scale: u8) -> (i128, u8) {
    while scale > 0 && unscaled % 10 == 0 {
        unscaled /= 10;
        scale -= 1;
    }
    (unscaled, scale)
}

fn slice(bytes: &[u8], start: usize, len: usize) -> VariantResult<&[u8]> {
    start.checked_add(len).and_then(|end| bytes.get(start..end)).ok_or_else(malformed)
}

/// A little-endian unsigned integer of `n` bytes.
pub fn read_unsigned(bytes: &[u8], pos: usize, n: usize) -> VariantResult<usize> {
    let b = slice(bytes, pos, n)?;
    Ok(b.iter().rev().fold(0usize, |acc, x| (acc << 8) | *x as usize))
}

/// A little-endian signed integer of `n` (1..=8) bytes.
fn read_signed(bytes: &[u8], pos: usize, n: usize) -> VariantResult<i64> {
    let b = slice(bytes, pos, n)?;
    let mut buf = if b[n - 1] & 0x80 != 0 { [0xFFu8; 8] } else { [0u8; 8] };
    buf[..n].copy_from_slice(b);
    Ok(i64::from_le_bytes(buf))
}

/// The key with dictionary id `id`.
pub fn metadata_key(metadata: &[u8], id: usize) -> VariantResult<&str> {
    let header = *metadata.first().ok_or_else(malformed)?;
    if header & 0x0F != VERSION {
        return Err(malformed());
    }
    let offset_size = ((header >> 6) & 0x3) as usize + 1;
    let size = read_unsigned(metadata, 1, offset_size)?;
    if id >= size {
        return Err(malformed());
    }
    let offsets = 1 + offset_size;
    let strings = offsets + (size + 1) * offset_size;
    let start = read_unsigned(metadata, offsets + id * offset_size, offset_size)?;
    let end = read_unsigned(metadata, offsets + (id + 1) * offset_size, offset_size)?;
    let bytes = slice(metadata, strings + start, end.checked_sub(start).ok_or_else(malformed)?)?;
    std::str::from_utf8(bytes).map_err(|_| malformed())
}

/// The layout of an object or array header.
struct Container {
    size: usize,
    id_size: usize,
    offset_size: usize,
    id_start: usize,
    offset_start: usize,
    data_start: usize,
}

/// How deeply values may nest. Every walk over a value (JSON text,
/// schemas, casts, edits) recurses per level, and a client can send any
/// binary value, so deeper values are MALFORMED_VARIANT rather than a
/// stack overflow. parse_json makes at most 1000 levels; edits add a few.
pub const MAX_NESTING: usize = 2048;

/// One value inside a value buffer, with the metadata it refers to.
#[derive(Debug, Clone, Copy)]
pub struct Variant<'a> {
    pub value: &'a [u8],
    pub metadata: &'a [u8],
    pub pos: usize,
    /// How many containers enclose this value.
    depth: usize,
}

impl<'a> Variant<'a> {
    pub fn new(value: &'a [u8], metadata: &'a [u8]) -> Self {
        Self { value, metadata, pos: 0, depth: 0 }
    }

    fn header(&self) -> VariantResult<u8> {
        self.value.get(self.pos).copied().ok_or_else(malformed)
    }

    pub fn kind(&self) -> VariantResult<Kind> {
        use primitive::*;
        let h = self.header()?;
        let info = h >> 2;
        Ok(match h & 0x3 {
            SHORT_STR => Kind::String,
            OBJECT => Kind::Object,
            ARRAY => Kind::Array,
            _ => match info {
                NULL => Kind::Null,
                TRUE | FALSE => Kind::Boolean,
                INT1 | INT2 | INT4 | INT8 => Kind::Long,
                DOUBLE => Kind::Double,
                DECIMAL4 | DECIMAL8 | DECIMAL16 => Kind::Decimal,
                DATE => Kind::Date,
                TIMESTAMP => Kind::Timestamp,
                TIMESTAMP_NTZ => Kind::TimestampNtz,
                TIMESTAMP_NANOS => Kind::TimestampNanos,
                TIMESTAMP_NANOS_NTZ => Kind::TimestampNanosNtz,
                FLOAT => Kind::Float,
                BINARY => Kind::Binary,
                LONG_STR => Kind::String,
                UUID => Kind::Uuid,
                other => return Err(unknown_primitive(other)),
            },
        })
    }

    /// The scalar of a non-container value.
    pub fn scalar(&self) -> VariantResult<Scalar<'a>> {
        use primitive::*;
        let h = self.header()?;
        let info = h >> 2;
        let p = self.pos + 1;
        let v = self.value;
        Ok(match h & 0x3 {
            SHORT_STR => Scalar::String(std::str::from_utf8(slice(v, p, info as usize)?).map_err(|_| malformed())?),
            OBJECT | ARRAY => return Err(malformed()),
            _ => match info {
                NULL => Scalar::Null,
                TRUE => Scalar::Boolean(true),
                FALSE => Scalar::Boolean(false),
                INT1 => Scalar::Long(read_signed(v, p, 1)?),
                INT2 => Scalar::Long(read_signed(v, p, 2)?),
                INT4 => Scalar::Long(read_signed(v, p, 4)?),
                INT8 => Scalar::Long(read_signed(v, p, 8)?),
                DOUBLE => Scalar::Double(f64::from_bits(read_signed(v, p, 8)? as u64)),
                DECIMAL4 | DECIMAL8 | DECIMAL16 => {
                    let scale = *v.get(p).ok_or_else(malformed)?;
                    let unscaled = match info {
                        DECIMAL4 => i128::from(read_signed(v, p + 1, 4)?),
                        DECIMAL8 => i128::from(read_signed(v, p + 1, 8)?),
                        _ => {
                            let b = slice(v, p + 1, 16)?;
                            let mut buf = [0u8; 16];
                            buf.copy_from_slice(b);
                            i128::from_le_bytes(buf)
                        }
                    };
                    let limit = match info {
                        DECIMAL4 => MAX_DECIMAL4_PRECISION,
                        DECIMAL8 => MAX_DECIMAL8_PRECISION,
                        _ => MAX_DECIMAL16_PRECISION,
                    };
                    if u32::from(scale) > limit || decimal_digits(unscaled) > limit {
                        return Err(malformed());
                    }
                    let (unscaled, scale) = strip_decimal(unscaled, scale);
                    Scalar::Decimal { unscaled, scale }
                }
                DATE => Scalar::Date(read_signed(v, p, 4)? as i32),
                TIMESTAMP => Scalar::Timestamp(read_signed(v, p, 8)?),
                TIMESTAMP_NTZ => Scalar::TimestampNtz(read_signed(v, p, 8)?),
                TIMESTAMP_NANOS => Scalar::TimestampNanos(read_signed(v, p, 8)?),
                TIMESTAMP_NANOS_NTZ => Scalar::TimestampNanosNtz(read_signed(v, p, 8)?),
                FLOAT => Scalar::Float(f32::from_bits(read_signed(v, p, 4)? as u32)),
                BINARY => {
                    let n = read_unsigned(v, p, 4)?;
                    Scalar::Binary(slice(v, p + 4, n)?)
                }
                LONG_STR => {
                    let n = read_unsigned(v, p, 4)?;
                    Scalar::String(std::str::from_utf8(slice(v, p + 4, n)?).map_err(|_| malformed())?)
                }
                UUID => {
                    let mut b = [0u8; 16];
                    b.copy_from_slice(slice(v, p, 16)?);
                    Scalar::Uuid(b)
                }
                other => return Err(unknown_primitive(other)),
            },
        })
    }

    fn container(&self) -> VariantResult<Container> {
        let h = self.header()?;
        let info = (h >> 2) as usize;
        let object = h & 0x3 == OBJECT;
        let (large, id_size, offset_size) = if object {
            ((info >> 4) & 1 == 1, ((info >> 2) & 0x3) + 1, (info & 0x3) + 1)
        } else {
            ((info >> 2) & 1 == 1, 0, (info & 0x3) + 1)
        };
        let size_bytes = if large { 4 } else { 1 };
        let size = read_unsigned(self.value, self.pos + 1, size_bytes)?;
        let id_start = self.pos + 1 + size_bytes;
        let offset_start = id_start.checked_add(size.checked_mul(id_size).ok_or_else(malformed)?).ok_or_else(malformed)?;
        let data_start = offset_start.checked_add((size + 1).checked_mul(offset_size).ok_or_else(malformed)?).ok_or_else(malformed)?;
        Ok(Container { size, id_size, offset_size, id_start, offset_start, data_start })
    }

    fn child(&self, pos: usize) -> VariantResult<Variant<'a>> {
        if pos >= self.value.len() || self.depth >= MAX_NESTING {
            return Err(malformed());
        }
        Ok(Variant { value: self.value, metadata: self.metadata, pos, depth: self.depth + 1 })
    }

    pub fn object_size(&self) -> VariantResult<usize> {
        Ok(self.container()?.size)
    }

    /// Field `i` in stored (sorted) order.
    pub fn field_at(&self, i: usize) -> VariantResult<(&'a str, Variant<'a>)> {
        let c = self.container()?;
        if i >= c.size {
            return Err(malformed());
        }
        let id = read_unsigned(self.value, c.id_start + i * c.id_size, c.id_size)?;
        let offset = read_unsigned(self.value, c.offset_start + i * c.offset_size, c.offset_size)?;
        Ok((metadata_key(self.metadata, id)?, self.child(c.data_start + offset)?))
    }

    /// The field named `key` (case-sensitive), if any.
    pub fn field(&self, key: &str) -> VariantResult<Option<Variant<'a>>> {
        let size = self.object_size()?;
        for i in 0..size {
            let (k, v) = self.field_at(i)?;
            if k == key {
                return Ok(Some(v));
            }
        }
        Ok(None)
    }

    pub fn array_size(&self) -> VariantResult<usize> {
        Ok(self.container()?.size)
    }

    pub fn element_at(&self, i: usize) -> VariantResult<Option<Variant<'a>>> {
        let c = self.container()?;
        if i >= c.size {
            return Ok(None);
        }
        let offset = read_unsigned(self.value, c.offset_start + i * c.offset_size, c.offset_size)?;
        Ok(Some(self.child(c.data_start + offset)?))
    }

    /// The size in bytes of this value.
    pub fn size(&self) -> VariantResult<usize> {
        use primitive::*;
        let h = self.header()?;
        let info = h >> 2;
        let n = match h & 0x3 {
            SHORT_STR => 1 + info as usize,
            OBJECT | ARRAY => {
                let c = self.container()?;
                let data = read_unsigned(self.value, c.offset_start + c.size * c.offset_size, c.offset_size)?;
                c.data_start - self.pos + data
            }
            _ => match info {
                NULL | TRUE | FALSE => 1,
                INT1 => 2,
                INT2 => 3,
                INT4 | DATE | FLOAT => 5,
                INT8 | DOUBLE | TIMESTAMP | TIMESTAMP_NTZ | TIMESTAMP_NANOS | TIMESTAMP_NANOS_NTZ => 9,
                DECIMAL4 => 6,
                DECIMAL8 => 10,
                DECIMAL16 => 18,
                BINARY | LONG_STR => 5 + read_unsigned(self.value, self.pos + 1, 4)?,
                UUID => 17,
                other => return Err(unknown_primitive(other)),
            },
        };
        if self.pos + n > self.value.len() {
            return Err(malformed());
        }
        Ok(n)
    }

    /// The bytes of this value.
    pub fn bytes(&self) -> VariantResult<&'a [u8]> {
        slice(self.value, self.pos, self.size()?)
    }
}

/// Whether a value and its metadata are well formed (`is_valid_variant`):
/// every nested value readable, object keys in the dictionary and sorted
/// and unique.
pub fn is_valid(value: &[u8], metadata: &[u8]) -> bool {
    fn check(v: Variant<'_>) -> VariantResult<()> {
        match v.kind()? {
            Kind::Object => {
                let mut previous: Option<&str> = None;
                for i in 0..v.object_size()? {
                    let (k, child) = v.field_at(i)?;
                    if previous.is_some_and(|p| crate::variant::builder::java_compare(p, k) != std::cmp::Ordering::Less) {
                        return Err(malformed());
                    }
                    previous = Some(k);
                    check(child)?;
                }
            }
            Kind::Array => {
                for i in 0..v.array_size()? {
                    if let Some(child) = v.element_at(i)? {
                        check(child)?;
                    }
                }
            }
            _ => {
                v.scalar()?;
            }
        }
        v.size().map(|_| ())
    }
    if metadata.first().is_none_or(|h| h & 0x0F != VERSION) {
        return false;
    }
    let v = Variant::new(value, metadata);
    check(v).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_values_are_malformed_not_a_stack_overflow() {
        // The server's threads have large stacks (512 MiB); so does this one.
        let run = std::thread::Builder::new().stack_size(64 << 20).spawn(deep_values);
        assert!(run.is_ok_and(|h| h.join().is_ok()));
    }

    fn deep_values() {
        // 5,000 arrays nested, [[[...]]], past the limit of 2048.
        let depth = 5_000;
        let mut value = vec![0u8]; // variant null at the bottom
        for _ in 0..depth {
            let size = value.len();
            // One element, 3-byte offsets so any inner size fits.
            let mut wrapped = vec![(2u8 << 2) | ARRAY, 1, 0, 0, 0];
            wrapped.extend_from_slice(&(size as u32).to_le_bytes()[..3]);
            wrapped.extend_from_slice(&value);
            value = wrapped;
        }
        let metadata = [VERSION, 0, 0];
        assert!(!is_valid(&value, &metadata));
        let v = Variant::new(&value, &metadata);
        assert!(crate::variant::json::to_json(v, crate::variant::json::JsonZone::new("UTC")).is_err());
        assert!(crate::variant::schema::schema_of(v).is_err());
        assert!(crate::variant::builder::rebuild(v).is_err());
    }
}
