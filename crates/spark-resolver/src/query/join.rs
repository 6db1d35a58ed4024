//! Joins: every Spark join type, `on` conditions and `using` columns.

use std::collections::{HashMap, HashSet};

use datafusion::common::JoinType as DfJoinType;
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlanBuilder};
use spark_plan::{Expr, JoinType, Relation};

use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

/// The columns of an outer join's side that gets NULL rows become nullable.
fn outer_join_side(columns: &mut [ResolvedColumn]) {
    for c in columns {
        if c.nullable.is_some() {
            c.nullable = Some(true);
        }
    }
}

/// The name of the first column `e` reads from the DataFrame `plan_id`.
fn column_of_plan(e: &Expr, plan_id: i64) -> Option<String> {
    let mut found = None;
    e.clone().map_columns(&mut |name, pid| {
        if pid == Some(plan_id) && found.is_none() {
            found = Some(name.join("."));
        }
        Expr::Column { name, plan_id: pid }
    });
    found
}

impl Resolver<'_> {
    pub(crate) fn resolve_join(
        &mut self,
        left: &Relation,
        right: &Relation,
        join_type: JoinType,
        condition: Option<&Expr>,
        using: &[String],
        natural: bool,
    ) -> ResolveResult<ResolvedRelation> {
        let l = self.resolve(left)?;
        // The right side registers its DataFrames afresh; those also seen on
        // the left keep their left-side meaning, and their right-side columns
        // are remembered as the other candidates.
        let left_outputs = std::mem::take(&mut self.plan_outputs);
        let mut r = self.resolve(right)?;
        // A relation joined with itself (or with something derived from it)
        // shares column ids: give the right side fresh ones.
        let left_ids: HashSet<&str> = l.columns.iter().map(|c| c.id.as_str()).collect();
        if r.columns.iter().any(|c| left_ids.contains(c.id.as_str())) {
            let old: Vec<String> = r.columns.iter().map(|c| c.id.clone()).collect();
            r = self.with_fresh_ids(r)?;
            let mapping: HashMap<String, String> = old.into_iter().zip(r.columns.iter().map(|c| c.id.clone())).collect();
            for c in self.plan_outputs.values_mut().flatten() {
                if let Some(new) = mapping.get(&c.id) {
                    c.id = new.clone();
                }
            }
        }
        let right_versions: Vec<(i64, Vec<ResolvedColumn>)> =
            self.plan_outputs.iter().filter(|(pid, _)| left_outputs.contains_key(pid)).map(|(pid, cols)| (*pid, cols.clone())).collect();
        self.plan_outputs.extend(left_outputs);
        let df_type = match join_type {
            JoinType::Inner | JoinType::Cross => DfJoinType::Inner,
            JoinType::LeftOuter => DfJoinType::Left,
            JoinType::RightOuter => DfJoinType::Right,
            JoinType::FullOuter => DfJoinType::Full,
            JoinType::LeftSemi => DfJoinType::LeftSemi,
            JoinType::LeftAnti => DfJoinType::LeftAnti,
        };
        let mut l = l;
        if matches!(join_type, JoinType::RightOuter | JoinType::FullOuter) {
            outer_join_side(&mut l.columns);
        }
        if matches!(join_type, JoinType::LeftOuter | JoinType::FullOuter) {
            outer_join_side(&mut r.columns);
        }
        let mut both = l.columns.clone();
        both.extend(r.columns.iter().cloned());
        let scope_plan = LogicalPlanBuilder::from(l.plan.clone()).cross_join(r.plan.clone())?.build()?;
        let scope = ResolvedRelation { plan: scope_plan, columns: both.clone() };

        let using: Vec<String> = if natural {
            l.visible()
                .filter(|c| r.visible().any(|rc| self.config.name_eq(&rc.name, &c.name)))
                .map(|c| c.name.clone())
                .collect()
        } else {
            using.to_vec()
        };
        if !using.is_empty() {
            self.joined_twice.extend(right_versions);
            return self.join_using(l, r, df_type, join_type, &using);
        }
        // As in Spark, the join's own condition takes such a column from the
        // left side; only references above the join are ambiguous — except
        // when both sides are the very same DataFrame (`df.join(df, df.a ==
        // df.a)`), where even the condition cannot tell them apart.
        if let (Some(pid), Some(c)) = (left.plan_id.filter(|p| right.plan_id == Some(*p)), condition) {
            if let Some(name) = column_of_plan(c, pid) {
                return Err(ResolveError::ambiguous_dataframe_column(&name));
            }
        }
        let cond = match condition {
            Some(c) => Some(self.resolve_expr(c, &scope)?.expr),
            None => None,
        };
        self.joined_twice.extend(right_versions);
        let plan = match cond {
            Some(c) => LogicalPlanBuilder::from(l.plan).join_on(r.plan, df_type, vec![c])?.build()?,
            None if matches!(join_type, JoinType::Inner | JoinType::Cross) => {
                LogicalPlanBuilder::from(l.plan).cross_join(r.plan)?.build()?
            }
            None => LogicalPlanBuilder::from(l.plan).join_on(r.plan, df_type, vec![datafusion::logical_expr::lit(true)])?.build()?,
        };
        let columns = match join_type {
            JoinType::LeftSemi | JoinType::LeftAnti => l.columns,
            _ => both,
        };
        Ok(ResolvedRelation { plan, columns })
    }

    /// A lateral join: the right side is resolved with the left side's
    /// columns visible as outer references. A right side that only computes
    /// values from the left row (`LATERAL (SELECT t.a + 1)`) becomes a
    /// projection of the left side; others become a join with a correlated
    /// subquery, which DataFusion's optimizer decorrelates (inner and left
    /// joins, correlated filters and ungrouped aggregates).
    pub(crate) fn resolve_lateral_join(
        &mut self,
        left: &Relation,
        right: &Relation,
        join_type: JoinType,
        condition: Option<&Expr>,
    ) -> ResolveResult<ResolvedRelation> {
        let l = self.resolve(left)?;
        self.outer.push(l.clone());
        let r = self.resolve(right);
        self.outer.pop();
        let mut r = r?;
        if join_type == JoinType::LeftOuter {
            outer_join_side(&mut r.columns);
        }
        let df_type = match join_type {
            JoinType::Inner | JoinType::Cross => DfJoinType::Inner,
            JoinType::LeftOuter => DfJoinType::Left,
            other => {
                return Err(ResolveError::analysis(
                    "INVALID_LATERAL_JOIN_TYPE",
                    "42613",
                    format!("The {other:?} JOIN with LATERAL correlation is not allowed because an OUTER subquery cannot correlate to its join partner. Remove the LATERAL correlation or use an INNER JOIN, or LEFT OUTER JOIN instead."),
                    &[("joinType", format!("{other:?}").to_uppercase())],
                ));
            }
        };
        let mut both = l.columns.clone();
        both.extend(r.columns.iter().cloned());
        let outer_refs = r.plan.all_out_ref_exprs();
        if outer_refs.is_empty() {
            let scope = ResolvedRelation { plan: LogicalPlanBuilder::from(l.plan.clone()).cross_join(r.plan.clone())?.build()?, columns: both.clone() };
            let cond = match condition {
                Some(c) => self.resolve_expr(c, &scope)?.expr,
                None => datafusion::logical_expr::lit(true),
            };
            let plan = LogicalPlanBuilder::from(l.plan).join_on(r.plan, df_type, vec![cond])?.build()?;
            return Ok(ResolvedRelation { plan, columns: both });
        }
        if condition.is_none() {
            if let Some(exprs) = row_values(&r.plan) {
                // Each left row gets the values computed from it.
                let mut items: Vec<DfExpr> = l.columns.iter().map(|c| id_col(&c.id)).collect();
                items.extend(exprs);
                let plan = LogicalPlanBuilder::from(l.plan).project(items)?.build()?;
                return Ok(ResolvedRelation { plan, columns: both });
            }
        }
        let subquery = datafusion::logical_expr::Subquery { subquery: std::sync::Arc::new(r.plan), outer_ref_columns: outer_refs, spans: Default::default() };
        let right_plan = datafusion::logical_expr::LogicalPlan::Subquery(subquery);
        let scope_columns = both.clone();
        let cond = match condition {
            Some(c) => {
                let scope = ResolvedRelation { plan: LogicalPlanBuilder::from(l.plan.clone()).cross_join(right_plan.clone())?.build()?, columns: scope_columns };
                self.resolve_expr(c, &scope)?.expr
            }
            None => datafusion::logical_expr::lit(true),
        };
        let plan = LogicalPlanBuilder::from(l.plan).join_on(right_plan, df_type, vec![cond])?.build()?;
        Ok(ResolvedRelation { plan, columns: both })
    }

    /// `USING (a, b)`: equality on the named columns; the output has each
    /// using column once (coalesced for full outer joins), then the others.
    fn join_using(
        &mut self,
        l: ResolvedRelation,
        r: ResolvedRelation,
        df_type: DfJoinType,
        join_type: JoinType,
        using: &[String],
    ) -> ResolveResult<ResolvedRelation> {
        let mut pairs = Vec::new();
        for name in using {
            let parts = vec![name.clone()];
            let lc = self.find_column(&parts, None, &l).map_err(|_| using_missing(name, "left", &l))?.column;
            let rc = self.find_column(&parts, None, &r).map_err(|_| using_missing(name, "right", &r))?.column;
            pairs.push((lc, rc));
        }
        let on: Vec<DfExpr> = pairs.iter().map(|(a, b)| id_col(&a.id).eq(id_col(&b.id))).collect();
        let plan = LogicalPlanBuilder::from(l.plan.clone()).join_on(r.plan.clone(), df_type, on)?.build()?;
        let mut items = Vec::new();
        for (lc, rc) in &pairs {
            let (e, c) = match join_type {
                JoinType::RightOuter => (id_col(&rc.id), rc.clone()),
                JoinType::FullOuter => (
                    datafusion::functions::core::expr_fn::coalesce(vec![id_col(&lc.id), id_col(&rc.id)]),
                    ResolvedColumn::new(fresh_id(), lc.name.clone()),
                ),
                _ => (id_col(&lc.id), lc.clone()),
            };
            items.push((e, c));
        }
        let used_l: Vec<&str> = pairs.iter().map(|(a, _)| a.id.as_str()).collect();
        let used_r: Vec<&str> = pairs.iter().map(|(_, b)| b.id.as_str()).collect();
        for c in l.columns.iter().filter(|c| !used_l.contains(&c.id.as_str())) {
            items.push((id_col(&c.id), c.clone()));
        }
        if !matches!(join_type, JoinType::LeftSemi | JoinType::LeftAnti) {
            for c in r.columns.iter().filter(|c| !used_r.contains(&c.id.as_str())) {
                items.push((id_col(&c.id), c.clone()));
            }
        }
        // Using columns stay addressable through either side's qualifier.
        let mut out = self.project(plan, items)?;
        for (i, (lc, rc)) in pairs.iter().enumerate() {
            if let Some(c) = out.columns.get_mut(i) {
                c.qualifier = if join_type == JoinType::RightOuter { rc.qualifier.clone() } else { lc.qualifier.clone() };
            }
        }
        Ok(out)
    }
}

