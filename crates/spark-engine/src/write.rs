//! `df.write...save(path)`: checks the write as Spark's analyzer does, runs
//! the query with its rows encoded for the format (CSV and JSON lines by
//! the same kernels as `to_csv` / `to_json`; partition values as
//! `CAST(... AS STRING)`), and hands each task's stream to the file writer,
//! which stages the files and commits them atomically.

use std::path::{Path, PathBuf};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use futures::StreamExt;
use spark_datasource::write::{FileEncoding, Replace, StagedWrite, WriteFormat, WriteLayout};
use spark_datasource::SourceError;
use spark_plan::{CastMode, DataType, Expr, Literal, Relation, RelationKind, SaveMode, WriteCommand, WriteTarget};

use crate::error::ExceptionKind;
use crate::output::{convert_batch, output_schema};
use crate::session::{CommandOutput, SparkSession};
use crate::{EngineError, EngineResult};

/// Formats Spark writes that this server does not.
pub(crate) const NOT_WRITABLE: &[&str] = &["avro", "xml", "jdbc", "delta", "iceberg", "hive", "console", "memory", "kafka"];

fn column(name: &str) -> Expr {
    Expr::Column { name: vec![name.to_string()], plan_id: None }
}

fn string(s: &str) -> Expr {
    Expr::Literal(Literal::String(s.to_string()))
}

/// The display name of a format in Spark's messages.
fn format_title(format: WriteFormat) -> &'static str {
    match format {
        WriteFormat::Parquet => "Parquet",
        WriteFormat::Orc => "ORC",
        WriteFormat::Csv => "CSV",
        WriteFormat::Json => "JSON",
        WriteFormat::Text => "Text",
    }
}

/// Whether the format can hold a column of this type.
fn supports(format: WriteFormat, t: &DataType) -> bool {
    match (format, t) {
        (_, DataType::Null) if format != WriteFormat::Json => false,
        (_, DataType::CalendarInterval) => false,
        (WriteFormat::Text, DataType::String | DataType::Char(_) | DataType::VarChar(_)) => true,
        (WriteFormat::Text, _) => false,
        (WriteFormat::Csv, DataType::Array { .. } | DataType::Variant | DataType::Map { .. } | DataType::Struct(_)) => false,
        (WriteFormat::Orc, DataType::Variant | DataType::Time(_)) => false,
        (WriteFormat::Parquet | WriteFormat::Orc | WriteFormat::Json, DataType::Array { element, .. }) => supports(format, element),
        (WriteFormat::Parquet | WriteFormat::Orc | WriteFormat::Json, DataType::Map { key, value, .. }) => supports(format, key) && supports(format, value),
        (WriteFormat::Parquet | WriteFormat::Orc | WriteFormat::Json, DataType::Struct(fields)) => fields.iter().all(|f| supports(format, &f.data_type)),
        _ => true,
    }
}

pub(crate) fn source_error(e: SourceError) -> EngineError {
    match e {
        SourceError::CodecNotAvailable { codec, available } => EngineError::spark(
            ExceptionKind::IllegalArgument,
            "CODEC_NOT_AVAILABLE.WITH_AVAILABLE_CODECS_SUGGESTION",
            "56038",
            format!("The codec {codec} is not available. Available codecs are {available}."),
            &[("codecName", codec.clone()), ("availableCodecs", available.to_string())],
        ),
        SourceError::CodecNotSupported { .. } => unsupported(&e.to_string()),
        SourceError::Write { path, message } => EngineError::spark(
            ExceptionKind::Spark,
            "TASK_WRITE_FAILED",
            "58030",
            format!("Task failed while writing rows to {path}: {message}"),
            &[("path", path.clone())],
        ),
        SourceError::DataFusion(d) => EngineError::DataFusion(d),
        other => EngineError::DataFusion(datafusion::error::DataFusionError::External(Box::new(other))),
    }
}

pub(crate) fn unsupported(what: &str) -> EngineError {
    EngineError::spark(ExceptionKind::UnsupportedOperation, "UNSUPPORTED_FEATURE", "0A000", format!("The feature is not supported: {what}."), &[])
}

/// A path as Spark prints it in messages (`file:/tmp/x`).
pub(crate) fn qualified(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file:{}", absolute.display())
}

