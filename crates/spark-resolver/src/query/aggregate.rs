//! GROUP BY / rollup / cube / grouping sets, global aggregation and HAVING.
//!
//! Grouping expressions are first projected as columns; aggregate functions
//! found in the output list are computed by a DataFusion Aggregate over them;
//! a final projection evaluates the output list on top, Spark's
//! `Aggregate(groupingExprs, aggregateExprs)` split into DataFusion terms.

use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::{Expr as DfExpr, GroupingSet, LogicalPlanBuilder};
use spark_plan::{AggregateKind, Expr, Literal, Relation};

use super::project::ProjectItem;
use crate::expression::float_normalize::normalized_floats;
use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_aggregate(
        &mut self,
        input: &Relation,
        kind: &AggregateKind,
        grouping: &[Expr],
        aggregates: &[Expr],
        having: Option<&Expr>,
    ) -> ResolveResult<ResolvedRelation> {
        if let AggregateKind::Pivot { column, values, implicit_grouping } = kind {
            // The DataFrame API lists the grouping columns before the aggregates.
            let aggs = aggregates.get(grouping.len()..).unwrap_or_default();
            let grouping = if *implicit_grouping { self.pivot_implicit_grouping(input, column, aggs)? } else { grouping.to_vec() };
            return self.resolve_pivot(input, column, values, &grouping, aggs);
        }
        let all: Vec<&Expr> = grouping.iter().chain(aggregates).chain(having).collect();
        let windowed = match self.windowed_input(input, &all)? {
            Some((r, call)) => Some((r, call, "window")),
            None => self.sessionized_input(input, Some(grouping), &all)?.map(|(r, call)| (r, call, "session_window")),
        };
        let (r, grouping, aggregates, having) = match windowed {
            Some((r, call, column)) => {
                let read = |es: &[Expr]| super::time_window::reading_window(es, &call, column);
                let having = having.map(|h| read(std::slice::from_ref(h)).remove(0));
                (r, read(grouping), read(aggregates), having)
            }
            None => match self.partition_numbered_input(input, &all)? {
                Some(r) => {
                    let read = super::partition_id::reading_partition_id;
                    let having = having.map(|h| read(std::slice::from_ref(h)).remove(0));
                    (r, read(grouping), read(aggregates), having)
                }
                None => (self.resolve(input)?, grouping.to_vec(), aggregates.to_vec(), having.cloned()),
            },
        };
        let (grouping, aggregates, having) = (grouping.as_slice(), aggregates.as_slice(), having.as_ref());
        let having_expr = having;
        let items = self.resolve_select_items(aggregates, &r)?;
        // GROUP BY ALL: every output expression without aggregates.
        let group_by_all = matches!(kind, AggregateKind::GroupByAll);
        let mut groups: Vec<(DfExpr, String, Option<bool>)> = Vec::new();
        if group_by_all {
            for i in &items {
                if !super::project::contains_aggregate(&i.expr) {
                    groups.push((i.expr.clone(), i.name.clone(), i.nullable));
                }
            }
        } else {
            for g in grouping {
                // GROUP BY 1: an ordinal refers to the output list (spark.sql.groupByOrdinal).
                if let Expr::Literal(Literal::Integer(n)) = g {
                    let idx = (*n as usize).wrapping_sub(1);
                    let item = items.get(idx).ok_or_else(|| {
                        ResolveError::analysis(
                            "GROUP_BY_POS_OUT_OF_RANGE",
                            "42805",
                            format!("GROUP BY position {n} is not in select list (valid range is [1, {}]).", items.len()),
                            &[("index", n.to_string()), ("size", items.len().to_string())],
                        )
                    })?;
                    if super::project::contains_aggregate(&item.expr) {
                        return Err(ResolveError::analysis(
                            "GROUP_BY_POS_AGGREGATE",
                            "42903",
                            format!("GROUP BY {n} refers to an expression {} that contains an aggregate function. Aggregate functions are not allowed in GROUP BY.", item.name),
                            &[],
                        ));
                    }
                    groups.push((item.expr.clone(), item.name.clone(), item.nullable));
                    continue;
                }
                let g = match self.resolve_expr(g, &r) {
                    Ok(g) => g,
                    // GROUP BY may name an output alias.
                    Err(e) => match g {
                        Expr::Column { name, .. } if name.len() == 1 => {
                            match items.iter().find(|i| self.config.name_eq(&i.name, &name[0])) {
                                Some(i) => crate::expression::ResolvedExpr { expr: i.expr.clone(), name: i.name.clone(), nullable: i.nullable },
                                None => return Err(e),
                            }
                        }
                        _ => return Err(e),
                    },
                };
                groups.push((g.expr, g.name, g.nullable));
            }
        }
        for (g, name, _) in &groups {
            if spark_functions::variant::is_variant_type(&self.arrow_type(g, &r)?) {
                return Err(ResolveError::analysis(
                    "GROUP_EXPRESSION_TYPE_IS_NOT_ORDERABLE",
                    "42822",
                    format!("The expression \"{name}\" cannot be used as a grouping expression because its data type \"VARIANT\" is not an orderable data type."),
                    &[("sqlExpr", format!("\"{name}\"")), ("dataType", "\"VARIANT\"".into())],
                ));
            }
        }
        let grouping_sets = match kind {
            AggregateKind::GroupingSets(sets) => {
                let mut out = Vec::new();
                for set in sets {
                    let mut v = Vec::new();
                    for e in set {
                        let resolved = self.resolve_expr(e, &r)?;
                        let idx = groups.iter().position(|(g, _, _)| *g == resolved.expr).ok_or_else(|| {
                            ResolveError::invalid("a grouping set expression is not among the grouping expressions")
                        })?;
                        v.push(idx);
                    }
                    out.push(v);
                }
                Some(out)
            }
            _ => None,
        };
        let having = match having {
            Some(h) => Some(self.resolve_having(h, &r, &items)?),
            None => None,
        };
        let spark_exprs: Vec<Expr> = aggregates.iter().chain(having_expr).cloned().collect();
        self.check_deterministic_aggregates(&spark_exprs, &r)?;
        let kind = match (kind, grouping_sets) {
            (_, Some(sets)) => GroupKind::Sets(sets),
            (AggregateKind::Rollup, _) => GroupKind::Rollup,
            (AggregateKind::Cube, _) => GroupKind::Cube,
            _ => GroupKind::Plain,
        };
        self.build_aggregate(r, kind, groups, items, having)
    }

    /// HAVING may refer to input columns, aggregates, or output aliases.
    fn resolve_having(&mut self, h: &Expr, r: &ResolvedRelation, items: &[ProjectItem]) -> ResolveResult<DfExpr> {
        let err = match self.resolve_expr(h, r) {
            Ok(e) => return Ok(e.expr),
            Err(e) => e,
        };
        // Retry over the input extended with the output aliases, then put the
        // aliased expressions back in place of their ids.
        let mut extended = Vec::new();
        let mut aliases = Vec::new();
        for c in &r.columns {
            extended.push((id_col(&c.id), c.clone()));
        }
        for i in items {
            if super::project::contains_aggregate(&i.expr) && !r.columns.iter().any(|c| self.config.name_eq(&c.name, &i.name)) {
                let id = fresh_id();
                aliases.push((id.clone(), i.expr.clone()));
                extended.push((datafusion::logical_expr::lit(0i64), ResolvedColumn::new(id, i.name.clone())));
            }
        }
        if aliases.is_empty() {
            return Err(err);
        }
        let scope = self.project(r.plan.clone(), extended)?;
        let resolved = match self.resolve_expr(h, &scope) {
            Ok(e) => e.expr,
            Err(_) => return Err(err),
        };
        let t = resolved.transform_down(|n| {
            if let DfExpr::Column(c) = &n {
                if let Some((_, e)) = aliases.iter().find(|(id, _)| *id == c.name) {
                    return Ok(Transformed::new(e.clone(), true, TreeNodeRecursion::Jump));
                }
            }
            Ok(Transformed::no(n))
        })?;
        Ok(t.data)
    }

    pub(crate) fn aggregate_items(
        &mut self,
        r: ResolvedRelation,
        kind: &AggregateKind,
        groups: Vec<(DfExpr, String, Option<bool>)>,
        items: Vec<ProjectItem>,
        having: Option<DfExpr>,
    ) -> ResolveResult<ResolvedRelation> {
        let kind = match kind {
            AggregateKind::Rollup => GroupKind::Rollup,
            AggregateKind::Cube => GroupKind::Cube,
            _ => GroupKind::Plain,
        };
        self.build_aggregate(r, kind, groups, items, having)
    }

    fn build_aggregate(
        &mut self,
        r: ResolvedRelation,
        kind: GroupKind,
        groups: Vec<(DfExpr, String, Option<bool>)>,
        items: Vec<ProjectItem>,
        having: Option<DfExpr>,
    ) -> ResolveResult<ResolvedRelation> {
        let having = self.pandas_aggregate_rules(&items, groups.is_empty() && matches!(kind, GroupKind::Plain), having)?;
        // 1. Project grouping expressions as columns.
        let group_ids: Vec<String> = groups.iter().map(|_| fresh_id()).collect();
        let mut pre = Vec::new();
        for c in &r.columns {
            pre.push((id_col(&c.id), c.clone()));
        }
        for ((g, n, nullable), id) in groups.iter().zip(&group_ids) {
            let g = normalized_floats(g.clone(), r.plan.schema());
            pre.push((g, ResolvedColumn { nullable: *nullable, ..ResolvedColumn::new(id.clone(), n.clone()) }));
        }
        let pre = self.project(r.plan, pre)?;

        // 2. Rewrite outputs in terms of grouping columns and aggregate results.
        let mut aggs: Vec<(DfExpr, String)> = Vec::new();
        let mut rewrite = |e: DfExpr| -> ResolveResult<DfExpr> {
            let mut missing: Option<String> = None;
            let t = e.transform_down(|n| {
                if let Some(i) = groups.iter().position(|(g, _, _)| *g == n) {
                    return Ok(Transformed::new(id_col(&group_ids[i]), true, TreeNodeRecursion::Jump));
                }
                if let DfExpr::AggregateFunction(f) = &n {
                    // Spark's checks, raised through the rewrite as external errors.
                    let refused = |class: &str, state: &str, message: &str| {
                        datafusion::error::DataFusionError::External(Box::new(ResolveError::analysis(class, state, message, &[])))
                    };
                    if f.params.args.iter().any(|a| a.exists(|e| Ok(matches!(e, DfExpr::AggregateFunction(_)))).unwrap_or(false)) {
                        return Err(refused(
                            "NESTED_AGGREGATE_FUNCTION",
                            "42607",
                            "It is not allowed to use an aggregate function in the argument of another aggregate function. Please use the inner aggregate function in a sub-query.",
                        ));
                    }
                    // grouping(): its arguments are the grouping columns themselves.
                    if f.func.name() == "grouping" && matches!(kind, GroupKind::Plain) {
                        return Err(refused("UNSUPPORTED_GROUPING_EXPRESSION", "42K0E", "grouping()/grouping_id() can only be used with GroupingSets/Cube/Rollup."));
                    }
                    let n = if f.func.name() == "grouping" {
                        let mut f = f.clone();
                        f.params.args = if f.params.args.is_empty() {
                            group_ids.iter().map(|id| id_col(id)).collect()
                        } else {
                            f.params
                                .args
                                .iter()
                                .map(|a| match groups.iter().position(|(g, _, _)| g == a) {
                                    Some(i) => Ok(id_col(&group_ids[i])),
                                    None => Err(ResolveError::analysis(
                                        "GROUPING_COLUMN_MISMATCH",
                                        "42803",
                                        "Column of grouping not found in grouping columns.",
                                        &[],
                                    )),
                                })
                                .collect::<ResolveResult<Vec<_>>>()
                                .map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?
                        };
                        DfExpr::AggregateFunction(f)
                    } else {
                        n
                    };
                    let id = match aggs.iter().find(|(a, _)| *a == n) {
                        Some((_, id)) => id.clone(),
                        None => {
                            let id = fresh_id();
                            aggs.push((n, id.clone()));
                            id
                        }
                    };
                    return Ok(Transformed::new(id_col(&id), true, TreeNodeRecursion::Jump));
                }
                if let DfExpr::Column(c) = &n {
                    if missing.is_none() {
                        missing = Some(c.name.clone());
                    }
                }
                Ok(Transformed::no(n))
            })?;
            if let Some(id) = missing {
                let name = pre.columns.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or(id);
                if group_ids.is_empty() && matches!(kind, GroupKind::Plain) {
                    return Err(ResolveError::analysis(
                        "MISSING_GROUP_BY",
                        "42803",
                        "The query does not include a GROUP BY clause. Add GROUP BY or turn it into the window functions using OVER clauses.",
                        &[],
                    ));
                }
                return Err(ResolveError::analysis(
                    "MISSING_AGGREGATION",
                    "42803",
                    format!("The non-aggregating expression \"{name}\" is based on columns which are not participating in the GROUP BY clause.\nAdd the columns or the expression to the GROUP BY, aggregate the expression, or use \"any_value({name})\" if you do not care which of the values within a group is returned."),
                    &[("expression", format!("\"{name}\"")), ("expressionAnyValue", format!("\"any_value({name})\""))],
                ));
            }
            Ok(t.data)
        };
        let mut rewritten = Vec::with_capacity(items.len());
        for item in items {
            let expr = rewrite(item.expr)?;
            // ROLLUP, CUBE and GROUPING SETS fill absent grouping columns with NULL.
            let group_index = match &expr {
                DfExpr::Column(c) => group_ids.iter().position(|id| *id == c.name),
                _ => None,
            };
            // ... except a column in every grouping set.
            let in_every_set = |i: usize| matches!(&kind, GroupKind::Sets(sets) if sets.iter().all(|s| s.contains(&i)));
            let nullable = match (&kind, group_index) {
                (GroupKind::Plain, _) => item.nullable,
                (_, Some(i)) if in_every_set(i) => item.nullable,
                (_, Some(_)) => item.nullable.filter(|n| *n),
                _ => item.nullable,
            };
            rewritten.push(ProjectItem { expr, name: item.name, passthrough: None, nullable });
        }
        let having = having.map(&mut rewrite).transpose()?;

        // 3. The aggregate itself.
        let group_cols: Vec<DfExpr> = group_ids.iter().map(|id| id_col(id)).collect();
        let group_expr = match kind {
            GroupKind::Plain => group_cols,
            GroupKind::Rollup => vec![DfExpr::GroupingSet(GroupingSet::Rollup(group_cols))],
            GroupKind::Cube => vec![DfExpr::GroupingSet(GroupingSet::Cube(group_cols))],
            GroupKind::Sets(sets) => vec![DfExpr::GroupingSet(GroupingSet::GroupingSets(
                sets.iter().map(|s| s.iter().map(|i| group_cols[*i].clone()).collect()).collect(),
            ))],
        };
        let agg_exprs: Vec<DfExpr> = aggs.iter().map(|(a, id)| a.clone().alias(id.clone())).collect();
        let mut builder = LogicalPlanBuilder::from(pre.plan).aggregate(group_expr, agg_exprs)?;
        if let Some(h) = having {
            builder = builder.filter(h)?;
        }
        let plan = builder.build()?;
        // The aggregate's output: grouping columns then aggregates (plus the
        // internal grouping id for grouping sets, which stays unnamed).
        let mut columns: Vec<ResolvedColumn> = Vec::new();
        for f in plan.schema().fields() {
            columns.push(ResolvedColumn { hidden: true, ..ResolvedColumn::new(f.name().clone(), f.name().clone()) });
        }
        let agg = ResolvedRelation { plan, columns };
        // 4. The output list.
        let items = rewritten;
        self.finish_projection(agg, items)
    }
}