/// The expressions of a projection over one empty row (a `SELECT` without
/// FROM), with outer references turned into plain column references.
fn row_values(plan: &datafusion::logical_expr::LogicalPlan) -> Option<Vec<DfExpr>> {
    use datafusion::common::tree_node::{Transformed, TreeNode};
    use datafusion::logical_expr::LogicalPlan;
    let LogicalPlan::Projection(p) = plan else { return None };
    let LogicalPlan::EmptyRelation(e) = p.input.as_ref() else { return None };
    if !e.produce_one_row {
        return None;
    }
    p.expr
        .iter()
        .map(|x| {
            x.clone()
                .transform_up(|n| match n {
                    DfExpr::OuterReferenceColumn(_, c) => Ok(Transformed::yes(DfExpr::Column(c))),
                    other => Ok(Transformed::no(other)),
                })
                .map(|t| t.data)
                .ok()
        })
        .collect()
}

fn using_missing(name: &str, side: &str, r: &ResolvedRelation) -> ResolveError {
    ResolveError::analysis(
        "UNRESOLVED_USING_COLUMN_FOR_JOIN",
        "42703",
        format!(
            "USING column `{name}` cannot be resolved on the {side} side of the join. The {side}-side columns: [{}].",
            r.visible().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")
        ),
        &[("colName", format!("`{name}`")), ("side", side.into())],
    )
}
