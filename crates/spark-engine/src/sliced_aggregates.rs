//! Aggregations over a range or local rows, partitioned as Spark partitions
//! them.
//!
//! Spark aggregates each partition of its input, then merges the partial
//! results in partition order; `sum` and `avg` of doubles and the moment
//! statistics (`stddev`, `corr`, ...) therefore round as the sum of each
//! partition's values plus the next partition's, not as one running sum
//! (`0.1 + (0.2 + 0.3)` over `VALUES 0.1D, 0.2D, 0.3D` in two partitions,
//! which is `0.6`, where adding in row order gives `0.6000000000000001`).
//!
//! This rule finds an aggregation whose input is a range or local relation
//! read through deterministic projections and filters, and whose functions
//! are such floating-point ones next to exact ones, and plans it as Spark
//! does:
//! - a range is generated in Spark's slices of it, one partition each;
//! - local rows are filtered, projected and limited first, in one piece
//!   (Spark's `ConvertToLocalRelation`), then cut into `min(rows,
//!   parallelism)` slices;
//! - a union has its inputs' partitions one after the other;
//! - each partition is aggregated, and the partial results are merged in
//!   partition order in one partition.
//!
//! Aggregates whose result depends on row order (`collect_list`, `first`,
//! ...) keep the plan as it is: the input is then one stream in row order,
//! which is Spark's order for them.

use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::error::Result;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_expr_common::physical_expr::is_volatile;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_optimizer::output_requirements::OutputRequirementExec;
use datafusion::physical_plan::Distribution;
use datafusion::physical_plan::aggregates::{AggregateExec, AggregateMode};
use datafusion::common::JoinType;
use datafusion::arrow::array::{Array, AsArray};
use futures::StreamExt;
use datafusion::physical_expr::{LexOrdering, ScalarFunctionExpr};
use datafusion::physical_plan::filter::FilterExec;
use datafusion::physical_plan::sorts::sort::SortExec;
use datafusion::physical_plan::joins::{HashJoinExec, PartitionMode};
use datafusion::physical_plan::limit::{GlobalLimitExec, LocalLimitExec};
use datafusion::physical_plan::union::UnionExec;
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::udaf::AggregateFunctionExpr;
use datafusion::physical_plan::{ChildrenPropertiesMode, DisplayAs, DisplayFormatType, ExecutionPlan, ExecutionPlanProperties, Partitioning, PlanProperties, ReplaceChildrenOptions};
use spark_resolver::local_sources::{LocalRelationExec, RangeExec, slices};

/// The moment statistics, whose merges round.
const MOMENTS: &[&str] = &[
    "var_pop", "var_samp", "stddev_pop", "stddev_samp", "skewness", "kurtosis", "covar_pop", "covar_samp", "corr", "regr_r2", "regr_sxx",
    "regr_syy", "regr_sxy", "regr_slope", "regr_intercept",
];

/// Aggregates whose result does not depend on how rows are partitioned
/// when the partial results are merged in partition order.
const EXACT: &[&str] = &[
    "count", "min", "max", "bool_and", "bool_or", "bit_and", "bit_or", "bit_xor", "regr_count", "array_agg", "collect_list", "first_value", "last_value",
    "string_agg", "spark_percentile", "spark_percentile_approx",
];

#[derive(Debug, Default)]
pub(crate) struct SlicedAggregates;