/// A `file:` URI or a plain path as a local path.
pub(crate) fn local_path(path: &str) -> PathBuf {
    let p = path.strip_prefix("file://").or_else(|| path.strip_prefix("file:")).unwrap_or(path);
    PathBuf::from(p)
}

impl SparkSession {
    pub(crate) async fn write(&self, w: &WriteCommand) -> EngineResult<CommandOutput> {
        let format = w.format.clone().unwrap_or_else(|| self.conf().get("spark.sql.sources.default").unwrap_or_else(|| "parquet".into()));
        let path = match &w.target {
            Some(WriteTarget::Path(p)) => Some(p.clone()),
            Some(WriteTarget::SaveAsTable(name)) => return self.save_as_table(w, name).await,
            Some(WriteTarget::InsertInto(name)) => return self.insert_into_table(w, name).await,
            None => w.options.iter().find(|(k, _)| k.eq_ignore_ascii_case("path")).map(|(_, v)| v.clone()),
        };
        if format.eq_ignore_ascii_case("noop") {
            // Spark's benchmark sink: runs the query, keeps nothing.
            let mut stream = self.execute(&w.input).await?;
            while let Some(batch) = stream.next().await {
                batch?;
            }
            return Ok(CommandOutput::empty());
        }
        let Some(file_format) = WriteFormat::named(&format) else {
            if NOT_WRITABLE.contains(&format.to_ascii_lowercase().as_str()) {
                return Err(unsupported(&format!("writing the {format} data source")));
            }
            return Err(data_source_not_found(&format));
        };
        if w.bucket_by.is_some() {
            return Err(EngineError::spark(ExceptionKind::Analysis, "_LEGACY_ERROR_TEMP_1312", "", "'save' does not support bucketBy right now.", &[("operation", "save".into())]));
        }
        check_sort_by(w)?;
        let Some(path) = path else {
            return Err(EngineError::spark(ExceptionKind::IllegalArgument, "_LEGACY_ERROR_TEMP_2047", "", "'path' is not specified.", &[]));
        };
        let target = local_path(&path);
        let exists = target.exists();
        match w.mode {
            SaveMode::ErrorIfExists if exists => {
                return Err(EngineError::spark(ExceptionKind::Analysis, "PATH_ALREADY_EXISTS", "42K04",
                    format!("Path {} already exists. Set mode as \"overwrite\" to overwrite the existing path.", qualified(&target)),
                    &[("outputPath", qualified(&target))]));
            }
            SaveMode::Ignore if exists => return Ok(CommandOutput::empty()),
            _ => {}
        }
        let dynamic = !w.partition_by.is_empty()
            && self
                .conf()
                .get("spark.sql.sources.partitionOverwriteMode")
                .or_else(|| w.options.iter().find(|(k, _)| k.eq_ignore_ascii_case("partitionOverwriteMode")).map(|(_, v)| v.clone()))
                .is_some_and(|m| m.eq_ignore_ascii_case("dynamic"));
        let replace = match w.mode {
            SaveMode::Overwrite if dynamic => Replace::WrittenPartitions,
            SaveMode::Overwrite => Replace::Everything,
            _ => Replace::Nothing,
        };
        self.write_files(w, file_format, &target, replace).await
    }

