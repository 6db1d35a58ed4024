//! Spark's file data sources — `spark.read.parquet/csv/json/orc/text(...)` and
//! `format(...).load(...)` — as DataFusion tables with Spark's reading rules:
//! which files a path means (directories, globs, hidden files skipped),
//! partition discovery from `key=value` directories, the reader options, and
//! Spark's schema inference for CSV and JSON.
//!
//! Opening a source is synchronous and local-filesystem only: the file list
//! and the schema are settled here, at analysis time, as Spark does; the
//! data itself is read by DataFusion when the query runs.

mod block_stream;
mod compressed;
pub mod csv;
mod error;
pub mod file_metadata;
pub mod json;
mod listing;
mod options;
mod orc;
mod parquet;
mod parse_mode;
mod text;
pub mod write;

use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::catalog::TableProvider;
use datafusion::common::ScalarValue;
use datafusion::datasource::file_format::FileFormat;
use datafusion::datasource::listing::{ListingOptions, ListingTable, ListingTableConfig, ListingTableUrl};

pub use error::{SourceError, SourceResult};
pub use options::SourceOptions;

/// What `spark.read` asked for.
#[derive(Debug, Clone)]
pub struct FileSource<'a> {
    /// `parquet`, `csv`, `json`, `orc`, `text` (case-insensitive).
    pub format: &'a str,
    pub paths: &'a [String],
    pub options: SourceOptions,
    /// A user-given schema (`.schema(...)`), as Arrow fields.
    pub schema: Option<SchemaRef>,
    /// The session time zone, for timestamps read from text formats.
    pub time_zone: &'a str,
}

/// One directory's worth of files and the partition values it stands for.
pub struct SourcePart {
    pub table: Arc<dyn TableProvider>,
    pub partition_values: Vec<ScalarValue>,
    /// Spark's hidden `_metadata` column over a scan of `table`.
    pub metadata: datafusion::logical_expr::Expr,
}

impl SourcePart {
    /// A part holding one file's rows, read when the source was opened.
    fn of_file(table: Arc<dyn TableProvider>, file: &std::path::Path, dir: &listing::PartitionDir, time_zone: &str) -> SourceResult<Self> {
        let metadata = file_metadata::metadata_literal(&file_metadata::FileStatus::of(file)?, time_zone);
        Ok(SourcePart { table, partition_values: dir.partition_values.clone(), metadata })
    }
}

/// An opened source: the data columns (as Spark types them, all nullable),
/// then the partition columns, and the tables holding the files.
pub struct OpenedSource {
    pub data_schema: SchemaRef,
    pub partition_fields: Vec<Field>,
    pub parts: Vec<SourcePart>,
}

/// How each format reads: the DataFusion file format for the options, and
/// the schema of the data columns when none was given.
trait SourceFormat {
    fn file_format(&self, options: &SourceOptions) -> SourceResult<Arc<dyn FileFormat>>;
    fn infer_schema(&self, files: &[std::path::PathBuf], options: &SourceOptions, time_zone: &str) -> SourceResult<Schema>;
    /// The rows of a file that DataFusion's reader cannot take as Spark
    /// would, read here instead; `None` for files it scans.
    fn read_in_memory(&self, _file: &std::path::Path, _schema: &SchemaRef, _options: &SourceOptions) -> SourceResult<Option<datafusion::arrow::array::RecordBatch>> {
        Ok(None)
    }
    /// A table of one file read by this server rather than by DataFusion's
    /// listing scan; `None` for files the listing scan reads.
    fn file_table(&self, file: &std::path::Path, schema: &SchemaRef, options: &SourceOptions) -> SourceResult<Option<Arc<dyn TableProvider>>> {
        Ok(match self.read_in_memory(file, schema, options)? {
            Some(batch) => Some(Arc::new(datafusion::datasource::MemTable::try_new(schema.clone(), vec![vec![batch]])?)),
            None => None,
        })
    }
}

