//! `spark.range(start, end, step, numPartitions)` as a scan of generated
//! `BIGINT`s, one stream unless split into Spark's partitions.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Int64Array, RecordBatch, RecordBatchOptions};
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Schema, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::common::{Statistics, stats::Precision};
use datafusion::error::Result as DfResult;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr as DfExpr, TableType};
use datafusion::physical_expr::expressions::Column;
use datafusion::physical_expr::{EquivalenceProperties, LexOrdering, PhysicalExpr, PhysicalSortExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::metrics::{BaselineMetrics, ExecutionPlanMetricsSet, MetricsSet};
use datafusion::physical_plan::statistics::StatisticsArgs;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties};

/// The range's one column, before the resolver names it `id`.
const COLUMN: &str = "value";

/// The rows `start, start + step, ...` short of `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Series {
    start: i64,
    step: i64,
    rows: u64,
}

impl Series {
    fn value(&self, index: u64) -> i64 {
        // In range: every value lies between start and end.
        (i128::from(self.start) + i128::from(self.step) * i128::from(index)) as i64
    }
}

/// The table behind `spark.range`; `slices` are the row counts of Spark's
/// partitions of it, in order.
#[derive(Debug)]
pub struct RangeTable {
    series: Series,
    slices: Vec<u64>,
    schema: SchemaRef,
}

impl RangeTable {
    pub fn new(start: i64, step: i64, rows: u64, slices: Vec<u64>) -> Self {
        let schema = Arc::new(Schema::new(vec![Field::new(COLUMN, ArrowType::Int64, false)]));
        Self { series: Series { start, step, rows }, slices, schema }
    }
}

#[async_trait::async_trait]
impl TableProvider for RangeTable {

    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(&self, _: &dyn Session, projection: Option<&Vec<usize>>, _: &[DfExpr], _: Option<usize>) -> DfResult<Arc<dyn ExecutionPlan>> {
        let with_column = projection.is_none_or(|p| !p.is_empty());
        Ok(Arc::new(RangeExec::new(self.series, self.slices.clone(), with_column, false)))
    }
}

/// Generates a range, as one partition or as Spark's partitions of it.
#[derive(Debug)]
pub struct RangeExec {
    series: Series,
    /// Row counts of Spark's partitions.
    slices: Vec<u64>,
    /// Whether the `value` column is read (else batches of row counts only).
    with_column: bool,
    /// Whether each of Spark's partitions is one of this plan's.
    sliced: bool,
    properties: Arc<PlanProperties>,
    metrics: ExecutionPlanMetricsSet,
}

impl RangeExec {
    fn new(series: Series, slices: Vec<u64>, with_column: bool, sliced: bool) -> Self {
        let fields = if with_column { vec![Field::new(COLUMN, ArrowType::Int64, false)] } else { vec![] };
        let schema = Arc::new(Schema::new(fields));
        let mut eq = EquivalenceProperties::new(schema.clone());
        if with_column {
            let descending = series.step < 0;
            let sort = PhysicalSortExpr::new(Arc::new(Column::new(COLUMN, 0)), datafusion::arrow::compute::SortOptions { descending, nulls_first: false });
            if let Some(ordering) = LexOrdering::new(vec![sort]) {
                eq.add_orderings(vec![ordering]);
            }
        }
        let partitions = if sliced { slices.len().max(1) } else { 1 };
        let properties = Arc::new(PlanProperties::new(eq, Partitioning::UnknownPartitioning(partitions), EmissionType::Incremental, Boundedness::Bounded));
        Self { series, slices, with_column, sliced, properties, metrics: ExecutionPlanMetricsSet::new() }
    }

    /// How many rows the range has.
    pub fn rows(&self) -> u64 {
        self.series.rows
    }

    /// The same rows in Spark's partitions, when there is more than one.
    pub fn sliced(&self) -> Option<RangeExec> {
        (!self.sliced && self.slices.len() > 1).then(|| RangeExec::new(self.series, self.slices.clone(), self.with_column, true))
    }

    /// The first row and row count of output partition `partition`.
    fn partition_rows(&self, partition: usize) -> (u64, u64) {
        if !self.sliced {
            return (0, self.series.rows);
        }
        let first = self.slices.iter().take(partition).sum();
        (first, self.slices.get(partition).copied().unwrap_or(0))
    }
}

impl DisplayAs for RangeExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        let Series { start, step, rows } = self.series;
        write!(f, "RangeExec: start={start}, step={step}, rows={rows}")?;
        if self.sliced {
            write!(f, ", partitions={:?}", self.slices)?;
        }
        Ok(())
    }
}

impl ExecutionPlan for RangeExec {
    fn name(&self) -> &str {
        "RangeExec"
    }


    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![]
    }

    fn apply_expressions(&self, _: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> DfResult<TreeNodeRecursion>) -> DfResult<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn with_new_children(self: Arc<Self>, _: Vec<Arc<dyn ExecutionPlan>>) -> DfResult<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn statistics_from_inputs(&self, _: &[Arc<Statistics>], args: &StatisticsArgs) -> DfResult<Arc<Statistics>> {
        let rows = match args.partition() {
            Some(p) => self.partition_rows(p).1,
            None => self.series.rows,
        };
        let mut stats = Statistics::new_unknown(&self.schema());
        stats.num_rows = usize::try_from(rows).map_or(Precision::Absent, Precision::Exact);
        Ok(Arc::new(stats))
    }

    fn metrics(&self) -> Option<MetricsSet> {
        Some(self.metrics.clone_inner())
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> DfResult<SendableRecordBatchStream> {
        let output = BaselineMetrics::new(&self.metrics, partition);
        let (first, rows) = self.partition_rows(partition);
        let batch_size = context.session_config().batch_size().max(1) as u64;
        let (series, schema, with_column) = (self.series, self.schema(), self.with_column);
        let batches = (0..rows.div_ceil(batch_size)).map(move |i| {
            let from = first + i * batch_size;
            let n = batch_size.min(first + rows - from);
            let batch = if with_column {
                let values: Int64Array = (from..from + n).map(|j| series.value(j)).collect();
                RecordBatch::try_new(schema.clone(), vec![Arc::new(values)])
            } else {
                RecordBatch::try_new_with_options(schema.clone(), vec![], &RecordBatchOptions::new().with_row_count(Some(n as usize)))
            };
            let batch = batch?;
            output.record_output(batch.num_rows());
            Ok(batch)
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(self.schema(), futures::stream::iter(batches))))
    }
}
