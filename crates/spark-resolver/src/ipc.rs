//! Reading Arrow IPC streams a client sent (local relations): malformed data
//! gives an error, never a panic. Arrow's reader can panic on some corrupt
//! buffers, so it runs under `catch_unwind`, and every array is validated in
//! full before anything computes on it.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use datafusion::arrow::array::{Array, RecordBatch};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::ipc::reader::StreamReader;

/// Walks the stream's message framing and checks that every message's
/// metadata parses and its body lies within the data. Arrow's reader
/// allocates a message's declared body size before reading it, so a
/// corrupt size would otherwise exhaust the server's memory.
fn check_framing(bytes: &[u8]) -> Result<(), String> {
    let corrupt = |what: &str| Err(format!("the Arrow IPC stream is corrupt: {what}"));
    let mut pos = 0usize;
    let read_u32 = |at: usize| -> Option<u32> { bytes.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])) };
    while pos < bytes.len() {
        let Some(mut len) = read_u32(pos) else { return corrupt("a truncated message length") };
        pos += 4;
        if len == 0xFFFF_FFFF {
            let Some(l) = read_u32(pos) else { return corrupt("a truncated message length") };
            len = l;
            pos += 4;
        }
        if len == 0 {
            return Ok(());
        }
        let len = len as usize;
        let Some(metadata) = bytes.get(pos..pos + len) else { return corrupt("a message header beyond the data") };
        let message = datafusion::arrow::ipc::root_as_message(metadata).map_err(|e| format!("the Arrow IPC stream is corrupt: {e}"))?;
        pos += len;
        let body = usize::try_from(message.bodyLength()).map_err(|_| "the Arrow IPC stream is corrupt: a negative body length".to_string())?;
        if body > bytes.len() - pos {
            return corrupt("a message body beyond the data");
        }
        pos += body;
    }
    Ok(())
}

/// The schema and batches of an IPC stream, or why it cannot be read.
pub fn read_stream(bytes: &[u8]) -> Result<(SchemaRef, Vec<RecordBatch>), String> {
    check_framing(bytes)?;
    let read = || -> Result<(SchemaRef, Vec<RecordBatch>), String> {
        let reader = StreamReader::try_new(Cursor::new(bytes), None).map_err(|e| e.to_string())?;
        let schema = reader.schema();
        let mut batches = Vec::new();
        for b in reader {
            let b = b.map_err(|e| e.to_string())?;
            for column in b.columns() {
                column.to_data().validate_full().map_err(|e| e.to_string())?;
            }
            batches.push(b);
        }
        Ok((schema, batches))
    };
    catch_unwind(AssertUnwindSafe(read)).unwrap_or_else(|_| Err("the Arrow IPC data is corrupt".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::Int32Array;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use std::sync::Arc;

    fn stream() -> Vec<u8> {
        let schema = Arc::new(Schema::new(vec![Field::new("a", DataType::Int32, false)]));
        let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Int32Array::from(vec![1, 2, 3]))]).ok();
        let mut out = Vec::new();
        if let (Ok(mut w), Some(b)) = (datafusion::arrow::ipc::writer::StreamWriter::try_new(&mut out, &schema), batch) {
            let _ = w.write(&b);
            let _ = w.finish();
        }
        out
    }

    #[test]
    fn reads_a_valid_stream() {
        let (_, batches) = read_stream(&stream()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(batches.iter().map(|b| b.num_rows()).sum::<usize>(), 3);
    }

    #[test]
    fn refuses_corrupt_streams() {
        let good = stream();
        for cut in [1, 5, 9, good.len() / 2, good.len() - 1] {
            assert!(read_stream(&good[..cut]).is_err() || cut >= good.len() - 8, "cut at {cut}");
        }
        let mut flipped = good.clone();
        for i in (0..flipped.len()).step_by(7) {
            flipped[i] ^= 0xFF;
            let _ = read_stream(&flipped);
            flipped[i] ^= 0xFF;
        }
    }
}
