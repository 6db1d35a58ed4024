//! `select`: star expansion, passthrough columns, window functions, and
//! global aggregation when the list holds aggregate functions.

use datafusion::common::tree_node::{Transformed, TreeNode, TreeNodeRecursion};
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlanBuilder};
use spark_datasource::file_metadata::METADATA_COLUMN;
use spark_plan::{AggregateKind, Expr, Relation};

use crate::expression::ResolvedExpr;
use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

/// One output of a projection before ids are assigned.
pub(crate) struct ProjectItem {
    pub expr: DfExpr,
    pub name: String,
    /// The input column this item passes through unchanged, if any.
    pub passthrough: Option<ResolvedColumn>,
    /// Spark's nullability, when it differs from DataFusion's.
    pub nullable: Option<bool>,
}

/// Whether an expression aggregates: an aggregate function outside any
/// window, or inside a window function's arguments or specification
/// (`sum(sum(x)) OVER ()` aggregates, then computes the window).
pub(crate) fn contains_aggregate(e: &DfExpr) -> bool {
    let mut found = false;
    let _ = e.apply(|n| {
        match n {
            DfExpr::AggregateFunction(_) => {
                found = true;
                return Ok(TreeNodeRecursion::Stop);
            }
            DfExpr::WindowFunction(w) => {
                let p = &w.params;
                found = p.args.iter().chain(&p.partition_by).chain(p.order_by.iter().map(|s| &s.expr)).any(contains_aggregate);
                return Ok(if found { TreeNodeRecursion::Stop } else { TreeNodeRecursion::Jump });
            }
            DfExpr::ScalarSubquery(_) | DfExpr::Exists(_) | DfExpr::InSubquery(_) => {
                return Ok(TreeNodeRecursion::Jump);
            }
            _ => {}
        }
        Ok(TreeNodeRecursion::Continue)
    });
    found
}

pub(crate) fn contains_window(e: &DfExpr) -> bool {
    let mut found = false;
    let _ = e.apply(|n| {
        if matches!(n, DfExpr::WindowFunction(_)) {
            found = true;
            return Ok(TreeNodeRecursion::Stop);
        }
        Ok(TreeNodeRecursion::Continue)
    });
    found
}

