//! A query's rows in partition order. Spark's `collect` returns partition
//! 0's rows, then partition 1's, and so on, so `a.union(b)` lists `a`'s rows
//! before `b`'s. DataFusion's `execute_stream` merges several partitions in
//! whatever order their batches are ready; here every partition still runs
//! at once, each into a bounded buffer, and the stream reads the buffers one
//! after the other.

use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::common::Result;
use datafusion::execution::TaskContext;
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{ExecutionPlan, ExecutionPlanProperties, SendableRecordBatchStream, execute_stream};
use futures::StreamExt;
use tokio::sync::mpsc;

/// Batches a partition may run ahead of the one being read. A partition
/// that fills its buffer waits, so memory stays bounded for large results.
const BUFFERED_BATCHES: usize = 64;

/// Runs `plan` and streams its rows partition by partition.
pub(crate) fn execute_in_partition_order(plan: Arc<dyn ExecutionPlan>, ctx: Arc<TaskContext>) -> Result<SendableRecordBatchStream> {
    let partitions = plan.output_partitioning().partition_count();
    if partitions <= 1 {
        return execute_stream(plan, ctx);
    }
    let mut buffers = Vec::with_capacity(partitions);
    let mut producers = Producers(Vec::with_capacity(partitions));
    for partition in 0..partitions {
        let (tx, rx) = mpsc::channel::<Result<RecordBatch>>(BUFFERED_BATCHES);
        let mut input = plan.execute(partition, ctx.clone())?;
        producers.0.push(tokio::spawn(async move {
            while let Some(item) = input.next().await {
                // The reader is gone (the query ended or was cancelled).
                if tx.send(item).await.is_err() {
                    break;
                }
            }
        }));
        buffers.push(rx);
    }
    let rows = futures::stream::iter(buffers).flat_map(|rx| futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) }));
    // Dropping the stream drops the producers, which stops them.
    let rows = rows.map(move |item| {
        let _running = &producers;
        item
    });
    Ok(Box::pin(RecordBatchStreamAdapter::new(plan.schema(), rows)))
}

/// The tasks that run the partitions; stopped when the stream is dropped.
struct Producers(Vec<tokio::task::JoinHandle<()>>);

impl Drop for Producers {
    fn drop(&mut self) {
        for task in &self.0 {
            task.abort();
        }
    }
}
