//! ORC files, read and written as Spark does: Spark's types in ORC's type
//! system ([`types`]), a file's schema from its footer, each file scanned
//! through `orc-rust` ([`scan`]), and files written with this crate's own
//! encoder ([`columns`], [`writer`]) compressed by Spark's codecs
//! ([`compress`]).

mod calendar;
mod columns;
pub mod compress;
mod footer;
mod rle;
mod scan;
mod types;
pub mod writer;

use std::sync::Arc;

use datafusion::arrow::datatypes::{Schema, SchemaRef};
use datafusion::catalog::TableProvider;
use datafusion::datasource::file_format::FileFormat;

use crate::{SourceError, SourceFormat, SourceOptions, SourceResult};

pub struct Orc;

impl SourceFormat for Orc {
    fn file_format(&self, _options: &SourceOptions) -> SourceResult<Arc<dyn FileFormat>> {
        Err(SourceError::InvalidOption("ORC files are scanned one file at a time".into()))
    }

    /// The first file's schema (Spark's default without `mergeSchema`).
    fn infer_schema(&self, files: &[std::path::PathBuf], _options: &SourceOptions, _time_zone: &str) -> SourceResult<Schema> {
        let first = files.first().ok_or_else(|| SourceError::CannotInferSchema("ORC".into()))?;
        types::spark_schema(&footer::read_tail(first)?.types)
    }

    fn file_table(&self, file: &std::path::Path, schema: &SchemaRef, _options: &SourceOptions) -> SourceResult<Option<Arc<dyn TableProvider>>> {
        Ok(Some(Arc::new(scan::OrcTable::open(file, schema.clone())?)))
    }
}
