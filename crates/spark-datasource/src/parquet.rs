//! Parquet: the schema is the first file's (Spark's default without
//! `mergeSchema`), with Arrow view types read as their plain forms.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Field, Schema};
use datafusion::datasource::file_format::FileFormat;
use datafusion::datasource::file_format::parquet::ParquetFormat;
use datafusion::parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::{SourceError, SourceFormat, SourceOptions, SourceResult};

pub struct Parquet;

/// The plain type for Arrow's view types (files written by Arrow writers can
/// record them in their embedded schema).
pub fn plain_type(t: &DataType) -> DataType {
    match t {
        DataType::Utf8View | DataType::LargeUtf8 => DataType::Utf8,
        DataType::BinaryView | DataType::LargeBinary => DataType::Binary,
        DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f) | DataType::LargeListView(f) => {
            DataType::List(Arc::new(f.as_ref().clone().with_data_type(plain_type(f.data_type()))))
        }
        DataType::Struct(fields) => DataType::Struct(
            fields.iter().map(|f| f.as_ref().clone().with_data_type(plain_type(f.data_type()))).collect::<Vec<Field>>().into(),
        ),
        DataType::Map(entries, sorted) => {
            DataType::Map(Arc::new(entries.as_ref().clone().with_data_type(plain_type(entries.data_type()))), *sorted)
        }
        other => other.clone(),
    }
}

/// The type a column is scanned as: top-level strings as string views
/// (what the parquet reader decodes fastest; the plan casts them to their
/// plain type above the scan, after the filters that are pushed below it),
/// everything else plain.
fn scan_type(t: &DataType) -> DataType {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => DataType::Utf8View,
        other => plain_type(other),
    }
}

impl SourceFormat for Parquet {
    fn file_format(&self, _options: &SourceOptions) -> SourceResult<Arc<dyn FileFormat>> {
        Ok(Arc::new(ParquetFormat::default()))
    }

    fn infer_schema(&self, files: &[std::path::PathBuf], _options: &SourceOptions, _time_zone: &str) -> SourceResult<Schema> {
        let first = files.first().ok_or_else(|| SourceError::CannotInferSchema("Parquet".into()))?;
        let file = std::fs::File::open(first).map_err(|e| SourceError::read(first, e))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| SourceError::read(first, e))?;
        let fields: Vec<Field> = builder
            .schema()
            .fields()
            .iter()
            .map(|f| Field::new(f.name(), scan_type(f.data_type()), true))
            .collect();
        Ok(Schema::new(fields))
    }
}