impl PhysicalOptimizerRule for SlicedAggregates {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, config: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        let parallelism = config.execution.target_partitions;
        if parallelism < 2 {
            return Ok(plan);
        }
        plan.transform_down(|node| {
            Ok(match sliced(&node, parallelism)? {
                Some(new) => Transformed::new(new, true, TreeNodeRecursion::Jump),
                None => Transformed::no(node),
            })
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "spark_sliced_aggregates"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// How an aggregate's result depends on the partitions it is merged from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    /// Not at all.
    Exact,
    /// By floating-point rounding, in Spark's order of partitions.
    Rounding,
}

fn merge(aggregate: &AggregateFunctionExpr, input: &datafusion::arrow::datatypes::Schema) -> Option<Merge> {
    let name = aggregate.fun().name();
    if EXACT.contains(&name) {
        return Some(Merge::Exact);
    }
    if aggregate.is_distinct() {
        return None;
    }
    let floating = aggregate.expressions().iter().all(|e| e.data_type(input).is_ok_and(|t| t.is_floating()));
    match name {
        "sum" | "avg" | "try_sum" if floating => Some(Merge::Rounding),
        "sum" | "try_sum" => Some(Merge::Exact),
        _ if MOMENTS.contains(&name) => Some(Merge::Rounding),
        _ => None,
    }
}

/// `node` planned over Spark's partitions of its input, when it is such an
/// aggregation, or the shuffle-order sort (see `shuffle_order`) of one.
fn sliced(node: &Arc<dyn ExecutionPlan>, parallelism: usize) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    // The query's required output order: the sliced aggregation yields it.
    if let Some(output) = node.downcast_ref::<OutputRequirementExec>() {
        let input = output.input();
        return match input.downcast_ref::<SortExec>() {
            Some(sort) if sort.fetch().is_none() && is_shuffle_order(sort.expr()) => {
                Ok(sliced_aggregate(sort.input(), parallelism, Some(sort.expr()))?.map(|agg| {
                    Arc::new(OutputRequirementExec::new(agg, None, Distribution::SinglePartition, output.fetch())) as Arc<dyn ExecutionPlan>
                }))
            }
            _ => Ok(None),
        };
    }
    match node.downcast_ref::<SortExec>() {
        Some(sort) if sort.fetch().is_none() && is_shuffle_order(sort.expr()) => sliced_aggregate(sort.input(), parallelism, Some(sort.expr())),
        Some(_) => Ok(None),
        None => sliced_aggregate(node, parallelism, None),
    }
}

/// Whether an ordering is the partition of Spark's shuffle (`pmod(hash(keys), n)`).
fn is_shuffle_order(order: &LexOrdering) -> bool {
    let [key] = order.as_ref() else { return false };
    let mut found = false;
    let _ = key.expr.apply(|e| {
        found |= e.downcast_ref::<ScalarFunctionExpr>().is_some_and(|f| f.fun().name() == "spark_murmur3_hash");
        Ok(if found { TreeNodeRecursion::Stop } else { TreeNodeRecursion::Continue })
    });
    found
}

/// A grouped aggregation over Spark's partitions: each partition's partial
/// groups (sorted into shuffle order when `shuffle_order` is given, as
/// Spark writes them to its shuffle), merged in partition order, so that
/// groups come out as Spark's final aggregation first meets them.
fn sliced_aggregate(node: &Arc<dyn ExecutionPlan>, parallelism: usize, shuffle_order: Option<&LexOrdering>) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    let Some(last) = node.downcast_ref::<AggregateExec>() else {
        return Ok(None);
    };
    if !matches!(last.mode(), AggregateMode::Final | AggregateMode::FinalPartitioned) {
        return Ok(None);
    }
    let Some(partial) = last.input().downcast_ref::<AggregateExec>().filter(|p| *p.mode() == AggregateMode::Partial) else {
        return Ok(None);
    };
    let schema = partial.input_schema();
    let merges: Option<Vec<Merge>> = partial.aggr_expr().iter().map(|a| merge(a, &schema)).collect();
    let wanted = match shuffle_order {
        Some(_) => merges.is_some() && !partial.group_expr().is_empty(),
        None => merges.is_some_and(|m| m.contains(&Merge::Rounding)),
    };
    if !wanted {
        return Ok(None);
    }
    let Some(input) = spark_partitions(partial.input(), parallelism)? else {
        return Ok(None);
    };
    let partial = AggregateExec::try_new(
        AggregateMode::Partial,
        partial.group_expr().clone(),
        partial.aggr_expr().to_vec(),
        partial.filter_expr().to_vec(),
        input,
        schema,
    )?;
    let partial: Arc<dyn ExecutionPlan> = Arc::new(partial);
    // The partial output starts with the group columns, as the final's does;
    // each partition is read in shuffle order (the merge requires it, so the
    // sort stays).
    let merged = match shuffle_order {
        Some(order) => Arc::new(PartitionOrderMergeExec::new(partial).sorting_by(order[0].expr.clone())),
        None => Arc::new(PartitionOrderMergeExec::new(partial)),
    };
    let last = AggregateExec::try_new(
        AggregateMode::Final,
        last.group_expr().clone(),
        last.aggr_expr().to_vec(),
        last.filter_expr().to_vec(),
        merged,
        last.input_schema(),
    )?;
    Ok(Some(Arc::new(last)))
}

