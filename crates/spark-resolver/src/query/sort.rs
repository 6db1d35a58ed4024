//! `orderBy` / `ORDER BY`. Keys that are not among the input's columns are
//! looked for below it (`missing_columns`).

use datafusion::logical_expr::LogicalPlanBuilder;
use spark_plan::{Expr, Relation, RelationKind, SortOrder};

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
