//! `spark.read...load(paths)`: a file source opened by `spark-datasource`,
//! scanned part by part (one part per partition directory, its partition
//! values as literal columns), with Spark's types and all columns nullable.

use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Schema};
use datafusion::common::DFSchema;
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{EmptyRelation, Expr as DfExpr, LogicalPlan, LogicalPlanBuilder, cast, lit};
use datafusion::arrow::datatypes::DataType as ArrowType;
use spark_datasource::file_metadata::{self, METADATA_COLUMN};
use spark_datasource::{FileSource, SourceError, SourceOptions};
use spark_plan::DataType;

use crate::resolver::{Resolver, fresh_id};
use crate::types::{canonical_arrow, to_arrow};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

/// Formats Spark knows that this server cannot read.
const KNOWN_UNSUPPORTED: &[&str] = &["avro", "jdbc", "delta", "iceberg", "hive", "xml", "binaryfile", "libsvm", "image"];

/// File formats that `format.`path`` names in SQL (Spark's SQL on files).
pub(crate) fn is_file_format(name: &str) -> bool {
    ["parquet", "csv", "json", "text", "orc", "avro", "xml", "binaryfile"].iter().any(|f| f.eq_ignore_ascii_case(name))
}

impl Resolver<'_> {
    pub(crate) fn resolve_data_source(
        &mut self,
        format: Option<&str>,
        schema: Option<&DataType>,
        options: &std::collections::BTreeMap<String, String>,
        paths: &[String],
    ) -> ResolveResult<ResolvedRelation> {
        let format = format.unwrap_or("parquet");
        if KNOWN_UNSUPPORTED.contains(&format.to_ascii_lowercase().as_str()) {
            return Err(ResolveError::unsupported(format!("reading the {format} data source")));
        }
        let mut paths = paths.to_vec();
        if let Some(p) = options.iter().find(|(k, _)| k.eq_ignore_ascii_case("path")).map(|(_, v)| v.clone()) {
            paths.push(p);
        }
        if paths.is_empty() {
            return Err(ResolveError::IllegalArgument(format!("'path' is not specified for the {format} data source")));
        }
        let tz = self.config.time_zone.clone();
        let user_schema = match schema {
            Some(DataType::Struct(fields)) => Some(Arc::new(Schema::new(
                fields.iter().map(|f| Ok(Field::new(&f.name, to_arrow(&f.data_type, &tz)?, true))).collect::<ResolveResult<Vec<_>>>()?,
            ))),
            Some(other) => return Err(ResolveError::invalid(format!("a data source schema must be a struct, not {}", other.sql()))),
            None => None,
        };
        // The metadata a given schema's fields carry (a table's comments and
        // defaults), kept on the columns read.
        let user_metadata: Vec<Option<String>> = match schema {
            Some(DataType::Struct(fields)) => fields.iter().map(|f| f.metadata.clone()).collect(),
            _ => vec![],
        };
        let source = FileSource { format, paths: &paths, options: SourceOptions::new(options.iter()), schema: user_schema, time_zone: &tz };
        let opened = spark_datasource::open(&source).map_err(source_error)?;
        let mut fields: Vec<Field> = opened.data_schema.fields().iter().map(|f| f.as_ref().clone()).collect();
        fields.extend(opened.partition_fields.iter().cloned());
        let ids: Vec<String> = fields.iter().map(|_| fresh_id()).collect();
        let targets = fields.iter().map(|f| canonical_arrow(f.data_type(), &tz)).collect::<ResolveResult<Vec<_>>>()?;
        // Spark's hidden `_metadata` column, unless the data has a column of that name.
        let with_metadata = !fields.iter().any(|f| f.name().eq_ignore_ascii_case(METADATA_COLUMN));
        let metadata_type = ArrowType::Struct(file_metadata::metadata_fields(format.eq_ignore_ascii_case("parquet"), &tz));
        let metadata_target = canonical_arrow(&metadata_type, &tz)?;
        let metadata_id = fresh_id();
        // Spark's CSV `nullValue` also turns matching strings into NULL.
        let null_value = options
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("nullValue"))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty() && format.eq_ignore_ascii_case("csv"));
        let mut plan: Option<LogicalPlan> = None;
        for part in opened.parts {
            let scan = LogicalPlanBuilder::scan(format!("{format}_source"), provider_as_source(part.table), None)?.build()?;
            let mut exprs = Vec::with_capacity(fields.len());
            for (i, f) in opened.data_schema.fields().iter().enumerate() {
                let col = DfExpr::Column(datafusion::common::Column::new(Some(format!("{format}_source")), f.name()));
                let col = match (&null_value, f.data_type()) {
                    (Some(nv), datafusion::arrow::datatypes::DataType::Utf8) => datafusion::functions::core::expr_fn::nullif(col, lit(nv.clone())),
                    _ => col,
                };
                let value = cast_to(col, f.data_type(), &targets[i]);
                exprs.push(match user_metadata.get(i).cloned().flatten() {
                    Some(json) => {
                        let m = std::collections::BTreeMap::from([(crate::types::COLUMN_METADATA_KEY.to_string(), json)]);
                        value.alias_with_metadata(ids[i].clone(), Some(datafusion::common::metadata::FieldMetadata::new(m)))
                    }
                    None => value.alias(ids[i].clone()),
                });
            }
            let offset = opened.data_schema.fields().len();
            for (j, v) in part.partition_values.iter().enumerate() {
                let value = lit(v.clone());
                exprs.push(cast_to(value, &v.data_type(), &targets[offset + j]).alias(ids[offset + j].clone()));
            }
            if with_metadata {
                exprs.push(cast_to(part.metadata, &metadata_type, &metadata_target).alias(metadata_id.clone()));
            }
            let projected = LogicalPlanBuilder::from(scan).project(exprs)?.build()?;
            plan = Some(match plan {
                None => projected,
                Some(p) => LogicalPlanBuilder::from(p).union(projected)?.build()?,
            });
        }
        let plan = match plan {
            Some(p) => p,
            None => {
                let mut empty_fields: Vec<Field> = ids.iter().zip(&targets).map(|(id, t)| Field::new(id, t.clone(), true)).collect();
                if with_metadata {
                    empty_fields.push(Field::new(&metadata_id, metadata_target.clone(), false));
                }
                LogicalPlan::EmptyRelation(EmptyRelation {
                    produce_one_row: false,
                    schema: Arc::new(DFSchema::try_from(Schema::new(empty_fields))?),
                })
            }
        };
        // Every column of a file source is nullable, partition columns too.
        let mut columns: Vec<ResolvedColumn> =
            ids.into_iter().zip(fields).map(|(id, f)| ResolvedColumn { nullable: Some(true), ..ResolvedColumn::new(id, f.name().clone()) }).collect();
        if with_metadata {
            columns.push(ResolvedColumn { hidden: true, nullable: Some(false), ..ResolvedColumn::new(metadata_id, METADATA_COLUMN.to_string()) });
        }
        Ok(ResolvedRelation { plan, columns })
    }
}

