//! `orderBy` / `ORDER BY`, including keys that are not in the select list:
//! Spark adds the missing input columns below the projection, sorts, and
//! projects them away again.

use datafusion::logical_expr::LogicalPlanBuilder;
use spark_plan::{Relation, RelationKind, SortOrder};

use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveResult, ResolvedColumn, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_sort(&mut self, input: &Relation, order: &[SortOrder]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let attempt: ResolveResult<Vec<_>> = order.iter().map(|o| self.resolve_sort_order(o, &r).map(|x| x.0)).collect();
        match attempt {
            Ok(sorts) => {
                let plan = LogicalPlanBuilder::from(r.plan).sort(sorts)?.build()?;
                Ok(ResolvedRelation { plan, columns: r.columns })
            }
            Err(err) => {
                // Keys missing from a projection: resolve them below it.
                let RelationKind::Project { input: inner, exprs } = &input.kind else { return Err(err) };
                let inner_r = self.resolve(inner)?;
                let projected = self.project_exprs(inner_r.clone(), exprs)?;
                if projected.columns.iter().any(|c| c.hidden) {
                    return Err(err);
                }
                // Extend the projection with every input column, hidden.
                let mut items: Vec<_> = projected.columns.iter().map(|c| (id_col(&c.id), c.clone())).collect();
                let mut scope_cols = projected.columns.clone();
                for c in &inner_r.columns {
                    if !scope_cols.iter().any(|p| p.id == c.id) {
                        let hidden = ResolvedColumn { hidden: true, ..c.clone() };
                        scope_cols.push(hidden.clone());
                        items.push((id_col(&c.id), hidden));
                    }
                }
                let _ = fresh_id;
                // Re-project over the inner plan with the hidden extras.
                let plan = match &projected.plan {
                    datafusion::logical_expr::LogicalPlan::Projection(p) => {
                        let mut exprs = p.expr.clone();
                        for (e, c) in items.iter().skip(projected.columns.len()) {
                            exprs.push(e.clone().alias(c.id.clone()));
                        }
                        LogicalPlanBuilder::from(p.input.as_ref().clone()).project(exprs)?.build()?
                    }
                    _ => return Err(err),
                };
                let extended = ResolvedRelation { plan, columns: scope_cols };
                let sorts = order
                    .iter()
                    .map(|o| self.resolve_sort_order(o, &extended).map(|x| x.0))
                    .collect::<ResolveResult<Vec<_>>>()?;
                let plan = LogicalPlanBuilder::from(extended.plan).sort(sorts)?.build()?;
                self.drop_hidden(ResolvedRelation { plan, columns: extended.columns })
            }
        }
    }
}
