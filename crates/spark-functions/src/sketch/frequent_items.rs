//! Apache DataSketches' frequent-items sketch (`ItemsSketch`), which Spark's
//! `approx_top_k` family keeps: a hash map of items to counts that, when
//! full, subtracts the median count from every entry and drops those no
//! longer positive (adding it to the sketch's error offset).
//!
//! The map is laid out exactly as DataSketches lays it out (Java hash codes
//! of the items, mixed by the same 64-bit finalizer, linear probing, a
//! golden-ratio stride when iterating), because the order of items with
//! equal counts in Spark's answers is that iteration order; the bytes are
//! DataSketches' serialization, so sketches move between Spark and here.

/// DataSketches' smallest map (`LG_MIN_MAP_SIZE`) and purge sample size.
const LG_MIN_MAP_SIZE: u8 = 3;
const SAMPLE_SIZE: usize = 1024;
const LOAD_FACTOR: f64 = 0.75;
/// The FREQUENCY family's id and serialization version.
const FAMILY_ID: u8 = 10;
const SER_VER: u8 = 1;
const EMPTY_FLAG: u8 = 5;
const PREAMBLE_LONGS: usize = 4;

/// How items of a Spark type are held and serialized: DataSketches'
/// `ArrayOfNumbersSerDe` (with a type byte per item), `ArrayOfLongsSerDe`,
/// `ArrayOfDoublesSerDe`, `ArrayOfBooleansSerDe`, `ArrayOfStringsSerDe`, and
/// Spark's decimal serde (an int, a long or big-endian bytes by precision).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    Boolean,
    Byte,
    Short,
    /// INT and DATE (days).
    Int,
    /// BIGINT and timestamps (microseconds).
    Long,
    Float,
    Double,
    String,
    Decimal { precision: u8, scale: i8 },
}

/// One item, compared as Java compares the boxed value (floats by bits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Boolean(bool),
    Byte(i8),
    Short(i16),
    Int(i32),
    Long(i64),
    /// `Float.floatToIntBits`: NaNs canonical, -0.0 apart from 0.0.
    Float(u32),
    /// `Double.doubleToLongBits`.
    Double(u64),
    String(String),
    /// The unscaled value; the scale is the sketch's.
    Decimal(i128),
}

impl Item {
    pub fn float(v: f32) -> Item {
        Item::Float(if v.is_nan() { 0x7fc0_0000 } else { v.to_bits() })
    }

    pub fn double(v: f64) -> Item {
        Item::Double(if v.is_nan() { 0x7ff8_0000_0000_0000 } else { v.to_bits() })
    }

    /// The item's Java `hashCode()` (Spark's `Decimal` hashes as Scala's
    /// `BigDecimal` does).
    fn java_hash(&self, scale: i8) -> i32 {
        match self {
            Item::Boolean(b) => {
                if *b {
                    1231
                } else {
                    1237
                }
            }
            Item::Byte(v) => i32::from(*v),
            Item::Short(v) => i32::from(*v),
            Item::Int(v) => *v,
            Item::Long(v) => long_hash(*v),
            Item::Float(bits) => *bits as i32,
            Item::Double(bits) => (bits ^ (bits >> 32)) as i32,
            Item::String(s) => s.encode_utf16().fold(0i32, |h, c| h.wrapping_mul(31).wrapping_add(i32::from(c))),
            Item::Decimal(unscaled) => scala_decimal_hash(*unscaled, scale),
        }
    }
}

fn long_hash(v: i64) -> i32 {
    (v ^ ((v as u64) >> 32) as i64) as i32
}

/// Java's `BigInteger.hashCode` of `v`.
fn big_integer_hash(v: i128) -> i32 {
    let magnitude = v.unsigned_abs();
    let mut words: Vec<u32> = (0..4).rev().map(|i| (magnitude >> (32 * i)) as u32).collect();
    while words.first() == Some(&0) {
        words.remove(0);
    }
    let h = words.iter().fold(0i32, |h, w| h.wrapping_mul(31).wrapping_add(*w as i32));
    h.wrapping_mul(v.signum() as i32)
}

