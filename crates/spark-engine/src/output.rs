//! Query results as clients receive them: Spark's column names and the
//! canonical Arrow types (Utf8, signed ints, Date32, µs timestamps in the
//! session time zone, ...), converted batch by batch as they stream.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use datafusion::arrow::array::{ArrayRef, RecordBatch, RecordBatchOptions};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{Field, Schema, SchemaRef};
use datafusion::execution::SendableRecordBatchStream;
use datafusion::physical_plan::ExecutionPlan;
use futures::Stream;
use spark_plan::{DataType, StructField};
use spark_resolver::types::{canonical_arrow, from_arrow};

use crate::EngineResult;
use crate::plan_metrics::{NodeMetrics, plan_metrics};

/// One column of a query's result.
pub struct OutputColumn {
    /// The name Spark gives it.
    pub name: String,
    /// DataFusion's field, with Spark's nullability.
    pub field: Field,
    /// Its type with Spark's nullability inside arrays, maps and structs,
    /// where that is known better than DataFusion's type.
    pub nested: Option<datafusion::arrow::datatypes::DataType>,
}

/// The output schema for a resolved plan's fields: Spark names, canonical types.
pub fn output_schema(columns: &[OutputColumn], time_zone: &str) -> EngineResult<(SchemaRef, DataType)> {
    let mut arrow_fields = Vec::with_capacity(columns.len());
    let mut spark_fields = Vec::with_capacity(columns.len());
    for OutputColumn { name, field: f, nested } in columns {
        let t = canonical_arrow(f.data_type(), time_zone)?;
        let plain = || -> EngineResult<DataType> { Ok(from_arrow(&canonical_arrow(nested.as_ref().unwrap_or(&t), time_zone)?)?) };
        let spark = match spark_resolver::types::from_arrow_field(f)? {
            interval @ (DataType::DayTimeInterval { .. } | DataType::YearMonthInterval { .. }) => interval,
            // An array of intervals whose element field names its fields.
            DataType::Array { element, .. } if matches!(*element, DataType::DayTimeInterval { .. } | DataType::YearMonthInterval { .. }) => match plain()? {
                DataType::Array { contains_null, .. } => DataType::Array { element, contains_null },
                other => other,
            },
            _ => plain()?,
        };
        arrow_fields.push(Field::new(name, t, f.is_nullable()));
        let mut field = StructField::new(name.clone(), spark, f.is_nullable());
        field.metadata = f.metadata().get(spark_resolver::types::COLUMN_METADATA_KEY).cloned();
        spark_fields.push(field);
    }
    Ok((Arc::new(Schema::new(arrow_fields)), DataType::Struct(spark_fields)))
}

/// Converts one batch to the output schema.
pub fn convert_batch(batch: &RecordBatch, schema: &SchemaRef) -> EngineResult<RecordBatch> {
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields())
        .map(|(c, f)| if c.data_type() == f.data_type() { Ok(c.clone()) } else { cast(c, f.data_type()) })
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    let options = RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
    Ok(RecordBatch::try_new_with_options(schema.clone(), columns, &options)?)
}

/// A running query: converted batches as DataFusion produces them.
pub struct QueryStream {
    pub schema: SchemaRef,
    pub spark_schema: DataType,
    /// The running physical plan, which keeps its operators' metrics.
    plan: Arc<dyn ExecutionPlan>,
    inner: SendableRecordBatchStream,
}

impl QueryStream {
    pub fn new(schema: SchemaRef, spark_schema: DataType, plan: Arc<dyn ExecutionPlan>, inner: SendableRecordBatchStream) -> Self {
        Self { schema, spark_schema, plan, inner }
    }

    /// What each operator did so far (all of it once the stream has ended).
    pub fn metrics(&self) -> Vec<NodeMetrics> {
        plan_metrics(&self.plan)
    }

    /// The running plan's stages and in-flight tasks.
    pub fn progress(&self) -> (Vec<crate::progress::StageProgress>, i64) {
        crate::progress::progress(&self.plan)
    }
}

impl Stream for QueryStream {
    type Item = EngineResult<RecordBatch>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match Pin::new(&mut self.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(b))) => Poll::Ready(Some(convert_batch(&b, &self.schema))),
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}