/// The input of a deterministic projection or filter, or (`limits`) of a
/// limit.
pub(crate) fn through(plan: &Arc<dyn ExecutionPlan>, limits: bool) -> Option<&Arc<dyn ExecutionPlan>> {
    let passes = if let Some(p) = plan.downcast_ref::<ProjectionExec>() {
        !p.expr().iter().any(|e| is_volatile(&e.expr))
    } else if let Some(f) = plan.downcast_ref::<FilterExec>() {
        !is_volatile(f.predicate())
    } else {
        limits && (plan.is::<GlobalLimitExec>() || plan.is::<LocalLimitExec>())
    };
    match plan.children()[..] {
        [child] if passes => Some(child),
        _ => None,
    }
}

/// `plan` in Spark's partitions: local rows with projections, filters and
/// limits (which Spark computes into new local rows), a range, unions of
/// those (each input's partitions in turn), and projections, filters and
/// broadcast joins (see `broadcast_joins`) of those, which keep the
/// partitions of their input or streamed side.
fn spark_partitions(plan: &Arc<dyn ExecutionPlan>, parallelism: usize) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    if let Some(union) = plan.downcast_ref::<UnionExec>() {
        let mut inputs = Vec::with_capacity(union.inputs().len());
        for input in union.inputs() {
            match spark_partitions(input, parallelism)? {
                Some(input) => inputs.push(input),
                None => return Ok(None),
            }
        }
        return Ok(Some(UnionExec::try_new(inputs)?));
    }
    if plan.output_partitioning().partition_count() != 1 {
        return Ok(None);
    }
    let mut leaf = plan;
    while let Some(child) = through(leaf, true) {
        leaf = child;
    }
    if leaf.is::<LocalRelationExec>() {
        return Ok(Some(Arc::new(LocalSlicesExec::new(plan.clone(), parallelism))));
    }
    if let Some(range) = plan.downcast_ref::<RangeExec>() {
        return Ok(range.sliced().map(|r| Arc::new(r) as Arc<dyn ExecutionPlan>));
    }
    // A broadcast join: each partition of the streamed side probes the
    // whole build side, in order.
    if let Some(join) = plan.downcast_ref::<HashJoinExec>() {
        let keeps_order = matches!(join.join_type, JoinType::Inner | JoinType::Right | JoinType::RightSemi | JoinType::RightAnti);
        if join.mode != PartitionMode::CollectLeft || !keeps_order {
            return Ok(None);
        }
        return match spark_partitions(&join.right, parallelism)? {
            Some(right) => Ok(Some(join.builder().with_new_children(vec![join.left.clone(), right])?.build_exec()?)),
            None => Ok(None),
        };
    }
    let Some(child) = through(plan, false) else {
        return Ok(None);
    };
    match spark_partitions(child, parallelism)? {
        Some(child) => Ok(Some(plan.clone().replace_children(vec![child], ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute))?)),
        None => Ok(None),
    }
}