fn cast_to(e: DfExpr, from: &datafusion::arrow::datatypes::DataType, to: &datafusion::arrow::datatypes::DataType) -> DfExpr {
    if from == to { e } else { cast(e, to.clone()) }
}

fn source_error(e: SourceError) -> ResolveError {
    match e {
        SourceError::PathNotFound(p) => ResolveError::analysis(
            "PATH_NOT_FOUND",
            "42K03",
            format!("Path does not exist: {p}."),
            &[("path", p.clone())],
        ),
        SourceError::CannotInferSchema(f) => ResolveError::analysis(
            "UNABLE_TO_INFER_SCHEMA",
            "42KD9",
            format!("Unable to infer schema for {f}. It must be specified manually."),
            &[("format", f.clone())],
        ),
        SourceError::UnknownFormat(f) => ResolveError::analysis(
            "DATA_SOURCE_NOT_FOUND",
            "42K02",
            format!("Failed to find the data source: {f}. Make sure the provider name is correct and the package is properly registered and compatible with your Spark version."),
            &[("provider", f.clone())],
        ),
        SourceError::InvalidOption(m) => ResolveError::IllegalArgument(m),
        SourceError::Read { .. } | SourceError::Write { .. } | SourceError::CodecNotAvailable { .. } | SourceError::CodecNotSupported { .. } => ResolveError::DataFusion(datafusion::error::DataFusionError::External(Box::new(e))),
        SourceError::Malformed(_) => {
            let error = spark_functions::error::SparkRuntimeError::new(
                spark_functions::error::RuntimeKind::Spark,
                "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION",
                "22023",
                e.to_string(),
            );
            ResolveError::DataFusion(datafusion::error::DataFusionError::External(Box::new(error)))
        }
        SourceError::FailedRead(path) => {
            let error = spark_functions::error::SparkRuntimeError::new(
                spark_functions::error::RuntimeKind::Spark,
                "FAILED_READ_FILE.NO_HINT",
                "KD001",
                format!("Encountered error while reading file file://{path}. "),
            )
            .param("path", format!("file://{path}"));
            ResolveError::DataFusion(datafusion::error::DataFusionError::External(Box::new(error)))
        }
        SourceError::DataFusion(d) => ResolveError::DataFusion(d),
    }
}

