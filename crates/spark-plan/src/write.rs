//! Writes: `df.write....save(path)`, `saveAsTable`, `insertInto` and
//! `df.writeTo(...)`, as the client asked for them.

use std::collections::BTreeMap;

use crate::Relation;

/// `DataFrameWriter.mode(...)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveMode {
    Append,
    Overwrite,
    /// `error` / `errorifexists`, the default.
    ErrorIfExists,
    Ignore,
}

/// Where the rows go.
#[derive(Debug, Clone, PartialEq)]
pub enum WriteTarget {
    /// `save(path)` (or the `path` option).
    Path(String),
    /// `saveAsTable(name)`.
    SaveAsTable(Vec<String>),
    /// `insertInto(name)`: by position into an existing table.
    InsertInto(Vec<String>),
}

/// `bucketBy(n, cols)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Bucketing {
    pub buckets: i32,
    pub columns: Vec<String>,
}

/// A `DataFrameWriter` action.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteCommand {
    pub input: Box<Relation>,
    /// `format(...)`; the session's `spark.sql.sources.default` when absent.
    pub format: Option<String>,
    /// `None` when the client gave neither a path nor a table.
    pub target: Option<WriteTarget>,
    pub mode: SaveMode,
    pub options: BTreeMap<String, String>,
    pub partition_by: Vec<String>,
    pub bucket_by: Option<Bucketing>,
    pub sort_by: Vec<String>,
}

/// `df.writeTo(table)....` (DataFrameWriterV2): how the table is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteToMode {
    Create,
    Append,
    /// `overwrite(condition)`.
    Overwrite,
    OverwritePartitions,
    Replace,
    CreateOrReplace,
}

/// A `DataFrameWriterV2` action.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteToCommand {
    pub input: Box<Relation>,
    pub table: Vec<String>,
    pub provider: Option<String>,
    /// `partitionedBy(...)` columns.
    pub partition_by: Vec<String>,
    pub options: BTreeMap<String, String>,
    pub properties: BTreeMap<String, String>,
    pub mode: WriteToMode,
}