fn format_for(name: &str) -> SourceResult<Box<dyn SourceFormat>> {
    Ok(match name.to_ascii_lowercase().as_str() {
        "parquet" => Box::new(parquet::Parquet),
        "csv" => Box::new(csv::Csv),
        "json" => Box::new(json::Json),
        "orc" => Box::new(orc::Orc),
        other => return Err(SourceError::UnknownFormat(other.to_string())),
    })
}

/// Opens a file source: lists its files, settles the schema, and builds the tables.
pub fn open(source: &FileSource) -> SourceResult<OpenedSource> {
    if source.format.eq_ignore_ascii_case("text") {
        return open_text(source);
    }
    let format = format_for(source.format)?;
    let listing = listing::list(source.paths)?;
    let partition_fields = listing.partition_fields();
    let data_schema = match &source.schema {
        Some(s) => {
            // A user schema names the partition columns too; they come from the paths.
            let fields: Vec<Field> = s
                .fields()
                .iter()
                .filter(|f| !partition_fields.iter().any(|p| p.name().eq_ignore_ascii_case(f.name())))
                .map(|f| f.as_ref().clone().with_nullable(true))
                .collect();
            Arc::new(Schema::new(fields))
        }
        None => {
            let inferred = format.infer_schema(&listing.all_files(), &source.options, source.time_zone)?;
            let fields: Vec<Field> = inferred.fields().iter().map(|f| f.as_ref().clone().with_nullable(true)).collect();
            Arc::new(Schema::new(fields))
        }
    };
    // A CSV user schema may name fewer columns than the files hold; Spark
    // takes the leading ones. The scan reads the rest as padding strings.
    let mut scan_schema = data_schema.clone();
    if source.schema.is_some() && source.format.eq_ignore_ascii_case("csv") {
        let opts = source.options.with("inferSchema", "false");
        if let Ok(file) = format.infer_schema(&listing.all_files(), &opts, source.time_zone) {
            let have = data_schema.fields().len();
            if file.fields().len() > have {
                let mut fields: Vec<Field> = data_schema.fields().iter().map(|f| f.as_ref().clone()).collect();
                for i in have..file.fields().len() {
                    fields.push(Field::new(format!("__unread_{i}"), datafusion::arrow::datatypes::DataType::Utf8, true));
                }
                scan_schema = Arc::new(Schema::new(fields));
            }
        }
    }
    let mut parts = Vec::new();
    for dir in &listing.dirs {
        let mut scanned = Vec::with_capacity(dir.files.len());
        for file in &dir.files {
            match format.file_table(file, &scan_schema, &source.options)? {
                Some(table) => parts.push(SourcePart::of_file(table, file, dir, source.time_zone)?),
                None => scanned.push(file.clone()),
            }
        }
        if scanned.is_empty() {
            continue;
        }
        let file_format = format.file_format(&source.options)?;
        let urls = scanned
            .iter()
            .map(|f| ListingTableUrl::parse(f.to_string_lossy()).map_err(SourceError::from))
            .collect::<SourceResult<Vec<_>>>()?;
        let options = ListingOptions::new(file_format.clone()).with_file_extension("");
        let config = ListingTableConfig::new_with_multi_paths(urls).with_listing_options(options).with_schema(scan_schema.clone());
        let table = ListingTable::try_new(config)?;
        let row_index = source.format.eq_ignore_ascii_case("parquet");
        let metadata = file_metadata::metadata_expr(&file_metadata::statuses(&scanned)?, row_index, source.time_zone);
        parts.push(SourcePart { table: Arc::new(table), partition_values: dir.partition_values.clone(), metadata });
    }
    Ok(OpenedSource { data_schema, partition_fields, parts })
}

fn open_text(source: &FileSource) -> SourceResult<OpenedSource> {
    let listing = listing::list(source.paths)?;
    let mut parts = Vec::new();
    // One part per file, so that each knows its `_metadata`.
    for dir in &listing.dirs {
        for file in &dir.files {
            let table = text::table(std::slice::from_ref(file), &source.options)?;
            parts.push(SourcePart::of_file(table, file, dir, source.time_zone)?);
        }
    }
    Ok(OpenedSource { data_schema: text::schema(), partition_fields: listing.partition_fields(), parts })
}
