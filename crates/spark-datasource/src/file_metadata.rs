//! Spark's hidden `_metadata` column of file sources: for each row, the
//! file it came from (`file_path` as a `file:` URI, `file_name`,
//! `file_size`, `file_block_start`, `file_block_length`,
//! `file_modification_time`) and, for Parquet, its `row_index` within the
//! file.
//!
//! The scan knows which file a batch comes from: DataFusion replaces
//! `input_file_name()` (and Parquet's `file_row_index()`) in the projection
//! pushed into the file scan with that file's values. [`FileMetadataFunc`]
//! turns the file's location into the struct, from the file statuses taken
//! when the source was opened (as Spark lists them at analysis time). A
//! source read in one piece per file (text) gets the struct as a literal.
//!
//! Spark splits files larger than `spark.sql.files.maxPartitionBytes` into
//! blocks and reports each row's block; here a file is one block.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use datafusion::arrow::array::{Array, ArrayRef, Int64Array, StringArray, StructArray, TimestampMicrosecondArray};
use datafusion::arrow::datatypes::{DataType, Field, Fields, TimeUnit};
use datafusion::common::{Result as DfResult, ScalarValue, exec_err};
use datafusion::datasource::listing::ListingTableUrl;
use datafusion::logical_expr::{ColumnarValue, Expr, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::{SourceError, SourceResult};

/// The name Spark gives the column.
pub const METADATA_COLUMN: &str = "_metadata";

/// What Spark knows about one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileStatus {
    /// `file:/dir/name.csv`, percent-encoded as a URI.
    pub uri: String,
    pub name: String,
    pub size: i64,
    /// Milliseconds precision, in microseconds since the epoch.
    pub modified_micros: i64,
    /// The location DataFusion's scan names the file by.
    location: String,
}

impl FileStatus {
    pub fn of(path: &Path) -> SourceResult<Self> {
        let meta = std::fs::metadata(path).map_err(|e| SourceError::read(path, e))?;
        let modified_millis = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let url = ListingTableUrl::parse(path.to_string_lossy())?;
        Ok(Self {
            uri: url.as_str().replacen("file:///", "file:/", 1),
            name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            size: meta.len() as i64,
            modified_micros: modified_millis * 1000,
            location: url.prefix().as_ref().to_string(),
        })
    }
}

/// The fields of `_metadata`; Parquet adds `row_index`.
pub fn metadata_fields(row_index: bool, time_zone: &str) -> Fields {
    let mut fields = vec![
        Field::new("file_path", DataType::Utf8, false),
        Field::new("file_name", DataType::Utf8, false),
        Field::new("file_size", DataType::Int64, false),
        Field::new("file_block_start", DataType::Int64, false),
        Field::new("file_block_length", DataType::Int64, false),
        Field::new("file_modification_time", timestamp_type(time_zone), false),
    ];
    if row_index {
        fields.push(Field::new("row_index", DataType::Int64, false));
    }
    Fields::from(fields)
}

fn timestamp_type(time_zone: &str) -> DataType {
    DataType::Timestamp(TimeUnit::Microsecond, Some(time_zone.into()))
}

/// The columns of `_metadata` for `rows` rows of one file.
fn metadata_array(file: &FileStatus, rows: usize, row_index: Option<ArrayRef>, fields: &Fields, time_zone: &str) -> ArrayRef {
    let mut columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(std::iter::repeat_n(file.uri.as_str(), rows))),
        Arc::new(StringArray::from_iter_values(std::iter::repeat_n(file.name.as_str(), rows))),
        Arc::new(Int64Array::from_value(file.size, rows)),
        Arc::new(Int64Array::from_value(0, rows)),
        Arc::new(Int64Array::from_value(file.size, rows)),
        Arc::new(TimestampMicrosecondArray::from_value(file.modified_micros, rows).with_timezone(time_zone)),
    ];
    columns.extend(row_index);
    Arc::new(StructArray::new(fields.clone(), columns, None))
}

/// `_metadata` of a source read in one piece per file: a literal.
pub fn metadata_literal(file: &FileStatus, time_zone: &str) -> Expr {
    let fields = metadata_fields(false, time_zone);
    let array = metadata_array(file, 1, None, &fields, time_zone);
    let value = match array.as_any().downcast_ref::<StructArray>() {
        Some(s) => ScalarValue::Struct(Arc::new(s.clone())),
        None => ScalarValue::Null,
    };
    Expr::Literal(value, None)
}

/// `_metadata` of a multi-file scan: computed from the file the scan is reading.
pub fn metadata_expr(files: &[FileStatus], row_index: bool, time_zone: &str) -> Expr {
    let udf = FileMetadataFunc::new(files, row_index, time_zone);
    let mut args = vec![datafusion::functions::core::expr_fn::input_file_name()];
    if row_index {
        args.push(datafusion::functions::core::expr_fn::file_row_index());
    }
    ScalarUDF::from(udf).call(args)
}

/// `spark_file_metadata(input_file_name() [, file_row_index()])`: the
/// `_metadata` struct of the scanned file.
#[derive(Debug)]
struct FileMetadataFunc {
    /// Tells apart the instances of different sources (the file maps are not compared).
    id: u64,
    files: HashMap<String, FileStatus>,
    fields: Fields,
    time_zone: String,
    signature: Signature,
}

