//! UNION / INTERSECT / EXCEPT, by position or by name.

use datafusion::logical_expr::{Expr as DfExpr, LogicalPlanBuilder, lit};
use datafusion::common::ScalarValue;
use spark_plan::{Relation, SetOpKind};

use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_set_op(
        &mut self,
        left: &Relation,
        right: &Relation,
        kind: SetOpKind,
        all: bool,
        by_name: bool,
        allow_missing: bool,
    ) -> ResolveResult<ResolvedRelation> {
        let l = self.resolve_query(left)?;
        let mut r = self.resolve_query(right)?;
        // Only UNION ALL keeps rows without comparing them.
        if !(kind == SetOpKind::Union && all) {
            self.refuse_map_columns(&l)?;
        }
        let mut l = l;
        if by_name {
            (l, r) = self.align_by_name(l, r, allow_missing)?;
        }
        if l.columns.len() != r.columns.len() {
            let op = match kind {
                SetOpKind::Union => "UNION",
                SetOpKind::Intersect => "INTERSECT",
                SetOpKind::Except => "EXCEPT",
            };
            return Err(ResolveError::analysis(
                "NUM_COLUMNS_MISMATCH",
                "42826",
                format!("{op} can only be performed on inputs with the same number of columns, but the first input has {} columns and the second input has {} columns.", l.columns.len(), r.columns.len()),
                &[("operator", op.into()), ("firstNumColumns", l.columns.len().to_string()), ("invalidOrdinalNum", "second".into()), ("invalidNumColumns", r.columns.len().to_string())],
            ));
        }
        // Widen column types pairwise.
        let mut litems = Vec::new();
        let mut ritems = Vec::new();
        // One scope holding both inputs' columns, to type and cast them.
        let both = ResolvedRelation { plan: LogicalPlanBuilder::from(l.plan.clone()).cross_join(r.plan.clone())?.build()?, columns: vec![] };
        for (lc, rc) in l.columns.iter().zip(&r.columns) {
            let (lt, rt) = (self.arrow_type(&id_col(&lc.id), &both)?, self.arrow_type(&id_col(&rc.id), &both)?);
            // Decimals of different types meet at Spark's wider decimal.
            let (le, re) = match crate::expression::wider_decimal(&lt, &rt) {
                Some(t) => (self.cast_if_needed(id_col(&lc.id), &t, &both)?, self.cast_if_needed(id_col(&rc.id), &t, &both)?),
                None => self.coerce_pair(id_col(&lc.id), id_col(&rc.id), &both)?,
            };
            // Types equal but for struct field names take the first input's.
            let left_type = self.arrow_type(&le, &both)?;
            let re = if self.arrow_type(&re, &both)? == left_type { re } else { self.cast_if_needed(re, &left_type, &both)? };
            // A union's column may hold either side's NULLs; an intersection
            // only rows both sides have; a difference only the left's.
            let nullable = match kind {
                SetOpKind::Union => lc.nullable.zip(rc.nullable).map(|(a, b)| a || b),
                SetOpKind::Intersect => lc.nullable.zip(rc.nullable).map(|(a, b)| a && b),
                SetOpKind::Except => lc.nullable,
            };
            let out = ResolvedColumn { id: fresh_id(), nullable, ..lc.clone() };
            litems.push((le, out.clone()));
            ritems.push((re, ResolvedColumn { id: out.id.clone(), ..rc.clone() }));
        }
        let lp = self.project(l.plan, litems)?;
        let rp = self.project(r.plan, ritems)?;
        let plan = match kind {
            SetOpKind::Union => {
                let b = LogicalPlanBuilder::from(lp.plan).union(rp.plan)?;
                if all { b.build()? } else { b.distinct()?.build()? }
            }
            SetOpKind::Intersect if all => multiset_op(lp.plan, rp.plan, &lp.columns, true)?,
            SetOpKind::Except if all => multiset_op(lp.plan, rp.plan, &lp.columns, false)?,
            SetOpKind::Intersect => LogicalPlanBuilder::intersect(lp.plan, rp.plan, false)?,
            SetOpKind::Except => LogicalPlanBuilder::except(lp.plan, rp.plan, false)?,
        };
        Ok(ResolvedRelation { plan, columns: lp.columns })
    }

    fn align_by_name(
        &mut self,
        l: ResolvedRelation,
        r: ResolvedRelation,
        allow_missing: bool,
    ) -> ResolveResult<(ResolvedRelation, ResolvedRelation)> {
        let mut ritems: Vec<(DfExpr, ResolvedColumn)> = Vec::new();
        for lc in &l.columns {
            match r.columns.iter().find(|rc| self.config.name_eq(&rc.name, &lc.name)) {
                Some(rc) => ritems.push((id_col(&rc.id), rc.clone())),
                None if allow_missing => {
                    let t = l.plan.schema().field_with_unqualified_name(&lc.id)?.data_type().clone();
                    ritems.push((lit(ScalarValue::try_from(&t)?), ResolvedColumn::new(fresh_id(), lc.name.clone())));
                }
                None => {
                    let among = r.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>().join(", ");
                    return Err(ResolveError::analysis(
                        "UNRESOLVED_COLUMN_AMONG_FIELD_NAMES",
                        "42703",
                        format!("Cannot resolve column name \"{}\" among ({among}).", lc.name),
                        &[("colName", lc.name.clone()), ("fieldNames", among.clone())],
                    ));
                }
            }
        }
        let mut l = l;
        let extra: Vec<ResolvedColumn> = r
            .columns
            .iter()
            .filter(|rc| !l.columns.iter().any(|lc| self.config.name_eq(&rc.name, &lc.name)))
            .cloned()
            .collect();
        if !extra.is_empty() {
            if !allow_missing {
                return Err(ResolveError::analysis(
                    "NUM_COLUMNS_MISMATCH",
                    "42826",
                    format!("UNION can only be performed on inputs with the same number of columns, but the first input has {} columns and the second input has {} columns.", l.columns.len(), r.columns.len()),
                    &[],
                ));
            }
            let mut litems: Vec<(DfExpr, ResolvedColumn)> = l.columns.iter().map(|c| (id_col(&c.id), c.clone())).collect();
            for rc in &extra {
                let t = r.plan.schema().field_with_unqualified_name(&rc.id)?.data_type().clone();
                litems.push((lit(ScalarValue::try_from(&t)?), ResolvedColumn::new(fresh_id(), rc.name.clone())));
                ritems.push((id_col(&rc.id), rc.clone()));
            }
            l = self.project(l.plan, litems)?;
        }
        let r = self.project(r.plan, ritems)?;
        Ok((l, r))
    }
}

