//! Arrow IPC streams: how results travel in `ArrowBatch.data` and
//! `LocalRelation.data`.


use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::ipc::writer::StreamWriter;

use crate::error::{ServerError, ServerResult};

/// Batches above this encoded size are split so each response stays far
/// below the client's 128 MiB message limit.
const MAX_BATCH_BYTES: usize = 16 << 20;

fn ipc_err(e: impl std::fmt::Display) -> ServerError {
    ServerError::invalid_plan(format!("Arrow IPC error: {e}"))
}

/// One IPC stream (schema, batches, end marker).
pub fn write_stream(schema: &SchemaRef, batches: &[RecordBatch]) -> ServerResult<Vec<u8>> {
    let mut buf = Vec::new();
    {
        let mut w = StreamWriter::try_new(&mut buf, schema).map_err(ipc_err)?;
        for b in batches {
            w.write(b).map_err(ipc_err)?;
        }
        w.finish().map_err(ipc_err)?;
    }
    Ok(buf)
}

/// Encodes one batch per IPC stream, splitting oversized batches by rows.
/// Returns (row count, bytes) pairs.
pub fn encode_batch(batch: &RecordBatch) -> ServerResult<Vec<(usize, Vec<u8>)>> {
    let bytes = write_stream(&batch.schema(), std::slice::from_ref(batch))?;
    if bytes.len() <= MAX_BATCH_BYTES || batch.num_rows() <= 1 {
        return Ok(vec![(batch.num_rows(), bytes)]);
    }
    let half = batch.num_rows() / 2;
    let mut out = encode_batch(&batch.slice(0, half))?;
    out.extend(encode_batch(&batch.slice(half, batch.num_rows() - half))?);
    Ok(out)
}

/// Joins several IPC streams (chunked cached local relations) into one.
pub fn concat_ipc_streams(chunks: &[std::sync::Arc<Vec<u8>>]) -> ServerResult<Vec<u8>> {
    let mut schema: Option<SchemaRef> = None;
    let mut batches = Vec::new();
    for c in chunks {
        let (s, read) = spark_resolver::ipc::read_stream(c).map_err(|e| ServerError::invalid_plan(format!("invalid Arrow IPC data: {e}")))?;
        if schema.is_none() {
            schema = Some(s);
        }
        batches.extend(read);
    }
    match schema {
        Some(s) => write_stream(&s, &batches),
        None => Ok(Vec::new()),
    }
}
