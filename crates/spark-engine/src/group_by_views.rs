//! An optimizer rule for grouping on strings read from files: a scan yields
//! strings as views and the plan casts them to plain strings right above
//! it, so `GROUP BY l_returnflag` would copy every string of the column
//! only to hash and compare it. Where a grouping key is such a cast and
//! nothing else in the aggregation reads it, the rule groups on the view
//! itself (compared inline when short) and casts the key after the
//! aggregation, once per group. The groups, and the plan's output types and
//! names, are unchanged.

use std::collections::HashSet;
use std::sync::Arc;

use datafusion::arrow::datatypes::DataType;
use datafusion::common::tree_node::Transformed;
use datafusion::common::{Column, Result};
use datafusion::logical_expr::expr::Alias;
use datafusion::logical_expr::{Aggregate, Cast, Expr, ExprSchemable, LogicalPlan, Projection};
use datafusion::optimizer::optimizer::ApplyOrder;
use datafusion::optimizer::{OptimizerConfig, OptimizerRule};

#[derive(Debug, Default)]
pub struct GroupByStringViews;

/// The view a projection item casts to a plain string, with the item's
/// name, when the item is `CAST(view AS STRING) AS name`.
fn view_cast(e: &Expr, input: &LogicalPlan) -> Option<(Expr, String)> {
    let Expr::Alias(Alias { expr, name, .. }) = e else { return None };
    let Expr::Cast(Cast { expr: inner, field }) = expr.as_ref() else { return None };
    let is_view = matches!(inner.get_type(input.schema()), Ok(DataType::Utf8View));
    (field.data_type() == &DataType::Utf8 && is_view).then(|| (inner.as_ref().clone(), name.clone()))
}

fn group_on_views(agg: &Aggregate) -> Result<Option<LogicalPlan>> {
    let LogicalPlan::Projection(proj) = agg.input.as_ref() else { return Ok(None) };
    // Columns the aggregate expressions read stay plain strings.
    let mut read_elsewhere: HashSet<Column> = HashSet::new();
    for e in &agg.aggr_expr {
        read_elsewhere.extend(e.column_refs().into_iter().cloned());
    }
    let mut keys: Vec<usize> = vec![];
    for g in &agg.group_expr {
        let Expr::Column(c) = g else { continue };
        if read_elsewhere.contains(c) {
            continue;
        }
        let Ok(i) = proj.schema.index_of_column(c) else { continue };
        if !keys.contains(&i) && view_cast(&proj.expr[i], &proj.input).is_some() {
            keys.push(i);
        }
    }
    if keys.is_empty() {
        return Ok(None);
    }
    let mut exprs = proj.expr.clone();
    let mut retyped: HashSet<Column> = HashSet::new();
    for &i in &keys {
        let Some((view, name)) = view_cast(&proj.expr[i], &proj.input) else { continue };
        let (qualifier, _) = proj.schema.qualified_field(i);
        exprs[i] = view.alias_qualified(qualifier.cloned(), name);
        retyped.insert(Column::from(proj.schema.qualified_field(i)));
    }
    let input = LogicalPlan::Projection(Projection::try_new(exprs, Arc::clone(&proj.input))?);
    let grouped = Aggregate::try_new(Arc::new(input), agg.group_expr.clone(), agg.aggr_expr.clone())?;
    // The keys become plain strings again, once per group.
    let outputs = grouped
        .schema
        .iter()
        .map(|(q, f)| {
            let c = Column::from((q, f));
            let plain = retyped.contains(&c) && f.data_type() == &DataType::Utf8View;
            let e = Expr::Column(c);
            if plain { e.cast_to(&DataType::Utf8, &grouped.schema).map(|e| e.alias_qualified(q.cloned(), f.name())) } else { Ok(e) }
        })
        .collect::<Result<Vec<_>>>()?;
    let plan = Projection::try_new(outputs, Arc::new(LogicalPlan::Aggregate(grouped)))?;
    // The rewrite must not change what the aggregation's parent sees.
    if !plan.schema.logically_equivalent_names_and_types(&agg.schema) {
        return Ok(None);
    }
    Ok(Some(LogicalPlan::Projection(plan)))
}

impl OptimizerRule for GroupByStringViews {
    fn name(&self) -> &str {
        "group_by_string_views"
    }

    fn apply_order(&self) -> Option<ApplyOrder> {
        Some(ApplyOrder::BottomUp)
    }

    fn supports_rewrite(&self) -> bool {
        true
    }

    fn rewrite(&self, plan: LogicalPlan, _config: &dyn OptimizerConfig) -> Result<Transformed<LogicalPlan>> {
        let LogicalPlan::Aggregate(agg) = &plan else { return Ok(Transformed::no(plan)) };
        match group_on_views(agg)? {
            Some(rewritten) => Ok(Transformed::yes(rewritten)),
            None => Ok(Transformed::no(plan)),
        }
    }
}
