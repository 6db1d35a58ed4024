//! The order Spark returns the rows of an aggregation or a window in.
//!
//! Spark computes `GROUP BY`, `DISTINCT` and window functions after a
//! shuffle that puts each row in partition `pmod(hash(keys), N)` (Murmur3
//! with seed 42 as `hash()`, N = `spark.sql.shuffle.partitions`), and
//! `collect()` reads the partitions in order: a query's groups come out in
//! the order of their keys' partitions. A window's rows are sorted by its
//! partition and order keys after the shuffle (which small inputs read as
//! one coalesced partition), so they come out in that order. A query whose
//! result ends in such an operator (under projections, filters and limits
//! only) is sorted here the same way; other orders are left to the plan.

use std::sync::Arc;

use datafusion::common::Result;
use datafusion::logical_expr::expr::{Sort, WindowFunction, WindowFunctionParams};
use datafusion::logical_expr::{Expr, LogicalPlan, LogicalPlanBuilder, Operator, binary_expr, lit};

/// `plan` with its rows in Spark's shuffle order, when its result order
/// comes from an aggregation or a window.
pub(crate) fn in_shuffle_order(plan: LogicalPlan, partitions: i32) -> Result<LogicalPlan> {
    if partitions < 1 {
        return Ok(plan);
    }
    Ok(match plan {
        LogicalPlan::Projection(_) | LogicalPlan::Filter(_) | LogicalPlan::Limit(_) | LogicalPlan::SubqueryAlias(_) => {
            let input = plan.inputs()[0].clone();
            let ordered = in_shuffle_order(input, partitions)?;
            plan.with_new_exprs(plan.expressions(), vec![ordered])?
        }
        LogicalPlan::Aggregate(ref a) if !a.group_expr.is_empty() && !a.group_expr.iter().any(|g| matches!(g, Expr::GroupingSet(_))) => {
            let keys: Vec<Expr> = a.schema.columns().into_iter().take(a.group_expr.len()).map(Expr::Column).collect();
            sorted(plan, vec![partition_of(keys, partitions)])?
        }
        LogicalPlan::Distinct(_) => {
            let keys: Vec<Expr> = plan.schema().columns().into_iter().map(Expr::Column).collect();
            sorted(plan, vec![partition_of(keys, partitions)])?
        }
        LogicalPlan::Window(ref w) => match common_spec(&w.window_expr) {
            // Spark sorts the rows it reads back by the window's keys (the
            // small shuffles of tests coalesce into one partition).
            Some((partition_by, order_by)) if !partition_by.is_empty() => {
                let mut order: Vec<Sort> = partition_by.into_iter().map(|e| e.sort(true, true)).collect();
                order.extend(order_by);
                sorted(plan, order)?
            }
            _ => plan,
        },
        other => other,
    })
}

/// `pmod(hash(keys), n)` ascending.
fn partition_of(keys: Vec<Expr>, partitions: i32) -> Sort {
    let hash = Expr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(spark_functions::murmur_hash::SparkMurmurHash::udf(), keys));
    let n = lit(partitions);
    let pmod = binary_expr(binary_expr(binary_expr(hash, Operator::Modulo, n.clone()), Operator::Plus, n.clone()), Operator::Modulo, n);
    pmod.sort(true, true)
}

fn sorted(plan: LogicalPlan, order: Vec<Sort>) -> Result<LogicalPlan> {
    LogicalPlanBuilder::from(Arc::new(plan)).sort(order)?.build()
}

/// The partitioning and ordering all of a Window's functions share.
fn common_spec(exprs: &[Expr]) -> Option<(Vec<Expr>, Vec<Sort>)> {
    let spec = |e: &Expr| -> Option<(Vec<Expr>, Vec<Sort>)> {
        let mut e = e;
        while let Expr::Alias(a) = e {
            e = &a.expr;
        }
        match e {
            Expr::WindowFunction(w) => {
                let WindowFunction { params: WindowFunctionParams { partition_by, order_by, .. }, .. } = w.as_ref();
                Some((partition_by.clone(), order_by.clone()))
            }
            _ => None,
        }
    };
    let first = spec(exprs.first()?)?;
    exprs.iter().skip(1).all(|e| spec(e).as_ref() == Some(&first)).then_some(first)
}
