//! How far a running query is, as Spark Connect reports it
//! (`ExecutePlanResponse.execution_progress`): one stage per operator that
//! runs its own partitions (scans and the operators above exchanges), with
//! its partitions as tasks. A partition is complete when its stream has
//! ended (DataFusion records its end time); input bytes are what the scans
//! have read.

use std::sync::Arc;

use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::metrics::MetricValue;

/// One stage of the running plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageProgress {
    pub stage_id: i64,
    pub num_tasks: i64,
    pub num_completed_tasks: i64,
    pub input_bytes_read: i64,
    pub done: bool,
}

/// The stages of `plan` and how many tasks are running now.
pub fn progress(plan: &Arc<dyn ExecutionPlan>) -> (Vec<StageProgress>, i64) {
    let mut stages = Vec::new();
    let mut inflight = 0;
    let mut stack = vec![(plan.clone(), true)];
    while let Some((node, stage_root)) = stack.pop() {
        let children = node.children();
        // A stage ends below an exchange, and every source starts one.
        let starts_stage = stage_root || children.is_empty();
        if starts_stage {
            let partitions = node.properties().output_partitioning().partition_count() as i64;
            let (started, ended, bytes) = partition_progress(&node);
            let completed = ended.min(partitions);
            inflight += (started - ended).max(0);
            stages.push(StageProgress {
                stage_id: stages.len() as i64,
                num_tasks: partitions,
                num_completed_tasks: completed,
                input_bytes_read: bytes,
                done: completed == partitions,
            });
        }
        let exchange = node.name().contains("Repartition") || node.name().contains("Coalesce") || node.name().contains("SortPreservingMerge");
        for child in children {
            stack.push((child.clone(), exchange));
        }
    }
    (stages, inflight)
}

/// (partitions started, partitions ended, input bytes) from an operator's
/// metrics.
fn partition_progress(node: &Arc<dyn ExecutionPlan>) -> (i64, i64, i64) {
    let Some(metrics) = node.metrics() else { return (0, 0, 0) };
    let (mut started, mut ended, mut bytes) = (0, 0, 0);
    for m in metrics.iter() {
        match m.value() {
            MetricValue::StartTimestamp(t) if t.value().is_some() => started += 1,
            MetricValue::EndTimestamp(t) if t.value().is_some() => ended += 1,
            MetricValue::Count { name, count } if name == "bytes_scanned" => bytes += count.value() as i64,
            _ => {}
        }
    }
    (started.max(ended), ended, bytes)
}
