//! Column-shaping relations: toDF, withColumns, withColumnsRenamed, drop,
//! and deduplication. Renames only touch the names kept beside the plan.

use datafusion::logical_expr::LogicalPlanBuilder;
use spark_plan::{Expr, Relation};

use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_to_df(&mut self, input: &Relation, names: &[String]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve_query(input)?;
        renamed(r, names)
    }

    /// `f(args) AS t(a, b)`: the function's columns renamed, as many names
    /// as it has columns.
    pub(crate) fn resolve_table_function_alias(&mut self, input: &Relation, function: &str, names: &[String]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve_query(input)?;
        let outputs = r.columns.len();
        if names.len() != outputs {
            let function = crate::error::quote_name(function);
            return Err(ResolveError::analysis(
                "NUM_TABLE_VALUE_ALIASES_MISMATCH",
                "42826",
                format!(
                    "Number of given aliases does not match number of output columns.\nFunction name: {function}; number of aliases: {}; number of output columns: {outputs}.",
                    names.len()
                ),
                &[("funcName", function.clone()), ("aliasesNum", names.len().to_string()), ("outColsNum", outputs.to_string())],
            ));
        }
        renamed(r, names)
    }

    pub(crate) fn resolve_with_columns(&mut self, input: &Relation, columns: &[Expr]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        self.with_columns(r, columns)
    }

    /// Pipe `SET`: like withColumns, but every name must be a column of
    /// the input.
    pub(crate) fn resolve_replace_columns(&mut self, input: &Relation, columns: &[Expr]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        for e in columns {
            if let Expr::Alias { names, .. } = e {
                self.find_column(names, None, &r)?;
            }
        }
        self.with_columns(r, columns)
    }

    fn with_columns(&mut self, r: ResolvedRelation, columns: &[Expr]) -> ResolveResult<ResolvedRelation> {
        if columns.iter().any(|e| self.generator_call(e).is_some()) {
            // A generator (`withColumn("e", explode(...))`) makes this a select
            // of every column, the generated one replacing or following them.
            let mut exprs: Vec<Expr> = r.visible().map(|c| Expr::column(&c.name)).collect();
            let names: Vec<String> = r.visible().map(|c| c.name.clone()).collect();
            for e in columns {
                let Expr::Alias { names: alias, .. } = e else {
                    return Err(ResolveError::invalid("withColumns needs one alias per column"));
                };
                match names.iter().position(|n| alias.len() == 1 && self.config.name_eq(n, &alias[0])) {
                    Some(pos) => exprs[pos] = e.clone(),
                    None => exprs.push(e.clone()),
                }
            }
            return self.project_exprs(r, &exprs);
        }
        let mut items: Vec<super::project::ProjectItem> = r
            .visible()
            .map(|c| super::project::ProjectItem { expr: id_col(&c.id), name: c.name.clone(), passthrough: Some(c.clone()), nullable: c.nullable })
            .collect();
        for e in columns {
            let name = match e {
                Expr::Alias { names, .. } if names.len() == 1 => names[0].clone(),
                _ => return Err(ResolveError::invalid("withColumns needs one alias per column")),
            };
            // The alias itself resolves, so its metadata (`withMetadata`) stays.
            let resolved = self.resolve_expr(e, &r)?;
            let item = super::project::ProjectItem { expr: resolved.expr, name: name.clone(), passthrough: None, nullable: resolved.nullable };
            match items.iter().position(|i| self.config.name_eq(&i.name, &name)) {
                Some(pos) => items[pos] = item,
                None => items.push(item),
            }
        }
        if items.iter().any(|i| super::project::contains_aggregate(&i.expr)) {
            return self.aggregate_items(r, &spark_plan::AggregateKind::GroupBy, vec![], items, None);
        }
        self.finish_projection(r, items)
    }

    pub(crate) fn resolve_with_columns_renamed(&mut self, input: &Relation, renames: &[(String, String)]) -> ResolveResult<ResolvedRelation> {
        let mut r = self.resolve_query(input)?;
        for (from, to) in renames {
            for c in r.columns.iter_mut() {
                if self.config.name_eq(&c.name, from) {
                    c.name = to.clone();
                    c.qualifier.clear();
                }
            }
        }
        Ok(r)
    }

    pub(crate) fn resolve_drop(&mut self, input: &Relation, columns: &[Expr], names: &[String]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve_query(input)?;
        let drop_ids = self.dropped_ids(&r, columns, names);
        let keep: Vec<ResolvedColumn> = r.columns.iter().filter(|c| !drop_ids.contains(&c.id)).cloned().collect();
        let plan = LogicalPlanBuilder::from(r.plan).project(keep.iter().map(|c| id_col(&c.id)))?.build()?;
        Ok(ResolvedRelation { plan, columns: keep })
    }

    /// The ids of the columns of `r` that `drop(columns)` / `drop(names)`
    /// removes; names and references that match nothing are ignored, as
    /// in Spark.
    pub(crate) fn dropped_ids(&self, r: &ResolvedRelation, columns: &[Expr], names: &[String]) -> Vec<String> {
        let mut drop_ids = Vec::new();
        for n in names {
            for c in r.visible() {
                if self.config.name_eq(&c.name, n) {
                    drop_ids.push(c.id.clone());
                }
            }
        }
        for e in columns {
            if let Expr::Column { name, plan_id } = e {
                if let Ok(m) = self.find_column(name, *plan_id, r) {
                    if m.nested.is_empty() {
                        drop_ids.push(m.column.id);
                    }
                }
            }
        }
        drop_ids
    }

    pub(crate) fn resolve_deduplicate(&mut self, input: &Relation, subset: Option<&[String]>) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve_query(input)?;
        self.apply_deduplicate(r, subset)
    }

    /// One row of `r` per distinct value of `subset` (all visible columns
    /// when `None`); hidden columns come from that row.
    pub(crate) fn apply_deduplicate(&mut self, r: ResolvedRelation, subset: Option<&[String]>) -> ResolveResult<ResolvedRelation> {
        let Some(subset) = subset.filter(|s| !s.is_empty()) else {
            self.refuse_map_columns(&r)?;
            if !r.columns.iter().any(|c| c.hidden) {
                let plan = LogicalPlanBuilder::from(r.plan).distinct()?.build()?;
                return Ok(ResolvedRelation { plan, columns: r.columns });
            }
            let on = r.visible().map(|c| id_col(&c.id)).collect();
            let select = r.columns.iter().map(|c| id_col(&c.id).alias(c.id.clone())).collect();
            let plan = LogicalPlanBuilder::from(r.plan).distinct_on(on, select, None)?.build()?;
            return Ok(ResolvedRelation { plan, columns: r.columns });
        };
        let mut on = Vec::new();
        for n in subset {
            let m = self.find_column(&[n.clone()], None, &r).map_err(|_| {
                ResolveError::analysis(
                    "UNRESOLVED_COLUMN_AMONG_FIELD_NAMES",
                    "42703",
                    format!("Cannot resolve column name \"{n}\" among ({}).", r.names().join(", ")),
                    &[("colName", n.clone()), ("fieldNames", r.names().join(", "))],
                )
            })?;
            on.push(id_col(&m.column.id));
        }
        let select = r.columns.iter().map(|c| id_col(&c.id).alias(c.id.clone())).collect();
        let plan = LogicalPlanBuilder::from(r.plan).distinct_on(on, select, None)?.build()?;
        let _ = fresh_id;
        Ok(ResolvedRelation { plan, columns: r.columns })
    }
}

/// `r` with its columns named `names` (one each), as toDF names them.
fn renamed(mut r: ResolvedRelation, names: &[String]) -> ResolveResult<ResolvedRelation> {
    if names.len() != r.columns.len() {
        return Err(ResolveError::analysis(
            "ASSIGNMENT_ARITY_MISMATCH",
            "42802",
            format!(
                "The number of columns or variables assigned or aliased: {} does not match the number of source expressions: {}.",
                r.columns.len(),
                names.len()
            ),
            &[("numTarget", r.columns.len().to_string()), ("numExpr", names.len().to_string())],
        ));
    }
    for (c, n) in r.columns.iter_mut().zip(names) {
        c.name = n.clone();
    }
    Ok(r)
}
