//! Its input's rows (one partition) in reverse order, for the build side of
//! a broadcast join (see `broadcast_joins`).

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
            let batches = datafusion::physical_plan::common::collect(crate::partition_order::execute_in_partition_order(input.clone(), context)?).await?;
            let all = concat_batches(&input.schema(), &batches)?;
            let n = u32::try_from(all.num_rows()).map_err(|_| datafusion::error::DataFusionError::Execution("too many rows to reverse".into()))?;
            let indices: UInt32Array = (0..n).rev().collect();
            Ok::<RecordBatch, datafusion::error::DataFusionError>(take_record_batch(&all, &indices)?)
        };
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, futures::stream::once(reversed))))
    }
}
