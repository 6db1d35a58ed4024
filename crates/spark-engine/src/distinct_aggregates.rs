//! An optimizer rule that lets DataFusion plan a single DISTINCT
//! aggregation in two phases. The resolver names each aggregate inside the
//! aggregation (`count(DISTINCT ps_suppkey) AS #12`); DataFusion's
//! `single_distinct_aggregation_to_group_by` rule only recognises unnamed
//! aggregates, so `GROUP BY k` with `count(DISTINCT x)` ran as one hash set
//! per group on one thread instead of a parallel `GROUP BY k, x` followed by
//! a count. This rule moves the names into a projection above the
//! aggregation when that rewrite applies: every aggregate is DISTINCT over
//! one and the same argument, or a `min`/`max` (which two phases do not
//! change; sums are left alone, since an overflow in the first phase would
//! be lost in the second).

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, Result};
use datafusion::logical_expr::expr::{AggregateFunction, AggregateFunctionParams};
use datafusion::logical_expr::{Aggregate, Expr, LogicalPlan, Projection};
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};
use datafusion::optimizer::optimizer::ApplyOrder;

#[derive(Debug, Default)]
pub struct UnnameSingleDistinct;

/// Whether the (unnamed) aggregates are one DISTINCT argument's, with
/// `min`/`max` beside them.
fn single_distinct(aggregates: &[&Expr]) -> bool {
    let mut arguments = HashSet::new();
    for e in aggregates {
        let Expr::AggregateFunction(AggregateFunction { func, params: AggregateFunctionParams { distinct, args, filter, order_by, .. } }) = e else {
            return false;
        };
        if filter.is_some() || !order_by.is_empty() {
            return false;
        }
        if *distinct {
            arguments.extend(args.iter());
        } else if !matches!(func.name().to_ascii_lowercase().as_str(), "min" | "max") {
            return false;
        }
    }
    arguments.len() == 1
}

fn unname(agg: &Aggregate) -> Result<Option<LogicalPlan>> {
    if matches!(agg.group_expr.first(), Some(Expr::GroupingSet(_))) || !agg.aggr_expr.iter().any(|e| matches!(e, Expr::Alias(_))) {
        return Ok(None);
    }
    let unnamed: Vec<&Expr> = agg.aggr_expr.iter().map(|e| if let Expr::Alias(a) = e { a.expr.as_ref() } else { e }).collect();
    if !single_distinct(&unnamed) {
        return Ok(None);
    }
    // Unnamed, two aggregates may share a name; the aggregation must then
    // keep its own.
    let names: HashSet<String> = unnamed.iter().map(|e| e.schema_name().to_string()).collect();
    if names.len() != unnamed.len() {
        return Ok(None);
    }
    let Ok(inner) = Aggregate::try_new(Arc::clone(&agg.input), agg.group_expr.clone(), unnamed.into_iter().cloned().collect()) else {
        return Ok(None);
    };
    let outputs: Vec<Expr> = inner
        .schema
        .iter()
        .zip(agg.schema.iter())
        .map(|((q, f), (oq, of))| Expr::Column(Column::from((q, f))).alias_qualified(oq.cloned(), of.name()))
        .collect();
    Ok(Some(LogicalPlan::Projection(Projection::try_new(outputs, Arc::new(LogicalPlan::Aggregate(inner)))?)))
}

impl OptimizerRule for UnnameSingleDistinct {
    fn name(&self) -> &str {
        "unname_single_distinct_aggregates"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::TopDown)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(&self, plan: LogicalPlan, _config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        let LogicalPlan::Aggregate(agg) = &plan else { return Ok(Transformed::no(plan)) };
        match unname(agg)? {
            Some(rewritten) => Ok(Transformed::yes(rewritten)),
            None => Ok(Transformed::no(plan)),
        }
    }
}