impl Resolver<'_> {
    pub(crate) fn resolve_project(&mut self, input: &Relation, exprs: &[Expr]) -> ResolveResult<ResolvedRelation> {
        // `SELECT a, FROM t` parses as a column `FROM` aliased `t` with no
        // FROM clause; Spark names the mistake.
        let trailing_from = matches!(exprs.last(), Some(Expr::Alias { expr, .. }) if matches!(expr.as_ref(), Expr::Column { name, .. } if matches!(name.as_slice(), [n] if n.eq_ignore_ascii_case("from"))));
        if trailing_from && exprs.len() > 1 && matches!(input.kind, spark_plan::RelationKind::OneRow) {
            return Err(ResolveError::analysis(
                "TRAILING_COMMA_IN_SELECT",
                "42601",
                "Trailing comma detected in SELECT clause. Remove the trailing comma before the FROM clause.",
                &[],
            ));
        }
        if let Some((r, call)) = self.windowed_input(input, &exprs.iter().collect::<Vec<_>>())? {
            return self.project_exprs(r, &super::time_window::reading_window(exprs, &call, "window"));
        }
        if let Some((r, call)) = self.sessionized_input(input, None, &exprs.iter().collect::<Vec<_>>())? {
            return self.project_exprs(r, &super::time_window::reading_window(exprs, &call, "session_window"));
        }
        if let Some(r) = self.partition_numbered_input(input, &exprs.iter().collect::<Vec<_>>())? {
            return self.project_exprs(r, &super::partition_id::reading_partition_id(exprs));
        }
        let r = self.resolve(input)?;
        self.project_exprs(r, exprs)
    }

    /// Resolves a select list over an input, expanding `*`.
    pub(crate) fn resolve_select_items(&mut self, exprs: &[Expr], scope: &ResolvedRelation) -> ResolveResult<Vec<ProjectItem>> {
        let mut items = Vec::new();
        // Earlier `expr AS name` items, which later items may name (Spark's
        // lateral column aliases).
        let mut aliases: Vec<(String, Expr)> = Vec::new();
        for e in exprs {
            let original = e;
            let lateral;
            let e = if aliases.is_empty() {
                e
            } else {
                lateral = self.with_lateral_aliases(e.clone(), &aliases, scope);
                &lateral
            };
            // The alias stands for its expression with its own lateral
            // references already replaced.
            if let Expr::Alias { expr, names, .. } = e {
                if let [name] = names.as_slice() {
                    aliases.push((name.clone(), expr.as_ref().clone()));
                }
            }
            match e {
                Expr::Star { target, plan_id, except } => {
                    let mut ids = Vec::new();
                    for x in except {
                        ids.push(self.find_column(x, None, scope)?.column.id);
                    }
                    items.extend(self.expand_star(target.as_deref(), *plan_id, scope, &ids)?);
                }
                Expr::Regex { pattern, plan_id } => items.extend(self.expand_regex(pattern, *plan_id, scope)?),
                _ => {
                    let ResolvedExpr { expr, name, nullable } = self.resolve_expr(e, scope)?;
                    let name = output_name(original, name);
                    let passthrough = match (&expr, e) {
                        (DfExpr::Column(c), Expr::Column { .. }) => {
                            scope.columns.iter().find(|sc| sc.id == c.name).cloned()
                        }
                        _ => None,
                    };
                    items.push(ProjectItem { expr, name, passthrough, nullable });
                }
            }
        }
        Ok(items)
    }

    /// Replaces each single-part column name that the input cannot resolve
    /// but an earlier select item's alias gives with that item's expression,
    /// marked so it is named `lateralAliasReference(name)` as in Spark.
    fn with_lateral_aliases(&self, e: Expr, aliases: &[(String, Expr)], scope: &ResolvedRelation) -> Expr {
        e.map_columns(&mut |name, plan_id| {
            if let (None, [single]) = (plan_id, name.as_slice()) {
                if self.find_column(&name, None, scope).is_err() {
                    if let Some((alias, expr)) = aliases.iter().rev().find(|(a, _)| self.config.name_eq(a, single)) {
                        return Expr::LateralAlias { alias: alias.clone(), expr: Box::new(expr.clone()) };
                    }
                }
            }
            Expr::Column { name, plan_id }
        })
    }

    /// `df.colRegex("`re`")`: the visible columns whose whole name matches
    /// (optionally qualified, `t.re`); without backticks it names one column.
    fn expand_regex(&mut self, pattern: &str, plan_id: Option<i64>, scope: &ResolvedRelation) -> ResolveResult<Vec<ProjectItem>> {
        let (qualifier, body) = match pattern.find("`") {
            Some(0) => (None, pattern),
            Some(i) if pattern[..i].ends_with('.') => (Some(pattern[..i - 1].to_string()), &pattern[i..]),
            _ => {
                let parts = spark_sql_parser::parse_identifier_parts(pattern).map_err(|e| ResolveError::invalid(e.to_string()))?;
                let e = Expr::Column { name: parts, plan_id };
                return self.resolve_select_items(std::slice::from_ref(&e), scope);
            }
        };
        let Some(inner) = body.strip_prefix('`').and_then(|b| b.strip_suffix('`')) else {
            return Err(ResolveError::invalid(format!("invalid column regex {pattern}")));
        };
        let flags = if self.config.case_sensitive { "" } else { "(?i)" };
        let re = regex::Regex::new(&format!("{flags}^(?:{inner})$")).map_err(|e| ResolveError::IllegalArgument(e.to_string()))?;
        let candidates: Vec<ResolvedColumn> = match plan_id.and_then(|p| self.plan_outputs.get(&p)) {
            Some(outputs) => scope.visible().filter(|c| outputs.iter().any(|o| o.id == c.id)).cloned().collect(),
            None => scope.visible().cloned().collect(),
        };
        Ok(candidates
            .into_iter()
            .filter(|c| qualifier.as_ref().is_none_or(|q| c.qualifier.iter().any(|cq| self.config.name_eq(cq, q))))
            .filter(|c| re.is_match(&c.name))
            .map(|c| ProjectItem { expr: id_col(&c.id), name: c.name.clone(), nullable: c.nullable, passthrough: Some(c) })
            .collect())
    }

    pub(crate) fn expand_star(
        &mut self,
        target: Option<&[String]>,
        plan_id: Option<i64>,
        scope: &ResolvedRelation,
        excluded: &[String],
    ) -> ResolveResult<Vec<ProjectItem>> {
        let cols: Vec<ResolvedColumn> = match target {
            None => match plan_id.and_then(|p| self.plan_outputs.get(&p)) {
                Some(outputs) => outputs
                    .iter()
                    .filter(|o| scope.columns.iter().any(|c| c.id == o.id))
                    .cloned()
                    .collect(),
                None => scope.visible().cloned().collect(),
            },
            Some(t) => {
                let qualified: Vec<ResolvedColumn> = scope
                    .visible()
                    .filter(|c| {
                        c.qualifier.len() >= t.len()
                            && c.qualifier[c.qualifier.len() - t.len()..]
                                .iter()
                                .zip(t)
                                .all(|(a, b)| self.config.name_eq(a, b))
                    })
                    .cloned()
                    .collect();
                if qualified.is_empty() {
                    // `struct_col.*` expands the struct's fields.
                    let r = self.resolve_column_expr(t, plan_id, scope).map_err(|_| {
                        ResolveError::analysis(
                            "CANNOT_RESOLVE_STAR_EXPAND",
                            "42704",
                            format!("Cannot resolve {}.* given input columns {}.", t.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join("."),
                                scope.visible().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")),
                            &[],
                        )
                    })?;
                    let st = self.arrow_type(&r.expr, scope)?;
                    let datafusion::arrow::datatypes::DataType::Struct(fields) = &st else {
                        return Err(ResolveError::analysis("CANNOT_RESOLVE_STAR_EXPAND", "42704", format!("Cannot expand {} of a non-struct column.", r.name), &[]));
                    };
                    let mut out = Vec::new();
                    for f in fields.iter() {
                        let (e, n, _) = self.extract_field(r.expr.clone(), &st, f.name())?;
                        out.push(ProjectItem { expr: e, name: n, passthrough: None, nullable: None });
                    }
                    return Ok(out);
                }
                qualified
            }
        };
        Ok(cols
            .into_iter()
            .filter(|c| !excluded.contains(&c.id))
            .map(|c| ProjectItem { expr: id_col(&c.id), name: c.name.clone(), nullable: c.nullable, passthrough: Some(c) })
            .collect())
    }

    pub(crate) fn project_exprs(&mut self, r: ResolvedRelation, exprs: &[Expr]) -> ResolveResult<ResolvedRelation> {
        let (r, items, generated) = self.select_items_with_generator(r, exprs)?;
        if items.iter().any(|i| contains_aggregate(&i.expr)) {
            self.check_deterministic_aggregates(exprs, &r)?;
            return self.aggregate_items(r, &AggregateKind::GroupBy, vec![], items, None);
        }
        let mut out = self.finish_projection(r, items)?;
        if let Some(g) = generated {
            g.qualify(&mut out.columns);
        }
        Ok(out)
    }

    /// The select items of `exprs` over `r`. A generator among them (Spark
    /// allows one per SELECT) is applied to `r` first; the items then read
    /// the generated relation, which is returned with them.
    pub(crate) fn select_items_with_generator(
        &mut self,
        r: ResolvedRelation,
        exprs: &[Expr],
    ) -> ResolveResult<(ResolvedRelation, Vec<ProjectItem>, Option<GeneratedItems>)> {
        let generators: Vec<usize> = exprs.iter().enumerate().filter(|(_, e)| self.generator_call(e).is_some()).map(|(i, _)| i).collect();
        if generators.is_empty() {
            let items = self.resolve_select_items(exprs, &r)?;
            return Ok((r, items, None));
        }
        // Several generators nest as Spark's do: each row of the first's
        // output repeated for each of the next's.
        let mut r = r;
        let mut generated = Vec::with_capacity(generators.len());
        for &at in &generators {
            let Some(call) = self.generator_call(&exprs[at]) else { return Err(ResolveError::invalid("generator")) };
            // Table-valued functions only, in Spark: not in a select list.
            if matches!(call.name.as_str(), "variant_explode" | "variant_explode_outer" | "sql_keywords") && call.python.is_none() {
                return Err(ResolveError::analysis(
                    "NOT_A_SCALAR_FUNCTION",
                    "42887",
                    format!("`{}` appears as a scalar expression here, but the function was defined as a table function. Please update the query to move the function call into the FROM clause, or redefine `{}` as a scalar function instead.", call.name, call.name),
                    &[("functionName", format!("`{}`", call.name))],
                ));
            }
            let (next, items) = self.generate(r, &call)?;
            r = next;
            generated.push((at, items, call.qualifier.clone()));
        }
        let mut items = Vec::new();
        let mut start = 0;
        let mut ranges = Vec::with_capacity(generated.len());
        for (at, produced, qualifier) in generated {
            items.extend(self.resolve_select_items(&exprs[start..at], &r)?);
            ranges.push((items.len()..items.len() + produced.len(), qualifier));
            items.extend(produced);
            start = at + 1;
        }
        items.extend(self.resolve_select_items(&exprs[start..], &r)?);
        let single = match ranges.as_slice() {
            [(range, qualifier)] => Some(GeneratedItems { range: range.clone(), qualifier: qualifier.clone() }),
            _ => None,
        };
        Ok((r, items, single))
    }

    /// Builds the projection, first computing window functions if any.
    pub(crate) fn finish_projection(&mut self, r: ResolvedRelation, items: Vec<ProjectItem>) -> ResolveResult<ResolvedRelation> {
        let (input, items) = self.plan_windows(r, items)?;
        let mut used = Vec::new();
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let column = match item.passthrough {
                Some(c) if c.name == item.name && !used.contains(&c.id) => ResolvedColumn { hidden: false, ..c },
                Some(c) => ResolvedColumn { id: fresh_id(), name: item.name, qualifier: c.qualifier, hidden: false, nullable: c.nullable },
                None => ResolvedColumn { nullable: item.nullable, ..ResolvedColumn::new(fresh_id(), item.name) },
            };
            used.push(column.id.clone());
            let expr = super::subquery_values::subqueries_as_values(item.expr, input.plan.schema())?;
            out.push((expr, column));
        }
        // A file source's hidden `_metadata` stays reachable above the
        // projection, as Spark adds metadata columns through projections.
        for c in input.columns.iter().filter(|c| c.hidden && c.name == METADATA_COLUMN && !used.contains(&c.id)) {
            out.push((id_col(&c.id), c.clone()));
        }
        self.project(input.plan, out)
    }

    /// Moves window functions into a Window node below the projection.
    pub(crate) fn plan_windows(&mut self, r: ResolvedRelation, items: Vec<ProjectItem>) -> ResolveResult<(ResolvedRelation, Vec<ProjectItem>)> {
        if !items.iter().any(|i| contains_window(&i.expr)) {
            return Ok((r, items));
        }
        let mut windows: Vec<(DfExpr, String)> = Vec::new();
        let mut new_items = Vec::with_capacity(items.len());
        for item in items {
            let t = item.expr.transform_down(|e| {
                if matches!(e, DfExpr::WindowFunction(_)) {
                    let id = match windows.iter().find(|(w, _)| *w == e) {
                        Some((_, id)) => id.clone(),
                        None => {
                            let id = fresh_id();
                            windows.push((e, id.clone()));
                            id
                        }
                    };
                    return Ok(Transformed::new(id_col(&id), true, TreeNodeRecursion::Jump));
                }
                Ok(Transformed::no(e))
            })?;
            new_items.push(ProjectItem { expr: t.data, ..item });
        }
        // One Window node per distinct partitioning and ordering, as DataFusion's
        // physical planner requires.
        let mut groups: Vec<(Vec<DfExpr>, Vec<datafusion::logical_expr::SortExpr>, Vec<(DfExpr, String)>)> = Vec::new();
        for (w, id) in windows {
            let DfExpr::WindowFunction(f) = &w else { continue };
            let key = (f.params.partition_by.clone(), f.params.order_by.clone());
            match groups.iter_mut().find(|(p, o, _)| *p == key.0 && *o == key.1) {
                Some(g) => g.2.push((w, id)),
                None => groups.push((key.0, key.1, vec![(w, id)])),
            }
        }
        let mut columns = r.columns.clone();
        let mut plan = r.plan;
        // A non-deterministic key (`ORDER BY rand()`) is computed once per
        // row below the windows, as Spark's ExtractWindowExpressions does.
        let mut volatile_keys: Vec<(DfExpr, String)> = Vec::new();
        for (partition_by, order_by, _) in &groups {
            for k in partition_by.iter().chain(order_by.iter().map(|s| &s.expr)) {
                if k.is_volatile() && !volatile_keys.iter().any(|(e, _)| e == k) {
                    volatile_keys.push((k.clone(), fresh_id()));
                }
            }
        }
        if !volatile_keys.is_empty() {
            let mut exprs: Vec<DfExpr> = plan.schema().columns().into_iter().map(DfExpr::Column).collect();
            exprs.extend(volatile_keys.iter().map(|(e, id)| e.clone().alias(id)));
            plan = LogicalPlanBuilder::from(plan).project(exprs)?.build()?;
            for (_, _, exprs) in groups.iter_mut() {
                for (w, _) in exprs.iter_mut() {
                    let replaced = w.clone().transform_down(|e| match volatile_keys.iter().find(|(k, _)| *k == e) {
                        Some((_, id)) => Ok(Transformed::new(id_col(id), true, TreeNodeRecursion::Jump)),
                        None => Ok(Transformed::no(e)),
                    })?;
                    *w = replaced.data;
                }
            }
        }
        for (_, _, exprs) in groups {
            let aliased: Vec<DfExpr> = exprs
                .into_iter()
                .map(|(w, id)| {
                    columns.push(ResolvedColumn { hidden: true, ..ResolvedColumn::new(id.clone(), id.clone()) });
                    w.alias(id)
                })
                .collect();
            plan = LogicalPlanBuilder::from(plan).window(aliased)?.build()?;
        }
        Ok((ResolvedRelation { plan, columns }, new_items))
    }
}