impl Resolver<'_> {
    /// Spark's rules for grouped-aggregate pandas UDFs: they do not mix with
    /// other aggregates, and without grouping keys an empty input has no
    /// groups, hence no row (the extra `count(1) > 0` condition).
    fn pandas_aggregate_rules(&self, items: &[ProjectItem], global: bool, having: Option<DfExpr>) -> ResolveResult<Option<DfExpr>> {
        let mut pandas: Vec<String> = vec![];
        let mut other = false;
        for item in items {
            item.expr.apply(|e| {
                if let Some(name) = spark_python::scalar::grouped_aggregate_name(e) {
                    if !pandas.iter().any(|p| p == name) {
                        pandas.push(name.to_string());
                    }
                    return Ok(TreeNodeRecursion::Jump);
                }
                if matches!(e, DfExpr::AggregateFunction(_)) {
                    other = true;
                }
                Ok(TreeNodeRecursion::Continue)
            })?;
        }
        if pandas.is_empty() {
            return Ok(having);
        }
        if other {
            let names = pandas.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            return Err(ResolveError::analysis(
                "INVALID_PANDAS_UDF_PLACEMENT",
                "0A000",
                format!("The group aggregate pandas UDF {names} cannot be invoked together with as other, non-pandas aggregate functions."),
                &[("functionList", names.clone())],
            ));
        }
        if !global {
            return Ok(having);
        }
        let any_row = datafusion::functions_aggregate::count::count(datafusion::logical_expr::lit(1)).gt(datafusion::logical_expr::lit(0i64));
        Ok(Some(match having {
            Some(h) => h.and(any_row),
            None => any_row,
        }))
    }
}

enum GroupKind {
    Plain,
    Rollup,
    Cube,
    Sets(Vec<Vec<usize>>),
}

