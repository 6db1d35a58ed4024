//! Spark's seeded random functions: `rand`, `randn` and `randstr` draw from
//! Spark's `XORShiftRandom` seeded with `seed + partition index`, so a given
//! seed gives Spark's sequence. Each call site owns one generator that runs
//! on across the batches of its query (one partition's worth of rows).

use std::sync::{Arc, Mutex};

use datafusion::arrow::array::{Float64Array, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// Scala's `MurmurHash3.bytesHash`, used by Spark to spread seeds.
fn scala_bytes_hash(data: &[u8], seed: u32) -> u32 {
    fn mix_last(h: u32, k: u32) -> u32 {
        h ^ k.wrapping_mul(0xcc9e_2d51).rotate_left(15).wrapping_mul(0x1b87_3593)
    }
    fn mix(h: u32, k: u32) -> u32 {
        mix_last(h, k).rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64)
    }
    let mut h = seed;
    let mut chunks = data.chunks_exact(4);
    for c in &mut chunks {
        h = mix(h, u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, b) in tail.iter().enumerate() {
            k ^= (*b as u32) << (8 * i);
        }
        h = mix_last(h, k);
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// Spark's `XORShiftRandom` with `java.util.Random`'s derived draws.
#[derive(Debug, Clone)]
pub struct XorShiftRandom {
    seed: u64,
    next_gaussian: Option<f64>,
}

impl XorShiftRandom {
    pub fn new(init: i64) -> Self {
        let bytes = init.to_be_bytes();
        let low = scala_bytes_hash(&bytes, 0x3c07_4a61);
        let high = scala_bytes_hash(&bytes, low);
        Self { seed: ((high as u64) << 32) | low as u64, next_gaussian: None }
    }

    fn next(&mut self, bits: u32) -> i32 {
        let mut s = self.seed ^ (self.seed << 21);
        s ^= s >> 35;
        s ^= s << 4;
        self.seed = s;
        (s & ((1u64 << bits) - 1)) as i32
    }

    pub fn next_int(&mut self) -> i32 {
        self.next(32)
    }

    pub fn next_double(&mut self) -> f64 {
        let hi = (self.next(26) as i64) << 27;
        let lo = self.next(27) as i64;
        (hi + lo) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// `java.util.Random.nextGaussian`: the polar method, two at a time.
    pub fn next_gaussian(&mut self) -> f64 {
        if let Some(g) = self.next_gaussian.take() {
            return g;
        }
        loop {
            let v1 = 2.0 * self.next_double() - 1.0;
            let v2 = 2.0 * self.next_double() - 1.0;
            let s = v1 * v1 + v2 * v2;
            if s < 1.0 && s != 0.0 {
                let multiplier = (-2.0 * s.ln() / s).sqrt();
                self.next_gaussian = Some(v2 * multiplier);
                return v1 * multiplier;
            }
        }
    }

    /// `randstr`: characters from 0-9, a-z, A-Z.
    pub fn next_string(&mut self, length: usize) -> String {
        (0..length)
            .map(|_| {
                let v = (self.next_int() % 62).unsigned_abs() as u8;
                match v {
                    0..=9 => (b'0' + v) as char,
                    10..=35 => (b'a' + v - 10) as char,
                    _ => (b'A' + v - 36) as char,
                }
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Draw {
    Uniform,
    Gaussian,
    /// A string of the given length.
    Chars(usize),
    /// A Poisson-distributed count with the given mean (as bits), for
    /// sampling with replacement.
    Poisson(u64),
}

#[derive(Debug)]
pub struct SparkRandom {
    signature: Signature,
    draw: Draw,
    seed: i64,
    rng: Mutex<Generator>,
}

/// A call site's generator, and where Spark's partitions of its input end.
#[derive(Debug)]
struct Generator {
    rng: XorShiftRandom,
    /// Rows of Spark's partitions after the current one, in order.
    slices: std::collections::VecDeque<u64>,
    /// The current partition's index, and how many rows it has left.
    partition: i64,
    left: Option<u64>,
}

impl Generator {
    /// The generator for the next row: a new seed where Spark's next
    /// partition starts.
    fn next_row(&mut self, seed: i64) -> &mut XorShiftRandom {
        while self.left == Some(0) {
            match self.slices.pop_front() {
                Some(rows) => {
                    self.partition += 1;
                    self.rng = XorShiftRandom::new(seed.wrapping_add(self.partition));
                    self.left = Some(rows);
                }
                None => self.left = None,
            }
        }
        if let Some(left) = self.left.as_mut() {
            *left -= 1;
        }
        &mut self.rng
    }
}

impl PartialEq for SparkRandom {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for SparkRandom {}
impl std::hash::Hash for SparkRandom {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.draw.hash(state);
        self.seed.hash(state);
    }
}

impl SparkRandom {
    /// A generator for one call site; partition 0 of Spark's seeding.
    pub fn udf(draw: Draw, seed: i64) -> Arc<ScalarUDF> {
        Self::partitioned(draw, seed, &[])
    }

    /// A generator over an input Spark splits into partitions of these row
    /// counts (in order), seeded `seed + i` in partition i as Spark seeds
    /// it; no counts is one partition.
    pub fn partitioned(draw: Draw, seed: i64, slices: &[u64]) -> Arc<ScalarUDF> {
        let mut rest: std::collections::VecDeque<u64> = slices.iter().copied().collect();
        let left = rest.pop_front();
        let generator = Generator { rng: XorShiftRandom::new(seed), slices: rest, partition: 0, left };
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::nullary(Volatility::Volatile), draw, seed, rng: Mutex::new(generator) }))
    }
}

impl ScalarUDFImpl for SparkRandom {
    fn name(&self) -> &str {
        match self.draw {
            Draw::Uniform => "rand",
            Draw::Gaussian => "randn",
            Draw::Chars(_) => "randstr",
            Draw::Poisson(_) => "poisson",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.draw {
            Draw::Chars(_) => DataType::Utf8,
            Draw::Poisson(_) => DataType::Int32,
            _ => DataType::Float64,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let Ok(mut generator) = self.rng.lock() else {
            return exec_err!("random generator state is poisoned");
        };
        let seed = self.seed;
        Ok(ColumnarValue::Array(match self.draw {
            Draw::Uniform => Arc::new(Float64Array::from_iter_values((0..n).map(|_| generator.next_row(seed).next_double()))),
            Draw::Gaussian => Arc::new(Float64Array::from_iter_values((0..n).map(|_| generator.next_row(seed).next_gaussian()))),
            Draw::Poisson(mean) => {
                let limit = (-f64::from_bits(mean)).exp();
                // Knuth: multiply uniform draws until the product falls below e^-mean.
                Arc::new(datafusion::arrow::array::Int32Array::from_iter_values((0..n).map(|_| {
                    let rng = generator.next_row(seed);
                    let (mut k, mut p) = (0i32, rng.next_double());
                    while p > limit && k < 1_000 {
                        k += 1;
                        p *= rng.next_double();
                    }
                    k
                })))
            }
            Draw::Chars(len) => {
                let mut b = StringBuilder::with_capacity(n, n * len);
                for _ in 0..n {
                    b.append_value(generator.next_row(seed).next_string(len));
                }
                Arc::new(b.finish())
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequences_match_spark() {
        // rand(0), randn(0) and randstr(3, 0) on Spark 4.3.
        assert_eq!(XorShiftRandom::new(0).next_double(), 0.7604953758285915);
        assert_eq!(XorShiftRandom::new(0).next_gaussian(), 1.6034991609278433);
        assert_eq!(XorShiftRandom::new(0).next_string(3), "ceV");
    }
}