/// The output name of a select item: a column keeps the name as written
/// (`select("ID")` is named `ID`), a nested field `a.b.c` is named `c`.
fn output_name(e: &Expr, resolved_name: String) -> String {
    match e {
        // Spark's ResolveAliases: a cast of a column or alias keeps its name.
        Expr::Cast { expr, .. } if matches!(expr.as_ref(), Expr::Column { .. }) => output_name(expr, resolved_name),
        Expr::Cast { expr, .. } => match expr.as_ref() {
            Expr::Alias { names, .. } if names.len() == 1 => names[0].clone(),
            _ => resolved_name,
        },
        // A bare `current_date` is a call and keeps its call's name.
        Expr::Column { .. } if resolved_name.ends_with("()") => resolved_name,
        Expr::Column { name, .. } => name.last().cloned().unwrap_or(resolved_name),
        _ => resolved_name,
    }
}

/// Where a generator's columns sit among the select items.
pub(crate) struct GeneratedItems {
    pub range: std::ops::Range<usize>,
    /// `LATERAL VIEW f(...) t AS c`: the generated columns answer to `t.c`.
    pub qualifier: Option<String>,
}

impl GeneratedItems {
    /// Gives the generated output columns their LATERAL VIEW qualifier.
    pub(crate) fn qualify(&self, columns: &mut [ResolvedColumn]) {
        if let (Some(q), Some(generated)) = (&self.qualifier, columns.get_mut(self.range.clone())) {
            for c in generated {
                c.qualifier = vec![q.clone()];
            }
        }
    }
}
