//! As-of joins (`df._joinAsOf`, pandas-on-Spark `merge_asof`): each left row
//! meets the one right row whose as-of value is closest before it
//! (`backward`), after it (`forward`) or either way (`nearest`), among the
//! right rows that satisfy the join condition and the tolerance.
//!
//! Planned as Spark rewrites it: the left rows are numbered, joined with
//! every candidate, ranked by distance within each left row, and the best
//! candidate is kept (a left join keeps unmatched left rows with NULLs).

use datafusion::common::JoinType as DfJoinType;
use datafusion::functions_window::expr_fn::row_number;
use datafusion::logical_expr::{Expr as DfExpr, ExprFunctionExt, LogicalPlanBuilder, lit};
use spark_plan::{Expr, Relation};

use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

/// The parts of an as-of join request.
pub(crate) struct AsOf<'a> {
    pub left_as_of: &'a Expr,
    pub right_as_of: &'a Expr,
    pub condition: Option<&'a Expr>,
    pub using: &'a [String],
    pub join_type: &'a str,
    pub tolerance: Option<&'a Expr>,
    pub allow_exact_matches: bool,
    pub direction: &'a str,
}

impl Resolver<'_> {
    pub(crate) fn resolve_as_of_join(&mut self, left: &Relation, right: &Relation, spec: &AsOf<'_>) -> ResolveResult<ResolvedRelation> {
        let join_type = match spec.join_type.to_ascii_lowercase().as_str() {
            "inner" => DfJoinType::Inner,
            "left" | "leftouter" | "left_outer" => DfJoinType::Left,
            other => return Err(ResolveError::IllegalArgument(format!("Unsupported join type '{other}'. Supported join types include: 'inner', 'left', 'leftouter', 'left_outer'."))),
        };
        let direction = spec.direction.to_ascii_lowercase();
        if !matches!(direction.as_str(), "backward" | "forward" | "nearest") {
            return Err(ResolveError::analysis(
                "AS_OF_JOIN.UNSUPPORTED_DIRECTION",
                "42604",
                format!("Invalid as-of join. Unsupported as-of join direction '{}'. Supported as-of join direction include: 'backward', 'forward', 'nearest'.", spec.direction),
                &[("direction", spec.direction.to_string()), ("supported", "'backward', 'forward', 'nearest'".into())],
            ));
        }
        let l = self.resolve(left)?;
        let mut r = self.resolve(right)?;
        if r.columns.iter().any(|c| l.columns.iter().any(|lc| lc.id == c.id)) {
            r = self.with_fresh_ids(r)?;
        }
        let left_key = self.resolve_expr(spec.left_as_of, &l)?.expr;
        let right_key = self.resolve_expr(spec.right_as_of, &r)?.expr;
        let mut both = l.columns.clone();
        both.extend(r.columns.iter().cloned());
        let scope = ResolvedRelation { plan: LogicalPlanBuilder::from(l.plan.clone()).cross_join(r.plan.clone())?.build()?, columns: both };

        // The join condition: equal using columns, the user's condition,
        // the direction and the tolerance.
        let mut conditions = Vec::new();
        for name in spec.using {
            let parts = vec![name.clone()];
            let lc = self.find_column(&parts, None, &l)?.column;
            let rc = self.find_column(&parts, None, &r)?.column;
            conditions.push(id_col(&lc.id).eq(id_col(&rc.id)));
        }
        if let Some(c) = spec.condition {
            conditions.push(self.resolve_expr(c, &scope)?.expr);
        }
        let (lk, rk) = (left_key.clone(), right_key.clone());
        conditions.push(match (direction.as_str(), spec.allow_exact_matches) {
            ("backward", true) => rk.clone().lt_eq(lk.clone()),
            ("backward", false) => rk.clone().lt(lk.clone()),
            ("forward", true) => rk.clone().gt_eq(lk.clone()),
            ("forward", false) => rk.clone().gt(lk.clone()),
            (_, true) => lit(true),
            (_, false) => rk.clone().not_eq(lk.clone()),
        });
        let distance = match direction.as_str() {
            "backward" => lk.clone() - rk.clone(),
            "forward" => rk.clone() - lk.clone(),
            _ => datafusion::functions::math::expr_fn::abs(lk.clone() - rk.clone()),
        };
        if let Some(t) = spec.tolerance {
            let t = self.resolve_expr(t, &scope)?.expr;
            conditions.push(distance.clone().lt_eq(t));
        }

        // Number the left rows, join every candidate, keep the closest.
        let row = fresh_id();
        let mut numbered: Vec<DfExpr> = l.columns.iter().map(|c| id_col(&c.id)).collect();
        numbered.push(id_col(&row));
        let left_numbered = LogicalPlanBuilder::from(l.plan).window(vec![row_number().alias(row.clone())])?.project(numbered)?.build()?;
        let joined = LogicalPlanBuilder::from(left_numbered).join_on(r.plan, join_type, conditions)?.build()?;
        let rank = fresh_id();
        let ranking = row_number().partition_by(vec![id_col(&row)]).order_by(vec![distance.sort(true, true)]).build()?.alias(rank.clone());
        let mut columns: Vec<ResolvedColumn> = l.columns.clone();
        columns.extend(r.columns.iter().cloned());
        let plan = LogicalPlanBuilder::from(joined)
            .window(vec![ranking])?
            .filter(id_col(&rank).eq(lit(1u64)))?
            .project(columns.iter().map(|c| id_col(&c.id)))?
            .build()?;
        Ok(ResolvedRelation { plan, columns })
    }
}
