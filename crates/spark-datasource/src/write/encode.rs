//! How one task's rows become one file: Parquet through Arrow's writer,
//! ORC through this crate's encoder ([`crate::orc`]),
//! and the line formats (CSV, JSON, text), whose lines arrive already
//! encoded (one string column), through an optional Hadoop compression codec.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::parquet::arrow::ArrowWriter;
use datafusion::parquet::basic::{BrotliLevel, Compression, GzipLevel, ZstdLevel};
use datafusion::parquet::file::properties::WriterProperties;

use crate::compressed::{Codec, Encoder};
use crate::orc::compress::OrcCodec;
use crate::orc::writer::OrcEncoder;
use crate::{SourceError, SourceResult};

/// The file formats this server writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteFormat {
    Parquet,
    Orc,
    Csv,
    Json,
    Text,
}

impl WriteFormat {
    /// A format name of `df.write.format(...)`; `None` when not writable here.
    pub fn named(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "parquet" => Self::Parquet,
            "orc" => Self::Orc,
            "csv" => Self::Csv,
            "json" => Self::Json,
            "text" => Self::Text,
            _ => return None,
        })
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Parquet => "parquet",
            Self::Orc => "orc",
            Self::Csv => "csv",
            Self::Json => "json",
            Self::Text => "txt",
        }
    }
}

/// Everything needed to write the files of one job.
#[derive(Debug, Clone)]
pub struct FileEncoding {
    pub format: WriteFormat,
    parquet: Compression,
    orc: OrcCodec,
    /// The compression codec of the line formats (none when `None`).
    lines: Option<Codec>,
    /// The CSV header line (with `header=true`).
    pub header: Option<String>,
    pub line_sep: String,
    /// The schema of the rows a Parquet or ORC file holds.
    pub schema: SchemaRef,
}

fn codec_not_available(codec: &str, available: &'static str) -> SourceError {
    SourceError::CodecNotAvailable { codec: codec.to_string(), available }
}

fn codec_unsupported(codec: &str, format: &'static str) -> SourceError {
    SourceError::CodecNotSupported { codec: codec.to_string(), format }
}

impl FileEncoding {
    /// `codec` is the `compression` option (or the session default for Parquet).
    pub fn new(format: WriteFormat, codec: Option<&str>, header: Option<String>, line_sep: String, schema: SchemaRef) -> SourceResult<Self> {
        let codec = codec.map(|c| c.trim().to_ascii_lowercase());
        let mut parquet = Compression::SNAPPY;
        let mut orc = OrcCodec::Zstd;
        let mut lines = None;
        match format {
            WriteFormat::Parquet => {
                parquet = match codec.as_deref().unwrap_or("snappy") {
                    "none" | "uncompressed" => Compression::UNCOMPRESSED,
                    "snappy" => Compression::SNAPPY,
                    "gzip" => Compression::GZIP(GzipLevel::default()),
                    "brotli" => Compression::BROTLI(BrotliLevel::default()),
                    "lz4" => Compression::LZ4,
                    "lz4_raw" => Compression::LZ4_RAW,
                    "zstd" => Compression::ZSTD(ZstdLevel::default()),
                    "lzo" => return Err(codec_unsupported("lzo", "parquet")),
                    other => return Err(codec_not_available(other, "brotli, uncompressed, lzo, snappy, lz4_raw, none, zstd, lz4, gzip")),
                };
            }
            WriteFormat::Orc => {
                orc = match codec.as_deref().unwrap_or("zstd") {
                    "none" | "uncompressed" => OrcCodec::None,
                    "zstd" => OrcCodec::Zstd,
                    "snappy" => OrcCodec::Snappy,
                    "zlib" => OrcCodec::Zlib,
                    "lz4" => OrcCodec::Lz4,
                    "lzo" => OrcCodec::Lzo,
                    "brotli" => return Err(codec_unsupported("brotli", "orc")),
                    other => return Err(codec_not_available(other, "brotli, uncompressed, lz4, lzo, snappy, zlib, none, zstd")),
                };
            }
            _ => {
                let name = codec.as_deref().unwrap_or("none");
                lines = Codec::named(name).ok_or_else(|| codec_not_available(name, "bzip2, deflate, uncompressed, snappy, none, lz4, gzip"))?;
            }
        }
        Ok(Self { format, parquet, orc, lines, header, line_sep, schema })
    }

    /// The end of a data file's name: `.snappy.parquet`, `.csv.gz`, ...
    pub fn suffix(&self) -> String {
        match self.format {
            WriteFormat::Parquet => {
                let codec = match self.parquet {
                    Compression::UNCOMPRESSED => "",
                    Compression::SNAPPY => ".snappy",
                    Compression::GZIP(_) => ".gz",
                    Compression::BROTLI(_) => ".br",
                    Compression::LZ4 => ".lz4hadoop",
                    Compression::LZ4_RAW => ".lz4raw",
                    Compression::ZSTD(_) => ".zstd",
                    _ => "",
                };
                format!("{codec}.parquet")
            }
            WriteFormat::Orc => format!("{}.orc", self.orc.file_infix()),
            f => {
                match self.lines {
                    Some(codec) => format!(".{}.{}", f.extension(), codec.extension()),
                    None => format!(".{}", f.extension()),
                }
            }
        }
    }