    /// Writes the rows of `w.input` as files of `format` under `target`,
    /// replacing what `replace` says once they are committed.
    pub(crate) async fn write_files(&self, w: &WriteCommand, format: WriteFormat, target: &Path, replace: Replace) -> EngineResult<CommandOutput> {
        let schema = self.schema(&w.input)?;
        let DataType::Struct(fields) = &schema else { return Err(EngineError::IllegalArgument("a written relation must have columns".into())) };
        let case_sensitive = self.conf().bool("spark.sql.caseSensitive", false);
        let same = |a: &str, b: &str| if case_sensitive { a == b } else { a.eq_ignore_ascii_case(b) };
        for (i, f) in fields.iter().enumerate() {
            if fields[..i].iter().any(|g| same(&g.name, &f.name)) {
                return Err(EngineError::spark(ExceptionKind::Analysis, "COLUMN_ALREADY_EXISTS", "42711",
                    format!("The column `{}` already exists. Choose another name or rename the existing column.", f.name.to_lowercase()),
                    &[("columnName", format!("`{}`", f.name.to_lowercase()))]));
            }
        }
        // Partition columns, by the names the schema gives them.
        // Each partition column as the schema names it and as the writer
        // was told (which names its directories, as in Spark).
        let mut partitions: Vec<(String, String)> = Vec::with_capacity(w.partition_by.len());
        for p in &w.partition_by {
            match fields.iter().find(|f| same(&f.name, p)) {
                Some(f) => partitions.push((f.name.clone(), p.clone())),
                None => {
                    return Err(EngineError::spark(ExceptionKind::Analysis, "_LEGACY_ERROR_TEMP_1155", "",
                        format!("Partition column `{p}` not found in schema {}.", schema.simple_string()), &[("colName", p.clone()), ("schemaCatalog", schema.simple_string())]));
                }
            }
        }
        if !partitions.is_empty() && partitions.len() == fields.len() {
            return Err(EngineError::spark(ExceptionKind::Analysis, "ALL_PARTITION_COLUMNS_NOT_ALLOWED", "KD005", "Cannot use all columns for partition columns.", &[]));
        }
        let data: Vec<&spark_plan::StructField> = fields.iter().filter(|f| !partitions.iter().any(|(name, _)| name == &f.name)).collect();
        for f in &data {
            if !supports(format, &f.data_type) {
                return Err(EngineError::spark(ExceptionKind::Analysis, "UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE", "0A000",
                    format!("The {} datasource doesn't support the column `{}` of the type \"{}\".", format_title(format), f.name, f.data_type.sql()),
                    &[("columnName", format!("`{}`", f.name)), ("columnType", format!("\"{}\"", f.data_type.sql())), ("format", format_title(format).into())]));
            }
        }
        if format == WriteFormat::Text && data.len() != 1 {
            return Err(EngineError::spark(ExceptionKind::Analysis, "_LEGACY_ERROR_TEMP_1290", "",
                format!("Text data source supports only a single column, and you have {} columns.", data.len()), &[]));
        }
        let options = spark_datasource::SourceOptions::new(w.options.iter());
        let encoded = self.encoded_rows(w, format, &data, &partitions, &options)?;
        let r = self.resolve(&encoded)?;
        let tz = self.time_zone();
        let (out_schema, _) = output_schema(&Self::output_fields(&r), &tz)?;
        let codec = options.get("compression").or(options.get("codec")).map(str::to_string).or_else(|| match format {
            WriteFormat::Parquet => options.get("parquet.compression").map(str::to_string).or_else(|| self.conf().get("spark.sql.parquet.compression.codec")),
            WriteFormat::Orc => options.get("orc.compress").map(str::to_string).or_else(|| self.conf().get("spark.sql.orc.compression.codec")),
            _ => None,
        });
        let header = (format == WriteFormat::Csv && options.bool("header", false).map_err(|e| EngineError::IllegalArgument(e.to_string()))?)
            .then(|| csv_header(&data, options.get("sep").or(options.get("delimiter")).unwrap_or(",")));
        let line_sep = options.get("lineSep").unwrap_or("\n").to_string();
        // CSV and JSON rows arrive as one encoded line each.
        let bucket_columns = usize::from(w.bucket_by.is_some());
        let data_columns = out_schema.fields().len() - partitions.len() - bucket_columns;
        let file_schema = spark_datasource::write::file_schema(&out_schema, data_columns);
        let encoding = FileEncoding::new(format, codec.as_deref(), header, line_sep, file_schema).map_err(source_error)?;
        let layout = WriteLayout { encoding, data_columns, partition_columns: partitions.iter().map(|(_, given)| given.clone()).collect(), bucketed: w.bucket_by.is_some() };
        spark_datasource::write::recover(target, true).map_err(source_error)?;
        let job = StagedWrite::begin(target).map_err(source_error)?;
        let physical = self.ctx.state().create_physical_plan(&r.plan).await?;
        let streams = datafusion::physical_plan::execute_stream_partitioned(physical, self.task_ctx.clone())?;
        let streams = streams
            .into_iter()
            .map(|s| {
                let schema = out_schema.clone();
                let converted = s.map(move |b| b.and_then(|b| convert_batch(&b, &schema).map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))));
                Box::pin(RecordBatchStreamAdapter::new(out_schema.clone(), converted)) as datafusion::execution::SendableRecordBatchStream
            })
            .collect();
        spark_datasource::write::write_tasks(streams, &job, &layout).await.map_err(source_error)?;
        job.commit(replace).map_err(source_error)?;
        Ok(CommandOutput::empty())
    }

    /// The query whose rows the writer takes: the data columns (CSV and JSON
    /// encoded as one line each), then the partition values as strings.
    fn encoded_rows(&self, w: &WriteCommand, format: WriteFormat, data: &[&spark_plan::StructField], partitions: &[(String, String)], options: &spark_datasource::SourceOptions) -> EngineResult<Relation> {
        let row = || Expr::func("struct", data.iter().map(|f| column(&f.name)).collect());
        // The kernel's arguments: the row, then its options (if any) as a map.
        let with_options = |keys: &[&str]| {
            let mut pairs = Vec::new();
            for k in keys {
                if let Some(v) = options.get(k) {
                    pairs.push(string(k));
                    pairs.push(string(v));
                }
            }
            let mut args = vec![row()];
            if !pairs.is_empty() {
                args.push(Expr::func("map", pairs));
            }
            args
        };
        let mut exprs: Vec<Expr> = match format {
            WriteFormat::Parquet | WriteFormat::Orc | WriteFormat::Text => data.iter().map(|f| column(&f.name)).collect(),
            WriteFormat::Csv => vec![Expr::func("to_csv", with_options(&[
                "sep", "delimiter", "timestampFormat", "dateFormat", "quote", "escape", "nullValue", "emptyValue", "quoteAll",
                "escapeQuotes", "ignoreLeadingWhiteSpace", "ignoreTrailingWhiteSpace",
            ])).alias("value")],
            WriteFormat::Json => vec![Expr::func("to_json", with_options(&["timestampFormat", "dateFormat", "ignoreNullFields", "sortKeys"])).alias("value")],
        };
        for (name, given) in partitions {
            exprs.push(Expr::Cast { expr: Box::new(column(name)), to: DataType::String, mode: CastMode::Default, explicit: true }.alias(given));
        }
        let mut input = w.input.clone();
        if let Some(b) = &w.bucket_by {
            // Spark's bucket id: pmod(murmur3 hash of the bucket columns, buckets).
            let hash = Expr::func("hash", b.columns.iter().map(|c| column(c)).collect());
            exprs.push(Expr::func("pmod", vec![hash, Expr::Literal(Literal::Integer(b.buckets))]).alias("bucket"));
            if !w.sort_by.is_empty() {
                let order = w.sort_by.iter().map(|c| spark_plan::SortOrder { expr: column(c), ascending: true, nulls_first: None }).collect();
                input = Box::new(Relation::new(RelationKind::Sort { input, order, global: false }));
            }
        }
        Ok(Relation::new(RelationKind::Project { input, exprs }))
    }
}

