//! The framing of Spark's worker protocol: big-endian integers, strings and
//! byte strings prefixed by their length, and the negative "special
//! lengths" that mark sections (`pyspark.serializers.SpecialLengths`).

use std::io::{self, Read, Write};

/// `SpecialLengths` of `pyspark.serializers`.
pub mod special {
    pub const END_OF_DATA_SECTION: i32 = -1;
    pub const PYTHON_EXCEPTION_THROWN: i32 = -2;
    pub const TIMING_DATA: i32 = -3;
    pub const END_OF_STREAM: i32 = -4;
    pub const NULL: i32 = -5;
    pub const START_ARROW_STREAM: i32 = -6;
}

pub fn write_int(w: &mut impl Write, v: i32) -> io::Result<()> {
    w.write_all(&v.to_be_bytes())
}

pub fn write_long(w: &mut impl Write, v: i64) -> io::Result<()> {
    w.write_all(&v.to_be_bytes())
}

pub fn write_bool(w: &mut impl Write, v: bool) -> io::Result<()> {
    w.write_all(&[u8::from(v)])
}

/// A byte string prefixed by its length.
pub fn write_bytes(w: &mut impl Write, v: &[u8]) -> io::Result<()> {
    let len = i32::try_from(v.len()).map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "a frame longer than 2 GiB"))?;
    write_int(w, len)?;
    w.write_all(v)
}

/// A UTF-8 string prefixed by its length (`UTF8Deserializer`).
pub fn write_utf8(w: &mut impl Write, v: &str) -> io::Result<()> {
    write_bytes(w, v.as_bytes())
}

pub fn read_int(r: &mut impl Read) -> io::Result<i32> {
    let mut b = [0u8; 4];
    r.read_exact(&mut b)?;
    Ok(i32::from_be_bytes(b))
}

pub fn read_long(r: &mut impl Read) -> io::Result<i64> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b)?;
    Ok(i64::from_be_bytes(b))
}

/// `len` bytes, refusing lengths no worker sends (a corrupt stream).
pub fn read_exact_vec(r: &mut impl Read, len: i32) -> io::Result<Vec<u8>> {
    let len = usize::try_from(len).map_err(|_| io::Error::new(io::ErrorKind::InvalidData, format!("a negative frame length {len}")))?;
    let mut v = vec![0u8; len];
    r.read_exact(&mut v)?;
    Ok(v)
}

/// A length-prefixed UTF-8 string.
pub fn read_utf8(r: &mut impl Read) -> io::Result<String> {
    let len = read_int(r)?;
    let bytes = read_exact_vec(r, len)?;
    String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_numbers_round_trip_big_endian() -> io::Result<()> {
        let mut buf = vec![];
        write_int(&mut buf, -6)?;
        write_long(&mut buf, 1 << 40)?;
        write_utf8(&mut buf, "3.11")?;
        write_bool(&mut buf, true)?;
        assert_eq!(&buf[..4], &[0xff, 0xff, 0xff, 0xfa]);
        let mut r = &buf[..];
        assert_eq!(read_int(&mut r)?, -6);
        assert_eq!(read_long(&mut r)?, 1 << 40);
        assert_eq!(read_utf8(&mut r)?, "3.11");
        assert_eq!(r, &[1]);
        Ok(())
    }

    #[test]
    fn a_negative_length_is_an_error_not_an_allocation() {
        let buf = (-7i32).to_be_bytes();
        assert!(read_utf8(&mut &buf[..]).is_err());
    }
}