/// Scala's hash of a double (`BoxesRunTime.hashFromDouble`): the narrowest
/// of int, long and float that holds it exactly.
fn scala_double_hash(d: f64) -> i32 {
    if d == (d as i32) as f64 {
        return d as i32;
    }
    if d == (d as i64) as f64 {
        return long_hash(d as i64);
    }
    if d == (d as f32) as f64 {
        return (d as f32).to_bits() as i32;
    }
    let bits = if d.is_nan() { 0x7ff8_0000_0000_0000 } else { d.to_bits() };
    (bits ^ (bits >> 32)) as i32
}

/// Scala's `BigDecimal.hashCode` of `unscaled × 10^-scale`: whole numbers as
/// integers, values a double shows exactly as that double, the rest by a
/// murmur mix of the unscaled value and scale (trailing zeros stripped).
fn scala_decimal_hash(unscaled: i128, scale: i8) -> i32 {
    let (mut unscaled, mut scale) = (unscaled, i32::from(scale));
    while scale > 0 && unscaled != 0 && unscaled % 10 == 0 {
        unscaled /= 10;
        scale -= 1;
    }
    if unscaled == 0 {
        return 0;
    }
    if scale <= 0 {
        let whole = (0..-scale).try_fold(unscaled, |v, _| v.checked_mul(10));
        return match whole {
            Some(v) if i64::try_from(v).is_ok() => {
                let l = v as i64;
                if i32::try_from(l).is_ok() { l as i32 } else { long_hash(l) }
            }
            Some(v) => big_integer_hash(v),
            None => big_integer_hash(unscaled),
        };
    }
    let text = {
        let digits = unscaled.unsigned_abs().to_string();
        let s = scale as usize;
        let padded = if digits.len() <= s { format!("{}{digits}", "0".repeat(s + 1 - digits.len())) } else { digits };
        let (int_part, frac) = padded.split_at(padded.len() - s);
        format!("{}{int_part}.{frac}", if unscaled < 0 { "-" } else { "" })
    };
    if let Ok(d) = text.parse::<f64>()
        && d.is_finite()
        && shortest_decimal_equals(d, unscaled, scale)
    {
        return scala_double_hash(d);
    }
    let mut k = scale.wrapping_mul(0xcc9e_2d51_u32 as i32);
    k = k.rotate_left(15);
    k = k.wrapping_mul(0x1b87_3593);
    big_integer_hash(unscaled) ^ k
}

/// Whether Java's shortest text of `d` is the decimal `unscaled × 10^-scale`.
fn shortest_decimal_equals(d: f64, unscaled: i128, scale: i32) -> bool {
    // Rust's `{}` of an f64 is its shortest round-trip text, as Java's
    // `Double.toString` digits are for values of this size.
    let shown = format!("{d}");
    let (int_part, frac) = shown.split_once('.').unwrap_or((shown.as_str(), ""));
    let frac = frac.trim_end_matches('0');
    let digits = format!("{}{frac}", int_part.trim_start_matches('-'));
    let Ok(mut value) = digits.parse::<i128>() else { return false };
    if shown.starts_with('-') {
        value = -value;
    }
    let shown_scale = frac.len() as i32;
    match shown_scale.cmp(&scale) {
        std::cmp::Ordering::Equal => value == unscaled,
        std::cmp::Ordering::Less => (0..scale - shown_scale).try_fold(value, |v, _| v.checked_mul(10)) == Some(unscaled),
        std::cmp::Ordering::Greater => false,
    }
}

