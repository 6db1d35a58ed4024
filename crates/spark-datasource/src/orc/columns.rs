//! The streams of one stripe, column by column: each column of the ORC
//! type tree buffers its values as they arrive and encodes them (version-1
//! RLE, the `DIRECT` encoding) when the stripe is written. As in ORC, the
//! children of a null struct, list or map hold no values for it.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray};
use datafusion::arrow::compute::filter;
use datafusion::arrow::datatypes::{
    DataType, Date32Type, Decimal128Type, DurationMicrosecondType, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type,
    IntervalUnit, IntervalYearMonthType, TimeUnit, TimestampMicrosecondType,
};
use orc_rust::proto::stream::Kind as StreamKind;

use super::calendar::{gregorian_to_hybrid_days, gregorian_to_hybrid_micros};
use super::rle::{encode_bools, encode_bytes, encode_ints, put_varint, zigzag};
use crate::{SourceError, SourceResult};

/// Seconds from the Unix epoch to ORC's timestamp base, 2015-01-01 UTC.
const ORC_EPOCH_SECONDS: i64 = 1_420_070_400;

/// How a column's values are laid out in its streams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Boolean,
    Byte,
    /// Signed integer RLE: shorts, ints, longs, dates, intervals, TIMESTAMP_NTZ.
    Integer,
    Float,
    Double,
    /// Bytes in DATA, their lengths in LENGTH: strings and binary.
    Bytes,
    Decimal,
    Timestamp,
    Struct,
    /// Lengths in LENGTH: lists and maps.
    Collection,
}

/// One column's buffered values in the current stripe.
#[derive(Debug)]
pub struct ColumnBuffer {
    layout: Layout,
    /// The ids of the child columns (struct fields, list element, map key and value).
    children: Vec<usize>,
    present: Vec<bool>,
    has_null: bool,
    values: u64,
    integers: Vec<i64>,
    lengths: Vec<i64>,
    secondary: Vec<i64>,
    bytes: Vec<u8>,
    bools: Vec<bool>,
}

/// One encoded stream: its kind, column and bytes (before compression).
pub struct EncodedStream {
    pub kind: StreamKind,
    pub column: u32,
    pub bytes: Vec<u8>,
}

impl ColumnBuffer {
    fn new(layout: Layout) -> Self {
        Self {
            layout,
            children: Vec::new(),
            present: Vec::new(),
            has_null: false,
            values: 0,
            integers: Vec::new(),
            lengths: Vec::new(),
            secondary: Vec::new(),
            bytes: Vec::new(),
            bools: Vec::new(),
        }
    }

    /// Non-null values written to the column in this stripe, and whether any was null.
    pub fn counts(&self) -> (u64, bool) {
        (self.values, self.has_null)
    }

    /// Roughly how many bytes the buffered values take.
    fn buffered_bytes(&self) -> usize {
        self.present.len() + self.bools.len() + self.bytes.len() + 8 * (self.integers.len() + self.lengths.len() + self.secondary.len())
    }

    /// Encodes the buffered values as streams and empties the buffer.
    fn take_streams(&mut self, column: u32, out: &mut Vec<EncodedStream>) {
        let mut push = |kind, bytes: Vec<u8>| out.push(EncodedStream { kind, column, bytes });
        if self.has_null {
            push(StreamKind::Present, encode_bools(&self.present));
        }
        match self.layout {
            Layout::Boolean => push(StreamKind::Data, encode_bools(&self.bools)),
            Layout::Byte => push(StreamKind::Data, encode_bytes(&self.bytes)),
            Layout::Integer => push(StreamKind::Data, encode_ints(&self.integers, true)),
            Layout::Float | Layout::Double => push(StreamKind::Data, std::mem::take(&mut self.bytes)),
            Layout::Bytes => {
                push(StreamKind::Data, std::mem::take(&mut self.bytes));
                push(StreamKind::Length, encode_ints(&self.lengths, false));
            }
            Layout::Decimal => {
                push(StreamKind::Data, std::mem::take(&mut self.bytes));
                push(StreamKind::Secondary, encode_ints(&self.secondary, true));
            }
            Layout::Timestamp => {
                push(StreamKind::Data, encode_ints(&self.integers, true));
                push(StreamKind::Secondary, encode_ints(&self.secondary, false));
            }
            Layout::Struct => {}
            Layout::Collection => push(StreamKind::Length, encode_ints(&self.lengths, false)),
        }
        let layout = self.layout;
        let children = std::mem::take(&mut self.children);
        *self = Self::new(layout);
        self.children = children;
    }
}

/// The buffers of every column of a file, in ORC's pre-order of column ids
/// (0 is the root struct).
pub struct StripeColumns {
    pub columns: Vec<ColumnBuffer>,
    pub rows: u64,
}

