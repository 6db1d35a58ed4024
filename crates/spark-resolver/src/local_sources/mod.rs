//! Inputs whose rows the server holds or generates itself: `spark.range`
//! and local relations (`createDataFrame`, inline `VALUES`).
//!
//! Spark splits both into partitions of its own (`spark.default.parallelism`
//! slices of a range, `min(rows, parallelism)` slices of local rows) and
//! aggregates each partition before merging the partial results, so a
//! `sum` of doubles adds in that order and rounds accordingly. Both are
//! planned here as one stream, which keeps their rows in order for every
//! other operator; the engine's sliced-aggregate rule reads what these
//! scans expose to split them as Spark does under an aggregation.

mod local_relation;
mod range;

pub use local_relation::{LocalRelationExec, LocalRelationTable};
pub use range::{RangeExec, RangeTable};

/// The row counts of Spark's `k` slices of `n` rows (`ParallelCollectionRDD`
/// and `RangeExec` cut at `i * n / k`).
pub fn slices(n: u64, k: u64) -> Vec<u64> {
    let k = k.max(1);
    let bound = |i: u64| ((u128::from(i) * u128::from(n)) / u128::from(k)) as u64;
    (0..k).map(|i| bound(i + 1) - bound(i)).collect()
}

/// The value of an expression that reads no columns, evaluated now (one
/// row).
pub fn constant_array(e: &datafusion::logical_expr::Expr) -> Option<datafusion::arrow::array::ArrayRef> {
    use datafusion::arrow::array::{RecordBatch, RecordBatchOptions};
    use datafusion::arrow::datatypes::Schema;
    let props = datafusion::execution::context::ExecutionProps::new();
    let context = datafusion::logical_expr::physical_planning_context::PhysicalPlanningContext::default();
    let one_row = RecordBatch::try_new_with_options(std::sync::Arc::new(Schema::empty()), vec![], &RecordBatchOptions::new().with_row_count(Some(1))).ok()?;
    let physical = datafusion::physical_expr::create_physical_expr(e, &datafusion::common::DFSchema::empty(), &props, &context).ok()?;
    physical.evaluate(&one_row).ok()?.into_array(1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_as_spark() {
        assert_eq!(slices(100, 2), vec![50, 50]);
        assert_eq!(slices(5, 2), vec![2, 3]);
        assert_eq!(slices(1, 2), vec![0, 1]);
        assert_eq!(slices(10, 3), vec![3, 3, 4]);
    }
}