/// DataSketches' 64-bit finalizer over a hash code.
fn mix(key: i64) -> u64 {
    let mut k = key as u64;
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

/// `ReversePurgeItemHashMap`: open addressing, each slot's state its drift
/// from its home slot (0 empty).
#[derive(Debug, Clone)]
struct ItemMap {
    keys: Vec<Option<Item>>,
    values: Vec<i64>,
    states: Vec<u16>,
    lg_length: u8,
    load_threshold: usize,
    num_active: usize,
}

impl ItemMap {
    fn new(lg_length: u8) -> Self {
        let n = 1usize << lg_length;
        ItemMap { keys: vec![None; n], values: vec![0; n], states: vec![0; n], lg_length, load_threshold: (n as f64 * LOAD_FACTOR) as usize, num_active: 0 }
    }

    fn mask(&self) -> usize {
        self.keys.len() - 1
    }

    fn adjust_or_put(&mut self, key: Item, amount: i64, scale: i8) {
        let mask = self.mask();
        let mut probe = (mix(i64::from(key.java_hash(scale))) as usize) & mask;
        let mut drift: u16 = 1;
        while self.states[probe] != 0 && self.keys[probe].as_ref() != Some(&key) {
            probe = (probe + 1) & mask;
            drift = drift.saturating_add(1);
        }
        if self.states[probe] == 0 {
            self.keys[probe] = Some(key);
            self.values[probe] = amount;
            self.states[probe] = drift;
            self.num_active += 1;
        } else {
            self.values[probe] += amount;
        }
    }

    fn resize(&mut self, lg_length: u8, scale: i8) {
        let old = std::mem::replace(self, ItemMap::new(lg_length));
        for ((key, value), state) in old.keys.into_iter().zip(old.values).zip(old.states) {
            if let (Some(key), true) = (key, state > 0) {
                self.adjust_or_put(key, value, scale);
            }
        }
    }

    /// Subtracts the median of the first `sample_size` counts from all and
    /// keeps the positive ones; the median is the error added.
    fn purge(&mut self, sample_size: usize) -> i64 {
        let limit = sample_size.min(self.num_active);
        let mut samples: Vec<i64> = (0..self.keys.len()).filter(|i| self.states[*i] > 0).map(|i| self.values[i]).take(limit).collect();
        samples.sort_unstable();
        let median = samples.get(limit / 2).copied().unwrap_or(0);
        for v in &mut self.values {
            *v -= median;
        }
        self.keep_only_positive();
        median
    }

    fn keep_only_positive(&mut self) {
        let n = self.states.len();
        // The high end of the cluster that wraps around, then everything
        // below it from the back, then that cluster.
        let mut first = n - 1;
        while self.states[first] > 0 && first > 0 {
            first -= 1;
        }
        for probe in (0..first).rev() {
            if self.states[probe] > 0 && self.values[probe] <= 0 {
                self.delete(probe);
                self.num_active -= 1;
            }
        }
        for probe in (first..n).rev() {
            if self.states[probe] > 0 && self.values[probe] <= 0 {
                self.delete(probe);
                self.num_active -= 1;
            }
        }
    }

    fn delete(&mut self, mut at: usize) {
        self.states[at] = 0;
        self.keys[at] = None;
        let mask = self.mask();
        let mut drift: u16 = 1;
        let mut probe = (at + 1) & mask;
        while self.states[probe] != 0 {
            if self.states[probe] > drift {
                self.keys[at] = self.keys[probe].take();
                self.values[at] = self.values[probe];
                self.states[at] = self.states[probe] - drift;
                self.states[probe] = 0;
                drift = 0;
                at = probe;
            }
            probe = (probe + 1) & mask;
            drift += 1;
        }
    }

    /// The active slots in DataSketches' iteration order: a stride of the
    /// length times the golden ratio's reciprocal (made odd).
    fn iteration_order(&self) -> Vec<usize> {
        let n = self.keys.len();
        let stride = ((n as f64 * ((5f64.sqrt() - 1.0) / 2.0)) as usize) | 1;
        let mut out = Vec::with_capacity(self.num_active);
        let mut i = 0usize.wrapping_sub(stride);
        while out.len() < self.num_active {
            i = i.wrapping_add(stride) & self.mask();
            if self.states[i] > 0 {
                out.push(i);
            }
        }
        out
    }

    /// The active slots in index order (how DataSketches serializes them).
    fn index_order(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.keys.len()).filter(|i| self.states[*i] > 0)
    }
}

/// The sketch.
#[derive(Debug, Clone)]
pub struct FrequentItems {
    kind: ItemKind,
    lg_max_map_size: u8,
    cur_map_cap: usize,
    offset: i64,
    stream_weight: i64,
    sample_size: usize,
    map: ItemMap,
}

/// What a serialized sketch failed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corrupt(pub String);