/// INTERSECT ALL / EXCEPT ALL with multiset semantics, as Spark rewrites
/// them: count each distinct row on both sides, keep min(left, right) or
/// left - right copies of it.
fn multiset_op(
    left: datafusion::logical_expr::LogicalPlan,
    right: datafusion::logical_expr::LogicalPlan,
    columns: &[ResolvedColumn],
    intersect: bool,
) -> ResolveResult<datafusion::logical_expr::LogicalPlan> {
    use datafusion::functions_aggregate::expr_fn::sum;
    let (in_left, in_right, copies, copy) = (fresh_id(), fresh_id(), fresh_id(), fresh_id());
    let tag = |plan, l: i64, r: i64| -> ResolveResult<datafusion::logical_expr::LogicalPlan> {
        let mut exprs: Vec<DfExpr> = columns.iter().map(|c| id_col(&c.id)).collect();
        exprs.push(lit(l).alias(in_left.clone()));
        exprs.push(lit(r).alias(in_right.clone()));
        Ok(LogicalPlanBuilder::from(plan).project(exprs)?.build()?)
    };
    let counted = LogicalPlanBuilder::from(tag(left, 1, 0)?)
        .union(tag(right, 0, 1)?)?
        .aggregate(
            columns.iter().map(|c| id_col(&c.id)),
            vec![sum(id_col(&in_left)).alias(in_left.clone()), sum(id_col(&in_right)).alias(in_right.clone())],
        )?
        .build()?;
    let n = if intersect {
        datafusion::functions::core::expr_fn::least(vec![id_col(&in_left), id_col(&in_right)])
    } else {
        id_col(&in_left) - id_col(&in_right)
    };
    let mut with_copies: Vec<DfExpr> = columns.iter().map(|c| id_col(&c.id)).collect();
    with_copies.push(datafusion::functions_nested::expr_fn::range(lit(0i64), n.clone(), lit(1i64)).alias(copies.clone()));
    let plan = LogicalPlanBuilder::from(counted)
        .filter(n.gt(lit(0i64)))?
        .project(with_copies)?
        .unnest_column(copies.clone())?
        .project(columns.iter().map(|c| id_col(&c.id)).chain(std::iter::once(id_col(&copies).alias(copy))))?
        .project(columns.iter().map(|c| id_col(&c.id)))?
        .build()?;
    Ok(plan)
}

impl Resolver<'_> {
    /// Spark's UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE: rows with a
    /// map column cannot be told apart (DISTINCT, INTERSECT, EXCEPT, UNION).
    pub(crate) fn refuse_map_columns(&self, r: &ResolvedRelation) -> ResolveResult<()> {
        for c in r.visible() {
            let t = self.arrow_type(&id_col(&c.id), r)?;
            if crate::types::contains_map(&t) {
                let type_sql = crate::types::from_arrow(&t).map(|d| d.sql()).unwrap_or_default();
                return Err(ResolveError::analysis(
                    "UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE",
                    "0A000",
                    format!("The feature is not supported: Cannot have MAP type columns in a set operation (INTERSECT, EXCEPT, etc.), but the type of column `{}` is \"{type_sql}\".", c.name),
                    &[("colName", format!("`{}`", c.name)), ("dataType", format!("\"{type_sql}\""))],
                ));
            }
        }
        Ok(())
    }
}