impl StripeColumns {
    pub fn new(fields: &datafusion::arrow::datatypes::Fields) -> SourceResult<Self> {
        let mut columns = vec![ColumnBuffer::new(Layout::Struct)];
        for f in fields {
            let id = plan(&mut columns, f.data_type())?;
            columns[0].children.push(id);
        }
        Ok(Self { columns, rows: 0 })
    }

    pub fn append(&mut self, batch: &datafusion::arrow::array::RecordBatch) -> SourceResult<()> {
        let children = self.columns[0].children.clone();
        for (id, array) in children.into_iter().zip(batch.columns()) {
            self.append_array(id, array)?;
        }
        self.columns[0].values += batch.num_rows() as u64;
        self.rows += batch.num_rows() as u64;
        Ok(())
    }

    pub fn buffered_bytes(&self) -> usize {
        self.columns.iter().map(ColumnBuffer::buffered_bytes).sum()
    }

    /// The stripe's streams, column by column, leaving the buffers empty.
    pub fn take_streams(&mut self) -> Vec<EncodedStream> {
        let mut out = Vec::new();
        for (id, column) in self.columns.iter_mut().enumerate() {
            column.take_streams(id as u32, &mut out);
        }
        self.rows = 0;
        out
    }

    fn append_array(&mut self, id: usize, array: &ArrayRef) -> SourceResult<()> {
        let col = &mut self.columns[id];
        let nulls = array.null_count();
        if nulls > 0 {
            col.has_null = true;
            col.present.extend((0..array.len()).map(|i| array.is_valid(i)));
        } else {
            col.present.resize(col.present.len() + array.len(), true);
        }
        col.values += (array.len() - nulls) as u64;
        match col.layout {
            Layout::Boolean => col.bools.extend(array.as_boolean().iter().flatten()),
            Layout::Byte => col.bytes.extend(array.as_primitive::<Int8Type>().iter().flatten().map(|v| v as u8)),
            Layout::Integer => integers_of(array, &mut col.integers)?,
            Layout::Float => array.as_primitive::<Float32Type>().iter().flatten().for_each(|v| col.bytes.extend(v.to_le_bytes())),
            Layout::Double => array.as_primitive::<Float64Type>().iter().flatten().for_each(|v| col.bytes.extend(v.to_le_bytes())),
            Layout::Bytes => {
                let values: Box<dyn Iterator<Item = &[u8]>> = match array.data_type() {
                    DataType::Utf8 => Box::new(array.as_string::<i32>().iter().flatten().map(str::as_bytes)),
                    _ => Box::new(array.as_binary::<i32>().iter().flatten()),
                };
                for v in values {
                    col.lengths.push(v.len() as i64);
                    col.bytes.extend_from_slice(v);
                }
            }
            Layout::Decimal => {
                let DataType::Decimal128(_, scale) = array.data_type() else { return Err(mismatch(array)) };
                for v in array.as_primitive::<Decimal128Type>().iter().flatten() {
                    put_varint(&mut col.bytes, zigzag(v));
                    col.secondary.push(i64::from(*scale));
                }
            }
            Layout::Timestamp => {
                for micros in array.as_primitive::<TimestampMicrosecondType>().iter().flatten() {
                    let (seconds, nanos) = orc_timestamp(gregorian_to_hybrid_micros(micros));
                    col.integers.push(seconds - ORC_EPOCH_SECONDS);
                    col.secondary.push(encode_nanos(nanos));
                }
            }
            Layout::Struct => {
                let s = array.as_struct();
                let keep = (nulls > 0).then(|| valid_mask(array));
                let children = col.children.clone();
                for (child, field) in children.into_iter().zip(s.columns()) {
                    let values = match &keep {
                        Some(mask) => filter(field, mask)?,
                        None => field.clone(),
                    };
                    self.append_array(child, &values)?;
                }
            }
            Layout::Collection => {
                let array = match nulls {
                    0 => array.clone(),
                    _ => filter(array, &valid_mask(array))?,
                };
                let (offsets, values): (Vec<i64>, ArrayRef) = match array.data_type() {
                    DataType::List(_) => {
                        let l = array.as_list::<i32>();
                        (l.value_offsets().iter().map(|&o| i64::from(o)).collect(), l.values().clone())
                    }
                    DataType::Map(_, _) => {
                        let m = array.as_map();
                        (m.value_offsets().iter().map(|&o| i64::from(o)).collect(), std::sync::Arc::new(m.entries().clone()) as ArrayRef)
                    }
                    _ => return Err(mismatch(&array)),
                };
                col.lengths.extend(offsets.windows(2).map(|w| w[1] - w[0]));
                let (first, last) = (offsets.first().copied().unwrap_or(0), offsets.last().copied().unwrap_or(0));
                let values = values.slice(first as usize, (last - first) as usize);
                let children = col.children.clone();
                if let DataType::Struct(_) = values.data_type()
                    && children.len() == 2
                {
                    // A map's entries: the keys, then the values.
                    let entries = values.as_struct();
                    self.append_array(children[0], entries.column(0))?;
                    self.append_array(children[1], entries.column(1))?;
                } else if let Some(&child) = children.first() {
                    self.append_array(child, &values)?;
                }
            }
        }
        Ok(())
    }
}