/// The properties of an operator that reads `input` into `partitions`
/// partitions of no particular order.
pub(crate) fn unordered_properties(input: &Arc<dyn ExecutionPlan>, partitions: usize) -> Arc<PlanProperties> {
    Arc::new(PlanProperties::new(
        EquivalenceProperties::new(input.schema()),
        Partitioning::UnknownPartitioning(partitions),
        input.properties().emission_type,
        input.properties().boundedness,
    ))
}

/// Local rows, computed in one piece and cut into Spark's slices of them:
/// partition `i` is slice `i` (empty past the last slice).
#[derive(Debug)]
struct LocalSlicesExec {
    input: Arc<dyn ExecutionPlan>,
    /// The computed rows, shared by the partitions.
    rows: Arc<tokio::sync::OnceCell<RecordBatch>>,
    parallelism: usize,
    properties: Arc<PlanProperties>,
}

impl LocalSlicesExec {
    fn new(input: Arc<dyn ExecutionPlan>, parallelism: usize) -> Self {
        let properties = unordered_properties(&input, parallelism);
        Self { input, rows: Default::default(), parallelism, properties }
    }
}

impl DisplayAs for LocalSlicesExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "LocalSlicesExec: parallelism={}", self.parallelism)
    }
}

impl ExecutionPlan for LocalSlicesExec {
    fn name(&self) -> &str {
        "LocalSlicesExec"
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
            Some(input) => Arc::new(LocalSlicesExec::new(input, self.parallelism)),
            None => self,
        })
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let (input, rows, parallelism) = (self.input.clone(), self.rows.clone(), self.parallelism as u64);
        let slice = async move {
            let all = rows
                .get_or_try_init(|| async {
                    crate::row_order::whole(input.execute(0, context)?).await
                })
                .await?;
            let n = all.num_rows() as u64;
            let counts = slices(n, n.clamp(1, parallelism));
            let first: u64 = counts.iter().take(partition).sum();
            let count = counts.get(partition).copied().unwrap_or(0);
            Ok(all.slice(first.min(n) as usize, count as usize))
        };
        Ok(Box::pin(RecordBatchStreamAdapter::new(self.schema(), futures::stream::once(slice))))
    }
}

/// Its input's partitions, one after the other, in one partition: the
/// order Spark merges partial aggregates in.
#[derive(Debug)]
struct PartitionOrderMergeExec {
    input: Arc<dyn ExecutionPlan>,
    /// A key each input partition's rows are stably sorted by (ascending),
    /// as Spark's shuffle writes a map task's rows by their partition.
    sort_key: Option<Arc<dyn PhysicalExpr>>,
    properties: Arc<PlanProperties>,
}

impl PartitionOrderMergeExec {
    fn new(input: Arc<dyn ExecutionPlan>) -> Self {
        let properties = unordered_properties(&input, 1);
        Self { input, sort_key: None, properties }
    }

    fn sorting_by(self, key: Arc<dyn PhysicalExpr>) -> Self {
        Self { sort_key: Some(key), ..self }
    }
}

impl DisplayAs for PartitionOrderMergeExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "PartitionOrderMergeExec")
    }
}

