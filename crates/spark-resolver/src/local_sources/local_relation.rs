//! Local relations: rows sent with the plan (`createDataFrame`) or written
//! inline (`VALUES`), scanned from memory in one partition. The scan is
//! marked so that the engine can tell them from other in-memory tables
//! (files read whole, checkpoints), which Spark does not split the same way.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::{DataType, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::MemTable;
use datafusion::error::Result as DfResult;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr as DfExpr, TableProviderFilterPushDown, TableType};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties};

/// A local relation's rows as a table.
#[derive(Debug)]
pub struct LocalRelationTable {
    rows: MemTable,
    /// How many rows there are.
    count: usize,
    /// Per column, its type with Spark's nullability inside arrays, maps
    /// and structs where known better than the (executed) schema's.
    spark_types: Vec<Option<DataType>>,
}

impl LocalRelationTable {
    pub fn try_new(schema: SchemaRef, batches: Vec<RecordBatch>) -> DfResult<Self> {
        let count = batches.iter().map(RecordBatch::num_rows).sum();
        Ok(Self { rows: MemTable::try_new(schema, vec![batches])?, count, spark_types: vec![] })
    }

    pub fn with_spark_types(self, spark_types: Vec<Option<DataType>>) -> Self {
        Self { spark_types, ..self }
    }

    /// Column `index`'s type with Spark's nested nullability, if known.
    pub fn spark_type(&self, index: usize) -> Option<DataType> {
        self.spark_types.get(index).cloned().flatten()
    }
}

#[async_trait::async_trait]
impl TableProvider for LocalRelationTable {

    fn schema(&self) -> SchemaRef {
        self.rows.schema()
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(&self, state: &dyn Session, projection: Option<&Vec<usize>>, filters: &[DfExpr], limit: Option<usize>) -> DfResult<Arc<dyn ExecutionPlan>> {
        let scan = self.rows.scan(state, projection, filters, limit).await?;
        let rows = limit.map_or(self.count, |l| l.min(self.count));
        Ok(Arc::new(LocalRelationExec { properties: scan.properties().clone(), scan, rows }))
    }

    fn supports_filters_pushdown(&self, filters: &[&DfExpr]) -> DfResult<Vec<TableProviderFilterPushDown>> {
        Ok(vec![TableProviderFilterPushDown::Unsupported; filters.len()])
    }
}

/// The scan of a local relation's rows (one partition), as it is.
#[derive(Debug)]
pub struct LocalRelationExec {
    scan: Arc<dyn ExecutionPlan>,
    properties: Arc<PlanProperties>,
    rows: usize,
}

impl LocalRelationExec {
    /// How many rows the scan reads.
    pub fn rows(&self) -> usize {
        self.rows
    }
}

impl DisplayAs for LocalRelationExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "LocalRelationExec")
    }
}

impl ExecutionPlan for LocalRelationExec {
    fn name(&self) -> &str {
        "LocalRelationExec"
    }


    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.scan]
    }

    fn apply_expressions(&self, _: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> DfResult<TreeNodeRecursion>) -> DfResult<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(self: Arc<Self>, mut children: Vec<Arc<dyn ExecutionPlan>>) -> DfResult<Arc<dyn ExecutionPlan>> {
        Ok(match children.pop() {
            Some(scan) => Arc::new(LocalRelationExec { properties: scan.properties().clone(), scan, rows: self.rows }),
            None => self,
        })
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> DfResult<SendableRecordBatchStream> {
        self.scan.execute(partition, context)
    }
}
