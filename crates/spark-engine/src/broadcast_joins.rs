//! Joins of local rows and ranges planned as Spark plans them: a broadcast
//! hash join that builds on the side Spark broadcasts and streams the other
//! in its order.
//!
//! Spark broadcasts a join side whose estimated size is under
//! `spark.sql.autoBroadcastJoinThreshold` (10 MiB); of two inner-join
//! sides it broadcasts the smaller (the right on a tie), an outer, semi or
//! anti join only its optional side. The join's rows then come out in the
//! streamed side's order, each row with its matches, which is what
//! `collect()` returns and the order partial aggregates add in.
//!
//! Sizes are Spark's estimates: local rows count `8 + Σ defaultSize` bytes
//! per row of the columns the join reads; a range of `n` rows counts `8 n`,
//! scaled like a projection to the columns read.
//!
//! Spark's hash relation hands out a key's build rows last-inserted first;
//! the build side is fed to DataFusion's (which hands them out in order)
//! reversed, so that each streamed row meets its matches in Spark's order.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, Schema};
use datafusion::common::JoinType;
use datafusion::common::config::ConfigOptions;
use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::error::Result;
use datafusion::physical_optimizer::PhysicalOptimizerRule;
use datafusion::physical_plan::joins::{HashJoinExec, PartitionMode};
use datafusion::physical_plan::projection::ProjectionExec;
use datafusion::physical_plan::{ExecutionPlan, ExecutionPlanProperties};
use spark_resolver::local_sources::{LocalRelationExec, RangeExec};

use crate::row_order::{RestoredOrderExec, ReversedRowsExec, RowPositionExec};
use crate::sliced_aggregates::through;

/// `spark.sql.autoBroadcastJoinThreshold`'s default.
const BROADCAST_THRESHOLD: u128 = 10 * 1024 * 1024;

#[derive(Debug, Default)]
pub(crate) struct BroadcastJoins;

impl PhysicalOptimizerRule for BroadcastJoins {
    fn optimize(&self, plan: Arc<dyn ExecutionPlan>, _: &ConfigOptions) -> Result<Arc<dyn ExecutionPlan>> {
        plan.transform_up(|node| {
            Ok(match broadcast(&node)? {
                Some(new) => Transformed::yes(new),
                None => Transformed::no(node),
            })
        })
        .map(|t| t.data)
    }

    fn name(&self) -> &str {
        "spark_broadcast_joins"
    }

    fn schema_check(&self) -> bool {
        true
    }
}

/// Which input Spark broadcasts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Build {
    Left,
    Right,
}

/// `node` as a hash join that builds on Spark's broadcast side (DataFusion
/// builds on its left input) and streams the other, when both inputs are
/// local rows or ranges.
fn broadcast(node: &Arc<dyn ExecutionPlan>) -> Result<Option<Arc<dyn ExecutionPlan>>> {
    let Some(join) = node.downcast_ref::<HashJoinExec>() else {
        return Ok(None);
    };
    if join.null_aware || join.left.is::<ReversedRowsExec>() || join.right.is::<ReversedRowsExec>() || join.left.output_partitioning().partition_count() != 1 || join.right.output_partitioning().partition_count() != 1 {
        return Ok(None);
    }
    let (Some(left), Some(right)) = (spark_size(&join.left), spark_size(&join.right)) else {
        return Ok(None);
    };
    let fits = |size: u128| size <= BROADCAST_THRESHOLD;
    let build = match join.join_type {
        JoinType::Inner if fits(left) && fits(right) => {
            if right <= left {
                Build::Right
            } else {
                Build::Left
            }
        }
        JoinType::Inner if fits(right) => Build::Right,
        JoinType::Inner if fits(left) => Build::Left,
        JoinType::Left | JoinType::LeftSemi | JoinType::LeftAnti if fits(right) => Build::Right,
        JoinType::Right if fits(left) => Build::Left,
        _ => return Ok(None),
    };
    let reversed = |side: &Arc<dyn ExecutionPlan>| Arc::new(ReversedRowsExec::new(side.clone())) as Arc<dyn ExecutionPlan>;
    Ok(Some(match build {
        Build::Left => join
            .builder()
            .with_new_children(vec![reversed(&join.left), join.right.clone()])?
            .with_partition_mode(PartitionMode::CollectLeft)
            .build_exec()?,
        // A left outer join: the hash join emits a batch's unmatched rows
        // after its matched ones, so the streamed rows' positions put them
        // back in order.
        Build::Right if join.join_type == JoinType::Left && join.projection.is_none() => {
            let streamed = Arc::new(RowPositionExec::new(join.left.clone())) as Arc<dyn ExecutionPlan>;
            let position = streamed.schema().fields().len() - 1;
            let join = join.builder().with_new_children(vec![streamed, reversed(&join.right)])?.build()?;
            let swapped = join.swap_inputs(PartitionMode::CollectLeft)?;
            Arc::new(RestoredOrderExec::new(swapped, position))
        }
        Build::Right => {
            let join = join.builder().with_new_children(vec![join.left.clone(), reversed(&join.right)])?.build()?;
            join.swap_inputs(PartitionMode::CollectLeft)?
        }
    }))
}

