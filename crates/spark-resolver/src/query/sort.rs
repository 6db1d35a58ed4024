//! `orderBy` / `ORDER BY`. Keys that are not among the input's columns are
//! looked for below it (`missing_columns`).

use datafusion::logical_expr::LogicalPlanBuilder;
use spark_plan::{Relation, RelationKind, SortOrder};

use crate::resolver::Resolver;
use crate::{ResolveResult, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_sort(&mut self, input: &Relation, order: &[SortOrder]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        match self.apply_sort(r.clone(), order) {
            Ok(sorted) => Ok(sorted),
            Err(err) if matches!(input.kind, RelationKind::Aggregate { .. }) => self.sort_over_aggregate(input, &r, order, err),
            Err(err) => self.retry_with_dropped_columns(input, err, |s, r| s.apply_sort(r, order)),
        }
    }

    /// `r` sorted by `order`.
    pub(crate) fn apply_sort(&mut self, r: ResolvedRelation, order: &[SortOrder]) -> ResolveResult<ResolvedRelation> {
        let sorts = order.iter().map(|o| self.resolve_sort_order(o, &r).map(|x| x.0)).collect::<ResolveResult<Vec<_>>>()?;
        let plan = LogicalPlanBuilder::from(r.plan).sort(sorts)?.build()?;
        Ok(ResolvedRelation { plan, columns: r.columns })
    }
}
