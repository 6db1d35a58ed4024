//! The resolver state and the dispatch over relation kinds. Each relation
//! family lives in its own file under `query/`, each expression kind under
//! `expression/`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use datafusion::execution::session_state::SessionState;
use datafusion::common::Column;
use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlan, LogicalPlanBuilder};
use spark_plan::{Relation, RelationKind};

use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation, ResolverConfig, ViewCatalog};

/// Column ids are unique across the process, so plans resolved at different
/// times (temp views) can be combined without clashes.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

pub fn fresh_id() -> String {
    format!("#{}", NEXT_ID.fetch_add(1, Ordering::Relaxed))
}

/// A DataFusion column reference to a resolver id.
pub fn id_col(id: &str) -> DfExpr {
    DfExpr::Column(Column::new_unqualified(id))
}

pub struct Resolver<'a> {
    pub(crate) state: &'a SessionState,
    pub(crate) config: &'a ResolverConfig,
    pub(crate) views: &'a ViewCatalog,
    pub(crate) global_views: &'a ViewCatalog,
    /// Output columns of each DataFrame (by `plan_id`) seen so far, for `df["col"]`.
    pub(crate) plan_outputs: HashMap<i64, Vec<ResolvedColumn>>,
    /// The right-side columns of DataFrames that appear on both sides of a
    /// join (`df.join(df.filter(...))`): above that join, `df["col"]` is
    /// ambiguous when both sides still have it.
    pub(crate) joined_twice: HashMap<i64, Vec<ResolvedColumn>>,
    /// Common table expressions in scope, innermost last.
    pub(crate) ctes: Vec<HashMap<String, ResolvedRelation>>,
    /// Outer query scopes, for correlated subqueries (innermost last).
    pub(crate) outer: Vec<ResolvedRelation>,
    /// Column ids that stand for lambda variables (printed `namedlambdavariable()`).
    pub(crate) lambda_ids: std::collections::HashSet<String>,
    /// Runs a plan to completion, for the few relations whose output columns
    /// depend on the data (pivot without values, crosstab), as in Spark.
    pub(crate) runner: Option<&'a QueryRunner>,
    /// The persistent tables of `spark_catalog`.
    pub(crate) tables: Option<&'a dyn spark_catalog::Catalog>,
    /// How many persistent views are being expanded (a guard against views
    /// that read themselves).
    pub(crate) view_depth: u32,
    /// How many SQL function bodies are being expanded (a guard against
    /// functions that call themselves).
    pub(crate) routine_depth: u32,
    /// Spark's partition slices of ranges and local data, by the first
    /// column id of their scans (see `query/spark_slices.rs`).
    pub(crate) row_slices: HashMap<String, (Vec<u64>, bool)>,
}

/// Executes a resolved plan and returns its batches.
pub type QueryRunner = dyn Fn(LogicalPlan) -> ResolveResult<Vec<datafusion::arrow::array::RecordBatch>> + Sync;

impl<'a> Resolver<'a> {
    pub fn new(
        state: &'a SessionState,
        config: &'a ResolverConfig,
        views: &'a ViewCatalog,
        global_views: &'a ViewCatalog,
    ) -> Self {
        Self { state, config, views, global_views, plan_outputs: HashMap::new(), joined_twice: HashMap::new(), ctes: vec![], outer: vec![], lambda_ids: Default::default(), runner: None, tables: None, view_depth: 0, routine_depth: 0, row_slices: HashMap::new() }
    }

    pub fn with_catalog(mut self, tables: &'a dyn spark_catalog::Catalog) -> Self {
        self.tables = Some(tables);
        self
    }

    pub fn with_runner(mut self, runner: &'a QueryRunner) -> Self {
        self.runner = Some(runner);
        self
    }

    /// Runs `plan` now (see `runner`).
    pub(crate) fn run(&self, plan: LogicalPlan, what: &str) -> ResolveResult<Vec<datafusion::arrow::array::RecordBatch>> {
        match self.runner {
            Some(run) => run(plan),
            None => Err(ResolveError::unsupported(format!("{what} outside of a query execution"))),
        }
    }

