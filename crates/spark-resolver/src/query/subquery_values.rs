//! EXISTS and IN subqueries used as values (in a SELECT list, inside a
//! CASE): DataFusion runs them only as filters, so here each becomes a
//! scalar subquery of `max(true)` over the matching rows, which DataFusion
//! decorrelates into a join. As in Spark's existence joins, the value is
//! never NULL: `x IN (q)` is whether some row equals `x`, and
//! `x NOT IN (q)` is false as soon as some row equals `x` or compares
//! with it as NULL.

use std::sync::Arc;

use datafusion::common::tree_node::{Transformed, TreeNode};
use datafusion::common::{Column, DFSchema, ExprSchema};
use datafusion::functions_aggregate::expr_fn::max;
use datafusion::logical_expr::expr::{Exists, InSubquery};
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlan, LogicalPlanBuilder, Subquery, lit};

use crate::ResolveResult;

/// `e` with every EXISTS / IN subquery in it turned into a value; `outer`
/// is the schema the expression reads.
pub(crate) fn subqueries_as_values(e: DfExpr, outer: &DFSchema) -> ResolveResult<DfExpr> {
    // Most select items have none: leave them untouched (every projection passes here).
    if !e.exists(|e| Ok(matches!(e, DfExpr::Exists(_) | DfExpr::InSubquery(_))))? {
        return Ok(e);
    }
    Ok(e.transform_up(|e| match e {
        DfExpr::Exists(Exists { subquery, negated }) => {
            let found = matches_any(subquery, None)?;
            Ok(Transformed::yes(if negated { !found } else { found }))
        }
        DfExpr::InSubquery(InSubquery { expr, subquery, negated }) => {
            let value = outer_reference(*expr, outer)?;
            let found = matches_any(subquery, Some((value, negated)))?;
            Ok(Transformed::yes(if negated { !found } else { found }))
        }
        other => Ok(Transformed::no(other)),
    })?
    .data)
}

/// Whether `subquery` has a row (one equal to `value`, for IN; one equal
/// or not comparable, for NOT IN), as `coalesce((SELECT max(true) ...), false)`.
fn matches_any(subquery: Subquery, value: Option<(DfExpr, bool)>) -> datafusion::error::Result<DfExpr> {
    let mut plan = LogicalPlanBuilder::from(subquery.subquery.as_ref().clone());
    if let Some((value, negated)) = value {
        let (qualifier, field) = subquery.subquery.schema().qualified_field(0);
        let equal = DfExpr::Column(Column::from((qualifier, field))).eq(value);
        let condition = if negated { equal.clone().or(equal.is_null()) } else { equal };
        plan = plan.filter(condition)?;
    }
    let plan: LogicalPlan = plan.aggregate(Vec::<DfExpr>::new(), vec![max(lit(true)).alias("matched")])?.build()?;
    let outer_ref_columns = plan.all_out_ref_exprs();
    let sub = Subquery { subquery: Arc::new(plan), outer_ref_columns, spans: Default::default() };
    Ok(datafusion::functions::core::expr_fn::coalesce(vec![DfExpr::ScalarSubquery(sub), lit(false)]))
}

/// `e` of the outer query as the subquery reads it: its columns as outer
/// references.
fn outer_reference(e: DfExpr, outer: &DFSchema) -> datafusion::error::Result<DfExpr> {
    Ok(e.transform_up(|e| match e {
        DfExpr::Column(c) => {
            let field = Arc::new(outer.field_from_column(&c)?.as_ref().clone());
            Ok(Transformed::yes(DfExpr::OuterReferenceColumn(field, c)))
        }
        other => Ok(Transformed::no(other)),
    })?
    .data)
}