/// Spark's estimated size in bytes of `plan` (local rows, ranges, and
/// projections, filters, limits and joins of them), if it is such a plan:
/// a projection scales its input's size by the ratio of row sizes, a join
/// multiplies its sides' (a semi or anti join keeps its kept side's).
fn spark_size(plan: &Arc<dyn ExecutionPlan>) -> Option<u128> {
    if let Some(local) = plan.downcast_ref::<LocalRelationExec>() {
        return Some(local.rows() as u128 * row_size(&plan.schema()));
    }
    if let Some(range) = plan.downcast_ref::<RangeExec>() {
        return Some(u128::from(range.rows()) * 8);
    }
    if let Some(join) = plan.downcast_ref::<HashJoinExec>() {
        return match join.join_type {
            JoinType::Inner | JoinType::Left | JoinType::Right | JoinType::Full => Some(spark_size(&join.left)?.saturating_mul(spark_size(&join.right)?)),
            JoinType::LeftSemi | JoinType::LeftAnti => spark_size(&join.left),
            JoinType::RightSemi | JoinType::RightAnti => spark_size(&join.right),
            _ => None,
        };
    }
    if let Some(reversed) = plan.downcast_ref::<ReversedRowsExec>() {
        return spark_size(reversed.input());
    }
    let child = through(plan, true)?;
    let size = spark_size(child)?;
    Some(match plan.downcast_ref::<ProjectionExec>() {
        Some(_) => size * row_size(&plan.schema()) / row_size(&child.schema()),
        None => size,
    })
}

/// `8 + Σ defaultSize` of the columns (Spark's `getSizePerRow`).
fn row_size(schema: &Schema) -> u128 {
    8 + schema.fields().iter().map(|f| u128::from(default_size(f.data_type()))).sum::<u128>()
}

/// Spark's `DataType.defaultSize` of the type an Arrow type holds.
fn default_size(t: &DataType) -> u64 {
    match t {
        DataType::Null | DataType::Boolean | DataType::Int8 => 1,
        DataType::Int16 => 2,
        DataType::Int32 | DataType::Float32 | DataType::Date32 | DataType::Interval(datafusion::arrow::datatypes::IntervalUnit::YearMonth) => 4,
        DataType::Int64 | DataType::Float64 | DataType::Timestamp(..) | DataType::Duration(_) | DataType::Time64(_) | DataType::Date64 => 8,
        DataType::Decimal128(p, _) if *p <= 18 => 8,
        DataType::Decimal128(..) | DataType::Decimal256(..) | DataType::Interval(_) => 16,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => 20,
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => 100,
        DataType::List(f) | DataType::LargeList(f) | DataType::FixedSizeList(f, _) => default_size(f.data_type()),
        DataType::Map(entries, _) => default_size(entries.data_type()),
        DataType::Struct(fields) => fields.iter().map(|f| default_size(f.data_type())).sum(),
        _ => 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::Field;

    #[test]
    fn rows_are_sized_as_spark_estimates_them() {
        let schema = Schema::new(vec![Field::new("k", DataType::Int64, true), Field::new("x", DataType::Float64, true)]);
        assert_eq!(row_size(&schema), 24);
        let names = Schema::new(vec![Field::new("s", DataType::Utf8, true), Field::new("d", DataType::Decimal128(20, 2), true)]);
        assert_eq!(row_size(&names), 44);
    }
}
