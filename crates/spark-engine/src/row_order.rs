//! Operators that only reorder rows, for broadcast joins (see
//! `broadcast_joins`): the build side reversed, and the streamed side's
//! positions kept and restored.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{RecordBatch, UInt32Array};
use datafusion::arrow::compute::{concat_batches, take_record_batch};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::error::Result;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};

/// A stream's rows as one batch (for the small inputs reordered here).
pub(crate) async fn whole(stream: SendableRecordBatchStream) -> Result<RecordBatch> {
    let schema = stream.schema();
    let batches = datafusion::physical_plan::common::collect(stream).await?;
    Ok(concat_batches(&schema, &batches)?)
}

/// `batch`'s rows stably sorted by `key` of each row's index.
pub(crate) fn stably_sorted_by<K: Ord>(batch: &RecordBatch, key: impl Fn(usize) -> K) -> Result<RecordBatch> {
    let n = u32::try_from(batch.num_rows()).map_err(|_| datafusion::error::DataFusionError::Execution("too many rows to reorder".into()))?;
    let mut order: Vec<u32> = (0..n).collect();
    order.sort_by_key(|&r| key(r as usize));
    Ok(take_record_batch(batch, &UInt32Array::from(order))?)
}

#[derive(Debug)]
pub(crate) struct ReversedRowsExec {
    input: Arc<dyn ExecutionPlan>,
    properties: Arc<PlanProperties>,
}

impl ReversedRowsExec {
    pub(crate) fn new(input: Arc<dyn ExecutionPlan>) -> Self {
        let properties = crate::sliced_aggregates::unordered_properties(&input, 1);
        Self { input, properties }
    }
}

impl ReversedRowsExec {
    pub(crate) fn input(&self) -> &Arc<dyn ExecutionPlan> {
        &self.input
    }
}

impl DisplayAs for ReversedRowsExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "ReversedRowsExec")
    }
}

impl ExecutionPlan for ReversedRowsExec {
    fn name(&self) -> &str {
        "ReversedRowsExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(&self, _: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(self: Arc<Self>, mut children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(match children.pop() {
            Some(input) => Arc::new(ReversedRowsExec::new(input)),
            None => self,
        })
    }

    fn execute(&self, _: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let input = self.input.clone();
        let schema = self.schema();
        let reversed = async move {
            let all = whole(crate::partition_order::execute_in_partition_order(input, context)?).await?;
            stably_sorted_by(&all, |r| std::cmp::Reverse(r))
        };
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, futures::stream::once(reversed))))
    }
}

/// Its input's rows with their position in their partition appended as a
/// last UInt64 column, so that a later sort can restore their order (a
/// left outer broadcast join, whose hash join emits a batch's unmatched
/// rows after its matched ones).
#[derive(Debug)]
pub(crate) struct RowPositionExec {
    input: Arc<dyn ExecutionPlan>,
    schema: datafusion::arrow::datatypes::SchemaRef,
    properties: Arc<PlanProperties>,
}

impl RowPositionExec {
    /// The name of the position column.
    pub(crate) const COLUMN: &'static str = "__spark_row_position";

    pub(crate) fn new(input: Arc<dyn ExecutionPlan>) -> Self {
        use datafusion::arrow::datatypes::{DataType, Field, Schema};
        use datafusion::physical_plan::ExecutionPlanProperties;
        let mut fields: Vec<Field> = input.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
        fields.push(Field::new(Self::COLUMN, DataType::UInt64, false));
        let schema = Arc::new(Schema::new_with_metadata(fields, input.schema().metadata().clone()));
        let properties = Arc::new(PlanProperties::new(
            datafusion::physical_expr::EquivalenceProperties::new(schema.clone()),
            input.output_partitioning().clone(),
            input.properties().emission_type,
            input.properties().boundedness,
        ));
        Self { input, schema, properties }
    }
}

impl DisplayAs for RowPositionExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "RowPositionExec")
    }
}

impl ExecutionPlan for RowPositionExec {
    fn name(&self) -> &str {
        "RowPositionExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(&self, _: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(self: Arc<Self>, mut children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(match children.pop() {
            Some(input) => Arc::new(RowPositionExec::new(input)),
            None => self,
        })
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        use futures::StreamExt;
        let schema = self.schema.clone();
        let mut next: u64 = 0;
        let out = schema.clone();
        let stream = self.input.execute(partition, context)?.map(move |batch| {
            let batch = batch?;
            let n = batch.num_rows() as u64;
            let positions = datafusion::arrow::array::UInt64Array::from_iter_values(next..next + n);
            next += n;
            let mut columns = batch.columns().to_vec();
            columns.push(Arc::new(positions));
            Ok(RecordBatch::try_new(out.clone(), columns)?)
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, stream)))
    }
}

/// Each partition of its input sorted by the position column
/// [`RowPositionExec`] added (at `position`), which it then drops.
#[derive(Debug)]
pub(crate) struct RestoredOrderExec {
    input: Arc<dyn ExecutionPlan>,
    position: usize,
    schema: datafusion::arrow::datatypes::SchemaRef,
    properties: Arc<PlanProperties>,
}

impl RestoredOrderExec {
    pub(crate) fn new(input: Arc<dyn ExecutionPlan>, position: usize) -> Self {
        use datafusion::physical_plan::ExecutionPlanProperties;
        let mut schema = input.schema().as_ref().clone();
        let mut fields: Vec<_> = schema.fields().iter().cloned().collect();
        fields.remove(position.min(fields.len().saturating_sub(1)));
        schema = datafusion::arrow::datatypes::Schema::new_with_metadata(fields, schema.metadata().clone());
        let schema = Arc::new(schema);
        let properties = Arc::new(PlanProperties::new(
            datafusion::physical_expr::EquivalenceProperties::new(schema.clone()),
            input.output_partitioning().clone(),
            input.properties().emission_type,
            input.properties().boundedness,
        ));
        Self { input, position, schema, properties }
    }
}

impl DisplayAs for RestoredOrderExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "RestoredOrderExec")
    }
}

impl ExecutionPlan for RestoredOrderExec {
    fn name(&self) -> &str {
        "RestoredOrderExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(&self, _: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> Result<TreeNodeRecursion>) -> Result<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(self: Arc<Self>, mut children: Vec<Arc<dyn ExecutionPlan>>) -> Result<Arc<dyn ExecutionPlan>> {
        Ok(match children.pop() {
            Some(input) => Arc::new(RestoredOrderExec::new(input, self.position)),
            None => self,
        })
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        use datafusion::arrow::array::AsArray;
        let (input, position, schema) = (self.input.clone(), self.position, self.schema.clone());
        let out = schema.clone();
        let restored = async move {
            let all = whole(input.execute(partition, context)?).await?;
            let positions = all.column(position).as_primitive::<datafusion::arrow::datatypes::UInt64Type>().clone();
            let sorted = stably_sorted_by(&all, |r| positions.value(r))?;
            let mut columns = sorted.columns().to_vec();
            columns.remove(position);
            Ok::<RecordBatch, datafusion::error::DataFusionError>(RecordBatch::try_new(out, columns)?)
        };
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, futures::stream::once(restored))))
    }
}
