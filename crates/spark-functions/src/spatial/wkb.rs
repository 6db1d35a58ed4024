//! Well-known binary: checked while parsed (Spark's WKB_PARSE_ERROR with
//! the position of the read that ran out), and written back in either byte
//! order (`st_asbinary`'s NDR little-endian or XDR big-endian).

use crate::error::{RuntimeKind, SparkRuntimeError};

pub fn parse_error(detail: String) -> SparkRuntimeError {
    SparkRuntimeError::new(RuntimeKind::IllegalArgument, "WKB_PARSE_ERROR", "22023", format!("Error parsing WKB: {detail}"))
        .param("parseError", detail)
}

struct Reader<'a> {
    bytes: &'a [u8],
    little: bool,
    out: Vec<u8>,
    out_little: bool,
}

/// Nesting of collections beyond this is refused.
const MAX_DEPTH: usize = 64;

impl Reader<'_> {
    fn take(&self, pos: usize, n: usize) -> Result<&[u8], SparkRuntimeError> {
        self.bytes.get(pos..pos + n).ok_or_else(|| parse_error(format!("Unexpected end of WKB buffer at position {pos}")))
    }

    fn u32_at(&mut self, pos: usize) -> Result<u32, SparkRuntimeError> {
        let b: [u8; 4] = self.take(pos, 4)?.try_into().map_err(|_| parse_error(format!("Unexpected end of WKB buffer at position {pos}")))?;
        let v = if self.little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) };
        self.out.extend_from_slice(&if self.out_little { v.to_le_bytes() } else { v.to_be_bytes() });
        Ok(v)
    }

    fn f64_at(&mut self, pos: usize) -> Result<(), SparkRuntimeError> {
        let b: [u8; 8] = self.take(pos, 8)?.try_into().map_err(|_| parse_error(format!("Unexpected end of WKB buffer at position {pos}")))?;
        let v = if self.little { f64::from_le_bytes(b) } else { f64::from_be_bytes(b) };
        self.out.extend_from_slice(&if self.out_little { v.to_le_bytes() } else { v.to_be_bytes() });
        Ok(())
    }

    fn points(&mut self, mut pos: usize, count: usize, dims: usize) -> Result<usize, SparkRuntimeError> {
        for _ in 0..count * dims {
            self.f64_at(pos)?;
            pos += 8;
        }
        Ok(pos)
    }

    /// One geometry starting at `start`; returns where it ends.
    fn geometry(&mut self, start: usize, depth: usize) -> Result<usize, SparkRuntimeError> {
        if depth > MAX_DEPTH {
            return Err(parse_error(format!("Geometry nesting too deep at position {start}")));
        }
        if self.bytes.len() < start + 5 {
            return Err(parse_error(format!("Unexpected end of WKB buffer at position {start}")));
        }
        self.little = match self.bytes[start] {
            0 => false,
            1 => true,
            other => return Err(parse_error(format!("Invalid byte order {other} at position {start}"))),
        };
        self.out.push(u8::from(self.out_little));
        let code = self.u32_at(start + 1)?;
        let (base, dims) = match code / 1000 {
            0 => (code, 2),
            1 | 2 => (code % 1000, 3),
            3 => (code % 1000, 4),
            _ => return Err(parse_error(format!("Invalid or unsupported type {code} at position {}", start + 1))),
        };
        let mut pos = start + 5;
        match base {
            1 => self.points(pos, 1, dims),
            2 => {
                let n = self.u32_at(pos)? as usize;
                self.points(pos + 4, n, dims)
            }
            3 => {
                let rings = self.u32_at(pos)? as usize;
                pos += 4;
                for _ in 0..rings {
                    let n = self.u32_at(pos)? as usize;
                    pos = self.points(pos + 4, n, dims)?;
                }
                Ok(pos)
            }
            4..=7 => {
                let n = self.u32_at(pos)? as usize;
                pos += 4;
                for _ in 0..n {
                    pos = self.geometry(pos, depth + 1)?;
                }
                Ok(pos)
            }
            other => Err(parse_error(format!("Invalid or unsupported type {other} at position {}", start + 1))),
        }
    }
}

/// The WKB checked and written in the given byte order.
pub fn reencode(wkb: &[u8], little_endian: bool) -> Result<Vec<u8>, SparkRuntimeError> {
    let mut r = Reader { bytes: wkb, little: true, out: Vec::with_capacity(wkb.len()), out_little: little_endian };
    r.geometry(0, 0)?;
    Ok(r.out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02X}")).collect()
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).filter_map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
    }

    #[test]
    fn reencodes_as_spark() {
        // Recorded from Spark 4.3.
        let point = unhex("0101000000000000000000F03F0000000000000040");
        assert_eq!(reencode(&point, false).map(|b| hex(&b)).unwrap_or_default(), "00000000013FF00000000000004000000000000000");
        assert_eq!(reencode(&unhex("00000000013FF00000000000004000000000000000"), true).map(|b| hex(&b)).unwrap_or_default(), hex(&point));
        let z = unhex("01E9030000000000000000F03F00000000000000400000000000000840");
        assert_eq!(reencode(&z, false).map(|b| hex(&b)).unwrap_or_default(), "00000003E93FF000000000000040000000000000004008000000000000");
        assert!(reencode(&unhex("01"), true).is_err_and(|e| e.message.ends_with("position 0")));
        assert!(reencode(&unhex("0101000000000000000000F03F"), true).is_err_and(|e| e.message.ends_with("position 13")));
    }
}