impl FileMetadataFunc {
    fn new(files: &[FileStatus], row_index: bool, time_zone: &str) -> Self {
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        Self {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            files: files.iter().map(|f| (f.location.clone(), f.clone())).collect(),
            fields: metadata_fields(row_index, time_zone),
            time_zone: time_zone.to_string(),
            signature: Signature::any(if row_index { 2 } else { 1 }, Volatility::Volatile),
        }
    }
}

impl PartialEq for FileMetadataFunc {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for FileMetadataFunc {}

impl Hash for FileMetadataFunc {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl ScalarUDFImpl for FileMetadataFunc {
    fn name(&self) -> &str {
        "spark_file_metadata"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> DfResult<DataType> {
        Ok(DataType::Struct(self.fields.clone()))
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> DfResult<ColumnarValue> {
        let row_index = match args.args.get(1) {
            Some(index) => Some(index.to_array(args.number_rows)?),
            None => None,
        };
        let lookup = |location: &str| match self.files.get(location.trim_start_matches('/')) {
            Some(file) => Ok(file),
            None => exec_err!("_metadata: {location} is not a file of this source"),
        };
        match args.args.first() {
            // The scan's own file (the usual case: one file per batch).
            Some(ColumnarValue::Scalar(ScalarValue::Utf8(Some(l)) | ScalarValue::LargeUtf8(Some(l)) | ScalarValue::Utf8View(Some(l)))) => {
                Ok(ColumnarValue::Array(metadata_array(lookup(l)?, args.number_rows, row_index, &self.fields, &self.time_zone)))
            }
            // File names computed in the scan and carried up as a column.
            Some(ColumnarValue::Array(locations)) => {
                let locations = datafusion::arrow::compute::cast(locations, &DataType::Utf8)?;
                let Some(locations) = locations.as_any().downcast_ref::<StringArray>() else {
                    return exec_err!("_metadata: file names must be strings");
                };
                let mut pieces = Vec::with_capacity(1);
                let mut start = 0;
                while start < locations.len() {
                    let mut end = start + 1;
                    while end < locations.len() && locations.value(end) == locations.value(start) {
                        end += 1;
                    }
                    let index = row_index.as_ref().map(|r| r.slice(start, end - start));
                    pieces.push(metadata_array(lookup(locations.value(start))?, end - start, index, &self.fields, &self.time_zone));
                    start = end;
                }
                let pieces: Vec<&dyn Array> = pieces.iter().map(|a| a.as_ref()).collect();
                if pieces.is_empty() {
                    return Ok(ColumnarValue::Array(metadata_array(&FileStatus::default(), 0, row_index, &self.fields, &self.time_zone)));
                }
                Ok(ColumnarValue::Array(datafusion::arrow::compute::concat(&pieces)?))
            }
            _ => exec_err!("_metadata is only available while scanning a file"),
        }
    }
}

/// The statuses of `files`.
pub fn statuses(files: &[PathBuf]) -> SourceResult<Vec<FileStatus>> {
    files.iter().map(|f| FileStatus::of(f)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::Int64Type;
    use datafusion::common::config::ConfigOptions;

    fn invoke(f: &FileMetadataFunc, args: Vec<ColumnarValue>, rows: usize) -> DfResult<ArrayRef> {
        let arg_fields = args.iter().map(|a| Arc::new(Field::new("a", a.data_type(), true))).collect();
        let return_field = Arc::new(Field::new("m", DataType::Struct(f.fields.clone()), false));
        let args = ScalarFunctionArgs { args, arg_fields, number_rows: rows, return_field, config_options: Arc::new(ConfigOptions::default()) };
        f.invoke_with_args(args)?.to_array(rows)
    }

    #[test]
    fn statuses_and_values_follow_spark() -> DfResult<()> {
        let dir = std::env::temp_dir().join(format!("scs-file-metadata-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("a b.csv");
        std::fs::write(&path, "x\n1\n")?;
        let status = FileStatus::of(&path).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?;
        assert!(status.uri.starts_with("file:/") && !status.uri.starts_with("file://"));
        assert!(status.uri.ends_with("/a%20b.csv"), "{}", status.uri);
        assert_eq!((status.name.as_str(), status.size), ("a b.csv", 4));
        assert_eq!(status.modified_micros % 1000, 0);

        // The scan's file as a literal, with row indexes: one struct per row.
        let f = FileMetadataFunc::new(std::slice::from_ref(&status), true, "UTC");
        let location = ColumnarValue::Scalar(ScalarValue::Utf8(Some(status.location.clone())));
        let rows = ColumnarValue::Array(Arc::new(Int64Array::from(vec![7, 8])));
        let out = invoke(&f, vec![location, rows], 2)?;
        let s = out.as_struct();
        assert_eq!(s.column_by_name("file_name").map(|c| c.as_string::<i32>().value(1).to_string()), Some("a b.csv".into()));
        assert_eq!(s.column_by_name("row_index").map(|c| c.as_primitive::<Int64Type>().value(1)), Some(8));
        assert_eq!(s.column_by_name("file_block_length").map(|c| c.as_primitive::<Int64Type>().value(0)), Some(4));

        // File names carried up as a column; an unknown file is an error.
        let f = FileMetadataFunc::new(std::slice::from_ref(&status), false, "UTC");
        let names = ColumnarValue::Array(Arc::new(StringArray::from(vec![status.location.clone(), status.location.clone()])));
        assert_eq!(invoke(&f, vec![names], 2)?.len(), 2);
        assert!(invoke(&f, vec![ColumnarValue::Scalar(ScalarValue::Utf8(Some("elsewhere".into())))], 1).is_err());
        std::fs::remove_dir_all(&dir)?;
        Ok(())
    }
}