impl FrequentItems {
    /// A sketch whose map grows to `max_map_size` slots (a power of two).
    pub fn new(kind: ItemKind, max_map_size: usize) -> Self {
        Self::with_sizes(kind, max_map_size.max(1).trailing_zeros() as u8, LG_MIN_MAP_SIZE)
    }

    fn with_sizes(kind: ItemKind, lg_max: u8, lg_cur: u8) -> Self {
        let lg_max = lg_max.max(LG_MIN_MAP_SIZE);
        let map = ItemMap::new(lg_cur.max(LG_MIN_MAP_SIZE));
        let max_cap = ((1usize << lg_max) as f64 * LOAD_FACTOR) as usize;
        FrequentItems { kind, lg_max_map_size: lg_max, cur_map_cap: map.load_threshold, offset: 0, stream_weight: 0, sample_size: SAMPLE_SIZE.min(max_cap), map }
    }

    fn scale(&self) -> i8 {
        match self.kind {
            ItemKind::Decimal { scale, .. } => scale,
            _ => 0,
        }
    }

    /// Roughly the memory the sketch holds (its map's slots and the items' text).
    pub fn memory_size(&self) -> usize {
        let slots = self.map.keys.len() * (std::mem::size_of::<Option<Item>>() + 10);
        let text: usize = self.map.keys.iter().flatten().map(|k| if let Item::String(s) = k { s.capacity() } else { 0 }).sum();
        slots + text
    }

    pub fn is_empty(&self) -> bool {
        self.map.num_active == 0
    }

    pub fn update(&mut self, item: Item, count: i64) {
        if count <= 0 {
            return;
        }
        self.stream_weight += count;
        let scale = self.scale();
        self.map.adjust_or_put(item, count, scale);
        if self.map.num_active > self.cur_map_cap {
            if self.map.lg_length < self.lg_max_map_size {
                self.map.resize(self.map.lg_length + 1, scale);
                self.cur_map_cap = self.map.load_threshold;
            } else {
                self.offset += self.map.purge(self.sample_size);
            }
        }
    }

    /// Adds `other`'s items (in its iteration order) and error.
    pub fn merge(&mut self, other: &FrequentItems) {
        if other.is_empty() {
            return;
        }
        let weight = self.stream_weight + other.stream_weight;
        for i in other.map.iteration_order() {
            if let Some(key) = &other.map.keys[i] {
                self.update(key.clone(), other.map.values[i]);
            }
        }
        self.offset += other.offset;
        self.stream_weight = weight;
    }

    /// The items whose lower bound reaches the error (Spark's
    /// `NO_FALSE_POSITIVES`), by estimate, most frequent first; ties keep
    /// the map's iteration order.
    pub fn frequent_items(&self) -> Vec<(Item, i64)> {
        let threshold = self.offset;
        let mut rows: Vec<(Item, i64)> = Vec::new();
        for i in self.map.iteration_order() {
            let (Some(key), count) = (&self.map.keys[i], self.map.values[i]) else { continue };
            if count >= threshold {
                rows.push((key.clone(), count + self.offset));
            }
        }
        rows.sort_by(|a, b| b.1.cmp(&a.1));
        rows
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut pre0 = [0u8; 8];
        pre0[1] = SER_VER;
        pre0[2] = FAMILY_ID;
        pre0[3] = self.lg_max_map_size;
        pre0[4] = self.map.lg_length;
        if self.is_empty() {
            pre0[0] = 1;
            pre0[5] = EMPTY_FLAG;
            return pre0.to_vec();
        }
        pre0[0] = PREAMBLE_LONGS as u8;
        let mut out = pre0.to_vec();
        out.extend_from_slice(&(self.map.num_active as u32).to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&self.stream_weight.to_le_bytes());
        out.extend_from_slice(&self.offset.to_le_bytes());
        let slots: Vec<usize> = self.map.index_order().collect();
        for i in &slots {
            out.extend_from_slice(&self.map.values[*i].to_le_bytes());
        }
        let items: Vec<&Item> = slots.iter().filter_map(|i| self.map.keys[*i].as_ref()).collect();
        write_items(&mut out, self.kind, &items);
        out
    }

