//! Spark's `ResolveMissingReferences`: a filter or a sort may name columns
//! its input no longer shows.
//!
//! - Below projections (`df.select("a").filter(df.b > 1)`,
//!   `df.select("a").orderBy("b")`): Spark adds the dropped input columns
//!   to the projections (through filters, sorts, limits, aliases, drops and
//!   the DataFrame's `distinct()` / `dropDuplicates()` on the way), applies
//!   the filter or sort, and projects them away again.
//! - Over an aggregation (`GROUP BY a ORDER BY max(b)`): a sort key that is
//!   not among the outputs is computed by the aggregation as an extra,
//!   hidden output.
//!
//! Both are tried only after the plain resolution failed on an unresolved
//! column, so they never change a query that resolves as it is.

use datafusion::logical_expr::{Expr as DfExpr, LogicalPlanBuilder};
use datafusion::logical_expr::expr::Sort;
use spark_plan::{Expr, Relation, RelationKind, SortOrder};

use spark_datasource::file_metadata::METADATA_COLUMN;
use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

impl Resolver<'_> {
    /// After `err` resolving an operator over `input`: `apply` the operator
    /// to `input` resolved with the columns its projections drop kept as
    /// hidden columns, then project those away. `err` stands when that
    /// cannot help or does not succeed.
    pub(crate) fn retry_with_dropped_columns(
        &mut self,
        input: &Relation,
        err: ResolveError,
        apply: impl FnOnce(&mut Self, ResolvedRelation) -> ResolveResult<ResolvedRelation>,
    ) -> ResolveResult<ResolvedRelation> {
        if !err.is_unresolved_column() || !drops_columns(input) {
            return Err(err);
        }
        let extended = match self.resolve_keeping_dropped(input) {
            Ok(r) if r.columns.iter().any(|c| c.hidden && c.name != METADATA_COLUMN) => r,
            _ => return Err(err),
        };
        let added: Vec<String> = extended.columns.iter().filter(|c| c.hidden && c.name != METADATA_COLUMN).map(|c| c.id.clone()).collect();
        let applied = match apply(self, extended) {
            Ok(r) => r,
            Err(_) => return Err(err),
        };
        let columns: Vec<ResolvedColumn> = applied.columns.into_iter().filter(|c| !added.contains(&c.id)).collect();
        let plan = LogicalPlanBuilder::from(applied.plan).project(columns.iter().map(|c| id_col(&c.id)))?.build()?;
        Ok(ResolvedRelation { plan, columns })
    }

    /// `rel` resolved as [`Resolver::resolve`] does, except that the input
    /// columns its projections drop stay, hidden.
    fn resolve_keeping_dropped(&mut self, rel: &Relation) -> ResolveResult<ResolvedRelation> {
        let r = match &rel.kind {
            RelationKind::Project { input, exprs } => {
                let inner = self.resolve_keeping_dropped(input)?;
                self.project_keeping_input(inner, exprs)?
            }
            RelationKind::Filter { input, condition } => {
                let inner = self.resolve_keeping_dropped(input)?;
                self.apply_filter(inner, condition)?
            }
            RelationKind::Sort { input, order, .. } => {
                let inner = self.resolve_keeping_dropped(input)?;
                self.apply_sort(inner, order)?
            }
            RelationKind::Limit { input, limit } => {
                let inner = self.resolve_keeping_dropped(input)?;
                self.apply_limit(inner, *limit)?
            }
            RelationKind::Offset { input, offset } => {
                let inner = self.resolve_keeping_dropped(input)?;
                self.apply_offset(inner, *offset)?
            }
            RelationKind::Deduplicate { input, columns } => {
                let inner = self.resolve_keeping_dropped(input)?;
                self.apply_deduplicate(inner, columns.as_deref())?
            }
            RelationKind::SubqueryAlias { input, alias } => {
                let mut inner = self.resolve_keeping_dropped(input)?;
                for c in inner.columns.iter_mut().filter(|c| !c.hidden) {
                    c.qualifier = vec![alias.to_string()];
                }
                inner
            }
            RelationKind::Drop { input, columns, names } => {
                let inner = self.resolve_keeping_dropped(input)?;
                let dropped = self.dropped_ids(&inner, columns, names);
                let columns = inner.columns.into_iter().map(|c| ResolvedColumn { hidden: c.hidden || dropped.contains(&c.id), ..c }).collect();
                ResolvedRelation { plan: inner.plan, columns }
            }
            _ => return self.resolve(rel),
        };
        if let Some(plan_id) = rel.plan_id {
            self.plan_outputs.insert(plan_id, r.columns.clone());
        }
        Ok(r)
    }

    /// `exprs` over `inner`, every column of `inner` they do not pass
    /// through kept as a hidden column.
    fn project_keeping_input(&mut self, inner: ResolvedRelation, exprs: &[Expr]) -> ResolveResult<ResolvedRelation> {
        let (inner, items, generated) = self.select_items_with_generator(inner, exprs)?;
        if items.iter().any(|i| super::project::contains_aggregate(&i.expr)) {
            return Err(ResolveError::invalid("an aggregating projection keeps no input columns"));
        }
        let (windowed, items) = self.plan_windows(inner.clone(), items)?;
        let mut pairs: Vec<(DfExpr, ResolvedColumn)> = Vec::new();
        for item in items {
            let column = match item.passthrough {
                Some(c) if c.name == item.name && !pairs.iter().any(|(_, p)| p.id == c.id) => ResolvedColumn { hidden: false, ..c },
                _ => ResolvedColumn { nullable: item.nullable, ..ResolvedColumn::new(fresh_id(), item.name) },
            };
            pairs.push((item.expr, column));
        }
        for c in &inner.columns {
            if !pairs.iter().any(|(_, p)| p.id == c.id) {
                pairs.push((id_col(&c.id), ResolvedColumn { hidden: true, ..c.clone() }));
            }
        }
        let mut projected = self.project(windowed.plan, pairs)?;
        if let Some(g) = generated {
            g.qualify(&mut projected.columns);
        }
        Ok(projected)
    }

    /// A sort over an aggregation whose keys are not all among its outputs
    /// (`GROUP BY a ORDER BY max(b)`): the aggregation computes the missing
    /// keys as hidden outputs, the sort uses them, and they are projected
    /// away. `err` stands when no key is missing or this fails.
    pub(crate) fn sort_over_aggregate(
        &mut self,
        input: &Relation,
        outputs: &ResolvedRelation,
        order: &[SortOrder],
        err: Option<ResolveError>,
    ) -> ResolveResult<ResolvedRelation> {
        let fail = |e: Option<ResolveError>| e.unwrap_or_else(|| ResolveError::invalid("a sort over an aggregation"));
        let RelationKind::Aggregate { input: agg_input, kind, grouping, aggregates, having } = &input.kind else { return Err(fail(err)) };
        if err.as_ref().is_some_and(|e| !e.is_unresolved_column()) {
            return Err(fail(err));
        }
        // Keys the output lacks, or that aggregate (`ORDER BY sum(x)`).
        let missing: Vec<usize> = (0..order.len())
            .filter(|&i| match self.resolve_sort_order(&order[i], outputs) {
                Err(_) => true,
                Ok((sort, _)) => datafusion::common::tree_node::TreeNode::exists(&sort.expr, |e| Ok(matches!(e, datafusion::logical_expr::Expr::AggregateFunction(_)))).unwrap_or(false),
            })
            .collect();
        if missing.is_empty() {
            return Err(fail(err));
        }
        let mut extended = aggregates.clone();
        extended.extend(missing.iter().map(|&i| order[i].expr.clone()));
        let relation = Relation {
            plan_id: input.plan_id,
            kind: RelationKind::Aggregate { input: agg_input.clone(), kind: kind.clone(), grouping: grouping.clone(), aggregates: extended, having: having.clone() },
        };
        let mut r = match self.resolve(&relation) {
            Ok(r) => r,
            Err(e) => return Err(err.unwrap_or(e)),
        };
        let visible = r.columns.len() - missing.len();
        for c in &mut r.columns[visible..] {
            c.hidden = true;
        }
        let mut sorts = Vec::with_capacity(order.len());
        for (i, o) in order.iter().enumerate() {
            match missing.iter().position(|&m| m == i) {
                Some(k) => sorts.push(Sort::new(id_col(&r.columns[visible + k].id), o.ascending, o.nulls_first())),
                None => sorts.push(self.resolve_sort_order(o, &r)?.0),
            }
        }
        let plan = LogicalPlanBuilder::from(r.plan).sort(sorts)?.build()?;
        let columns: Vec<ResolvedColumn> = r.columns.into_iter().take(visible).collect();
        let plan = LogicalPlanBuilder::from(plan).project(columns.iter().map(|c| id_col(&c.id)))?.build()?;
        Ok(ResolvedRelation { plan, columns })
    }

    /// A filter over an aggregation naming what only its input has
    /// (`df.groupBy("a").count().filter(max("b") > 5)`): Spark treats it
    /// as the aggregation's HAVING. `err` stands when that fails too.
    pub(crate) fn filter_over_aggregate(&mut self, input: &Relation, condition: &Expr, err: ResolveError) -> ResolveResult<ResolvedRelation> {
        let RelationKind::Aggregate { input: agg_input, kind, grouping, aggregates, having } = &input.kind else { return Err(err) };
        if !err.is_unresolved_column() {
            return Err(err);
        }
        let having = match having {
            Some(h) => Expr::Function {
                name: "and".into(),
                args: vec![h.clone(), condition.clone()],
                distinct: false,
                filter: None,
                within_group: vec![],
            },
            None => condition.clone(),
        };
        let relation = Relation {
            plan_id: input.plan_id,
            kind: RelationKind::Aggregate {
                input: agg_input.clone(),
                kind: kind.clone(),
                grouping: grouping.clone(),
                aggregates: aggregates.clone(),
                having: Some(having),
            },
        };
        self.resolve(&relation).map_err(|_| err)
    }
}

/// Whether `rel` drops input columns somewhere [`Resolver::resolve_keeping_dropped`] can keep them.
fn drops_columns(rel: &Relation) -> bool {
    match &rel.kind {
        RelationKind::Project { .. } | RelationKind::Drop { .. } => true,
        RelationKind::Filter { input, .. }
        | RelationKind::Sort { input, .. }
        | RelationKind::Limit { input, .. }
        | RelationKind::Offset { input, .. }
        | RelationKind::Deduplicate { input, .. }
        | RelationKind::SubqueryAlias { input, .. } => drops_columns(input),
        _ => false,
    }
}
