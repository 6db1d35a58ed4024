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
                let (inner_r, items, generated) = self.select_items_with_generator(inner_r, exprs)?;
                if items.iter().any(|i| super::project::contains_aggregate(&i.expr)) {
                    return Err(err);
                }
                let (windowed, items) = self.plan_windows(inner_r.clone(), items)?;
                // The projection, plus every input column it drops, hidden.
                let mut pairs: Vec<(datafusion::logical_expr::Expr, ResolvedColumn)> = Vec::new();
                for item in items {
                    let column = match item.passthrough {
                        Some(c) if c.name == item.name && !pairs.iter().any(|(_, p)| p.id == c.id) => ResolvedColumn { hidden: false, ..c },
                        _ => ResolvedColumn { nullable: item.nullable, ..ResolvedColumn::new(fresh_id(), item.name) },
                    };
                    pairs.push((item.expr, column));
                }
                for c in &inner_r.columns {
                    if !pairs.iter().any(|(_, p)| p.id == c.id) {
                        pairs.push((id_col(&c.id), ResolvedColumn { hidden: true, ..c.clone() }));
                    }
                }
                let mut projected = self.project(windowed.plan, pairs)?;
                if let Some(g) = generated {
                    g.qualify(&mut projected.columns);
                }
                let (plan, scope_cols) = (projected.plan, projected.columns);
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
