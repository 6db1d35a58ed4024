//! `orderBy` / `ORDER BY`. Keys that are not among the input's columns are
//! looked for below it (`missing_columns`).

use datafusion::logical_expr::LogicalPlanBuilder;
use spark_plan::{Expr, Relation, RelationKind, SortOrder};

use crate::resolver::Resolver;
use crate::{ResolveResult, ResolvedRelation};

/// Whether a sort's keys compute an aggregate (over an aggregation's output).
fn sorts_by_aggregate(plan: &datafusion::logical_expr::LogicalPlan) -> bool {
    use datafusion::common::tree_node::TreeNode;
    let datafusion::logical_expr::LogicalPlan::Sort(sort) = plan else { return false };
    sort.expr.iter().any(|s| s.expr.exists(|e| Ok(matches!(e, datafusion::logical_expr::Expr::AggregateFunction(_)))).unwrap_or(false))
}

impl Resolver<'_> {
    pub(crate) fn resolve_sort(&mut self, input: &Relation, order: &[SortOrder]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let over_aggregate = matches!(input.kind, RelationKind::Aggregate { .. });
        match self.apply_sort(r.clone(), order) {
            // `GROUP BY x ORDER BY sum(y)`: the aggregate joins the aggregation.
            Ok(sorted) if over_aggregate && sorts_by_aggregate(&sorted.plan) => self.sort_over_aggregate(input, &r, order, None),
            Ok(sorted) => Ok(sorted),
            Err(err) if over_aggregate => self.sort_over_aggregate(input, &r, order, Some(err)),
            Err(err) => self.retry_with_dropped_columns(input, err, |s, r| s.apply_sort(r, order)),
        }
    }

    /// `r` sorted by `order`.
    pub(crate) fn apply_sort(&mut self, r: ResolvedRelation, order: &[SortOrder]) -> ResolveResult<ResolvedRelation> {
        let sorts = order.iter().map(|o| self.resolve_sort_order(o, &r).map(|x| x.0)).collect::<ResolveResult<Vec<_>>>()?;
        let plan = LogicalPlanBuilder::from(r.plan).sort(sorts)?.build()?;
        Ok(ResolvedRelation { plan, columns: r.columns })
    }

    /// `ORDER BY ALL`: the output columns in order, or the column `all`.
    pub(crate) fn resolve_sort_by_all(&mut self, input: &Relation, ascending: bool, nulls_first: Option<bool>) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let keys: Vec<Expr> = match r.columns.iter().find(|c| self.config.name_eq(&c.name, "all")) {
            Some(_) => vec![Expr::Column { name: vec!["all".to_string()], plan_id: None }],
            None => (1..=r.columns.len() as i64).map(Expr::Ordinal).collect(),
        };
        let order: Vec<SortOrder> = keys.into_iter().map(|expr| SortOrder { expr, ascending, nulls_first }).collect();
        self.apply_sort(r, &order)
    }
}
