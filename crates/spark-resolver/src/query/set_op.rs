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
        for (lc, rc) in l.columns.iter().zip(&r.columns) {
            let (le, re) = self.coerce_pair(id_col(&lc.id), id_col(&rc.id), &ResolvedRelation {
                plan: LogicalPlanBuilder::from(l.plan.clone()).cross_join(r.plan.clone())?.build()?,
                columns: vec![],
            })?;
            let out = ResolvedColumn { id: fresh_id(), ..lc.clone() };
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
            SetOpKind::Intersect => LogicalPlanBuilder::intersect(lp.plan, rp.plan, all)?,
            SetOpKind::Except => LogicalPlanBuilder::except(lp.plan, rp.plan, all)?,
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
                    return Err(ResolveError::analysis(
                        "UNRESOLVED_COLUMN.WITH_SUGGESTION",
                        "42703",
                        format!("A column, variable, or function parameter with name `{}` cannot be resolved. Did you mean one of the following? [{}].", lc.name,
                            r.columns.iter().map(|c| format!("`{}`", c.name)).collect::<Vec<_>>().join(", ")),
                        &[("objectName", format!("`{}`", lc.name))],
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