/// Adds the buffer for a column of type `t` (and its children); its id.
fn plan(columns: &mut Vec<ColumnBuffer>, t: &DataType) -> SourceResult<usize> {
    let id = columns.len();
    let layout = match t {
        DataType::Boolean => Layout::Boolean,
        DataType::Int8 => Layout::Byte,
        DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::Date32 => Layout::Integer,
        DataType::Interval(IntervalUnit::YearMonth) | DataType::Duration(TimeUnit::Microsecond) => Layout::Integer,
        DataType::Timestamp(TimeUnit::Microsecond, None) => Layout::Integer,
        DataType::Timestamp(TimeUnit::Microsecond, Some(_)) => Layout::Timestamp,
        DataType::Float32 => Layout::Float,
        DataType::Float64 => Layout::Double,
        DataType::Utf8 | DataType::Binary => Layout::Bytes,
        DataType::Decimal128(_, _) => Layout::Decimal,
        DataType::Struct(_) => Layout::Struct,
        DataType::List(_) | DataType::Map(_, _) => Layout::Collection,
        other => return Err(SourceError::Write { path: "ORC file".into(), message: format!("no ORC column for {other}") }),
    };
    columns.push(ColumnBuffer::new(layout));
    let children: Vec<DataType> = match t {
        DataType::Struct(fields) => fields.iter().map(|f| f.data_type().clone()).collect(),
        DataType::List(item) => vec![item.data_type().clone()],
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) => kv.iter().map(|f| f.data_type().clone()).collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    for c in &children {
        let child = plan(columns, c)?;
        columns[id].children.push(child);
    }
    Ok(id)
}

fn valid_mask(array: &ArrayRef) -> BooleanArray {
    BooleanArray::from_iter((0..array.len()).map(|i| Some(array.is_valid(i))))
}

fn mismatch(array: &ArrayRef) -> SourceError {
    SourceError::Write { path: "ORC file".into(), message: format!("unexpected column of type {}", array.data_type()) }
}

/// The non-null values of an integer-like column, as 64-bit integers.
fn integers_of(array: &ArrayRef, out: &mut Vec<i64>) -> SourceResult<()> {
    match array.data_type() {
        DataType::Int16 => out.extend(array.as_primitive::<Int16Type>().iter().flatten().map(i64::from)),
        DataType::Int32 => out.extend(array.as_primitive::<Int32Type>().iter().flatten().map(i64::from)),
        DataType::Int64 => out.extend(array.as_primitive::<Int64Type>().iter().flatten()),
        DataType::Date32 => out.extend(array.as_primitive::<Date32Type>().iter().flatten().map(|d| gregorian_to_hybrid_days(i64::from(d)))),
        DataType::Interval(IntervalUnit::YearMonth) => out.extend(array.as_primitive::<IntervalYearMonthType>().iter().flatten().map(i64::from)),
        DataType::Duration(TimeUnit::Microsecond) => out.extend(array.as_primitive::<DurationMicrosecondType>().iter().flatten()),
        DataType::Timestamp(TimeUnit::Microsecond, None) => out.extend(array.as_primitive::<TimestampMicrosecondType>().iter().flatten()),
        _ => return Err(mismatch(array)),
    }
    Ok(())
}

/// ORC's seconds and nanoseconds of an instant. Readers subtract a second
/// from instants before 1970 with more than 999,999 nanoseconds (ORC-763),
/// so those are written one second later.
fn orc_timestamp(micros: i64) -> (i64, i64) {
    let seconds = micros.div_euclid(1_000_000);
    let nanos = micros.rem_euclid(1_000_000) * 1000;
    if seconds < 0 && nanos > 999_999 { (seconds + 1, nanos) } else { (seconds, nanos) }
}

/// Nanoseconds with their trailing decimal zeros folded into the low 3 bits.
fn encode_nanos(nanos: i64) -> i64 {
    if nanos == 0 || nanos % 100 != 0 {
        return nanos << 3;
    }
    let (mut n, mut zeros) = (nanos / 100, 1);
    while n % 10 == 0 && zeros < 7 {
        n /= 10;
        zeros += 1;
    }
    (n << 3) | zeros
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nanos_fold_trailing_zeros() {
        assert_eq!(encode_nanos(0), 0);
        assert_eq!(encode_nanos(1), 8);
        assert_eq!(encode_nanos(678_000_000), (678 << 3) | 5);
        assert_eq!(encode_nanos(100), (1 << 3) | 1);
    }

    #[test]
    fn instants_before_1970() {
        assert_eq!(orc_timestamp(1_500_000), (1, 500_000_000));
        assert_eq!(orc_timestamp(-1_500_000), (-1, 500_000_000));
        assert_eq!(orc_timestamp(-2_000_000), (-2, 0));
    }
}