    /// Reads DataSketches' bytes (the rest of `bytes` after the sketch is
    /// returned as its length).
    pub fn from_bytes(kind: ItemKind, bytes: &[u8]) -> Result<(FrequentItems, usize), Corrupt> {
        let byte = |i: usize| bytes.get(i).copied().ok_or_else(|| Corrupt("the sketch is truncated".into()));
        let (pre_longs, ser_ver, family, lg_max, lg_cur, flags) = (byte(0)?, byte(1)?, byte(2)?, byte(3)?, byte(4)?, byte(5)?);
        if ser_ver != SER_VER || family != FAMILY_ID {
            return Err(Corrupt(format!("not a frequent-items sketch (version {ser_ver}, family {family})")));
        }
        let empty = flags & EMPTY_FLAG != 0;
        if empty != (pre_longs == 1) || (pre_longs != 1 && pre_longs as usize != PREAMBLE_LONGS) || lg_max > 30 || lg_cur > lg_max.max(LG_MIN_MAP_SIZE) {
            return Err(Corrupt("inconsistent preamble".into()));
        }
        if empty {
            return Ok((FrequentItems::with_sizes(kind, lg_max, LG_MIN_MAP_SIZE), 8));
        }
        let word = |i: usize| -> Result<i64, Corrupt> {
            let b = bytes.get(i * 8..i * 8 + 8).ok_or_else(|| Corrupt("the sketch is truncated".into()))?;
            Ok(i64::from_le_bytes(b.try_into().map_err(|_| Corrupt("the sketch is truncated".into()))?))
        };
        let active = (word(1)? as u64 & 0xffff_ffff) as usize;
        let (stream_weight, offset) = (word(2)?, word(3)?);
        if active > (1usize << lg_max) {
            return Err(Corrupt("more items than the map holds".into()));
        }
        let counts = (0..active).map(|i| word(PREAMBLE_LONGS + i)).collect::<Result<Vec<_>, _>>()?;
        let mut at = (PREAMBLE_LONGS + active) * 8;
        let items = read_items(kind, bytes, &mut at, active)?;
        let mut sketch = FrequentItems::with_sizes(kind, lg_max, lg_cur);
        // As DataSketches reads: the error first, then the items re-added.
        sketch.offset = offset;
        for (item, count) in items.into_iter().zip(counts) {
            sketch.update(item, count);
        }
        sketch.stream_weight = stream_weight;
        Ok((sketch, at))
    }
}

/// Bytes per decimal: a 32-bit int up to 9 digits, a long up to 18, else
/// big-endian two's complement bytes after their length.
fn decimal_width(precision: u8) -> Option<usize> {
    match precision {
        0..=9 => Some(4),
        10..=18 => Some(8),
        _ => None,
    }
}