/// The CSV header line: the column names, quoted where needed.
fn csv_header(data: &[&spark_plan::StructField], sep: &str) -> String {
    data.iter()
        .map(|f| {
            let n = &f.name;
            if n.contains(sep) || n.contains('"') || n.contains('\n') { format!("\"{}\"", n.replace('"', "\\\"")) } else { n.clone() }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// `sortBy` needs `bucketBy` (Spark's SORT_BY_WITHOUT_BUCKETING).
pub(crate) fn check_sort_by(w: &WriteCommand) -> EngineResult<()> {
    if !w.sort_by.is_empty() && w.bucket_by.is_none() {
        return Err(EngineError::spark(ExceptionKind::Analysis, "SORT_BY_WITHOUT_BUCKETING", "42601", "sortBy must be used together with bucketBy.", &[]));
    }
    Ok(())
}

/// Spark's DATA_SOURCE_NOT_FOUND for a format no one provides.
pub(crate) fn data_source_not_found(format: &str) -> EngineError {
    EngineError::spark(ExceptionKind::ClassNotFound, "DATA_SOURCE_NOT_FOUND", "42K02",
        format!("Failed to find the data source: {format}. Make sure the provider name is correct and the package is properly registered and compatible with your Spark version."),
        &[("provider", format.to_string())])
}
