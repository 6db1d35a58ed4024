//! An optimizer rule for `x NOT IN (subquery)`. DataFusion decorrelates it
//! into a null-aware anti join, which it can only build on the left input —
//! usually the large one (TPC-H q16 built its hash table from the join of
//! partsupp and part, on one thread, where the subquery has 10,000 rows) —
//! and cannot run at all when the subquery is correlated (a second join
//! key). The rule states the same semantics with a plain anti join, which
//! the planner may build on either side, and one aggregation of the
//! subquery per correlation key `k`:
//!
//! `NOT IN` keeps a row when no subquery value equals `x`, the subquery has
//! no NULL, and `x` is not NULL unless the subquery is empty:
//!
//! ```text
//! Project(left columns)
//!   Filter(rows = keys AND (x IS NOT NULL OR rows = 0))   -- missing counts as 0
//!     LeftJoin(AntiJoin(left, right, x = y AND k = k'), Aggregate(right GROUP BY k': count(*) AS rows, count(y) AS keys), k = k')
//! ```
//!
//! (a cross join when uncorrelated). A row value (`(a, b) NOT IN (...)`)
//! becomes an anti join on "every field equal or NULL". DataFusion puts the `IN` pair first
//! among the join keys. The subquery runs twice, so the rule leaves it
//! alone when it is not deterministic.

use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, Result};
use datafusion::arrow::datatypes::DataType;
use datafusion::functions::core::expr_fn::{coalesce, get_field};
use datafusion::functions_aggregate::count::count;
use datafusion::logical_expr::{Expr, ExprSchemable, Join, JoinType, LogicalPlan, LogicalPlanBuilder, lit};
use datafusion::optimizer::optimizer::ApplyOrder;
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};

#[derive(Debug, Default)]
pub struct NotInAsAntiJoin;

/// The names of the subquery's two counts, under their own qualifier.
const STATS: &str = "not_in_subquery";
const ROWS: &str = "rows";
const KEYS: &str = "keys";

fn deterministic(plan: &LogicalPlan) -> bool {
    !plan.exists(|node| Ok(node.expressions().iter().any(|e| e.is_volatile()))).unwrap_or(true)
}

fn rewrite(join: &Join) -> Result<Option<LogicalPlan>> {
    let Some(((left_key, right_key), correlation)) = join.on.split_first() else { return Ok(None) };
    if join.join_type != JoinType::LeftAnti || !join.null_aware || join.filter.is_some() || !deterministic(&join.right) {
        return Ok(None);
    }
    // A row value (`(a, b) NOT IN (SELECT x, y ...)`) compares field by
    // field: a subquery row rules a row out unless some field differs for
    // sure (both sides non-NULL) — an anti join on that condition, as
    // Spark's nested-loop plan for it.
    let (left_type, right_type) = (left_key.get_type(join.left.schema())?, right_key.get_type(join.right.schema())?);
    if let (DataType::Struct(l), DataType::Struct(r)) = (&left_type, &right_type) {
        if l.len() != r.len() {
            return Ok(None);
        }
        let may_equal = l
            .iter()
            .zip(r.iter())
            .map(|(lf, rf)| {
                let (a, b) = (get_field(left_key.clone(), lf.name().as_str()), get_field(right_key.clone(), rf.name().as_str()));
                a.clone().eq(b.clone()).or(a.is_null()).or(b.is_null())
            })
            .reduce(Expr::and);
        let anti = Join::try_new(
            Arc::clone(&join.left),
            Arc::clone(&join.right),
            correlation.to_vec(),
            may_equal,
            JoinType::LeftAnti,
            join.join_constraint,
            join.null_equality,
            false,
        )?;
        return Ok(Some(LogicalPlan::Join(anti)));
    }
    if left_type.is_nested() || right_type.is_nested() {
        return Ok(None);
    }
    let anti = Join::try_new(
        Arc::clone(&join.left),
        Arc::clone(&join.right),
        join.on.clone(),
        None,
        JoinType::LeftAnti,
        join.join_constraint,
        join.null_equality,
        false,
    )?;
    let groups: Vec<Expr> = correlation.iter().map(|(_, inner)| inner.clone()).collect();
    let counts = LogicalPlanBuilder::from(join.right.as_ref().clone())
        .aggregate(groups.clone(), vec![count(lit(1)).alias(ROWS), count(right_key.clone()).alias(KEYS)])?
        .build()?;
    let group_names: Vec<String> = counts.schema().fields().iter().take(groups.len()).map(|f| f.name().clone()).collect();
    let stats = LogicalPlanBuilder::from(counts).alias(STATS)?.build()?;
    let stat = |name: &str| Expr::Column(Column::new(Some(STATS), name));
    let counted = |name: &str| coalesce(vec![stat(name), lit(0i64)]);
    let keep = counted(ROWS).eq(counted(KEYS)).and(left_key.clone().is_not_null().or(counted(ROWS).eq(lit(0i64))));
    let left_columns: Vec<Expr> = join.left.schema().columns().into_iter().map(Expr::Column).collect();
    let with_stats = if correlation.is_empty() {
        LogicalPlanBuilder::from(LogicalPlan::Join(anti)).cross_join(stats)?
    } else {
        let on = correlation.iter().zip(&group_names).map(|((outer, _), group)| outer.clone().eq(stat(group))).reduce(Expr::and);
        LogicalPlanBuilder::from(LogicalPlan::Join(anti)).join_on(stats, JoinType::Left, on)?
    };
    Ok(Some(with_stats.filter(keep)?.project(left_columns)?.build()?))
}

impl OptimizerRule for NotInAsAntiJoin {
    fn name(&self) -> &str {
        "not_in_as_anti_join"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(&self, plan: LogicalPlan, _config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        let LogicalPlan::Join(join) = &plan else { return Ok(Transformed::no(plan)) };
        match rewrite(join)? {
            Some(new) => Ok(Transformed::yes(new)),
            None => Ok(Transformed::no(plan)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::datatypes::{DataType, Field, Schema};
    use datafusion::logical_expr::{JoinConstraint, col, logical_plan::table_scan};
    use datafusion::common::NullEquality;

    fn scan(name: &str, column: &str) -> Result<LogicalPlan> {
        table_scan(Some(name), &Schema::new(vec![Field::new(column, DataType::Int64, true)]), None)?.build()
    }

    #[test]
    fn rewrites_null_aware_anti_joins_only() -> Result<()> {
        let (l, r) = (Arc::new(scan("l", "x")?), Arc::new(scan("r", "y")?));
        let on = vec![(col("l.x"), col("r.y"))];
        let aware = Join::try_new(l.clone(), r.clone(), on.clone(), None, JoinType::LeftAnti, JoinConstraint::On, NullEquality::NullEqualsNothing, true)?;
        let plan = rewrite(&aware)?.expect("rewritten");
        let shown = plan.display_indent().to_string();
        assert!(shown.contains("LeftAnti Join: l.x = r.y") && !shown.contains("null_aware"), "{shown}");
        assert!(shown.contains("coalesce(not_in_subquery.rows, Int64(0)) = coalesce(not_in_subquery.keys, Int64(0))"), "{shown}");
        assert_eq!(plan.schema().fields().len(), 1);
        let plain = Join::try_new(l, r, on, None, JoinType::LeftAnti, JoinConstraint::On, NullEquality::NullEqualsNothing, false)?;
        assert!(rewrite(&plain)?.is_none());
        Ok(())
    }
}
