//! ORC's version-1 run-length encodings (the `DIRECT` column encoding),
//! which every ORC reader decodes: byte runs, bit-packed booleans, integer
//! runs of base-128 varints, and unbounded varints for decimals.

/// Appends an unsigned base-128 varint (least significant group first).
pub fn put_varint(out: &mut Vec<u8>, mut v: u128) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Zigzag: signed values as unsigned, small magnitudes small.
pub fn zigzag(v: i128) -> u128 {
    ((v << 1) ^ (v >> 127)) as u128
}

/// The most values in a run, and in a block of literals.
const MAX_RUN: usize = 130;
const MIN_RUN: usize = 3;
const MAX_LITERALS: usize = 128;

/// Byte RLE: runs of 3–130 equal bytes, else blocks of up to 128 literals.
pub fn encode_bytes(values: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(values.len() + values.len() / 128 + 1);
    let mut literals_start = 0;
    let mut i = 0;
    while i < values.len() {
        let mut run = 1;
        while run < MAX_RUN && i + run < values.len() && values[i + run] == values[i] {
            run += 1;
        }
        if run >= MIN_RUN {
            byte_literals(&mut out, &values[literals_start..i]);
            out.push((run - MIN_RUN) as u8);
            out.push(values[i]);
            i += run;
            literals_start = i;
        } else {
            i += 1;
        }
    }
    byte_literals(&mut out, &values[literals_start..]);
    out
}

fn byte_literals(out: &mut Vec<u8>, literals: &[u8]) {
    for chunk in literals.chunks(MAX_LITERALS) {
        out.push((-(chunk.len() as i16)) as u8);
        out.extend_from_slice(chunk);
    }
}

/// Booleans packed eight to a byte (first value in the high bit), then byte RLE.
pub fn encode_bools(values: &[bool]) -> Vec<u8> {
    let packed: Vec<u8> = values
        .chunks(8)
        .map(|bits| bits.iter().enumerate().fold(0u8, |byte, (i, &b)| if b { byte | (0x80 >> i) } else { byte }))
        .collect();
    encode_bytes(&packed)
}

/// Integer RLE v1: runs of 3–130 values with a constant delta in
/// [-128, 127], else blocks of up to 128 literal varints.
pub fn encode_ints(values: &[i64], signed: bool) -> Vec<u8> {
    let put = |out: &mut Vec<u8>, v: i64| {
        if signed { put_varint(out, zigzag(i128::from(v))) } else { put_varint(out, u128::from(v as u64)) }
    };
    let mut out = Vec::with_capacity(values.len() * 2 + 4);
    let mut literals_start = 0;
    let mut i = 0;
    let delta_at = |k: usize| i128::from(values[k + 1]) - i128::from(values[k]);
    while i < values.len() {
        let mut run = 1;
        if i + 2 < values.len() {
            let delta = delta_at(i);
            if (-128..=127).contains(&delta) && delta_at(i + 1) == delta {
                run = 3;
                while run < MAX_RUN && i + run < values.len() && delta_at(i + run - 1) == delta {
                    run += 1;
                }
                int_literals(&mut out, &values[literals_start..i], put);
                out.push((run - MIN_RUN) as u8);
                out.push(delta as i8 as u8);
                put(&mut out, values[i]);
                i += run;
                literals_start = i;
                continue;
            }
        }
        i += run;
    }
    int_literals(&mut out, &values[literals_start..], put);
    out
}

fn int_literals(out: &mut Vec<u8>, literals: &[i64], put: impl Fn(&mut Vec<u8>, i64)) {
    for chunk in literals.chunks(MAX_LITERALS) {
        out.push((-(chunk.len() as i16)) as u8);
        for &v in chunk {
            put(out, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_runs_and_literals() {
        // The ORC specification's examples.
        assert_eq!(encode_bytes(&[0; 100]), vec![0x61, 0x00]);
        assert_eq!(encode_bytes(&[0x44, 0x45]), vec![0xfe, 0x44, 0x45]);
        assert!(encode_bytes(&[]).is_empty());
    }

    #[test]
    fn int_runs_and_literals() {
        // [7; 100] is a run of 100 with delta 0; 100..=1 a run with delta -1.
        assert_eq!(encode_ints(&[7; 100], false), vec![0x61, 0x00, 0x07]);
        let down: Vec<i64> = (1..=100).rev().collect();
        assert_eq!(encode_ints(&down, false), vec![0x61, 0xff, 0x64]);
        assert_eq!(encode_ints(&[2, 3, 6, 7, 11], false), vec![0xfb, 0x02, 0x03, 0x06, 0x07, 0x0b]);
        assert_eq!(encode_ints(&[-1], true), vec![0xff, 0x01]);
        // Deltas overflowing i64 are still literals.
        assert_eq!(encode_ints(&[i64::MIN, i64::MAX, i64::MIN], true).len(), 1 + 3 * 10);
    }

    #[test]
    fn bools_pack_high_bit_first() {
        assert_eq!(encode_bools(&[true, false, false, false, false, false, false, false, true]), vec![0xfe, 0x80, 0x80]);
    }

    #[test]
    fn varints() {
        let mut out = Vec::new();
        put_varint(&mut out, 300);
        assert_eq!(out, vec![0xac, 0x02]);
        assert_eq!(zigzag(-1), 1);
        assert_eq!(zigzag(1), 2);
        assert_eq!(zigzag(i128::from(i64::MIN)), u128::from(u64::MAX));
    }
}