impl ExecutionPlan for PartitionOrderMergeExec {
    fn name(&self) -> &str {
        "PartitionOrderMergeExec"
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
            Some(input) => Arc::new(PartitionOrderMergeExec { sort_key: self.sort_key.clone(), ..PartitionOrderMergeExec::new(input) }),
            None => self,
        })
    }

    fn execute(&self, _: usize, context: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
        let Some(key) = self.sort_key.clone() else {
            return crate::partition_order::execute_in_partition_order(self.input.clone(), context);
        };
        // Each partition whole, stably sorted by the key, one after the other.
        let (input, schema) = (self.input.clone(), self.schema());
        let partitions = input.output_partitioning().partition_count();
        let sorted = futures::stream::iter(0..partitions).then(move |i| {
            let (input, context, key) = (input.clone(), context.clone(), key.clone());
            async move {
                let all = crate::row_order::whole(input.execute(i, context)?).await?;
                let keys = key.evaluate(&all)?.into_array(all.num_rows())?;
                let keys = datafusion::arrow::compute::cast(&keys, &datafusion::arrow::datatypes::DataType::Int64)?;
                let keys = keys.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
                crate::row_order::stably_sorted_by(&all, |r| keys.is_valid(r).then(|| keys.value(r)))
            }
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, sorted)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{AsArray, Float64Array};
    use datafusion::arrow::datatypes::{DataType, Field, Float64Type, Schema};
    use datafusion::execution::SessionStateBuilder;
    use datafusion::functions_aggregate::expr_fn::{median, sum};
    use datafusion::prelude::{DataFrame, SessionConfig, SessionContext, col, lit};
    use spark_resolver::local_sources::{LocalRelationTable, RangeTable};

    fn context() -> SessionContext {
        let state = SessionStateBuilder::new()
            .with_config(SessionConfig::new().with_target_partitions(2))
            .with_default_features()
            .with_physical_optimizer_rules(crate::session::physical_optimizer_rules())
            .build();
        SessionContext::new_with_state(state)
    }

    async fn one_double(df: DataFrame) -> f64 {
        let batches = df.collect().await.expect("rows");
        batches[0].column(0).as_primitive::<Float64Type>().value(0)
    }

    #[tokio::test]
    async fn local_rows_are_summed_per_spark_slice() {
        let ctx = context();
        let schema = Arc::new(Schema::new(vec![Field::new("x", DataType::Float64, true)]));
        let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(Float64Array::from(vec![0.1, 0.2, 0.3]))]).expect("batch");
        ctx.register_table("t", Arc::new(LocalRelationTable::try_new(schema, vec![batch]).expect("table"))).expect("register");
        let t = ctx.table("t").await.expect("table");
        // Slices [0.1] and [0.2, 0.3]: 0.1 + 0.5, where one running sum
        // gives 0.6000000000000001.
        assert_eq!(one_double(t.clone().aggregate(vec![], vec![sum(col("x"))]).expect("plan")).await, 0.6);
        // Filtered first, then sliced: [0.2] and [0.3].
        let filtered = t.filter(col("x").gt(lit(0.15))).and_then(|f| f.aggregate(vec![], vec![sum(col("x"))])).expect("plan");
        assert_eq!(one_double(filtered).await, 0.5);
    }

    #[tokio::test]
    async fn a_range_is_summed_per_spark_slice() {
        let ctx = context();
        // range(7) in two slices: rows 0..3 and 3..7.
        ctx.register_table("r", Arc::new(RangeTable::new(0, 1, 7, slices(7, 2)))).expect("register");
        // Spark's sum adds one value after another (Arrow's kernel adds in lanes).
        let spark_sum = spark_functions::double_sum::SparkDoubleSum::udaf(false);
        let df = ctx.table("r").await.expect("table").aggregate(vec![], vec![spark_sum.call(vec![col("value") * lit(0.1)])]).expect("plan");
        let expected = (0..3).map(|i| f64::from(i) * 0.1).sum::<f64>() + (3..7).map(|i| f64::from(i) * 0.1).sum::<f64>();
        assert_eq!(expected, 2.1000000000000005);
        assert_eq!(one_double(df).await, expected);
    }

    #[tokio::test]
    async fn other_aggregates_keep_one_stream() {
        let ctx = context();
        ctx.register_table("r", Arc::new(RangeTable::new(0, 1, 7, slices(7, 2)))).expect("register");
        let df = ctx.table("r").await.expect("table").aggregate(vec![], vec![sum(col("value") * lit(0.1)), median(col("value"))]).expect("plan");
        let plan = df.create_physical_plan().await.expect("physical");
        let shown = datafusion::physical_plan::displayable(plan.as_ref()).indent(false).to_string();
        assert!(!shown.contains("PartitionOrderMergeExec"), "{shown}");
    }
}