fn write_items(out: &mut Vec<u8>, kind: ItemKind, items: &[&Item]) {
    if kind == ItemKind::Boolean {
        let mut bytes = vec![0u8; items.len().div_ceil(8)];
        for (i, item) in items.iter().enumerate() {
            if matches!(item, Item::Boolean(true)) {
                bytes[i / 8] |= 1 << (i % 8);
            }
        }
        out.extend_from_slice(&bytes);
        return;
    }
    for item in items {
        match (kind, item) {
            // ArrayOfNumbersSerDe: a type byte, then the value.
            (_, Item::Byte(v)) => out.extend_from_slice(&[2, *v as u8]),
            (_, Item::Short(v)) => {
                out.push(3);
                out.extend_from_slice(&v.to_le_bytes());
            }
            (_, Item::Int(v)) => {
                out.push(9);
                out.extend_from_slice(&v.to_le_bytes());
            }
            (_, Item::Float(bits)) => {
                out.push(6);
                out.extend_from_slice(&bits.to_le_bytes());
            }
            (_, Item::Long(v)) => out.extend_from_slice(&v.to_le_bytes()),
            (_, Item::Double(bits)) => out.extend_from_slice(&bits.to_le_bytes()),
            (_, Item::String(s)) => {
                out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            (ItemKind::Decimal { precision, .. }, Item::Decimal(v)) => match decimal_width(precision) {
                Some(4) => {
                    out.push(9);
                    out.extend_from_slice(&(*v as i32).to_le_bytes());
                }
                Some(_) => out.extend_from_slice(&(*v as i64).to_le_bytes()),
                None => {
                    let be = minimal_twos_complement(*v);
                    out.extend_from_slice(&(be.len() as u32).to_le_bytes());
                    out.extend_from_slice(&be);
                }
            },
            (_, Item::Boolean(_) | Item::Decimal(_)) => {}
        }
    }
}

/// Java's `BigInteger.toByteArray`: the shortest big-endian two's complement.
fn minimal_twos_complement(v: i128) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 15 {
        let (b, next) = (bytes[start], bytes[start + 1]);
        if (b == 0 && next & 0x80 == 0) || (b == 0xff && next & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    bytes[start..].to_vec()
}

fn read_items(kind: ItemKind, bytes: &[u8], at: &mut usize, n: usize) -> Result<Vec<Item>, Corrupt> {
    let truncated = || Corrupt("the sketch's items are truncated".into());
    let mut take = |len: usize| -> Result<&[u8], Corrupt> {
        let s = bytes.get(*at..*at + len).ok_or_else(truncated)?;
        *at += len;
        Ok(s)
    };
    let mut items = Vec::with_capacity(n);
    if kind == ItemKind::Boolean {
        let packed = take(n.div_ceil(8))?.to_vec();
        return Ok((0..n).map(|i| Item::Boolean(packed[i / 8] & (1 << (i % 8)) != 0)).collect());
    }
    for _ in 0..n {
        let item = match kind {
            ItemKind::Long => Item::Long(i64::from_le_bytes(take(8)?.try_into().map_err(|_| truncated())?)),
            ItemKind::Double => Item::Double(u64::from_le_bytes(take(8)?.try_into().map_err(|_| truncated())?)),
            ItemKind::String => {
                let len = u32::from_le_bytes(take(4)?.try_into().map_err(|_| truncated())?) as usize;
                let text = std::str::from_utf8(take(len)?).map_err(|_| Corrupt("an item is not UTF-8".into()))?;
                Item::String(text.to_string())
            }
            ItemKind::Decimal { precision, .. } if decimal_width(precision) == Some(8) => {
                Item::Decimal(i128::from(i64::from_le_bytes(take(8)?.try_into().map_err(|_| truncated())?)))
            }
            ItemKind::Decimal { precision, .. } if decimal_width(precision).is_none() => {
                let len = u32::from_le_bytes(take(4)?.try_into().map_err(|_| truncated())?) as usize;
                let be = take(len)?;
                if be.is_empty() || be.len() > 16 {
                    return Err(Corrupt("a decimal item is out of range".into()));
                }
                let fill = if be[0] & 0x80 != 0 { 0xff } else { 0 };
                let mut full = [fill; 16];
                full[16 - be.len()..].copy_from_slice(be);
                Item::Decimal(i128::from_be_bytes(full))
            }
            // ArrayOfNumbersSerDe: the type byte says how wide.
            _ => {
                let tag = take(1)?[0];
                let number = match tag {
                    2 => Item::Byte(take(1)?[0] as i8),
                    3 => Item::Short(i16::from_le_bytes(take(2)?.try_into().map_err(|_| truncated())?)),
                    9 => Item::Int(i32::from_le_bytes(take(4)?.try_into().map_err(|_| truncated())?)),
                    6 => Item::Float(u32::from_le_bytes(take(4)?.try_into().map_err(|_| truncated())?)),
                    12 => Item::Long(i64::from_le_bytes(take(8)?.try_into().map_err(|_| truncated())?)),
                    4 => Item::Double(u64::from_le_bytes(take(8)?.try_into().map_err(|_| truncated())?)),
                    other => return Err(Corrupt(format!("unknown number type {other}"))),
                };
                match (kind, number) {
                    (ItemKind::Decimal { .. }, Item::Int(v)) => Item::Decimal(i128::from(v)),
                    (_, n) => n,
                }
            }
        };
        items.push(item);
    }
    Ok(items)
}

/// Spark's map size for `maxItemsTracked`: the power of two holding it at
/// the 0.75 load factor.
pub fn max_map_size(max_items_tracked: i32) -> usize {
    let needed = (f64::from(max_items_tracked) / LOAD_FACTOR).ceil().max(1.0);
    2f64.powf(needed.log2().ceil()) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02X}")).collect()
    }

    fn sketch_of(kind: ItemKind, items: Vec<Item>) -> FrequentItems {
        let mut s = FrequentItems::new(kind, max_map_size(10000));
        for i in items {
            s.update(i, 1);
        }
        s
    }

    #[test]
    fn ties_in_spark_order() {
        let s = sketch_of(ItemKind::Int, [0, 0, 1, 1, 2, 3, 4, 4].into_iter().map(Item::Int).collect());
        let got: Vec<(Item, i64)> = s.frequent_items();
        let want: Vec<(Item, i64)> = vec![(Item::Int(0), 2), (Item::Int(4), 2), (Item::Int(1), 2), (Item::Int(2), 1), (Item::Int(3), 1)];
        assert_eq!(got, want);
    }

    #[test]
    fn bytes_as_spark_writes_them() {
        // Recorded from Spark 4.3's approx_top_k_accumulate (the sketch part).
        let ints = sketch_of(ItemKind::Int, vec![Item::Int(1), Item::Int(2), Item::Int(2)]);
        assert_eq!(hex(&ints.to_bytes()), "04010A0E030000000200000000000000030000000000000000000000000000000100000000000000020000000000000009010000000902000000");
        let strings = sketch_of(ItemKind::String, vec![Item::String("a".into()), Item::String("b".into()), Item::String("a".into())]);
        assert_eq!(hex(&strings.to_bytes()), "04010A0E030000000200000000000000030000000000000000000000000000000100000000000000020000000000000001000000620100000061");
        let bools = sketch_of(ItemKind::Boolean, vec![Item::Boolean(true), Item::Boolean(false), Item::Boolean(true)]);
        assert_eq!(hex(&bools.to_bytes()), "04010A0E030000000200000000000000030000000000000000000000000000000200000000000000010000000000000001");
        let decimals = sketch_of(ItemKind::Decimal { precision: 4, scale: 2 }, vec![Item::Decimal(150), Item::Decimal(2575)]);
        assert_eq!(hex(&decimals.to_bytes()), "04010A0E0300000002000000000000000200000000000000000000000000000001000000000000000100000000000000090F0A00000996000000");
        let empty = FrequentItems::new(ItemKind::Int, max_map_size(10000));
        assert_eq!(hex(&empty.to_bytes()), "01010A0E03050000");
    }

    #[test]
    fn round_trips_and_merges() {
        let a = sketch_of(ItemKind::Long, (0..100).map(|i| Item::Long(i % 7)).collect());
        let (back, used) = FrequentItems::from_bytes(ItemKind::Long, &a.to_bytes()).expect("reads");
        assert_eq!(used, a.to_bytes().len());
        assert_eq!(back.frequent_items(), a.frequent_items());
        let mut m = sketch_of(ItemKind::Long, vec![Item::Long(3)]);
        m.merge(&a);
        assert!(m.frequent_items().contains(&(Item::Long(3), 15)));
    }

    #[test]
    fn purges_when_full() {
        // Four slots tracked of eight: the rare items go, the frequent stay.
        let mut s = FrequentItems::new(ItemKind::Int, max_map_size(3));
        for i in [1, 2, 3, 4, 5, 1, 1, 2] {
            s.update(Item::Int(i), 1);
        }
        let top: Vec<i64> = s.frequent_items().iter().map(|r| r.1).collect();
        assert!(top.first().is_some_and(|c| *c >= 3));
    }

    #[test]
    fn java_hashes() {
        assert_eq!(Item::String("ab".into()).java_hash(0), 3105);
        assert_eq!(Item::Long(-1).java_hash(0), 0);
        assert_eq!(Item::double(1.5).java_hash(0), 1073217536);
        assert_eq!(Item::Decimal(500).java_hash(2), 5);
        assert_eq!(Item::Decimal(125).java_hash(2), (1.25f32).to_bits() as i32);
    }
}