    /// Resolves a query into a plan whose visible columns are its output,
    /// with hidden columns already projected away.
    pub fn resolve_query(&mut self, rel: &Relation) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(rel)?;
        self.drop_hidden(r)
    }

    pub(crate) fn resolve(&mut self, rel: &Relation) -> ResolveResult<ResolvedRelation> {
        if crate::cancel::is_cancelled() {
            return Err(ResolveError::Cancelled);
        }
        let mut out = self.resolve_kind(&rel.kind)?;
        if let Some(plan_id) = rel.plan_id {
            self.plan_outputs.insert(plan_id, out.columns.clone());
        }
        debug_assert_eq!(out.plan.schema().fields().len(), out.columns.len());
        out.columns.truncate(out.plan.schema().fields().len());
        Ok(out)
    }

    fn resolve_kind(&mut self, kind: &RelationKind) -> ResolveResult<ResolvedRelation> {
        match kind {
            RelationKind::Range { start, end, step, num_partitions } => self.resolve_range(*start, *end, *step, *num_partitions),
            RelationKind::LocalRelation { data, schema } => self.resolve_local_relation(data.as_deref(), schema.as_ref()),
            RelationKind::Values { rows, names } => self.resolve_values(rows, names),
            RelationKind::OneRow => self.resolve_one_row(),
            RelationKind::Read(source) => self.resolve_read(source),
            RelationKind::Project { input, exprs } => self.resolve_project(input, exprs),
            RelationKind::Filter { input, condition } => self.resolve_filter(input, condition),
            RelationKind::Qualify { input, condition } => self.resolve_qualify(input, condition),
            RelationKind::Sort { input, order, .. } => self.resolve_sort(input, order),
            RelationKind::SortByAll { input, ascending, nulls_first } => self.resolve_sort_by_all(input, *ascending, *nulls_first),
            RelationKind::Limit { input, limit } => self.resolve_limit(input, *limit),
            RelationKind::Offset { input, offset } => self.resolve_offset(input, *offset),
            RelationKind::LimitExpression { input, value, offset } => self.resolve_limit_expression(input, value, *offset),
            RelationKind::Tail { input, limit } => self.resolve_tail(input, *limit),
            RelationKind::Aggregate { input, kind, grouping, aggregates, having } => {
                self.resolve_aggregate(input, kind, grouping, aggregates, having.as_ref())
            }
            RelationKind::LateralView { input, generator, outer, table_alias, column_aliases } => {
                self.resolve_lateral_view(input, generator, *outer, table_alias.as_deref(), column_aliases)
            }
            RelationKind::Join { left, right, join_type, condition, using, natural } => {
                self.resolve_join(left, right, *join_type, condition.as_ref(), using, *natural)
            }
            RelationKind::LateralJoin { left, right, join_type, condition } => {
                self.resolve_lateral_join(left, right, *join_type, condition.as_ref())
            }
            RelationKind::AsOfJoin { left, right, left_as_of, right_as_of, condition, using, join_type, tolerance, allow_exact_matches, direction } => {
                let spec = crate::query::as_of_join::AsOf {
                    left_as_of,
                    right_as_of,
                    condition: condition.as_ref(),
                    using,
                    join_type,
                    tolerance: tolerance.as_ref(),
                    allow_exact_matches: *allow_exact_matches,
                    direction,
                };
                self.resolve_as_of_join(left, right, &spec)
            }
            RelationKind::SetOp { left, right, kind, all, by_name, allow_missing } => {
                self.resolve_set_op(left, right, *kind, *all, *by_name, *allow_missing)
            }
            RelationKind::Deduplicate { input, columns } => self.resolve_deduplicate(input, columns.as_deref()),
            RelationKind::Distinct { input } => self.resolve_deduplicate(input, None),
            RelationKind::SubqueryAlias { input, alias } => self.resolve_subquery_alias(input, alias),
            RelationKind::ToDf { input, names } => self.resolve_to_df(input, names),
            RelationKind::TableFunctionAlias { input, function, names } => self.resolve_table_function_alias(input, function, names),
            RelationKind::WithColumns { input, columns } => self.resolve_with_columns(input, columns),
            RelationKind::ReplaceColumns { input, columns } => self.resolve_replace_columns(input, columns),
            RelationKind::WithColumnsRenamed { input, renames } => self.resolve_with_columns_renamed(input, renames),
            RelationKind::Drop { input, columns, names } => self.resolve_drop(input, columns, names),
            RelationKind::Repartition { input } => self.resolve(input),
            RelationKind::TimeTravel { input, spec } => self.resolve_time_travel(input, spec),
            RelationKind::Sample { input, lower, upper, with_replacement, seed } => {
                self.resolve_sample(input, *lower, *upper, *with_replacement, *seed)
            }
            RelationKind::With { input, ctes, recursive } => self.resolve_with(input, ctes, *recursive),
            RelationKind::Persisted { id, input } => match self.views.get(&spark_plan::relation::cached_relation_view(id)) {
                Some(view) => self.with_fresh_ids(view.relation.clone()),
                None => self.resolve(input),
            },
            RelationKind::CachedRelation { id } => {
                let view = self.views.get(&spark_plan::relation::cached_relation_view(id)).ok_or_else(|| {
                    ResolveError::analysis(
                        "INVALID_HANDLE.OPERATION_NOT_FOUND",
                        "HY000",
                        format!("The handle {id} is invalid. The cached relation was released or never existed."),
                        &[],
                    )
                })?;
                self.with_fresh_ids(view.relation.clone())
            }
            RelationKind::FillNa { input, columns, values } => self.resolve_fill_na(input, columns, values),
            RelationKind::DropNa { input, columns, min_non_nulls } => self.resolve_drop_na(input, columns, *min_non_nulls),
            RelationKind::ReplaceNa { input, columns, replacements } => self.resolve_replace_na(input, columns, replacements),
            RelationKind::Unpivot { input, ids, values, variable_name, value_name } => {
                self.resolve_unpivot(input, ids.as_deref(), values.as_deref(), variable_name, value_name)
            }
            RelationKind::ToSchema { input, schema } => self.resolve_to_schema(input, schema),
            RelationKind::MapPartitions { input, function, .. } => self.resolve_map_partitions(input, function),
            RelationKind::GroupMap { input, grouping, function } => self.resolve_group_map(input, grouping, function),
            RelationKind::CoGroupMap { left, left_grouping, right, right_grouping, function } => {
                self.resolve_cogroup_map(left, left_grouping, right, right_grouping, function)
            }
            RelationKind::Transpose { input, index } => self.resolve_transpose(input, index),
            RelationKind::Summary { input, columns, statistics } => self.resolve_summary(input, columns, statistics),
            RelationKind::Crosstab { input, left, right } => self.resolve_crosstab(input, left, right),
            RelationKind::Covariance { input, left, right, correlation } => self.resolve_covariance(input, left, right, *correlation),
            RelationKind::ApproxQuantile { input, columns, probabilities, relative_error } => {
                self.resolve_approx_quantile(input, columns, probabilities, *relative_error)
            }
            RelationKind::FreqItems { input, columns, support } => self.resolve_freq_items(input, columns, *support),
            RelationKind::SampleBy { input, column, fractions, seed } => self.resolve_sample_by(input, column, fractions, *seed),
            // The metrics themselves are computed by the engine beside the result.
            RelationKind::CollectMetrics { input, .. } => self.resolve(input),
            RelationKind::ShowString { .. } | RelationKind::HtmlString { .. } => Err(ResolveError::invalid(
                "show_string and html_string must be the root of a plan",
            )),
        }
    }

    /// Projects away hidden columns, if any.
    pub(crate) fn drop_hidden(&self, r: ResolvedRelation) -> ResolveResult<ResolvedRelation> {
        if !r.columns.iter().any(|c| c.hidden) {
            return Ok(r);
        }
        let columns: Vec<ResolvedColumn> = r.columns.into_iter().filter(|c| !c.hidden).collect();
        let plan = LogicalPlanBuilder::from(r.plan)
            .project(columns.iter().map(|c| id_col(&c.id)))?
            .build()?;
        Ok(ResolvedRelation { plan, columns })
    }

    /// Builds a projection of (expression, column) pairs, aliasing each
    /// expression to its column id.
    pub(crate) fn project(
        &self,
        input: LogicalPlan,
        items: Vec<(DfExpr, ResolvedColumn)>,
    ) -> ResolveResult<ResolvedRelation> {
        let mut exprs = Vec::with_capacity(items.len());
        let mut columns = Vec::with_capacity(items.len());
        for (e, c) in items {
            let e = match &e {
                DfExpr::Column(column) if column.relation.is_none() && column.name == c.id => e,
                _ => e.alias(c.id.clone()),
            };
            exprs.push(e);
            columns.push(c);
        }
        let (input, exprs) = collapse_projection(input, exprs);
        let plan = LogicalPlanBuilder::from(input).project(exprs)?.build()?;
        Ok(ResolvedRelation { plan, columns })
    }

    /// Re-labels every column of a relation with fresh ids, so that the same
    /// relation can appear twice in one plan (views, self-joins).
    pub(crate) fn with_fresh_ids(&self, r: ResolvedRelation) -> ResolveResult<ResolvedRelation> {
        let items = r
            .columns
            .iter()
            .map(|c| {
                let mut n = c.clone();
                n.id = fresh_id();
                (id_col(&c.id), n)
            })
            .collect();
        self.project(r.plan, items)
    }
}