    /// Opens a file for writing.
    pub fn open(&self, path: &Path) -> SourceResult<Box<dyn FileEncoder>> {
        if self.format == WriteFormat::Orc {
            return Ok(Box::new(OrcEncoder::create(path, self.schema.clone(), self.orc)?));
        }
        let file = File::create(path).map_err(|e| write_error(path, e))?;
        let path = path.display().to_string();
        Ok(match self.format {
            WriteFormat::Parquet => {
                let props = WriterProperties::builder().set_compression(self.parquet).set_created_by("spark-connect-server".into()).build();
                let writer = ArrowWriter::try_new(file, self.schema.clone(), Some(props)).map_err(|e| SourceError::Write { path: path.clone(), message: e.to_string() })?;
                Box::new(ParquetEncoder { writer, path })
            }
            _ => {
                let buffered = BufWriter::with_capacity(1 << 16, file);
                let sink = match self.lines {
                    None => LineSink::Plain(buffered),
                    Some(codec) => LineSink::Compressed(codec.encoder(buffered)),
                };
                let mut encoder = LineEncoder { sink, line_sep: self.line_sep.clone().into_bytes(), path };
                if let Some(h) = &self.header {
                    encoder.line(Some(h.as_bytes()))?;
                }
                Box::new(encoder)
            }
        })
    }
}

fn write_error(path: &Path, e: std::io::Error) -> SourceError {
    SourceError::Write { path: path.display().to_string(), message: e.to_string() }
}

/// One open output file.
pub trait FileEncoder: Send {
    fn write(&mut self, batch: &RecordBatch) -> SourceResult<()>;
    /// Flushes and closes the file.
    fn finish(self: Box<Self>) -> SourceResult<()>;
}

/// The encoded size at which an open Parquet file ends its row group.
const ROW_GROUP_BYTES: usize = 32 << 20;

struct ParquetEncoder {
    writer: ArrowWriter<File>,
    path: String,
}

impl FileEncoder for ParquetEncoder {
    fn write(&mut self, batch: &RecordBatch) -> SourceResult<()> {
        self.writer.write(batch).map_err(|e| SourceError::Write { path: self.path.clone(), message: e.to_string() })?;
        // A partitioned write keeps one file open per partition: each closes
        // its row group at a bounded size, so memory stays bounded too.
        if self.writer.in_progress_size() > ROW_GROUP_BYTES {
            self.writer.flush().map_err(|e| SourceError::Write { path: self.path.clone(), message: e.to_string() })?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> SourceResult<()> {
        let path = self.path.clone();
        self.writer.close().map(|_| ()).map_err(|e| SourceError::Write { path, message: e.to_string() })
    }
}

enum LineSink {
    Plain(BufWriter<File>),
    Compressed(Encoder<BufWriter<File>>),
}

impl LineSink {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            LineSink::Plain(w) => w,
            LineSink::Compressed(w) => w.writer(),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        let mut inner = match self {
            LineSink::Plain(w) => w,
            LineSink::Compressed(w) => w.finish()?,
        };
        inner.flush()?;
        inner.get_ref().sync_all()
    }
}

/// Writes the first column's strings, one per line (a NULL as an empty line).
struct LineEncoder {
    sink: LineSink,
    line_sep: Vec<u8>,
    path: String,
}

impl LineEncoder {
    fn line(&mut self, text: Option<&[u8]>) -> SourceResult<()> {
        let w = self.sink.writer();
        text.map_or(Ok(()), |t| w.write_all(t))
            .and_then(|_| w.write_all(&self.line_sep))
            .map_err(|e| SourceError::Write { path: self.path.clone(), message: e.to_string() })
    }
}

impl FileEncoder for LineEncoder {
    fn write(&mut self, batch: &RecordBatch) -> SourceResult<()> {
        let Some(column) = batch.columns().first() else { return Ok(()) };
        let Some(lines) = column.as_string_opt::<i32>() else {
            return Err(SourceError::Write { path: self.path.clone(), message: format!("lines must be strings, not {}", column.data_type()) });
        };
        for i in 0..lines.len() {
            self.line((!lines.is_null(i)).then(|| lines.value(i).as_bytes()))?;
        }
        Ok(())
    }

    fn finish(self: Box<Self>) -> SourceResult<()> {
        let path = self.path.clone();
        self.sink.finish().map_err(|e| SourceError::Write { path, message: e.to_string() })
    }
}

/// The schema of Parquet files: the data columns, all nullable (as Spark
/// writes file sources).
pub fn file_schema(schema: &SchemaRef, columns: usize) -> SchemaRef {
    let fields: Vec<_> = schema.fields().iter().take(columns).map(|f| f.as_ref().clone().with_nullable(true)).collect();
    Arc::new(datafusion::arrow::datatypes::Schema::new(fields))
}
