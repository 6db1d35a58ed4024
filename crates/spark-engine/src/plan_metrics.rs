//! What each operator of a finished query did, as `df.executionInfo.metrics`
//! shows it: one entry per physical operator with its id, its parent's id
//! and its metrics (rows produced, compute time, spilling), summed over the
//! operator's partitions.

use std::sync::Arc;

use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::metrics::MetricValue;

/// One operator of the executed plan.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeMetrics {
    /// The operator, without DataFusion's `Exec` suffix (`Filter`, `Projection`).
    pub name: String,
    pub id: i64,
    /// The consuming operator's id; the root is its own parent, as in Spark.
    pub parent: i64,
    pub values: Vec<Metric>,
}

/// One metric of an operator.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub name: String,
    pub value: i64,
    /// Spark's metric types: `sum`, `size` (bytes) or `nsTiming` (nanoseconds).
    pub kind: &'static str,
}

/// The metrics of every operator of `plan`, root first, numbered in
/// pre-order. Iterative, so deep plans cannot overflow the stack.
pub fn plan_metrics(plan: &Arc<dyn ExecutionPlan>) -> Vec<NodeMetrics> {
    let mut out = Vec::new();
    let mut stack: Vec<(Arc<dyn ExecutionPlan>, i64)> = vec![(plan.clone(), 0)];
    while let Some((node, parent)) = stack.pop() {
        let id = out.len() as i64;
        let name = node.name().strip_suffix("Exec").unwrap_or(node.name()).to_string();
        let values = node.metrics().map(|m| m.aggregate_by_name().iter().filter_map(|m| metric(m.value())).collect()).unwrap_or_default();
        out.push(NodeMetrics { name, id, parent, values });
        // Reversed, so the first child is numbered next.
        for child in node.children().into_iter().rev() {
            stack.push((child.clone(), id));
        }
    }
    out
}

/// A DataFusion metric under Spark's name where Spark has one.
fn metric(v: &MetricValue) -> Option<Metric> {
    let (name, kind) = match v {
        MetricValue::OutputRows(_) => ("numOutputRows", "sum"),
        MetricValue::SpilledBytes(_) => ("spillSize", "size"),
        MetricValue::OutputBytes(_) => ("outputBytes", "size"),
        MetricValue::ElapsedCompute(_) | MetricValue::Time { .. } => (v.name(), "nsTiming"),
        MetricValue::CurrentMemoryUsage(_) | MetricValue::PeakMemoryUsage { .. } => (v.name(), "size"),
        MetricValue::SpillCount(_) | MetricValue::SpilledRows(_) | MetricValue::OutputBatches(_) | MetricValue::Count { .. } | MetricValue::Gauge { .. } => {
            (v.name(), "sum")
        }
        // Points in time, pruning statistics, ratios and custom values have
        // no single Spark counterpart.
        _ => return None,
    };
    Some(Metric { name: name.to_string(), value: i64::try_from(v.as_usize()).unwrap_or(i64::MAX), kind })
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{LogicalPlanBuilder, col, lit};
    use datafusion::prelude::SessionContext;
    use futures::TryStreamExt;

    #[tokio::test]
    async fn operators_report_their_rows_root_first() {
        let ctx = SessionContext::new();
        let rows = vec![vec![lit(1)], vec![lit(2)], vec![lit(3)]];
        let logical = LogicalPlanBuilder::values(rows).and_then(|b| b.filter(col("column1").gt(lit(1)))).and_then(|b| b.build()).expect("plan");
        let plan = ctx.state().create_physical_plan(&logical).await.expect("physical plan");
        let _batches: Vec<_> = datafusion::physical_plan::execute_stream(plan.clone(), ctx.task_ctx()).expect("run").try_collect().await.expect("rows");
        let nodes = plan_metrics(&plan);
        assert_eq!((nodes[0].id, nodes[0].parent), (0, 0));
        assert!(nodes.iter().skip(1).all(|n| n.parent >= 0 && n.parent < n.id));
        let filter = nodes.iter().find(|n| n.name == "Filter").expect("a filter");
        let rows = filter.values.iter().find(|m| m.name == "numOutputRows").expect("rows metric");
        assert_eq!((rows.value, rows.kind), (2, "sum"));
    }
}
