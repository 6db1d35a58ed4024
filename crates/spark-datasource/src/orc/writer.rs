//! One ORC file: the `ORC` magic, stripes of column streams (each stripe
//! ends with its footer), the stripe statistics, the file footer (schema,
//! stripes, statistics, Spark's version) and the uncompressed postscript.

use std::fs::File;
use std::io::{BufWriter, Write};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use orc_rust::proto::{
    column_encoding, ColumnEncoding, ColumnStatistics, Footer, Metadata, PostScript, Stream, StripeFooter, StripeInformation, StripeStatistics,
    UserMetadataItem,
};
use prost::Message;

use super::columns::StripeColumns;
use super::compress::{OrcCodec, BLOCK_SIZE};
use crate::write::encode::FileEncoder;
use crate::{SourceError, SourceResult};

/// The buffered (unencoded) size at which a stripe is written: bounded, as a
/// partitioned write keeps one file open per partition.
const STRIPE_BYTES: usize = 16 << 20;

/// The Spark version written into each file's metadata, as Spark does.
const SPARK_VERSION: &str = "4.3.0";

pub struct OrcEncoder {
    out: BufWriter<File>,
    path: String,
    codec: OrcCodec,
    columns: StripeColumns,
    schema: SchemaRef,
    /// Bytes written so far (the next stripe's offset).
    offset: u64,
    stripes: Vec<StripeInformation>,
    stripe_stats: Vec<StripeStatistics>,
    file_stats: Vec<(u64, bool)>,
}

impl OrcEncoder {
    pub fn create(path: &std::path::Path, schema: SchemaRef, codec: OrcCodec) -> SourceResult<Self> {
        let file = File::create(path).map_err(|e| write_error(&path.display().to_string(), e))?;
        let columns = StripeColumns::new(schema.fields())?;
        let file_stats = vec![(0, false); columns.columns.len()];
        let mut encoder = Self {
            out: BufWriter::with_capacity(1 << 16, file),
            path: path.display().to_string(),
            codec,
            columns,
            schema,
            offset: 0,
            stripes: Vec::new(),
            stripe_stats: Vec::new(),
            file_stats,
        };
        encoder.put(b"ORC")?;
        Ok(encoder)
    }

    fn put(&mut self, bytes: &[u8]) -> SourceResult<()> {
        self.out.write_all(bytes).map_err(|e| write_error(&self.path, e))?;
        self.offset += bytes.len() as u64;
        Ok(())
    }

    fn compress(&self, bytes: &[u8]) -> SourceResult<Vec<u8>> {
        self.codec.compress(bytes).map_err(|e| write_error(&self.path, e))
    }

    fn flush_stripe(&mut self) -> SourceResult<()> {
        if self.columns.rows == 0 {
            return Ok(());
        }
        let rows = self.columns.rows;
        let stats: Vec<ColumnStatistics> = self.columns.columns.iter().map(|c| statistics(c.counts())).collect();
        for (total, c) in self.file_stats.iter_mut().zip(&self.columns.columns) {
            let (values, has_null) = c.counts();
            total.0 += values;
            total.1 |= has_null;
        }
        let start = self.offset;
        let mut streams = Vec::new();
        for s in self.columns.take_streams() {
            let bytes = self.compress(&s.bytes)?;
            streams.push(Stream { kind: Some(s.kind.into()), column: Some(s.column), length: Some(bytes.len() as u64) });
            self.put(&bytes)?;
        }
        let data_length = self.offset - start;
        let encodings = (0..self.columns.columns.len())
            .map(|_| ColumnEncoding { kind: Some(column_encoding::Kind::Direct.into()), ..Default::default() })
            .collect();
        let footer = StripeFooter { streams, columns: encodings, writer_timezone: Some("UTC".into()), ..Default::default() };
        let footer = self.compress(&footer.encode_to_vec())?;
        self.put(&footer)?;
        self.stripes.push(StripeInformation {
            offset: Some(start),
            index_length: Some(0),
            data_length: Some(data_length),
            footer_length: Some(footer.len() as u64),
            number_of_rows: Some(rows),
            ..Default::default()
        });
        self.stripe_stats.push(StripeStatistics { col_stats: stats });
        Ok(())
    }
}

fn statistics((values, has_null): (u64, bool)) -> ColumnStatistics {
    ColumnStatistics { number_of_values: Some(values), has_null: Some(has_null), ..Default::default() }
}

fn write_error(path: &str, e: impl std::fmt::Display) -> SourceError {
    SourceError::Write { path: path.to_string(), message: e.to_string() }
}

impl FileEncoder for OrcEncoder {
    fn write(&mut self, batch: &RecordBatch) -> SourceResult<()> {
        self.columns.append(batch)?;
        if self.columns.buffered_bytes() > STRIPE_BYTES {
            self.flush_stripe()?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> SourceResult<()> {
        self.flush_stripe()?;
        let content_length = self.offset;
        let metadata = Metadata { stripe_stats: std::mem::take(&mut self.stripe_stats) };
        let metadata = self.compress(&metadata.encode_to_vec())?;
        self.put(&metadata)?;
        let footer = Footer {
            header_length: Some(3),
            content_length: Some(content_length),
            stripes: std::mem::take(&mut self.stripes),
            types: super::types::orc_types(&self.schema)?,
            metadata: vec![UserMetadataItem { name: Some("org.apache.spark.version".into()), value: Some(SPARK_VERSION.as_bytes().to_vec()) }],
            number_of_rows: Some(self.file_stats.first().map_or(0, |s| s.0)),
            statistics: self.file_stats.iter().map(|&s| statistics(s)).collect(),
            row_index_stride: Some(0),
            // Dates and timestamps are in java.sql's hybrid calendar, as Spark writes them.
            calendar: Some(orc_rust::proto::CalendarKind::JulianGregorian.into()),
            ..Default::default()
        };
        let footer = self.compress(&footer.encode_to_vec())?;
        self.put(&footer)?;
        let postscript = PostScript {
            footer_length: Some(footer.len() as u64),
            compression: Some(self.codec.kind().into()),
            compression_block_size: (self.codec != OrcCodec::None).then_some(BLOCK_SIZE as u64),
            version: vec![0, 12],
            metadata_length: Some(metadata.len() as u64),
            writer_version: Some(9),
            magic: Some("ORC".into()),
            ..Default::default()
        }
        .encode_to_vec();
        let length = u8::try_from(postscript.len()).map_err(|e| write_error(&self.path, e))?;
        self.put(&postscript)?;
        self.put(&[length])?;
        let path = self.path.clone();
        let file = self.out.into_inner().map_err(|e| write_error(&path, e.error()))?;
        file.sync_all().map_err(|e| write_error(&path, e))
    }
}