/// Merges a projection into the projection below it, as Spark's
/// `CollapseProject` does, so that long `select`/`withColumn` chains become
/// one projection. DataFusion's projection optimizer is far slower than
/// linear on deep stacks of projections (a DataFrame built in a loop).
///
/// The merge happens only when it cannot duplicate work: every child
/// expression that is not a plain column or literal must be referenced at
/// most once, and nothing involves subqueries (whose outer references name
/// the child's columns).
fn collapse_projection(input: LogicalPlan, exprs: Vec<DfExpr>) -> (LogicalPlan, Vec<DfExpr>) {
    let LogicalPlan::Projection(child) = &input else { return (input, exprs) };
    let mut defs: HashMap<&str, (&DfExpr, usize)> = HashMap::new();
    for (e, f) in child.expr.iter().zip(child.schema.fields()) {
        let inner = match e {
            DfExpr::Alias(a) => a.expr.as_ref(),
            other => other,
        };
        if has_subquery(inner) {
            return (input, exprs);
        }
        defs.insert(f.name().as_str(), (inner, 0));
    }
    for e in &exprs {
        if has_subquery(e) {
            return (input, exprs);
        }
        let mut unknown = false;
        let _ = e.apply(|n| {
            if let DfExpr::Column(c) = n {
                match defs.get_mut(c.name.as_str()).filter(|_| c.relation.is_none()) {
                    Some((_, uses)) => *uses += 1,
                    None => unknown = true,
                }
            }
            Ok(TreeNodeRecursion::Continue)
        });
        if unknown {
            return (input, exprs);
        }
    }
    let cheap = |e: &DfExpr| matches!(e, DfExpr::Column(_) | DfExpr::Literal(..));
    if defs.values().any(|(e, uses)| *uses > 1 && !cheap(e)) {
        return (input, exprs);
    }
    if defs.values().any(|(e, uses)| *uses > 0 && expr_depth(e) > MAX_COLLAPSED_DEPTH) {
        // Typing an expression in DataFusion costs the square of its depth,
        // so a long chain stops growing one expression here. The alias keeps
        // DataFusion's optimizer from merging across this point.
        return match LogicalPlanBuilder::from(input.clone()).alias(fresh_id()).and_then(|b| b.build()) {
            Ok(barrier) => (barrier, exprs),
            Err(_) => (input, exprs),
        };
    }
    let substitute = |e: &DfExpr| -> datafusion::error::Result<DfExpr> {
        // Keep each output's name: an alias, or the column it passed through.
        let (name, body) = match e {
            DfExpr::Alias(a) => (Some(a.name.clone()), a.expr.as_ref().clone()),
            DfExpr::Column(c) => (Some(c.name.clone()), e.clone()),
            other => (None, other.clone()),
        };
        let body = body
            .transform_up(|n| {
                if let DfExpr::Column(c) = &n {
                    if let Some((def, _)) = defs.get(c.name.as_str()) {
                        return Ok(Transformed::yes((*def).clone()));
                    }
                }
                Ok(Transformed::no(n))
            })?
            .data;
        Ok(match name {
            Some(n) => body.alias(n),
            None => body,
        })
    };
    match exprs.iter().map(substitute).collect::<datafusion::error::Result<Vec<_>>>() {
        Ok(merged) => (child.input.as_ref().clone(), merged),
        Err(_) => (input, exprs),
    }
}

/// How deep merged projections may nest one expression.
const MAX_COLLAPSED_DEPTH: usize = 24;

/// The nesting depth of an expression tree, computed without recursion.
fn expr_depth(e: &DfExpr) -> usize {
    let mut max = 0;
    let mut stack = vec![(e, 1usize)];
    while let Some((n, d)) = stack.pop() {
        max = max.max(d);
        let _ = n.apply_children(|c| {
            stack.push((c, d + 1));
            Ok(TreeNodeRecursion::Continue)
        });
    }
    max
}

fn has_subquery(e: &DfExpr) -> bool {
    let mut found = false;
    let _ = e.apply(|n| {
        if matches!(n, DfExpr::ScalarSubquery(_) | DfExpr::Exists(_) | DfExpr::InSubquery(_) | DfExpr::OuterReferenceColumn(..)) {
            found = true;
            return Ok(TreeNodeRecursion::Stop);
        }
        Ok(TreeNodeRecursion::Continue)
    });
    found
}
